/**
 * `mixwell mediation --data FILE --config FILE [--out DIR] [...]`: fit a mediation model (national
 * data; mediators declared in the config's "mediators") and print each channel's direct, indirect
 * and total effect with 90% intervals, and the path effects. With --out, writes effects.csv,
 * paths.csv and mediation.json (config, sampler health, rows) there.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBackendName } from '../../tensor/index.js';
import { rowsToCsv } from '../../mmm/csvWrite.js';
import { fitMediation } from '../../mediation/fit.js';
import { formatMediationEffects } from '../../mediation/format.js';
import { integerOption, parseArgs, UsageError } from '../args.js';

export const usage = 'mixwell mediation --data FILE --config FILE [--out DIR] [--chains N] [--warmup N] [--draws N] [--seed N] [--backend tensorflow|wasm|cpu]';

export async function run(argv: readonly string[]): Promise<void> {
  const { options, positionals } = parseArgs(argv, ['data', 'config', 'out', 'chains', 'warmup', 'draws', 'seed', 'backend']);
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
  });
  process.stderr.write(`mixwell: mediation fit done in ${((performance.now() - started) / 1000).toFixed(1)} s (sampling ${fit.result.seconds.sampling.toFixed(1)} s)\n`);
  if (typeof options.out === 'string') {
    mkdirSync(options.out, { recursive: true });
    writeFileSync(join(options.out, 'effects.csv'), rowsToCsv(fit.effects.effects));
    writeFileSync(join(options.out, 'paths.csv'), rowsToCsv(fit.effects.paths));
    const summary = {
      data: options.data,
      config: fit.config,
      sampler: fit.sampler,
      backend: fit.backend.name,
      health: fit.result.health,
      mediators: fit.structure.mediatorNames,
      edges: fit.structure.edges.map((e) => e.name),
      drawCount: fit.effects.drawCount,
      marginalStep: fit.effects.marginalStep,
      effects: fit.effects.effects,
      paths: fit.effects.paths,
    };
    writeFileSync(join(options.out, 'mediation.json'), JSON.stringify(summary, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2) + '\n');
    process.stderr.write(`mixwell: wrote ${join(options.out, 'effects.csv')}, paths.csv and mediation.json\n`);
  }
  process.stdout.write(formatMediationEffects(fit.effects, fit.result.health) + '\n');
}
