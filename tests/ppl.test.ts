import { beforeAll, describe, expect, it } from 'vitest';
import type { Bijector } from '../src/bijectors/types.js';
import { compile, defineModel, flatNames } from '../src/ppl/index.js';
import { createRng, initBackend, liveTensorCount, tf, type Tensor, type Tensor2D } from '../src/tensor/index.js';

/** A minimal exp bijector so this test does not depend on src/bijectors. */
const expBijector: Bijector = {
  name: 'exp',
  unconstrainedSize: (shape) => shape.reduce((a, b) => a * b, 1),
  forward: (free: Tensor2D) => ({ value: tf.exp(free), logDetJacobian: tf.sum(free, 1) }),
  inverse: (value: Tensor) => tf.reshape(tf.log(value), [value.shape[0], -1]) as Tensor2D,
};

// log N(x | mu, sd) for tensors, written out here (independent of src/distributions).
function normalLogPdf(x: Tensor, mu: Tensor | number, sd: Tensor | number): Tensor {
  const z = tf.div(tf.sub(x, mu), sd);
  return tf.sub(tf.mul(-0.5, tf.square(z)), tf.add(tf.log(sd as Tensor), 0.5 * Math.log(2 * Math.PI)));
}

const y = [1.2, -0.3, 0.8, 2.1];

function hostLogDensity(mu: number, logSigma: number): number {
  const sigma = Math.exp(logSigma);
  let total = -0.5 * mu * mu - 0.5 * Math.log(2 * Math.PI); // mu ~ N(0, 1)
  for (const v of y) total += -0.5 * ((v - mu) / sigma) ** 2 - Math.log(sigma) - 0.5 * Math.log(2 * Math.PI);
  return total + logSigma; // Jacobian of sigma = exp(free)
}

const model = defineModel({
  name: 'normal-unknown-scale',
  parameters: {
    mu: {},
    sigma: { constraint: expBijector },
  },
  logDensity: ({ mu, sigma }) => {
    const data = tf.tensor2d([y]);
    const muPrior = tf.sum(normalLogPdf(mu, 0, 1), 1);
    return [muPrior, normalLogPdf(tf.broadcastTo(data, [mu.shape[0], y.length]), mu, sigma)];
  },
  generated: ({ mu, sigma }) => ({ cv: sigma[0] / mu[0], pair: [mu[0], sigma[0]] }),
});

describe('compile', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('lays out parameters and names them as Stan does', () => {
    const compiled = compile(model);
    expect(compiled.dim).toBe(2);
    expect(compiled.parameterNames).toEqual(['mu', 'sigma']);
    expect(flatNames('Sigma', [2, 2])).toEqual(['Sigma[1,1]', 'Sigma[1,2]', 'Sigma[2,1]', 'Sigma[2,2]']);
  });

  it('evaluates log density (with Jacobian) and gradient for a batch of chains', () => {
    const compiled = compile(model);
    const positions = new Float64Array([0.3, -0.2, 1.5, 0.4, -1.0, 0.0]);
    const { logDensity, gradient } = compiled.evaluate(positions, 3);
    const h = 1e-5;
    for (let c = 0; c < 3; c++) {
      const mu = positions[2 * c];
      const ls = positions[2 * c + 1];
      // float32 tensors: relative error ~1e-6 of the largest term, so 1e-4 absolute is ample.
      expect(logDensity[c]).toBeCloseTo(hostLogDensity(mu, ls), 4);
      const dMu = (hostLogDensity(mu + h, ls) - hostLogDensity(mu - h, ls)) / (2 * h);
      const dLs = (hostLogDensity(mu, ls + h) - hostLogDensity(mu, ls - h)) / (2 * h);
      expect(gradient[2 * c]).toBeCloseTo(dMu, 3);
      expect(gradient[2 * c + 1]).toBeCloseTo(dLs, 3);
    }
  });

  it('constrains, unconstrains and computes generated quantities without leaking tensors', () => {
    const compiled = compile(model);
    const before = liveTensorCount();
    const values = compiled.constrain(new Float64Array([0.5, Math.log(2)]), 1);
    expect(values.mu[0]).toBeCloseTo(0.5, 6);
    expect(values.sigma[0]).toBeCloseTo(2, 5);
    const free = compiled.unconstrain({ mu: 0.5, sigma: 2 });
    expect(free[0]).toBeCloseTo(0.5, 6);
    expect(free[1]).toBeCloseTo(Math.log(2), 6);
    expect(compiled.generated(values, createRng(0, 'generated'))).toEqual({ cv: values.sigma[0] / 0.5, pair: [0.5, values.sigma[0]] });
    compiled.evaluate(new Float64Array([0, 0]), 1);
    expect(liveTensorCount()).toBe(before);
  });

  it('maps a NaN log density to -Infinity and rejects wrongly sized input', () => {
    const compiled = compile(model);
    expect(() => compiled.evaluate(new Float64Array(3), 2)).toThrow(/expected 2x2 positions/);
    expect(() => compiled.unconstrain({ mu: 1 })).toThrow(/no initial value for parameter "sigma"/);
  });
});
