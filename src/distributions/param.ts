/**
 * Arithmetic on distribution parameters that are tensors or numbers. Numbers are folded on the host
 * in float64 (so constant log-normalizers such as lgamma(shape) are exact and cost no kernel), and
 * identities (x + 0, x * 1, x * 0 for a number 0) emit no kernel: each density formula is written
 * once and costs only the kernels its tensor-valued parts need (a kernel costs about 2.5 us on
 * wasm whatever its size, shared/notes/tfjs-performance.md). Call these inside tf.tidy.
 */
import { tf, type Tensor } from '../tensor/index.js';
import type { Param } from './types.js';
import { lgamma, lgammaHalfStepCorrection, lgammaHalfStepCorrectionHost, log1p as log1pTensor, logGamma } from './special.js';

export function isNumber(p: Param): p is number {
  return typeof p === 'number';
}

/** The parameter as a tensor (numbers become float32 scalars). */
export function toTensor(p: Param): Tensor {
  return typeof p === 'number' ? tf.scalar(p) : p;
}

export function add(a: Param, b: Param): Param {
  if (isNumber(a) && isNumber(b)) return a + b;
  if (a === 0) return b;
  if (b === 0) return a;
  return tf.add(a, b);
}

export function sub(a: Param, b: Param): Param {
  if (isNumber(a) && isNumber(b)) return a - b;
  if (b === 0) return a;
  if (a === 0) return tf.neg(b);
  return tf.sub(a, b);
}

export function mul(a: Param, b: Param): Param {
  if (isNumber(a) && isNumber(b)) return a * b;
  if (a === 1) return b;
  if (b === 1) return a;
  if (a === 0 || b === 0) return 0;
  if (a === -1) return tf.neg(b);
  if (b === -1) return tf.neg(a);
  return tf.mul(a, b);
}

export function div(a: Param, b: Param): Param {
  if (isNumber(a) && isNumber(b)) return a / b;
  if (b === 1) return a;
  if (isNumber(b)) return tf.mul(a, 1 / b);
  return tf.div(a, b);
}

/**
 * (a - b)^2. One kernel (tf.squaredDifference) when the shapes agree; when they broadcast, square
 * of a difference, because tfjs 4.22's SquaredDifference gradient does not reduce a broadcast input
 * back to its shape (it throws "gradient of input 'b' has shape ...").
 */
export function squaredDifference(a: Param, b: Param): Param {
  if (isNumber(a) && isNumber(b)) return (a - b) * (a - b);
  if (b === 0) return square(a);
  if (a === 0) return square(b);
  if (!isNumber(a) && !isNumber(b) && !sameShape(a.shape, b.shape)) return tf.square(tf.sub(a, b));
  return tf.squaredDifference(a, b);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((extent, i) => extent === b[i]);
}

export function neg(a: Param): Param {
  return isNumber(a) ? -a : tf.neg(a);
}

export function square(a: Param): Param {
  return isNumber(a) ? a * a : tf.square(a);
}

export function log(a: Param): Param {
  return isNumber(a) ? Math.log(a) : tf.log(a);
}

export function exp(a: Param): Param {
  return isNumber(a) ? Math.exp(a) : tf.exp(a);
}

/** log(1 + a), accurate for small |a|. */
export function log1p(a: Param): Param {
  return isNumber(a) ? Math.log1p(a) : log1pTensor(a);
}

/** log(1 + exp(a)). */
export function softplus(a: Param): Param {
  if (isNumber(a)) return a > 0 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a));
  return tf.softplus(a);
}

/** log Gamma(a): float64 on the host for numbers, the tensor series otherwise. */
export function logGammaParam(a: Param): Param {
  return isNumber(a) ? logGamma(a) : lgamma(a);
}

/** lgamma(a + 1/2) - lgamma(a) - log(a)/2, float64 for numbers, the accurate tensor form otherwise. */
export function lgammaHalfStepCorrectionParam(a: Param): Param {
  return isNumber(a) ? lgammaHalfStepCorrectionHost(a) : lgammaHalfStepCorrection(a);
}

/** Combine a tensor (or number) result with the value so the result has the broadcast shape. */
export function broadcastTo(result: Param, like: Tensor): Tensor {
  if (isNumber(result)) return tf.add(tf.mul(like, 0), result);
  return result;
}

/** Validate a number parameter at construction; tensors are not checked. */
export function requirePositive(name: string, field: string, value: Param): void {
  if (isNumber(value) && !(value > 0)) throw new Error(`${name}: ${field} must be > 0, got ${value}`);
}

export function requireFinite(name: string, field: string, value: Param): void {
  if (isNumber(value) && !Number.isFinite(value)) throw new Error(`${name}: ${field} must be finite, got ${value}`);
}

/** The number parameters of a sampleable distribution, or an error naming the tensor ones. */
export function requireNumbers(name: string, params: Record<string, Param>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(params)) {
    if (!isNumber(value)) throw new Error(`${name}.sample: parameter ${key} is a tensor; sampling needs number parameters`);
    out[key] = value;
  }
  return out;
}

export function requireCount(name: string, count: number): void {
  if (!Number.isInteger(count) || count < 0) throw new Error(`${name}.sample: count must be a non-negative integer, got ${count}`);
}
