/** `mixwell report`: its option table (spec.ts; parsed by src/cli/commands/report.ts). */
import type { CommandSpec } from './spec.js';
import { runDirectory } from './runDir.js';

export const REPORT = {
  name: 'report',
  summary: "Write a run's report.html and its charts.",
  description:
    "Write DIR/report.html (self-contained, opens offline) and DIR/charts/ (each chart as Vega-Lite " +
    'JSON and SVG) from a run directory, recomputing the analysis from its draws. When the run ' +
    'holds an optimization result (DIR/optimize/allocation.json, where mixwell optimize writes by ' +
    'default) or one is named with --allocation, the report gets a budget section: current vs ' +
    "optimized spend, the uplift's 90% interval and P(beats current); a two-channel trade-off " +
    '(DIR/optimize/tradeoff.json) is charted in the same section.',
  positionals: [runDirectory('report')],
  options: [
    {
      name: 'max-draws',
      kind: 'integer',
      placeholder: 'N',
      min: 1,
      description: 'Posterior draws the analysis and curves use, evenly thinned.',
      default: '1000',
    },
    {
      name: 'allocation',
      kind: 'string',
      placeholder: 'FILE',
      description: 'The budget section from this allocation.json (e.g. written by optimize --out); refused when made from another run.',
      default: 'DIR/optimize/allocation.json when it exists',
    },
    {
      name: 'no-budget',
      kind: 'flag',
      description: 'Leave out the budget section and the trade-off chart.',
      default: 'off',
    },
  ],
  rules: [{ oneOf: ['allocation', 'no-budget'], message: 'report takes --allocation FILE or --no-budget, not both' }],
} as const satisfies CommandSpec;
