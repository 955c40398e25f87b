/**
 * `mixwell mediation --data FILE --config FILE [--out DIR] [...]`: fit a mediation model (national
 * data; mediators declared in the config's "mediators") and print each channel's direct, indirect
 * and total effect with 90% intervals, and the path effects. With --out, writes the run directory
 * there (src/mediation/runDirectory.ts: effects, paths, parameter summary, draws, chart, report.html).
 */
import { parseBackendName } from '../../tensor/index.js';
import { fitMediation } from '../../mediation/fit.js';
import { writeMediationRun } from '../../mediation/runDirectory.js';
import { formatMediationEffects } from '../../mediation/format.js';
import { integerOption, parseArgs, UsageError } from '../args.js';
import { USAGE } from './usage.js';

export const usage = USAGE.mediation;

export async function run(argv: readonly string[]): Promise<void> {
  const { options, positionals } = parseArgs(argv, ['data', 'config', 'out', 'chains', 'warmup', 'draws', 'seed', 'backend'], ['quiet']);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (typeof options.data !== 'string') throw new UsageError('mediation needs --data FILE');
  if (typeof options.config !== 'string') throw new UsageError('mediation needs --config FILE (with "mediators")');
  const started = performance.now();
  const fit = await fitMediation(options.data, options.config, {
    chains: integerOption(options, 'chains', 1),
    warmup: integerOption(options, 'warmup', 0),
    draws: integerOption(options, 'draws', 1),
    seed: integerOption(options, 'seed', 0),
    backend: typeof options.backend === 'string' ? parseBackendName(options.backend, '--backend') : undefined,
    progress: !options.quiet,
    verbose: !options.quiet,
  });
  if (!options.quiet) process.stderr.write(`mixwell: mediation fit done in ${((performance.now() - started) / 1000).toFixed(1)} s (sampling ${fit.result.seconds.sampling.toFixed(1)} s)\n`);
  if (typeof options.out === 'string') {
    await writeMediationRun(options.out, fit, options.data);
    if (!options.quiet) process.stderr.write(`mixwell: wrote ${options.out} (effects.csv, paths.csv, summary.csv, draws, charts/, report.html)\n`);
  }
  process.stdout.write(formatMediationEffects(fit.effects, fit.result.health) + '\n');
}
