/**
 * Contribution charts: the posterior mean contribution of each channel per period stacked on the
 * baseline (rows from src/analysis/contributionRows.ts), and a waterfall of the totals over the whole period
 * (baseline, then each channel, ending at the predicted total).
 */
import { BASELINE, type ComponentTotal, type ContributionRow } from '../analysis/index.js';
import { sortByOrder, withOrder } from './names.js';
import { BASELINE_COLOR, channelColors, dateX, distinct, HEIGHT, topLevel, WIDTH, type ChartSpec } from './spec.js';
import { formatShort, TEXT } from './text.js';

function label(component: string): string {
  return component === BASELINE ? TEXT.labels.baseline : component;
}

export function contributionAreaSpec(rows: readonly ContributionRow[], channelNames: readonly string[]): ChartSpec {
  const words = TEXT.charts.contributionArea;
  const channels = channelNames.filter((c) => rows.some((r) => r.component === c));
  const domain = [TEXT.labels.baseline, ...channels];
  const order = new Map(domain.map((name, i) => [name, i]));
  const data = rows.map((r) => ({ date: r.date, component: label(r.component), value: r.value, order: order.get(label(r.component)) ?? domain.length }));
  return topLevel(words.title, data, {
    width: WIDTH,
    height: HEIGHT,
    mark: { type: 'area', opacity: 0.9 },
    encoding: {
      x: dateX('date', TEXT.labels.date),
      y: { field: 'value', type: 'quantitative', stack: 'zero', title: words.y },
      color: { field: 'component', type: 'nominal', title: null, scale: { domain, range: [BASELINE_COLOR, ...channelColors(channelNames).filter((_, c) => channels.includes(channelNames[c]))] } },
      order: { field: 'order', type: 'quantitative' },
      tooltip: [
        { field: 'date', type: 'nominal', title: TEXT.labels.date },
        { field: 'component', type: 'nominal', title: TEXT.labels.contribution },
        { field: 'value', type: 'quantitative', title: words.y, format: ',.0f' },
      ],
    },
  });
}

/** Waterfall: each bar starts where the previous one ended; the last bar is the total. */
export function waterfallSpec(totals: readonly ComponentTotal[], channelNames: readonly string[]): ChartSpec {
  const words = TEXT.charts.waterfall;
  let level = 0;
  const rows: Record<string, unknown>[] = [];
  for (const t of totals) {
    const start = level;
    level += t.value;
    rows.push({ component: label(t.component), kind: t.component === BASELINE ? words.kind.baseline : words.kind.channel, start, end: level, value: t.value, label: formatShort(t.value) });
  }
  rows.push({ component: TEXT.labels.total, kind: words.kind.total, start: 0, end: level, value: level, label: formatShort(level) });
  const order = distinct(rows.map((r) => r.component as string));
  const colors = channelColors(channelNames);
  const domain = order;
  const range = order.map((name) => (name === TEXT.labels.baseline ? BASELINE_COLOR : name === TEXT.labels.total ? '#555555' : colors[channelNames.indexOf(name)] ?? '#888888'));
  const x = { field: 'component', type: 'nominal', title: null, sort: sortByOrder('component'), axis: { labelAngle: 0 } };
  return topLevel(words.title, withOrder(rows, { component: order }), {
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        mark: { type: 'bar', width: { band: 0.7 } },
        encoding: {
          x,
          y: { field: 'start', type: 'quantitative', title: words.y },
          y2: { field: 'end' },
          color: { field: 'component', type: 'nominal', scale: { domain, range }, legend: null },
          tooltip: [
            { field: 'component', type: 'nominal', title: TEXT.labels.contribution },
            { field: 'value', type: 'quantitative', title: words.y, format: ',.0f' },
          ],
        },
      },
      {
        mark: { type: 'text', dy: -6, fontSize: 10 },
        encoding: { x, y: { field: 'end', type: 'quantitative' }, text: { field: 'label', type: 'nominal' } },
      },
    ],
  });
}
