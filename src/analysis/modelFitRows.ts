/**
 * Rows of the model-fit chart: per period (summed over geos, or per geo) the actual KPI, the
 * posterior mean of the expected KPI with its 90% credible band (`analyzeMedia`
 * prediction rows), the 90% posterior predictive interval, which adds the observation noise
 * (quantiles over replicated KPI series from `posteriorPredictiveCheck`, Gelman et al.,
 * "Bayesian Data Analysis", 3rd ed., section 6.3), and whether the period was held out of the fit.
 */
import { actualKpi } from './fitMetrics.js';
import type { MediaAnalysis } from './mediaAnalysis.js';
import type { QuantityRow } from './rows.js';
import { quantileOfSorted } from '../diagnostics/index.js';
import type { MmmDesign } from '../../models/mmm/index.js';

export interface ModelFitRow {
  readonly date: string;
  /** End of the period (the next date), for shading a period. */
  readonly periodEnd: string;
  /** Absent for totals over geos. */
  readonly geo?: string;
  readonly actual: number;
  readonly mean: number;
  readonly q05: number;
  readonly q95: number;
  /** 90% posterior predictive interval (absent without replicates). */
  readonly predictiveQ05?: number;
  readonly predictiveQ95?: number;
  readonly holdout: boolean;
}

/** Replicated KPI series in KPI units, [draws, G, T] (posteriorPredictive.ts PosteriorPredictiveCheck.replicates). */
export interface KpiReplicates {
  readonly replicates: Float64Array | Float32Array;
}

export interface ModelFitOptions {
  /** One series per geo instead of the total over geos. */
  readonly byGeo?: boolean;
}

/** The date after the last one, one period on (dates are evenly spaced ISO days). */
function periodEnds(dates: readonly string[]): string[] {
  const day = 86_400_000;
  const step = dates.length > 1 ? Date.parse(dates[1]) - Date.parse(dates[0]) : 7 * day;
  return dates.map((_, t) => (t + 1 < dates.length ? dates[t + 1] : new Date(Date.parse(dates[t]) + step).toISOString().slice(0, 10)));
}

export function modelFitRows(design: MmmDesign, media: MediaAnalysis, predictive?: KpiReplicates, options: ModelFitOptions = {}): ModelFitRow[] {
  const G = design.geoNames.length;
  const T = design.dates.length;
  const actual = actualKpi(design);
  const ends = periodEnds(design.dates);
  const held = (g: number, t: number) => design.observed !== undefined && design.observed[g * T + t] === 0;
  const K = predictive ? predictive.replicates.length / (G * T) : 0;
  const draws = new Float64Array(K);
  const interval = (value: (k: number) => number): [number, number] => {
    for (let k = 0; k < K; k++) draws[k] = value(k);
    draws.sort();
    return [quantileOfSorted(draws, 0.05), quantileOfSorted(draws, 0.95)];
  };
  const rows: ModelFitRow[] = [];
  if (options.byGeo) {
    const byKey = predictionIndex(media.byGeoDate);
    for (let g = 0; g < G; g++) {
      for (let t = 0; t < T; t++) {
        const geo = design.geoNames[g];
        const prediction = byKey.get(`${geo}|${design.dates[t]}`);
        if (!prediction) throw new Error(`modelFitRows: no prediction row for ${geo} ${design.dates[t]} (analyzeMedia with byGeoDate)`);
        const band = K > 0 ? interval((k) => predictive!.replicates[(k * G + g) * T + t]) : undefined;
        rows.push(row(design.dates[t], ends[t], actual[g * T + t], prediction, band, held(g, t), geo));
      }
    }
    return rows;
  }
  const byDate = predictionIndex(media.byDate);
  for (let t = 0; t < T; t++) {
    const prediction = byDate.get(`|${design.dates[t]}`);
    if (!prediction) throw new Error(`modelFitRows: no prediction row for ${design.dates[t]} (analyzeMedia with byDate)`);
    let total = 0;
    for (let g = 0; g < G; g++) total += actual[g * T + t];
    const band = K > 0 ? interval((k) => {
      let sum = 0;
      for (let g = 0; g < G; g++) sum += predictive!.replicates[(k * G + g) * T + t];
      return sum;
    }) : undefined;
    let heldOut = true;
    for (let g = 0; g < G; g++) heldOut &&= held(g, t);
    rows.push(row(design.dates[t], ends[t], total, prediction, band, heldOut));
  }
  return rows;
}

function predictionIndex(rows: readonly QuantityRow[]): Map<string, QuantityRow> {
  const out = new Map<string, QuantityRow>();
  for (const r of rows) if (r.metric === 'prediction' && r.unit === 'kpi') out.set(`${r.geo ?? ''}|${r.date}`, r);
  return out;
}

function row(date: string, periodEnd: string, actual: number, prediction: QuantityRow, band: [number, number] | undefined, holdout: boolean, geo?: string): ModelFitRow {
  return {
    date,
    periodEnd,
    ...(geo !== undefined ? { geo } : {}),
    actual,
    mean: prediction.mean,
    q05: prediction.q05,
    q95: prediction.q95,
    ...(band ? { predictiveQ05: band[0], predictiveQ95: band[1] } : {}),
    holdout,
  };
}
