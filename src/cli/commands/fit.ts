/** `mixwell fit --data FILE [--config FILE] --out DIR [...]`: fit the MMM and write the run directory. */
import { parseBackendName } from '../../tensor/index.js';
import { fitMmm } from '../../mmm/fit.js';
import { buildReport } from '../../mmm/report.js';
import { readRun, writeRun } from '../../run/index.js';
import { formatRunSummary } from '../../report/index.js';
import { integerOption, parseArgs, UsageError } from '../args.js';
import { numberOption } from './optimize.js';
import { USAGE } from './usage.js';

export const usage = USAGE.fit;

export async function run(argv: readonly string[]): Promise<void> {
  const { options, positionals } = parseArgs(argv, ['data', 'config', 'out', 'chains', 'warmup', 'draws', 'seed', 'workers', 'backend', 'roi-threshold', 'mroi-target'], ['no-log-lik', 'no-idata', 'quiet']);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (typeof options.data !== 'string') throw new UsageError('fit needs --data FILE');
  if (typeof options.out !== 'string') throw new UsageError('fit needs --out DIR');
  const started = performance.now();
  const fit = await fitMmm(options.data, typeof options.config === 'string' ? options.config : undefined, {
    chains: integerOption(options, 'chains', 1),
    warmup: integerOption(options, 'warmup', 0),
    draws: integerOption(options, 'draws', 1),
    seed: integerOption(options, 'seed', 0),
    workers: integerOption(options, 'workers', 1),
    backend: typeof options.backend === 'string' ? parseBackendName(options.backend, '--backend') : undefined,
    // progress: a bar on a TTY, a line per 10% (or per minute) otherwise; --quiet: neither, nor the setup lines
    progress: !options.quiet,
    verbose: !options.quiet,
  });
  const report = buildReport(fit, { mroiTarget: numberOption(options, 'mroi-target'), roiThreshold: numberOption(options, 'roi-threshold') });
  await writeRun(options.out, fit, report, { logLik: !options['no-log-lik'], idata: !options['no-idata'] });
  if (!options.quiet) process.stderr.write(`mixwell: fit done in ${((performance.now() - started) / 1000).toFixed(1)} s (sampling ${fit.result.seconds.sampling.toFixed(1)} s); wrote ${options.out}\n`);
  process.stdout.write(formatRunSummary(readRun(options.out)) + '\n');
}
