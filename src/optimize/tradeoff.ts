/**
 * Two-channel trade-off ("allocation boundary"): for channels A and B at a fixed combined spend
 * (the current plan's A + B over the planning window; every other channel at the current plan),
 * the posterior of the window's KPI (or revenue) over a grid of splits s = A / (A + B), each split
 * compared with the current plan on the same posterior draws: mean and 90% interval of the KPI and
 * of the paired uplift over the current plan, P(split beats current) = the fraction of draws in
 * which the split's KPI is above the current plan's, and the optimizer's objective (objectives.ts).
 * This is the one-dimensional slice of the fixed-budget problem of optimize.ts through the current
 * plan along the direction that moves spend from B to A, drawn by hand in Meridian-style budget
 * reviews; the outcome is the response model the optimizer and scenarios use (hostResponse.ts over
 * windowDraws.ts: carryover, planning window and the channel's spend pattern as in window.ts).
 *
 * - The slice is taken on a channel-level plan: each channel keeps its spend pattern over geos and
 *   periods (window.ts). Under a geo-level plan (`level: 'geo'`) only the bounds differ: the
 *   channel's range is the sum of its geo entries' bounds.
 * - Bounds (bounds.ts), when given, restrict the splits to those where both channels stay within
 *   theirs: A in [max(lower_A, T - upper_B), min(upper_A, T - lower_B)], T = A + B (one split
 *   when that range is a point, e.g. a channel held fixed). Without bounds the grid spans every
 *   split, 0 to 1.
 * - The current split is always a row (marked `isCurrent`; its plan is the current plan itself, so
 *   its uplift is 0 in every draw and P(beats current) is 0). A grid point within 1e-9 of it is
 *   merged into it.
 * - The optimum (`isOptimum`) is the best objective over the in-bounds splits: the best grid point,
 *   refined by golden-section search (Kiefer 1953, "Sequential minimax search for a maximum",
 *   Proc. AMS 4(3)) between its two neighbours on the grid, kept only when it scores better. With
 *   Hill slopes above 1 the slice need not be unimodal; the grid is what guards against a local
 *   maximum, so the grid should be fine enough to see every bump (default 41 points).
 */
import type { MmmDesign, MmmModelConfig } from '../../models/mmm/index.js';
import { summarizeValues } from '../analysis/index.js';
import type { Posterior } from '../ppl/index.js';
import { formatMoney } from './amounts.js';
import { resolveBounds, type BoundsSpec } from './bounds.js';
import { hostResponseModel, type HostResponseModel } from './hostResponse.js';
import { checkObjective, describeObjective, MEAN_OBJECTIVE, objectiveValue, type Objective } from './objectives.js';
import { windowSummary, type WindowSummary } from './scenario.js';
import { channelTotals, planningWindow, unplannableReason, type WindowOptions } from './window.js';
import { windowDraws, type OutcomeUnit } from './windowDraws.js';

export interface TradeoffOptions extends WindowOptions {
  /** Splits on the grid, ends included (default 41; at least 2). */
  readonly points?: number;
  /** Bounds as for the optimizer (default: none, every split from 0 to 1). */
  readonly bounds?: BoundsSpec;
  readonly boundsSource?: string;
  /** What the optimum maximizes (default: the posterior mean). */
  readonly objective?: Objective;
  readonly unit?: OutcomeUnit;
  /**
   * Draws used, evenly thinned (default 500, the optimizer's working draws: every split costs a
   * pass over the draws, cells and periods, about 70 passes in all; P(beats current) from 500
   * draws has a Monte Carlo standard error of at most 0.022).
   */
  readonly maxDraws?: number;
  /** Refine the best grid point by golden-section search (default true). */
  readonly refine?: boolean;
}

export interface TradeoffRow {
  readonly channelA: string;
  readonly channelB: string;
  /** A's share of the pair's total spend. */
  readonly share: number;
  /** Spend over the window, currency; spendA + spendB is the pair's total. */
  readonly spendA: number;
  readonly spendB: number;
  /** The window's total KPI (or revenue), baseline included. */
  readonly kpiMean: number;
  readonly kpiQ05: number;
  readonly kpiQ95: number;
  /** KPI under the split minus KPI under the current plan, per draw. */
  readonly upliftMean: number;
  readonly upliftQ05: number;
  readonly upliftQ95: number;
  /** Fraction of draws in which the split's KPI is above the current plan's. */
  readonly pBeatsCurrent: number;
  /** The objective over the draws at this split. */
  readonly objective: number;
  readonly isCurrent: boolean;
  readonly isOptimum: boolean;
  /** False only for the current split when the bounds exclude it. */
  readonly withinBounds: boolean;
}

export interface TradeoffResult {
  readonly channels: readonly [string, string];
  /** The pair's combined spend over the window (the current plan's A + B). */
  readonly total: number;
  readonly currentShare: number;
  /** The splits the bounds allow (0 and 1 without bounds). */
  readonly shareRange: { readonly lower: number; readonly upper: number };
  readonly bounded: boolean;
  readonly optimum: { readonly share: number; readonly spendA: number; readonly spendB: number; readonly refined: boolean };
  readonly window: WindowSummary;
  readonly unit: OutcomeUnit;
  readonly draws: number;
  readonly objective: Objective;
  readonly objectiveDescription: string;
  /** Sorted by share. */
  readonly rows: readonly TradeoffRow[];
  readonly warnings: readonly string[];
}

/** A and B by name, checked against the window's channels: two different, known, plannable channels. */
export function tradeoffChannels(channelNames: readonly string[], channels: readonly string[], source = 'tradeoff'): [number, number] {
  if (channels.length !== 2) throw new Error(`${source}: needs exactly two channels, got ${channels.length} (${channels.join(', ')})`);
  const unknown = channels.filter((name) => !channelNames.includes(name));
  if (unknown.length > 0) throw new Error(`${source}: unknown channel${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; the run's channels are ${channelNames.join(', ')}`);
  if (channels[0] === channels[1]) throw new Error(`${source}: channel "${channels[0]}" is named twice; name two different channels`);
  return [channelNames.indexOf(channels[0]), channelNames.indexOf(channels[1])];
}

const INV_PHI = (Math.sqrt(5) - 1) / 2;

/** Default draws of `twoChannelTradeoff` (evenly thinned). */
export const TRADEOFF_DRAWS = 500;

/**
 * The trade-off on a channel-level response model. `lower` / `upper` are per-channel spend bounds
 * over the window ([C]; omit for every split from 0 to 1).
 */
export function pairTradeoff(
  model: HostResponseModel,
  channels: readonly [string, string],
  options: { readonly points?: number; readonly lower?: ArrayLike<number>; readonly upper?: ArrayLike<number>; readonly objective?: Objective; readonly refine?: boolean } = {},
): TradeoffResult {
  const window = model.data.window;
  if (window.level !== 'channel') throw new Error('tradeoff: needs a channel-level planning window');
  const [a, b] = tradeoffChannels(window.channelNames, channels);
  const objective = checkObjective(options.objective ?? MEAN_OBJECTIVE);
  const points = options.points ?? 41;
  if (!(Number.isInteger(points) && points >= 2)) throw new Error(`tradeoff: points must be an integer >= 2, got ${points}`);
  for (const p of [a, b]) {
    if (!window.plannable[p]) throw new Error(`tradeoff: ${unplannableReason(window, p)}`);
  }
  const current = window.current;
  const total = current[a] + current[b];
  if (!(total > 0)) throw new Error(`tradeoff: ${channels[0]} and ${channels[1]} have no spend in the planning window; there is no total to split`);
  const currentShare = current[a] / total;

  const bounded = options.lower !== undefined || options.upper !== undefined;
  let lowA = 0;
  let highA = total;
  if (bounded) {
    const lower = options.lower ?? new Float64Array(current.length);
    const upper = options.upper ?? Float64Array.from(current, () => Infinity);
    lowA = Math.max(lower[a], total - upper[b], 0);
    highA = Math.min(upper[a], total - lower[b], total);
    if (lowA > highA * (1 + 1e-12) + 1e-12) {
      throw new Error(
        `tradeoff: the bounds of ${channels[0]} (${formatMoney(lower[a])} to ${formatMoney(upper[a])}) and ${channels[1]} (${formatMoney(lower[b])} to ${formatMoney(upper[b])}) allow no split of their current total ${formatMoney(total)}`,
      );
    }
    highA = Math.max(highA, lowA);
  }
  const shareRange = { lower: lowA / total, upper: highA / total };
  const tolerance = 1e-9;
  const inBounds = (share: number) => share >= shareRange.lower - tolerance && share <= shareRange.upper + tolerance;

  const D = model.drawCount;
  const atCurrent = model.evaluate(current);
  const scratch = new Float64Array(D);
  const planAt = (share: number) => {
    if (Math.abs(share - currentShare) <= tolerance) return current;
    const plan = Float64Array.from(current);
    plan[a] = share * total;
    plan[b] = total - plan[a];
    return plan;
  };
  const score = (share: number) => objectiveValue(objective, model.evaluate(planAt(share)));
  const row = (share: number, flags: { isCurrent: boolean; isOptimum: boolean }): TradeoffRow => {
    const plan = planAt(share);
    const outcome = plan === current ? atCurrent : model.evaluate(plan);
    const uplift = outcome.map((x, d) => x - atCurrent[d]);
    let above = 0;
    for (let d = 0; d < D; d++) if (uplift[d] > 0) above++;
    const kpi = summarizeValues(outcome, scratch);
    const change = summarizeValues(uplift, scratch);
    return {
      channelA: channels[0],
      channelB: channels[1],
      share: plan === current ? currentShare : share,
      spendA: plan[a],
      spendB: plan[b],
      kpiMean: kpi.mean,
      kpiQ05: kpi.q05,
      kpiQ95: kpi.q95,
      upliftMean: change.mean,
      upliftQ05: change.q05,
      upliftQ95: change.q95,
      pBeatsCurrent: above / D,
      objective: objectiveValue(objective, outcome),
      ...flags,
      withinBounds: inBounds(share),
    };
  };

  // The grid, with the current split merged in.
  const width = shareRange.upper - shareRange.lower;
  const shares = width > tolerance ? Array.from({ length: points }, (_, i) => shareRange.lower + (width * i) / (points - 1)) : [shareRange.lower];
  const rows = shares.map((share) => row(share, { isCurrent: Math.abs(share - currentShare) <= tolerance, isOptimum: false }));
  if (!rows.some((r) => r.isCurrent)) rows.push(row(currentShare, { isCurrent: true, isOptimum: false }));
  rows.sort((x, y) => x.share - y.share);

  // The optimum: the best in-bounds row, refined between its grid neighbours.
  let best = -1;
  rows.forEach((r, i) => {
    if (r.withinBounds && (best < 0 || r.objective > rows[best].objective)) best = i;
  });
  let optimumShare = rows[best].share;
  let refined = false;
  if (options.refine !== false && rows.length > 1) {
    let lo = rows[Math.max(0, best - 1)].share;
    let hi = rows[Math.min(rows.length - 1, best + 1)].share;
    lo = Math.max(lo, shareRange.lower);
    hi = Math.min(hi, shareRange.upper);
    let x1 = hi - INV_PHI * (hi - lo);
    let x2 = lo + INV_PHI * (hi - lo);
    let f1 = score(x1);
    let f2 = score(x2);
    for (let iteration = 0; iteration < 60 && hi - lo > 1e-7; iteration++) {
      if (f1 >= f2) {
        hi = x2;
        x2 = x1;
        f2 = f1;
        x1 = hi - INV_PHI * (hi - lo);
        f1 = score(x1);
      } else {
        lo = x1;
        x1 = x2;
        f1 = f2;
        x2 = lo + INV_PHI * (hi - lo);
        f2 = score(x2);
      }
    }
    const candidate = f1 >= f2 ? x1 : x2;
    if (Math.max(f1, f2) > rows[best].objective && rows.every((r) => Math.abs(r.share - candidate) > tolerance)) {
      optimumShare = candidate;
      refined = true;
    }
  }
  if (refined) {
    rows.push(row(optimumShare, { isCurrent: false, isOptimum: true }));
    rows.sort((x, y) => x.share - y.share);
  } else {
    rows[best] = { ...rows[best], isOptimum: true };
  }
  const optimumRow = rows.find((r) => r.isOptimum)!;
  const warnings = [...window.warnings];
  if (!inBounds(currentShare)) warnings.push(`the current split (${(100 * currentShare).toFixed(1)}% to ${channels[0]}) is outside the bounds; it is shown for reference only`);
  return {
    channels: [channels[0], channels[1]],
    total,
    currentShare,
    shareRange,
    bounded,
    optimum: { share: optimumRow.share, spendA: optimumRow.spendA, spendB: optimumRow.spendB, refined },
    window: windowSummary(model),
    unit: model.data.unit,
    draws: D,
    objective,
    objectiveDescription: describeObjective(objective),
    rows,
    warnings,
  };
}

/**
 * The trade-off between `channels` = [A, B] on a run's posterior (see the module comment): builds
 * the channel-level planning window and its response model, resolves the bounds and calls `pairTradeoff`.
 */
export function twoChannelTradeoff(
  design: MmmDesign,
  config: MmmModelConfig,
  posterior: Posterior,
  channels: readonly string[],
  options: TradeoffOptions = {},
): TradeoffResult {
  const window = planningWindow(design, { periods: options.periods, level: 'channel', future: options.future });
  tradeoffChannels(window.channelNames, channels);
  let bounds: { lower: Float64Array; upper: Float64Array } | undefined;
  if (options.bounds) {
    if (options.level === 'geo') {
      const geoWindow = planningWindow(design, { periods: options.periods, level: 'geo', future: options.future });
      const resolved = resolveBounds(geoWindow, options.bounds, options.boundsSource);
      bounds = { lower: channelTotals(geoWindow, resolved.lower), upper: channelTotals(geoWindow, resolved.upper) };
    } else {
      bounds = resolveBounds(window, options.bounds, options.boundsSource);
    }
  }
  const model = hostResponseModel(windowDraws(design, config, posterior, window, { unit: options.unit, maxDraws: options.maxDraws ?? TRADEOFF_DRAWS, effectivenessPeriods: options.effectivenessPeriods }));
  return pairTradeoff(model, [channels[0], channels[1]], { points: options.points, objective: options.objective, refine: options.refine, ...(bounds ?? {}) });
}
