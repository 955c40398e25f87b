/**
 * The mediation model's log density (models/mediation/model.ts: its host kernel on the float64 host
 * path, and as one op among float32 tensor bijectors) against the float64 reference
 * (models/mediation/referenceDensity.ts + the bijectors' log-Jacobians written out here):
 * log density at random unconstrained points and the gradient against central finite differences
 * of the float64 reference, for several options (adstock / saturation kinds, iid and AR(1) errors,
 * signed and positive coefficients, chained mediators).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMmmData, scaleData, type MmmData } from '../src/data/index.js';
import { compile, type CompiledModel } from '../src/ppl/index.js';
import { createRng, initBackend, liveTensorCount } from '../src/tensor/index.js';
import { designFromData, type MmmDesign } from '../models/mmm/design.js';
import { DEFAULT_MEDIATION_MODEL, type MediationModelConfig } from '../models/mediation/config.js';
import { createMediationModel } from '../models/mediation/model.js';
import { referenceLogDensity } from '../models/mediation/referenceDensity.js';
import { simulateMediation } from '../models/mediation/simulate.js';
import { resolveStructure, type MediationStructure } from '../models/mediation/structure.js';
import { loadExample } from './support/examples.js';

const softplus = (x: number) => (x > 30 ? x : Math.log1p(Math.exp(x)));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Constrained values (float64, mirroring the bijectors) and the log-Jacobian at u. */
function constrainHost(model: CompiledModel, position: Float64Array): { values: Record<string, Float64Array>; logJacobian: number } {
  const values: Record<string, Float64Array> = {};
  let logJacobian = 0;
  for (const p of model.layout) {
    const name = p.spec.constraint?.name;
    values[p.name] = Float64Array.from({ length: p.size }, (_, i) => {
      const u = position[p.offset + i];
      if (name === 'positive') {
        logJacobian += u;
        return Math.exp(u);
      }
      if (name === 'unitInterval') {
        logJacobian += -softplus(u) - softplus(-u);
        return sigmoid(u);
      }
      if (name === 'interval') {
        // only rho / med_rho use interval(-1, 1) in these cases
        logJacobian += Math.log(2) - softplus(u) - softplus(-u);
        return -1 + 2 * sigmoid(u);
      }
      if (name !== undefined) throw new Error(`test does not know constraint ${name}`);
      return u;
    });
  }
  return { values, logJacobian };
}

function hostUnconstrained(design: MmmDesign, config: MediationModelConfig, structure: MediationStructure, model: CompiledModel, position: Float64Array): number {
  const { values, logJacobian } = constrainHost(model, position);
  return referenceLogDensity(design, config, structure, values) + logJacobian;
}

type Case = { label: string; data: 'national' | 'chain'; config: MediationModelConfig };

const cases: Case[] = [
  {
    label: 'geometric + Hill, linear adstocked paths, piecewise-linear trend, iid, social -> search',
    data: 'national',
    config: { ...DEFAULT_MEDIATION_MODEL, adstock: { type: 'geometric', maxLag: 4 }, mediatorAdstock: { type: 'geometric', maxLag: 3 }, trendKnots: 3, mediatorTrendKnots: 2, seasonality: { order: 1, period: 52 }, mediators: { search: { drivenBy: ['social', 'tv'] } } },
  },
  {
    label: 'no adstock + Michaelis-Menten, Hill paths with fixed slope, AR(1), positive beta, no trend',
    data: 'national',
    config: {
      ...DEFAULT_MEDIATION_MODEL,
      adstock: { type: 'none' },
      saturation: { type: 'michaelisMenten' },
      mediatorAdstock: { type: 'none' },
      mediatorSaturation: { type: 'hill', fixedSlope: 1.5 },
      trend: false,
      seasonality: { order: 0, period: 52 },
      errors: 'ar1',
      priors: { beta: { dist: 'halfNormal', scale: 0.5 } },
      mediators: { search: { drivenBy: ['social'] } },
    },
  },
  {
    label: 'logistic, logistic paths, AR(1), chained mediators a -> m1 -> m2',
    data: 'chain',
    config: {
      ...DEFAULT_MEDIATION_MODEL,
      adstock: { type: 'geometric', maxLag: 3 },
      saturation: { type: 'logistic' },
      mediatorAdstock: { type: 'geometric', maxLag: 2 },
      mediatorSaturation: { type: 'logistic' },
      errors: 'ar1',
      mediators: { m2: { drivenBy: ['m1', 'a'] }, m1: { drivenBy: ['a'] } },
    },
  },
];

function chainData(): MmmData {
  const config: MediationModelConfig = {
    ...DEFAULT_MEDIATION_MODEL,
    adstock: { type: 'none' },
    mediatorAdstock: { type: 'none' },
    trend: false,
    seasonality: { order: 0, period: 52 },
    mediators: { m1: { drivenBy: ['a'] }, m2: { drivenBy: ['m1'] } },
  };
  const sim = simulateMediation({
    seed: 3,
    periods: 40,
    channels: [{ name: 'a', level: 1 }, { name: 'm1' }, { name: 'm2' }],
    config,
    values: { k: [1, 1, 1], s: [1, 1, 1], beta: [0.2, 0.1, 0.3], intercept: [1], sigma: [0.05], path_coef: [0.5, 0.5], med_intercept: [1, 1], med_sigma: [0.05, 0.05] },
  });
  return parseMmmData(sim.csv, sim.dataSpec);
}

describe('mediation model log density', () => {
  let national: MmmData;
  let chain: MmmData;
  beforeAll(async () => {
    await initBackend();
    national = await loadExample('national');
    chain = chainData();
  });

  for (const { label, data: which, config } of cases) for (const path of ['host', 'tensor'] as const) {
    it(`${label} (${path} path): density and gradient match the float64 reference`, () => {
      const data = which === 'national' ? national : chain;
      const design = designFromData(data, scaleData(data));
      const structure = resolveStructure(config, data.channelNames);
      const before = liveTensorCount();
      const mediation = createMediationModel(design, config, structure);
      const model = compile(mediation.definition, { path });
      expect(model.path).toBe(path);
      // The host path is float64 throughout; the tensor path's bijectors and uploads are float32.
      const valueTolerance = (x: number) => (path === 'host' ? 1e-9 * Math.abs(x) + 1e-9 : 2e-5 * Math.abs(x) + 1e-2);
      const gradientTolerance = (x: number) => (path === 'host' ? 1e-5 * Math.abs(x) + 1e-5 : 2e-3 * Math.abs(x) + 2e-2);
      const rng = createRng(11, label);
      const chains = 3;
      const positions = Float64Array.from({ length: chains * model.dim }, () => 1.6 * rng.uniform() - 0.8);
      const { logDensity, gradient } = model.evaluate(positions, chains);
      for (let c = 0; c < chains; c++) {
        const position = positions.subarray(c * model.dim, (c + 1) * model.dim);
        const host = hostUnconstrained(design, config, structure, model, position);
        // float32 on the tensor path: a few hundred terms of size up to ~1e2, relative error ~1e-5 of |log density|.
        expect(Math.abs(logDensity[c] - host), `chain ${c}: ${logDensity[c]} vs ${host}`).toBeLessThan(valueTolerance(host));
        // Gradient vs central differences of the float64 reference (h = 1e-5: truncation ~1e-10,
        // rounding ~1e-11 |f| / h); float32 gradient on the tensor path: 2e-3 relative + 2e-2 absolute.
        for (let d = 0; d < model.dim; d++) {
          const h = 1e-5;
          const up = Float64Array.from(position);
          const down = Float64Array.from(position);
          up[d] += h;
          down[d] -= h;
          const numeric = (hostUnconstrained(design, config, structure, model, up) - hostUnconstrained(design, config, structure, model, down)) / (2 * h);
          const got = gradient[c * model.dim + d];
          expect(Math.abs(got - numeric), `d=${d} (${model.parameterNames[d] ?? ''}) got ${got} numeric ${numeric}`).toBeLessThan(gradientTolerance(numeric));
        }
      }
      model.dispose();
      expect(liveTensorCount()).toBe(before);
    });
  }

  it('declares the parameters of both equations', () => {
    const design = designFromData(national, scaleData(national));
    const config = cases[0].config;
    const mediation = createMediationModel(design, config, resolveStructure(config, national.channelNames));
    expect(mediation.parameterNames).toEqual([
      'alpha', 'k', 's', 'beta', 'intercept', 'delta', 'phi', 'gamma', 'sigma',
      'path_alpha', 'path_coef', 'med_intercept', 'med_delta', 'med_phi', 'med_gamma', 'med_sigma',
    ]);
  });
});
