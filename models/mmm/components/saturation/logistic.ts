/**
 * Logistic saturation h = (1 - exp(-lambda a)) / (1 + exp(-lambda a)) = tanh(lambda a / 2), rate
 * lambda > 0 (PyMC-Marketing's logistic saturation). dh/da = lambda (1 - h^2) / 2,
 * dh/dlambda = a (1 - h^2) / 2.
 */
import { tf } from '../../../../src/tensor/index.js';
import { POSITIVE } from '../types.js';
import type { SaturationKind } from './kind.js';

export const logistic: SaturationKind = {
  type: 'logistic',
  description: '(1 - exp(-lambda a)) / (1 + exp(-lambda a))',
  parameters: () => [{ name: 'lambda', description: 'rate (per scaled media unit)', support: () => POSITIVE, defaultPrior: () => ({ dist: 'gamma', shape: 3, rate: 1 }) }],
  value(p, _options, a) {
    if (!(a > 0)) return 0;
    return Math.tanh(0.5 * p[0] * a);
  },
  slope(p, _options, _a, h) {
    return (p[0] * (1 - h * h)) / 2;
  },
  bind(p) {
    const halfLambda = 0.5 * p[0];
    const lambda = p[0];
    return { value: (a) => (a > 0 ? Math.tanh(halfLambda * a) : 0), slope: (_a, h) => (lambda * (1 - h * h)) / 2 };
  },
  backward(p, _options, a, h, hBar, pBar) {
    const d = hBar * (1 - h * h) * 0.5;
    pBar[0] += d * a;
    return d * p[0];
  },

  // q = [lambda / 2, lambda]
  constants: 2,
  prepare(p, _options, q) {
    q[0] = 0.5 * p[0];
    q[1] = p[0];
  },
  keepsLogAdstock: () => false,
  forwardRows(adstocked, saturated, _logAdstocked, active, cellBase, mediaBase, count, q) {
    const halfLambda = q[0];
    for (let n = 0; n < count; n++) {
      saturated[cellBase + n] = active[mediaBase + n] === 0 ? 0 : Math.tanh(halfLambda * adstocked[cellBase + n]);
    }
  },
  sums: 1,
  backwardRows(bars, saturated, adstocked, _logAdstocked, cellBase, first, count, q, sums) {
    const lambda = q[1];
    let lambdaSum = sums[0]; // one running sum over every geo's rows
    for (let n = first; n < first + count; n++) {
      const h = saturated[cellBase + n];
      const d = bars[n] * (1 - h * h) * 0.5;
      bars[n] = d * lambda;
      lambdaSum += d * adstocked[cellBase + n];
    }
    sums[0] = lambdaSum;
  },
  gradient(_p, _q, sums, pBar) {
    pBar[0] = sums[0];
  },
  tensor(p, _options, adstocked) {
    return tf.tanh(tf.mul(tf.mul(p[0], 0.5), adstocked));
  },
};
