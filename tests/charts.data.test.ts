/**
 * The rows behind the charts (src/analysis): intervals, kernel densities, model-fit rows, per-geo
 * ROI, prior-vs-posterior densities, response-curve marks and the data checks (zero spend, spend
 * share, correlations, VIF, ISO weeks, findings). Posteriors are hand-made from the geo example's
 * true parameters (tests/fixtures/analysis); nothing is sampled by MCMC.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  actualKpi,
  ALL_GEOS,
  analyzeMedia,
  collinearPairs,
  correlations,
  dataChecks,
  geoRoiRows,
  intervalSummary,
  isoWeek,
  kernelDensity,
  modelFitRows,
  posteriorPredictiveCheck,
  priorDraws,
  priorPosteriorRows,
  responseMarks,
  seasonalityRows,
  spendShareRows,
  varianceInflation,
  zeroSpendRows,
  type InspectData,
  type SpendResponseRow,
} from '../src/analysis/index.js';
import { createRng } from '../src/tensor/index.js';
import { DEFAULT_MODEL_CONFIG } from '../models/mmm/config.js';
import { withHoldout, type MmmDesign } from '../models/mmm/design.js';
import { loadGeoDesign, posteriorAround, readGeoTruth, truthShapes, truthValues } from './fixtures/analysis/examplePosterior.js';

const config = DEFAULT_MODEL_CONFIG;
let design: MmmDesign;

beforeAll(async () => {
  design = withHoldout(await loadGeoDesign(), 8);
});

function trapezoid(points: readonly { value: number; density: number }[]): number {
  let total = 0;
  for (let i = 1; i < points.length; i++) total += ((points[i].value - points[i - 1].value) * (points[i].density + points[i - 1].density)) / 2;
  return total;
}

describe('intervals and densities', () => {
  it('intervalSummary gives type-7 quantiles and ignores non-finite values', () => {
    const values = [...Array.from({ length: 101 }, (_, i) => i + 1), NaN, Infinity];
    const s = intervalSummary(values);
    expect(s).toEqual({ mean: 51, median: 51, q05: 6, q25: 26, q75: 76, q95: 96 });
    expect(Number.isNaN(intervalSummary([NaN]).median)).toBe(true);
  });

  it('kernelDensity of normal draws integrates to 1 and matches the density at 0', () => {
    const rng = createRng(5, 'kde-normal');
    const draws = Float64Array.from({ length: 4000 }, () => rng.normal());
    const curve = kernelDensity(draws, { points: 200 });
    // The grid covers the central 99% plus 3 bandwidths: almost all the mass.
    expect(trapezoid(curve)).toBeGreaterThan(0.98);
    expect(trapezoid(curve)).toBeLessThan(1.01);
    // At 0 the KDE estimates the N(0, 1 + h^2) density (~0.393 for h ~ 0.17); its Monte Carlo sd is
    // about sqrt(f R(K) / (n h)) ~ 0.013, so 0.04 is three of them.
    const atZero = kernelDensity(draws, { points: 3, from: -1, to: 1 })[1];
    expect(atZero.value).toBe(0);
    expect(Math.abs(atZero.density - 0.393)).toBeLessThan(0.04);
  });

  it('reflects at a bound so a density with its mode at the bound does not dip there', () => {
    const rng = createRng(6, 'kde-exponential');
    const draws = Float64Array.from({ length: 4000 }, () => -Math.log(1 - rng.uniform()));
    const reflected = kernelDensity(draws, { lower: 0, points: 400 });
    const plain = kernelDensity(draws, { from: 0, to: reflected[reflected.length - 1].value, points: 400 });
    expect(reflected[0].value).toBe(0);
    // Exponential(1): f(0) = 1. Reflection leaves an O(h) bias (~ -0.8 h ~ -0.11 here); without it
    // the estimate at the bound is about half the density.
    expect(reflected[0].density).toBeGreaterThan(0.8);
    expect(plain[0].density).toBeLessThan(0.6);
    expect(Math.abs(trapezoid(reflected) - 1)).toBeLessThan(0.02);
  });
});

describe('rows from the analysis', () => {
  it('model-fit rows: actual KPI summed over geos, posterior mean and bands, holdout flags', () => {
    const posterior = posteriorAround(truthValues(readGeoTruth()), truthShapes(4, 3), 2, 60, 0.05, 2);
    const media = analyzeMedia(design, config, posterior);
    const predictive = posteriorPredictiveCheck(design, config, posterior, { keepReplicates: 120, seed: 1 });
    const rows = modelFitRows(design, media, predictive);
    const T = design.dates.length;
    const G = design.geoNames.length;
    const actual = actualKpi(design);
    expect(rows).toHaveLength(T);
    rows.forEach((row, t) => {
      let total = 0;
      for (let g = 0; g < G; g++) total += actual[g * T + t];
      expect(row.actual).toBeCloseTo(total, 6);
      const prediction = media.byDate.find((r) => r.metric === 'prediction' && r.unit === 'kpi' && r.date === row.date)!;
      expect(row.mean).toBe(prediction.mean);
      expect(row.holdout).toBe(t >= T - 8);
      expect(row.predictiveQ05!).toBeLessThan(row.predictiveQ95!);
    });
    // The predictive interval adds observation noise to the credible band: wider on average.
    const width = (low: (r: (typeof rows)[number]) => number, high: (r: (typeof rows)[number]) => number) => rows.reduce((a, r) => a + high(r) - low(r), 0) / T;
    expect(width((r) => r.predictiveQ05!, (r) => r.predictiveQ95!)).toBeGreaterThan(width((r) => r.q05, (r) => r.q95));
    expect(rows[T - 1].periodEnd).toBe('2024-07-01');
    const byGeo = modelFitRows(design, media, predictive, { byGeo: true });
    expect(byGeo).toHaveLength(G * T);
    expect(byGeo[T + 3].geo).toBe(design.geoNames[1]);
    expect(byGeo[T + 3].actual).toBeCloseTo(actual[T + 3], 9);
  });

  it('per-geo ROI at one draw: contribution in the geo over spend in the geo, spend-weighted to the total ROI', () => {
    const posterior = posteriorAround(truthValues(readGeoTruth()), truthShapes(4, 3), 1, 1);
    const media = analyzeMedia(design, config, posterior);
    const rows = geoRoiRows(design, config, posterior);
    expect(rows).toHaveLength(12);
    for (const channel of design.channelNames) {
      const perGeo = rows.filter((r) => r.channel === channel);
      // independent path: the analysis' per (geo, date) contribution rows
      for (const r of perGeo) {
        const contribution = media.byGeoDate.filter((q) => q.metric === 'contribution' && q.unit === 'kpi' && q.channel === channel && q.geo === r.geo).reduce((a, q) => a + q.mean, 0);
        expect(r.median).toBeCloseTo(contribution / r.spend, 9);
        expect(r.q05).toBe(r.median);
      }
      const weighted = perGeo.reduce((a, r) => a + r.median * r.spend, 0) / perGeo.reduce((a, r) => a + r.spend, 0);
      const total = media.channels.find((q) => q.metric === 'roi' && q.channel === channel)!;
      expect(Math.abs(weighted - total.mean) / total.mean).toBeLessThan(1e-12);
    }
  });

  it('prior-vs-posterior rows: labelled per channel, densities integrate to about 1, the Beta(2, 2) prior of alpha peaks near 1.5', () => {
    const posterior = posteriorAround(truthValues(readGeoTruth()), truthShapes(4, 3), 2, 200, 0.05, 4);
    const rows = priorPosteriorRows(design, config, posterior, priorDraws(design, config, { draws: 1000, seed: 3 }), { points: 101 });
    const parameters = [...new Set(rows.map((r) => r.parameter))];
    expect(parameters).toEqual(['alpha[tv]', 'alpha[search]', 'alpha[social]', 'k[tv]', 'k[search]', 'k[social]', 's[tv]', 's[search]', 's[social]', 'm[tv]', 'm[search]', 'm[social]', 'eta[tv]', 'eta[search]', 'eta[social]', 'sigma']);
    for (const parameter of parameters) {
      const post = rows.filter((r) => r.parameter === parameter && r.source === 'posterior');
      // the grid spans the posterior's central 99% plus 3 bandwidths (clipped at bounds, where the
      // density is reflected): 0.95 is a loose floor for grid and truncation error
      expect(trapezoid(post)).toBeGreaterThan(0.95);
      expect(trapezoid(post)).toBeLessThan(1.05);
    }
    const alpha = rows.filter((r) => r.parameter === 'alpha[tv]' && r.source === 'prior');
    // the grid spans the prior's central 98%: Beta(2, 2) quantiles 0.0465 and 0.9535
    expect(alpha[0].value).toBeGreaterThan(0.03);
    expect(alpha[alpha.length - 1].value).toBeLessThan(0.97);
    const mid = alpha.reduce((best, p) => (Math.abs(p.value - 0.5) < Math.abs(best.value - 0.5) ? p : best));
    expect(Math.abs(mid.value - 0.5)).toBeLessThan(0.01);
    // KDE sd at the mode ~ sqrt(f R(K) / (n h)) ~ 0.09 with n = 1000, h ~ 0.05; 0.3 is > 3 sd.
    expect(Math.abs(mid.density - 1.5)).toBeLessThan(0.3);
  });

  it('response marks: current spend at multiplier 1, proposed spend interpolated on the mean curve', () => {
    const curve = (channel: string): SpendResponseRow[] =>
      [0, 0.5, 1, 1.5, 2].map((multiplier) => ({ channel, multiplier, spend: 100 * multiplier, unit: 'kpi', mean: 10 * Math.sqrt(multiplier), sd: 0, median: 0, q05: 0, q95: 0 }));
    const marks = responseMarks([...curve('tv'), ...curve('search')], [{ channel: 'tv', current: 100, proposed: 125 }, { channel: 'search', current: 100, proposed: 500 }]);
    expect(marks.filter((m) => m.kind === 'current').map((m) => [m.channel, m.spend, m.response])).toEqual([['tv', 100, 10], ['search', 100, 10]]);
    const tv = marks.find((m) => m.channel === 'tv' && m.kind === 'proposed')!;
    expect(tv.response).toBeCloseTo(10 + 0.5 * (10 * Math.sqrt(1.5) - 10), 12);
    expect(Number.isNaN(marks.find((m) => m.channel === 'search' && m.kind === 'proposed')!.response)).toBe(true);
  });
});

describe('data checks', () => {
  /** G = 2, T = 20; channel a = t, b = 2a + noise, c random with zeros; one control. */
  function synthetic(extra?: (n: number) => number): InspectData {
    const G = 2;
    const T = 20;
    const rng = createRng(9, 'data-checks');
    const names = extra ? ['a', 'b', 'c', 'd'] : ['a', 'b', 'c'];
    const C = names.length;
    const spend = new Float64Array(G * T * C);
    const controls = new Float64Array(G * T);
    const kpi = new Float64Array(G * T);
    for (let g = 0; g < G; g++) {
      for (let t = 0; t < T; t++) {
        const n = g * T + t;
        const a = t + 1;
        const b = 2 * a + rng.normal();
        const c = t % 4 === 0 ? 0 : 5 + rng.uniform();
        spend[n * C] = a;
        spend[n * C + 1] = b;
        spend[n * C + 2] = c;
        if (extra) spend[n * C + 3] = extra(n);
        controls[n] = rng.normal();
        kpi[n] = 100 + t;
      }
    }
    const dates = Array.from({ length: T }, (_, t) => new Date(Date.UTC(2023, 0, 2 + 7 * t)).toISOString().slice(0, 10));
    return { geoNames: ['g1', 'g2'], dates, frequency: 'weekly', channelNames: names, controlNames: ['price'], spend, media: spend, controls, kpi };
  }

  it('zero-spend and spend shares', () => {
    const data = synthetic();
    const zero = zeroSpendRows(data);
    expect(zero.find((r) => r.channel === 'c' && r.geo === 'g1')!.zeroShare).toBe(5 / 20);
    expect(zero.find((r) => r.channel === 'c' && r.geo === ALL_GEOS)!.zeroShare).toBe(10 / 40);
    expect(zero.find((r) => r.channel === 'a' && r.geo === ALL_GEOS)!.zeroShare).toBe(0);
    const shares = spendShareRows(data);
    expect(shares.reduce((a, r) => a + r.share, 0)).toBeCloseTo(1, 12);
    expect(shares[0].spend).toBe(2 * (20 * 21) / 2);
    expect(shares[0].meanSpend).toBe(10.5);
  });

  it('correlations are Pearson over geo-periods; two variables have VIF 1 / (1 - r^2)', () => {
    const data = synthetic();
    const corr = correlations(data);
    const names = corr.variables.map((v) => v.name);
    expect(names).toEqual(['a', 'b', 'c', 'price']);
    const V = names.length;
    const x = Array.from({ length: 40 }, (_, n) => data.media[n * 3]);
    const y = Array.from({ length: 40 }, (_, n) => data.media[n * 3 + 1]);
    const mx = x.reduce((p, q) => p + q) / 40;
    const my = y.reduce((p, q) => p + q) / 40;
    const r = x.reduce((s, xi, i) => s + (xi - mx) * (y[i] - my), 0) / Math.sqrt(x.reduce((s, xi) => s + (xi - mx) ** 2, 0) * y.reduce((s, yi) => s + (yi - my) ** 2, 0));
    expect(corr.matrix[1]).toBeCloseTo(r, 12);
    expect(corr.matrix[V + 1]).toBe(1);
    expect(collinearPairs(corr, 0.7).map((p) => [p.a, p.b])).toEqual([['a', 'b']]);
    const two = { variables: corr.variables.slice(0, 2), matrix: Float64Array.of(1, r, r, 1) };
    // the inverse carries a 1e-12 ridge (so exact collinearity gives a huge, not a failed, VIF)
    for (const row of varianceInflation(two)) expect(Math.abs(row.vif * (1 - r * r) - 1)).toBeLessThan(1e-9);
  });

  it('VIF is infinite for an exact linear combination and NaN for a constant variable', () => {
    const exact = synthetic((n) => 0); // d constant 0: no correlation, no VIF
    const vif = varianceInflation(correlations(exact));
    expect(Number.isNaN(vif.find((v) => v.variable === 'd')!.vif)).toBe(true);
    expect(Number.isFinite(vif.find((v) => v.variable === 'a')!.vif)).toBe(true);
    const data = synthetic();
    const combo = synthetic((n) => data.media[n * 3] + data.media[n * 3 + 2]); // d = a + c
    const combos = varianceInflation(correlations(combo));
    for (const name of ['a', 'c', 'd']) expect(combos.find((v) => v.variable === name)!.vif).toBe(Infinity);
    expect(Number.isFinite(combos.find((v) => v.variable === 'price')!.vif)).toBe(true);
  });

  it('findings name collinear pairs, high VIFs, channels mostly off and channels that hardly vary', () => {
    const checks = dataChecks(synthetic((n) => (n % 10 === 0 ? 3 : 0)));
    const codes = checks.findings.map((f) => `${f.code}:${f.subjects.join('+')}`);
    expect(codes).toContain('collinearPair:a+b');
    expect(codes).toContain('highVif:a');
    expect(codes).toContain('mostlyOff:d');
    const steady = dataChecks(synthetic((n) => 100 + (n % 2)));
    expect(steady.findings.map((f) => `${f.code}:${f.subjects.join('+')}`)).toContain('lowVariation:d');
  });

  it('ISO weeks and seasonality rows', () => {
    expect(isoWeek('2021-01-03')).toEqual({ year: 2020, week: 53 });
    expect(isoWeek('2021-01-04')).toEqual({ year: 2021, week: 1 });
    expect(isoWeek('2024-12-30')).toEqual({ year: 2025, week: 1 });
    expect(isoWeek('2023-01-02')).toEqual({ year: 2023, week: 1 });
    expect(isoWeek('2026-12-31')).toEqual({ year: 2026, week: 53 });
    const rows = seasonalityRows(synthetic());
    expect(rows).toHaveLength(20);
    expect(rows[0]).toEqual({ year: 2023, week: 1, kpi: 200 });
    expect(rows[19]).toEqual({ year: 2023, week: 20, kpi: 238 });
  });
});
