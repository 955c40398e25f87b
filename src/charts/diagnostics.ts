/**
 * Sampler diagnostics: rank-normalized split R-hat and bulk/tail ESS of every parameter and derived
 * quantity, as points grouped by variable with the usual thresholds drawn (R-hat 1.01, ESS 400;
 * Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021, section 4), and the divergent transitions
 * and maximum-tree-depth hits per chain (Betancourt 2017, "A conceptual introduction to Hamiltonian
 * Monte Carlo", section 6).
 */
import type { ChainStatsRow } from '../analysis/index.js';
import type { SummaryRow } from '../diagnostics/index.js';
import { distinct, FLAG_COLOR, OK_COLOR, topLevel, type ChartSpec } from './spec.js';
import { TEXT } from './text.js';

export interface ConvergenceThresholds {
  readonly rhat: number;
  readonly ess: number;
}

export const DEFAULT_CONVERGENCE_THRESHOLDS: ConvergenceThresholds = { rhat: 1.01, ess: 400 };

/** "u[3,2]" -> "u". */
export function variableOf(name: string): string {
  return name.replace(/\[.*$/, '');
}

export function convergenceSpec(rows: readonly SummaryRow[], thresholds: ConvergenceThresholds = DEFAULT_CONVERGENCE_THRESHOLDS): ChartSpec {
  const words = TEXT.charts.diagnostics;
  const variables = distinct(rows.map((r) => variableOf(r.name)));
  const metrics = [
    { key: 'rhat', label: TEXT.labels.rhat, flag: (v: number) => v > thresholds.rhat, threshold: thresholds.rhat },
    { key: 'essBulk', label: TEXT.labels.essBulk, flag: (v: number) => v < thresholds.ess, threshold: thresholds.ess },
    { key: 'essTail', label: TEXT.labels.essTail, flag: (v: number) => v < thresholds.ess, threshold: thresholds.ess },
  ] as const;
  const data: Record<string, unknown>[] = [];
  rows.forEach((r, i) => {
    for (const m of metrics) {
      const value = r[m.key];
      if (!Number.isFinite(value)) continue;
      // deterministic jitter within the variable's band (golden-ratio sequence)
      data.push({ name: r.name, variable: variableOf(r.name), metric: m.key, value, flagged: m.flag(value) ? TEXT.labels.flagged : TEXT.labels.threshold, jitter: ((i * 0.6180339887) % 1) - 0.5 });
    }
  });
  const panel = (m: (typeof metrics)[number], first: boolean) => ({
    transform: [{ filter: `datum.metric === ${JSON.stringify(m.key)}` }],
    width: 200,
    height: { step: 22 },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 22, opacity: 0.8 },
        encoding: {
          x: { field: 'value', type: 'quantitative', title: m.label, scale: m.key === 'rhat' ? { zero: false } : { type: 'log' } },
          y: { field: 'variable', type: 'nominal', title: null, sort: variables, axis: first ? {} : { labels: false, ticks: false } },
          yOffset: { field: 'jitter', type: 'quantitative', scale: { domain: [-0.7, 0.7] } },
          color: {
            field: 'flagged',
            type: 'nominal',
            title: null,
            scale: { domain: [TEXT.labels.threshold, TEXT.labels.flagged], range: [OK_COLOR, FLAG_COLOR] },
            legend: { orient: 'top', values: [TEXT.labels.flagged] },
          },
          tooltip: [
            { field: 'name', type: 'nominal', title: TEXT.labels.parameter },
            { field: 'value', type: 'quantitative', title: m.label, format: m.key === 'rhat' ? '.4f' : '.0f' },
          ],
        },
      },
      { mark: { type: 'rule', strokeDash: [4, 3], color: FLAG_COLOR }, encoding: { x: { datum: m.threshold, type: 'quantitative' } } },
    ],
  });
  return topLevel(words.title, data, { hconcat: metrics.map((m, i) => panel(m, i === 0)), spacing: 16, resolve: { scale: { color: 'shared' } } });
}

export function samplerSpec(rows: readonly ChainStatsRow[]): ChartSpec {
  const words = TEXT.charts.sampler;
  const data = rows.flatMap((r) => [
    { chain: r.chain, kind: TEXT.labels.divergences, count: r.divergences },
    { chain: r.chain, kind: TEXT.labels.treeDepthHits, count: r.treeDepthSaturated },
  ]);
  const total = (key: 'divergences' | 'treeDepthSaturated' | 'draws') => rows.reduce((a, r) => a + r[key], 0);
  return topLevel(
    words.title,
    data,
    {
      width: { step: 36 },
      height: 160,
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'chain', type: 'ordinal', title: TEXT.labels.chain, axis: { labelAngle: 0 } },
        xOffset: { field: 'kind', type: 'nominal' },
        y: { field: 'count', type: 'quantitative', title: TEXT.labels.count, scale: { domain: [0, Math.max(1, ...data.map((d) => d.count))], nice: true }, axis: { tickMinStep: 1 } },
        color: { field: 'kind', type: 'nominal', title: null, scale: { domain: [TEXT.labels.divergences, TEXT.labels.treeDepthHits], range: [FLAG_COLOR, '#f58518'] }, legend: { orient: 'top' } },
        tooltip: [
          { field: 'chain', type: 'ordinal', title: TEXT.labels.chain },
          { field: 'kind', type: 'nominal', title: TEXT.labels.value },
          { field: 'count', type: 'quantitative', title: TEXT.labels.count },
        ],
      },
    },
    words.subtitle(total('divergences'), total('draws'), total('treeDepthSaturated')),
  );
}
