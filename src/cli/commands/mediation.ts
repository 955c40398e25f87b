/**
 * `mixwell mediation --data FILE --config FILE [--out DIR] [...]`: fit a mediation model (national
 * data; mediators declared in the config's "mediators") and print each channel's direct, indirect
 * and total effect with 90% intervals, and the path effects. With --out, writes the run directory
 * there (src/mediation/runDirectory.ts: effects, paths, parameter summary, draws, chart, report.html).
 * Options: ../tables/mediation.ts.
 */
import { fitMediation } from '../../mediation/fit.js';
import { writeMediationRun } from '../../mediation/runDirectory.js';
import { formatMediationEffects } from '../../mediation/format.js';
import { parseCommand } from '../args.js';
import { MEDIATION } from '../tables/mediation.js';

export async function run(argv: readonly string[]): Promise<void> {
  const { options } = parseCommand(MEDIATION, argv);
  const started = performance.now();
  const fit = await fitMediation(options.data, options.config, {
    chains: options.chains,
    warmup: options.warmup,
    draws: options.draws,
    seed: options.seed,
    backend: options.backend,
    progress: !options.quiet,
    verbose: !options.quiet,
  });
  if (!options.quiet) process.stderr.write(`mixwell: mediation fit done in ${((performance.now() - started) / 1000).toFixed(1)} s (sampling ${fit.result.seconds.sampling.toFixed(1)} s)\n`);
  if (options.out !== undefined) {
    await writeMediationRun(options.out, fit, options.data);
    if (!options.quiet) process.stderr.write(`mixwell: wrote ${options.out} (effects.csv, paths.csv, summary.csv, draws, charts/, report.html)\n`);
  }
  process.stdout.write(formatMediationEffects(fit.effects, fit.result.health) + '\n');
}
