/** `mixwell summary DIR [--roi-threshold T] [--mroi-target R]`: the ROI table, probability statements, sampler diagnostics and health check of a run. */
import { formatRunSummary, runProbabilities } from '../../report/index.js';
import { readRun } from '../../run/index.js';
import { parseArgs, UsageError } from '../args.js';
import { numberOption } from './optimize.js';
import { USAGE } from './usage.js';

export const usage = USAGE.summary;

export async function run(argv: readonly string[]): Promise<void> {
  const { options, positionals } = parseArgs(argv, ['mroi-target', 'roi-threshold']);
  if (positionals.length !== 1) throw new UsageError('summary needs one run directory');
  const run = readRun(positionals[0]);
  const mroiTarget = numberOption(options, 'mroi-target');
  const roiThreshold = numberOption(options, 'roi-threshold');
  const probabilities = mroiTarget !== undefined || roiThreshold !== undefined ? runProbabilities(run, { mroiTarget, roiThreshold }) : undefined;
  process.stdout.write(formatRunSummary(run, { probabilities }) + '\n');
}
