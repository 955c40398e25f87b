/**
 * The baseline's time effect per period, as tidy rows: each time term of the model (the trend
 * delta tr[t], or the knots' piecewise-linear effect knot . w[t]; the Fourier seasonality phi . f[t];
 * models/mmm linearTerms) and their sum, shared by the geos on the scaled KPI and reported in KPI
 * units summed over the geos (times sum_g kpiUnit[g]), summarized over draws. With `ahead` the rows
 * go on past the data's last period (dates stepped by the data's spacing), marked `extrapolated`:
 * there the trend continues its line, the seasonality its cycles, and the knots' effect is held at
 * the last knot's value (models/mmm `timeTermRow`), which is what a forecast from the fit assumes.
 */
import { timeTermRow, type MmmDesign, type MmmModelConfig } from '../../models/mmm/index.js';
import type { Posterior } from '../ppl/index.js';
import { timeFeatures } from './baseline.js';
import { drawAt, selectDraws, summarizeValues, type DrawSummary } from './drawSummary.js';

/** The time terms' components, and their sum. */
export type TimeEffectComponent = 'trend' | 'knots' | 'seasonality' | 'time effect';

export interface TimeEffectRow extends DrawSummary {
  readonly component: TimeEffectComponent;
  readonly date: string;
  /** KPI units summed over the geos. */
  readonly unit: 'kpi';
  /** True for periods after the data (knots held at the last knot's value). */
  readonly extrapolated: boolean;
}

export interface TimeEffectOptions {
  /** Use at most this many draws, evenly thinned (default: all). */
  readonly maxDraws?: number;
  /** Periods after the data to extrapolate to (default 0). */
  readonly ahead?: number;
}

const DAY_MS = 86_400_000;

/** The date `steps` data periods after the data's last (ISO dates, evenly spaced as validated). */
function dateAfter(dates: readonly string[], steps: number): string {
  const last = Date.parse(`${dates[dates.length - 1]}T00:00:00Z`);
  const step = dates.length > 1 ? last - Date.parse(`${dates[dates.length - 2]}T00:00:00Z`) : 7 * DAY_MS;
  return new Date(last + steps * step).toISOString().slice(0, 10);
}

/** Rows per time component (and their sum) per period, data periods first, then `ahead` extrapolated ones. */
export function timeEffectRows(design: MmmDesign, config: MmmModelConfig, posterior: Posterior, options: TimeEffectOptions = {}): TimeEffectRow[] {
  const ahead = options.ahead ?? 0;
  if (!(Number.isInteger(ahead) && ahead >= 0)) throw new Error(`timeEffectRows: ahead must be a non-negative integer, got ${ahead}`);
  const T = design.dates.length;
  const periods = T + ahead;
  const terms = timeFeatures(design, config).terms.filter((term) => term.scope === 'time');
  if (terms.length === 0) return [];
  const drawIndices = selectDraws(posterior, options.maxDraws);
  const D = drawIndices.length;
  let unit = 0;
  for (const u of design.kpiUnit) unit += u;
  // feature rows of every period (inside the data the terms' own rows)
  const rows = terms.map((term) => {
    const out = new Float64Array(periods * term.width);
    for (let t = 0; t < periods; t++) timeTermRow(term, design, config, t, out.subarray(t * term.width, (t + 1) * term.width));
    return out;
  });
  const components = [...terms.map((term) => term.component as TimeEffectComponent), 'time effect' as const];
  const values = components.map(() => new Float64Array(periods * D)); // [component][t, d]
  for (let d = 0; d < D; d++) {
    const draw = drawAt(posterior, drawIndices[d]);
    terms.forEach((term, i) => {
      const coefficients = draw[term.parameter];
      const total = values[terms.length];
      for (let t = 0; t < periods; t++) {
        let effect = 0;
        for (let j = 0; j < term.width; j++) effect += coefficients[j] * rows[i][t * term.width + j];
        values[i][t * D + d] = effect * unit;
        total[t * D + d] += effect * unit;
      }
    });
  }
  const out: TimeEffectRow[] = [];
  const scratch = new Float64Array(D);
  components.forEach((component, i) => {
    for (let t = 0; t < periods; t++) {
      out.push({
        component,
        date: t < T ? design.dates[t] : dateAfter(design.dates, t - T + 1),
        unit: 'kpi',
        extrapolated: t >= T,
        ...summarizeValues(values[i].subarray(t * D, (t + 1) * D), scratch),
      });
    }
  });
  return out;
}
