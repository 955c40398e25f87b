/**
 * The budget allocation the report shows (src/charts/budget.ts `BudgetAllocation`), read from the
 * allocation.json that `mixwell optimize` writes (src/optimize/report.ts `allocationJson`): spend
 * per channel now and proposed (geo-level plans summed by channel), the uplift's mean and 90%
 * interval, P(proposed beats current), the planning window, the objective, the outcome unit and,
 * with time-varying channels, the latest fitted periods whose mean effectiveness planned them.
 *
 * Where it is found: `mixwell optimize DIR` writes to DIR/optimize/ unless given --out, so the
 * report of DIR looks for DIR/optimize/allocation.json (`defaultAllocationPath`) unless another
 * file is named. Nothing is guessed: a malformed file is an error naming the file and the field,
 * and an allocation that does not fit the run (a channel the run does not have, a window outside
 * its dates) is an error too, since it was made from another run.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AllocationRow } from '../analysis/index.js';
import { TEXT, type BudgetAllocation } from '../charts/index.js';

/** Where `mixwell optimize DIR` writes its allocation by default, relative to the run directory. */
export const ALLOCATION_FILE = join('optimize', 'allocation.json');

export function defaultAllocationPath(runDir: string): string {
  return join(runDir, ALLOCATION_FILE);
}

/** The JSON field readers allocation.json and tradeoff.json share (tradeoffFile.ts). */
export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function finite(value: unknown, source: string, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${source}: ${field} must be a finite number, got ${JSON.stringify(value)}`);
  return value;
}

export function text(value: unknown, source: string, field: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`${source}: ${field} must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

interface SpendEntry {
  readonly channel: string;
  readonly geo?: string;
  readonly spend: number;
}

function spendList(value: unknown, source: string, field: string): SpendEntry[] {
  if (!Array.isArray(value) || value.length === 0) throw new Error(`${source}: ${field} must be a non-empty list of {channel, spend}`);
  return value.map((entry, i) => {
    if (!isObject(entry)) throw new Error(`${source}: ${field}[${i}] must be an object {channel, spend}`);
    const spend = finite(entry.spend, source, `${field}[${i}].spend`);
    if (spend < 0) throw new Error(`${source}: ${field}[${i}].spend must be >= 0, got ${spend}`);
    return { channel: text(entry.channel, source, `${field}[${i}].channel`), ...(entry.geo !== undefined ? { geo: text(entry.geo, source, `${field}[${i}].geo`) } : {}), spend };
  });
}

/** Channel totals of a plan and its current plan, entry by entry (the two lists must name the same entries in the same order). */
function channelRows(plan: readonly SpendEntry[], current: readonly SpendEntry[], source: string): AllocationRow[] {
  if (plan.length !== current.length) throw new Error(`${source}: plan has ${plan.length} entries but currentPlan has ${current.length}`);
  const rows: { channel: string; current: number; proposed: number }[] = [];
  plan.forEach((entry, p) => {
    const other = current[p];
    if (other.channel !== entry.channel || other.geo !== entry.geo) {
      const name = (e: SpendEntry) => (e.geo !== undefined ? `${e.geo}/${e.channel}` : e.channel);
      throw new Error(`${source}: plan[${p}] is ${name(entry)} but currentPlan[${p}] is ${name(other)}`);
    }
    let row = rows.find((r) => r.channel === entry.channel);
    if (!row) rows.push((row = { channel: entry.channel, current: 0, proposed: 0 }));
    row.current += other.spend;
    row.proposed += entry.spend;
  });
  return rows;
}

/**
 * A budget allocation from allocation.json's content (or `optimize.allocationJson(result)` in
 * memory). Required: `plan`, `currentPlan`, `uplift` {mean, q05, q95}, `probabilityBeatsCurrent`
 * and `window` {level, periods, from, to}; `objective.description`, `unit`, `draws` and
 * `effectiveness` {channels, periods, from, to} are read when present.
 */
export function budgetAllocationFromJson(json: unknown, source = 'allocation'): BudgetAllocation {
  if (!isObject(json)) throw new Error(`${source}: expected a JSON object (the allocation.json written by mixwell optimize)`);
  const rows = channelRows(spendList(json.plan, source, 'plan'), spendList(json.currentPlan, source, 'currentPlan'), source);
  if (!isObject(json.uplift)) throw new Error(`${source}: uplift must be an object {mean, q05, q95}`);
  const uplift = { mean: finite(json.uplift.mean, source, 'uplift.mean'), q05: finite(json.uplift.q05, source, 'uplift.q05'), q95: finite(json.uplift.q95, source, 'uplift.q95') };
  if (uplift.q05 > uplift.q95) throw new Error(`${source}: uplift.q05 (${uplift.q05}) is above uplift.q95 (${uplift.q95})`);
  const pBeatsCurrent = finite(json.probabilityBeatsCurrent, source, 'probabilityBeatsCurrent');
  if (pBeatsCurrent < 0 || pBeatsCurrent > 1) throw new Error(`${source}: probabilityBeatsCurrent must be in [0, 1], got ${pBeatsCurrent}`);
  if (!isObject(json.window)) throw new Error(`${source}: window must be an object {level, periods, from, to}`);
  const periods = finite(json.window.periods, source, 'window.periods');
  if (!Number.isInteger(periods) || periods < 1) throw new Error(`${source}: window.periods must be a positive integer, got ${periods}`);
  const window = { level: text(json.window.level, source, 'window.level'), periods, from: text(json.window.from, source, 'window.from'), to: text(json.window.to, source, 'window.to'), ...futureOfWindow(json.window) };
  if (json.unit !== undefined && json.unit !== 'kpi' && json.unit !== 'revenue') throw new Error(`${source}: unit must be "kpi" or "revenue", got ${JSON.stringify(json.unit)}`);
  const objective = isObject(json.objective) && typeof json.objective.description === 'string' ? json.objective.description : undefined;
  const draws = json.draws === undefined ? undefined : finite(json.draws, source, 'draws');
  const effectiveness = json.effectiveness === undefined ? undefined : effectivenessWindow(json.effectiveness, source);
  return { rows, uplift, pBeatsCurrent, window, unit: json.unit as 'kpi' | 'revenue' | undefined, objective, draws, source, ...(effectiveness ? { effectiveness } : {}) };
}

/** allocation.json's `effectiveness` {channels, periods, from, to} (src/optimize/windowDraws.ts `EffectivenessWindow`), checked. */
function effectivenessWindow(value: unknown, source: string): NonNullable<BudgetAllocation['effectiveness']> {
  if (!isObject(value)) throw new Error(`${source}: effectiveness must be an object {channels, periods, from, to}`);
  if (!Array.isArray(value.channels) || value.channels.length === 0) throw new Error(`${source}: effectiveness.channels must be a non-empty list of channel names`);
  const channels = value.channels.map((name, i) => text(name, source, `effectiveness.channels[${i}]`));
  const periods = finite(value.periods, source, 'effectiveness.periods');
  if (!Number.isInteger(periods) || periods < 1) throw new Error(`${source}: effectiveness.periods must be a positive integer, got ${periods}`);
  return { channels, periods, from: text(value.from, source, 'effectiveness.from'), to: text(value.to, source, 'effectiveness.to') };
}

/** Read and check an allocation.json. */
export function readBudgetAllocation(path: string): BudgetAllocation {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: cannot read the allocation: ${(error as Error).message}`);
  }
  return budgetAllocationFromJson(json, path);
}

/**
 * Errors when the allocation cannot belong to a run with these channels and dates: a channel the
 * run does not have, a planning window that is not the last `periods` dates of the run, or an
 * effectiveness window that is not `periods` consecutive dates of the run.
 */
export function allocationMismatch(allocation: BudgetAllocation, channelNames: readonly string[], dates: readonly string[]): string[] {
  const source = allocation.source ?? 'allocation';
  const problems: string[] = [];
  for (const row of allocation.rows) {
    if (!channelNames.includes(row.channel)) problems.push(`${source}: channel "${row.channel}" is not a channel of the run (${channelNames.join(', ')})`);
  }
  const window = allocation.window && windowMismatch(allocation.window, dates, source);
  if (window) problems.push(window);
  const e = allocation.effectiveness;
  if (e) {
    for (const channel of e.channels) if (!channelNames.includes(channel)) problems.push(`${source}: effectiveness.channels names "${channel}", not a channel of the run (${channelNames.join(', ')})`);
    const from = dates.indexOf(e.from);
    const to = dates.indexOf(e.to);
    if (from < 0 || to < 0 || to - from + 1 !== e.periods) problems.push(`${source}: the effectiveness window ${e.from} .. ${e.to} (${e.periods} periods) is not ${e.periods} consecutive periods of the run`);
  }
  return problems;
}

/** `{ future: source }` when a stored window is over future periods (optimize --future), else nothing. */
export function futureOfWindow(window: Record<string, unknown>): { future?: string } {
  return isObject(window.future) && typeof window.future.source === 'string' ? { future: window.future.source } : {};
}

/** Why a planning window {periods, from, to} is not the last `periods` dates of a run (undefined when it is). */
export function windowMismatch(w: { readonly periods: number; readonly from: string; readonly to: string; readonly future?: string }, dates: readonly string[], source: string): string | undefined {
  if (w.future !== undefined) {
    return `${source}: the planning window ${w.from} .. ${w.to} is future periods (from ${w.future}); the report shows allocations over the run's own periods only`;
  }
  const start = dates.length - w.periods;
  if (start < 0) return `${source}: the planning window has ${w.periods} periods but the run has ${dates.length}`;
  if (dates[start] !== w.from || dates[dates.length - 1] !== w.to) {
    return `${source}: the planning window ${w.from} .. ${w.to} is not the run's last ${w.periods} periods (${dates[start]} .. ${dates[dates.length - 1]})`;
  }
  return undefined;
}

/**
 * The proposed spend can be marked on the report's response curves only when the allocation
 * covers the whole data period: the curves' x is total spend over all periods.
 */
export function allocationCoversData(allocation: BudgetAllocation, periods: number): boolean {
  return allocation.window === undefined || allocation.window.periods === periods;
}

/** True when `allocationPath` was written before the run's draws (it may come from an earlier fit into the same directory). */
export function allocationOlderThanRun(allocationPath: string, runDir: string): boolean {
  const draws = join(runDir, 'draws.arrow');
  return existsSync(draws) && existsSync(allocationPath) && statSync(allocationPath).mtimeMs < statSync(draws).mtimeMs;
}

export interface ReportBudgetOptions {
  /** A budget allocation given directly (e.g. from `optimize.allocationJson(result)`); wins over `allocation`. */
  readonly budget?: BudgetAllocation;
  /**
   * The allocation.json of a budget optimization to show in the report's budget section. Default:
   * DIR/optimize/allocation.json when it exists (where `mixwell optimize DIR` writes by default);
   * false: no budget section.
   */
  readonly allocation?: string | false;
}

/**
 * The budget allocation the report of run directory `runDir` shows: given, named, or found at
 * DIR/optimize/allocation.json, and checked against the run's channels and dates (an allocation
 * from another run is an error). Warns when the file is older than the run's draws.
 */
export function reportBudget(
  runDir: string,
  run: { readonly channelNames: readonly string[]; readonly dates: readonly string[] },
  options: ReportBudgetOptions = {},
): { budget?: BudgetAllocation; allocation?: string; warnings: string[] } {
  if (options.budget) return { budget: options.budget, warnings: [] };
  if (options.allocation === false) return { warnings: [] };
  const path = options.allocation ?? defaultAllocationPath(runDir);
  if (options.allocation === undefined && !existsSync(path)) return { warnings: [] };
  const budget = readBudgetAllocation(path);
  const problems = allocationMismatch(budget, run.channelNames, run.dates);
  if (problems.length > 0) throw new Error(`${problems.join('\n')}\n(the allocation was made from another run: rerun mixwell optimize ${runDir}, or pass no allocation)`);
  return { budget, allocation: path, warnings: allocationOlderThanRun(path, runDir) ? [TEXT.cli.allocationOlder(path)] : [] };
}
