/**
 * Prior predictive simulation (models/mmm/priorPredictive.ts) and the prior ROI it implies
 * (src/analysis/priorRoi.ts), on the bundled geo example. Moment checks use a fixed seed and a
 * tolerance of 4 Monte Carlo standard errors (sd / sqrt(n) for a mean, sd / sqrt(2 n) for a
 * normal sd, the asymptotic sd of a sample quantile for quantiles): a correct sampler fails such a
 * check with probability < 1e-4 per assertion.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeMedia, priorRoiRanges } from '../src/analysis/index.js';
import { DEFAULT_MODEL_CONFIG, type MmmModelConfig } from '../models/mmm/config.js';
import type { MmmDesign } from '../models/mmm/design.js';
import { mediaCoefficientsHost, meanKpiHost, saturatedMediaHost } from '../models/mmm/hostModel.js';
import { priorParameters, samplePriorPredictive } from '../models/mmm/priorPredictive.js';
import { createGeoMmm } from '../models/mmm/model.js';
import { initBackend } from '../src/tensor/index.js';
import { loadGeoDesign } from './fixtures/analysis/examplePosterior.js';

const moments = (x: ArrayLike<number>) => {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i];
  const mean = sum / x.length;
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i] - mean) ** 2;
  return { mean, sd: Math.sqrt(ss / (x.length - 1)), n: x.length };
};

/** |sample mean - mean| and |sample sd - sd| within 4 MC standard errors (normal-theory SE for the sd). */
function expectNormalMoments(x: ArrayLike<number>, mean: number, sd: number) {
  const m = moments(x);
  expect(Math.abs(m.mean - mean)).toBeLessThan((4 * sd) / Math.sqrt(m.n));
  expect(Math.abs(m.sd - sd)).toBeLessThan((4 * sd) / Math.sqrt(2 * m.n));
}

let design: MmmDesign;
let C: number;
beforeAll(async () => {
  await initBackend();
  design = await loadGeoDesign();
  C = design.channelNames.length;
});

describe('prior predictive draws', () => {
  it('declare the same parameters, in the same order and shapes, as the geo model (the joint one: prior draws include the linear block)', () => {
    const configs: MmmModelConfig[] = [
      DEFAULT_MODEL_CONFIG,
      { ...DEFAULT_MODEL_CONFIG, geo: { intercept: 'centered', media: 'centered' }, likelihood: 'studentT' },
      { ...DEFAULT_MODEL_CONFIG, adstock: { type: 'weibull', maxLag: 6 }, saturation: { type: 'logistic' }, mediaPrior: { type: 'roi' }, trend: false },
      { ...DEFAULT_MODEL_CONFIG, adstock: { type: 'delayed', maxLag: 8 }, saturation: { type: 'hill', fixedSlope: 1 }, geo: { intercept: 'noncentered', media: 'pooled' } },
    ];
    for (const config of configs.map((c) => ({ ...c, linearBlock: 'sample' as const }))) {
      const model = createGeoMmm(design, config);
      const prior = priorParameters(design, config);
      expect(prior.map((p) => p.name)).toEqual(model.parameterNames);
      for (const p of prior) expect(p.shape).toEqual(model.definition.parameters[p.name].shape ?? []);
      model.definition.dispose?.();
    }
  });

  it('match the default priors\' moments (Beta, LogNormal, Normal, HalfNormal) and are reproducible', () => {
    const n = 4000;
    const prior = samplePriorPredictive(design, DEFAULT_MODEL_CONFIG, { draws: n / 2, chains: 2, seed: 11, kpi: false });
    expect(prior.chains).toBe(2);
    // alpha ~ Beta(2, 2): mean 1/2, sd sqrt(1/20)
    const alpha = prior.pooled('alpha[1]');
    const a = moments(alpha);
    expect(Math.abs(a.mean - 0.5)).toBeLessThan((4 * Math.sqrt(0.05)) / Math.sqrt(n));
    // k ~ LogNormal(0, 0.5), s ~ LogNormal(0, 0.3): log is normal
    expectNormalMoments(prior.pooled('k[2]').map(Math.log), 0, 0.5);
    expectNormalMoments(prior.pooled('s[3]').map(Math.log), 0, 0.3);
    // m ~ Normal(-1.5, 1); tau0 ~ Normal(0.5, 0.5); u ~ Normal(0, 1)
    expectNormalMoments(prior.pooled('m[1]'), -1.5, 1);
    expectNormalMoments(prior.pooled('tau0'), 0.5, 0.5);
    expectNormalMoments(prior.pooled('u[3,2]'), 0, 1);
    // sigma ~ HalfNormal(0.3): mean 0.3 sqrt(2/pi), sd 0.3 sqrt(1 - 2/pi)
    const sigma = moments(prior.pooled('sigma'));
    expect(Math.abs(sigma.mean - 0.3 * Math.sqrt(2 / Math.PI))).toBeLessThan((4 * 0.3 * Math.sqrt(1 - 2 / Math.PI)) / Math.sqrt(n));
    const again = samplePriorPredictive(design, DEFAULT_MODEL_CONFIG, { draws: n / 2, chains: 2, seed: 11, kpi: false });
    expect(again.pooled('m[2]')).toEqual(prior.pooled('m[2]'));
    const other = samplePriorPredictive(design, DEFAULT_MODEL_CONFIG, { draws: 10, seed: 12, kpi: false });
    expect(other.pooled('m[2]')).not.toEqual(prior.pooled('m[2]').subarray(0, 10));
  });

  it('resolve per-channel prior values (array and by name) and truncate to the support', () => {
    const config: MmmModelConfig = {
      ...DEFAULT_MODEL_CONFIG,
      priors: {
        k: { dist: 'logNormal', mu: [0, 1, -1], sigma: { tv: 0.1, search: 0.2, social: 0.3 } },
        s: { dist: 'normal', loc: 0.2, scale: 1 },
      },
    };
    const n = 3000;
    const prior = samplePriorPredictive(design, config, { draws: n, seed: 3, kpi: false });
    [[0, 0.1], [1, 0.2], [-1, 0.3]].forEach(([mu, sigma], c) => expectNormalMoments(prior.pooled(`k[${c + 1}]`).map(Math.log), mu, sigma));
    // s ~ Normal(0.2, 1) truncated to s > 0: mean 0.2 + phi(0.2) / Phi(0.2) (phi(0.2) = 0.39104269, Phi(0.2) = 0.57925971)
    const s = prior.pooled('s[1]');
    expect(Math.min(...s)).toBeGreaterThan(0);
    const truncatedMean = 0.2 + 0.39104269 / 0.57925971;
    // the truncated normal's sd is below 1, so 4 / sqrt(n) is a conservative 4-SE bound
    expect(Math.abs(moments(s).mean - truncatedMean)).toBeLessThan(4 / Math.sqrt(n));
  });

  it('simulate y_rep = mu + Normal(0, sigma) noise, as a derived [G, T] variable', () => {
    const draws = 100;
    const prior = samplePriorPredictive(design, DEFAULT_MODEL_CONFIG, { draws, seed: 5 });
    const G = design.geoNames.length;
    const T = design.dates.length;
    expect(prior.variable('y_rep').shape).toEqual([G, T]);
    const z: number[] = [];
    for (let d = 0; d < draws; d++) {
      const values = prior.drawValues(0, d);
      const mu = meanKpiHost(design, DEFAULT_MODEL_CONFIG, values);
      for (let n = 0; n < G * T; n++) z.push((values.y_rep[n] - mu[n]) / values.sigma[0]);
    }
    expectNormalMoments(z, 0, 1);
  });

  it('one sigma per geo and fixed intercepts: sigma [G] and tau_offset [G - 1] from their priors, y_rep with each geo\'s sigma', () => {
    const config: MmmModelConfig = { ...DEFAULT_MODEL_CONFIG, sigmaByGeo: true, geo: { intercept: 'fixed', media: 'noncentered' } };
    const draws = 400;
    const prior = samplePriorPredictive(design, config, { draws, seed: 6 });
    const G = design.geoNames.length;
    const T = design.dates.length;
    expect(prior.variable('sigma').shape).toEqual([G]);
    expect(prior.variable('tau_offset').shape).toEqual([G - 1]);
    expect(prior.has('sigma_tau')).toBe(false);
    // each geo's sigma ~ halfNormal(0.3): mean 0.3 sqrt(2 / pi), sd 0.3 sqrt(1 - 2 / pi); the offsets ~ normal(0, 1)
    for (let g = 1; g <= G; g++) {
      const sigma = prior.pooled(`sigma[${g}]`);
      expect(Math.abs(moments(sigma).mean - 0.3 * Math.sqrt(2 / Math.PI))).toBeLessThan((4 * 0.3 * Math.sqrt(1 - 2 / Math.PI)) / Math.sqrt(draws));
    }
    expectNormalMoments(prior.pooled('tau_offset[2]'), 0, 1);
    const z: number[] = [];
    for (let d = 0; d < draws / 4; d++) {
      const values = prior.drawValues(0, d);
      const mu = meanKpiHost(design, config, values);
      for (let n = 0; n < G * T; n++) z.push((values.y_rep[n] - mu[n]) / values.sigma[Math.floor(n / T)]);
    }
    expectNormalMoments(z, 0, 1);
  });

  it('under an ROI prior: roi follows its prior, m is derived per draw, and the analyzed ROI equals roi', () => {
    const config: MmmModelConfig = { ...DEFAULT_MODEL_CONFIG, mediaPrior: { type: 'roi' } };
    const n = 2000;
    const prior = samplePriorPredictive(design, config, { draws: n, seed: 8, kpi: false });
    expectNormalMoments(prior.pooled('roi[2]').map(Math.log), 0.2, 0.9);
    expect(prior.variable('m').kind).toBe('derived');
    const analysis = analyzeMedia(design, config, prior, { byGeoDate: false, byDate: false, maxDraws: 50 });
    analysis.drawIndices.forEach((index, d) => {
      const values = prior.drawValues(0, index);
      const beta = mediaCoefficientsHost(design, config, values, saturatedMediaHost(design, config, values));
      for (let c = 0; c < C; c++) {
        expect(Math.abs(analysis.perDraw.roi[d * C + c] / values.roi[c] - 1)).toBeLessThan(1e-12);
        expect(Math.abs(Math.exp(values.m[c] + values.eta[c] * values.u[C + c]) / beta[C + c] - 1)).toBeLessThan(1e-12);
      }
    });
  });
});

describe('prior ROI ranges', () => {
  it('reproduce an ROI prior\'s 1%, 50%, 99% quantiles', () => {
    const config: MmmModelConfig = { ...DEFAULT_MODEL_CONFIG, mediaPrior: { type: 'roi' } };
    const draws = 3000;
    const rows = priorRoiRanges(design, config, { draws, seed: 2 });
    expect(rows.length).toBe(C);
    // log ROI ~ Normal(0.2, 0.9); SE of the p-quantile of log ROI = sqrt(p (1 - p) / n) / density
    const z99 = 2.3263478740408408;
    const density = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI) / 0.9;
    const se = (p: number, z: number) => Math.sqrt((p * (1 - p)) / draws) / density(z);
    for (const row of rows) {
      expect(row.metric).toBe('roi');
      expect(Math.abs(Math.log(row.q01) - (0.2 - 0.9 * z99))).toBeLessThan(4 * se(0.01, z99));
      expect(Math.abs(Math.log(row.median) - 0.2)).toBeLessThan(4 * se(0.5, 0));
      expect(Math.abs(Math.log(row.q99) - (0.2 + 0.9 * z99))).toBeLessThan(4 * se(0.99, z99));
    }
  });

  it('give the ROI a coefficient prior implies, and windowed rows under ROI prior windows', () => {
    const rows = priorRoiRanges(design, DEFAULT_MODEL_CONFIG, { draws: 500, seed: 1 });
    expect(rows.map((r) => r.channel)).toEqual(design.channelNames);
    for (const row of rows) {
      expect(row.q01).toBeGreaterThan(0);
      expect(row.q01).toBeLessThan(row.median);
      expect(row.median).toBeLessThan(row.q99);
    }
    const windowed: MmmModelConfig = { ...DEFAULT_MODEL_CONFIG, mediaPrior: { type: 'roi', window: { tv: { from: '2023-03-01', to: '2023-09-30' } } } };
    const windowRows = priorRoiRanges(design, windowed, { draws: 200, seed: 1 });
    expect(windowRows.filter((r) => r.metric === 'roiInPriorWindow').length).toBe(C);
    expect(windowRows.filter((r) => r.metric === 'roi').length).toBe(C);
  });
});
