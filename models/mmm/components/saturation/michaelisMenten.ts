/**
 * Michaelis-Menten saturation h = a / (a + k), half-saturation k > 0 (Hill with slope 1; Jin et al.
 * 2017, section 2.2). dh/da = k / (a + k)^2, dh/dk = -a / (a + k)^2.
 */
import { tf } from '../../../../src/tensor/index.js';
import { POSITIVE } from '../types.js';
import type { SaturationKind } from './kind.js';

export const michaelisMenten: SaturationKind = {
  type: 'michaelisMenten',
  description: 'a / (a + k) (Hill with slope 1)',
  parameters: () => [{ name: 'k', description: 'half-saturation point (scaled media)', support: () => POSITIVE, defaultPrior: () => ({ dist: 'logNormal', mu: 0, sigma: 0.5 }) }],
  value(p, _options, a) {
    if (!(a > 0)) return 0;
    return a / (a + p[0]);
  },
  slope(p, _options, a, _h) {
    const denominator = a + p[0];
    return p[0] / (denominator * denominator);
  },
  bind(p) {
    const k = p[0];
    return {
      value: (a) => (a > 0 ? a / (a + k) : 0),
      slope: (a) => {
        const denominator = a + k;
        return k / (denominator * denominator);
      },
    };
  },
  backward(p, _options, a, _h, hBar, pBar) {
    const k = p[0];
    const denominator = a + k;
    const d = hBar / (denominator * denominator);
    pBar[0] -= d * a;
    return d * k;
  },

  // q = [k]
  constants: 1,
  prepare(p, _options, q) {
    q[0] = p[0];
  },
  keepsLogAdstock: () => false,
  forwardRows(adstocked, saturated, _logAdstocked, active, cellBase, mediaBase, count, q) {
    const k = q[0];
    for (let n = 0; n < count; n++) {
      const a = adstocked[cellBase + n];
      saturated[cellBase + n] = active[mediaBase + n] === 0 ? 0 : a / (a + k);
    }
  },
  sums: 1,
  backwardRows(bars, _saturated, adstocked, _logAdstocked, cellBase, first, count, q, sums) {
    const k = q[0];
    let kSum = sums[0]; // one running sum over every geo's rows
    for (let n = first; n < first + count; n++) {
      const a = adstocked[cellBase + n];
      const denominator = a + k;
      const d = bars[n] / (denominator * denominator);
      bars[n] = d * k;
      kSum -= d * a;
    }
    sums[0] = kSum;
  },
  gradient(_p, _q, sums, pBar) {
    pBar[0] = sums[0];
  },
  tensor(p, _options, adstocked) {
    return tf.div(adstocked, tf.add(adstocked, p[0]));
  },
};
