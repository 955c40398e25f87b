/**
 * The analysis layer's media outputs (src/analysis/mediaAnalysis.ts, responseCurves.ts,
 * channelResponse.ts) on the bundled geo example with "posteriors" made of the true parameters
 * (no sampling), and on a hand-made tiny design checked against the ROI / mROI definitions of
 * shared/bench/stan/README.md written out independently here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Posterior } from '../src/ppl/index.js';
import {
  ALL_MEDIA,
  adstockCurves,
  analyzeMedia,
  channelTransform,
  saturatedSeries,
  saturationCurves,
  seriesScratch,
  spendResponseCurves,
} from '../src/analysis/index.js';
import { DEFAULT_MODEL_CONFIG, type MmmModelConfig } from '../models/mmm/config.js';
import type { MmmDesign } from '../models/mmm/design.js';
import { meanKpiHost, saturatedMediaHost } from '../models/mmm/hostModel.js';
import { loadGeoDesign, posteriorAround, readGeoTruth, truthShapes, truthValues, type GeoTruth } from './fixtures/analysis/examplePosterior.js';
import { findRow, rel } from './support/rows.js';

const find = findRow;

let design: MmmDesign;
let truth: GeoTruth;
let G: number;
let T: number;
let C: number;

beforeAll(async () => {
  design = await loadGeoDesign();
  truth = readGeoTruth();
  G = design.geoNames.length;
  T = design.dates.length;
  C = design.channelNames.length;
});

describe('channel transform', () => {
  const variants: [string, Partial<MmmModelConfig>][] = [
    ['reference', {}],
    ['Michaelis-Menten', { saturation: { type: 'michaelisMenten' } }],
    ['fixed Hill slope', { saturation: { type: 'hill', fixedSlope: 1.7 } }],
    ['logistic, delayed', { saturation: { type: 'logistic' }, adstock: { type: 'delayed', maxLag: 8 } }],
    ['weibull', { adstock: { type: 'weibull', maxLag: 6 } }],
    [
      'per-channel kinds, one channel saturation first',
      {
        adstock: { type: 'geometric', maxLag: 8, byChannel: { tv: { type: 'weibull' } } },
        saturation: { type: 'hill', byChannel: { search: { type: 'logistic' } } },
        order: { type: 'adstockThenSaturation', byChannel: { tv: 'saturationThenAdstock' } },
      },
    ],
    ['saturation then adstock', { order: { type: 'saturationThenAdstock' } }],
  ];
  for (const [label, overrides] of variants) {
    it(`per-channel series at multiplier 1 equal saturatedMediaHost exactly (${label})`, () => {
      const config = { ...DEFAULT_MODEL_CONFIG, ...overrides };
      const values = { ...truthValues(truth), lambda: Float64Array.of(1.2, 0.7, 2), theta: Float64Array.of(1, 2.5, 0), weibullShape: Float64Array.of(1.5, 0.8, 2), weibullScale: Float64Array.of(2, 1, 3) };
      const h = saturatedMediaHost(design, config, values);
      const out = new Float64Array(T);
      const scratch = seriesScratch(T);
      for (let c = 0; c < C; c++) {
        const transform = channelTransform(config, values, c, design.channelNames);
        for (let g = 0; g < G; g++) {
          saturatedSeries(design, transform, g, c, 1, out, scratch);
          for (let t = 0; t < T; t++) expect(out[t]).toBe(h[(g * T + t) * C + c]);
        }
      }
    });
  }
});

describe('counterfactual media', () => {
  it('saturatedSeries at multiplier k equals saturatedMediaHost on media x k (adstock is linear)', () => {
    const saturationFirst: MmmModelConfig = { ...DEFAULT_MODEL_CONFIG, order: { type: 'adstockThenSaturation', byChannel: { search: 'saturationThenAdstock' } } };
    for (const config of [DEFAULT_MODEL_CONFIG, { ...DEFAULT_MODEL_CONFIG, saturation: { type: 'logistic' as const } }, saturationFirst]) {
      const values = { ...truthValues(truth), lambda: Float64Array.of(1.2, 0.7, 2) };
      for (const k of [0.5, 1.01, 1.7]) {
        const scaled = { ...design, media: design.media.map((x) => x * k) };
        const h = saturatedMediaHost(scaled, config, values);
        const out = new Float64Array(T);
        const scratch = seriesScratch(T);
        for (let c = 0; c < C; c++) {
          const transform = channelTransform(config, values, c, design.channelNames);
          for (let g = 0; g < G; g++) {
            saturatedSeries(design, transform, g, c, k, out, scratch);
            for (let t = 0; t < T; t++) expect(Math.abs(out[t] - h[(g * T + t) * C + c])).toBeLessThan(1e-14);
          }
        }
      }
    }
  });
});

describe('media analysis at the true parameters', () => {
  it('ROI and mROI equal the truth file (examples/geo.truth.json) to 1e-8', () => {
    const posterior = posteriorAround(truthValues(truth), truthShapes(G, C), 1, 1);
    const analysis = analyzeMedia(design, DEFAULT_MODEL_CONFIG, posterior, { byGeoDate: false, byDate: false });
    truth.channels.forEach((channel, c) => {
      expect(rel(analysis.perDraw.roi[c], truth.derived.roi[channel])).toBeLessThan(1e-8);
      expect(rel(analysis.perDraw.mroi[c], truth.derived.mroi[channel])).toBeLessThan(1e-8);
      const row = find(analysis.channels, { metric: 'roi', channel });
      expect(row.mean).toBe(analysis.perDraw.roi[c]);
      expect(row.q05).toBe(row.q95);
      // cost per incremental KPI is spend / contribution = 1 / ROI without a KPI value
      expect(rel(analysis.perDraw.costPerKpi[c], 1 / analysis.perDraw.roi[c])).toBeLessThan(1e-12);
    });
    expect(analysis.hasRevenue).toBe(false);
  });

  it('contributions + baseline = prediction = meanKpiHost x KPI unit, per draw and for the posterior mean', () => {
    const posterior = posteriorAround(truthValues(truth), truthShapes(G, C), 2, 3, 0.1);
    const analysis = analyzeMedia(design, DEFAULT_MODEL_CONFIG, posterior);
    const D = 6;
    const expectedMean = new Float64Array(G * T);
    for (let d = 0; d < D; d++) {
      const values = posterior.drawValues(Math.floor(d / 3), d % 3);
      const mu = meanKpiHost(design, DEFAULT_MODEL_CONFIG, values);
      let total = 0;
      for (let n = 0; n < G * T; n++) {
        const kpi = mu[n] * design.kpiUnit[Math.floor(n / T)];
        total += kpi;
        expectedMean[n] += kpi / D;
      }
      let media = 0;
      for (let c = 0; c < C; c++) media += analysis.perDraw.contribution[d * C + c];
      expect(rel(analysis.perDraw.prediction[d], total)).toBeLessThan(1e-12);
      expect(rel(analysis.perDraw.baseline[d] + media, total)).toBeLessThan(1e-12);
    }
    for (let n = 0; n < G * T; n++) {
      let sum = analysis.mean.baseline[n];
      for (let c = 0; c < C; c++) sum += analysis.mean.contribution[n * C + c];
      expect(Math.abs(sum - expectedMean[n])).toBeLessThan(1e-9 * Math.abs(expectedMean[n]));
      expect(Math.abs(analysis.mean.prediction[n] - expectedMean[n])).toBeLessThan(1e-9 * Math.abs(expectedMean[n]));
    }
    // per (geo, date) rows: prediction mean = posterior mean prediction; contributions + baseline add up
    for (const g of [0, G - 1]) {
      for (const t of [0, 17, T - 1]) {
        const keys = { geo: design.geoNames[g], date: design.dates[t] };
        const prediction = find(analysis.byGeoDate, { ...keys, metric: 'prediction', unit: 'kpi' });
        expect(rel(prediction.mean, expectedMean[g * T + t])).toBeLessThan(1e-12);
        let sum = find(analysis.byGeoDate, { ...keys, metric: 'baseline', unit: 'kpi' }).mean;
        for (const channel of design.channelNames) {
          const row = find(analysis.byGeoDate, { ...keys, metric: 'contribution', channel });
          sum += row.mean;
          expect(row.q05).toBeLessThanOrEqual(row.median);
          expect(row.median).toBeLessThanOrEqual(row.q95);
          expect(rel(row.mean, analysis.mean.contribution[(g * T + t) * C + design.channelNames.indexOf(channel)])).toBeLessThan(1e-12);
        }
        expect(rel(sum, prediction.mean)).toBeLessThan(1e-12);
      }
    }
    // per-date totals over geos
    const t = 30;
    let predicted = 0;
    for (let g = 0; g < G; g++) predicted += expectedMean[g * T + t];
    expect(rel(find(analysis.byDate, { date: design.dates[t], metric: 'prediction', unit: 'kpi' }).mean, predicted)).toBeLessThan(1e-12);
    // all-media totals and shares
    const allMedia = find(analysis.channels, { metric: 'contribution', channel: ALL_MEDIA, unit: 'kpi' });
    const prediction = find(analysis.totals, { metric: 'prediction', unit: 'kpi' });
    const baseline = find(analysis.totals, { metric: 'baseline', unit: 'kpi' });
    expect(rel(allMedia.mean + baseline.mean, prediction.mean)).toBeLessThan(1e-12);
    // the example's media share is about 36% (examples/README.md)
    expect(find(analysis.channels, { metric: 'share', channel: ALL_MEDIA }).median).toBeGreaterThan(0.3);
    expect(find(analysis.channels, { metric: 'share', channel: ALL_MEDIA }).median).toBeLessThan(0.42);
    expect(analysis.byGeoDate.length).toBe(G * T * (C + 2));
    expect(analysis.byDate.length).toBe(T * (C + 2));
  });

  it('per-(geo, date) blocks of any size give identical rows; thinning uses evenly spaced draws', () => {
    const posterior = posteriorAround(truthValues(truth), truthShapes(G, C), 2, 5, 0.1, 7);
    const whole = analyzeMedia(design, DEFAULT_MODEL_CONFIG, posterior);
    const oneGeo = analyzeMedia(design, DEFAULT_MODEL_CONFIG, posterior, { maxBlockValues: 1 });
    const twoGeos = analyzeMedia(design, DEFAULT_MODEL_CONFIG, posterior, { maxBlockValues: 2 * T * (C + 2) * 10 });
    expect(oneGeo.byGeoDate).toEqual(whole.byGeoDate);
    expect(twoGeos.byGeoDate).toEqual(whole.byGeoDate);
    expect(oneGeo.channels).toEqual(whole.channels);
    const thinned = analyzeMedia(design, DEFAULT_MODEL_CONFIG, posterior, { maxDraws: 5, byGeoDate: false });
    expect(Array.from(thinned.drawIndices)).toEqual([0, 2, 4, 6, 8]);
    expect(thinned.perDraw.roi.subarray(C, 2 * C)).toEqual(whole.perDraw.roi.subarray(2 * C, 3 * C));
  });

  it('centered geo effects (tau, log_beta) give the same outputs as the equivalent non-centered draw', () => {
    const values = truthValues(truth);
    const tau = Float64Array.from(values.v, (v) => values.tau0[0] + values.sigma_tau[0] * v);
    const logBeta = Float64Array.from(values.u, (u, i) => values.m[i % C] + values.eta[i % C] * u);
    const { u: _u, v: _v, ...rest } = values;
    const centered = posteriorAround({ ...rest, tau, log_beta: logBeta }, { ...truthShapes(G, C), log_beta: [G, C], tau: [G] }, 1, 1);
    const config: MmmModelConfig = { ...DEFAULT_MODEL_CONFIG, geo: { intercept: 'centered', media: 'centered' } };
    const a = analyzeMedia(design, config, centered, { byDate: false, byGeoDate: false });
    const b = analyzeMedia(design, DEFAULT_MODEL_CONFIG, posteriorAround(values, truthShapes(G, C), 1, 1), { byDate: false, byGeoDate: false });
    for (let c = 0; c < C; c++) {
      expect(rel(a.perDraw.roi[c], b.perDraw.roi[c])).toBeLessThan(1e-12);
      expect(rel(a.perDraw.mroi[c], b.perDraw.mroi[c])).toBeLessThan(1e-10);
    }
    expect(rel(a.perDraw.baseline[0], b.perDraw.baseline[0])).toBeLessThan(1e-12);
  });

  it('under an ROI prior the analyzed ROI equals the sampled roi (whole period and prior window)', () => {
    const values = truthValues(truth);
    const { m: _m, ...rest } = values;
    const roi = Float64Array.of(1.3, 2.2, 0.7);
    const window = { tv: { from: '2023-03-01', to: '2023-09-30' } };
    for (const config of [
      { ...DEFAULT_MODEL_CONFIG, mediaPrior: { type: 'roi' as const } },
      { ...DEFAULT_MODEL_CONFIG, mediaPrior: { type: 'roi' as const, window } },
    ]) {
      const posterior = posteriorAround({ ...rest, roi }, truthShapes(G, C), 1, 3, 0.05);
      const analysis = analyzeMedia(design, config, posterior, { byGeoDate: false, byDate: false });
      for (let d = 0; d < 3; d++) {
        const sampled = posterior.drawValues(0, d).roi;
        for (let c = 0; c < C; c++) expect(rel(analysis.perDraw.roiInPriorWindow[d * C + c], sampled[c])).toBeLessThan(1e-12);
        if (config.mediaPrior.window === undefined) {
          for (let c = 0; c < C; c++) expect(rel(analysis.perDraw.roi[d * C + c], sampled[c])).toBeLessThan(1e-12);
        }
      }
      const windowRows = analysis.channels.filter((r) => r.metric === 'roiInPriorWindow');
      expect(windowRows.length).toBe(config.mediaPrior.window ? C : 0);
    }
  });
});

describe('ROI and mROI on a hand-made tiny design', () => {
  // 2 geos x 6 periods x 2 channels, KPI value per cell, written-out definitions.
  const Gs = 2;
  const Ts = 6;
  const Cs = 2;
  const spend = [
    [[100, 0], [0, 50], [200, 50], [0, 0], [50, 25], [0, 75]],
    [[0, 30], [60, 0], [60, 30], [0, 30], [0, 0], [120, 15]],
  ];
  const spendMean = [0, 1].map((c) => spend.flat().reduce((a, row) => a + row[c], 0) / (Gs * Ts));
  const kpiUnit = [1000, 500];
  const kpiValue = [[2, 2, 2, 3, 3, 3], [1, 1, 1.5, 1.5, 2, 2]];
  const tiny: MmmDesign = {
    geoNames: ['a', 'b'],
    dates: ['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-22', '2024-01-29', '2024-02-05'],
    channelNames: ['x', 'y'],
    controlNames: [],
    eventNames: [],
    media: Float64Array.from(spend.flatMap((geo) => geo.flatMap((row) => row.map((x, c) => x / spendMean[c])))),
    spend: Float64Array.from(spend.flat(2)),
    controls: new Float64Array(0),
    events: new Float64Array(0),
    kpi: Float64Array.from({ length: Gs * Ts }, (_, n) => 1 + 0.1 * Math.sin(n)),
    kpiUnit: Float64Array.from(kpiUnit),
    kpiValue: Float64Array.from(kpiValue.flat()),
    mediaUnit: Float64Array.from(spendMean),
  };
  const baseConfig: MmmModelConfig = { ...DEFAULT_MODEL_CONFIG, adstock: { type: 'geometric', maxLag: 3 }, seasonality: { order: 0, period: 52 } };
  const p = { alpha: [0.5, 0.2], k: [0.8, 1.5], s: [1.3, 0.9], m: [-1, -0.5], eta: [0.2, 0.3], u: [[0.5, -1], [-0.3, 0.8]], tau0: 0.6, sigmaTau: 0.1, v: [1, -1], delta: 0.05, sigma: 0.1 };

  /**
   * h[g][t] of channel c with spend x multiplier: normalized geometric adstock over 3 lags, then Hill;
   * with `first`, Hill of each period's media, then the adstock.
   */
  function hill(c: number, multiplier: number, first = false): number[][] {
    const weights = [0, 1, 2].map((l) => Math.pow(p.alpha[c], l));
    const total = weights.reduce((a, b) => a + b, 0);
    const curve = (a: number) => (a === 0 ? 0 : Math.pow(a, p.s[c]) / (Math.pow(a, p.s[c]) + Math.pow(p.k[c], p.s[c])));
    return spend.map((geo) =>
      geo.map((_, t) => {
        let a = 0;
        for (let l = 0; l < 3; l++) {
          if (t - l < 0) continue;
          const x = (geo[t - l][c] * multiplier) / spendMean[c];
          a += (weights[l] / total) * (first ? curve(x) : x);
        }
        return first ? a : curve(a);
      }),
    );
  }

  for (const first of [false, true]) it(`match sum(beta h mean(y) value) / sum(spend) and [KPI(1.01 x) - KPI(x)] / (0.01 sum spend)${first ? ' (channel y saturation first)' : ''}`, () => {
    const config: MmmModelConfig = first ? { ...baseConfig, order: { type: 'adstockThenSaturation', byChannel: { y: 'saturationThenAdstock' } } } : baseConfig;
    const posterior = new Posterior(1, 1, [
      { name: 'alpha', shape: [2], kind: 'parameter', values: Float64Array.from(p.alpha) },
      { name: 'k', shape: [2], kind: 'parameter', values: Float64Array.from(p.k) },
      { name: 's', shape: [2], kind: 'parameter', values: Float64Array.from(p.s) },
      { name: 'm', shape: [2], kind: 'parameter', values: Float64Array.from(p.m) },
      { name: 'eta', shape: [2], kind: 'parameter', values: Float64Array.from(p.eta) },
      { name: 'u', shape: [2, 2], kind: 'parameter', values: Float64Array.from(p.u.flat()) },
      { name: 'tau0', shape: [], kind: 'parameter', values: Float64Array.of(p.tau0) },
      { name: 'sigma_tau', shape: [], kind: 'parameter', values: Float64Array.of(p.sigmaTau) },
      { name: 'v', shape: [2], kind: 'parameter', values: Float64Array.from(p.v) },
      { name: 'delta', shape: [], kind: 'parameter', values: Float64Array.of(p.delta) },
      { name: 'sigma', shape: [], kind: 'parameter', values: Float64Array.of(p.sigma) },
    ]);
    const analysis = analyzeMedia(tiny, config, posterior);
    expect(analysis.hasRevenue).toBe(true);
    for (let c = 0; c < Cs; c++) {
      const h = hill(c, 1, first && c === 1);
      const hUp = hill(c, 1.01, first && c === 1);
      let revenue = 0;
      let kpi = 0;
      let extra = 0;
      let spent = 0;
      for (let g = 0; g < Gs; g++) {
        const beta = Math.exp(p.m[c] + p.eta[c] * p.u[g][c]);
        for (let t = 0; t < Ts; t++) {
          kpi += beta * h[g][t] * kpiUnit[g];
          revenue += beta * h[g][t] * kpiUnit[g] * kpiValue[g][t];
          extra += beta * (hUp[g][t] - h[g][t]) * kpiUnit[g] * kpiValue[g][t];
          spent += spend[g][t][c];
        }
      }
      expect(rel(analysis.perDraw.roi[c], revenue / spent)).toBeLessThan(1e-12);
      expect(rel(analysis.perDraw.mroi[c], extra / (0.01 * spent))).toBeLessThan(1e-9);
      expect(rel(analysis.perDraw.contribution[c], kpi)).toBeLessThan(1e-12);
      expect(rel(analysis.perDraw.revenue![c], revenue)).toBeLessThan(1e-12);
      expect(rel(analysis.perDraw.costPerKpi[c], spent / kpi)).toBeLessThan(1e-12);
      expect(find(analysis.channels, { metric: 'roi', channel: tiny.channelNames[c] }).unit).toBe('revenuePerSpend');
    }
    // revenue rows exist at every level and prediction revenue = sum of value x prediction
    const cell = find(analysis.byGeoDate, { geo: 'b', date: tiny.dates[2], metric: 'prediction', unit: 'revenue' });
    const kpiCell = find(analysis.byGeoDate, { geo: 'b', date: tiny.dates[2], metric: 'prediction', unit: 'kpi' });
    expect(rel(cell.mean, kpiCell.mean * 1.5)).toBeLessThan(1e-12);
    expect(find(analysis.totals, { metric: 'baseline', unit: 'revenue' })).toBeDefined();
    // the spend response at multiplier 1.01 minus 1 over the extra spend is the mROI
    const curves = spendResponseCurves(tiny, config, posterior, { multipliers: [0, 1, 1.01] });
    for (let c = 0; c < Cs; c++) {
      const channel = tiny.channelNames[c];
      const at = (k: number) => curves.find((r) => r.channel === channel && r.multiplier === k && r.unit === 'revenue')!;
      expect(at(0).mean).toBe(0);
      expect(rel(at(1).mean, analysis.perDraw.revenue![c])).toBeLessThan(1e-12);
      expect(rel((at(1.01).mean - at(1).mean) / (at(1.01).spend - at(1).spend), analysis.perDraw.mroi[c])).toBeLessThan(1e-9);
    }
  });
});

describe('response curves', () => {
  it('spend response at multiplier 1 equals the total contribution; the curve rises and bends (Hill)', () => {
    const posterior = posteriorAround(truthValues(truth), truthShapes(G, C), 1, 4, 0.05);
    const analysis = analyzeMedia(design, DEFAULT_MODEL_CONFIG, posterior, { byGeoDate: false, byDate: false });
    const rows = spendResponseCurves(design, DEFAULT_MODEL_CONFIG, posterior);
    expect(rows.length).toBe(C * 21);
    for (const channel of design.channelNames) {
      const curve = rows.filter((r) => r.channel === channel);
      const atOne = curve.find((r) => r.multiplier === 1)!;
      expect(rel(atOne.mean, find(analysis.channels, { metric: 'contribution', channel, unit: 'kpi' }).mean)).toBeLessThan(1e-12);
      for (let j = 1; j < curve.length; j++) expect(curve[j].mean).toBeGreaterThan(curve[j - 1].mean);
      // diminishing returns at the high end
      const last = curve.length - 1;
      expect(curve[last].mean - curve[last - 1].mean).toBeLessThan(curve[11].mean - curve[10].mean);
      expect(curve[0].mean).toBe(0);
      expect(atOne.q05).toBeLessThanOrEqual(atOne.q95);
    }
  });

  it('adstock weights are the normalized alpha^l at the truth and sum to 1; saturation is the Hill curve', () => {
    const posterior = posteriorAround(truthValues(truth), truthShapes(G, C), 1, 1);
    const adstock = adstockCurves(design, DEFAULT_MODEL_CONFIG, posterior);
    expect(adstock.length).toBe(C * 8);
    truth.channels.forEach((channel, c) => {
      const alpha = truth.params.alpha[c];
      const total = (1 - Math.pow(alpha, 8)) / (1 - alpha);
      const rows = adstock.filter((r) => r.channel === channel);
      rows.forEach((r) => expect(rel(r.mean, Math.pow(alpha, r.lag) / total)).toBeLessThan(1e-12));
      expect(Math.abs(rows.reduce((a, r) => a + r.mean, 0) - 1)).toBeLessThan(1e-12);
    });
    const k = truth.params.k;
    const saturation = saturationCurves(design, DEFAULT_MODEL_CONFIG, posterior, { points: 5, maxScaledMedia: [2 * k[0], 2 * k[1], 2 * k[2]] });
    truth.channels.forEach((channel, c) => {
      const rows = saturation.filter((r) => r.channel === channel);
      expect(rows.map((r) => r.scaledMedia)).toEqual([0, 0.5, 1, 1.5, 2].map((f) => f * k[c]));
      expect(Math.abs(rows[2].mean - 0.5)).toBeLessThan(1e-12); // h(k) = 1/2
      const s = truth.params.s[c];
      expect(rel(rows[4].mean, Math.pow(2, s) / (Math.pow(2, s) + 1))).toBeLessThan(1e-12);
      expect(rel(rows[4].media, 2 * k[c] * design.mediaUnit[c])).toBeLessThan(1e-12);
    });
  });
});
