/**
 * Two-channel trade-off ("allocation boundary"): over the splits of two channels' combined spend
 * (x: the first channel's share), the change in the KPI against the current plan with its 90%
 * interval (top) and the probability that the split beats the current plan (bottom), with the
 * current split and the best split marked. The chart only needs the rows' shape; the rows are
 * src/optimize/tradeoff.ts `TradeoffRow` (its `pairTradeoff` / `twoChannelTradeoff`).
 */
import { titleText } from './names.js';
import { topLevel, type ChartSpec } from './spec.js';
import { TEXT } from './text.js';

/** One split: A's share of the pair's spend, spend on each, the paired change and P(beats current). */
export interface TradeoffChartRow {
  readonly share: number;
  readonly spendA: number;
  readonly spendB: number;
  /** Mean of the window's total KPI (or revenue) under the split. */
  readonly kpiMean: number;
  /** The split's KPI minus the current plan's, over paired draws. */
  readonly upliftMean: number;
  readonly upliftQ05: number;
  readonly upliftQ95: number;
  readonly pBeatsCurrent: number;
  readonly isCurrent: boolean;
  readonly isOptimum: boolean;
}

export interface TradeoffChart {
  /** [A, B]: the x axis is A's share. */
  readonly channels: readonly string[];
  /** A + B over the planning window. */
  readonly total: number;
  readonly rows: readonly TradeoffChartRow[];
  readonly unit?: 'kpi' | 'revenue';
  /** The planning window (src/optimize/window.ts). */
  readonly window?: { readonly level: string; readonly periods: number; readonly from: string; readonly to: string };
  /** The optimizer's objective, in words (what the best split maximizes). */
  readonly objectiveDescription?: string;
  readonly draws?: number;
  /** Where the rows were read from (e.g. optimize/tradeoff.json). */
  readonly source?: string;
}

const BAND_COLOR = '#4c78a8';
const CURRENT_COLOR = '#555555';
const OPTIMUM_COLOR = '#f58518';

export function tradeoffSpec(chart: TradeoffChart): ChartSpec {
  const words = TEXT.charts.tradeoff;
  // the names go into the titles, which Vega-Lite copies into its tooltip and description expressions
  const [a, b] = chart.channels.map(titleText);
  const revenue = chart.unit === 'revenue';
  const curve = chart.rows.map((r) => ({
    kind: 'curve',
    share: r.share,
    spendA: r.spendA,
    spendB: r.spendB,
    kpiMean: r.kpiMean,
    upliftMean: r.upliftMean,
    upliftQ05: r.upliftQ05,
    upliftQ95: r.upliftQ95,
    pBeatsCurrent: r.pBeatsCurrent,
  }));
  const marks = [
    ...chart.rows.filter((r) => r.isCurrent).map((r) => ({ ...r, mark: words.current })),
    ...chart.rows.filter((r) => r.isOptimum).map((r) => ({ ...r, mark: words.optimum })),
  ].map((r) => ({ kind: 'mark', mark: r.mark, share: r.share, spendA: r.spendA, spendB: r.spendB, upliftMean: r.upliftMean, pBeatsCurrent: r.pBeatsCurrent }));
  const x = { field: 'share', type: 'quantitative', title: words.x(a, b), axis: { format: '.0%' }, scale: { zero: false } };
  const markScale = { domain: [words.current, words.optimum], range: [CURRENT_COLOR, OPTIMUM_COLOR] };
  const markColor = { field: 'mark', type: 'nominal', title: null, scale: markScale, legend: { orient: 'top' } };
  const tooltip = [
    { field: 'share', type: 'quantitative', title: words.x(a, b), format: '.1%' },
    { field: 'spendA', type: 'quantitative', title: words.spendOn(a), format: ',.0f' },
    { field: 'spendB', type: 'quantitative', title: words.spendOn(b), format: ',.0f' },
    { field: 'upliftMean', type: 'quantitative', title: revenue ? words.yUpliftRevenue : words.yUplift, format: ',.0f' },
    { field: 'upliftQ05', type: 'quantitative', title: words.interval('5%'), format: ',.0f' },
    { field: 'upliftQ95', type: 'quantitative', title: words.interval('95%'), format: ',.0f' },
    { field: 'pBeatsCurrent', type: 'quantitative', title: words.yProbability, format: '.1%' },
    { field: 'kpiMean', type: 'quantitative', title: revenue ? words.revenue : words.kpi, format: ',.0f' },
  ];
  const onCurve = { filter: "datum.kind === 'curve'" };
  const onMarks = { filter: "datum.kind === 'mark'" };
  const markRule = (x: Record<string, unknown>) => ({ transform: [onMarks], mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { x, color: markColor } });
  const markPoint = (x: Record<string, unknown>, field: string) => ({
    transform: [onMarks],
    mark: { type: 'point', filled: true, size: 70 },
    encoding: { x, y: { field, type: 'quantitative' }, color: markColor, tooltip: [{ field: 'mark', type: 'nominal', title: TEXT.labels.allocation }, ...tooltip.slice(0, 3), tooltip[field === 'upliftMean' ? 3 : 6]] },
  });
  // the panels share x: its title only under the bottom one
  const xTop = { ...x, title: null };
  const upliftY = { field: 'upliftQ05', type: 'quantitative', title: revenue ? words.yUpliftRevenue : words.yUplift };
  const upliftPanel = {
    width: 560,
    height: 220,
    layer: [
      { transform: [onCurve], mark: { type: 'area', opacity: 0.25, color: BAND_COLOR }, encoding: { x: xTop, y: upliftY, y2: { field: 'upliftQ95' } } },
      { transform: [onCurve], mark: { type: 'line', strokeWidth: 2, color: BAND_COLOR }, encoding: { x: xTop, y: { field: 'upliftMean', type: 'quantitative' }, tooltip } },
      { mark: { type: 'rule', color: '#999999' }, encoding: { y: { datum: 0, type: 'quantitative' } } },
      markRule(xTop),
      markPoint(xTop, 'upliftMean'),
    ],
  };
  const probabilityPanel = {
    width: 560,
    height: 110,
    layer: [
      {
        transform: [onCurve],
        mark: { type: 'line', strokeWidth: 2, color: BAND_COLOR, point: { size: 12, color: BAND_COLOR } },
        encoding: { x, y: { field: 'pBeatsCurrent', type: 'quantitative', title: words.yProbability, scale: { domain: [0, 1] }, axis: { format: '.0%', tickCount: 3 } }, tooltip },
      },
      { mark: { type: 'rule', color: '#999999', strokeDash: [2, 2] }, encoding: { y: { datum: 0.5, type: 'quantitative' } } },
      markRule(x),
      markPoint(x, 'pBeatsCurrent'),
    ],
  };
  const optimum = chart.rows.find((r) => r.isOptimum);
  const subtitle = optimum
    ? words.subtitle(a, chart.total, optimum.share, { mean: optimum.upliftMean, q05: optimum.upliftQ05, q95: optimum.upliftQ95 }, optimum.pBeatsCurrent)
    : undefined;
  return topLevel(words.title(a, b), [...curve, ...marks], { vconcat: [upliftPanel, probabilityPanel], spacing: 12, resolve: { scale: { x: 'shared' } } }, subtitle);
}
