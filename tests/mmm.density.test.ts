/**
 * The geo MMM's parameters and geometry options on the bundled example data: the geo random effects
 * drop out with one geo, and per-channel (partial) centering of the geo media effects is a change
 * of the sampler's coordinates with the right Jacobian, reported in the model's parameters. The
 * density itself is checked against the float64 reference in tests/mmm.kernel.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { scaleData, type MmmData } from '../src/data/index.js';
import { compile } from '../src/ppl/index.js';
import { createRng, initBackend } from '../src/tensor/index.js';
import { DEFAULT_MODEL_CONFIG, type MmmModelConfig } from '../models/mmm/config.js';
import { designFromData } from '../models/mmm/design.js';
import { createGeoMmm } from '../models/mmm/model.js';
import { loadExample } from './support/examples.js';

describe('geo MMM parameters and centering', () => {
  let geo: MmmData;
  let national: MmmData;
  beforeAll(async () => {
    await initBackend();
    geo = await loadExample('geo');
    national = await loadExample('national');
  });

  it('drops the geo random effects with one geo', () => {
    const joint = { ...DEFAULT_MODEL_CONFIG, linearBlock: 'sample' as const };
    const design = designFromData(national, scaleData(national));
    expect(createGeoMmm(design, joint).parameterNames).toEqual(['alpha', 'k', 's', 'm', 'tau0', 'delta', 'phi', 'gamma', 'sigma']);
    const geoModel = createGeoMmm(designFromData(geo, scaleData(geo)), joint);
    expect(geoModel.parameterNames).toEqual(['alpha', 'k', 's', 'm', 'eta', 'u', 'tau0', 'sigma_tau', 'v', 'delta', 'phi', 'gamma', 'sigma']);
    // integrated (the default): the sampler sees the rest
    expect(createGeoMmm(design, DEFAULT_MODEL_CONFIG).parameterNames).toEqual(['alpha', 'k', 's', 'm', 'sigma']);
  });

  it('geo.media by channel: the listed channels are sampled centered, the posterior is unchanged', () => {
    const design = designFromData(geo, scaleData(geo));
    const names = design.channelNames;
    const G = design.geoNames.length;
    const C = names.length;
    const config = (media: MmmModelConfig['geo']['media']): MmmModelConfig => ({ ...DEFAULT_MODEL_CONFIG, geo: { intercept: 'noncentered', media } });
    const build = (media: MmmModelConfig['geo']['media']) => compile(createGeoMmm(design, config(media)).definition);
    const rng = createRng(11, 'centering-by-channel');
    const chains = 2;
    const nonCentered = build('noncentered');
    const positions = Float64Array.from({ length: chains * nonCentered.dim }, () => 1.6 * rng.uniform() - 0.8);

    // Every channel listed as centered: the same density as the centered model (log_beta takes u's
    // place in the layout). Both are the float64 host kernel, so they agree to rounding.
    const allCentered = build(Object.fromEntries(names.map((n) => [n, 'centered'])));
    const centered = build('centered');
    const a = allCentered.evaluate(positions, chains);
    const b = centered.evaluate(positions, chains);
    for (let c = 0; c < chains; c++) expect(Math.abs(a.logDensity[c] - b.logDensity[c])).toBeLessThan(1e-9 * Math.abs(b.logDensity[c]));
    for (let i = 0; i < positions.length; i++) expect(Math.abs(a.gradient[i] - b.gradient[i])).toBeLessThan(1e-9 * (1 + Math.abs(b.gradient[i])));

    // One channel centered: log p_y(y) = log p_x(x(y)) - G log eta_c, x(y) its u = (y - m_c) / eta_c;
    // and the draws are reported as the non-centered model's parameters at x(y).
    const partly = build({ [names[1]]: 'centered', [names[2]]: 'noncentered' });
    const offset = (model: typeof partly, name: string) => model.layout.find((p) => p.name === name)!.offset;
    const x = Float64Array.from(positions);
    for (let c = 0; c < chains; c++) {
      const row = c * partly.dim;
      const m = positions[row + offset(partly, 'm') + 1];
      const logEta = positions[row + offset(partly, 'eta') + 1];
      for (let g = 0; g < G; g++) x[row + offset(partly, 'u') + g * C + 1] = (positions[row + offset(partly, 'u') + g * C + 1] - m) / Math.exp(logEta);
    }
    const sampled = partly.evaluate(positions, chains);
    const model = nonCentered.evaluate(x, chains);
    for (let c = 0; c < chains; c++) {
      const logEta = positions[c * partly.dim + offset(partly, 'eta') + 1];
      expect(sampled.logDensity[c]).toBeCloseTo(model.logDensity[c] - G * logEta, 8);
    }
    const reported = partly.constrain(positions, chains);
    const direct = nonCentered.constrain(x, chains);
    reported.u.forEach((u, i) => expect(u).toBeCloseTo(direct.u[i], 12));

    // A channel partially centered with weight 0.6: y = 0.6 m_c + eta_c^0.6 u, so
    // u = (y - 0.6 m_c) / eta_c^0.6 and log p_y(y) = log p_x(x(y)) - 0.6 G log eta_c.
    const weighted = build({ [names[1]]: 0.6 });
    const xw = Float64Array.from(positions);
    for (let c = 0; c < chains; c++) {
      const row = c * weighted.dim;
      const m = positions[row + offset(weighted, 'm') + 1];
      const logEta = positions[row + offset(weighted, 'eta') + 1];
      for (let g = 0; g < G; g++) xw[row + offset(weighted, 'u') + g * C + 1] = (positions[row + offset(weighted, 'u') + g * C + 1] - 0.6 * m) / Math.exp(0.6 * logEta);
    }
    const sampledWeighted = weighted.evaluate(positions, chains);
    const modelWeighted = nonCentered.evaluate(xw, chains);
    for (let c = 0; c < chains; c++) {
      const logEta = positions[c * weighted.dim + offset(weighted, 'eta') + 1];
      expect(sampledWeighted.logDensity[c]).toBeCloseTo(modelWeighted.logDensity[c] - 0.6 * G * logEta, 8);
    }
    weighted.dispose();

    expect(() => build({ nosuch: 'centered' })).toThrow(/geo\.media\.nosuch: no such channel/);
    expect(() => createGeoMmm(design, { ...config({ [names[0]]: 'centered' }), mediaPrior: { type: 'roi' } })).toThrow(/needs the coefficient prior/);
    for (const m of [nonCentered, allCentered, centered, partly]) m.dispose();
  });
});
