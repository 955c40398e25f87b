/**
 * The knots' time effect (models/mmm/components/knots.ts, knotSelection.ts, the 'knot' linear term):
 * the interpolation weights against their definition written out here (rows sum to 1, exact at the
 * knots, linear between, held beyond the ends; Meridian's evenly spaced positions); the knots in
 * the linear block (the density and gradient against the float64 reference and its central
 * differences are the knots case of tests/support/mmmDensity.ts, run by tests/mmm.kernel.test.ts);
 * the dense marginal against the joint minus the block's conditional,
 * and the exact draws against the conditional's mean; the config's keys and errors; the BIC
 * selection on simulated data with a known piecewise-linear time effect; extrapolation past the
 * data; the analysis layer's baseline and time effect; and a short fit on the bundled example.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { baselineScaled, timeEffectRows, timeFeatures } from '../src/analysis/index.js';
import { fourierFeatures, scaleData, type MmmData } from '../src/data/index.js';
import { inverseFromCholesky, logDeterminantFromCholesky } from '../src/linalg/index.js';
import { fitMmm } from '../src/mmm/fit.js';
import { buildReport } from '../src/mmm/report.js';
import { compile, Posterior } from '../src/ppl/index.js';
import { readRun, writeRun } from '../src/run/runDirectory.js';
import { formatRunSummary } from '../src/report/summaryText.js';
import { createRng, initBackend } from '../src/tensor/index.js';
import { DEFAULT_MODEL_CONFIG, type KnotSpec, type MmmModelConfig } from '../models/mmm/config.js';
import { designFromData, withHoldout, type MmmDesign } from '../models/mmm/design.js';
import { createGeoMmm } from '../models/mmm/model.js';
import { meanKpiHost, mediaCoefficientsHost, saturatedMediaHost } from '../models/mmm/hostModel.js';
import { samplePriorPredictive } from '../models/mmm/priorPredictive.js';
import { checkModelConfigAgainstData, parseModelConfig } from '../models/mmm/parseConfig.js';
import { referenceLogDensity, referenceMarginalLogDensity } from '../models/mmm/referenceDensity.js';
import { conditionalOf } from './support/linearBlockConditional.js';
import { evenlySpacedKnots, knotPositions, knotWeights } from '../models/mmm/components/knots.js';
import { timeKnots } from '../models/mmm/components/knotSelection.js';
import { linearTerms, timeTermRow } from '../models/mmm/components/linearTerms.js';
import { loadExample } from './support/examples.js';

/** w[t,k] by its definition: 1 - |t - p_k| / (distance to the other knot around t), held outside [p_1, p_K]. */
function definitionWeight(t: number, positions: readonly number[], k: number): number {
  const K = positions.length;
  if (t <= positions[0]) return k === 0 ? 1 : 0;
  if (t >= positions[K - 1]) return k === K - 1 ? 1 : 0;
  const left = positions.filter((p) => p <= t).length - 1;
  if (k !== left && k !== left + 1) return 0;
  const gap = positions[left + 1] - positions[left];
  return 1 - Math.abs(t - positions[k]) / gap;
}

describe('knots: interpolation weights', () => {
  it("evenly spaced positions are Meridian's floor(linspace(0, T - 1, K))", () => {
    expect(evenlySpacedKnots(10, 4)).toEqual([0, 3, 6, 9]);
    expect(evenlySpacedKnots(78, 10)).toEqual([0, 8, 17, 25, 34, 42, 51, 59, 68, 77]);
    expect(evenlySpacedKnots(5, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(knotPositions('all', 4)).toEqual([0, 1, 2, 3]);
    expect(() => evenlySpacedKnots(10, 11)).toThrow(/\[2, 10\]/);
    expect(() => knotPositions([0, 12], 10)).toThrow(/knot 2 \(12\) is not a period index in \[0, 9\]/);
  });

  for (const positions of [[0, 20, 51], [5, 6, 30, 40], evenlySpacedKnots(60, 7), [3, 59]]) {
    it(`rows sum to 1, exact at the knots, linear between, held beyond the ends (knots ${positions.join(', ')})`, () => {
      const T = 60;
      const K = positions.length;
      const before = 4;
      const after = 6;
      const w = knotWeights(positions, before + T + after, -before); // periods -4 .. T + 5
      for (let i = 0; i < before + T + after; i++) {
        const t = i - before;
        let sum = 0;
        for (let k = 0; k < K; k++) {
          sum += w[i * K + k];
          // the definition; exact in float64 up to one rounding of the division
          expect(Math.abs(w[i * K + k] - definitionWeight(t, positions, k)), `w[${t},${k}]`).toBeLessThan(1e-15);
        }
        expect(Math.abs(sum - 1)).toBeLessThan(1e-15);
      }
      // exact at the knots
      positions.forEach((p, k) => expect(w[(p + before) * K + k]).toBe(1));
      // linear between neighbouring knots: second differences vanish inside each interval
      for (let k = 0; k + 1 < K; k++) {
        for (let t = positions[k] + 1; t < positions[k + 1]; t++) {
          for (let j = 0; j < K; j++) {
            const second = w[(t + 1 + before) * K + j] - 2 * w[(t + before) * K + j] + w[(t - 1 + before) * K + j];
            expect(Math.abs(second)).toBeLessThan(1e-14);
          }
        }
      }
      // held: before the first knot all weight on knot 1, after the last on knot K
      for (const t of [-4, -1, positions[0]]) expect(w[(t + before) * K]).toBe(1);
      for (const t of [positions[K - 1], T - 1, T + 5]) expect(w[(t + before) * K + K - 1]).toBe(1);
    });
  }
});

describe('knots: the model', () => {
  let geo: MmmData;
  let national: MmmData;
  beforeAll(async () => {
    await initBackend();
    geo = await loadExample('geo');
    national = await loadExample('national');
  });
  const designOf = (data: MmmData): MmmDesign => designFromData(data, scaleData(data));
  const knotsConfig = (knots: KnotSpec, seasonality = 2): MmmModelConfig => ({
    ...DEFAULT_MODEL_CONFIG,
    trend: false,
    seasonality: { order: seasonality, period: 52 },
    time: { type: 'knots', knots },
  });

  // The density and its gradient against the float64 reference and central differences (host and
  // tensor paths, the kernel's VJP; the block integrated and sampled; both examples): the knots case
  // of tests/support/mmmDensity.ts `cases`, run by tests/mmm.kernel.test.ts.
  it('the knots are the linear block\'s: integrated by default, sampled on request, named by their dates', () => {
    for (const which of ['geo', 'national'] as const) {
      const design = designOf(which === 'geo' ? geo : national);
      for (const linearBlock of ['auto', 'sample'] as const) {
        const mmm = createGeoMmm(design, { ...knotsConfig([0, 9, 30, 50, 77], 1), linearBlock });
        expect(mmm.linearBlock.integrate).toBe(linearBlock === 'auto');
        expect(mmm.parameterNames.includes('knot')).toBe(linearBlock === 'sample');
        const row = mmm.table.find((r) => r.name === 'knot')!;
        expect(row.elementNames).toEqual([0, 9, 30, 50, 77].map((t) => design.dates[t]));
        expect(row.role === 'integrated').toBe(linearBlock === 'auto');
        expect(row.prior).toEqual({ kind: 'config', spec: { dist: 'normal', loc: 0, scale: 0.5 } });
      }
    }
  });

  it('the integrated block: the dense marginal is the joint minus the conditional at arbitrary b; the exact draws have the conditional mean', () => {
    const design = designOf(geo);
    const config = knotsConfig(12, 2);
    const mmm = createGeoMmm(design, config);
    const model = compile(mmm.definition);
    const rng = createRng(5, 'knots block');
    const values: Record<string, Float64Array> = { ...model.constrain(Float64Array.from({ length: model.dim }, () => 1.2 * rng.uniform() - 0.6), 1) };
    const { p, A, lower, factored, bHat } = conditionalOf(design, config, values);
    expect(factored).toBe(true);
    const G = design.geoNames.length;
    const terms = linearTerms(design, config);
    expect(terms.map((t) => [t.parameter, t.width])).toEqual([['knot', 12], ['phi', 4], ['gamma', 2]]);
    /** b (tau0, tau_1..G, then the terms in table order) under the model's names. */
    const named = (b: Float64Array) => {
      const out: Record<string, Float64Array> = { tau0: Float64Array.of(b[0]), v: Float64Array.from({ length: G }, (_, g) => (b[1 + g] - b[0]) / values.sigma_tau[0]) };
      let j = 1 + G;
      for (const term of terms) {
        out[term.parameter] = b.slice(j, j + term.width);
        j += term.width;
      }
      return out;
    };
    const marginal = referenceMarginalLogDensity(design, config, values);
    for (let trial = 0; trial < 3; trial++) {
      const b = Float64Array.from(bHat, (x) => x + 0.3 * rng.normal());
      const d = b.map((x, i) => x - bHat[i]);
      let quadratic = 0;
      for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) quadratic += d[i] * A[i * p + j] * d[j];
      const conditional = -0.5 * p * Math.log(2 * Math.PI) + 0.5 * logDeterminantFromCholesky(lower, p) - 0.5 * quadratic;
      // (tau0, v) against (tau0, tau): the Jacobian sigma_tau^G
      const identity = referenceLogDensity(design, config, { ...values, ...named(b) }) - G * Math.log(values.sigma_tau[0]) - conditional;
      // float64 sums of terms of size ~1e3: 1e-9 relative
      expect(Math.abs(identity - marginal), `${identity} vs ${marginal}`).toBeLessThan(1e-9 * Math.abs(marginal) + 1e-8);
    }
    // the exact draws (model.generated) have the conditional's mean: within 4.5 standard errors over 2000 draws
    const covariance = inverseFromCholesky(lower, p, new Float64Array(p * p));
    const draws = 2000;
    const sums = new Float64Array(p);
    const drawRng = createRng(9, 'knots draws');
    for (let k = 0; k < draws; k++) {
      const out = model.generated(values, drawRng);
      const tau0 = out.tau0 as number;
      const b = [tau0, ...Array.from(out.v as Float64Array, (v) => tau0 + values.sigma_tau[0] * v), ...terms.flatMap((t) => Array.from(out[t.parameter] as Float64Array))];
      b.forEach((x, i) => (sums[i] += x));
    }
    for (let i = 0; i < p; i++) expect(Math.abs(sums[i] / draws - bHat[i]), `b[${i}]`).toBeLessThan((4.5 * Math.sqrt(covariance[i * p + i])) / Math.sqrt(draws));
    model.dispose();
  });

  it('with a time holdout the knots span the fitted periods; the held-out ones are held at the last knot', () => {
    const design = withHoldout(designOf(geo), 8);
    const T = design.dates.length;
    expect(timeKnots(design, knotsConfig('all', 0))!.positions).toEqual(Array.from({ length: T - 8 }, (_, t) => t));
    expect(timeKnots(design, knotsConfig(10, 0))!.positions).toEqual(evenlySpacedKnots(T - 8, 10));
    expect(timeKnots(design, knotsConfig([0, 40, 77], 0))!.positions).toEqual([0, 40, 77]);
    const auto = timeKnots(design, knotsConfig('auto', 1))!;
    expect(auto.positions[auto.positions.length - 1]).toBe(T - 9);
    expect(auto.selection!.periods).toBe(T - 8);
    const term = linearTerms(design, knotsConfig(10, 0))[0];
    for (let t = T - 8; t < T; t++) expect(Array.from(term.columns.subarray(t * 10, (t + 1) * 10))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(() => timeKnots(design, knotsConfig(T - 7, 0))).toThrow(/knots: 71 knots, but the fit has 70 periods \(after the holdout\)/);
    const check = (model: unknown) => () => checkModelConfigAgainstData(parseModelConfig(model, 'c.json'), design.channelNames, 'c.json', { geoNames: design.geoNames, dates: design.dates, holdoutPeriods: 8 });
    expect(check({ time: { type: 'knots', knots: 71 } })).toThrow(/c\.json: model\.time\.knots: 71 knots, but the fit has 70 periods \(78 less the 8-period holdout\)/);
    expect(check({ time: { type: 'knots', knots: 70 }, seasonality: { order: 1 } })).toThrow(/model\.seasonality: 70 knots on 70 fitted periods put a knot at every period/);
    expect(check({ time: { type: 'knots', knots: 70 } })).not.toThrow();
  });

  it('prior predictive draws of the knots have their prior', () => {
    const design = designOf(national);
    const posterior = samplePriorPredictive(design, knotsConfig(5, 0), { draws: 4000, seed: 3, kpi: false });
    const knot = posterior.variable('knot');
    expect(knot.shape).toEqual([5]);
    for (let k = 0; k < 5; k++) {
      const x = Array.from({ length: 4000 }, (_, d) => knot.values[d * 5 + k]);
      const mean = x.reduce((a, b) => a + b, 0) / x.length;
      const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / (x.length - 1));
      // Normal(0, 0.5): the mean within 4.5 standard errors (0.5 / sqrt(4000)), the sd within 5%
      expect(Math.abs(mean)).toBeLessThan((4.5 * 0.5) / Math.sqrt(4000));
      expect(Math.abs(sd / 0.5 - 1)).toBeLessThan(0.05);
    }
  });

  it('the baseline (analysis) plus media is the model mean; the time effect is the knots series; extrapolation holds the last knot', () => {
    const design = designOf(geo);
    const config = knotsConfig(6, 1);
    const rng = createRng(2, 'knots analysis');
    const model = compile(createGeoMmm(design, { ...config, linearBlock: 'sample' }).definition);
    const draws = 3;
    const constrained = model.constrain(Float64Array.from({ length: draws * model.dim }, () => 1.2 * rng.uniform() - 0.6), draws);
    const posterior = new Posterior(1, draws, model.layout.map((p) => ({ name: p.name, shape: p.spec.shape ?? [], kind: 'parameter' as const, values: Float64Array.from(constrained[p.name]) })));
    model.dispose();
    const G = design.geoNames.length;
    const dates = design.dates;
    const T = dates.length;
    const C = design.channelNames.length;
    const values = posterior.drawValues(0, 1);
    const baseline = baselineScaled(design, config, values, timeFeatures(design, config), 0, G);
    const mean = meanKpiHost(design, config, values);
    const saturated = saturatedMediaHost(design, config, values);
    const beta = mediaCoefficientsHost(design, config, values, saturated);
    for (let n = 0; n < G * T; n++) {
      let media = 0;
      for (let c = 0; c < C; c++) media += beta[Math.floor(n / T) * C + c] * saturated[n * C + c];
      expect(Math.abs(baseline[n] + media - mean[n])).toBeLessThan(1e-12);
    }
    // the knots' series by hand: the evenly spaced knots' weights times the values, times sum_g kpiUnit
    const positions = evenlySpacedKnots(T, 6);
    const unit = design.kpiUnit.reduce((a, b) => a + b, 0);
    const ahead = 5;
    const rows = timeEffectRows(design, config, posterior, { ahead });
    const knotRows = rows.filter((r) => r.component === 'knots');
    expect(knotRows.length).toBe(T + ahead);
    expect(rows.filter((r) => r.component === 'seasonality').length).toBe(T + ahead);
    const w = knotWeights(positions, T);
    for (let t = 0; t < T; t++) {
      const perDraw = [0, 1, 2].map((d) => {
        const v = posterior.drawValues(0, d).knot;
        let s = 0;
        for (let k = 0; k < 6; k++) s += v[k] * w[t * 6 + k];
        return s * unit;
      });
      const expected = perDraw.reduce((a, b) => a + b, 0) / 3;
      expect(Math.abs(knotRows[t].mean - expected)).toBeLessThan(1e-9 * Math.abs(expected) + 1e-9);
      expect(knotRows[t].extrapolated).toBe(false);
    }
    // past the data: held at the last knot's value (the last knot is the last period), dates a week apart
    for (let j = 0; j < ahead; j++) {
      const row = knotRows[T + j];
      expect(row.extrapolated).toBe(true);
      expect(row.mean).toBe(knotRows[T - 1].mean);
      expect(row.q05).toBe(knotRows[T - 1].q05);
      expect(Date.parse(row.date) - Date.parse(dates[T - 1])).toBe((j + 1) * 7 * 86_400_000);
    }
    // the feature rows past the data: Fourier continues its cycle, the trend its line, knots held
    const terms = linearTerms(design, config);
    const fourier = fourierFeatures(T + ahead, 1, 52);
    const phi = terms.find((t) => t.parameter === 'phi')!;
    for (let t = T; t < T + ahead; t++) {
      const row = timeTermRow(phi, design, config, t);
      expect(Math.abs(row[0] - fourier[t * 2]) + Math.abs(row[1] - fourier[t * 2 + 1])).toBeLessThan(1e-12);
      expect(Array.from(timeTermRow(terms[0], design, config, t))).toEqual([0, 0, 0, 0, 0, 1]);
    }
    expect(Array.from(timeTermRow(terms[0], design, config, -3))).toEqual([1, 0, 0, 0, 0, 0]);
    const trend = linearTerms(design, DEFAULT_MODEL_CONFIG)[0];
    expect(trend.parameter).toBe('delta');
    expect(timeTermRow(trend, design, DEFAULT_MODEL_CONFIG, T + 1)[0]).toBeCloseTo((T + 1) / (T - 1), 14);
  });
});

describe('knots: config', () => {
  const parse = (model: unknown) => parseModelConfig(model, 'c.json');

  it('reads counts, positions, "all" and "auto"; knots switch the trend and (by default) the Fourier terms off; "trend" is the default', () => {
    expect(parse({ time: { type: 'knots', knots: 10 } })).toMatchObject({ trend: false, seasonality: { order: 0, period: 52 }, time: { type: 'knots', knots: 10 } });
    expect(parse({ time: { type: 'knots', knots: [0, 20, 51] } }).time).toEqual({ type: 'knots', knots: [0, 20, 51] });
    expect(parse({ time: { type: 'knots', knots: 'all' } }).time).toEqual({ type: 'knots', knots: 'all' });
    expect(parse({ time: { type: 'knots' } }).time).toEqual({ type: 'knots' });
    expect(parse({ time: { type: 'knots', knots: 'auto' }, trend: false, seasonality: { order: 2 } })).toMatchObject({ trend: false, seasonality: { order: 2, period: 52 }, time: { knots: 'auto' } });
    expect(parse({ time: { type: 'trend' } })).toEqual(DEFAULT_MODEL_CONFIG);
    expect(parse({ priors: { knot: { dist: 'normal', loc: 0, scale: 1 } } }).priors.knot).toEqual({ dist: 'normal', loc: 0, scale: 1 });
  });

  for (const [label, model, message] of [
    ['trend with knots', { time: { type: 'knots', knots: 10 }, trend: true }, /c\.json: model\.trend: a linear trend lies in the span of the knots' piecewise-linear time effect/],
    ['one knot', { time: { type: 'knots', knots: 1 } }, /c\.json: model\.time\.knots: expected an integer in \[2, /],
    ['a fractional count', { time: { type: 'knots', knots: 2.5 } }, /model\.time\.knots: expected an integer/],
    ['a word', { time: { type: 'knots', knots: 'many' } }, /model\.time\.knots: expected a number of knots \(>= 2\), an array of period indices \(0 = the first period\), "all" or "auto", got "many"/],
    ['one position', { time: { type: 'knots', knots: [4] } }, /model\.time\.knots: needs at least 2 knot positions/],
    ['decreasing positions', { time: { type: 'knots', knots: [0, 30, 20] } }, /model\.time\.knots\[2\]: knot positions \(period indices, 0 = the first period\) must increase strictly: 20 follows 30/],
    ['a negative position', { time: { type: 'knots', knots: [-1, 5] } }, /model\.time\.knots\[0\]: expected an integer in \[0, /],
    ['"all" with seasonality', { time: { type: 'knots', knots: 'all' }, seasonality: { order: 2 } }, /model\.seasonality: a knot at every period \("knots": "all"\) spans every time effect/],
    ['an unknown type', { time: { type: 'spline' } }, /model\.time\.type: expected one of "trend", "knots", got "spline"/],
    ['knots on the trend type', { time: { type: 'trend', knots: 4 } }, /model\.time\.knots: only applies to "type": "knots"/],
    ['an unknown key', { time: { type: 'knots', count: 4 } }, /model\.time/],
  ] as const) {
    it(`refuses ${label}, naming the key`, () => expect(() => parse(model)).toThrow(message));
  }

  it('checks the knots against the data: counts and positions within the periods, no Fourier terms with a knot per period', () => {
    const data = { geoNames: ['a', 'b'], dates: Array.from({ length: 30 }, (_, t) => `2024-01-${String(t + 1).padStart(2, '0')}`) };
    const check = (model: unknown) => () => checkModelConfigAgainstData(parse(model), ['tv'], 'c.json', data);
    expect(check({ time: { type: 'knots', knots: 31 } })).toThrow(/c\.json: model\.time\.knots: 31 knots, but the data has 30 periods/);
    expect(check({ time: { type: 'knots', knots: [0, 30] } })).toThrow(/c\.json: model\.time\.knots\[1\]: 30 is not a period index of the data \(0 to 29\)/);
    expect(check({ time: { type: 'knots', knots: 30 }, seasonality: { order: 1 } })).toThrow(/model\.seasonality: 30 knots on 30 fitted periods put a knot at every period/);
    expect(check({ time: { type: 'knots' }, seasonality: { order: 1 } })).toThrow(/model\.seasonality: the default knots \(one per period with more than one geo\) put a knot at every period/);
    expect(check({ time: { type: 'knots', knots: 29 }, seasonality: { order: 1 } })).not.toThrow();
    expect(check({ time: { type: 'knots' } })).not.toThrow();
  });

  it('a config built in code with a trend and knots is refused when the model is built', async () => {
    await initBackend();
    const data = await loadExample('national');
    const design = designFromData(data, scaleData(data));
    expect(() => createGeoMmm(design, { ...DEFAULT_MODEL_CONFIG, time: { type: 'knots', knots: 4 } })).toThrow(/a linear trend lies in the span of the knots' time effect \(model\.time\): set model\.trend to false/);
  });
});

describe('knots: automatic selection (BIC)', () => {
  /** A design with a known time effect: 4 geos x 104 weeks, knot values at K evenly spaced knots, one control, noise sd 0.03. */
  function simulated(trueKnots: number, seed: string): MmmDesign {
    const G = 4;
    const T = 104;
    const rng = createRng(31, seed);
    const positions = evenlySpacedKnots(T, trueKnots);
    const knotValues = Array.from({ length: trueKnots }, () => 0.4 * rng.normal());
    const w = knotWeights(positions, T);
    const controls = Float64Array.from({ length: G * T }, () => rng.normal());
    const kpi = new Float64Array(G * T);
    for (let g = 0; g < G; g++) {
      const level = 1 + 0.2 * rng.normal();
      for (let t = 0; t < T; t++) {
        let effect = 0;
        for (let k = 0; k < trueKnots; k++) effect += knotValues[k] * w[t * trueKnots + k];
        kpi[g * T + t] = level + effect + 0.1 * controls[g * T + t] + 0.03 * rng.normal();
      }
    }
    const start = Date.parse('2022-01-03T00:00:00Z');
    return {
      geoNames: Array.from({ length: G }, (_, g) => `g${g}`),
      dates: Array.from({ length: T }, (_, t) => new Date(start + t * 7 * 86_400_000).toISOString().slice(0, 10)),
      channelNames: ['tv'],
      controlNames: ['price'],
      eventNames: [],
      media: new Float64Array(G * T).fill(1),
      spend: new Float64Array(G * T).fill(1),
      controls,
      events: new Float64Array(0),
      kpi,
      kpiUnit: new Float64Array(G).fill(1),
      mediaUnit: Float64Array.of(1),
    };
  }

  for (const trueKnots of [4, 9, 14]) {
    it(`picks ${trueKnots} knots on data simulated with ${trueKnots} evenly spaced knots (fixed seed), and records the selection`, () => {
      const design = simulated(trueKnots, `aks ${trueKnots}`);
      const config: MmmModelConfig = { ...DEFAULT_MODEL_CONFIG, trend: false, seasonality: { order: 0, period: 52 }, time: { type: 'knots', knots: 'auto' } };
      const choice = timeKnots(design, config)!;
      expect(choice.selection?.criterion).toBe('BIC');
      expect(choice.selection?.chosen).toBe(trueKnots);
      expect(choice.positions).toEqual(evenlySpacedKnots(104, trueKnots));
      expect(choice.selection?.candidates.map((c) => c.knots)).toEqual(Array.from({ length: 51 }, (_, i) => i + 2));
      expect(choice.selection?.data).toMatch(/geo-mean scaled KPI \(media not subtracted\) on knot weights, geo-mean controls; 104 periods/);
      // the same object for the same design and config (every part of the model sees the same knots)
      expect(timeKnots(design, config)).toBe(choice);
      expect(linearTerms(design, config)[0].elementNames).toEqual(choice.dates);
    });
  }
});

describe('knots: a fit on the bundled example', () => {
  it('fits with "auto" knots, records the chosen knots and reports the time effect', async () => {
    const base = JSON.parse(readFileSync('examples/geo.config.json', 'utf8'));
    const config = { ...base, model: { time: { type: 'knots', knots: 'auto' }, seasonality: { order: 1 } } };
    const fit = await fitMmm('examples/geo.csv', config, { chains: 2, warmup: 60, draws: 20, seed: 3, progress: false, verbose: false, workers: 2 });
    const K = fit.knots!.positions.length;
    expect(fit.knots!.selection!.chosen).toBe(K);
    expect(fit.model.linearBlock.integrate).toBe(true);
    const knot = fit.result.posterior.variable('knot');
    expect(knot.kind).toBe('derived');
    expect(knot.shape).toEqual([K]);
    expect(knot.values.every(Number.isFinite)).toBe(true);
    const report = buildReport(fit, { priorDraws: 50 });
    const T = fit.design.dates.length;
    for (const component of ['knots', 'seasonality', 'time effect']) expect(report.timeEffect.filter((r) => r.component === component).length).toBe(T);
    expect(report.timeEffect.every((r) => Number.isFinite(r.mean) && r.q05 <= r.q95)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'mixwell-knots-'));
    try {
      await writeRun(dir, fit, report, { logLik: false });
      const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
      expect(summary.timeKnots.positions).toEqual(fit.knots!.positions);
      expect(summary.timeKnots.selection.criterion).toBe('BIC');
      expect(readFileSync(join(dir, 'time_effect.csv'), 'utf8').split('\n')[0]).toBe('component,date,unit,mean,median,q05,q95,sd');
      // read back: the summary says which knots; the stored design gives the same "auto" choice, so the analysis of a stored run sees the fit's knots
      const run = readRun(dir);
      expect(formatRunSummary(run)).toContain(`Time effect: ${K} knots from ${fit.knots!.dates[0]} to ${fit.knots!.dates[K - 1]} (chosen by BIC among 2..52 evenly spaced)`);
      expect(timeKnots(run.design, run.model)!.positions).toEqual(fit.knots!.positions);
      const again = timeEffectRows(run.design, run.model, run.posterior);
      expect(again.map((r) => r.mean)).toEqual(report.timeEffect.map((r) => r.mean));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
