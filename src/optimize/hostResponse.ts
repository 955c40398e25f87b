/**
 * The planning window's response model on the host in float64 (the reference for the tfjs
 * version): per-draw KPI over the window under a plan, per-entry contributions, and the exact
 * analytic gradient (chain rule through the saturation; adstock is linear in the plan, see
 * windowDraws.ts). The saturation is the model's saturation kind (models/mmm components: its curve
 * and slope dh/da at each draw's parameters; Jin et al. 2017, section 2.2). At zero adstock h is 0,
 * and dh/da is taken at a = 1e-30 (finite; the tensor version's floor), so a channel at zero spend
 * still has a direction to move. A saturation-first channel's cells follow windowDraws.ts's second
 * form: sum_i vw_i h(x m_i) + the saturated carryover, gradient sum_i vw_i h'(x m_i) m_i, with vw
 * recomputed from the weights and values in each sweep (L multiply-adds per cell and period).
 */
import { isPerDrawPlan, type ResponseModel } from './responseModel.js';
import type { WindowDraws } from './windowDraws.js';

/** Adstock floor at which the saturation's derivative is taken when the adstock is zero. */
export const ADSTOCK_FLOOR = 1e-30;

export interface HostResponseModel extends ResponseModel {
  readonly data: WindowDraws;
  /** [D, P] the window's KPI from each entry's cells (carryover into the window included), without the baseline. */
  entryOutcomes(plan: Float64Array): Float64Array;
  /** [D, P] d outcome_d / d plan_p: the marginal return of one more currency unit on each entry, per draw. */
  marginalReturns(plan: Float64Array): Float64Array;
  /** evaluate, entryOutcomes and marginalReturns of one plan in one pass. */
  breakdown(plan: Float64Array): { readonly outcome: Float64Array; readonly entries: Float64Array; readonly marginal: Float64Array };
}

interface SweepOutputs {
  outcome?: Float64Array;
  entries?: Float64Array;
  weights?: Float64Array;
  gradient?: Float64Array;
  /** The gradient as [D, P] rows (per-draw plans, or marginal returns of a shared plan). */
  gradientRows?: boolean;
}

/**
 * ain[d, g, c, j] (windowDraws.ts) precomputed for every draw, or undefined above `maxValues`
 * values (then it is recomputed from the adstock weights in every sweep, L multiply-adds per cell).
 */
function precomputeAin(data: WindowDraws, maxValues: number): Float64Array | undefined {
  const { window, weights } = data;
  const G = window.geoNames.length;
  const C = window.channelNames.length;
  const N = window.periods;
  const L = data.maxLag;
  const D = data.drawIndices.length;
  if (D * G * C * N > maxValues) return undefined;
  const mps = window.mediaPerSpend;
  const out = new Float64Array(D * G * C * N);
  for (let d = 0; d < D; d++) {
    for (let cell = 0; cell < G * C; cell++) {
      const w0 = (d * C + (cell % C)) * L;
      const base = (d * G * C + cell) * N;
      for (let j = 0; j < N; j++) {
        let ain = 0;
        const top = j < L - 1 ? j : L - 1;
        for (let l = 0; l <= top; l++) ain += weights[w0 + l] * mps[cell * N + j - l];
        out[base + j] = ain;
      }
    }
  }
  return out;
}

function sweep(data: WindowDraws, ainCache: Float64Array | undefined, plan: Float64Array, perDraw: boolean, out: SweepOutputs): void {
  const { window, weights, curves, scale, value, carry, baseline, saturationFirst, rf, rfFrequency, rfReachFactor } = data;
  const G = window.geoNames.length;
  const C = window.channelNames.length;
  const N = window.periods;
  const P = window.entries.length;
  const L = data.maxLag;
  const Lc = data.carryPeriods;
  const D = data.drawIndices.length;
  const mps = window.mediaPerSpend;
  const cellEntry = window.entryOfCell;
  const needGradient = out.gradient !== undefined;
  if (out.gradient) out.gradient.fill(0);
  if (out.entries) out.entries.fill(0);
  for (let d = 0; d < D; d++) {
    const planOffset = perDraw ? d * P : 0;
    const weight = out.weights ? out.weights[d] : 1;
    const gradOffset = out.gradientRows ? d * P : 0;
    let total = baseline[d];
    for (let c = 0; c < C; c++) {
      const w0 = (d * C + c) * L;
      const curve = curves[d * C + c];
      for (let g = 0; g < G; g++) {
        const cell = g * C + c;
        const p = cellEntry[cell];
        const x = plan[planOffset + p];
        const b = scale[d * G * C + cell];
        const m0 = cell * N;
        const carryBase = (d * G * C + cell) * Lc;
        const ainBase = (d * G * C + cell) * N;
        let cellTotal = 0;
        let cellGradient = 0;
        if (saturationFirst[c]) {
          for (let i = 0; i < N; i++) {
            let vw = 0;
            const top = N - 1 - i < L - 1 ? N - 1 - i : L - 1;
            for (let l = 0; l <= top; l++) vw += weights[w0 + l] * value[g * N + i + l];
            if (rf[c]) {
              // reach and frequency: linear in the plan, x reach per spend h(frequency)
              const f = rfFrequency[m0 + i];
              const reachPerSpend = mps[m0 + i] * rfReachFactor[m0 + i];
              const slope = f > 0 && reachPerSpend > 0 ? vw * reachPerSpend * curve.value(f) : 0;
              cellTotal += x * slope;
              cellGradient += slope;
              continue;
            }
            const m = mps[m0 + i];
            const level = x * m;
            const at = level > 0 ? level : ADSTOCK_FLOOR;
            const h = curve.value(at);
            if (level > 0) cellTotal += vw * h;
            if (needGradient) cellGradient += vw * curve.slope(at, h) * m;
          }
          for (let j = 0; j < Lc; j++) cellTotal += value[g * N + j] * carry[carryBase + j];
          total += b * cellTotal;
          if (out.entries) out.entries[d * P + p] += b * cellTotal;
          if (out.gradient) out.gradient[gradOffset + p] += weight * b * cellGradient;
          continue;
        }
        for (let j = 0; j < N; j++) {
          let ain: number;
          if (ainCache) ain = ainCache[ainBase + j];
          else {
            ain = 0;
            const top = j < L - 1 ? j : L - 1;
            for (let l = 0; l <= top; l++) ain += weights[w0 + l] * mps[m0 + j - l];
          }
          const a = x * ain + (j < Lc ? carry[carryBase + j] : 0);
          const v = value[g * N + j];
          const at = a > 0 ? a : ADSTOCK_FLOOR;
          const h = curve.value(at);
          if (a > 0) cellTotal += v * h;
          if (needGradient) cellGradient += v * curve.slope(at, h) * ain;
        }
        total += b * cellTotal;
        if (out.entries) out.entries[d * P + p] += b * cellTotal;
        if (out.gradient) out.gradient[gradOffset + p] += weight * b * cellGradient;
      }
    }
    if (out.outcome) out.outcome[d] = total;
  }
}

/** Default cap on the precomputed adstock table (2^23 float64 values, 64 MB). */
export const HOST_CACHE_VALUES = 1 << 23;

export function hostResponseModel(data: WindowDraws, options: { readonly maxCachedValues?: number } = {}): HostResponseModel {
  const ain = precomputeAin(data, options.maxCachedValues ?? HOST_CACHE_VALUES);
  const D = data.drawIndices.length;
  const P = data.window.entries.length;
  const model: HostResponseModel = {
    data,
    drawCount: D,
    planSize: P,
    evaluate(plan) {
      const outcome = new Float64Array(D);
      sweep(data, ain, plan, isPerDrawPlan(model, plan), { outcome });
      return outcome;
    },
    gradient(plan, weights) {
      if (weights.length !== D) throw new Error(`response model: ${D} weights expected, got ${weights.length}`);
      const perDraw = isPerDrawPlan(model, plan);
      const gradient = new Float64Array(perDraw ? D * P : P);
      sweep(data, ain, plan, perDraw, { weights, gradient, gradientRows: perDraw });
      return gradient;
    },
    entryOutcomes(plan) {
      const entries = new Float64Array(D * P);
      sweep(data, ain, plan, isPerDrawPlan(model, plan), { entries });
      return entries;
    },
    marginalReturns(plan) {
      const perDraw = isPerDrawPlan(model, plan);
      const gradient = new Float64Array(D * P);
      sweep(data, ain, plan, perDraw, { gradient, gradientRows: true });
      return gradient;
    },
    breakdown(plan) {
      const outcome = new Float64Array(D);
      const entries = new Float64Array(D * P);
      const marginal = new Float64Array(D * P);
      sweep(data, ain, plan, isPerDrawPlan(model, plan), { outcome, entries, gradient: marginal, gradientRows: true });
      return { outcome, entries, marginal };
    },
    dispose() {},
  };
  return model;
}
