/**
 * Effectiveness of each time-varying channel over the periods (rows of src/analysis/mediaAnalysis.ts
 * `effectiveness`: exp(w_c(t)), the channel's coefficient at the period over its average, w_c a
 * centred Hilbert-space Gaussian process, models/mmm components/timeVarying.ts; Solin & Särkkä 2020,
 * Riutort-Mayol et al. 2023): per channel the posterior median with its 90% credible band, and a
 * reference rule at 1 (the channel's average effectiveness); one panel per channel.
 */
import type { QuantityRow } from '../analysis/index.js';
import { sortByOrder, withOrder } from './names.js';
import { channelScale, dateX, distinct, PANEL_HEIGHT, topLevel, WIDTH, type ChartSpec } from './spec.js';
import { TEXT } from './text.js';

const REFERENCE_COLOR = '#555555';

/** The rows checked: metric 'effectiveness', a channel and a date on each (an error names the first bad row). */
function effectivenessRows(rows: readonly QuantityRow[]): (QuantityRow & { channel: string; date: string })[] {
  if (rows.length === 0) throw new Error('effectiveness chart: no rows (the fit has no time-varying channel)');
  return rows.map((row, i) => {
    if (row.metric !== 'effectiveness') throw new Error(`effectiveness chart: row ${i} has metric "${row.metric}", expected "effectiveness"`);
    if (typeof row.channel !== 'string' || typeof row.date !== 'string') throw new Error(`effectiveness chart: row ${i} needs a channel and a date, got ${JSON.stringify({ channel: row.channel, date: row.date })}`);
    return row as QuantityRow & { channel: string; date: string };
  });
}

/** `channelNames`: every channel of the model, in order (the colours are the same in every chart). */
export function effectivenessSpec(rows: readonly QuantityRow[], channelNames: readonly string[]): ChartSpec {
  const words = TEXT.charts.effectiveness;
  const checked = effectivenessRows(rows);
  const unknown = distinct(checked.map((r) => r.channel)).filter((c) => !channelNames.includes(c));
  if (unknown.length > 0) throw new Error(`effectiveness chart: channel ${unknown.map((c) => JSON.stringify(c)).join(', ')} is not among the model's channels (${channelNames.join(', ')})`);
  const channels = channelNames.filter((c) => checked.some((r) => r.channel === c));
  const color = { field: 'channel', type: 'nominal', scale: channelScale(channelNames), legend: null };
  const x = dateX('date', TEXT.labels.date);
  const y = (field: string) => ({ field, type: 'quantitative', title: words.y, scale: { zero: false } });
  const layer: Record<string, unknown>[] = [
    { mark: { type: 'area', opacity: 0.3 }, encoding: { x, y: { ...y('q05'), stack: null }, y2: { field: 'q95' }, color } },
    {
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        x,
        y: y('median'),
        color,
        tooltip: [
          { field: 'date', type: 'nominal', title: TEXT.labels.date },
          { field: 'channel', type: 'nominal', title: TEXT.labels.channel },
          { field: 'median', type: 'quantitative', title: TEXT.labels.median, format: '.3f' },
          { field: 'q05', type: 'quantitative', title: '5%', format: '.3f' },
          { field: 'q95', type: 'quantitative', title: '95%', format: '.3f' },
        ],
      },
    },
    { mark: { type: 'rule', strokeDash: [4, 3], color: REFERENCE_COLOR, strokeWidth: 1 }, encoding: { y: { datum: 1 } } },
  ];
  return topLevel(words.title, withOrder(checked, { channel: channels }), {
    facet: { row: { field: 'channel', type: 'nominal', title: null, sort: sortByOrder('channel'), header: { labelAngle: 0, labelAlign: 'left' } } },
    spec: { width: WIDTH, height: PANEL_HEIGHT, layer },
  });
}
