/**
 * `mixwell scenario DIR --plan FILE`: the posterior of the KPI over the planning window under a
 * spend plan (JSON or CSV, src/optimize/plan.ts) versus the current plan, from the paired draws of
 * the run: KPI and uplift intervals, P(plan beats current), per-channel incremental KPI and
 * marginal ROI. Prints the table; with --out writes scenario.csv and scenario.json there.
 * --future FILE: over the future periods of FILE instead of the last --periods of the data
 * (src/optimize/future.ts); the current plan is FILE's spend.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRun, rowsToCsv } from '../../run/index.js';
import { evaluateScenario, formatScenario, readPlanFile, scenarioJson, scenarioRows } from '../../optimize/index.js';
import { integerOption, parseArgs, UsageError } from '../args.js';
import { futureOption, jsonText } from './optimize.js';
import { USAGE } from './usage.js';

export const usage = USAGE.scenario;

export async function run(argv: readonly string[]): Promise<void> {
  const { options, positionals } = parseArgs(argv, ['plan', 'periods', 'future', 'out'], ['geo-level', 'future-follows']);
  if (positionals.length !== 1) throw new UsageError('scenario needs one run directory');
  if (typeof options.plan !== 'string') throw new UsageError('scenario needs --plan FILE');
  const plan = readPlanFile(options.plan);
  const stored = readRun(positionals[0]);
  const future = await futureOption(options, stored);
  const geoLevel = options['geo-level'] === true || (plan.geos !== undefined && Object.keys(plan.geos).length > 0);
  const comparison = evaluateScenario(stored.design, stored.model, stored.posterior, plan, {
    periods: integerOption(options, 'periods', 1),
    future,
    level: geoLevel ? 'geo' : 'channel',
    planSource: options.plan,
  });
  if (typeof options.out === 'string') {
    mkdirSync(options.out, { recursive: true });
    const rows = scenarioRows(comparison);
    writeFileSync(join(options.out, 'scenario.csv'), rowsToCsv(geoLevel ? rows : rows.map(({ geo: _geo, ...rest }) => rest)));
    writeFileSync(join(options.out, 'scenario.json'), jsonText(scenarioJson(comparison)));
    process.stderr.write(`mixwell: wrote ${join(options.out, 'scenario.csv')} and scenario.json\n`);
  }
  process.stdout.write(formatScenario(comparison) + '\n');
}
