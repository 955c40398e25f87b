/**
 * Geometric adstock: w_l = alpha^l / S, S = sum_{l<L} alpha^l, decay rate alpha in (0, 1) (Jin et
 * al. 2017, eq. 1, normalized as in shared/reference-model.md; the reference model's adstock).
 *
 * Kernel recursion (no lag sums): a_t = r_t / S with the running sum
 * r_t = alpha r_{t-1} + x_t - alpha^L x_{t-L}; its derivative r'_t = d r_t / d alpha follows
 * r'_t = r_{t-1} + alpha r'_{t-1} - L alpha^(L-1) x_{t-L}, so with S' = sum_l l alpha^(l-1),
 * d a_t / d alpha = (r'_t - a_t S') / S and alpha bar = (sum_t aBar_t r'_t - S' sum_t aBar_t a_t) / S.
 * Both recursions restart at 0 in masked cells (whose whole window is zero, so r = r' = 0 exactly),
 * which stops rounding residue of the subtraction from carrying over. Weight gradient (lift tests):
 * q_l = l log alpha, so alpha bar = sum_l qBar_l l / alpha (the softmax rule, kind.ts).
 */
import type { AdstockKind, AdstockRecursion } from './kind.js';
import { UNIT } from '../types.js';

const recursion: AdstockRecursion = {
  // q = [alpha, S, alpha^L, 1 / S, L alpha^(L-1)]
  constants: 5,
  prepare(p, maxLag, _weights, _weightsOffset, q) {
    const alpha = p[0];
    let power = 1;
    let total = 0;
    for (let l = 0; l < maxLag; l++) {
      total += power;
      power *= alpha;
    }
    q[0] = alpha;
    q[1] = total;
    q[2] = Math.pow(alpha, maxLag);
    q[3] = 1 / total;
    q[4] = maxLag * Math.pow(alpha, maxLag - 1);
  },
  forwardRows: geometricAdstockRows,
  sums: 2,
  backwardRows: geometricBackwardRows,
  gradient(_p, maxLag, q, sums, pBar) {
    const alpha = q[0];
    let totalDerivative = 0; // S' = sum_l l alpha^(l-1)
    let power = 1;
    for (let l = 1; l < maxLag; l++) {
      totalDerivative += l * power;
      power *= alpha;
    }
    pBar[0] = (sums[0] - totalDerivative * sums[1]) / q[1];
  },
};

export const geometric: AdstockKind = {
  type: 'geometric',
  description: 'w_l proportional to alpha^l (the reference model)',
  parameters: [
    { name: 'alpha', description: 'decay rate', support: () => UNIT, defaultPrior: () => ({ dist: 'beta', a: 2, b: 2 }) },
  ],
  weights(p, maxLag, out, outOffset = 0) {
    const alpha = p[0];
    let power = 1;
    let total = 0;
    for (let l = 0; l < maxLag; l++) {
      out[outOffset + l] = power;
      total += power;
      power *= alpha;
    }
    for (let l = 0; l < maxLag; l++) out[outOffset + l] /= total;
  },
  weightsBackward(p, maxLag, weights, weightsOffset, wBar, wBarOffset, pBar) {
    let mixed = 0;
    for (let l = 0; l < maxLag; l++) mixed += weights[weightsOffset + l] * wBar[wBarOffset + l];
    let alphaBar = 0;
    for (let l = 1; l < maxLag; l++) alphaBar += weights[weightsOffset + l] * (wBar[wBarOffset + l] - mixed) * l;
    pBar[0] += alphaBar / p[0];
  },
  recursion,
};

/**
 * a_t = r_t / S over every geo's rows of one channel (module comment); q from `prepare`. The running
 * sum is a chain of dependent multiply-adds, so two geos' rows run side by side in one loop (two
 * independent chains for the CPU to overlap); each row's arithmetic is that of `geometricAdstockRow`.
 */
function geometricAdstockRows(
  media: Float64Array, active: Uint8Array, mediaBase: number, adstocked: Float64Array, cellBase: number,
  geos: number, periods: number, maxLag: number, q: Float64Array,
): void {
  const alpha = q[0];
  const alphaToL = q[2];
  const inverseSum = q[3];
  let g = 0;
  for (; g + 1 < geos; g += 2) {
    let first = 0;
    let second = 0;
    for (let t = 0; t < periods; t++) {
      const n = g * periods + t;
      const m = n + periods;
      if (active[mediaBase + n] === 0) {
        first = 0;
      } else {
        first = alpha * first + media[mediaBase + n];
        if (t >= maxLag) first -= alphaToL * media[mediaBase + n - maxLag];
      }
      if (active[mediaBase + m] === 0) {
        second = 0;
      } else {
        second = alpha * second + media[mediaBase + m];
        if (t >= maxLag) second -= alphaToL * media[mediaBase + m - maxLag];
      }
      adstocked[cellBase + n] = first * inverseSum;
      adstocked[cellBase + m] = second * inverseSum;
    }
  }
  if (g < geos) geometricAdstockRow(media, active, mediaBase, adstocked, cellBase, g * periods, periods, maxLag, alpha, alphaToL, inverseSum);
}

/** One geo's rows from `first`: a_t = r_t / S. */
function geometricAdstockRow(
  media: Float64Array, active: Uint8Array, mediaBase: number, adstocked: Float64Array, cellBase: number,
  first: number, periods: number, maxLag: number, alpha: number, alphaToL: number, inverseSum: number,
): void {
  let running = 0;
  for (let t = 0; t < periods; t++) {
    const n = first + t;
    if (active[mediaBase + n] === 0) {
      running = 0;
    } else {
      running = alpha * running + media[mediaBase + n];
      if (t >= maxLag) running -= alphaToL * media[mediaBase + n - maxLag];
    }
    adstocked[cellBase + n] = running * inverseSum;
  }
}

/** Over one geo's rows from `first`: sums[0] += sum aBar r', sums[1] += sum aBar a (module comment). */
function geometricBackwardRows(
  bars: Float64Array, adstocked: Float64Array, media: Float64Array, active: Uint8Array, mediaBase: number, cellBase: number,
  first: number, periods: number, maxLag: number, q: Float64Array, sums: Float64Array,
): void {
  const alpha = q[0];
  const geometricTotal = q[1];
  const dropCoefficient = q[4];
  let derivative = 0; // r'_t
  let previous = 0; // r_{t-1}
  let barTimesDerivative = 0;
  let barTimesAdstock = 0;
  for (let t = 0; t < periods; t++) {
    const n = first + t;
    if (active[mediaBase + n] === 0) {
      derivative = 0;
      previous = 0;
      continue;
    }
    derivative = previous + alpha * derivative;
    if (t >= maxLag) derivative -= dropCoefficient * media[mediaBase + n - maxLag];
    const a = adstocked[cellBase + n];
    previous = geometricTotal * a;
    const bar = bars[n];
    barTimesDerivative += bar * derivative;
    barTimesAdstock += bar * a;
  }
  sums[0] += barTimesDerivative;
  sums[1] += barTimesAdstock;
}
