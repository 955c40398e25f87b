/**
 * Posterior predictive checks (Gelman, Meng & Stern 1996, "Posterior predictive assessment of model
 * fitness via realized discrepancies", Statistica Sinica 6; Gelman et al., "Bayesian Data
 * Analysis", 3rd ed., section 6.3): per draw theta, replicate the KPI y_rep = mu(theta) + noise
 * (Normal or Student-t as the likelihood, models/mmm/priorPredictive.ts `replicateKpi`, seeded with
 * createRng, one stream per pooled draw index so results do not depend on thinning), and compare a
 * realized discrepancy T(y, theta) with T(y_rep, theta). The p-value is P(T(y_rep) >= T(y)).
 *
 * Two discrepancies, on the cells that enter the likelihood (the design's `observed` mask; all
 * cells without a holdout):
 * - `sumOfSquares`: sum ((y - mu) / sigma)^2, the chi-square discrepancy (BDA3 section 6.3): small
 *   p-values mean more residual variance than the noise model allows, large ones less;
 * - `residualLag1Autocorrelation`: lag-1 autocorrelation of y - mu within each geo (centred per
 *   geo, pooled over geos): a small p-value means residuals are positively autocorrelated (missing
 *   carry-over, seasonality or trend), which the i.i.d. noise model cannot produce.
 * p-values near 0 or 1 (e.g. < 0.05 or > 0.95) flag misfit; healthCheck.ts reports them.
 */
import { designDims, geoSigma, meanKpiHost, replicateKpi, type DrawValues, type MmmModelConfig, type MmmDesign } from '../../models/mmm/index.js';
import type { Posterior } from '../ppl/index.js';
import { createRng } from '../tensor/index.js';
import { drawAt, selectDraws } from './drawSummary.js';

export type Discrepancy = 'sumOfSquares' | 'residualLag1Autocorrelation';

export interface PValueRow {
  readonly discrepancy: Discrepancy;
  /** P(T(y_rep, theta) >= T(y, theta)) over draws. */
  readonly pValue: number;
  /** Means over draws of the realized and replicated discrepancies. */
  readonly observedMean: number;
  readonly replicatedMean: number;
  readonly draws: number;
}

export interface PosteriorPredictiveOptions {
  /** Default 0. */
  readonly seed?: number | string;
  /** Default: all draws. */
  readonly maxDraws?: number;
  /** Keep this many replicated KPI series (evenly thinned among the draws used), in KPI units. Default 0. */
  readonly keepReplicates?: number;
  /**
   * Write the kept replicates here ([keepReplicates, G, T]) instead of a new Float64Array. A
   * Float32Array rounds each value once, as copying the float64 values into one would, without the
   * float64 array beside it (idata.nc keeps every draw's replicates as float32).
   */
  readonly replicatesInto?: Float64Array | Float32Array;
}

export interface PosteriorPredictiveCheck {
  readonly pValues: PValueRow[];
  /** [keptDraws, G, T] replicated KPI in original units (KPI unit per geo); `replicatesInto` when given. */
  readonly replicates: Float64Array | Float32Array;
  /** Pooled draw indices of the kept replicates. */
  readonly replicateDrawIndices: Int32Array;
}

/** Sum of squared standardized residuals over included cells. */
function sumOfSquares(y: ArrayLike<number>, mean: ArrayLike<number>, values: DrawValues, periods: number, include: (n: number) => boolean): number {
  let total = 0;
  for (let n = 0; n < y.length; n++) {
    if (!include(n)) continue;
    const z = (y[n] - mean[n]) / geoSigma(values, Math.floor(n / periods));
    total += z * z;
  }
  return total;
}

/** Pooled lag-1 autocorrelation of y - mean within geos (series of T), included cells only. */
export function lag1Autocorrelation(y: ArrayLike<number>, mean: ArrayLike<number>, periods: number, include: (n: number) => boolean): number {
  const T = periods;
  const G = y.length / T;
  let cross = 0;
  let squares = 0;
  for (let g = 0; g < G; g++) {
    let sum = 0;
    let count = 0;
    for (let t = 0; t < T; t++) {
      const n = g * T + t;
      if (!include(n)) continue;
      sum += y[n] - mean[n];
      count++;
    }
    if (count === 0) continue;
    const center = sum / count;
    for (let t = 0; t < T; t++) {
      const n = g * T + t;
      if (!include(n)) continue;
      const r = y[n] - mean[n] - center;
      squares += r * r;
      if (t > 0 && include(n - 1)) cross += r * (y[n - 1] - mean[n - 1] - center);
    }
  }
  return cross / squares;
}

export function posteriorPredictiveCheck(design: MmmDesign, config: MmmModelConfig, posterior: Posterior, options: PosteriorPredictiveOptions = {}): PosteriorPredictiveCheck {
  const { geos: G, periods: T } = designDims(design);
  const drawIndices = selectDraws(posterior, options.maxDraws);
  const D = drawIndices.length;
  const observed = design.observed;
  const include = (n: number) => !observed || observed[n] !== 0;
  const keep = Math.min(options.keepReplicates ?? 0, D);
  const keptPositions = new Set(Array.from({ length: keep }, (_, i) => Math.floor((i * D) / keep)));
  if (options.replicatesInto && options.replicatesInto.length !== keep * G * T) {
    throw new Error(`posteriorPredictiveCheck: replicatesInto has ${options.replicatesInto.length} values, ${keep} replicates of ${G} x ${T} need ${keep * G * T}`);
  }
  const replicates = options.replicatesInto ?? new Float64Array(keep * G * T);
  const replicateDrawIndices = new Int32Array(keep);
  const seed = options.seed ?? 0;
  const observedStats = { sumOfSquares: new Float64Array(D), residualLag1Autocorrelation: new Float64Array(D) };
  const replicatedStats = { sumOfSquares: new Float64Array(D), residualLag1Autocorrelation: new Float64Array(D) };
  const yRep = new Float64Array(G * T);
  let kept = 0;
  for (let d = 0; d < D; d++) {
    const values = drawAt(posterior, drawIndices[d]);
    const mean = meanKpiHost(design, config, values);
    replicateKpi(config, values, mean, createRng(seed, `posterior-predictive:${drawIndices[d]}`), yRep);
    observedStats.sumOfSquares[d] = sumOfSquares(design.kpi, mean, values, T, include);
    replicatedStats.sumOfSquares[d] = sumOfSquares(yRep, mean, values, T, include);
    observedStats.residualLag1Autocorrelation[d] = lag1Autocorrelation(design.kpi, mean, T, include);
    replicatedStats.residualLag1Autocorrelation[d] = lag1Autocorrelation(yRep, mean, T, include);
    if (keptPositions.has(d)) {
      for (let n = 0; n < G * T; n++) replicates[kept * G * T + n] = yRep[n] * design.kpiUnit[Math.floor(n / T)];
      replicateDrawIndices[kept++] = drawIndices[d];
    }
  }
  const average = (x: Float64Array) => x.reduce((a, b) => a + b, 0) / x.length;
  const pValues = (['sumOfSquares', 'residualLag1Autocorrelation'] as const).map((discrepancy): PValueRow => {
    const realized = observedStats[discrepancy];
    const replicated = replicatedStats[discrepancy];
    let exceed = 0;
    for (let d = 0; d < D; d++) if (replicated[d] >= realized[d]) exceed++;
    return { discrepancy, pValue: exceed / D, observedMean: average(realized), replicatedMean: average(replicated), draws: D };
  });
  return { pValues, replicates, replicateDrawIndices };
}
