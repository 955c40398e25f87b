/**
 * The linear block integrated out (models/mmm/components/linearBlock.ts). The dense reference
 * marginal (referenceDensity.ts) satisfies the defining identity log p(y | theta) = log p(y, b | theta)
 * - log p(b | y, theta) at arbitrary b (to 1e-9: float64 of terms of size ~1e3); the kernel's
 * marginal equals it (tests/mmm.kernel.test.ts checks values and gradients for every config case);
 * the exact draws of the block have the conditional's mean and covariance; the model integrates the
 * block by default only where it can, says why not otherwise, and refuses a forced integration
 * that cannot hold; and a fit reports the block under the reference names, bit-identically for the
 * same seed whatever the worker count. The same for Meridian's structure options: one sigma per geo
 * (the weighted normal equations) and fixed geo intercepts around a baseline geo (the offsets in the
 * block), each with a short fit on the bundled example.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { scaleData, type MmmData } from '../src/data/index.js';
import { inverseFromCholesky, logDeterminantFromCholesky } from '../src/linalg/index.js';
import { compile } from '../src/ppl/index.js';
import { createRng, initBackend } from '../src/tensor/index.js';
import { fitMmm } from '../src/mmm/fit.js';
import { DEFAULT_MODEL_CONFIG, type MmmModelConfig } from '../models/mmm/config.js';
import { designFromData, withHoldout, type MmmDesign } from '../models/mmm/design.js';
import { createGeoMmm } from '../models/mmm/model.js';
import { baselineGeoIndex } from '../models/mmm/components/intercepts.js';
import { referenceLogDensity, referenceMarginalLogDensity } from '../models/mmm/referenceDensity.js';
import { conditionalOf } from './support/linearBlockConditional.js';
import { loadExample } from './support/examples.js';

describe('linear block integrated out', () => {
  let geo: MmmData;
  let national: MmmData;
  beforeAll(async () => {
    await initBackend();
    geo = await loadExample('geo');
    national = await loadExample('national');
  });

  const designOf = (data: MmmData, holdout = 0): MmmDesign => withHoldout(designFromData(data, scaleData(data)), holdout);

  /** A random draw of every parameter (the sampled ones from the model's constrain, the block's added). */
  function drawOf(design: MmmDesign, config: MmmModelConfig, seed: string) {
    const model = compile(createGeoMmm(design, config).definition);
    const rng = createRng(3, seed);
    const values: Record<string, Float64Array> = { ...model.constrain(Float64Array.from({ length: model.dim }, () => 1.2 * rng.uniform() - 0.6), 1) };
    model.dispose();
    return { values, rng };
  }

  const sigmaByGeo: MmmModelConfig = { ...DEFAULT_MODEL_CONFIG, sigmaByGeo: true };
  const fixed: MmmModelConfig = { ...DEFAULT_MODEL_CONFIG, geo: { intercept: 'fixed', media: 'noncentered' } };
  const fixedWestByGeo: MmmModelConfig = { ...DEFAULT_MODEL_CONFIG, sigmaByGeo: true, geo: { intercept: 'fixed', baselineGeo: 'west', media: 'noncentered' } };
  const identityCases: [string, 'geo' | 'national', number, MmmModelConfig][] = [
    ['geo', 'geo', 0, DEFAULT_MODEL_CONFIG],
    ['national', 'national', 0, DEFAULT_MODEL_CONFIG],
    ['geo with an 8-period holdout', 'geo', 8, DEFAULT_MODEL_CONFIG],
    ['geo, one sigma per geo', 'geo', 0, sigmaByGeo],
    ['geo, fixed intercepts', 'geo', 0, fixed],
    ['geo, fixed intercepts around west, one sigma per geo, 8-period holdout', 'geo', 8, fixedWestByGeo],
    ['national, one sigma per geo, fixed intercepts', 'national', 0, fixedWestByGeo],
  ];

  /** The block's vector b (referenceLinearBlock's column order) in the model's names. */
  function blockValues(design: MmmDesign, config: MmmModelConfig, values: Record<string, Float64Array>, b: Float64Array): Record<string, Float64Array> {
    const G = design.geoNames.length;
    const joint: Record<string, Float64Array> = { ...values, tau0: Float64Array.of(b[0]) };
    let j = 1;
    if (G > 1 && config.geo.intercept === 'fixed') {
      joint.tau_offset = b.slice(1, G);
      j += G - 1;
    } else if (G > 1) {
      joint.v = Float64Array.from({ length: G }, (_, g) => (b[1 + g] - b[0]) / values.sigma_tau[0]);
      j += G;
    }
    joint.delta = Float64Array.of(b[j++]);
    joint.phi = b.slice(j, j + 4);
    j += 4;
    joint.gamma = b.slice(j);
    return joint;
  }

  for (const [label, which, holdout, config] of identityCases) {
    it(`${label}: the dense marginal is the joint minus the block's conditional at arbitrary b`, () => {
      const design = designOf(which === 'geo' ? geo : national, holdout);
      const { values, rng } = drawOf(design, config, label);
      // the conditional N(b_hat, A^-1)
      const { p, A, lower, factored, bHat } = conditionalOf(design, config, values);
      expect(factored).toBe(true);
      for (let trial = 0; trial < 3; trial++) {
        const b = Float64Array.from(bHat, (x) => x + 0.3 * rng.normal());
        // log N(b; b_hat, A^-1)
        const d = b.map((x, i) => x - bHat[i]);
        let quadratic = 0;
        for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) quadratic += d[i] * A[i * p + j] * d[j];
        const conditional = -0.5 * p * Math.log(2 * Math.PI) + 0.5 * logDeterminantFromCholesky(lower, p) - 0.5 * quadratic;
        // b in the model's names
        const G = design.geoNames.length;
        const joint = blockValues(design, config, values, b);
        // the joint in (tau0, v) has the Jacobian sigma_tau^G of tau -> v relative to (tau0, tau); the offsets enter b as they are
        const jacobian = G > 1 && config.geo.intercept !== 'fixed' ? -G * Math.log(values.sigma_tau[0]) : 0;
        const identity = referenceLogDensity(design, config, joint) + jacobian - conditional;
        const marginal = referenceMarginalLogDensity(design, config, values);
        expect(Math.abs(identity - marginal), `${identity} vs ${marginal}`).toBeLessThan(1e-9 * Math.abs(marginal) + 1e-8);
      }
    });
  }

  for (const [label, config] of [['reference', DEFAULT_MODEL_CONFIG], ['one sigma per geo', sigmaByGeo], ['fixed intercepts around west, one sigma per geo', fixedWestByGeo]] as const) it(`${label}: the exact draws have the conditional's mean and covariance`, () => {
    const design = designOf(geo);
    const mmm = createGeoMmm(design, config);
    const model = compile(mmm.definition);
    const { values } = drawOf(design, config, `draws ${label}`);
    const { p, lower, bHat } = conditionalOf(design, config, values);
    const covariance = inverseFromCholesky(lower, p, new Float64Array(p * p));
    const G = design.geoNames.length;
    const rng = createRng(9, 'block draws');
    const draws = 4000;
    const sums = new Float64Array(p);
    const products = new Float64Array(p * p);
    for (let d = 0; d < draws; d++) {
      const out = model.generated(values, rng);
      const tau0 = out.tau0 as number;
      const geoPart = config.geo.intercept === 'fixed' ? Array.from(out.tau_offset as Float64Array) : Array.from(out.v as Float64Array, (v) => tau0 + values.sigma_tau[0] * v);
      const b = Float64Array.from([tau0, ...geoPart, out.delta as number, ...(out.phi as Float64Array), ...(out.gamma as Float64Array)]);
      for (let i = 0; i < p; i++) {
        sums[i] += b[i];
        for (let j = 0; j < p; j++) products[i * p + j] += b[i] * b[j];
      }
    }
    for (let i = 0; i < p; i++) {
      // mean within 4.5 standard errors (sd / sqrt(4000)) of b_hat
      const sd = Math.sqrt(covariance[i * p + i]);
      expect(Math.abs(sums[i] / draws - bHat[i]), `mean of b[${i}]`).toBeLessThan((4.5 * sd) / Math.sqrt(draws));
      // variances within 15% (a sample variance of 4000 normal draws has relative sd sqrt(2/4000) = 2.2%)
      const variance = products[i * p + i] / draws - (sums[i] / draws) ** 2;
      expect(Math.abs(variance / covariance[i * p + i] - 1), `variance of b[${i}]`).toBeLessThan(0.15);
    }
    // a correlation that matters: tau0 with geo 1's intercept (standard error of a correlation ~ 1/sqrt(4000) = 0.016)
    const correlation = (i: number, j: number, source: Float64Array, sd: (k: number) => number) => source[i * p + j] / (sd(i) * sd(j));
    const sampleCovariance = Float64Array.from(products, (x, k) => x / draws - (sums[Math.floor(k / p)] / draws) * (sums[k % p] / draws));
    const exact = correlation(0, 1, covariance, (k) => Math.sqrt(covariance[k * p + k]));
    const sample = correlation(0, 1, sampleCovariance, (k) => Math.sqrt(sampleCovariance[k * p + k]));
    expect(Math.abs(sample - exact)).toBeLessThan(0.07);
    expect(G).toBeGreaterThan(1);
    if (config.geo.intercept === 'fixed') {
      // the intercepts reported with the offsets: the baseline's is tau0, the others' tau0 + their offset
      const out = model.generated(values, rng);
      const baseline = design.geoNames.indexOf('west');
      const tau = out.tau as Float64Array;
      expect(tau[baseline]).toBe(out.tau0);
      design.geoNames.forEach((_, g) => g !== baseline && expect(tau[g]).toBe((out.tau0 as number) + (out.tau_offset as Float64Array)[g < baseline ? g : g - 1]));
    }
    model.dispose();
  });

  it('integrates by default where it can, says why not otherwise, and refuses a forced integration that cannot hold', () => {
    const design = designOf(geo);
    const integrated = createGeoMmm(design, DEFAULT_MODEL_CONFIG);
    expect(integrated.linearBlock.integrate).toBe(true);
    expect(integrated.parameterNames).toEqual(['alpha', 'k', 's', 'm', 'eta', 'u', 'sigma_tau', 'sigma']);
    expect(createGeoMmm(designOf(national), DEFAULT_MODEL_CONFIG).parameterNames).toEqual(['alpha', 'k', 's', 'm', 'sigma']);
    const studentT = createGeoMmm(design, { ...DEFAULT_MODEL_CONFIG, likelihood: 'studentT' });
    expect(studentT.linearBlock).toEqual({ integrate: false, reason: 'the likelihood is studentT, not normal' });
    expect(studentT.parameterNames).toContain('tau0');
    const cauchyControls = createGeoMmm(design, { ...DEFAULT_MODEL_CONFIG, priors: { gamma: { dist: 'studentT', df: 3, loc: 0, scale: 0.3 } } });
    expect(cauchyControls.linearBlock).toEqual({ integrate: false, reason: 'the prior of gamma is studentT, not normal' });
    expect(createGeoMmm(design, { ...DEFAULT_MODEL_CONFIG, linearBlock: 'sample' }).parameterNames).toContain('v');
    expect(() => createGeoMmm(design, { ...DEFAULT_MODEL_CONFIG, likelihood: 'studentT', linearBlock: 'integrate' })).toThrow(/model\.linearBlock "integrate": the linear block cannot be integrated out: the likelihood is studentT/);
    // the structure options: sigma [G] sampled, the offsets integrated, no sigma_tau
    expect(createGeoMmm(design, sigmaByGeo).parameterNames).toEqual(['alpha', 'k', 's', 'm', 'eta', 'u', 'sigma_tau', 'sigma']);
    expect(createGeoMmm(design, fixed).parameterNames).toEqual(['alpha', 'k', 's', 'm', 'eta', 'u', 'sigma']);
    expect(createGeoMmm(design, { ...fixed, linearBlock: 'sample' }).parameterNames).toEqual(['alpha', 'k', 's', 'm', 'eta', 'u', 'tau0', 'tau_offset', 'delta', 'phi', 'gamma', 'sigma']);
    // sampled, the intercepts are still reported as tau [G]: tau0 for the baseline (north), tau0 + the offset for the others
    const sampledFixed = createGeoMmm(design, { ...fixed, linearBlock: 'sample' });
    const { values } = drawOf(design, { ...fixed, linearBlock: 'sample' }, 'fixed sampled');
    const tau = sampledFixed.definition.generated?.(values, createRng(1, 'unused'))?.tau as Float64Array;
    expect(Array.from(tau)).toEqual([values.tau0[0], ...Array.from(values.tau_offset, (d) => values.tau0[0] + d)]);
    const offsetPrior = createGeoMmm(design, { ...fixed, priors: { tau_offset: { dist: 'studentT', df: 3, loc: 0, scale: 1 } } });
    expect(offsetPrior.linearBlock).toEqual({ integrate: false, reason: 'the prior of tau_offset is studentT, not normal' });
  });

  it('fixed intercepts: the baseline is the named geo, else the most populous, else the first; an unknown name is refused', () => {
    const design = designOf(geo);
    const fixedAt = (baselineGeo?: string): MmmModelConfig => ({ ...fixed, geo: { intercept: 'fixed', media: 'noncentered', ...(baselineGeo ? { baselineGeo } : {}) } });
    // examples/geo.csv: north has the largest population (2161101), whether or not the data are population-scaled
    expect(design.population).toBeUndefined();
    expect(design.geoNames[baselineGeoIndex(design, fixedAt())]).toBe('north');
    expect(baselineGeoIndex(design, fixedAt('east'))).toBe(design.geoNames.indexOf('east'));
    expect(baselineGeoIndex({ ...design, geoPopulation: undefined }, fixedAt())).toBe(0);
    const table = createGeoMmm(design, fixedAt('east')).table;
    expect(table.find((row) => row.name === 'tau_offset')?.elementNames).toEqual(design.geoNames.filter((name) => name !== 'east'));
    expect(() => createGeoMmm(design, fixedAt('atlantis'))).toThrow(/model\.geo\.baselineGeo: unknown geo "atlantis" \(geos: north, south, east, west\)/);
  });

  it('a fit reports the block under the reference names, the same draws for the same seed whatever the worker count', async () => {
    const settings = { chains: 2, warmup: 60, draws: 20, seed: 4, progress: false, verbose: false } as const;
    const one = await fitMmm('examples/geo.csv', 'examples/geo.config.json', { ...settings, workers: 1 });
    const two = await fitMmm('examples/geo.csv', 'examples/geo.config.json', { ...settings, workers: 2 });
    const posterior = one.result.posterior;
    for (const [name, shape] of [['tau0', []], ['v', [4]], ['delta', []], ['phi', [4]], ['gamma', [2]]] as const) {
      expect(posterior.variable(name).kind).toBe('derived');
      expect(posterior.variable(name).shape).toEqual(shape);
      expect(Array.from(two.result.posterior.variable(name).values)).toEqual(Array.from(posterior.variable(name).values));
    }
    expect(one.result.summary.map((row) => row.name)).toContain('v[4]');
  });

  const exampleConfig = (model: Record<string, unknown>) => ({ data: JSON.parse(readFileSync('examples/geo.config.json', 'utf8')).data, model });
  const quick = { chains: 2, warmup: 60, draws: 20, seed: 4, progress: false, verbose: false, workers: 1 } as const;

  it('a fit with one sigma per geo reports sigma per geo', async () => {
    const fit = await fitMmm('examples/geo.csv', exampleConfig({ sigmaByGeo: true }), quick);
    expect(fit.model.linearBlock.integrate).toBe(true);
    const sigma = fit.result.posterior.variable('sigma');
    expect(sigma.kind).toBe('parameter');
    expect(sigma.shape).toEqual([4]);
    expect(Array.from(sigma.values).every((x) => x > 0 && Number.isFinite(x))).toBe(true);
    const names = fit.result.summary.map((row) => row.name);
    for (let g = 1; g <= 4; g++) expect(names).toContain(`sigma[${g}]`);
    expect(fit.result.posterior.variable('v').shape).toEqual([4]);
  });

  it('a fit with fixed intercepts reports tau0, the offsets and the intercepts, without sigma_tau', async () => {
    const fit = await fitMmm('examples/geo.csv', exampleConfig({ geo: { intercept: 'fixed' } }), quick);
    expect(fit.model.linearBlock.integrate).toBe(true);
    const posterior = fit.result.posterior;
    expect(posterior.variable('tau_offset').shape).toEqual([3]);
    expect(posterior.variable('tau_offset').kind).toBe('derived');
    const tau = posterior.variable('tau');
    expect(tau.shape).toEqual([4]);
    // north (the most populous) is the baseline: its intercept is tau0 in every draw
    const tau0 = posterior.variable('tau0').values;
    tau0.forEach((t, d) => expect(tau.values[d * 4]).toBe(t));
    expect(posterior.has('sigma_tau')).toBe(false);
    const names = fit.result.summary.map((row) => row.name);
    expect(names).toContain('tau_offset[3]');
    expect(names).toContain('tau[4]');
  });
});
