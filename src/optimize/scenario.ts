/**
 * Scenarios ("what if"): the posterior distribution of the KPI over the planning window under a
 * spend plan and under the current plan, and of the incremental KPI between them, from the paired
 * draws (the same posterior draw under both plans, so shared uncertainty such as the baseline
 * cancels in the difference). Every posterior draw is used unless `maxDraws` says otherwise.
 * Per entry: spend, the entry's incremental KPI in the window (over zero window spend on it;
 * carryover from before the window is not credited to the plan) and its marginal ROI
 * (d KPI / d spend, per draw) under both plans. The planning-window convention is window.ts's.
 */
import type { MmmModelConfig, MmmDesign } from '../../models/mmm/index.js';
import { summarizeValues, type DrawSummary, type TimeExtrapolation } from '../analysis/index.js';
import type { FuturePeriods } from './future.js';
import type { Posterior } from '../ppl/index.js';
import { hostResponseModel, type HostResponseModel } from './hostResponse.js';
import { resolvePlan, type PlanSpec } from './plan.js';
import { planningWindow, type PlanEntry, type PlanLevel, type WindowOptions } from './window.js';
import { windowDraws, type OutcomeUnit } from './windowDraws.js';

export interface WindowSummary {
  readonly level: PlanLevel;
  readonly periods: number;
  readonly from: string;
  readonly to: string;
  /** Future periods (future.ts): the file they come from, the fitted data's last date, how each time effect was extrapolated. */
  readonly future?: FutureWindowSummary;
}

export interface FutureWindowSummary {
  readonly source: string;
  readonly fittedTo: string;
  readonly timeEffects: readonly TimeExtrapolation[];
  /** With --future-follows: the file's own dates, which the window's dates stand for. */
  readonly fileDates?: { readonly from: string; readonly to: string };
}

export interface EntryComparisonRow {
  readonly channel: string;
  readonly geo?: string;
  /** An organic channel's entry (no spend, held at its data): left out of the plan tables and files. */
  readonly organic?: boolean;
  /** Spend over the window, currency. */
  readonly current: number;
  readonly plan: number;
  /** The entry's incremental KPI (or revenue) in the window over zero window spend on it. */
  readonly outcomeCurrent: DrawSummary;
  readonly outcomePlan: DrawSummary;
  /** Marginal ROI: d KPI (or revenue) / d spend, per currency unit. */
  readonly mroiCurrent: DrawSummary;
  readonly mroiPlan: DrawSummary;
}

export interface PlanComparison {
  readonly window: WindowSummary;
  readonly unit: OutcomeUnit;
  /** Posterior draws used. */
  readonly draws: number;
  readonly entries: readonly PlanEntry[];
  readonly current: Float64Array;
  readonly plan: Float64Array;
  /** The window's total KPI (baseline + media) under each plan. */
  readonly kpi: { readonly current: DrawSummary; readonly plan: DrawSummary };
  /** Plan minus current, per draw. */
  readonly uplift: DrawSummary;
  /** Fraction of draws in which the plan's KPI is above the current plan's. */
  readonly probabilityBeatsCurrent: number;
  readonly rows: readonly EntryComparisonRow[];
  readonly perDraw: { readonly current: Float64Array; readonly plan: Float64Array };
  readonly warnings: readonly string[];
}

export interface ScenarioOptions extends WindowOptions {
  readonly unit?: OutcomeUnit;
  /** Default: every draw. */
  readonly maxDraws?: number;
  /** Where the plan came from, for messages (e.g. its file name; default "plan"). */
  readonly planSource?: string;
}

export function windowSummary(model: HostResponseModel): WindowSummary {
  const w = model.data.window;
  return { level: w.level, periods: w.periods, from: w.dates[0], to: w.dates[w.dates.length - 1], ...(w.future ? { future: futureSummary(w.future) } : {}) };
}

export function futureSummary(future: FuturePeriods): FutureWindowSummary {
  return { source: future.source, fittedTo: future.fittedTo, timeEffects: future.timeEffects, ...(future.fileDates ? { fileDates: future.fileDates } : {}) };
}

/** Summary of the paired difference a - b and the fraction of draws with a > b. */
export function pairedDifference(a: Float64Array, b: Float64Array): { summary: DrawSummary; probabilityAbove: number } {
  const difference = a.map((x, d) => x - b[d]);
  let above = 0;
  for (const x of difference) if (x > 0) above++;
  return { summary: summarizeValues(difference), probabilityAbove: above / difference.length };
}

/** Compare `plan` with `reference` (default the window's current plan) on every draw of `model`. */
export function comparePlans(model: HostResponseModel, plan: Float64Array, reference: Float64Array = model.data.window.current): PlanComparison {
  const window = model.data.window;
  const D = model.drawCount;
  const P = model.planSize;
  const atPlan = model.breakdown(plan);
  const atCurrent = model.breakdown(reference);
  const planKpi = atPlan.outcome;
  const currentKpi = atCurrent.outcome;
  const zero = model.entryOutcomes(new Float64Array(P));
  const planEntries = atPlan.entries;
  const currentEntries = atCurrent.entries;
  const planMarginal = atPlan.marginal;
  const currentMarginal = atCurrent.marginal;
  const column = (values: Float64Array, p: number, minus?: Float64Array) => Float64Array.from({ length: D }, (_, d) => values[d * P + p] - (minus ? minus[d * P + p] : 0));
  const scratch = new Float64Array(D);
  const rows: EntryComparisonRow[] = window.entries.map((entry, p) => ({
    channel: entry.channel,
    ...(entry.geo !== undefined ? { geo: entry.geo } : {}),
    ...(window.organic[p] ? { organic: true } : {}),
    current: reference[p],
    plan: plan[p],
    outcomeCurrent: summarizeValues(column(currentEntries, p, zero), scratch),
    outcomePlan: summarizeValues(column(planEntries, p, zero), scratch),
    mroiCurrent: summarizeValues(column(currentMarginal, p), scratch),
    mroiPlan: summarizeValues(column(planMarginal, p), scratch),
  }));
  const difference = pairedDifference(planKpi, currentKpi);
  return {
    window: windowSummary(model),
    unit: model.data.unit,
    draws: D,
    entries: window.entries,
    current: Float64Array.from(reference),
    plan: Float64Array.from(plan),
    kpi: { current: summarizeValues(currentKpi, scratch), plan: summarizeValues(planKpi, scratch) },
    uplift: difference.summary,
    probabilityBeatsCurrent: difference.probabilityAbove,
    rows,
    perDraw: { current: currentKpi, plan: planKpi },
    warnings: window.warnings,
  };
}

/**
 * The posterior of the window's KPI under a plan (a plan spec, see plan.ts, or spend per entry)
 * versus the current plan.
 */
export function evaluateScenario(
  design: MmmDesign,
  config: MmmModelConfig,
  posterior: Posterior,
  plan: PlanSpec | Float64Array,
  options: ScenarioOptions = {},
): PlanComparison {
  const spec = plan instanceof Float64Array ? undefined : plan;
  const level: PlanLevel = options.level ?? (spec?.geos && Object.keys(spec.geos).length > 0 ? 'geo' : 'channel');
  if (options.periods !== undefined && spec?.periods !== undefined && options.periods !== spec.periods) {
    throw new Error(`${options.planSource ?? 'scenario'}: the plan's periods (${spec.periods}) and the requested periods (${options.periods}) differ`);
  }
  const window = planningWindow(design, { periods: options.periods ?? spec?.periods, level, future: options.future });
  const spend = spec ? resolvePlan(window, spec, options.planSource) : (plan as Float64Array);
  if (spend.length !== window.entries.length) throw new Error(`scenario: the plan has ${spend.length} entries, the ${level}-level window ${window.entries.length}`);
  spend.forEach((x, p) => {
    if (!(x >= 0 && Number.isFinite(x))) throw new Error(`scenario: spend of entry ${p + 1} must be a finite number >= 0, got ${x}`);
  });
  const model = hostResponseModel(windowDraws(design, config, posterior, window, { unit: options.unit, maxDraws: options.maxDraws, effectivenessPeriods: options.effectivenessPeriods }));
  return comparePlans(model, spend);
}
