/**
 * User names in the charts (src/charts/names.ts): the order helpers, and every chart builder on rows
 * whose channel, geo and control names Vega cannot hold as string literals ("if", Object.prototype
 * members, U+2028/U+2029) or that read as field paths and markup: each spec validates, compiles
 * without warnings and renders, no name is a field or inside a compiled expression, and the SVG is
 * well-formed XML with the names in it as text. The rows come from the geo example's hand-made
 * posterior (tests/fixtures/analysis; no MCMC) with its names replaced.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  adstockCurves,
  analyzeMedia,
  contributionRows,
  contributionTotals,
  correlationRows,
  dataChecks,
  geoRoiRows,
  inspectDataFromDesign,
  modelFitRows,
  priorDraws,
  priorPosteriorRows,
  responseMarks,
  roiDensityRows,
  roiIntervalRows,
  saturationCurves,
  spendResponseCurves,
  type MediaAnalysis,
} from '../src/analysis/index.js';
import {
  adstockSpec,
  budgetSpec,
  compileSpec,
  contributionAreaSpec,
  correlationSpec,
  geoRoiSpec,
  mediationEffectsSpec,
  modelFitSpec,
  optimalFrequencySpec,
  priorPosteriorSpec,
  renderSvg,
  responseCurveSpec,
  roiSpec,
  saturationSpec,
  schemaErrors,
  spendKpiSpec,
  spendShareSpec,
  stabilitySpec,
  tradeoffSpec,
  vifSpec,
  waterfallSpec,
  zeroSpendSpec,
  type ChartSpec,
} from '../src/charts/index.js';
import { orderField, sortByOrder, titleText, withOrder } from '../src/charts/names.js';
import type { Posterior } from '../src/ppl/index.js';
import { DEFAULT_MODEL_CONFIG } from '../models/mmm/config.js';
import type { MmmDesign } from '../models/mmm/design.js';
import { loadGeoDesign, posteriorAround, readGeoTruth, truthShapes, truthValues } from './fixtures/analysis/examplePosterior.js';
import { EXPRESSION_NAMES, namesInExpressions, readXml, specFields } from './support/hostileNames.js';

describe('order helpers', () => {
  it('give each row its value position, names looked up as data (never as object keys)', () => {
    const rows = [{ channel: 'constructor' }, { channel: '__proto__' }, { channel: 'unlisted' }, { channel: 'toString', geo: 'a.b' }];
    const ordered = withOrder(rows, { channel: ['__proto__', 'toString', 'constructor'], geo: ['a.b'] });
    expect(ordered.map((r) => r.channelOrder)).toEqual([2, 0, 3, 1]);
    expect(ordered.map((r) => r.geoOrder)).toEqual([1, 1, 1, 0]);
    // the input rows are left as they were, the names kept exactly
    expect(rows[0]).toEqual({ channel: 'constructor' });
    expect(ordered.map((r) => r.channel)).toEqual(rows.map((r) => r.channel));
    expect(orderField('channel')).toBe('channelOrder');
    expect(sortByOrder('geo')).toEqual({ field: 'geoOrder', op: 'min' });
  });

  it('titles lose line and paragraph separators only', () => {
    expect(titleText('a\u2028b\u2029c')).toBe('a b c');
    expect(titleText(`<i>it's "x" ${'${x}'}</i> été 😀 `)).toBe(`<i>it's "x" ${'${x}'}</i> été 😀 `);
  });
});

const channels = ['if', 'constructor', 'a\u2028b'];
const geos = ['toString', 'hasOwnProperty', 'c\u2029d', 'a.b'];
const controls = ['a[0]', 'valueOf'];
const names = [...channels, ...geos, ...controls];

let design: MmmDesign;
let posterior: Posterior;
let media: MediaAnalysis;

beforeAll(async () => {
  const geo = await loadGeoDesign();
  design = { ...geo, channelNames: channels, geoNames: geos, controlNames: controls };
  posterior = posteriorAround(truthValues(readGeoTruth()), truthShapes(4, 3), 2, 30, 0.05, 5);
  media = analyzeMedia(design, DEFAULT_MODEL_CONFIG, posterior);
});

/** Valid, compiles without warnings, no name as a field or in an expression, well-formed SVG holding `shown` as text. */
async function check(spec: ChartSpec, shown: readonly string[]): Promise<void> {
  expect(schemaErrors(spec)).toEqual([]);
  expect(compileSpec(spec).warnings).toEqual([]);
  expect(specFields(spec).filter((field) => names.includes(field))).toEqual([]);
  expect(namesInExpressions(spec, names)).toEqual([]);
  const svg = readXml(await renderSvg(spec));
  expect(svg.problems).toEqual([]);
  const text = svg.texts.join('\n');
  for (const name of shown) expect(text.includes(name), `${JSON.stringify(name)} in the SVG`).toBe(true);
}

describe('every chart with names Vega cannot hold as string literals', () => {
  it('covers the expression-breaking names', () => {
    expect([...EXPRESSION_NAMES].filter((name) => !names.includes(name))).toEqual([]);
  });

  it('model fit by geo, contributions, ROI, response curves, adstock, saturation, ROI by geo, prior vs posterior', async () => {
    const config = DEFAULT_MODEL_CONFIG;
    await check(modelFitSpec(modelFitRows(design, media, undefined, { byGeo: true })), geos);
    await check(contributionAreaSpec(contributionRows(media), channels), channels);
    await check(waterfallSpec(contributionTotals(media), channels), channels);
    await check(roiSpec(roiIntervalRows(media), roiDensityRows(media), channels), channels);
    const curves = spendResponseCurves(design, config, posterior, { maxDraws: 20 });
    const proposal = channels.map((channel) => ({ channel, current: 1e5, proposed: 1.2e5 }));
    await check(responseCurveSpec(curves, responseMarks(curves, proposal), channels), channels);
    await check(adstockSpec(adstockCurves(design, config, posterior), channels), channels);
    const levels = channels.map((channel, c) => ({ channel, media: design.mediaUnit[c] }));
    await check(saturationSpec(saturationCurves(design, config, posterior, { points: 11 }), levels, channels), channels);
    await check(geoRoiSpec(geoRoiRows(design, config, posterior, { maxDraws: 20 }), channels, geos), [...channels, ...geos]);
    const prior = priorPosteriorRows(design, config, posterior, priorDraws(design, config, { draws: 100, seed: 1 }), { points: 20 });
    await check(priorPosteriorSpec(prior), channels.map((c) => `alpha[${c}]`));
  });

  it('data checks: spend and KPI, zero spend, spend share, correlations (a pair outlined), VIF', async () => {
    const checks = dataChecks(inspectDataFromDesign(design));
    await check(spendKpiSpec(checks.series), geos);
    await check(zeroSpendSpec(checks.zeroSpend, channels), [...channels, ...geos]);
    await check(spendShareSpec(checks.spendShare, channels), channels);
    const pairs = [{ a: channels[0], b: controls[0], r: 0.9 }];
    const correlation = correlationSpec(correlationRows(checks.correlations), pairs, checks.correlations.variables.map((v) => v.name));
    await check(correlation, [...channels, ...controls]);
    const flagged = (correlation.data as { values: { row: string; column: string; flagged: boolean }[] }).values.filter((r) => r.flagged);
    expect(flagged.map((r) => [r.row, r.column])).toEqual(expect.arrayContaining([[channels[0], controls[0]], [controls[0], channels[0]]]));
    expect(flagged).toHaveLength(2);
    await check(vifSpec(checks.vif), [...channels, ...controls]);
  });

  it('a pair key holds any character: "a|b" with "c" is not "a" with "b|c"', async () => {
    const variables = ['a|b', 'c', 'a', 'b|c'];
    const rows = variables.flatMap((row) => variables.map((column) => ({ row, column, r: row === column ? 1 : 0 })));
    const spec = correlationSpec(rows, [{ a: 'a|b', b: 'c', r: 0.95 }], variables);
    const flagged = (spec.data as { values: { row: string; column: string; flagged: boolean }[] }).values.filter((r) => r.flagged);
    expect(flagged.map((r) => `${r.row} / ${r.column}`).sort()).toEqual(['a|b / c', 'c / a|b']);
  });

  it('budget, two-channel trade-off, optimal frequency, mediation effects, rolling-window stability', async () => {
    const allocation = channels.map((channel, i) => ({ channel, current: 100 * (i + 1), proposed: 120 * (i + 1) }));
    await check(budgetSpec({ rows: allocation, uplift: { mean: 10, q05: 1, q95: 20 }, pBeatsCurrent: 0.8 }), channels);
    const split = [0, 0.5, 1].map((share) => ({ share, spendA: share * 10, spendB: (1 - share) * 10, kpiMean: 5, upliftMean: share - 0.5, upliftQ05: share - 1, upliftQ95: share, pBeatsCurrent: share, isCurrent: share === 0.5, isOptimum: share === 1 }));
    // the names are in the titles, which Vega-Lite copies into tooltip and description expressions
    const tradeoff = tradeoffSpec({ channels: [channels[2], channels[1]], total: 10, rows: split });
    expect(schemaErrors(tradeoff)).toEqual([]);
    expect(readXml(await renderSvg(tradeoff)).problems).toEqual([]);
    const curve = channels.flatMap((channel) => [1, 2, 3].map((frequency) => ({ channel, frequency, mean: frequency, q05: frequency - 0.5, q95: frequency + 0.5 })));
    const optimal = channels.map((channel) => ({ channel, optimalFrequency: 2, q05: 1.5, q95: 2.5, roiAtOptimal: 2, unit: 'kpiPerSpend' }));
    await check(optimalFrequencySpec(curve as never, optimal as never, channels), channels);
    const effects = channels.flatMap((channel, i) => (['direct', 'indirect', 'total'] as const).map((effect, j) => ({ channel, effect, measure: 'contribution', mean: i + j, median: i + j, q05: i + j - 1, q95: i + j + 1 })));
    await check(mediationEffectsSpec(effects as never), channels);
    const windows = channels.flatMap((channel, c) => ['roi', 'alpha'].flatMap((metric) => [1, 2, 3].map((window) => ({ window, from: `2023-0${window}-01`, to: `2023-0${window + 3}-01`, channel, metric, median: c + window, q05: c, q95: c + 4 }))));
    const summary = channels.flatMap((channel) => ['roi', 'alpha'].map((metric) => ({ channel, metric, meanOfMeans: 1, verdict: 'stable' })));
    await check(stabilitySpec('rolling', windows, summary, { roi: 'ROI', alpha: 'adstock rate' }, channels), channels);
  });
});
