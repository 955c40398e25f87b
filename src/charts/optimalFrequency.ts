/**
 * Optimal frequency of the reach and frequency channels (Meridian's optimal frequency plot), one
 * panel per channel: the channel's ROI at fixed impressions over a grid of average frequencies
 * (reach = impressions / f), posterior mean and 90% band, with the optimal frequency f* (the largest
 * posterior mean ROI) marked by a rule and its 90% interval (the per-draw argmax) as a shaded span
 * (src/analysis optimalFrequency.ts rows).
 */
import type { FrequencyRoiRow, OptimalFrequencyRow } from '../analysis/index.js';
import { sortByOrder, withOrder } from './names.js';
import { channelScale, facetColumns, PANEL_HEIGHT, PANEL_WIDTH, topLevel, type ChartSpec } from './spec.js';
import { TEXT } from './text.js';

export function optimalFrequencySpec(curve: readonly FrequencyRoiRow[], optimal: readonly OptimalFrequencyRow[], channelNames: readonly string[]): ChartSpec {
  const words = TEXT.charts.optimalFrequency;
  const channels = channelNames.filter((c) => curve.some((r) => r.channel === c));
  const color = { field: 'channel', type: 'nominal', scale: channelScale(channelNames), legend: null };
  const x = { field: 'frequency', type: 'quantitative', title: words.x, axis: { tickCount: 5 } };
  const y = { type: 'quantitative', title: optimal.some((r) => r.unit === 'revenuePerSpend') ? words.y : words.yKpi };
  const data = [
    ...curve.map((r) => ({ kind: 'curve', channel: r.channel, frequency: r.frequency, mean: r.mean, q05: r.q05, q95: r.q95 })),
    ...optimal.map((r) => ({ kind: 'optimal', channel: r.channel, frequency: r.optimalFrequency, from: r.q05, to: r.q95, roi: r.roiAtOptimal })),
  ];
  return topLevel(words.title, withOrder(data, { channel: channels }), {
    facet: { field: 'channel', type: 'nominal', title: null, sort: sortByOrder('channel') },
    columns: facetColumns(channels.length),
    spec: {
      width: PANEL_WIDTH,
      height: PANEL_HEIGHT,
      layer: [
        { transform: [{ filter: "datum.kind === 'optimal'" }], mark: { type: 'rect', opacity: 0.12, color: '#555555' }, encoding: { x: { ...x, field: 'from' }, x2: { field: 'to' } } },
        { transform: [{ filter: "datum.kind === 'curve'" }], mark: { type: 'area', opacity: 0.25 }, encoding: { x, y: { ...y, field: 'q05' }, y2: { field: 'q95' }, color } },
        {
          transform: [{ filter: "datum.kind === 'curve'" }],
          mark: { type: 'line', strokeWidth: 2 },
          encoding: {
            x,
            y: { ...y, field: 'mean' },
            color,
            tooltip: [
              { field: 'frequency', type: 'quantitative', title: words.x, format: '.1f' },
              { field: 'mean', type: 'quantitative', title: TEXT.labels.mean, format: '.3f' },
              { field: 'q05', type: 'quantitative', title: '5%', format: '.3f' },
              { field: 'q95', type: 'quantitative', title: '95%', format: '.3f' },
            ],
          },
        },
        { transform: [{ filter: "datum.kind === 'optimal'" }], mark: { type: 'rule', strokeDash: [4, 3], color: '#222222' }, encoding: { x } },
        {
          transform: [{ filter: "datum.kind === 'optimal'" }],
          mark: { type: 'point', filled: true, size: 70, color: '#222222' },
          encoding: {
            x,
            y: { ...y, field: 'roi' },
            tooltip: [
              { field: 'frequency', type: 'quantitative', title: words.optimal, format: '.1f' },
              { field: 'from', type: 'quantitative', title: '5%', format: '.1f' },
              { field: 'to', type: 'quantitative', title: '95%', format: '.1f' },
              { field: 'roi', type: 'quantitative', title: TEXT.labels.roi, format: '.3f' },
            ],
          },
        },
      ],
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
  });
}
