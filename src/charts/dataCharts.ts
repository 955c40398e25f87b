/**
 * Charts of the data checks (rows from src/analysis/dataChecks.ts): spend and KPI over time (one panel per
 * series, one line per geo), zero-spend shares, spend shares, the correlation matrix of media
 * inputs and controls with collinear pairs outlined, variance inflation factors and KPI
 * seasonality by ISO week of the year.
 */
import { ALL_GEOS, KPI_SERIES, type CollinearPair, type CorrelationRow, type SeasonalityRow, type SeriesRow, type SpendShareRow, type VifRow, type ZeroSpendRow } from '../analysis/index.js';
import { sortByOrder, withOrder } from './names.js';
import { channelScale, dateX, distinct, FLAG_COLOR, OK_COLOR, topLevel, WIDTH, type ChartSpec } from './spec.js';
import { TEXT } from './text.js';

function seriesLabel(series: string): string {
  return series === KPI_SERIES ? TEXT.labels.kpi : `${series} ${TEXT.labels.spend.toLowerCase()}`;
}

export function spendKpiSpec(rows: readonly SeriesRow[]): ChartSpec {
  const words = TEXT.charts.spendKpi;
  const data = rows.map((r) => ({ ...r, series: seriesLabel(r.series) }));
  const series = distinct(data.map((r) => r.series));
  const geos = distinct(rows.map((r) => r.geo));
  return topLevel(words.title, withOrder(data, { series, geo: geos }), {
    facet: { row: { field: 'series', type: 'nominal', title: null, sort: sortByOrder('series'), header: { labelAngle: 0, labelAlign: 'left' } } },
    spec: {
      width: WIDTH,
      height: 70,
      mark: { type: 'line', strokeWidth: 1 },
      encoding: {
        x: dateX('date', TEXT.labels.date),
        y: { field: 'value', type: 'quantitative', title: null, axis: { tickCount: 3 } },
        color: { field: 'geo', type: 'nominal', title: TEXT.labels.geo, sort: sortByOrder('geo'), legend: geos.length > 1 ? { orient: 'top' } : null },
        tooltip: [
          { field: 'date', type: 'nominal', title: TEXT.labels.date },
          { field: 'geo', type: 'nominal', title: TEXT.labels.geo },
          { field: 'series', type: 'nominal', title: TEXT.labels.variable },
          { field: 'value', type: 'quantitative', title: TEXT.labels.value, format: ',.0f' },
        ],
      },
    },
    resolve: { scale: { y: 'independent' } },
  });
}

export function zeroSpendSpec(rows: readonly ZeroSpendRow[], channelNames: readonly string[]): ChartSpec {
  const words = TEXT.charts.zeroSpend;
  const perGeo = rows.filter((r) => r.geo !== ALL_GEOS);
  const geos = distinct(perGeo.map((r) => r.geo));
  const data = geos.length > 1 ? rows.map((r) => ({ ...r, geo: r.geo === ALL_GEOS ? TEXT.labels.allGeos : r.geo })) : perGeo;
  const geoOrder = geos.length > 1 ? [...geos, TEXT.labels.allGeos] : geos;
  return topLevel(words.title, withOrder(data, { channel: channelNames, geo: geoOrder }), {
    width: 360,
    height: { step: geos.length > 1 ? 9 : 22 },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'channel', type: 'nominal', title: null, sort: sortByOrder('channel') },
      ...(geos.length > 1 ? { yOffset: { field: 'geo', type: 'nominal', sort: sortByOrder('geo') } } : {}),
      x: { field: 'zeroShare', type: 'quantitative', title: TEXT.labels.zeroShare, scale: { domain: [0, 1] }, axis: { format: '.0%', tickCount: 5 }, stack: null },
      color: geos.length > 1
        ? { field: 'geo', type: 'nominal', title: TEXT.labels.geo, sort: sortByOrder('geo'), legend: { orient: 'right' } }
        : { field: 'channel', type: 'nominal', scale: channelScale(channelNames), legend: null },
      tooltip: [
        { field: 'channel', type: 'nominal', title: TEXT.labels.channel },
        { field: 'geo', type: 'nominal', title: TEXT.labels.geo },
        { field: 'zeroShare', type: 'quantitative', title: TEXT.labels.zeroShare, format: '.1%' },
      ],
    },
  });
}

export function spendShareSpec(rows: readonly SpendShareRow[], channelNames: readonly string[]): ChartSpec {
  const words = TEXT.charts.spendShare;
  const y = { field: 'channel', type: 'nominal', title: null, sort: sortByOrder('channel') };
  const x = { field: 'share', type: 'quantitative', title: TEXT.labels.spendShare, axis: { format: '.0%', tickCount: 5 }, scale: { domain: [0, 1] }, stack: null };
  return topLevel(words.title, withOrder(rows, { channel: channelNames }), {
    width: 360,
    height: { step: 24 },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          y,
          x,
          color: { field: 'channel', type: 'nominal', scale: channelScale(channelNames), legend: null },
          tooltip: [
            { field: 'channel', type: 'nominal', title: TEXT.labels.channel },
            { field: 'spend', type: 'quantitative', title: TEXT.labels.spend, format: ',.0f' },
            { field: 'share', type: 'quantitative', title: TEXT.labels.spendShare, format: '.1%' },
          ],
        },
      },
      { mark: { type: 'text', align: 'left', dx: 4, fontSize: 10 }, encoding: { y, x, text: { field: 'share', type: 'quantitative', format: '.1%' } } },
    ],
  });
}

export function correlationSpec(rows: readonly CorrelationRow[], pairs: readonly CollinearPair[], variables: readonly string[]): ChartSpec {
  const words = TEXT.charts.correlation;
  // a pair's key as JSON: names may hold any character, "|" included
  const pairKey = (a: string, b: string) => JSON.stringify([a, b]);
  const flagged = new Set(pairs.flatMap((p) => [pairKey(p.a, p.b), pairKey(p.b, p.a)]));
  const data = rows.map((r) => ({ ...r, flagged: flagged.has(pairKey(r.row, r.column)), label: Number.isFinite(r.r) ? r.r.toFixed(2) : '' }));
  const x = { field: 'column', type: 'nominal', title: null, sort: sortByOrder('column'), axis: { labelAngle: -40, grid: false } };
  const y = { field: 'row', type: 'nominal', title: null, sort: sortByOrder('row'), axis: { grid: false } };
  const size = Math.max(24, Math.min(48, Math.floor(420 / Math.max(1, variables.length))));
  return topLevel(words.title, withOrder(data, { row: variables, column: variables }), {
    width: { step: size },
    height: { step: size },
    layer: [
      {
        mark: { type: 'rect' },
        encoding: {
          x,
          y,
          color: { field: 'r', type: 'quantitative', title: TEXT.labels.correlation, scale: { domain: [-1, 1], scheme: 'blueorange' } },
          tooltip: [
            { field: 'row', type: 'nominal', title: TEXT.labels.variable },
            { field: 'column', type: 'nominal', title: TEXT.labels.variable },
            { field: 'r', type: 'quantitative', title: TEXT.labels.correlation, format: '.3f' },
          ],
        },
      },
      { transform: [{ filter: 'datum.flagged' }], mark: { type: 'rect', fillOpacity: 0, stroke: FLAG_COLOR, strokeWidth: 2.5 }, encoding: { x, y } },
      { mark: { type: 'text', fontSize: 9 }, encoding: { x, y, text: { field: 'label', type: 'nominal' }, color: { condition: { test: 'abs(datum.r) > 0.6', value: 'white' }, value: '#222222' } } },
    ],
  });
}

export function vifSpec(rows: readonly VifRow[], limit = 5): ChartSpec {
  const words = TEXT.charts.vif;
  const cap = 100;
  const data = rows.map((r) => ({
    ...r,
    kind: r.kind === 'media' ? TEXT.labels.media : TEXT.labels.control,
    shown: Number.isFinite(r.vif) ? Math.min(r.vif, cap) : Number.isNaN(r.vif) ? null : cap,
    label: Number.isFinite(r.vif) ? r.vif.toFixed(1) : Number.isNaN(r.vif) ? 'n/a' : '∞',
    flagged: r.vif > limit,
  }));
  const y = { field: 'variable', type: 'nominal', title: null, sort: sortByOrder('variable') };
  const x = { field: 'shown', type: 'quantitative', title: TEXT.labels.vif, scale: { type: 'log', domain: [1, Math.max(20, ...data.map((d) => d.shown ?? 1))] } };
  return topLevel(words.title, withOrder(data, { variable: rows.map((r) => r.variable) }), {
    width: 360,
    height: { step: 22 },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          y,
          x,
          x2: { datum: 1 },
          color: { field: 'flagged', type: 'nominal', scale: { domain: [false, true], range: [OK_COLOR, FLAG_COLOR] }, legend: null },
          tooltip: [
            { field: 'variable', type: 'nominal', title: TEXT.labels.variable },
            { field: 'kind', type: 'nominal', title: TEXT.labels.value },
            { field: 'label', type: 'nominal', title: TEXT.labels.vif },
          ],
        },
      },
      { mark: { type: 'text', align: 'left', dx: 4, fontSize: 10 }, encoding: { y, x, text: { field: 'label', type: 'nominal' } } },
      { mark: { type: 'rule', strokeDash: [4, 3], color: '#f58518' }, encoding: { x: { datum: 5, type: 'quantitative' } } },
      { mark: { type: 'rule', strokeDash: [4, 3], color: FLAG_COLOR }, encoding: { x: { datum: 10, type: 'quantitative' } } },
    ],
  });
}

export function seasonalitySpec(rows: readonly SeasonalityRow[]): ChartSpec {
  const words = TEXT.charts.seasonality;
  const data = rows.map((r) => ({ ...r, year: String(r.year) }));
  return topLevel(words.title, data, {
    width: WIDTH,
    height: 220,
    mark: { type: 'line', point: { size: 12, filled: true }, strokeWidth: 1.5 },
    encoding: {
      x: { field: 'week', type: 'quantitative', title: TEXT.labels.weekOfYear, scale: { domain: [1, 53] }, axis: { tickCount: 13 } },
      y: { field: 'kpi', type: 'quantitative', title: TEXT.labels.kpi, scale: { zero: false } },
      color: { field: 'year', type: 'nominal', title: TEXT.labels.year },
      tooltip: [
        { field: 'year', type: 'nominal', title: TEXT.labels.year },
        { field: 'week', type: 'quantitative', title: TEXT.labels.weekOfYear },
        { field: 'kpi', type: 'quantitative', title: TEXT.labels.kpi, format: ',.0f' },
      ],
    },
  });
}
