/** `mixwell report DIR [--max-draws N]`: write DIR/report.html and DIR/charts/ (Vega-Lite JSON and SVG) from a run directory. */
import { writeReport } from '../../charts/index.js';
import { TEXT } from '../../charts/text.js';
import { integerOption, parseArgs, UsageError } from '../args.js';

export const usage = 'mixwell report DIR [--max-draws N]';

export async function run(argv: readonly string[]): Promise<void> {
  const { options, positionals } = parseArgs(argv, ['max-draws']);
  if (positionals.length !== 1) throw new UsageError(TEXT.cli.reportNeedsDir);
  const written = await writeReport(positionals[0], { maxDraws: integerOption(options, 'max-draws', 1) });
  process.stderr.write(`mixwell: ${TEXT.cli.reportWrote(written.html, written.charts.length)}\n`);
}
