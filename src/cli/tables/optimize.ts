/** `mixwell optimize`: its option table (spec.ts; parsed by src/cli/commands/optimize.ts). */
import type { CommandSpec } from './spec.js';
import { runDirectory } from './runDir.js';
import { FUTURE, FUTURE_FOLLOWS, FUTURE_RULES, GEO_LEVEL } from './window.js';

export const OPTIMIZE = {
  name: 'optimize',
  summary: 'Allocate a budget under the posterior, or find one for a target.',
  description:
    "The best split of a budget over the planning window (the last N periods of the run's data, or " +
    'the periods of a --future file) under the posterior, with its uncertainty: the uplift with its ' +
    '90% interval, P(plan beats current) and the per-draw optimal shares. With --target-kpi or ' +
    '--target-mroi instead of --budget, the budget that reaches a target KPI or the largest budget ' +
    'whose marginal ROI stays above a target. Writes allocation.csv, allocation.json and ' +
    'response_curves.csv to --out and prints the allocation table. --tradeoff A,B (with or without ' +
    "a budget target) splits A and B's current combined spend every way, the other channels at " +
    'the current plan, and writes tradeoff.csv, tradeoff.json and its chart there too.',
  positionals: [runDirectory('optimize')],
  options: [
    {
      name: 'budget',
      kind: 'number',
      placeholder: 'B',
      min: 0,
      description: 'Total spend over the planning window to allocate (currency).',
      default: 'none',
    },
    {
      name: 'target-kpi',
      kind: 'number',
      placeholder: 'K',
      description: "Find the smallest budget whose optimized objective of the window's total KPI (revenue when the data has revenue per KPI) reaches K.",
      default: 'none',
    },
    {
      name: 'target-mroi',
      kind: 'number',
      placeholder: 'R',
      description: 'Find the largest budget whose marginal ROI (extra KPI, or revenue, per extra currency unit at the optimum) stays at or above R.',
      default: 'none',
    },
    {
      name: 'periods',
      kind: 'integer',
      placeholder: 'N',
      min: 1,
      description: "The planning window: the data's last N periods, at their spend pattern.",
      default: "all the data's periods",
    },
    FUTURE,
    FUTURE_FOLLOWS,
    {
      name: 'bounds',
      kind: 'string',
      placeholder: 'FILE',
      description: 'Spend bounds (JSON): lower and upper spend per channel (or geo x channel), in currency or relative to the current spend, or "fixed".',
      default: "+/-30% of each entry's current spend; for --tradeoff none (every split from 0 to 1)",
    },
    {
      name: 'objective',
      kind: 'string',
      placeholder: 'mean|qNN|cvar|cvarNN|meansd',
      description:
        "What the plan maximizes: the posterior mean of the KPI, its NN% quantile (q10), the mean of its worst 10% (cvar) or NN% (cvarNN) of draws, or mean - L x sd (meansd, L from --risk-aversion).",
      default: 'mean',
    },
    {
      name: 'risk-aversion',
      kind: 'number',
      placeholder: 'L',
      min: 0,
      description: 'L in --objective meansd (mean - L x sd).',
      default: '1',
    },
    GEO_LEVEL,
    {
      name: 'max-draws',
      kind: 'integer',
      placeholder: 'N',
      min: 1,
      description: 'Posterior draws the optimizer (and the trade-off) uses, evenly thinned.',
      default: '500',
    },
    {
      name: 'decision-draws',
      kind: 'integer',
      placeholder: 'N',
      min: 0,
      description: "Draws whose own optimal allocation is found, for the spread of the optimal shares (0 skips them).",
      default: '100',
    },
    {
      name: 'seed',
      kind: 'integer',
      placeholder: 'N',
      min: 0,
      description: "Seed of the optimizer's random starting points.",
      default: '1',
    },
    {
      name: 'tradeoff',
      kind: 'string',
      placeholder: 'A,B',
      description: "The two-channel trade-off of channels A and B at their current combined spend, the others at the current plan.",
      default: 'none',
    },
    {
      name: 'tradeoff-points',
      kind: 'integer',
      placeholder: 'N',
      min: 2,
      description: "Splits of the trade-off's grid, ends included (only those within --bounds when given), plus the current split.",
      default: '41',
    },
    {
      name: 'optimal-frequency',
      kind: 'flag',
      description: "Plan reach and frequency channels at their optimal frequency f* (reach = impressions / f*) instead of the data's frequency.",
      default: "off (the data's frequency)",
    },
    {
      name: 'effectiveness-periods',
      kind: 'integer',
      placeholder: 'N',
      min: 1,
      description: 'Plan time-varying channels (model.timeVarying) with their mean effectiveness over the latest N fitted periods.',
      default: '13',
    },
    {
      name: 'out',
      kind: 'string',
      placeholder: 'DIR',
      description: 'Where the allocation and trade-off files go (created).',
      default: 'DIR/optimize, or DIR/optimize-future with --future',
    },
  ],
  rules: [
    {
      oneOf: ['budget', 'target-kpi', 'target-mroi'],
      required: { unless: 'tradeoff' },
      message: 'optimize needs exactly one of --budget B, --target-kpi K or --target-mroi R (or only --tradeoff A,B)',
    },
    { options: ['tradeoff-points'], requires: 'tradeoff', message: '--tradeoff-points goes with --tradeoff A,B' },
    ...FUTURE_RULES,
    { oneOf: ['tradeoff', 'optimal-frequency'], message: "--optimal-frequency goes without --tradeoff (the trade-off plans at the data's frequency)" },
  ],
} as const satisfies CommandSpec;
