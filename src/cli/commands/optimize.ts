/**
 * `mixwell optimize DIR --budget B [...]`: the best split of a budget over the planning window (the
 * last N periods of the run's data, src/optimize/window.ts) under the run's posterior, with its
 * uncertainty; or, with --target-kpi / --target-mroi instead of --budget, the budget that reaches
 * a target KPI / the largest budget whose marginal ROI stays above a target. Writes
 * allocation.csv (one row per channel, or geo x channel), allocation.json (plan, current plan,
 * bounds, KPI and uplift intervals, P(beats current), per-draw optimal shares, response curves)
 * and response_curves.csv to --out (default DIR/optimize), and prints the allocation table.
 *
 * --tradeoff A,B (with or without a budget target): the two-channel trade-off at A and B's current
 * combined spend, other channels at the current plan (src/optimize/tradeoff.ts), over
 * --tradeoff-points splits (default 41; only those within the bounds when --bounds is given),
 * on 500 evenly thinned posterior draws (or --max-draws); writes tradeoff.csv (one row per split),
 * tradeoff.json (the rows with the pair, window, objective and optimum; what `mixwell report`
 * charts) and the chart as tradeoff.vl.json and tradeoff.svg to the same directory.
 *
 * --future FILE: plan over the future periods of FILE (the fitted data's layout without the KPI,
 * starting one period after the fitted data, or with --future-follows whatever its dates, its
 * periods taken as the ones after the fitted data; src/optimize/future.ts) instead of the last --periods
 * of the data: the current plan is FILE's spend. The default --out is then DIR/optimize-future
 * (the report's budget section shows allocations over the fitted data's last periods only).
 *
 * --optimal-frequency: reach and frequency channels are planned at their optimal frequency f*
 * (Meridian's optimal_freq, analysis/optimalFrequency.ts: the grid frequency with the largest
 * posterior mean ROI at fixed impressions) with the window's reach = impressions / f*, instead of
 * at the data's frequency (spend then scales the reach at that frequency). Not with --tradeoff.
 *
 * Options, their defaults and rules: ../tables/optimize.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tradeoffChart, tradeoffChartFromJson, writeCharts } from '../../report/index.js';
import { readRun, rowsToCsv } from '../../run/index.js';
import { optimalFrequency } from '../../analysis/index.js';
import {
  allocationJson,
  allocationRows,
  budgetForMarginalRoi,
  budgetForTargetKpi,
  formatAllocation,
  formatTradeoff,
  loadFuturePeriods,
  optimizeBudget,
  parseObjective,
  type FuturePeriods,
  readBoundsFile,
  tradeoffChannels,
  tradeoffJson,
  twoChannelTradeoff,
  type OptimizeOptions,
} from '../../optimize/index.js';
import { parseCommand, UsageError } from '../args.js';
import { OPTIMIZE } from '../tables/optimize.js';

/** Columns of tradeoff.csv, in order. */
const TRADEOFF_COLUMNS = ['channelA', 'channelB', 'share', 'spendA', 'spendB', 'kpiMean', 'kpiQ05', 'kpiQ95', 'upliftMean', 'upliftQ05', 'upliftQ95', 'pBeatsCurrent', 'objective', 'isCurrent', 'isOptimum', 'withinBounds'];

/** --tradeoff A,B as two distinct channel names of the run (UsageError naming the option otherwise). */
export function tradeoffOption(value: string | undefined, channelNames: readonly string[]): [string, string] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((name) => name.trim());
  if (names.some((name) => name === '')) throw new UsageError(`--tradeoff: expected two channel names separated by a comma (A,B), got "${value}"`);
  try {
    tradeoffChannels(channelNames, names, '--tradeoff');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return [names[0], names[1]];
}

/**
 * --future FILE read against the run (undefined when absent; the tables' rules keep --periods and
 * --future apart and --future-follows with --future).
 */
export async function futureOption(options: { readonly future?: string; readonly 'future-follows'?: true }, stored: ReturnType<typeof readRun>): Promise<FuturePeriods | undefined> {
  const path = options.future;
  if (path === undefined) return undefined;
  if (!stored.config.data) throw new Error(`${stored.dir}: config.json has no data roles ("data"), so a future data file cannot be read against the run`);
  const follows = options['future-follows'] === true;
  return loadFuturePeriods(path, { design: stored.design, model: stored.model, spec: stored.config.data, scaling: stored.scaling, impute: stored.config.impute }, { follows });
}

/** --optimal-frequency: each reach and frequency channel's f* from the run's posterior (UsageError without such channels). */
function optimalFrequencyOption(stored: ReturnType<typeof readRun>): Record<string, number> {
  const rows = optimalFrequency(stored.design, stored.model, stored.posterior).optimal;
  if (rows.length === 0) throw new UsageError(`--optimal-frequency: the run has no reach and frequency channels (channels: ${stored.design.channelNames.join(', ')})`);
  return Object.fromEntries(rows.map((row) => [row.channel, row.optimalFrequency]));
}

/** JSON with non-finite numbers as strings and typed arrays as lists. */
export function jsonText(value: unknown): string {
  return (
    JSON.stringify(value, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v), 1) + '\n'
  );
}

export async function run(argv: readonly string[]): Promise<void> {
  // the rules (one budget target unless --tradeoff, --tradeoff-points with --tradeoff, --periods or --future, ...) are the table's
  const { options, positionals } = parseCommand(OPTIMIZE, argv);
  const { budget, 'target-kpi': targetKpi, 'target-mroi': targetMroi, 'tradeoff-points': tradeoffPoints } = options;
  const hasTarget = budget !== undefined || targetKpi !== undefined || targetMroi !== undefined;
  let objective;
  try {
    objective = options.objective !== undefined ? parseObjective(options.objective, options['risk-aversion'] ?? 1) : undefined;
  } catch (error) {
    throw new UsageError(`--objective: ${(error as Error).message}`);
  }
  const dir = positionals[0];
  const stored = readRun(dir);
  const pair = tradeoffOption(options.tradeoff, stored.design.channelNames);
  const future = await futureOption(options, stored);
  const atFrequency = options['optimal-frequency'] ? optimalFrequencyOption(stored) : undefined;
  const settings: OptimizeOptions = {
    ...(atFrequency ? { atFrequency } : {}),
    periods: options.periods,
    future,
    level: options['geo-level'] ? 'geo' : 'channel',
    bounds: options.bounds !== undefined ? readBoundsFile(options.bounds) : undefined,
    boundsSource: options.bounds,
    objective,
    maxDraws: options['max-draws'],
    decisionDraws: options['decision-draws'],
    seed: options.seed,
    effectivenessPeriods: options['effectiveness-periods'],
  };
  const out = options.out ?? join(dir, future ? 'optimize-future' : 'optimize');
  if (hasTarget) await writeAllocation(stored, settings, { budget, targetKpi, targetMroi }, out);
  if (pair) {
    const tradeoff = twoChannelTradeoff(stored.design, stored.model, stored.posterior, pair, {
      periods: settings.periods,
      future,
      level: settings.level,
      bounds: settings.bounds,
      boundsSource: settings.boundsSource,
      objective,
      maxDraws: settings.maxDraws,
      points: tradeoffPoints,
      effectivenessPeriods: settings.effectivenessPeriods,
    });
    mkdirSync(out, { recursive: true });
    const json = tradeoffJson(tradeoff);
    writeFileSync(join(out, 'tradeoff.csv'), rowsToCsv(tradeoff.rows, TRADEOFF_COLUMNS));
    writeFileSync(join(out, 'tradeoff.json'), jsonText(json));
    await writeCharts(out, [tradeoffChart(tradeoffChartFromJson(json, join(out, 'tradeoff.json')), 'tradeoff')]);
    process.stdout.write(formatTradeoff(tradeoff) + '\n');
    process.stderr.write(`mixwell: wrote ${join(out, 'tradeoff.csv')}, tradeoff.json, tradeoff.vl.json and tradeoff.svg\n`);
  }
}

async function writeAllocation(
  stored: ReturnType<typeof readRun>,
  settings: OptimizeOptions,
  target: { readonly budget?: number; readonly targetKpi?: number; readonly targetMroi?: number },
  out: string,
): Promise<void> {
  const { budget, targetKpi, targetMroi } = target;
  const result =
    targetKpi !== undefined
      ? await budgetForTargetKpi(stored.design, stored.model, stored.posterior, targetKpi, settings)
      : targetMroi !== undefined
        ? await budgetForMarginalRoi(stored.design, stored.model, stored.posterior, targetMroi, settings)
        : await optimizeBudget(stored.design, stored.model, stored.posterior, { ...settings, budget });
  mkdirSync(out, { recursive: true });
  const rows = allocationRows(result);
  writeFileSync(join(out, 'allocation.csv'), rowsToCsv(settings.level === 'geo' ? rows : rows.map(({ geo: _geo, ...rest }) => rest)));
  writeFileSync(join(out, 'allocation.json'), jsonText(allocationJson(result)));
  if (result.curves) writeFileSync(join(out, 'response_curves.csv'), rowsToCsv(result.curves.rows, ['channel', 'spend', 'multiplier', 'unit', 'mean', 'median', 'q05', 'q95', 'sd']));
  process.stdout.write(formatAllocation(result) + '\n');
  process.stderr.write(`mixwell: wrote ${join(out, 'allocation.csv')} and allocation.json\n`);
}
