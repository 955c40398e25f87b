/**
 * `mixwell report DIR [--max-draws N] [--allocation FILE | --no-budget]`: write DIR/report.html and
 * DIR/charts/ (Vega-Lite JSON and SVG) from a run directory. When the run holds an optimization
 * result (DIR/optimize/allocation.json, where `mixwell optimize DIR` writes by default) or one is
 * named with --allocation (e.g. written with `optimize --out`), the report gets a budget section:
 * current vs optimized spend, the uplift's 90% interval and P(beats current). A two-channel
 * trade-off (DIR/optimize/tradeoff.json, from `mixwell optimize DIR --tradeoff A,B`) is charted in
 * the same section; --no-budget leaves both out.
 */
import { TEXT } from '../../charts/index.js';
import { writeReport } from '../../report/index.js';
import { integerOption, parseArgs, UsageError } from '../args.js';
import { USAGE } from './usage.js';

export const usage = USAGE.report;

export async function run(argv: readonly string[]): Promise<void> {
  const { options, positionals } = parseArgs(argv, ['max-draws', 'allocation'], ['no-budget']);
  if (positionals.length !== 1) throw new UsageError(TEXT.cli.reportNeedsDir);
  if (options['no-budget'] && options.allocation !== undefined) throw new UsageError('report takes --allocation FILE or --no-budget, not both');
  const allocation = options['no-budget'] ? false : typeof options.allocation === 'string' ? options.allocation : undefined;
  const written = await writeReport(positionals[0], { maxDraws: integerOption(options, 'max-draws', 1), allocation, ...(options['no-budget'] ? { tradeoff: false as const } : {}) });
  for (const warning of written.warnings) process.stderr.write(`mixwell: ${warning}\n`);
  if (written.allocation) process.stderr.write(`mixwell: ${TEXT.cli.reportBudget(written.allocation)}\n`);
  if (written.tradeoff) process.stderr.write(`mixwell: ${TEXT.cli.reportTradeoff(written.tradeoff)}\n`);
  process.stderr.write(`mixwell: ${TEXT.cli.reportWrote(written.html, written.charts.length)}\n`);
}
