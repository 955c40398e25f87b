/**
 * `mixwell report DIR [--max-draws N] [--allocation FILE | --no-budget]`: write DIR/report.html and
 * DIR/charts/ (Vega-Lite JSON and SVG) from a run directory. When the run holds an optimization
 * result (DIR/optimize/allocation.json, where `mixwell optimize DIR` writes by default) or one is
 * named with --allocation (e.g. written with `optimize --out`), the report gets a budget section:
 * current vs optimized spend, the uplift's 90% interval and P(beats current). A two-channel
 * trade-off (DIR/optimize/tradeoff.json, from `mixwell optimize DIR --tradeoff A,B`) is charted in
 * the same section; --no-budget leaves both out. Options: ../tables/report.ts.
 */
import { TEXT } from '../../charts/index.js';
import { writeReport } from '../../report/index.js';
import { parseCommand } from '../args.js';
import { REPORT } from '../tables/report.js';

export async function run(argv: readonly string[]): Promise<void> {
  const { options, positionals } = parseCommand(REPORT, argv);
  const allocation = options['no-budget'] ? false : options.allocation;
  const written = await writeReport(positionals[0], { maxDraws: options['max-draws'], allocation, ...(options['no-budget'] ? { tradeoff: false as const } : {}) });
  for (const warning of written.warnings) process.stderr.write(`mixwell: ${warning}\n`);
  if (written.allocation) process.stderr.write(`mixwell: ${TEXT.cli.reportBudget(written.allocation)}\n`);
  if (written.tradeoff) process.stderr.write(`mixwell: ${TEXT.cli.reportTradeoff(written.tradeoff)}\n`);
  process.stderr.write(`mixwell: ${TEXT.cli.reportWrote(written.html, written.charts.length)}\n`);
}
