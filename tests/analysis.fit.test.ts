/**
 * Fit metrics and residual autocorrelation (src/analysis/fitMetrics.ts) on hand-made arrays, and
 * posterior predictive checks (src/analysis/posteriorPredictive.ts) on the geo example with the true
 * parameters as draws. Statistical checks use a fixed seed and 4 Monte Carlo standard errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  actualKpi,
  analyzeMedia,
  fitMetrics,
  holdoutMask,
  posteriorFitMetrics,
  posteriorPredictiveCheck,
  residualAutocorrelation,
} from '../src/analysis/index.js';
import { createRng } from '../src/tensor/index.js';
import { DEFAULT_MODEL_CONFIG, type MmmModelConfig } from '../models/mmm/config.js';
import { withHoldout, type MmmDesign } from '../models/mmm/design.js';
import { meanKpiHost } from '../models/mmm/hostModel.js';
import { loadGeoDesign, posteriorAround, readGeoTruth, truthShapes, truthValues, type GeoTruth } from './fixtures/analysis/examplePosterior.js';

describe('fit metrics', () => {
  it('R^2, MAPE, WMAPE and RMSE on hand-made arrays, with a per-period holdout over two geos', () => {
    const actual = [10, 20, 30, 40, 12, 0, 28, 44];
    const predicted = [11, 18, 30, 44, 12, 1, 25, 40];
    const rows = fitMetrics(actual, predicted, [0, 0, 1, 1]);
    const all = rows.find((r) => r.subset === 'all')!;
    // errors: -1, 2, 0, -4, 0, -1, 3, 4; sum |e| = 15; sum e^2 = 47; mean y = 23; SStot = 169 + 9 + 49 + 289 + 121 + 529 + 25 + 441 = 1632
    expect(all.n).toBe(8);
    expect(all.rmse).toBeCloseTo(Math.sqrt(47 / 8), 12);
    expect(all.r2).toBeCloseTo(1 - 47 / 1632, 12);
    expect(all.wmape).toBeCloseTo(15 / 184, 12);
    expect(all.mape).toBeCloseTo((1 / 10 + 2 / 20 + 0 + 4 / 40 + 0 + 3 / 28 + 4 / 44) / 7, 12);
    expect(all.mapeSkipped).toBe(1);
    // holdout = periods 3-4 of each geo: cells 2, 3, 6, 7
    const holdout = rows.find((r) => r.subset === 'holdout')!;
    expect(holdout.n).toBe(4);
    expect(holdout.wmape).toBeCloseTo((0 + 4 + 3 + 4) / (30 + 40 + 28 + 44), 12);
    const mean = (30 + 40 + 28 + 44) / 4;
    const ssTot = [30, 40, 28, 44].reduce((a, y) => a + (y - mean) ** 2, 0);
    expect(holdout.r2).toBeCloseTo(1 - (0 + 16 + 9 + 16) / ssTot, 12);
    const inSample = rows.find((r) => r.subset === 'inSample')!;
    expect(inSample.n).toBe(4);
    expect(inSample.mapeSkipped).toBe(1);
    expect(() => fitMetrics(actual, predicted, [1, 0, 1])).toThrow(/one per period or per cell/);
  });

  it('residual autocorrelation per geo and pooled, with a mask', () => {
    // geo 0 alternates (lag-1 = -3/4), geo 1 is a ramp
    const residuals = [1, -1, 1, -1, -1.5, -0.5, 0.5, 1.5];
    const rows = residualAutocorrelation(residuals, 4, 2);
    const at = (geo: number | null, lag: number) => rows.find((r) => r.geo === geo && r.lag === lag)!.autocorrelation;
    expect(at(0, 1)).toBeCloseTo(-3 / 4, 12);
    expect(at(0, 2)).toBeCloseTo(2 / 4, 12);
    // ramp: centred values -1.5, -0.5, 0.5, 1.5; squares 5; lag-1 products 0.75 - 0.25 + 0.75 = 1.25
    expect(at(1, 1)).toBeCloseTo(1.25 / 5, 12);
    expect(at(null, 1)).toBeCloseTo((-3 + 1.25) / (4 + 5), 12);
    expect(rows.find((r) => r.geo === 0 && r.lag === 1)!.bound).toBeCloseTo(1.96 / 2, 12);
    // masking the last period: geo 0 becomes 1, -1, 1 (mean 1/3)
    const masked = residualAutocorrelation(residuals, 4, 1, [1, 1, 1, 0]);
    const c = [2 / 3, -4 / 3, 2 / 3];
    const expected = (c[0] * c[1] + c[1] * c[2]) / (c[0] ** 2 + c[1] ** 2 + c[2] ** 2);
    expect(masked.find((r) => r.geo === 0)!.autocorrelation).toBeCloseTo(expected, 12);
  });
});

describe('posterior fit and predictive checks on the geo example', () => {
  let design: MmmDesign;
  let truth: GeoTruth;
  let G: number;
  let T: number;
  beforeAll(async () => {
    design = await loadGeoDesign();
    truth = readGeoTruth();
    G = design.geoNames.length;
    T = design.dates.length;
  });

  it('fit of the posterior mean in KPI units, in-sample and on the design\'s time-ordered holdout', () => {
    const held = withHoldout(design, 8);
    const mask = holdoutMask(held)!;
    expect(mask.reduce((a, b) => a + b, 0)).toBe(G * 8);
    const posterior = posteriorAround(truthValues(truth), truthShapes(G, C()), 1, 4, 0.02);
    const analysis = analyzeMedia(held, DEFAULT_MODEL_CONFIG, posterior, { byGeoDate: false, byDate: false });
    const rows = posteriorFitMetrics(held, analysis);
    expect(rows.map((r) => r.subset)).toEqual(['all', 'inSample', 'holdout']);
    expect(rows[1].n).toBe(G * (T - 8));
    // the truth explains the KPI up to noise sigma ~ 0.05 of the mean: R^2 high, WMAPE ~ 0.04
    expect(rows[0].r2).toBeGreaterThan(0.9);
    expect(rows[0].wmape).toBeLessThan(0.06);
    const actual = actualKpi(design);
    expect(actual[5]).toBeCloseTo(design.kpi[5] * design.kpiUnit[0], 9);
  });

  function C() {
    return design.channelNames.length;
  }

  it('replicated noise has the likelihood\'s moments (Normal and Student-t, one sigma or one per geo), seeded and thinning-invariant', () => {
    const draws = 50;
    for (const [likelihood, nu, sigmaByGeo] of [['normal', 0, false], ['studentT', 10, false], ['normal', 0, true], ['studentT', 10, true]] as const) {
      const config: MmmModelConfig = { ...DEFAULT_MODEL_CONFIG, likelihood, sigmaByGeo };
      // one sigma per geo (model config sigmaByGeo): the truth's sigma times 0.6, 0.9, 1.2, ... by geo
      const sigmas = Float64Array.from({ length: G }, (_, g) => truth.params.sigma * (sigmaByGeo ? 0.6 + 0.3 * g : 1));
      const values = { ...truthValues(truth), ...(sigmaByGeo ? { sigma: sigmas } : {}), ...(likelihood === 'studentT' ? { nu: Float64Array.of(nu) } : {}) };
      const posterior = posteriorAround(values, { ...truthShapes(G, C()), sigma: sigmaByGeo ? [G] : [] }, 1, draws, 0);
      const check = posteriorPredictiveCheck(design, config, posterior, { seed: 4, keepReplicates: draws });
      expect(check.replicates.length).toBe(draws * G * T);
      const mu = meanKpiHost(design, config, values);
      let sum = 0;
      let squares = 0;
      const n = draws * G * T;
      for (let d = 0; d < draws; d++) {
        for (let i = 0; i < G * T; i++) {
          const z = (check.replicates[d * G * T + i] / design.kpiUnit[Math.floor(i / T)] - mu[i]) / sigmas[Math.floor(i / T)];
          sum += z;
          squares += z * z;
        }
      }
      // Normal: var 1, SE of the sample variance sqrt(2 / n). t(10): var 10/8, kurtosis 3 + 6/(10-4) = 4, SE sqrt((4 - 1) var^2 / n).
      const variance = likelihood === 'normal' ? 1 : nu / (nu - 2);
      const varianceSe = likelihood === 'normal' ? Math.sqrt(2 / n) : Math.sqrt((3 * variance * variance) / n);
      expect(Math.abs(sum / n)).toBeLessThan(4 * Math.sqrt(variance / n));
      expect(Math.abs(squares / n - variance)).toBeLessThan(4 * varianceSe);
      // same seed, thinned: the kept draw 10's replicate is the same
      const thinned = posteriorPredictiveCheck(design, config, posterior, { seed: 4, maxDraws: 5, keepReplicates: 5 });
      expect(Array.from(thinned.replicateDrawIndices)).toEqual([0, 10, 20, 30, 40]);
      expect(thinned.replicates.subarray(G * T, 2 * G * T)).toEqual(check.replicates.subarray(10 * G * T, 11 * G * T));
    }
  });

  it('p-values: typical at the truth, extreme for overdispersed, autocorrelated or too-perfect data', () => {
    const values = truthValues(truth);
    const posterior = posteriorAround(values, truthShapes(G, C()), 2, 100, 0);
    const pAt = (d: MmmDesign) => {
      const check = posteriorPredictiveCheck(d, DEFAULT_MODEL_CONFIG, posterior, { seed: 9 });
      return Object.fromEntries(check.pValues.map((p) => [p.discrepancy, p.pValue]));
    };
    // The example data were simulated from these values, so the realized discrepancies are typical
    // draws of their reference distributions (a fixed-data, fixed-seed check; it would fail for ~2% of seeds).
    const atTruth = pAt(design);
    expect(atTruth.sumOfSquares).toBeGreaterThan(0.01);
    expect(atTruth.sumOfSquares).toBeLessThan(0.99);
    expect(atTruth.residualLag1Autocorrelation).toBeGreaterThan(0.01);
    expect(atTruth.residualLag1Autocorrelation).toBeLessThan(0.99);
    const mu = meanKpiHost(design, DEFAULT_MODEL_CONFIG, values);
    const sigma = truth.params.sigma;
    const rng = createRng(1, 'analysis-fit-test');
    // three times the noise: sum of squares ~ 9 N vs N -> p = 0
    const wide = { ...design, kpi: mu.map((m) => m + 3 * sigma * rng.normal()) };
    expect(pAt(wide).sumOfSquares).toBe(0);
    // AR(1) noise with rho = 0.8 and the right marginal sd -> residual lag-1 autocorrelation ~ 0.8 -> p = 0
    const ar = new Float64Array(G * T);
    for (let g = 0; g < G; g++) {
      let e = sigma * rng.normal();
      for (let t = 0; t < T; t++) {
        if (t > 0) e = 0.8 * e + sigma * Math.sqrt(1 - 0.64) * rng.normal();
        ar[g * T + t] = mu[g * T + t] + e;
      }
    }
    expect(pAt({ ...design, kpi: ar }).residualLag1Autocorrelation).toBe(0);
    // data equal to the mean: no residual variance at all -> every replicate exceeds it -> p = 1
    expect(pAt({ ...design, kpi: mu }).sumOfSquares).toBe(1);
  });

  it('use only the observed cells under a holdout', () => {
    const posterior = posteriorAround(truthValues(truth), truthShapes(G, C()), 1, 20, 0);
    const held = withHoldout(design, 8);
    // corrupt the held-out periods: the check on observed cells must not see it
    const kpi = Float64Array.from(design.kpi);
    for (let g = 0; g < G; g++) for (let t = T - 8; t < T; t++) kpi[g * T + t] += 5;
    const clean = posteriorPredictiveCheck(held, DEFAULT_MODEL_CONFIG, posterior, { seed: 2 });
    const corrupted = posteriorPredictiveCheck({ ...held, kpi }, DEFAULT_MODEL_CONFIG, posterior, { seed: 2 });
    expect(corrupted.pValues).toEqual(clean.pValues);
  });
});
