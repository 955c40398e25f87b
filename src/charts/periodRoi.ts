/**
 * ROI per period group (quarter by default, or month or year) and channel, when some channel's effectiveness
 * varies over time (rows of src/analysis/mediaAnalysis.ts `byPeriod`, metric 'roi': the group's
 * contribution, carryover included, over its spend, as Meridian's ROI over selected times): the
 * posterior median with its 90% interval per quarter, one panel per channel with its own y scale,
 * in the style of the ROI chart (roi.ts, geoRoi.ts). The rows' mROI rows are not drawn.
 */
import type { PeriodGrouping, QuantityRow } from '../analysis/index.js';
import { sortByOrder, withOrder } from './names.js';
import { channelScale, distinct, topLevel, WIDTH, type ChartSpec } from './spec.js';
import { TEXT } from './text.js';

/** The ROI rows, checked: a channel and a period on each (an error names the first bad row). */
function periodRoiRows(rows: readonly QuantityRow[]): (QuantityRow & { channel: string; period: string })[] {
  const roi = rows.filter((row) => row.metric === 'roi');
  if (roi.length === 0) throw new Error('ROI by period chart: no rows of metric "roi" (the analysis computed no ROI per period)');
  return roi.map((row, i) => {
    if (typeof row.channel !== 'string' || typeof row.period !== 'string') throw new Error(`ROI by period chart: ROI row ${i} needs a channel and a period, got ${JSON.stringify({ channel: row.channel, period: row.period })}`);
    return row as QuantityRow & { channel: string; period: string };
  });
}

/**
 * `channelNames`: every channel of the model, in order (the colours are the same in every chart);
 * `grouping`: what the rows' periods are (mediaAnalysis.ts `periodGrouping`; default quarter).
 */
export function periodRoiSpec(rows: readonly QuantityRow[], channelNames: readonly string[], grouping: PeriodGrouping = 'quarter'): ChartSpec {
  const words = TEXT.charts.periodRoi;
  const checked = periodRoiRows(rows);
  const unknown = distinct(checked.map((r) => r.channel)).filter((c) => !channelNames.includes(c));
  if (unknown.length > 0) throw new Error(`ROI by period chart: channel ${unknown.map((c) => JSON.stringify(c)).join(', ')} is not among the model's channels (${channelNames.join(', ')})`);
  const channels = channelNames.filter((c) => checked.some((r) => r.channel === c));
  // period labels ("2024-Q3") sort as text in time order; their order is kept as given
  const periods = distinct(checked.map((r) => r.period));
  const color = { field: 'channel', type: 'nominal', scale: channelScale(channelNames), legend: null };
  const x = { field: 'period', type: 'ordinal', title: words.x(grouping), sort: sortByOrder('period'), axis: { labelAngle: -45 } };
  const y = (field: string) => ({ field, type: 'quantitative', title: TEXT.labels.roi, scale: { zero: false } });
  return topLevel(words.title(grouping), withOrder(checked, { channel: channels, period: periods }), {
    facet: { row: { field: 'channel', type: 'nominal', title: null, sort: sortByOrder('channel'), header: { labelAngle: 0, labelAlign: 'left' } } },
    spec: {
      width: WIDTH,
      height: 120,
      layer: [
        { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, y: y('q05'), y2: { field: 'q95' }, color } },
        { mark: { type: 'line', strokeWidth: 1, opacity: 0.5 }, encoding: { x, y: y('median'), color } },
        {
          mark: { type: 'point', filled: true, size: 35, color: 'white', stroke: '#333333', strokeWidth: 1 },
          encoding: {
            x,
            y: y('median'),
            tooltip: [
              { field: 'period', type: 'nominal', title: words.x(grouping) },
              { field: 'channel', type: 'nominal', title: TEXT.labels.channel },
              { field: 'median', type: 'quantitative', title: TEXT.labels.median, format: '.3f' },
              { field: 'q05', type: 'quantitative', title: '5%', format: '.3f' },
              { field: 'q95', type: 'quantitative', title: '95%', format: '.3f' },
              { field: 'mean', type: 'quantitative', title: TEXT.labels.mean, format: '.3f' },
            ],
          },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  });
}
