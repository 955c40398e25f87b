/**
 * Goodness of fit of a point prediction (normally the posterior mean of the KPI in original
 * units), in-sample and on a time-ordered holdout, and the autocorrelation of the residuals:
 * - R^2 = 1 - sum (y - yhat)^2 / sum (y - mean y)^2 (mean over the cells of the subset);
 * - MAPE = mean |y - yhat| / |y| over cells with y != 0 (cells with y = 0 are skipped and counted);
 * - WMAPE = sum |y - yhat| / sum |y| (Kolassa & Schütz 2007, "Advantages of the MAD/MEAN ratio
 *   over the MAPE", Foresight 6);
 * - RMSE;
 * - residual autocorrelation at lags 1..k per geo (residuals centred per geo, the usual sample
 *   ACF, Box, Jenkins & Reinsel, "Time Series Analysis", section 2.1.4) and pooled over geos (sum of
 *   the geos' lagged cross-products over the sum of their squares), with the white-noise band
 *   +-1.96 / sqrt(n).
 * Arrays are geo-major [G, T]; a holdout mask has one entry per period ([T], applied to every geo)
 * or per cell ([G, T]). How the holdout is fitted is not this module's business.
 */
import type { MmmDesign } from '../../models/mmm/index.js';
import type { MediaAnalysis } from './mediaAnalysis.js';

export interface FitMetricRow {
  readonly subset: 'all' | 'inSample' | 'holdout';
  /** Cells in the subset. */
  readonly n: number;
  readonly r2: number;
  readonly mape: number;
  /** Cells left out of the MAPE because the actual value is 0. */
  readonly mapeSkipped: number;
  readonly wmape: number;
  readonly rmse: number;
}

export interface AutocorrelationRow {
  /** Geo index, or null for the value pooled over geos. */
  readonly geo: number | null;
  readonly lag: number;
  readonly autocorrelation: number;
  /** Half-width of the approximate 95% band under white noise, 1.96 / sqrt(periods used). */
  readonly bound: number;
}

function metrics(subset: FitMetricRow['subset'], actual: ArrayLike<number>, predicted: ArrayLike<number>, include: (n: number) => boolean): FitMetricRow {
  let count = 0;
  let sum = 0;
  for (let n = 0; n < actual.length; n++) {
    if (!include(n)) continue;
    count++;
    sum += actual[n];
  }
  const center = sum / count;
  let squared = 0;
  let total = 0;
  let absolute = 0;
  let absoluteActual = 0;
  let percentage = 0;
  let percentageCount = 0;
  for (let n = 0; n < actual.length; n++) {
    if (!include(n)) continue;
    const error = actual[n] - predicted[n];
    squared += error * error;
    total += (actual[n] - center) * (actual[n] - center);
    absolute += Math.abs(error);
    absoluteActual += Math.abs(actual[n]);
    if (actual[n] !== 0) {
      percentage += Math.abs(error) / Math.abs(actual[n]);
      percentageCount++;
    }
  }
  return {
    subset,
    n: count,
    r2: count > 0 ? 1 - squared / total : NaN,
    mape: percentageCount > 0 ? percentage / percentageCount : NaN,
    mapeSkipped: count - percentageCount,
    wmape: count > 0 ? absolute / absoluteActual : NaN,
    rmse: count > 0 ? Math.sqrt(squared / count) : NaN,
  };
}

/**
 * Fit metrics on all cells and, when a holdout mask is given, on the in-sample and holdout cells
 * (mask truthy = held out).
 */
export function fitMetrics(actual: ArrayLike<number>, predicted: ArrayLike<number>, holdout?: ArrayLike<number | boolean>): FitMetricRow[] {
  if (actual.length !== predicted.length) throw new Error(`fitMetrics: ${actual.length} actual values but ${predicted.length} predictions`);
  const rows = [metrics('all', actual, predicted, () => true)];
  if (holdout) {
    if (holdout.length === 0 || actual.length % holdout.length !== 0) {
      throw new Error(`fitMetrics: the holdout mask has ${holdout.length} entries; expected one per period or per cell (${actual.length} cells)`);
    }
    const held = (n: number) => Boolean(holdout[n % holdout.length]);
    rows.push(metrics('inSample', actual, predicted, (n) => !held(n)));
    rows.push(metrics('holdout', actual, predicted, held));
  }
  return rows;
}

/** The design's holdout as a [G, T] mask (1 = held out of the likelihood), or undefined. */
export function holdoutMask(design: MmmDesign): Float64Array | undefined {
  return design.observed ? design.observed.map((o) => (o === 0 ? 1 : 0)) : undefined;
}

/** Actual KPI in original units [G, T] (scaled KPI x the geo's KPI unit). */
export function actualKpi(design: MmmDesign): Float64Array {
  const T = design.dates.length;
  return design.kpi.map((y, n) => y * design.kpiUnit[Math.floor(n / T)]);
}

/** Fit metrics of the posterior mean prediction of an analysis against the design's KPI (with the design's holdout). */
export function posteriorFitMetrics(design: MmmDesign, analysis: MediaAnalysis): FitMetricRow[] {
  return fitMetrics(actualKpi(design), analysis.mean.prediction, holdoutMask(design));
}

/**
 * Autocorrelation of residuals (actual - predicted, geo-major [G, T]) at lags 1..maxLag, per geo and
 * pooled. `periods` = T. With `include` (mask per cell or per period, truthy = use), only the
 * residuals of included cells are used; lag pairs need both cells included.
 */
export function residualAutocorrelation(
  residuals: ArrayLike<number>,
  periods: number,
  maxLag: number,
  include?: ArrayLike<number | boolean>,
): AutocorrelationRow[] {
  const T = periods;
  if (!(Number.isInteger(T) && T >= 2) || residuals.length % T !== 0) throw new Error(`residualAutocorrelation: ${residuals.length} residuals do not split into series of ${T} periods`);
  if (!(Number.isInteger(maxLag) && maxLag >= 1 && maxLag < T)) throw new Error(`residualAutocorrelation: maxLag must be an integer in [1, ${T - 1}], got ${maxLag}`);
  const G = residuals.length / T;
  const used = (n: number) => (include ? Boolean(include[n % include.length]) : true);
  const rows: AutocorrelationRow[] = [];
  const pooledCross = new Float64Array(maxLag + 1);
  let pooledCount = 0;
  const centred = new Float64Array(T);
  for (let g = 0; g < G; g++) {
    let sum = 0;
    let count = 0;
    for (let t = 0; t < T; t++) {
      if (!used(g * T + t)) continue;
      sum += residuals[g * T + t];
      count++;
    }
    const center = sum / count;
    for (let t = 0; t < T; t++) centred[t] = used(g * T + t) ? residuals[g * T + t] - center : NaN;
    const cross = new Float64Array(maxLag + 1);
    for (let lag = 0; lag <= maxLag; lag++) {
      for (let t = lag; t < T; t++) {
        const product = centred[t] * centred[t - lag];
        if (!Number.isNaN(product)) cross[lag] += product;
      }
      pooledCross[lag] += cross[lag];
    }
    pooledCount += count;
    for (let lag = 1; lag <= maxLag; lag++) rows.push({ geo: g, lag, autocorrelation: cross[lag] / cross[0], bound: 1.96 / Math.sqrt(count) });
  }
  for (let lag = 1; lag <= maxLag; lag++) rows.push({ geo: null, lag, autocorrelation: pooledCross[lag] / pooledCross[0], bound: 1.96 / Math.sqrt(pooledCount) });
  return rows;
}
