/**
 * The charts of time-varying channels (issue 22): effectiveness over time (src/charts/effectiveness.ts)
 * and ROI per quarter (src/charts/periodRoi.ts), on the rows of src/analysis/mediaAnalysis.ts from a
 * hand-made posterior of the geo example with tv and search varying (tests/fixtures/analysis; no
 * MCMC). Each spec validates against the Vega-Lite schema, compiles without warnings and renders to
 * SVG; the layers and fields are those the chart promises; bad rows are errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeMedia, type MediaAnalysis, type QuantityRow } from '../src/analysis/index.js';
import { compileSpec, effectivenessSpec, periodRoiSpec, renderSvg, schemaErrors, TEXT, VEGA_LITE_SCHEMA, type ChartSpec } from '../src/charts/index.js';
import { DEFAULT_MODEL_CONFIG, type MmmModelConfig } from '../models/mmm/config.js';
import type { MmmDesign } from '../models/mmm/design.js';
import { timeVaryingLayout } from '../models/mmm/index.js';
import { loadGeoDesign, posteriorAround, readGeoTruth, truthShapes, truthValues } from './fixtures/analysis/examplePosterior.js';

const config: MmmModelConfig = { ...DEFAULT_MODEL_CONFIG, timeVarying: { channels: ['tv', 'search'] } };
let design: MmmDesign;
let media: MediaAnalysis;

beforeAll(async () => {
  design = await loadGeoDesign();
  const m = timeVaryingLayout(design, config)?.m ?? 0;
  const values = {
    ...truthValues(readGeoTruth()),
    tv_amplitude: Float64Array.of(0.3, 0.2),
    tv_length_scale: Float64Array.of(20, 30),
    tv_z: Float64Array.from({ length: 2 * m }, (_, j) => Math.sin(1.7 * j + 0.3)),
  };
  const posterior = posteriorAround(values, { ...truthShapes(design.geoNames.length, design.channelNames.length), tv_z: [2, m] }, 2, 20, 0.1, 3);
  media = analyzeMedia(design, config, posterior, { byGeoDate: false });
});

/** Schema-valid, compiles without warnings, JSON-safe, renders; returns the SVG. */
async function check(spec: ChartSpec): Promise<string> {
  expect(spec.$schema).toBe(VEGA_LITE_SCHEMA);
  expect(schemaErrors(spec)).toEqual([]);
  expect(compileSpec(spec).warnings).toEqual([]);
  expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  const svg = await renderSvg(spec);
  expect(svg.startsWith('<svg')).toBe(true);
  return svg;
}

const values = (spec: ChartSpec) => (spec.data as { values: Record<string, unknown>[] }).values;
const layers = (spec: ChartSpec) => (spec.spec as { layer: { mark: { type: string }; encoding: Record<string, { field?: string; datum?: unknown }> }[] }).layer;

describe('charts of time-varying channels', () => {
  it('effectiveness: per channel the 90% band, the median line and a rule at 1; one panel per time-varying channel', async () => {
    const spec = effectivenessSpec(media.effectiveness, design.channelNames);
    const svg = await check(spec);
    expect(svg).toContain(TEXT.charts.effectiveness.title);
    for (const channel of ['tv', 'search']) expect(svg).toContain(`>${channel}<`);
    expect(svg).not.toContain('>social<');
    expect((spec.facet as { row: { field: string } }).row.field).toBe('channel');
    const [band, line, rule] = layers(spec);
    expect([band.mark.type, line.mark.type, rule.mark.type]).toEqual(['area', 'line', 'rule']);
    expect([band.encoding.y.field, band.encoding.y2.field]).toEqual(['q05', 'q95']);
    expect(line.encoding.y.field).toBe('median');
    expect(rule.encoding.y.datum).toBe(1);
    expect(values(spec)).toHaveLength(2 * design.dates.length);
    for (const row of values(spec)) {
      for (const field of ['date', 'channel', 'median', 'q05', 'q95']) expect(row).toHaveProperty(field);
      expect(row.q05 as number).toBeLessThanOrEqual(row.median as number);
      expect(row.median as number).toBeLessThanOrEqual(row.q95 as number);
    }
  });

  it('ROI per quarter: the median and its 90% interval per quarter and paid channel, ROI rows only', async () => {
    const spec = periodRoiSpec(media.byPeriod, design.channelNames, media.periodGrouping);
    const svg = await check(spec);
    expect(svg).toContain(TEXT.charts.periodRoi.title('quarter'));
    for (const label of ['>tv<', '>search<', '>social<', '>2023-Q1<', '>Quarter<']) expect(svg).toContain(label);
    const [interval, line, point] = layers(spec);
    expect([interval.mark.type, line.mark.type, point.mark.type]).toEqual(['rule', 'line', 'point']);
    expect([interval.encoding.y.field, interval.encoding.y2.field, point.encoding.y.field, point.encoding.x.field]).toEqual(['q05', 'q95', 'median', 'period']);
    const roiRows = media.byPeriod.filter((r) => r.metric === 'roi');
    expect(roiRows.length).toBeGreaterThan(0);
    expect(values(spec)).toHaveLength(roiRows.length);
    expect(values(spec).every((r) => r.metric === 'roi')).toBe(true);
    // periods keep the rows' (time) order
    expect([...new Set(values(spec).map((r) => r.period))]).toEqual([...new Set(roiRows.map((r) => r.period))]);
    await check(periodRoiSpec(media.byPeriod, design.channelNames, 'year'));
  });

  it('bad rows are errors that say what is wrong', () => {
    const row = media.effectiveness[0];
    expect(() => effectivenessSpec([], design.channelNames)).toThrow(/no rows/);
    expect(() => effectivenessSpec([{ ...row, metric: 'roi' }], design.channelNames)).toThrow(/metric "roi", expected "effectiveness"/);
    expect(() => effectivenessSpec([{ ...row, date: undefined }], design.channelNames)).toThrow(/needs a channel and a date/);
    expect(() => effectivenessSpec([{ ...row, channel: 'radio' }], design.channelNames)).toThrow(/"radio" is not among the model's channels/);
    const roi = media.byPeriod[0];
    expect(() => periodRoiSpec(media.byPeriod.filter((r) => r.metric === 'mroi'), design.channelNames)).toThrow(/no rows of metric "roi"/);
    expect(() => periodRoiSpec([{ ...roi, period: undefined } as QuantityRow], design.channelNames)).toThrow(/needs a channel and a period/);
  });
});
