/**
 * ROI by geo: one row per geo, one panel per channel (own x scale), the median with the 50% and 90%
 * intervals (rows from src/analysis/geoRoi.ts).
 */
import type { GeoRoiRow } from '../analysis/index.js';
import { sortByOrder, withOrder } from './names.js';
import { channelScale, topLevel, type ChartSpec } from './spec.js';
import { TEXT } from './text.js';

export function geoRoiSpec(rows: readonly GeoRoiRow[], channelNames: readonly string[], geoNames: readonly string[]): ChartSpec {
  const words = TEXT.charts.geoRoi;
  const channels = channelNames.filter((c) => rows.some((r) => r.channel === c));
  const geos = geoNames.filter((g) => rows.some((r) => r.geo === g));
  const color = { field: 'channel', type: 'nominal', scale: channelScale(channelNames), legend: null };
  const x = (field: string) => ({ field, type: 'quantitative', title: TEXT.labels.roi, scale: { zero: false } });
  const y = { field: 'geo', type: 'nominal', title: null, sort: sortByOrder('geo') };
  return topLevel(words.title, withOrder(rows, { channel: channels, geo: geos }), {
    facet: { column: { field: 'channel', type: 'nominal', title: null, sort: sortByOrder('channel') } },
    spec: {
      width: 180,
      height: { step: 18 },
      layer: [
        { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x: x('q05'), x2: { field: 'q95' }, y, color } },
        { mark: { type: 'rule', strokeWidth: 5 }, encoding: { x: x('q25'), x2: { field: 'q75' }, y, color } },
        {
          mark: { type: 'point', filled: true, size: 35, color: 'white', stroke: '#333333', strokeWidth: 1 },
          encoding: {
            x: x('median'),
            y,
            tooltip: [
              { field: 'geo', type: 'nominal', title: TEXT.labels.geo },
              { field: 'channel', type: 'nominal', title: TEXT.labels.channel },
              { field: 'median', type: 'quantitative', title: TEXT.labels.median, format: '.3f' },
              { field: 'q05', type: 'quantitative', title: '5%', format: '.3f' },
              { field: 'q95', type: 'quantitative', title: '95%', format: '.3f' },
              { field: 'spend', type: 'quantitative', title: TEXT.labels.spend, format: ',.0f' },
            ],
          },
        },
      ],
    },
    resolve: { scale: { x: 'independent' } },
  });
}
