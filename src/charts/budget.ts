/**
 * Budget allocation, current vs proposed: spend per channel under both (grouped bars) and, when
 * given, the expected uplift with its 90% interval and the probability that the proposal beats the
 * current allocation. The chart only needs the rows' shape; the optimizer that produces them lives
 * elsewhere.
 */
import type { AllocationRow } from '../analysis/index.js';
import { sortByOrder, withOrder } from './names.js';
import { topLevel, type ChartSpec } from './spec.js';
import { TEXT } from './text.js';

export interface BudgetAllocation {
  /** Total spend per channel over the planning period, now and proposed. */
  readonly rows: readonly AllocationRow[];
  /** Incremental KPI (or revenue) of the proposal over the current allocation, over draws. */
  readonly uplift?: { readonly mean: number; readonly q05: number; readonly q95: number };
  /** P(proposed outcome > current outcome) over posterior draws. */
  readonly pBeatsCurrent?: number;
  /** The planning window: the last `periods` periods of the data, `from` .. `to` (src/optimize/window.ts). */
  readonly window?: { readonly level: string; readonly periods: number; readonly from: string; readonly to: string; /** Future periods: the file they come from (src/optimize/future.ts). */ readonly future?: string };
  /** What the uplift is counted in. */
  readonly unit?: 'kpi' | 'revenue';
  /** The optimizer's objective, in words (e.g. "posterior mean"). */
  readonly objective?: string;
  /** Paired posterior draws behind the uplift and P(beats current). */
  readonly draws?: number;
  /** Where the allocation was read from (e.g. optimize/allocation.json). */
  readonly source?: string;
  /**
   * With time-varying channels: the latest fitted periods whose mean effectiveness planned them
   * (src/optimize/windowDraws.ts `EffectivenessWindow`).
   */
  readonly effectiveness?: { readonly channels: readonly string[]; readonly periods: number; readonly from: string; readonly to: string };
}

const CURRENT_COLOR = '#9d9d9d';
const PROPOSED_COLOR = '#4c78a8';

export function budgetSpec(allocation: BudgetAllocation): ChartSpec {
  const words = TEXT.charts.budget;
  const channels = allocation.rows.map((r) => r.channel);
  const bars = allocation.rows.flatMap((r) => [
    { kind: 'bar', channel: r.channel, allocation: TEXT.labels.current, spend: r.current },
    { kind: 'bar', channel: r.channel, allocation: TEXT.labels.proposed, spend: r.proposed },
  ]);
  const uplift = allocation.uplift ? [{ kind: 'uplift', label: words.uplift, ...allocation.uplift }] : [];
  const barPanel = {
    transform: [{ filter: "datum.kind === 'bar'" }],
    width: { step: 44 },
    height: 220,
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'channel', type: 'nominal', title: null, sort: sortByOrder('channel'), axis: { labelAngle: 0 } },
      xOffset: { field: 'allocation', type: 'nominal', sort: [TEXT.labels.current, TEXT.labels.proposed] },
      y: { field: 'spend', type: 'quantitative', title: words.y },
      color: { field: 'allocation', type: 'nominal', title: null, scale: { domain: [TEXT.labels.current, TEXT.labels.proposed], range: [CURRENT_COLOR, PROPOSED_COLOR] }, legend: { orient: 'top' } },
      tooltip: [
        { field: 'channel', type: 'nominal', title: TEXT.labels.channel },
        { field: 'allocation', type: 'nominal', title: TEXT.labels.allocation },
        { field: 'spend', type: 'quantitative', title: TEXT.labels.spend, format: ',.0f' },
      ],
    },
  };
  const x = (field: string) => ({ field, type: 'quantitative', title: words.upliftTitle, scale: { zero: true } });
  const upliftPanel = {
    transform: [{ filter: "datum.kind === 'uplift'" }],
    width: 220,
    height: 60,
    layer: [
      { mark: { type: 'rule', strokeWidth: 2, color: PROPOSED_COLOR }, encoding: { x: x('q05'), x2: { field: 'q95' }, y: { field: 'label', type: 'nominal', title: null } } },
      {
        mark: { type: 'point', filled: true, size: 60, color: PROPOSED_COLOR },
        encoding: {
          x: x('mean'),
          y: { field: 'label', type: 'nominal', title: null },
          tooltip: [
            { field: 'mean', type: 'quantitative', title: TEXT.labels.mean, format: ',.0f' },
            { field: 'q05', type: 'quantitative', title: '5%', format: ',.0f' },
            { field: 'q95', type: 'quantitative', title: '95%', format: ',.0f' },
          ],
        },
      },
      { mark: { type: 'rule', strokeDash: [3, 3], color: '#555555' }, encoding: { x: { datum: 0, type: 'quantitative' } } },
    ],
  };
  const subtitle = words.subtitle(allocation.uplift, allocation.pBeatsCurrent) || undefined;
  return topLevel(words.title, [...withOrder(bars, { channel: channels }), ...uplift], uplift.length > 0 ? { hconcat: [barPanel, upliftPanel], spacing: 30 } : barPanel, subtitle);
}
