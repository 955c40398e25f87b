/**
 * Every chart builder of src/charts on rows from a hand-made posterior of the geo example (true
 * parameters with small perturbations, tests/fixtures/analysis; no MCMC): each spec validates
 * against the Vega-Lite JSON schema shipped with vega-lite, compiles with vega-lite without
 * warnings, and renders to SVG in Node (vega, no browser); plus what each chart must show.
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
  timeEffectRows,
  optimalFrequency,
  posteriorPredictiveCheck,
  priorDraws,
  priorPosteriorRows,
  responseMarks,
  roiDensityRows,
  roiIntervalRows,
  saturationCurves,
  spendResponseCurves,
  type DataChecks,
  type MediaAnalysis,
} from '../src/analysis/index.js';
import {
  adstockSpec,
  budgetSpec,
  compileSpec,
  contributionAreaSpec,
  convergenceSpec,
  correlationSpec,
  geoRoiSpec,
  inlineRows,
  modelFitSpec,
  timeEffectSpec,
  priorPosteriorSpec,
  renderSvg,
  responseCurveSpec,
  roiSpec,
  samplerSpec,
  saturationSpec,
  optimalFrequencySpec,
  schemaErrors,
  seasonalitySpec,
  spendKpiSpec,
  spendShareSpec,
  TEXT,
  tradeoffSpec,
  VEGA_LITE_SCHEMA,
  vifSpec,
  waterfallSpec,
  zeroSpendSpec,
  type ChartSpec,
} from '../src/charts/index.js';
import { summarize } from '../src/diagnostics/index.js';
import { twoChannelTradeoff } from '../src/optimize/index.js';
import type { Posterior } from '../src/ppl/index.js';
import { loadMmmData, scaleData } from '../src/data/index.js';
import { DEFAULT_MODEL_CONFIG } from '../models/mmm/config.js';
import { designFromData, withHoldout, type MmmDesign } from '../models/mmm/design.js';
import { loadGeoDesign, posteriorAround, readGeoTruth, truthShapes, truthValues } from './fixtures/analysis/examplePosterior.js';
import { withRfChannels } from '../models/mmm/components/transformKinds.js';
import { loadExample, withRfChannel } from './support/examples.js';

const config = DEFAULT_MODEL_CONFIG;
let design: MmmDesign;
let posterior: Posterior;
let media: MediaAnalysis;
let checks: DataChecks;
let nationalChecks: DataChecks;

beforeAll(async () => {
  design = withHoldout(await loadGeoDesign(), 8);
  posterior = posteriorAround(truthValues(readGeoTruth()), truthShapes(4, 3), 2, 50, 0.05, 5);
  media = analyzeMedia(design, config, posterior);
  checks = dataChecks(inspectDataFromDesign(design));
  const national = JSON.parse((await import('node:fs')).readFileSync('examples/national.config.json', 'utf8')).data;
  const data = await loadMmmData('examples/national.csv', national);
  nationalChecks = dataChecks(inspectDataFromDesign(designFromData(data, scaleData(data))));
});

/** Schema-valid, compiles without warnings, renders; returns the SVG. */
async function check(spec: ChartSpec): Promise<string> {
  expect(spec.$schema).toBe(VEGA_LITE_SCHEMA);
  expect(schemaErrors(spec)).toEqual([]);
  expect(compileSpec(spec).warnings).toEqual([]);
  // data inlined, JSON-safe (no NaN or Infinity, which JSON cannot hold)
  expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  const svg = await renderSvg(spec);
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg).toMatch(/<\/svg>\s*$/);
  return svg;
}

function values(spec: ChartSpec): Record<string, unknown>[] {
  return (spec.data as { values: Record<string, unknown>[] }).values;
}

describe('chart specs', () => {
  it('inline rows turn non-finite numbers into null', () => {
    expect(inlineRows([{ a: NaN, b: Infinity, c: 1, d: undefined, e: 'x' }])).toEqual([{ a: null, b: null, c: 1, e: 'x' }]);
  });

  it('model fit: actual, mean, credible and predictive bands, holdout shaded; one panel per geo', async () => {
    const predictive = posteriorPredictiveCheck(design, config, posterior, { keepReplicates: 60, seed: 2 });
    const spec = modelFitSpec(modelFitRows(design, media, predictive));
    const svg = await check(spec);
    expect(svg).toContain(TEXT.charts.modelFit.title);
    for (const label of [TEXT.charts.modelFit.actual, TEXT.charts.modelFit.predictive, TEXT.charts.modelFit.holdout]) expect(svg).toContain(label);
    expect(values(spec).filter((r) => r.holdout)).toHaveLength(8);
    const noExtras = modelFitSpec(modelFitRows({ ...design, observed: undefined }, media));
    const plain = await check(noExtras);
    expect(plain).not.toContain(TEXT.charts.modelFit.holdout);
    expect(plain).not.toContain(TEXT.charts.modelFit.predictive);
    const byGeo = modelFitSpec(modelFitRows(design, media, predictive, { byGeo: true }));
    const svgByGeo = await check(byGeo);
    for (const geo of design.geoNames) expect(svgByGeo).toContain(`>${geo}<`);
  });

  it('time effect: one panel per component (trend, seasonality, their sum), periods after the data dashed', async () => {
    const rows = timeEffectRows(design, config, posterior, { ahead: 6 });
    const spec = timeEffectSpec(rows);
    const svg = await check(spec);
    expect(svg).toContain(TEXT.charts.timeEffect.title);
    for (const component of ['trend', 'seasonality', 'time effect']) expect(svg).toContain(`>${component}<`);
    expect(values(spec)).toHaveLength(rows.length);
    expect(values(spec).filter((r) => r.extrapolated)).toHaveLength(3 * 6);
  });

  it('contributions: stacked areas on the baseline, and a waterfall that adds up to the predicted total', async () => {
    const area = contributionAreaSpec(contributionRows(media), design.channelNames);
    const svg = await check(area);
    expect(svg).toContain(TEXT.labels.baseline);
    expect(values(area).find((r) => r.component === TEXT.labels.baseline)!.order).toBe(0);
    const totals = contributionTotals(media);
    const waterfall = waterfallSpec(totals, design.channelNames);
    await check(waterfall);
    const bars = values(waterfall);
    expect(bars.map((b) => b.component)).toEqual([TEXT.labels.baseline, 'tv', 'search', 'social', TEXT.labels.total]);
    for (let i = 1; i < bars.length - 1; i++) expect(bars[i].start).toBe(bars[i - 1].end);
    const prediction = media.totals.find((r) => r.metric === 'prediction' && r.unit === 'kpi')!.mean;
    // baseline + contributions = prediction, per draw, so also in the mean
    expect(Math.abs((bars[4].end as number) - prediction) / prediction).toBeLessThan(1e-12);
  });

  it('ROI and mROI: densities with 50% and 90% intervals, one panel per metric', async () => {
    const intervals = roiIntervalRows(media);
    const spec = roiSpec(intervals, roiDensityRows(media), design.channelNames);
    const svg = await check(spec);
    expect((spec.hconcat as unknown[]).length).toBe(2);
    expect(svg).toContain(TEXT.charts.roi.axis.mroi);
    for (const r of intervals) expect(r.q05 <= r.q25 && r.q25 <= r.median && r.median <= r.q75 && r.q75 <= r.q95).toBe(true);
  });

  it('prior vs posterior: one panel per key parameter', async () => {
    const rows = priorPosteriorRows(design, config, posterior, priorDraws(design, config, { draws: 300, seed: 1 }), { points: 40 });
    const svg = await check(priorPosteriorSpec(rows));
    for (const label of ['alpha[tv]', 'k[social]', 'm[search]', 'sigma', TEXT.labels.prior, TEXT.labels.posterior]) expect(svg).toContain(label);
  });

  it('response curves with current and proposed spend marked; adstock and saturation with bands', async () => {
    const curves = spendResponseCurves(design, config, posterior, { maxDraws: 40 });
    const allocation = [{ channel: 'tv', current: 1.297e6, proposed: 1.1e6 }, { channel: 'search', current: 6.36e5, proposed: 8e5 }];
    const spec = responseCurveSpec(curves, responseMarks(curves, allocation), design.channelNames);
    const svg = await check(spec);
    expect(svg).toContain(TEXT.labels.proposed);
    expect(values(spec).filter((r) => r.kind === 'mark')).toHaveLength(5);
    const noProposal = await check(responseCurveSpec(curves, responseMarks(curves), design.channelNames));
    expect(noProposal).not.toContain(TEXT.labels.proposed);
    await check(adstockSpec(adstockCurves(design, config, posterior), design.channelNames));
    const levels = design.channelNames.map((channel, c) => ({ channel, media: design.mediaUnit[c] }));
    await check(saturationSpec(saturationCurves(design, config, posterior, { points: 21 }), levels, design.channelNames));
  });

  it('optimal frequency: ROI over the frequency grid with its band, f* and its interval marked, one panel per rf channel', async () => {
    const data = withRfChannel(await loadExample('geo'), 'tv');
    const rfDesign = designFromData(data, scaleData(data));
    const rfConfig = withRfChannels(DEFAULT_MODEL_CONFIG, rfDesign.channelNames, rfDesign.channelKinds);
    const truth = truthValues(readGeoTruth());
    const rfPosterior = posteriorAround({ ...truth, k: truth.k.slice(1), s: truth.s.slice(1), k_rf: Float64Array.of(2.2), s_rf: Float64Array.of(2.5) }, truthShapes(4, 3), 2, 20, 0.1, 5);
    const { curve, optimal } = optimalFrequency(rfDesign, rfConfig, rfPosterior);
    const spec = optimalFrequencySpec(curve, optimal, rfDesign.channelNames);
    const svg = await check(spec);
    expect(svg).toContain(TEXT.charts.optimalFrequency.title);
    expect(svg).toContain('>tv<');
    expect(values(spec).filter((r) => r.kind === 'curve')).toHaveLength(curve.length);
    expect(values(spec).filter((r) => r.kind === 'optimal')).toMatchObject([{ kind: 'optimal', channel: 'tv', frequency: optimal[0].optimalFrequency, from: optimal[0].q05, to: optimal[0].q95, roi: optimal[0].roiAtOptimal }]);
  });

  it('ROI by geo: one row per geo, one panel per channel', async () => {
    const rows = geoRoiRows(design, config, posterior, { maxDraws: 50 });
    const svg = await check(geoRoiSpec(rows, design.channelNames, design.geoNames));
    for (const geo of design.geoNames) expect(svg).toContain(`>${geo}<`);
  });

  it('budget allocation: current vs proposed, with and without uplift and P(beats current)', async () => {
    const rows = [
      { channel: 'tv', current: 1000, proposed: 800, extra: 'ignored' },
      { channel: 'search', current: 600, proposed: 750 },
      { channel: 'social', current: 400, proposed: 450 },
    ];
    const full = budgetSpec({ rows, uplift: { mean: 1200, q05: -100, q95: 2500 }, pBeatsCurrent: 0.87 });
    const svg = await check(full);
    expect(svg).toContain('P(beats current) = 87%');
    expect((full.hconcat as unknown[]).length).toBe(2);
    const bare = budgetSpec({ rows });
    await check(bare);
    expect(bare.hconcat).toBeUndefined();
    expect(values(bare)).toHaveLength(6);
  });

  it('two-channel trade-off: change vs current with its band, P(beats current), current and best split marked', async () => {
    const result = twoChannelTradeoff(design, config, posterior, ['tv', 'search'], { periods: 13, points: 21, maxDraws: 40 });
    const spec = tradeoffSpec(result);
    const svg = await check(spec);
    expect((spec.vconcat as unknown[]).length).toBe(2);
    for (const label of [TEXT.charts.tradeoff.title('tv', 'search'), TEXT.charts.tradeoff.x('tv', 'search'), TEXT.charts.tradeoff.yProbability, TEXT.charts.tradeoff.current, TEXT.charts.tradeoff.optimum]) {
      expect(svg).toContain(label);
    }
    // holds every row on the curve, and one mark for the current and one for the best split
    const curve = values(spec).filter((r) => r.kind === 'curve');
    expect(curve.map((r) => r.share)).toEqual(result.rows.map((r) => r.share));
    expect(curve.map((r) => r.pBeatsCurrent)).toEqual(result.rows.map((r) => r.pBeatsCurrent));
    const marks = values(spec).filter((r) => r.kind === 'mark');
    expect(marks.map((r) => r.mark)).toEqual([TEXT.charts.tradeoff.current, TEXT.charts.tradeoff.optimum]);
    expect(marks[0].share).toBe(result.currentShare);
    expect(marks[1].share).toBe(result.optimum.share);
    // revenue wording, and a chart without a marked optimum (rows given by hand)
    const rows = [0, 0.5, 1].map((share) => ({ share, spendA: share * 10, spendB: (1 - share) * 10, kpiMean: 5, upliftMean: share - 0.5, upliftQ05: share - 1, upliftQ95: share, pBeatsCurrent: share, isCurrent: share === 0.5, isOptimum: false }));
    const bare = tradeoffSpec({ channels: ['a', 'b'], total: 10, rows, unit: 'revenue' });
    expect(await check(bare)).toContain(TEXT.charts.tradeoff.yUpliftRevenue);
    expect(values(bare).filter((r) => r.kind === 'mark')).toHaveLength(1);
  });

  it('diagnostics: R-hat and ESS per parameter with thresholds; divergences per chain', async () => {
    const rows = summarize(posterior.scalarNames(), (name) => posterior.chainDraws(name));
    const spec = convergenceSpec(rows);
    const svg = await check(spec);
    for (const label of [TEXT.labels.rhat, TEXT.labels.essBulk, TEXT.labels.essTail]) expect(svg).toContain(label);
    const flagged = values(spec).filter((r) => r.flagged === TEXT.labels.flagged);
    const expected = rows.reduce((n, r) => n + (r.rhat > 1.01 ? 1 : 0) + (r.essBulk < 400 ? 1 : 0) + (r.essTail < 400 ? 1 : 0), 0);
    expect(flagged).toHaveLength(expected);
    const sampler = samplerSpec([{ chain: 1, draws: 100, divergences: 0, treeDepthSaturated: 0 }, { chain: 2, draws: 100, divergences: 3, treeDepthSaturated: 1 }]);
    expect(await check(sampler)).toContain(TEXT.charts.sampler.subtitle(3, 200, 1));
    await check(samplerSpec([{ chain: 1, draws: 10, divergences: 0, treeDepthSaturated: 0 }]));
  });

  it('data checks: spend and KPI over time, zero spend, spend share, correlations, VIF, seasonality (geo and national)', async () => {
    for (const c of [checks, nationalChecks]) {
      const channels = c.data.channelNames;
      await check(spendKpiSpec(c.series));
      await check(zeroSpendSpec(c.zeroSpend, channels));
      await check(spendShareSpec(c.spendShare, channels));
      const corr = correlationSpec(correlationRows(c.correlations), c.pairs, c.correlations.variables.map((v) => v.name));
      const svg = await check(corr);
      expect(svg).toContain('1.00');
      await check(vifSpec(c.vif));
      await check(seasonalitySpec(c.seasonality));
    }
    // a collinear pair is outlined
    const pairs = [{ a: 'tv', b: 'search', r: 0.91 }];
    const spec = correlationSpec(correlationRows(checks.correlations), pairs, checks.correlations.variables.map((v) => v.name));
    await check(spec);
    expect(values(spec).filter((r) => r.flagged)).toHaveLength(2);
    // infinite and undefined VIFs are drawn (capped) and labelled
    const vif = vifSpec([{ variable: 'a', kind: 'media', vif: Infinity }, { variable: 'b', kind: 'control', vif: NaN }, { variable: 'c', kind: 'media', vif: 2 }]);
    expect(await check(vif)).toContain('∞');
  });
});
