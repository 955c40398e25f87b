/**
 * The baseline's time effect over the periods (rows from src/analysis/timeEffect.ts): per component
 * (the trend or the knots' piecewise-linear effect, the Fourier seasonality, and their sum) the
 * posterior mean with its 90% credible band, summed over geos in KPI units; one panel per
 * component. Periods after the data, where the knots' effect is held at the last knot's value, are
 * drawn dashed.
 */
import type { TimeEffectRow } from '../analysis/index.js';
import { dateX, distinct, PANEL_HEIGHT, topLevel, WIDTH, type ChartSpec } from './spec.js';
import { TEXT } from './text.js';

const MEAN_COLOR = '#4c78a8';
const BAND_COLOR = '#9ecae9';

export function timeEffectSpec(rows: readonly TimeEffectRow[]): ChartSpec {
  const words = TEXT.charts.timeEffect;
  const components = distinct(rows.map((r) => r.component));
  const x = dateX('date', TEXT.labels.date);
  const y = (field: string) => ({ field, type: 'quantitative', title: words.y });
  const layer: Record<string, unknown>[] = [
    { mark: { type: 'area', opacity: 0.6, color: BAND_COLOR }, encoding: { x, y: y('q05'), y2: { field: 'q95' } } },
    {
      mark: { type: 'line', strokeWidth: 1.5, color: MEAN_COLOR },
      encoding: {
        x,
        y: y('mean'),
        strokeDash: { field: 'extrapolated', type: 'nominal', title: words.extrapolated, scale: { domain: [false, true], range: [[1, 0], [4, 3]] } },
        tooltip: [
          { field: 'date', type: 'nominal', title: TEXT.labels.date },
          { field: 'component', type: 'nominal', title: words.component },
          { field: 'mean', type: 'quantitative', title: words.mean, format: ',.0f' },
          { field: 'q05', type: 'quantitative', title: '5%', format: ',.0f' },
          { field: 'q95', type: 'quantitative', title: '95%', format: ',.0f' },
        ],
      },
    },
  ];
  return topLevel(words.title, rows, {
    facet: { row: { field: 'component', type: 'nominal', title: words.component, sort: components } },
    spec: { width: WIDTH, height: PANEL_HEIGHT, layer },
    resolve: { scale: { y: 'independent' } },
  });
}
