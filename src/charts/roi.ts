/**
 * ROI and marginal ROI per channel: the posterior density (scaled to peak 1) with the 50% and 90%
 * intervals and the median drawn under it, one row per channel, ROI and mROI side by side, each
 * with its own x scale shared by the channels (rows from src/analysis/roiRows.ts).
 */
import type { RoiDensityRow, RoiIntervalRow, RoiMetric } from '../analysis/index.js';
import { sortByOrder, withOrder } from './names.js';
import { channelScale, distinct, topLevel, type ChartSpec } from './spec.js';
import { TEXT } from './text.js';

const INTERVAL_LEVEL = -0.18;

export function roiSpec(intervals: readonly RoiIntervalRow[], densities: readonly RoiDensityRow[], channelNames: readonly string[]): ChartSpec {
  const words = TEXT.charts.roi;
  const rows = [...densities.map((r) => ({ kind: 'density', ...r })), ...intervals.map((r) => ({ kind: 'interval', ...r }))];
  const metrics = distinct(intervals.map((r) => r.metric));
  const channels = channelNames.filter((c) => intervals.some((r) => r.channel === c));
  const color = { field: 'channel', type: 'nominal', scale: channelScale(channelNames), legend: null };
  const panel = (metric: RoiMetric, first: boolean) => {
    const x = (field: string) => ({ field, type: 'quantitative', title: words.axis[metric] });
    const intervalOnly = { filter: "datum.kind === 'interval'" };
    return {
      transform: [{ filter: `datum.metric === ${JSON.stringify(metric)}` }],
      facet: { row: { field: 'channel', type: 'nominal', sort: sortByOrder('channel'), title: null, header: first ? { labelAngle: 0, labelAlign: 'left' } : { labels: false } } },
      spec: {
        width: 260,
        height: 60,
        layer: [
          {
            transform: [{ filter: "datum.kind === 'density'" }],
            mark: { type: 'area', opacity: 0.35, line: true },
            encoding: { x: x('value'), y: { field: 'density', type: 'quantitative', title: null, axis: null, scale: { domain: [INTERVAL_LEVEL - 0.15, 1.05] } }, color, order: { value: 0 } },
          },
          {
            transform: [intervalOnly],
            mark: { type: 'rule', strokeWidth: 1.5 },
            encoding: { x: x('q05'), x2: { field: 'q95' }, y: { datum: INTERVAL_LEVEL }, color },
          },
          {
            transform: [intervalOnly],
            mark: { type: 'rule', strokeWidth: 5 },
            encoding: { x: x('q25'), x2: { field: 'q75' }, y: { datum: INTERVAL_LEVEL }, color },
          },
          {
            transform: [intervalOnly],
            mark: { type: 'point', filled: true, size: 40, color: 'white', stroke: '#333333', strokeWidth: 1 },
            encoding: {
              x: x('median'),
              y: { datum: INTERVAL_LEVEL },
              tooltip: [
                { field: 'channel', type: 'nominal', title: TEXT.labels.channel },
                { field: 'median', type: 'quantitative', title: TEXT.labels.median, format: '.3f' },
                { field: 'q25', type: 'quantitative', title: '25%', format: '.3f' },
                { field: 'q75', type: 'quantitative', title: '75%', format: '.3f' },
                { field: 'q05', type: 'quantitative', title: '5%', format: '.3f' },
                { field: 'q95', type: 'quantitative', title: '95%', format: '.3f' },
              ],
            },
          },
        ],
      },
    };
  };
  return topLevel(words.title, withOrder(rows, { channel: channels }), { hconcat: metrics.map((metric, i) => panel(metric, i === 0)), spacing: 24 });
}
