/**
 * Small float64 vector helpers for the sampler layer: a log-sum-exp that follows Stan math's
 * `log_sum_exp(a, b)` exactly (including its handling of infinities), dot products and sums.
 */

/** log(exp(a) + exp(b)) as in Stan math: -inf + b = b, inf + inf = inf, otherwise max + log1p(exp(-|a-b|)). */
export function logSumExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (a === Number.POSITIVE_INFINITY && b === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  if (a > b) return a + log1pExp(b - a);
  return b + log1pExp(a - b);
}

/** log(1 + exp(x)), stable for large |x| (Stan math `log1p_exp`). */
export function log1pExp(x: number): number {
  if (x > 0) return x + Math.log1p(Math.exp(-x));
  return Math.log1p(Math.exp(x));
}

export function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/** Element-wise a + b into a new array. */
export function add(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i];
  return out;
}

/** True when every entry is finite. */
export function allFinite(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}
