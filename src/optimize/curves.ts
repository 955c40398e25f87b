/**
 * Response curves over the planning window, per channel, with credible bands, and the points of
 * the current and proposed plans on them with their marginal ROI. A channel's curve is its
 * incremental KPI (or revenue) in the window over zero window spend on it, as its window spend
 * pattern is rescaled (window.ts), other channels unchanged (the model is additive over channels,
 * so the curve does not depend on them). Bands are the 90% interval over draws (drawSummary.ts).
 * Marginal ROI at a point is d outcome / d spend per draw (analytic, hostResponse.ts); for a
 * geo-level plan a channel's point and marginal ROI scale all its geos' proposed spend together,
 * so the point can sit slightly off the curve, which keeps the current geo split.
 */
import { summarizeValues, type DrawSummary } from '../analysis/index.js';
import type { HostResponseModel } from './hostResponse.js';
import type { OutcomeUnit } from './windowDraws.js';

export interface ResponseCurveRow extends DrawSummary {
  readonly channel: string;
  /** Total window spend on the channel, currency. */
  readonly spend: number;
  /** spend / current spend (NaN when the current spend is 0). */
  readonly multiplier: number;
  readonly unit: OutcomeUnit;
}

export interface CurvePointRow {
  readonly channel: string;
  readonly point: 'current' | 'proposed';
  readonly spend: number;
  readonly outcome: DrawSummary;
  readonly mroi: DrawSummary;
}

/**
 * Curve rows for every channel of a channel-level model: `points` spend levels from 0 to
 * maxSpend[c] per channel.
 */
export function responseCurveRows(model: HostResponseModel, maxSpend: Float64Array, points = 41): ResponseCurveRow[] {
  const window = model.data.window;
  if (window.level !== 'channel') throw new Error('responseCurveRows: needs a channel-level model');
  if (!(Number.isInteger(points) && points >= 2)) throw new Error(`response curves: points must be an integer >= 2, got ${points}`);
  const C = window.channelNames.length;
  const D = model.drawCount;
  const zero = model.entryOutcomes(new Float64Array(C));
  const values = new Float64Array(C * points * D);
  const plan = new Float64Array(C);
  for (let i = 0; i < points; i++) {
    for (let c = 0; c < C; c++) plan[c] = (maxSpend[c] * i) / (points - 1);
    const outcomes = model.entryOutcomes(plan);
    for (let c = 0; c < C; c++) for (let d = 0; d < D; d++) values[(c * points + i) * D + d] = outcomes[d * C + c] - zero[d * C + c];
  }
  const rows: ResponseCurveRow[] = [];
  const scratch = new Float64Array(D);
  for (let c = 0; c < C; c++) {
    const current = window.current[c];
    for (let i = 0; i < points; i++) {
      const spend = (maxSpend[c] * i) / (points - 1);
      rows.push({
        channel: window.channelNames[c],
        spend,
        multiplier: current > 0 ? spend / current : NaN,
        unit: model.data.unit,
        ...summarizeValues(values.subarray((c * points + i) * D, (c * points + i + 1) * D), scratch),
      });
    }
  }
  return rows;
}

/** Per channel: spend, incremental outcome and marginal ROI of a plan (any level). */
export function channelPointRows(model: HostResponseModel, plan: Float64Array, point: CurvePointRow['point']): CurvePointRow[] {
  const window = model.data.window;
  const C = window.channelNames.length;
  const P = model.planSize;
  const D = model.drawCount;
  const zero = model.entryOutcomes(new Float64Array(P));
  const { entries: outcomes, marginal } = model.breakdown(plan);
  const rows: CurvePointRow[] = [];
  const scratch = new Float64Array(D);
  for (let c = 0; c < C; c++) {
    const entries = window.entries.map((e, p) => (e.channelIndex === c ? p : -1)).filter((p) => p >= 0);
    let spend = 0;
    for (const p of entries) spend += plan[p];
    const outcome = new Float64Array(D);
    const mroi = new Float64Array(D);
    for (let d = 0; d < D; d++) {
      for (const p of entries) {
        outcome[d] += outcomes[d * P + p] - zero[d * P + p];
        // Scaling the channel's spend up proportionally: weights plan_p / spend (equal weights at zero spend).
        mroi[d] += marginal[d * P + p] * (spend > 0 ? plan[p] / spend : 1 / entries.length);
      }
    }
    rows.push({ channel: window.channelNames[c], point, spend, outcome: summarizeValues(outcome, scratch), mroi: summarizeValues(mroi, scratch) });
  }
  return rows;
}
