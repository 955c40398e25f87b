/**
 * `mixwell compare DIR DIR... [--out DIR]`: compare runs fitted to the same data by PSIS-LOO
 * (elpd_loo, difference to the best with the se of paired differences, p_loo, Pareto-k counts)
 * and by their time-ordered holdout (log predictive density, WMAPE); src/report/compareRuns.ts. Fails
 * with a clear message when the runs were fitted to different data or observation sets. With
 * --out, writes compare.json and compare.csv there.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareRuns, formatComparison } from '../../report/index.js';
import { rowsToCsv } from '../../run/index.js';
import { parseArgs, UsageError } from '../args.js';
import { USAGE } from './usage.js';

export const usage = USAGE.compare;

export async function run(argv: readonly string[]): Promise<void> {
  const { options, positionals } = parseArgs(argv, ['out']);
  if (positionals.length < 2) throw new UsageError('compare needs two or more run directories');
  const comparison = compareRuns(positionals);
  process.stdout.write(formatComparison(comparison) + '\n');
  if (typeof options.out === 'string') {
    mkdirSync(options.out, { recursive: true });
    writeFileSync(join(options.out, 'compare.json'), JSON.stringify(comparison, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 1) + '\n');
    writeFileSync(join(options.out, 'compare.csv'), rowsToCsv(comparison.rows));
    process.stderr.write(`mixwell: wrote ${join(options.out, 'compare.json')} and compare.csv\n`);
  }
}
