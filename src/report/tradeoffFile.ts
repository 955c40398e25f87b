/**
 * The two-channel trade-off the report shows (src/charts/tradeoff.ts `TradeoffChart`), read from
 * the tradeoff.json that `mixwell optimize DIR --tradeoff A,B` writes (src/optimize/report.ts
 * `tradeoffJson`): the pair, its combined spend, the rows (split, spend on each, the paired change
 * vs the current plan with its 90% interval, P(beats current), which split is current and which
 * best), the planning window, the objective and the outcome unit.
 *
 * Where it is found, as for the allocation (allocationFile.ts): DIR/optimize/tradeoff.json
 * (`defaultTradeoffPath`) unless another file is named. A malformed file is an error naming the
 * file and the field; one whose channels or window do not fit the run is an error too (it was made
 * from another run), and one older than the run's draws gets a warning.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEXT, type TradeoffChart, type TradeoffChartRow } from '../charts/index.js';
import { allocationOlderThanRun, finite, futureOfWindow, isObject, text, windowMismatch } from './allocationFile.js';

/** Where `mixwell optimize DIR --tradeoff A,B` writes the trade-off by default, relative to the run directory. */
export const TRADEOFF_FILE = join('optimize', 'tradeoff.json');

export function defaultTradeoffPath(runDir: string): string {
  return join(runDir, TRADEOFF_FILE);
}

const NUMBER_FIELDS = ['share', 'spendA', 'spendB', 'kpiMean', 'upliftMean', 'upliftQ05', 'upliftQ95', 'pBeatsCurrent'] as const;

function tradeoffRow(entry: unknown, source: string, field: string): TradeoffChartRow {
  if (!isObject(entry)) throw new Error(`${source}: ${field} must be an object {share, spendA, spendB, upliftMean, ...}`);
  const numbers = Object.fromEntries(NUMBER_FIELDS.map((name) => [name, finite(entry[name], source, `${field}.${name}`)])) as Record<(typeof NUMBER_FIELDS)[number], number>;
  if (numbers.share < 0 || numbers.share > 1) throw new Error(`${source}: ${field}.share must be in [0, 1], got ${numbers.share}`);
  if (numbers.pBeatsCurrent < 0 || numbers.pBeatsCurrent > 1) throw new Error(`${source}: ${field}.pBeatsCurrent must be in [0, 1], got ${numbers.pBeatsCurrent}`);
  if (numbers.upliftQ05 > numbers.upliftQ95) throw new Error(`${source}: ${field}.upliftQ05 (${numbers.upliftQ05}) is above ${field}.upliftQ95 (${numbers.upliftQ95})`);
  const flag = (name: 'isCurrent' | 'isOptimum') => {
    if (typeof entry[name] !== 'boolean') throw new Error(`${source}: ${field}.${name} must be true or false, got ${JSON.stringify(entry[name])}`);
    return entry[name] as boolean;
  };
  return { ...numbers, isCurrent: flag('isCurrent'), isOptimum: flag('isOptimum') };
}

/**
 * A trade-off chart from tradeoff.json's content (or `optimize.tradeoffJson(result)` in memory).
 * Required: `channels` [A, B], `total`, `rows` (one marked current) and `window` {level, periods,
 * from, to}; `objective.description`, `unit` and `draws` are read when present.
 */
export function tradeoffChartFromJson(json: unknown, source = 'tradeoff'): TradeoffChart {
  if (!isObject(json)) throw new Error(`${source}: expected a JSON object (the tradeoff.json written by mixwell optimize --tradeoff)`);
  if (!Array.isArray(json.channels) || json.channels.length !== 2) throw new Error(`${source}: channels must be a list of two channel names`);
  const channels = json.channels.map((name, i) => text(name, source, `channels[${i}]`));
  const total = finite(json.total, source, 'total');
  if (!(total > 0)) throw new Error(`${source}: total must be > 0, got ${total}`);
  if (!Array.isArray(json.rows) || json.rows.length === 0) throw new Error(`${source}: rows must be a non-empty list of splits`);
  const rows = json.rows.map((entry, i) => tradeoffRow(entry, source, `rows[${i}]`));
  if (rows.filter((r) => r.isCurrent).length !== 1) throw new Error(`${source}: exactly one row must be the current split (isCurrent)`);
  if (!isObject(json.window)) throw new Error(`${source}: window must be an object {level, periods, from, to}`);
  const periods = finite(json.window.periods, source, 'window.periods');
  if (!Number.isInteger(periods) || periods < 1) throw new Error(`${source}: window.periods must be a positive integer, got ${periods}`);
  const window = { level: text(json.window.level, source, 'window.level'), periods, from: text(json.window.from, source, 'window.from'), to: text(json.window.to, source, 'window.to'), ...futureOfWindow(json.window) };
  if (json.unit !== undefined && json.unit !== 'kpi' && json.unit !== 'revenue') throw new Error(`${source}: unit must be "kpi" or "revenue", got ${JSON.stringify(json.unit)}`);
  const objectiveDescription = isObject(json.objective) && typeof json.objective.description === 'string' ? json.objective.description : undefined;
  const draws = json.draws === undefined ? undefined : finite(json.draws, source, 'draws');
  return { channels, total, rows, window, unit: json.unit as 'kpi' | 'revenue' | undefined, objectiveDescription, draws, source };
}

/** Read and check a tradeoff.json. */
export function readTradeoff(path: string): TradeoffChart {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: cannot read the trade-off: ${(error as Error).message}`);
  }
  return tradeoffChartFromJson(json, path);
}

/** Errors when the trade-off cannot belong to a run with these channels and dates. */
export function tradeoffMismatch(chart: TradeoffChart, channelNames: readonly string[], dates: readonly string[]): string[] {
  const source = chart.source ?? 'tradeoff';
  const problems = chart.channels.filter((c) => !channelNames.includes(c)).map((c) => `${source}: channel "${c}" is not a channel of the run (${channelNames.join(', ')})`);
  const window = chart.window && windowMismatch(chart.window, dates, source);
  if (window) problems.push(window);
  return problems;
}

export interface ReportTradeoffOptions {
  /** A trade-off given directly (e.g. `tradeoffChartFromJson(optimize.tradeoffJson(result))`); wins over `tradeoff`. */
  readonly tradeoffChart?: TradeoffChart;
  /**
   * The tradeoff.json to show in the report's budget section. Default: DIR/optimize/tradeoff.json
   * when it exists (where `mixwell optimize DIR --tradeoff A,B` writes by default); false: none.
   */
  readonly tradeoff?: string | false;
}

/** The trade-off the report of run directory `runDir` shows: given, named, or found at DIR/optimize/tradeoff.json, checked against the run. */
export function reportTradeoff(
  runDir: string,
  run: { readonly channelNames: readonly string[]; readonly dates: readonly string[] },
  options: ReportTradeoffOptions = {},
): { tradeoff?: TradeoffChart; path?: string; warnings: string[] } {
  if (options.tradeoffChart) return { tradeoff: options.tradeoffChart, warnings: [] };
  if (options.tradeoff === false) return { warnings: [] };
  const path = options.tradeoff ?? defaultTradeoffPath(runDir);
  if (options.tradeoff === undefined && !existsSync(path)) return { warnings: [] };
  const tradeoff = readTradeoff(path);
  const problems = tradeoffMismatch(tradeoff, run.channelNames, run.dates);
  if (problems.length > 0) throw new Error(`${problems.join('\n')}\n(the trade-off was made from another run: rerun mixwell optimize ${runDir} --tradeoff ${tradeoff.channels.join(',')}, or pass none)`);
  return { tradeoff, path, warnings: allocationOlderThanRun(path, runDir) ? [TEXT.cli.allocationOlder(path)] : [] };
}
