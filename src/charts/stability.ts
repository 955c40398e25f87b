/**
 * Rolling-window stability: for each metric (rows: ROI, media coefficient, adstock rate) and
 * channel (columns), the posterior median of every window with its 90% interval, at the window's
 * last date, joined by a line, and a dashed rule at the mean over windows; each panel has its own
 * y scale. Rows come from src/batch/stability.ts (data first, then this pure rows -> spec
 * function). Only channels with rows for every metric are drawn (e.g. the all-media ROI, which has
 * no coefficient, is left to the tables): Vega-Lite lays out a faceted grid with a custom sort
 * order and independent scales correctly only when every cell has data (with a missing cell the
 * cells shift against their headers, as rendering this chart showed). The wording is kept here rather than in text.ts because this chart belongs to the
 * batch reports, not to a run's report page.
 */
import { sortByOrder, withOrder } from './names.js';
import { channelScale, dateX, distinct, topLevel, type ChartSpec } from './spec.js';

/** What the chart needs of a window row (src/batch/stability.ts StabilityRow). */
export interface StabilityChartRow {
  readonly window: number;
  readonly from: string;
  readonly to: string;
  readonly channel: string;
  readonly metric: string;
  readonly median: number;
  readonly q05: number;
  readonly q95: number;
}

/** And of a summary row. */
export interface StabilityChartSummary {
  readonly channel: string;
  readonly metric: string;
  readonly meanOfMeans: number;
  readonly verdict: string;
}

export const STABILITY_TEXT = {
  title: (series: string) => `Rolling-window stability: ${series}`,
  subtitle: 'posterior median and 90% interval per window (at its last date); dashed: mean over windows',
  window: 'window',
  windowEnd: 'window end',
  value: 'posterior',
  verdict: 'verdict',
} as const;

/**
 * The stability chart. `metricLabels` maps metric keys to row titles (e.g. roi -> "ROI");
 * `channelNames` fixes the column order and colours.
 */
export function stabilitySpec(series: string, rows: readonly StabilityChartRow[], summary: readonly StabilityChartSummary[], metricLabels: Readonly<Record<string, string>>, channelNames?: readonly string[]): ChartSpec {
  const metrics = distinct(rows.map((r) => r.metric));
  const channels = (channelNames ?? distinct(rows.map((r) => r.channel))).filter((c) => metrics.every((m) => rows.some((r) => r.channel === c && r.metric === m)));
  const drawn = rows.filter((r) => channels.includes(r.channel));
  const means = summary.filter((s) => channels.includes(s.channel) && metrics.includes(s.metric));
  const label = (metric: string) => metricLabels[metric] ?? metric;
  const data = [
    ...drawn.map((r) => ({ kind: 'window', metricLabel: label(r.metric), ...r })),
    ...means.map((s) => ({ kind: 'summary', metricLabel: label(s.metric), channel: s.channel, metric: s.metric, meanOfMeans: s.meanOfMeans, verdict: s.verdict })),
  ];
  const color = { field: 'channel', type: 'nominal', scale: channelScale(channels), legend: null };
  const y = (field: string) => ({ field, type: 'quantitative', title: null, scale: { zero: false } });
  const windowsOnly = { filter: "datum.kind === 'window'" };
  // Padding keeps the first and last windows' intervals off the panel's edges.
  const x = { ...dateX('to', STABILITY_TEXT.windowEnd), scale: { type: 'utc', padding: 14 } };
  return topLevel(STABILITY_TEXT.title(series), withOrder(data, { channel: channels }), {
    facet: {
      row: { field: 'metricLabel', type: 'nominal', title: null, sort: metrics.map(label), header: { labelAngle: 0, labelAlign: 'left' } },
      column: { field: 'channel', type: 'nominal', title: null, sort: sortByOrder('channel') },
    },
    spec: {
      width: 180,
      height: 120,
      layer: [
        { transform: [windowsOnly], mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, y: y('q05'), y2: { field: 'q95' }, color } },
        { transform: [windowsOnly], mark: { type: 'line', strokeWidth: 1, opacity: 0.6 }, encoding: { x, y: y('median'), color } },
        {
          transform: [windowsOnly],
          mark: { type: 'point', filled: true, size: 35, color: 'white', stroke: '#333333', strokeWidth: 1 },
          encoding: {
            x,
            y: y('median'),
            tooltip: [
              { field: 'window', type: 'ordinal', title: STABILITY_TEXT.window },
              { field: 'from', type: 'nominal', title: 'from' },
              { field: 'to', type: 'nominal', title: 'to' },
              { field: 'median', type: 'quantitative', title: 'median', format: '.3f' },
              { field: 'q05', type: 'quantitative', title: '5%', format: '.3f' },
              { field: 'q95', type: 'quantitative', title: '95%', format: '.3f' },
            ],
          },
        },
        {
          transform: [{ filter: "datum.kind === 'summary'" }],
          mark: { type: 'rule', strokeDash: [4, 3], color: '#777777' },
          encoding: { y: y('meanOfMeans'), tooltip: [{ field: 'verdict', type: 'nominal', title: STABILITY_TEXT.verdict }, { field: 'meanOfMeans', type: 'quantitative', title: 'mean', format: '.3f' }] },
        },
      ],
    },
    resolve: { scale: { y: 'independent', x: 'shared' } },
  }, STABILITY_TEXT.subtitle);
}
