/**
 * The fused geo-MMM likelihood (models/mmm/fused/): for every config case of mmm.density.test.ts on
 * both example datasets, the model with the fused custom-gradient likelihood has the tensor model's
 * and the float64 reference's log density, and its gradient through src/ppl (priors and Jacobians
 * included) matches central differences of the float64 reference; the host kernel's vector-Jacobian
 * product matches central differences of its own float64 forward; and no tensors leak.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMmmData, scaleData, type MmmData } from '../src/data/index.js';
import { compile } from '../src/ppl/index.js';
import { createRng, initBackend, liveTensorCount } from '../src/tensor/index.js';
import { DEFAULT_MODEL_CONFIG, type MmmModelConfig } from '../models/mmm/config.js';
import { designFromData, withHoldout } from '../models/mmm/design.js';
import { digamma } from '../models/mmm/fused/digamma.js';
import { createLikelihoodHost, fourierColumnNames } from '../models/mmm/fused/likelihoodHost.js';
import { createGeoMmm, fourierNames } from '../models/mmm/geoModel.js';
import { referenceLogDensity } from '../models/mmm/referenceDensity.js';
import { logGamma } from '../src/distributions/index.js';

import { cases, hostUnconstrained } from './support/mmmDensity.js';

describe('fused geo MMM likelihood', () => {
  let geo: MmmData;
  let national: MmmData;
  beforeAll(async () => {
    await initBackend();
    geo = await loadMmmData('examples/geo.csv', JSON.parse(readFileSync('examples/geo.config.json', 'utf8')).data);
    national = await loadMmmData('examples/national.csv', JSON.parse(readFileSync('examples/national.config.json', 'utf8')).data);
  });

  const setup = (label: string, which: 'geo' | 'national', overrides: Partial<MmmModelConfig>) => {
    const data = which === 'geo' ? geo : national;
    const full = designFromData(data, scaleData(data));
    const design = label.startsWith('ROI') ? withHoldout(full, 8) : full;
    const config: MmmModelConfig = { ...DEFAULT_MODEL_CONFIG, ...overrides };
    return { design, config };
  };

  for (const [label, overrides] of cases) {
    for (const which of ['geo', 'national'] as const) {
      it(`${label} (${which}): fused density equals the tensor model's and the reference; gradient matches the reference`, () => {
        const { design, config } = setup(label, which, overrides);
        const before = liveTensorCount();
        const tensorMmm = createGeoMmm(design, config, { likelihoodKernel: 'tensor' });
        const tensor = compile(tensorMmm.definition);
        const variants = ([false, true] as const).map((fusedPriors) => {
          const mmm = createGeoMmm(design, config, { likelihoodKernel: 'fused', fusedPriors });
          expect(mmm.likelihoodKernel).toBe('fused');
          expect(mmm.fusedPriors).toBe(fusedPriors);
          expect(mmm.parameterNames).toEqual(tensorMmm.parameterNames);
          const model = compile(mmm.definition, { path: 'tensor' });
          expect(model.path).toBe('tensor');
          return { fusedPriors, model };
        });
        // The default: the same kernel as the model's whole float64 host density (src/ppl/hostPath.ts).
        const hostModel = compile(createGeoMmm(design, config).definition);
        expect(hostModel.path).toBe('host');
        const dim = tensor.dim;
        const defaults = createGeoMmm(design, config);
        expect([defaults.likelihoodKernel, defaults.fusedPriors]).toEqual(['fused', true]);
        defaults.definition.dispose?.();
        const rng = createRng(7, label + which);
        const chains = 3;
        const positions = Float64Array.from({ length: chains * dim }, () => 1.6 * rng.uniform() - 0.8);
        const expected = tensor.evaluate(positions, chains);
        const results = variants.map(({ model }) => {
          const live = liveTensorCount();
          const result = model.evaluate(positions, chains);
          expect(liveTensorCount()).toBe(live);
          return result;
        });
        for (let c = 0; c < chains; c++) {
          const position = positions.subarray(c * dim, (c + 1) * dim);
          const host = hostUnconstrained(design, config, tensor, position);
          const numeric = Float64Array.from({ length: dim }, (_, d) => {
            const h = 1e-5;
            const up = Float64Array.from(position);
            const down = Float64Array.from(position);
            up[d] += h;
            down[d] -= h;
            return (hostUnconstrained(design, config, tensor, up) - hostUnconstrained(design, config, tensor, down)) / (2 * h);
          });
          // The tensor path itself, as mmm.density.test.ts checks it when it is the default.
          expect(Math.abs(expected.logDensity[c] - host)).toBeLessThan(2e-5 * Math.abs(host) + 1e-2);
          numeric.forEach((n, d) => {
            const value = expected.gradient[c * dim + d];
            expect(Math.abs(value - n), `tensor d=${d} got ${value} numeric ${n}`).toBeLessThan(2e-3 * Math.abs(n) + 2e-2);
          });
          // Host path: float64 throughout, so 1e-9 relative on the value and finite-difference
          // accuracy (step 1e-5, error O(h^2) ~ 1e-10 times third derivatives) on the gradient.
          const hostResult = hostModel.evaluate(positions, chains);
          expect(Math.abs(hostResult.logDensity[c] - host)).toBeLessThan(1e-9 * Math.abs(host) + 1e-9);
          numeric.forEach((n, d) => {
            const value = hostResult.gradient[c * dim + d];
            expect(Math.abs(value - n), `host path d=${d} got ${value} numeric ${n}`).toBeLessThan(1e-5 * Math.abs(n) + 1e-5);
          });
          variants.forEach(({ fusedPriors }, v) => {
            const got = results[v];
            const what = `fusedPriors=${fusedPriors}`;
            // Same float32 budget as mmm.density.test.ts: the constrained inputs, the priors and the
            // uploaded partial sums are float32 (relative ~1e-5 of |log density|).
            expect(Math.abs(got.logDensity[c] - host), what).toBeLessThan(2e-5 * Math.abs(host) + 1e-2);
            expect(Math.abs(got.logDensity[c] - expected.logDensity[c]), what).toBeLessThan(2e-5 * Math.abs(host) + 1e-2);
            for (let d = 0; d < dim; d++) {
              const value = got.gradient[c * dim + d];
              // float32 gradient: 2e-3 relative + 2e-2 absolute, as mmm.density.test.ts.
              const tolerance = 2e-3 * Math.abs(numeric[d]) + 2e-2;
              expect(Math.abs(value - numeric[d]), `${what} d=${d} got ${value} numeric ${numeric[d]}`).toBeLessThan(tolerance);
              const other = expected.gradient[c * dim + d];
              expect(Math.abs(value - other), `${what} d=${d} fused ${value} tensor ${other}`).toBeLessThan(tolerance);
            }
          });
        }
        const single = hostModel.evaluate(positions.subarray(dim, 2 * dim), 1);
        const again = hostModel.evaluate(positions, chains);
        expect(single.logDensity[0]).toBe(again.logDensity[1]);
        single.gradient.forEach((g, d) => expect(g).toBe(again.gradient[dim + d]));
        hostModel.dispose();
        variants.forEach(({ model }, v) => {
          // A change of chain count resizes the scratch buffers and gives the same values per chain.
          const single = model.evaluate(positions.subarray(dim, 2 * dim), 1);
          expect(single.logDensity[0]).toBe(results[v].logDensity[1]);
          single.gradient.forEach((g, d) => expect(g).toBe(results[v].gradient[dim + d]));
          model.dispose();
        });
        tensor.dispose();
        expect(liveTensorCount()).toBe(before);
      });

      for (const priors of [false, true]) {
        it(`${label} (${which}): the host VJP${priors ? ' with priors' : ''} matches central differences of the float64 forward`, () => {
          const { design, config } = setup(label, which, overrides);
          const host = createLikelihoodHost(design, config, { priors });
          const mmm = createGeoMmm(design, config);
          if (priors) expect(host.inputNames).toEqual(mmm.parameterNames);
          else host.inputNames.forEach((name) => expect(mmm.parameterNames).toContain(name));
          const model = compile(mmm.definition);
          const rng = createRng(11, label + which);
          const chains = 2;
          const width = host.outputWidth;
          const positions = Float64Array.from({ length: chains * model.dim }, () => 1.6 * rng.uniform() - 0.8);
          const constrained = model.constrain(positions, chains);
          model.dispose();
          const values = host.inputNames.map((name) => Float64Array.from(constrained[name]));
          if (priors) {
            // The priors column is the reference density minus its likelihood.
            const ll = host.forward(values, chains);
            for (let b = 0; b < chains; b++) {
              const draw = Object.fromEntries(host.inputNames.map((name, i) => [name, values[i].subarray(b * host.inputSizes[i], (b + 1) * host.inputSizes[i])]));
              let total = 0;
              for (let j = 0; j < width; j++) total += ll[b * width + j];
              const reference = referenceLogDensity(design, config, draw);
              expect(Math.abs(total - reference)).toBeLessThan(1e-9 * Math.abs(reference) + 1e-9);
            }
          }
          const dy = Float64Array.from({ length: chains * width }, () => rng.normal());
          host.forward(values, chains);
          const gradient = Float64Array.from(host.backward(dy));
          /** sum_j dy[b, j] out[b, j] per chain. */
          const objective = (): Float64Array => {
            const out = host.forward(values, chains);
            return Float64Array.from({ length: chains }, (_, b) => {
              let total = 0;
              for (let j = 0; j < width; j++) total += dy[b * width + j] * out[b * width + j];
              return total;
            });
          };
          values.forEach((block, i) => {
            const size = host.inputSizes[i];
            for (let j = 0; j < size; j++) {
              // Perturb element j of every chain at once: chains are independent.
              const x = Array.from({ length: chains }, (_, b) => block[b * size + j]);
              const steps = x.map((v) => 1e-5 * Math.max(Math.abs(v), 0.1));
              x.forEach((v, b) => (block[b * size + j] = v + steps[b]));
              const up = objective();
              x.forEach((v, b) => (block[b * size + j] = v - steps[b]));
              const down = objective();
              x.forEach((v, b) => (block[b * size + j] = v));
              for (let b = 0; b < chains; b++) {
                const numeric = (up[b] - down[b]) / (2 * steps[b]);
                const analytic = gradient[chains * host.inputOffsets[i] + b * size + j];
                // Both float64: central-difference truncation (step 1e-5 relative) and rounding
                // (~1e-16 |f| / step, |f| <~ 1e3) are ~1e-8 of the scale (observed <= 3e-8); allow 1e-6.
                expect(Math.abs(analytic - numeric), `${host.inputNames[i]}[${b},${j}] analytic ${analytic} numeric ${numeric}`).toBeLessThan(
                  1e-6 * (Math.abs(numeric) + 1),
                );
              }
            }
          });
        });
      }
    }
  }

  it('names the Fourier columns as the model does', () => {
    expect(fourierColumnNames(3)).toEqual(fourierNames(3));
  });

  it('digamma is the derivative of logGamma', () => {
    for (const x of [0.05, 0.3, 1, 2.5, 5.9, 6, 17, 250, 1e4]) {
      const h = 1e-5 * x;
      const numeric = (logGamma(x + h) - logGamma(x - h)) / (2 * h);
      expect(Math.abs(digamma(x) - numeric)).toBeLessThan(1e-7 * (Math.abs(numeric) + 1));
    }
    expect(digamma(1)).toBeCloseTo(-0.5772156649015329, 12);
  });
});
