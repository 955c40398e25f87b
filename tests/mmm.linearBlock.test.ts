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
 * block), each with a short fit on the bundled example; and for geo-varying controls and non-media
 * treatments (Meridian's gamma_gc, gamma_gn: each geo's coefficients in the block around their mean,
 * with the sampled geo sd): the identity, the exact draws, the config errors and a short fit that
 * reports the per-geo coefficients.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { scaleData, type MmmData } from '../src/data/index.js';
import { inverseFromCholesky, logDeterminantFromCholesky } from '../src/linalg/index.js';
import { compile, Posterior } from '../src/ppl/index.js';
import { analyzeMedia } from '../src/analysis/index.js';
import { meanKpiHost } from '../models/mmm/hostModel.js';
import { designDims } from '../models/mmm/design.js';
import { createRng, initBackend } from '../src/tensor/index.js';
import { fitMmm } from '../src/mmm/fit.js';
import { buildReport } from '../src/mmm/report.js';
import { samplePriorPredictive } from '../models/mmm/priorPredictive.js';
import { DEFAULT_MODEL_CONFIG, type MmmModelConfig } from '../models/mmm/config.js';
import { designFromData, withHoldout, type MmmDesign } from '../models/mmm/design.js';
import { createGeoMmm } from '../models/mmm/model.js';
import { baselineGeoIndex } from '../models/mmm/components/intercepts.js';
import { referenceLinearBlock, referenceLogDensity, referenceMarginalLogDensity } from '../models/mmm/referenceDensity.js';
import { cellCoefficientHost, linearTerms } from '../models/mmm/components/linearTerms.js';
import { parseModelConfig, checkModelConfigAgainstData } from '../models/mmm/parseConfig.js';
import { conditionalOf } from './support/linearBlockConditional.js';
import { loadExample, loadExampleWith } from './support/examples.js';

describe('linear block integrated out', () => {
  let geo: MmmData;
  let national: MmmData;
  /** The geo example with price as a non-media treatment (temperature the one control). */
  let treated: MmmData;
  beforeAll(async () => {
    await initBackend();
    geo = await loadExample('geo');
    national = await loadExample('national');
    treated = await loadExampleWith('geo', (spec) => ({ ...spec, controls: ['temperature'], treatments: [{ column: 'price', baseline: 'max' }] }));
  });
  const dataOf = (which: 'geo' | 'national' | 'treated') => (which === 'geo' ? geo : which === 'national' ? national : treated);

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
  const varyingControls: MmmModelConfig = { ...DEFAULT_MODEL_CONFIG, geo: { intercept: 'noncentered', media: 'noncentered', controls: 'hierarchical' } };
  const varyingBoth: MmmModelConfig = {
    ...DEFAULT_MODEL_CONFIG, sigmaByGeo: true, geo: { intercept: 'fixed', baselineGeo: 'west', media: 'noncentered', controls: 'hierarchical', treatments: 'hierarchical' },
  };
  const varyingTreatments: MmmModelConfig = { ...DEFAULT_MODEL_CONFIG, geo: { intercept: 'centered', media: 'noncentered', treatments: 'hierarchical' } };
  const identityCases: [string, 'geo' | 'national' | 'treated', number, MmmModelConfig][] = [
    ['geo, hierarchical controls', 'geo', 0, varyingControls],
    ['geo with a treatment, hierarchical controls and treatments, fixed intercepts around west, one sigma per geo, 8-period holdout', 'treated', 8, varyingBoth],
    ['geo with a treatment, hierarchical treatments, centered intercepts', 'treated', 0, varyingTreatments],
    ['national, hierarchical controls (no geo effects with one geo)', 'national', 0, varyingControls],
    ['geo', 'geo', 0, DEFAULT_MODEL_CONFIG],
    ['national', 'national', 0, DEFAULT_MODEL_CONFIG],
    ['geo with an 8-period holdout', 'geo', 8, DEFAULT_MODEL_CONFIG],
    ['geo, one sigma per geo', 'geo', 0, sigmaByGeo],
    ['geo, fixed intercepts', 'geo', 0, fixed],
    ['geo, fixed intercepts around west, one sigma per geo, 8-period holdout', 'geo', 8, fixedWestByGeo],
    ['national, one sigma per geo, fixed intercepts', 'national', 0, fixedWestByGeo],
  ];

  /**
   * The block's vector b (referenceLinearBlock's column order: tau0, the geo intercepts or offsets,
   * each term's coefficients (a geo-varying term's mean), then the geo-varying terms' per-geo
   * coefficients) in the model's names, and the log-Jacobian of b relative to those names
   * (tau -> v: sigma_tau^G; a geo coefficient -> its standardized form: sd_k^G).
   */
  function blockValues(design: MmmDesign, config: MmmModelConfig, values: Record<string, Float64Array>, b: Float64Array) {
    const G = design.geoNames.length;
    const joint: Record<string, Float64Array> = { ...values, tau0: Float64Array.of(b[0]) };
    let jacobian = 0;
    let j = 1;
    if (G > 1 && config.geo.intercept === 'fixed') {
      joint.tau_offset = b.slice(1, G);
      j += G - 1;
    } else if (G > 1) {
      joint.v = Float64Array.from({ length: G }, (_, g) => (b[1 + g] - b[0]) / values.sigma_tau[0]);
      if (config.geo.intercept === 'centered') joint.tau = b.slice(1, 1 + G);
      else jacobian -= G * Math.log(values.sigma_tau[0]);
      j += G;
    }
    const terms = linearTerms(design, config);
    let varying = j + terms.reduce((n, term) => n + term.width, 0);
    for (const term of terms) {
      const mean = b.slice(j, j + term.width);
      joint[term.parameter] = mean;
      j += term.width;
      const geoVarying = term.geoVarying;
      if (!geoVarying) continue;
      const sd = values[geoVarying.sd];
      joint[geoVarying.dev] = Float64Array.from({ length: G * term.width }, (_, i) => (b[varying + i] - mean[i % term.width]) / sd[i % term.width]);
      for (let k = 0; k < term.width; k++) jacobian -= G * Math.log(sd[k]);
      varying += G * term.width;
    }
    return { joint, jacobian };
  }

  /** The exact draw's output of the generated quantities as the block's vector b (blockValues' inverse). */
  function blockVector(design: MmmDesign, config: MmmModelConfig, values: Record<string, Float64Array>, out: Readonly<Record<string, number | ArrayLike<number>>>): Float64Array {
    const tau0 = out.tau0 as number;
    const G = design.geoNames.length;
    const geoPart = G === 1 ? [] : config.geo.intercept === 'fixed' ? Array.from(out.tau_offset as ArrayLike<number>) : Array.from(out.v as ArrayLike<number>, (v) => tau0 + values.sigma_tau[0] * v);
    const terms = linearTerms(design, config);
    const coefficients = terms.flatMap((term) => (term.parameter === 'delta' ? [out.delta as number] : Array.from(out[term.parameter] as ArrayLike<number>)));
    const perGeo = terms.flatMap((term) => (term.geoVarying ? Array.from(out[`${term.parameter}_geo`] as ArrayLike<number>) : []));
    return Float64Array.from([tau0, ...geoPart, ...coefficients, ...perGeo]);
  }

  for (const [label, which, holdout, config] of identityCases) {
    it(`${label}: the dense marginal is the joint minus the block's conditional at arbitrary b`, () => {
      const design = designOf(dataOf(which), holdout);
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
        // b in the model's names; the joint in (tau0, v) has the Jacobian sigma_tau^G of tau -> v relative to (tau0, tau)
        // (a geo-varying coefficient's standardized form likewise sd^G); the offsets enter b as they are
        const { joint, jacobian } = blockValues(design, config, values, b);
        const identity = referenceLogDensity(design, config, joint) + jacobian - conditional;
        const marginal = referenceMarginalLogDensity(design, config, values);
        expect(Math.abs(identity - marginal), `${identity} vs ${marginal}`).toBeLessThan(1e-9 * Math.abs(marginal) + 1e-8);
      }
    });
  }

  const drawCases: [string, 'geo' | 'treated', MmmModelConfig][] = [
    ['reference', 'geo', DEFAULT_MODEL_CONFIG],
    ['one sigma per geo', 'geo', sigmaByGeo],
    ['fixed intercepts around west, one sigma per geo', 'geo', fixedWestByGeo],
    ['hierarchical controls', 'geo', varyingControls],
    ['hierarchical controls and treatments, fixed intercepts around west, one sigma per geo', 'treated', varyingBoth],
    // the media term the block is drawn around includes the time-varying channels' effectiveness
    ['time-varying tv and search', 'geo', { ...DEFAULT_MODEL_CONFIG, timeVarying: { channels: ['tv', 'search'] } }],
  ];
  for (const [label, which, config] of drawCases) it(`${label}: the exact draws have the conditional's mean and covariance`, () => {
    const design = designOf(dataOf(which));
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
      const b = blockVector(design, config, values, out);
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
    if (config.geo.controls === 'hierarchical') {
      // every correlation, the per-geo coefficients' with their mean and with the intercepts included (max of ~p^2/2 errors of sd <= 0.016: 5 sd)
      let worst = 0;
      const sdOf = (source: Float64Array) => (k: number) => Math.sqrt(source[k * p + k]);
      for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) worst = Math.max(worst, Math.abs(correlation(i, j, sampleCovariance, sdOf(sampleCovariance)) - correlation(i, j, covariance, sdOf(covariance))));
      expect(worst).toBeLessThan(0.08);
    }
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
  it('geo-varying controls and treatments: the parameters by path, the per-geo coefficients reported, config errors', () => {
    const design = designOf(geo);
    // integrated: only the geo sds join the sampled parameters; sampled: the mean, the sd and the standardized geo effects
    expect(createGeoMmm(design, varyingControls).parameterNames).toEqual(['alpha', 'k', 's', 'm', 'eta', 'u', 'sigma_tau', 'gamma_sd', 'sigma']);
    const sampled = createGeoMmm(design, { ...varyingControls, linearBlock: 'sample' });
    expect(sampled.parameterNames).toEqual(['alpha', 'k', 's', 'm', 'eta', 'u', 'tau0', 'sigma_tau', 'v', 'delta', 'phi', 'gamma', 'gamma_sd', 'gamma_dev', 'sigma']);
    expect(sampled.table.find((row) => row.name === 'gamma_dev')?.elementNames.slice(0, 3)).toEqual(['north:price', 'north:temperature', 'south:price']);
    expect(sampled.table.find((row) => row.name === 'gamma_sd')?.prior).toEqual({ kind: 'config', spec: { dist: 'halfNormal', scale: 0.1 } });
    // sampled: gamma_geo = gamma + gamma_sd gamma_dev, as the host function the analysis layer uses
    const { values } = drawOf(design, { ...varyingControls, linearBlock: 'sample' }, 'varying sampled');
    const perGeo = sampled.definition.generated?.(values, createRng(1, 'unused'))?.gamma_geo as Float64Array;
    expect(perGeo.length).toBe(8);
    for (let g = 0; g < 4; g++) for (let k = 0; k < 2; k++) {
      expect(perGeo[g * 2 + k]).toBe(values.gamma[k] + values.gamma_sd[k] * values.gamma_dev[g * 2 + k]);
      expect(cellCoefficientHost(design, varyingControls, values, 'gamma', g, k)).toBe(perGeo[g * 2 + k]);
      expect(cellCoefficientHost(design, DEFAULT_MODEL_CONFIG, values, 'gamma', g, k)).toBe(values.gamma[k]);
    }
    // integrated: the block draw writes gamma, gamma_geo and gamma_dev consistently
    const integrated = compile(createGeoMmm(design, varyingControls).definition);
    const draw = drawOf(design, varyingControls, 'varying integrated');
    const out = integrated.generated(draw.values, createRng(2, 'draw'));
    integrated.dispose();
    const gamma = out.gamma as Float64Array;
    const geoCoefficients = out.gamma_geo as Float64Array;
    (out.gamma_dev as Float64Array).forEach((z, i) => expect(z).toBeCloseTo((geoCoefficients[i] - gamma[i % 2]) / draw.values.gamma_sd[i % 2], 12));
    // the prior predictive draws the sd and the standardized geo effects, and the KPI from each geo's coefficients
    const prior = samplePriorPredictive(design, varyingControls, { draws: 3, seed: 1 });
    expect(prior.variable('gamma_sd').shape).toEqual([2]);
    expect(prior.variable('gamma_dev').shape).toEqual([4, 2]);
    expect(Array.from(prior.variable('y_rep').values).every(Number.isFinite)).toBe(true);
    // with one geo the option changes nothing
    expect(createGeoMmm(designOf(national), varyingControls).parameterNames).toEqual(['alpha', 'k', 's', 'm', 'sigma']);
    // a non-normal prior on the mean samples the block; one on the sd does not matter (it is sampled)
    expect(createGeoMmm(design, { ...varyingControls, priors: { gamma_sd: { dist: 'exponential', rate: 10 } } }).linearBlock.integrate).toBe(true);
    expect(createGeoMmm(design, { ...varyingControls, priors: { gamma: { dist: 'studentT', df: 3, loc: 0, scale: 0.3 } } }).linearBlock).toEqual({ integrate: false, reason: 'the prior of gamma is studentT, not normal' });
    // config: the values, and a hierarchical option without anything to vary
    expect(parseModelConfig({ geo: { controls: 'hierarchical', treatments: 'pooled' } }, 'm.json').geo).toEqual({ intercept: 'noncentered', media: 'noncentered', controls: 'hierarchical', treatments: 'pooled' });
    expect(() => parseModelConfig({ geo: { controls: 'geo' } }, 'm.json')).toThrow(/m\.json: model\.geo\.controls: .*"pooled", "hierarchical"/);
    expect(() => parseModelConfig({ geo: { treatments: true } }, 'm.json')).toThrow(/model\.geo\.treatments/);
    expect(() => parseModelConfig({ priors: { gamma_sd: { dist: 'halfNormal', scale: 0.05 } } }, 'm.json')).not.toThrow();
    const data = { geoNames: design.geoNames, dates: design.dates };
    expect(() => checkModelConfigAgainstData(varyingControls, design.channelNames, 'm.json', { ...data, controlNames: [], treatmentNames: [] })).toThrow(/m\.json: model\.geo\.controls: "hierarchical" needs controls, and the data have none/);
    expect(() => checkModelConfigAgainstData(varyingTreatments, design.channelNames, 'm.json', { ...data, controlNames: ['price'], treatmentNames: [] })).toThrow(/model\.geo\.treatments: "hierarchical" needs non-media treatments/);
    expect(() => checkModelConfigAgainstData(varyingControls, design.channelNames, 'm.json', { ...data, controlNames: ['price'], treatmentNames: [] })).not.toThrow();
  });

  it('a fit with hierarchical controls reports each geo\'s coefficients, their mean and sd; its report builds', async () => {
    const fit = await fitMmm('examples/geo.csv', exampleConfig({ geo: { controls: 'hierarchical' } }), quick);
    expect(fit.model.linearBlock.integrate).toBe(true);
    const posterior = fit.result.posterior;
    expect(posterior.variable('gamma_sd').kind).toBe('parameter');
    expect(posterior.variable('gamma_sd').shape).toEqual([2]);
    for (const name of ['gamma_geo', 'gamma_dev']) {
      expect(posterior.variable(name).kind).toBe('derived');
      expect(posterior.variable(name).shape).toEqual([4, 2]);
      expect(Array.from(posterior.variable(name).values).every(Number.isFinite)).toBe(true);
    }
    const names = fit.result.summary.map((row) => row.name);
    for (const name of ['gamma[1]', 'gamma_sd[2]', 'gamma_geo[1,1]', 'gamma_geo[4,2]', 'gamma_dev[4,2]']) expect(names).toContain(name);
    // the draws' per-geo coefficients are gamma + gamma_sd gamma_dev, and the geos differ
    const gamma = posterior.variable('gamma').values;
    const sd = posterior.variable('gamma_sd').values;
    const dev = posterior.variable('gamma_dev').values;
    const perGeo = posterior.variable('gamma_geo').values;
    for (let d = 0; d < 5; d++) for (let i = 0; i < 8; i++) expect(perGeo[d * 8 + i]).toBeCloseTo(gamma[d * 2 + (i % 2)] + sd[d * 2 + (i % 2)] * dev[d * 8 + i], 10);
    expect(new Set(Array.from(perGeo.slice(0, 8), (x, i) => (i % 2 === 0 ? x.toFixed(9) : ''))).size).toBeGreaterThan(2);
    const report = buildReport(fit);
    expect(report.media.channels.filter((row) => row.metric === 'roi').every((row) => Number.isFinite(row.mean))).toBe(true);
  });
  it('hierarchical controls and treatments in the analysis: baseline + channels + treatments = prediction = meanKpiHost x KPI unit per draw, with each geo\'s coefficients', () => {
    const design = designOf(treated);
    const config: MmmModelConfig = { ...varyingBoth, sigmaByGeo: false };
    const model = createGeoMmm(design, { ...config, linearBlock: 'sample' });
    const draws = [0, 1].map((d) => drawOf(design, { ...config, linearBlock: 'sample' }, `analysis ${d}`).values);
    const variables = model.table.map((row) => ({ name: row.name, shape: row.shape, kind: 'parameter' as const, values: Float64Array.from(draws.flatMap((values) => Array.from(values[row.name]))) }));
    const posterior = new Posterior(1, 2, variables);
    const analysis = analyzeMedia(design, config, posterior);
    const { geos: G, periods: T, channels: C } = designDims(design);
    draws.forEach((values, d) => {
      const mu = meanKpiHost(design, config, values);
      let total = 0;
      let treatment = 0;
      for (let n = 0; n < G * T; n++) {
        const g = Math.floor(n / T);
        total += mu[n] * design.kpiUnit[g];
        treatment += cellCoefficientHost(design, config, values, 'treatment', g, 0) * ((design.treatments as Float64Array)[n] - (design.treatmentBaselines as Float64Array)[0]) * design.kpiUnit[g];
      }
      let media = 0;
      for (let c = 0; c < C; c++) media += analysis.perDraw.contribution[d * C + c];
      expect(Math.abs(analysis.perDraw.prediction[d] - total)).toBeLessThan(1e-10 * Math.abs(total));
      expect(Math.abs(analysis.perDraw.treatment[d] - treatment)).toBeLessThan(1e-10 * Math.abs(total));
      expect(Math.abs(analysis.perDraw.baseline[d] + media + analysis.perDraw.treatment[d] - total)).toBeLessThan(1e-10 * Math.abs(total));
      // the geos' treatment coefficients differ in the draw: the pooled coefficient would give another contribution
      let pooled = 0;
      for (let n = 0; n < G * T; n++) pooled += values.treatment[0] * ((design.treatments as Float64Array)[n] - (design.treatmentBaselines as Float64Array)[0]) * design.kpiUnit[Math.floor(n / T)];
      expect(Math.abs(pooled - treatment)).toBeGreaterThan(1e-6 * Math.abs(total));
    });
  });
});
