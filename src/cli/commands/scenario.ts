/**
 * `mixwell scenario DIR --plan FILE`: the posterior of the KPI over the planning window under a
 * spend plan (JSON or CSV, src/optimize/plan.ts) versus the current plan, from the paired draws of
 * the run: KPI and uplift intervals, P(plan beats current), per-channel incremental KPI and
 * marginal ROI. Prints the table; with --out writes scenario.csv and scenario.json there.
 * --future FILE: over the future periods of FILE instead of the last --periods of the data
 * (src/optimize/future.ts); the current plan is FILE's spend. Options: ../tables/scenario.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRun, rowsToCsv } from '../../run/index.js';
import { evaluateScenario, formatScenario, readPlanFile, scenarioJson, scenarioRows } from '../../optimize/index.js';
import { parseCommand } from '../args.js';
import { SCENARIO } from '../tables/scenario.js';
import { futureOption, jsonText } from './optimize.js';

export async function run(argv: readonly string[]): Promise<void> {
  const { options, positionals } = parseCommand(SCENARIO, argv);
  const plan = readPlanFile(options.plan);
  const stored = readRun(positionals[0]);
  const future = await futureOption(options, stored);
  const geoLevel = options['geo-level'] === true || (plan.geos !== undefined && Object.keys(plan.geos).length > 0);
  const comparison = evaluateScenario(stored.design, stored.model, stored.posterior, plan, {
    periods: options.periods,
    future,
    level: geoLevel ? 'geo' : 'channel',
    planSource: options.plan,
  });
  if (options.out !== undefined) {
    mkdirSync(options.out, { recursive: true });
    const rows = scenarioRows(comparison);
    writeFileSync(join(options.out, 'scenario.csv'), rowsToCsv(geoLevel ? rows : rows.map(({ geo: _geo, ...rest }) => rest)));
    writeFileSync(join(options.out, 'scenario.json'), jsonText(scenarioJson(comparison)));
    process.stderr.write(`mixwell: wrote ${join(options.out, 'scenario.csv')} and scenario.json\n`);
  }
  process.stdout.write(formatScenario(comparison) + '\n');
}
