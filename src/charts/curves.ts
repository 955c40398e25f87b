/**
 * Curves of the media transforms, one panel per channel: spend response (incremental KPI or revenue
 * vs total spend, with the current and proposed spend marked), adstock decay (carry-over weight per
 * lag) and saturation (vs a constant media level per period, with the data's average level
 * marked), each with the posterior mean and the 90% band (src/analysis responseCurves.ts rows).
 */
import type { AdstockCurveRow, ResponseMark, SaturationCurveRow, SpendResponseRow } from '../analysis/index.js';
import { sortByOrder, withOrder } from './names.js';
import { channelScale, facetColumns, PANEL_HEIGHT, PANEL_WIDTH, topLevel, type ChartSpec } from './spec.js';
import { TEXT } from './text.js';

function channelsIn(rows: readonly { channel: string }[], channelNames: readonly string[]): string[] {
  return channelNames.filter((c) => rows.some((r) => r.channel === c));
}

const facet = { field: 'channel', type: 'nominal', title: null, sort: sortByOrder('channel') };

export function responseCurveSpec(curves: readonly SpendResponseRow[], marks: readonly ResponseMark[], channelNames: readonly string[]): ChartSpec {
  const words = TEXT.charts.responseCurves;
  const unit = curves.some((r) => r.unit === 'revenue') ? 'revenue' : 'kpi';
  const curveRows = curves.filter((r) => r.unit === unit).map((r) => ({ kind: 'curve', channel: r.channel, spend: r.spend, multiplier: r.multiplier, mean: r.mean, q05: r.q05, q95: r.q95 }));
  const markRows = marks.map((m) => ({ kind: 'mark', channel: m.channel, spend: m.spend, response: m.response, mark: m.kind === 'current' ? TEXT.labels.current : TEXT.labels.proposed }));
  const channels = channelsIn(curveRows, channelNames);
  const y = { type: 'quantitative', title: unit === 'revenue' ? words.yRevenue : words.y };
  const x = { field: 'spend', type: 'quantitative', title: words.x, axis: { tickCount: 4 } };
  const color = { field: 'channel', type: 'nominal', scale: channelScale(channelNames), legend: null };
  const kinds = [TEXT.labels.current, TEXT.labels.proposed].filter((k) => markRows.some((m) => m.mark === k));
  const markScale = { domain: kinds, range: kinds.map((k) => (k === TEXT.labels.current ? 'circle' : 'diamond')) };
  return topLevel(words.title, withOrder([...curveRows, ...markRows], { channel: channels }), {
    facet,
    columns: facetColumns(channels.length),
    spec: {
      width: PANEL_WIDTH,
      height: PANEL_HEIGHT,
      layer: [
        { transform: [{ filter: "datum.kind === 'curve'" }], mark: { type: 'area', opacity: 0.25 }, encoding: { x, y: { ...y, field: 'q05' }, y2: { field: 'q95' }, color } },
        {
          transform: [{ filter: "datum.kind === 'curve'" }],
          mark: { type: 'line', strokeWidth: 2 },
          encoding: {
            x,
            y: { ...y, field: 'mean' },
            color,
            tooltip: [
              { field: 'multiplier', type: 'quantitative', title: TEXT.labels.multiplier, format: '.1f' },
              { field: 'spend', type: 'quantitative', title: TEXT.labels.spend, format: ',.0f' },
              { field: 'mean', type: 'quantitative', title: TEXT.labels.mean, format: ',.0f' },
            ],
          },
        },
        { transform: [{ filter: "datum.kind === 'mark'" }], mark: { type: 'rule', strokeDash: [3, 3], color: '#555555' }, encoding: { x } },
        {
          transform: [{ filter: "datum.kind === 'mark' && isFinite(datum.response)" }],
          mark: { type: 'point', filled: true, size: 70, color: '#222222' },
          encoding: {
            x,
            y: { ...y, field: 'response' },
            shape: { field: 'mark', type: 'nominal', title: null, scale: markScale, legend: { orient: 'top' } },
            tooltip: [
              { field: 'mark', type: 'nominal', title: TEXT.labels.allocation },
              { field: 'spend', type: 'quantitative', title: TEXT.labels.spend, format: ',.0f' },
              { field: 'response', type: 'quantitative', title: TEXT.labels.mean, format: ',.0f' },
            ],
          },
        },
      ],
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
  });
}

export function adstockSpec(rows: readonly AdstockCurveRow[], channelNames: readonly string[]): ChartSpec {
  const words = TEXT.charts.adstock;
  const channels = channelsIn(rows, channelNames);
  const color = { field: 'channel', type: 'nominal', scale: channelScale(channelNames), legend: null };
  const x = { field: 'lag', type: 'ordinal', title: TEXT.labels.lag, axis: { labelAngle: 0 } };
  return topLevel(words.title, withOrder(rows, { channel: channels }), {
    facet,
    columns: facetColumns(channels.length),
    spec: {
      width: PANEL_WIDTH,
      height: PANEL_HEIGHT,
      layer: [
        {
          mark: { type: 'bar', opacity: 0.8 },
          encoding: {
            x,
            y: { field: 'mean', type: 'quantitative', title: TEXT.labels.adstockWeight, scale: { domain: [0, 1] }, stack: null },
            color,
            tooltip: [
              { field: 'lag', type: 'ordinal', title: TEXT.labels.lag },
              { field: 'mean', type: 'quantitative', title: TEXT.labels.mean, format: '.3f' },
              { field: 'q05', type: 'quantitative', title: '5%', format: '.3f' },
              { field: 'q95', type: 'quantitative', title: '95%', format: '.3f' },
            ],
          },
        },
        { mark: { type: 'rule', color: '#333333' }, encoding: { x, y: { field: 'q05', type: 'quantitative' }, y2: { field: 'q95' } } },
      ],
    },
  });
}

/** A channel's reference media level per period (e.g. its average in the data). */
export interface MediaLevel {
  readonly channel: string;
  readonly media: number;
}

export function saturationSpec(rows: readonly SaturationCurveRow[], levels: readonly MediaLevel[], channelNames: readonly string[]): ChartSpec {
  const words = TEXT.charts.saturation;
  const channels = channelsIn(rows, channelNames);
  const color = { field: 'channel', type: 'nominal', scale: channelScale(channelNames), legend: null };
  const x = { field: 'media', type: 'quantitative', title: TEXT.labels.mediaPerPeriod, axis: { tickCount: 4 } };
  const y = { type: 'quantitative', title: TEXT.labels.saturation, scale: { domain: [0, 1] } };
  const data = [
    ...rows.map((r) => ({ kind: 'curve', channel: r.channel, media: r.media, mean: r.mean, q05: r.q05, q95: r.q95 })),
    ...levels.map((l) => ({ kind: 'level', channel: l.channel, media: l.media })),
  ];
  return topLevel(words.title, withOrder(data, { channel: channels }), {
    facet,
    columns: facetColumns(channels.length),
    spec: {
      width: PANEL_WIDTH,
      height: PANEL_HEIGHT,
      layer: [
        { transform: [{ filter: "datum.kind === 'curve'" }], mark: { type: 'area', opacity: 0.25 }, encoding: { x, y: { ...y, field: 'q05' }, y2: { field: 'q95' }, color } },
        {
          transform: [{ filter: "datum.kind === 'curve'" }],
          mark: { type: 'line', strokeWidth: 2 },
          encoding: {
            x,
            y: { ...y, field: 'mean' },
            color,
            tooltip: [
              { field: 'media', type: 'quantitative', title: TEXT.labels.mediaPerPeriod, format: ',.0f' },
              { field: 'mean', type: 'quantitative', title: TEXT.labels.mean, format: '.3f' },
            ],
          },
        },
        {
          transform: [{ filter: "datum.kind === 'level'" }],
          mark: { type: 'rule', strokeDash: [3, 3], color: '#555555' },
          encoding: { x, tooltip: [{ field: 'media', type: 'quantitative', title: TEXT.labels.averageMedia, format: ',.0f' }] },
        },
      ],
    },
    resolve: { scale: { x: 'independent' } },
  });
}
