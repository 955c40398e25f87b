/**
 * `mixwell inspect --data FILE [--config FILE] [--out DIR]`: the data checks before a fit, printed
 * as a table (spend, zero-spend periods, spend share, VIF per channel and control, collinear pairs,
 * findings); with --out also DIR/inspect.html and DIR/charts/ (Vega-Lite JSON and SVG).
 */
import { basename } from 'node:path';
import { dataChecks, inspectDataFromMmmData } from '../../analysis/index.js';
import { TEXT } from '../../charts/index.js';
import { formatDataChecks, writeInspection } from '../../report/index.js';
import { loadMmmData } from '../../data/index.js';
import { loadRunConfig } from '../../mmm/config.js';
import { parseArgs, UsageError } from '../args.js';
import { USAGE } from './usage.js';

export const usage = USAGE.inspect;

export async function run(argv: readonly string[]): Promise<void> {
  const { options, positionals } = parseArgs(argv, ['data', 'config', 'out']);
  if (positionals.length) throw new UsageError(TEXT.cli.unexpectedArgument(positionals[0]));
  if (typeof options.data !== 'string') throw new UsageError(TEXT.cli.inspectNeedsData);
  const config = typeof options.config === 'string' ? loadRunConfig(options.config) : undefined;
  const data = await loadMmmData(options.data, config?.data ?? {}, { impute: config?.impute });
  const checks = dataChecks(inspectDataFromMmmData(data));
  const file = basename(options.data);
  process.stdout.write(formatDataChecks(checks, file, data.warnings) + '\n');
  if (typeof options.out === 'string') {
    const written = await writeInspection(options.out, checks, file);
    process.stderr.write(`mixwell: ${TEXT.inspect.wroteCharts(options.out, written.charts.length)}\n`);
  } else {
    process.stderr.write(`mixwell: ${TEXT.inspect.noOut}\n`);
  }
}
