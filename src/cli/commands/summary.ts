/** `mixwell summary DIR [--roi-threshold T] [--mroi-target R]`: the ROI table, probability statements, sampler diagnostics and health check of a run (options: ../tables/summary.ts). */
import { formatRunSummary, runProbabilities } from '../../report/index.js';
import { readRun } from '../../run/index.js';
import { parseCommand } from '../args.js';
import { SUMMARY } from '../tables/summary.js';

export async function run(argv: readonly string[]): Promise<void> {
  const { options, positionals } = parseCommand(SUMMARY, argv);
  const run = readRun(positionals[0]);
  const mroiTarget = options['mroi-target'];
  const roiThreshold = options['roi-threshold'];
  const probabilities = mroiTarget !== undefined || roiThreshold !== undefined ? runProbabilities(run, { mroiTarget, roiThreshold }) : undefined;
  process.stdout.write(formatRunSummary(run, { probabilities }) + '\n');
}
