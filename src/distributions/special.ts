/**
 * Special functions for log densities, on the host (float64) and on float32 tensors.
 *
 * - `logGamma(x)` (host): the Lanczos approximation with g = 7, n = 9 (Lanczos 1964; coefficients
 *   as in Press et al., Numerical Recipes 3rd ed., section 6.1, and Godfrey's table), with the
 *   reflection formula for x < 0.5; about 1e-15 relative accuracy.
 * - `lgamma(x)` (tensor, x > 0): the Stirling series with four correction terms (Abramowitz &
 *   Stegun 6.1.41) at z = x + 4, shifted back by the recurrence
 *   lgamma(x) = lgamma(x + 4) - log(x (x + 1) (x + 2) (x + 3)). The truncation error is below
 *   1/(1188 z^9) <= 4e-9 for z >= 4, so float32 rounding dominates (absolute error about 1e-6 near
 *   the zeros at 1 and 2, relative error about 1e-7 elsewhere). Written with plain tensor ops so
 *   autodiff gives the digamma function. Valid for 0 < x < about 1e19.
 * - `log1p(x)` (tensor): the wasm backend evaluates tf.log1p as log(1 + x), which loses all
 *   precision for |x| < 1e-7; this computes u = 1 + x, recovers its rounding error exactly as
 *   (u - 1) - x and corrects log(u) by it to first order, log(u) - ((u - 1) - x) / u (the same idea
 *   as Kahan's log(u) x / (u - 1), Goldberg 1991, "What every computer scientist should know about
 *   floating-point arithmetic", Theorem 4, without a branch). Plain ops, so autodiff gives 1 / (1 + x).
 * - `log1mExp(x)` = log(1 - exp(x)) for x < 0 (Maechler 2012, "Accurately computing
 *   log(1 - exp(-|a|))", switching at -log 2), and `log1pExp(x)` = softplus.
 * - `logSumExp(x, axis)`: max-shifted, with the softmax as a custom gradient; rows that are all
 *   -Infinity give -Infinity (not NaN).
 *
 * Every tensor function runs its ops inside tf.tidy.
 */
import { tf, type Tensor } from '../tensor/index.js';

export const LOG_2PI = Math.log(2 * Math.PI);
export const HALF_LOG_2PI = 0.5 * LOG_2PI;
export const LOG_PI = Math.log(Math.PI);
export const LOG_2 = Math.LN2;

const LANCZOS_G = 7;
const LANCZOS_COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log |Gamma(x)| in float64 (host). */
export function logGamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x < 0.5) {
    // Reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x).
    return LOG_PI - Math.log(Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  const shifted = x - 1;
  let series = LANCZOS_COEFFICIENTS[0];
  for (let i = 1; i < LANCZOS_COEFFICIENTS.length; i++) series += LANCZOS_COEFFICIENTS[i] / (shifted + i);
  const t = shifted + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (shifted + 0.5) * Math.log(t) - t + Math.log(series);
}

/** log B(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b), float64 (host). */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** log C(n, k) for real n >= k >= 0, float64 (host). */
export function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/** log(1 - exp(x)) for x < 0, float64 (host). */
export function log1mExpHost(x: number): number {
  return x > -LOG_2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}

/** log(sum(exp(values))), float64 (host); -Infinity for an empty or all -Infinity input. */
export function logSumExpHost(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  if (max === -Infinity || !Number.isFinite(max)) return max;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i] - max);
  return max + Math.log(sum);
}

// Stirling series coefficients B_{2k} / (2k (2k - 1)): 1/12, -1/360, 1/1260, -1/1680.
const STIRLING_1 = 1 / 12;
const STIRLING_3 = -1 / 360;
const STIRLING_5 = 1 / 1260;
const STIRLING_7 = -1 / 1680;

/** Elementwise log Gamma(x) for x > 0 on float32 tensors (differentiable; see module comment). */
export function lgamma(x: Tensor): Tensor {
  return tf.tidy(() => {
    const z = tf.add(x, 4);
    // x (x + 1) (x + 2) (x + 3) = a (a + 2) with a = x (x + 3); two logs avoid overflow until a ~ 1e38.
    const a = tf.mul(x, tf.add(x, 3));
    const logShift = tf.add(tf.log(a), tf.log(tf.add(a, 2)));
    const w = tf.reciprocal(z);
    const w2 = tf.square(w);
    const series = tf.mul(w, tf.add(STIRLING_1, tf.mul(w2, tf.add(STIRLING_3, tf.mul(w2, tf.add(STIRLING_5, tf.mul(w2, STIRLING_7)))))));
    const stirling = tf.sub(tf.mul(tf.sub(z, 0.5), tf.log(z)), z);
    return tf.sub(tf.add(stirling, tf.add(series, HALF_LOG_2PI)), logShift);
  });
}

// Asymptotic series of lgamma(x + 1/2) - lgamma(x) - log(x)/2 = sum_m (2^(1-2m) - 2) B_2m / (2m (2m-1) x^(2m-1))
// (the Bernoulli-polynomial Stirling series with B_n(1/2) = (2^(1-n) - 1) B_n, DLMF 5.11.8 and 24.4.27):
// -1/(8x) + 1/(192x^3) - 1/(640x^5) + 17/(14336x^7); the next term, -31/(18432 x^9), is below 1e-9 for
// x >= 5 and below 2e-12 for x >= 10.
const HALF_STEP_SWITCH = 5;
const HALF_STEP_SWITCH_HOST = 10;

function halfStepSeries(x: number): number {
  const w = 1 / x;
  const w2 = w * w;
  return w * (-1 / 8 + w2 * (1 / 192 + w2 * (-1 / 640 + w2 * (17 / 14336))));
}

/**
 * lgamma(x + 1/2) - lgamma(x) - log(x) / 2 on the host (float64); tends to 0 like -1/(8x). The
 * difference of logGamma values below x = 10, the series above (where the difference cancels).
 */
export function lgammaHalfStepCorrectionHost(x: number): number {
  if (x >= HALF_STEP_SWITCH_HOST) return halfStepSeries(x);
  return logGamma(x + 0.5) - logGamma(x) - 0.5 * Math.log(x);
}

/**
 * Elementwise lgamma(x + 1/2) - lgamma(x) - log(x)/2 for x > 0, accurate in float32 for large x where
 * the plain difference of two lgammas cancels (it is the Student-t log-normalizer up to a constant).
 * Uses the difference of lgamma below x = 5 and the asymptotic series above.
 */
export function lgammaHalfStepCorrection(x: Tensor): Tensor {
  return tf.tidy(() => {
    const small = tf.minimum(x, HALF_STEP_SWITCH);
    const direct = tf.sub(tf.sub(lgamma(tf.add(small, 0.5)), lgamma(small)), tf.mul(tf.log(small), 0.5));
    const w = tf.reciprocal(tf.maximum(x, HALF_STEP_SWITCH));
    const w2 = tf.square(w);
    const series = tf.mul(w, tf.add(-1 / 8, tf.mul(w2, tf.add(1 / 192, tf.mul(w2, tf.add(-1 / 640, tf.mul(w2, 17 / 14336)))))));
    return tf.where(tf.greaterEqual(x, HALF_STEP_SWITCH), series, direct);
  });
}

/** Elementwise log B(a, b) on tensors. */
export function lbeta(a: Tensor, b: Tensor): Tensor {
  return tf.tidy(() => tf.sub(tf.add(lgamma(a), lgamma(b)), lgamma(tf.add(a, b))));
}

type SaveTensors = (tensors: Tensor[]) => void;
type UnaryCustomGradient = (
  input: Tensor,
  save: SaveTensors,
) => { value: Tensor; gradFunc: (dy: Tensor, saved: Tensor[]) => Tensor };

/** tf.customGrad for a function of one tensor, with its argument types spelled out. */
function unaryCustomGrad(f: UnaryCustomGradient): (input: Tensor) => Tensor {
  const wrapped = tf.customGrad((...args: Array<Tensor | SaveTensors>) => f(args[0] as Tensor, args[1] as SaveTensors));
  return (input: Tensor) => wrapped(input);
}

/** Elementwise log(1 + x), accurate for small |x| on every backend. */
export function log1p(x: Tensor): Tensor {
  return tf.tidy(() => {
    const u = tf.add(x, 1);
    // (u - 1) - x is exactly the rounding error of u = 1 + x; dividing it by u removes its
    // first-order effect on log(u). max(u, tiny) keeps x = -1 at -Infinity instead of 0 / 0.
    const roundingError = tf.sub(tf.sub(u, 1), x);
    return tf.sub(tf.log(u), tf.div(roundingError, tf.maximum(u, 1e-30)));
  });
}

/** Elementwise log(1 + exp(x)) (softplus), stable for large |x|. */
export function log1pExp(x: Tensor): Tensor {
  return tf.tidy(() => tf.softplus(x));
}

/** Elementwise log(1 - exp(x)) for x < 0 (NaN for x > 0, -Infinity at 0). */
export function log1mExp(x: Tensor): Tensor {
  return tf.tidy(() => {
    const nearZero = tf.greaterEqual(x, -LOG_2); // greaterEqual: the comparison tfjs can differentiate through
    // Each branch is finite for every x < 0, so the unselected branch never poisons the gradient.
    const small = tf.log(tf.neg(tf.expm1(x)));
    const large = log1p(tf.neg(tf.exp(x)));
    return tf.where(nearZero, small, large);
  });
}

function normalizeAxis(axis: number, rank: number): number {
  const resolved = axis < 0 ? axis + rank : axis;
  if (resolved < 0 || resolved >= rank) throw new Error(`logSumExp: axis ${axis} out of range for rank ${rank}`);
  return resolved;
}

/**
 * log(sum(exp(x))) over one axis, stable (shifted by the maximum). The gradient is the softmax,
 * given directly. keepDims keeps the reduced axis with size 1.
 */
export function logSumExp(x: Tensor, axis = -1, keepDims = false): Tensor {
  const resolved = normalizeAxis(axis, x.rank);
  return tf.tidy(() => {
    const reduce = unaryCustomGrad((input, save) => {
      const max = tf.max(input, resolved, true);
      // A row of -Infinity has max -Infinity; shifting by 0 instead keeps it -Infinity, not NaN.
      const safeMax = tf.where(tf.isFinite(max), max, tf.zerosLike(max));
      const summed = tf.sum(tf.exp(tf.sub(input, safeMax)), resolved, true);
      const kept = tf.add(tf.log(summed), safeMax);
      save([input, safeMax, summed]);
      return {
        value: keepDims ? kept : tf.squeeze(kept, [resolved]),
        gradFunc: (dy, saved) => {
          const [savedInput, savedMax, savedSum] = saved;
          const dyKept = keepDims ? dy : tf.expandDims(dy, resolved);
          // The softmax exp(x - max) / sum(exp(x - max)); an all -Infinity row gets weights 0.
          const safeSum = tf.where(tf.greaterEqual(tf.neg(savedSum), 0), tf.onesLike(savedSum), savedSum);
          const weights = tf.div(tf.exp(tf.sub(savedInput, savedMax)), safeSum);
          return tf.mul(dyKept, weights);
        },
      };
    });
    return reduce(x);
  });
}
