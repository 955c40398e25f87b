/** `mixwell compare`: its option table (spec.ts; parsed by src/cli/commands/compare.ts). */
import type { CommandSpec } from './spec.js';

export const COMPARE = {
  name: 'compare',
  summary: 'Compare runs fitted to the same data by PSIS-LOO and holdout.',
  description:
    'Compare runs fitted to the same data by PSIS-LOO (elpd_loo, the difference to the best run ' +
    'with the se of the paired differences, p_loo, Pareto-k counts) and by their time-ordered ' +
    'holdout (log predictive density, WMAPE). Fails with a clear message when the runs were ' +
    'fitted to different data or observation sets.',
  positionals: [
    {
      name: 'DIR',
      description: 'Run directories written by mixwell fit, two or more.',
      count: { atLeast: 2 },
      missing: 'compare needs two or more run directories',
    },
  ],
  options: [
    {
      name: 'out',
      kind: 'string',
      placeholder: 'DIR',
      description: 'Also write compare.json and compare.csv to this directory (created).',
      default: 'none (the table only)',
    },
  ],
  rules: [],
} as const satisfies CommandSpec;
