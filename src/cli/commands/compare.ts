/**
 * `mixwell compare DIR DIR... [--out DIR]`: compare runs fitted to the same data by PSIS-LOO
 * (elpd_loo, difference to the best with the se of paired differences, p_loo, Pareto-k counts)
 * and by their time-ordered holdout (log predictive density, WMAPE); src/report/compareRuns.ts. Fails
 * with a clear message when the runs were fitted to different data or observation sets. With
 * --out, writes compare.json and compare.csv there. Options: ../tables/compare.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareRuns, formatComparison } from '../../report/index.js';
import { rowsToCsv } from '../../run/index.js';
import { parseCommand } from '../args.js';
import { COMPARE } from '../tables/compare.js';

export async function run(argv: readonly string[]): Promise<void> {
  const { options, positionals } = parseCommand(COMPARE, argv);
  const comparison = compareRuns(positionals);
  process.stdout.write(formatComparison(comparison) + '\n');
  if (options.out !== undefined) {
    mkdirSync(options.out, { recursive: true });
    writeFileSync(join(options.out, 'compare.json'), JSON.stringify(comparison, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 1) + '\n');
    writeFileSync(join(options.out, 'compare.csv'), rowsToCsv(comparison.rows));
    process.stderr.write(`mixwell: wrote ${join(options.out, 'compare.json')} and compare.csv\n`);
  }
}
