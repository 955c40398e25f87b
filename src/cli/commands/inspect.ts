/**
 * `mixwell inspect --data FILE [--config FILE] [--out DIR]`: the data checks before a fit, printed
 * as a table (spend, zero-spend periods, spend share, VIF per channel and control, collinear pairs,
 * findings); with --out also DIR/inspect.html and DIR/charts/ (Vega-Lite JSON and SVG). Options:
 * ../tables/inspect.ts.
 */
import { basename } from 'node:path';
import { dataChecks, inspectDataFromMmmData } from '../../analysis/index.js';
import { TEXT } from '../../charts/index.js';
import { formatDataChecks, writeInspection } from '../../report/index.js';
import { loadMmmData } from '../../data/index.js';
import { loadRunConfig } from '../../mmm/config.js';
import { parseCommand } from '../args.js';
import { INSPECT } from '../tables/inspect.js';

export async function run(argv: readonly string[]): Promise<void> {
  const { options } = parseCommand(INSPECT, argv);
  const config = options.config !== undefined ? loadRunConfig(options.config) : undefined;
  const data = await loadMmmData(options.data, config?.data ?? {}, { impute: config?.impute });
  const checks = dataChecks(inspectDataFromMmmData(data));
  const file = basename(options.data);
  process.stdout.write(formatDataChecks(checks, file, data.warnings) + '\n');
  if (options.out !== undefined) {
    const written = await writeInspection(options.out, checks, file);
    process.stderr.write(`mixwell: ${TEXT.inspect.wroteCharts(options.out, written.charts.length)}\n`);
  } else {
    process.stderr.write(`mixwell: ${TEXT.inspect.noOut}\n`);
  }
}
