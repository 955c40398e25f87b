/**
 * Model fit: actual KPI against the posterior mean of the expected KPI, its 90% credible band and
 * the 90% posterior predictive interval, with held-out periods shaded (rows from
 * src/analysis/modelFitRows.ts). One panel for the total over geos, or one row of panels per geo.
 */
import type { ModelFitRow } from '../analysis/index.js';
import { sortByOrder, withOrder } from './names.js';
import { ACTUAL_COLOR, dateX, distinct, HEIGHT, layerSeries, PANEL_HEIGHT, topLevel, WIDTH, type ChartSpec } from './spec.js';
import { TEXT } from './text.js';

const MEAN_COLOR = '#4c78a8';

export function modelFitSpec(rows: readonly ModelFitRow[]): ChartSpec {
  const words = TEXT.charts.modelFit;
  const geos = distinct(rows.flatMap((r) => (r.geo !== undefined ? [r.geo] : [])));
  const hasPredictive = rows.some((r) => r.predictiveQ05 !== undefined);
  const hasHoldout = rows.some((r) => r.holdout);
  const domain = [words.actual, words.mean, words.credible, ...(hasPredictive ? [words.predictive] : []), ...(hasHoldout ? [words.holdout] : [])];
  const range = [ACTUAL_COLOR, MEAN_COLOR, '#9ecae9', ...(hasPredictive ? ['#deebf7'] : []), ...(hasHoldout ? ['#f2e6c9'] : [])];
  const series = (label: string, transform: Record<string, unknown>[] = []) => {
    const s = layerSeries(label, domain, range);
    return { transform: [...transform, ...s.transform], color: s.color };
  };
  const x = dateX('date', TEXT.labels.date);
  const y = (field: string) => ({ field, type: 'quantitative', title: words.y, scale: { zero: false } });
  const layer: Record<string, unknown>[] = [];
  const band = (label: string, low: string, high: string, transform: Record<string, unknown>[] = []) => {
    const { transform: t, color } = series(label, transform);
    return { transform: t, mark: { type: 'area', opacity: 0.8 }, encoding: { x, y: y(low), y2: { field: high }, color } };
  };
  if (hasHoldout) {
    const { transform, color } = series(words.holdout, [{ filter: 'datum.holdout' }]);
    layer.push({ transform, mark: { type: 'rect', opacity: 0.7 }, encoding: { x, x2: { field: 'periodEnd' }, color } });
  }
  if (hasPredictive) layer.push(band(words.predictive, 'predictiveQ05', 'predictiveQ95'));
  layer.push(band(words.credible, 'q05', 'q95'));
  const mean = series(words.mean);
  layer.push({ transform: mean.transform, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y: y('mean'), color: mean.color } });
  const actual = series(words.actual);
  layer.push({
    transform: actual.transform,
    mark: { type: 'line', strokeWidth: 1, point: { size: 10, filled: true } },
    encoding: {
      x,
      y: y('actual'),
      color: actual.color,
      tooltip: [
        { field: 'date', type: 'nominal', title: TEXT.labels.date },
        ...(geos.length > 0 ? [{ field: 'geo', type: 'nominal', title: TEXT.labels.geo }] : []),
        { field: 'actual', type: 'quantitative', title: words.actual, format: ',.0f' },
        { field: 'mean', type: 'quantitative', title: words.mean, format: ',.0f' },
        { field: 'q05', type: 'quantitative', title: '5%', format: ',.0f' },
        { field: 'q95', type: 'quantitative', title: '95%', format: ',.0f' },
      ],
    },
  });
  if (geos.length === 0) return topLevel(words.title, rows, { width: WIDTH, height: HEIGHT, layer });
  return topLevel(words.titleByGeo, withOrder(rows, { geo: geos }), {
    facet: { row: { field: 'geo', type: 'nominal', title: TEXT.labels.geo, sort: sortByOrder('geo') } },
    spec: { width: WIDTH, height: PANEL_HEIGHT, layer },
    resolve: { scale: { y: 'independent' } },
  });
}
