/** `mixwell summary DIR`: the ROI table, sampler diagnostics and health check of a run. */
import { readRun } from '../../mmm/runDirectory.js';
import { formatRunSummary } from '../../mmm/summaryText.js';
import { parseArgs, UsageError } from '../args.js';

export const usage = 'mixwell summary DIR';

export async function run(argv: readonly string[]): Promise<void> {
  const { positionals } = parseArgs(argv, []);
  if (positionals.length !== 1) throw new UsageError('summary needs one run directory');
  process.stdout.write(formatRunSummary(readRun(positionals[0])) + '\n');
}
