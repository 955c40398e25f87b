/** `mixwell mediation`: its option table (spec.ts; parsed by src/cli/commands/mediation.ts). */
import type { CommandSpec } from './spec.js';
import { BACKEND, CHAINS, DRAWS, QUIET, SEED, WARMUP } from './sampler.js';

export const MEDIATION = {
  name: 'mediation',
  summary: 'Fit a mediation model: direct, indirect and total effects.',
  description:
    'Fit a mediation model (national data; the mediators declared in the config\'s "mediators": ' +
    'channels whose activity other channels drive) and print each channel\'s direct, indirect and ' +
    'total effect with 90% intervals, and the path effects. With --out also writes the run ' +
    'directory there: effects, paths, parameter summary, draws, chart and report.html. ' +
    "--chains, --warmup, --draws, --seed and --backend override the config file's sampler settings.",
  positionals: [],
  options: [
    { name: 'data', kind: 'string', placeholder: 'FILE', required: true, description: 'The data (CSV, national): one row per period.' },
    {
      name: 'config',
      kind: 'string',
      placeholder: 'FILE',
      required: true,
      missing: 'mediation needs --config FILE (with "mediators")',
      description: 'The mediation config (JSON): data roles, model, "mediators" (which channels drive each mediator), effects, sampler.',
    },
    {
      name: 'out',
      kind: 'string',
      placeholder: 'DIR',
      description: 'Also write the run directory here (effects.csv, paths.csv, summary.csv, draws, charts/, report.html).',
      default: 'none (the effects are printed only)',
    },
    CHAINS,
    WARMUP,
    DRAWS,
    SEED,
    BACKEND,
    QUIET,
  ],
  rules: [],
} as const satisfies CommandSpec;
