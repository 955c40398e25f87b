/** `mixwell inspect`: its option table (spec.ts; parsed by src/cli/commands/inspect.ts). */
import type { CommandSpec } from './spec.js';

export const INSPECT = {
  name: 'inspect',
  summary: 'Check a data file before a fit (spend, VIF, collinear pairs).',
  description:
    'The data checks before a fit, printed as a table: spend, zero-spend periods and spend share ' +
    'per channel, VIF per channel and control, collinear pairs and the findings. With --out also ' +
    'DIR/inspect.html and DIR/charts/ (Vega-Lite JSON and SVG).',
  positionals: [],
  options: [
    { name: 'data', kind: 'string', placeholder: 'FILE', required: true, description: 'The data (CSV) to check, as fit reads it.' },
    {
      name: 'config',
      kind: 'string',
      placeholder: 'FILE',
      description: 'The run config (JSON) whose data roles and imputation are used.',
      default: 'none (roles detected from the column names)',
    },
    {
      name: 'out',
      kind: 'string',
      placeholder: 'DIR',
      description: 'Also write inspect.html and charts/ to this directory.',
      default: 'none (the table only)',
    },
  ],
  rules: [],
} as const satisfies CommandSpec;
