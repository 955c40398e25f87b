/**
 * The tensor geo MMM (models/mmm/geoModel.ts) against the float64 reference density
 * (models/mmm/referenceDensity.ts) on the bundled example data, for the default (reference) config
 * and each option: log density at random unconstrained points, and the gradient against central
 * finite differences of the float64 reference.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMmmData, scaleData, type MmmData } from '../src/data/index.js';
import { compile } from '../src/ppl/index.js';
import { createRng, initBackend, liveTensorCount } from '../src/tensor/index.js';
import { DEFAULT_MODEL_CONFIG, type MmmModelConfig } from '../models/mmm/config.js';
import { designFromData, withHoldout } from '../models/mmm/design.js';
import { createGeoMmm } from '../models/mmm/geoModel.js';

import { cases, constrainHost, hostUnconstrained } from './support/mmmDensity.js';

describe('geo MMM log density', () => {
  let geo: MmmData;
  let national: MmmData;
  beforeAll(async () => {
    await initBackend();
    geo = await loadMmmData('examples/geo.csv', JSON.parse(readFileSync('examples/geo.config.json', 'utf8')).data);
    national = await loadMmmData('examples/national.csv', JSON.parse(readFileSync('examples/national.config.json', 'utf8')).data);
  });

  for (const [label, overrides] of cases) {
    for (const which of ['geo', 'national'] as const) {
      it(`${label} (${which}): tensor density and gradient match the float64 reference`, () => {
        const data = which === 'geo' ? geo : national;
        const full = designFromData(data, scaleData(data));
        const design = label.startsWith('ROI') ? withHoldout(full, 8) : full;
        const config: MmmModelConfig = { ...DEFAULT_MODEL_CONFIG, ...overrides };
        const before = liveTensorCount();
        const mmm = createGeoMmm(design, config);
        const model = compile(mmm.definition);
        const rng = createRng(7, label + which);
        const chains = 3;
        const positions = Float64Array.from({ length: chains * model.dim }, () => 1.6 * rng.uniform() - 0.8);
        const { logDensity, gradient } = model.evaluate(positions, chains);
        for (let c = 0; c < chains; c++) {
          const position = positions.subarray(c * model.dim, (c + 1) * model.dim);
          const host = hostUnconstrained(design, config, model, position);
          // float32 evaluation of ~300-500 terms of size up to ~1e2 (partial sums added in float64):
          // relative error ~1e-5 of |log density| is the float32 budget.
          expect(Math.abs(logDensity[c] - host)).toBeLessThan(2e-5 * Math.abs(host) + 1e-2);
          // Gradient vs central differences of the float64 reference (h = 1e-5: truncation ~1e-10,
          // rounding ~1e-11 |f| / h). float32 gradient: tolerance 2e-3 relative + 2e-2 absolute.
          for (let d = 0; d < model.dim; d++) {
            const h = 1e-5;
            const up = Float64Array.from(position);
            const down = Float64Array.from(position);
            up[d] += h;
            down[d] -= h;
            const numeric = (hostUnconstrained(design, config, model, up) - hostUnconstrained(design, config, model, down)) / (2 * h);
            const got = gradient[c * model.dim + d];
            expect(Math.abs(got - numeric), `d=${d} got ${got} numeric ${numeric}`).toBeLessThan(2e-3 * Math.abs(numeric) + 2e-2);
          }
        }
        const constrained = model.constrain(positions.subarray(0, model.dim), 1);
        const host = constrainHost(model, positions.subarray(0, model.dim));
        for (const name of Object.keys(host)) {
          host[name].forEach((v, i) => expect(constrained[name][i]).toBeCloseTo(v, 4));
        }
        model.dispose();
        expect(liveTensorCount()).toBe(before);
      });
    }
  }

  it('drops the geo random effects with one geo', () => {
    const design = designFromData(national, scaleData(national));
    const mmm = createGeoMmm(design, DEFAULT_MODEL_CONFIG);
    expect(mmm.parameterNames).toEqual(['alpha', 'k', 's', 'm', 'tau0', 'delta', 'phi', 'gamma', 'sigma']);
    const geoModel = createGeoMmm(designFromData(geo, scaleData(geo)), DEFAULT_MODEL_CONFIG);
    expect(geoModel.parameterNames).toEqual(['alpha', 'k', 's', 'm', 'eta', 'u', 'tau0', 'sigma_tau', 'v', 'delta', 'phi', 'gamma', 'sigma']);
    mmm.definition.dispose?.();
    geoModel.definition.dispose?.();
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
