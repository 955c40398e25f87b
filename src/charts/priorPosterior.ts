/**
 * Prior vs posterior density of each key parameter, one small panel per parameter with its own
 * scales (rows from src/analysis/priorPosterior.ts).
 */
import type { PriorPosteriorRow } from '../analysis/index.js';
import { sortByOrder, withOrder } from './names.js';
import { distinct, facetColumns, PANEL_HEIGHT, PANEL_WIDTH, POSTERIOR_COLOR, PRIOR_COLOR, topLevel, type ChartSpec } from './spec.js';
import { TEXT } from './text.js';

export function priorPosteriorSpec(rows: readonly PriorPosteriorRow[]): ChartSpec {
  const words = TEXT.charts.priorPosterior;
  const parameters = distinct(rows.map((r) => r.parameter));
  const data = rows.map((r) => ({ ...r, source: r.source === 'prior' ? TEXT.labels.prior : TEXT.labels.posterior }));
  return topLevel(words.title, withOrder(data, { parameter: parameters }), {
    facet: { field: 'parameter', type: 'nominal', title: null, sort: sortByOrder('parameter') },
    columns: facetColumns(parameters.length, 4),
    spec: {
      width: PANEL_WIDTH * 0.8,
      height: PANEL_HEIGHT * 0.6,
      mark: { type: 'area', opacity: 0.45, line: true },
      encoding: {
        x: { field: 'value', type: 'quantitative', title: null, axis: { tickCount: 4 } },
        y: { field: 'density', type: 'quantitative', title: null, axis: null, stack: null },
        color: {
          field: 'source',
          type: 'nominal',
          title: null,
          scale: { domain: [TEXT.labels.prior, TEXT.labels.posterior], range: [PRIOR_COLOR, POSTERIOR_COLOR] },
          legend: { orient: 'top' },
        },
      },
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
  });
}
