/**
 * What every chart shares: the Vega-Lite spec type (plain JSON with the v6 `$schema`), inline data
 * made JSON-safe (non-finite numbers become null, which Vega treats as missing), the sizes, the
 * colour of each channel (the same in every chart) and the chart record the report and the files
 * are made of. Vega-Lite: Satyanarayan, Moritz, Wongsuphasawat & Heer 2017, "Vega-Lite: A Grammar
 * of Interactive Graphics", IEEE TVCG 23(1).
 */

import { TEXT } from './text.js';

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** A Vega-Lite top-level spec as plain JSON (checked against the schema in the tests). */
export interface ChartSpec {
  readonly $schema: string;
  readonly [key: string]: unknown;
}

/** One chart of a report or inspection: file name stem, wording and spec. */
export interface Chart {
  /** File name stem and HTML id, e.g. "model-fit". */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly spec: ChartSpec;
}

export const WIDTH = 640;
export const HEIGHT = 260;
export const PANEL_WIDTH = 200;
export const PANEL_HEIGHT = 130;

/** Tableau 10, the palette channels take in order. */
const PALETTE = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'];
export const BASELINE_COLOR = '#c7c7c7';
export const ACTUAL_COLOR = '#222222';
export const PRIOR_COLOR = '#9d9d9d';
export const POSTERIOR_COLOR = '#4c78a8';
export const FLAG_COLOR = '#d62728';
export const OK_COLOR = '#4c78a8';

/** The colour of each channel (by position; the palette repeats past ten channels). */
export function channelColors(channelNames: readonly string[]): string[] {
  return channelNames.map((_, c) => PALETTE[c % (PALETTE.length - 1)]);
}

/** A colour scale for channels, the same in every chart. */
export function channelScale(channelNames: readonly string[]): { domain: string[]; range: string[] } {
  return { domain: [...channelNames], range: channelColors(channelNames) };
}

/** Rows made JSON-safe: non-finite numbers become null (missing in Vega). */
export function inlineRows<T extends object>(rows: readonly T[]): Record<string, unknown>[] {
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row)) {
      if (value === undefined) continue;
      out[key] = typeof value === 'number' && !Number.isFinite(value) ? null : value;
    }
    return out;
  });
}

/** The common top level: schema, inline data, title, font and background. */
export function topLevel(title: string, rows: readonly object[], body: Record<string, unknown>, subtitle?: string): ChartSpec {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: subtitle ? { text: title, subtitle } : title,
    data: { values: inlineRows(rows) },
    ...body,
    config: CONFIG,
  };
}

const CONFIG = {
  background: 'white',
  font: 'Helvetica, Arial, sans-serif',
  title: { anchor: 'start', fontSize: 14, subtitleFontSize: 11 },
  axis: { labelFontSize: 10, titleFontSize: 11, gridColor: '#eeeeee' },
  legend: { labelFontSize: 10, titleFontSize: 11, orient: 'right', labelLimit: 320 },
  header: { labelFontSize: 11, titleFontSize: 11 },
  view: { stroke: '#dddddd' },
};

/** A temporal x encoding on ISO dates (UTC, so labels do not depend on the viewer's time zone). */
export function dateX(field = 'date', title: string = TEXT.labels.date): Record<string, unknown> {
  return { field, type: 'temporal', title, scale: { type: 'utc' }, axis: { format: '%b %Y' } };
}

/**
 * A colour encoding for one layer of a layered chart whose legend names the layers: the layer gets
 * a constant field `series` (calculate transform) and every layer shares the scale `domain` ->
 * `range`. (A `datum` colour would not accept a scale or legend under the schema.)
 */
export function layerSeries(label: string, domain: readonly string[], range: readonly string[], legend: Record<string, unknown> | null = { title: null, orient: 'bottom', direction: 'horizontal', labelLimit: 320 }): {
  transform: Record<string, unknown>[];
  color: Record<string, unknown>;
} {
  return {
    transform: [{ calculate: JSON.stringify(label), as: 'series' }],
    color: { field: 'series', type: 'nominal', scale: { domain: [...domain], range: [...range] }, legend },
  };
}

/** Columns of a wrapped facet for `count` panels. */
export function facetColumns(count: number, maxColumns = 3): number {
  return Math.max(1, Math.min(count, maxColumns));
}

/** Distinct values in first-seen order. */
export function distinct<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}
