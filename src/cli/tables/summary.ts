/** `mixwell summary`: its option table (spec.ts; parsed by src/cli/commands/summary.ts). */
import type { CommandSpec } from './spec.js';
import { runDirectory } from './runDir.js';

export const SUMMARY = {
  name: 'summary',
  summary: "Print a run's ROI table, probability statements and health check.",
  description:
    'Print the summary of a fitted run directory: the ROI and marginal ROI table with 90% ' +
    'intervals, the probability statements, the sampler diagnostics and the health check, as fit ' +
    'prints them. With --roi-threshold or --mroi-target the probability statements are recomputed ' +
    'from the stored draws at those values.',
  positionals: [runDirectory('summary')],
  options: [
    {
      name: 'roi-threshold',
      kind: 'number',
      placeholder: 'T',
      description: 'Recompute the probability statements with P(ROI > T).',
      default: '1 when --mroi-target is given; without either, the statements stored by the fit',
    },
    {
      name: 'mroi-target',
      kind: 'number',
      placeholder: 'R',
      description: 'Recompute the probability statements with P(mROI > R).',
      default: '1 when --roi-threshold is given; without either, the statements stored by the fit',
    },
  ],
  rules: [],
} as const satisfies CommandSpec;
