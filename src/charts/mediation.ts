/**
 * A mediation fit's effects per channel (rows from src/analysis/mediationEffects.ts, measure
 * "contribution"): for each channel the direct, indirect and total effect on the KPI over the
 * window as a 90% interval with the median, side by side, against a zero line, so "does this
 * channel act directly, through its mediators, or not at all" reads off one chart.
 */
import type { MediationEffectRow } from '../analysis/mediationEffects.js';
import { sortByOrder, withOrder } from './names.js';
import { BASELINE_COLOR, distinct, topLevel, type ChartSpec } from './spec.js';
import { TEXT } from './text.js';

const KINDS = ['direct', 'indirect', 'total'] as const;
const KIND_COLORS = ['#4c78a8', '#f58518', '#54a24b'];

export function mediationEffectsSpec(rows: readonly MediationEffectRow[]): ChartSpec {
  const words = TEXT.charts.mediation;
  const data = rows
    .filter((r) => r.measure === 'contribution')
    .map((r) => ({ channel: r.channel, kind: words.kind[r.effect], median: r.median, q05: r.q05, q95: r.q95, mean: r.mean }));
  const channels = distinct(data.map((r) => r.channel));
  const kindDomain = KINDS.map((k) => words.kind[k]);
  const y = { field: 'channel', type: 'nominal', sort: sortByOrder('channel'), title: null };
  const color = { field: 'kind', type: 'nominal', scale: { domain: kindDomain, range: KIND_COLORS }, legend: { title: null, orient: 'bottom', direction: 'horizontal' } };
  const yOffset = { field: 'kind', type: 'nominal', sort: kindDomain };
  const x = (field: string) => ({ field, type: 'quantitative', title: words.axis });
  return topLevel(words.title, withOrder(data, { channel: channels }), {
    width: 520,
    height: { step: 16 * KINDS.length + 8 },
    layer: [
      { mark: { type: 'rule', color: BASELINE_COLOR, strokeWidth: 1 }, encoding: { x: { datum: 0, type: 'quantitative' } } },
      { mark: { type: 'rule', strokeWidth: 2 }, encoding: { y, yOffset, x: x('q05'), x2: { field: 'q95' }, color } },
      {
        mark: { type: 'point', filled: true, size: 40 },
        encoding: {
          y,
          yOffset,
          x: x('median'),
          color,
          tooltip: [{ field: 'channel' }, { field: 'kind' }, { field: 'median', format: ',.4~g' }, { field: 'q05', format: ',.4~g', title: '5%' }, { field: 'q95', format: ',.4~g', title: '95%' }],
        },
      },
    ],
  });
}
