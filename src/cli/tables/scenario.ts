/** `mixwell scenario`: its option table (spec.ts; parsed by src/cli/commands/scenario.ts). */
import type { CommandSpec } from './spec.js';
import { runDirectory } from './runDir.js';
import { FUTURE, FUTURE_FOLLOWS, FUTURE_RULES, GEO_LEVEL } from './window.js';

export const SCENARIO = {
  name: 'scenario',
  summary: 'The KPI of a spend plan vs the current plan (what-if).',
  description:
    'The posterior of the KPI over the planning window under a spend plan versus the current plan, ' +
    'from the paired draws of the run: KPI and uplift intervals, P(plan beats current), and per ' +
    'channel the incremental KPI and marginal ROI. Prints the table; with --out also writes ' +
    'scenario.csv and scenario.json there. With --future FILE the window is the periods of FILE ' +
    "and the current plan is FILE's spend.",
  positionals: [runDirectory('scenario')],
  options: [
    {
      name: 'plan',
      kind: 'string',
      placeholder: 'FILE',
      required: true,
      description: 'The spend plan (JSON or CSV): spend per channel (or geo x channel) over the window, in currency or relative to the current spend, and moves between channels.',
    },
    {
      name: 'periods',
      kind: 'integer',
      placeholder: 'N',
      min: 1,
      description: "The planning window: the data's last N periods, at their spend pattern.",
      default: 'the plan\'s "periods", else all the data\'s periods',
    },
    FUTURE,
    FUTURE_FOLLOWS,
    { ...GEO_LEVEL, default: 'off; on when the plan has "geos"' },
    {
      name: 'out',
      kind: 'string',
      placeholder: 'DIR',
      description: 'Also write scenario.csv and scenario.json to this directory (created).',
      default: 'none (the table only)',
    },
  ],
  rules: [...FUTURE_RULES],
} as const satisfies CommandSpec;
