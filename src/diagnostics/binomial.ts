/**
 * The binomial distribution on the host in float64: log probability mass from log factorials
 * (log Gamma, betaQuantile.ts), the CDF by summing the masses, and the quantile function with R's
 * definition (`qbinom`: the smallest k with P(X <= k) >= q). Used by the ECDF bands of rank
 * statistics (ecdfBand.ts), where the counts below an evaluation point are binomial.
 */
import { logGamma } from './betaQuantile.js';

/** log n! for n = 0..max, as a table (log Gamma(n + 1)). */
export function logFactorials(max: number): Float64Array {
  const out = new Float64Array(max + 1);
  for (let n = 2; n <= max; n++) out[n] = logGamma(n + 1);
  return out;
}

/** log P(X = k) for X ~ Binomial(n, p); `logFactorial` a table covering n (logFactorials). */
export function binomialLogPmf(k: number, n: number, p: number, logFactorial: Float64Array = logFactorials(n)): number {
  if (!Number.isInteger(k) || k < 0 || k > n) return -Infinity;
  if (p === 0) return k === 0 ? 0 : -Infinity;
  if (p === 1) return k === n ? 0 : -Infinity;
  return logFactorial[n] - logFactorial[k] - logFactorial[n - k] + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/** P(X <= k) for X ~ Binomial(n, p). */
export function binomialCdf(k: number, n: number, p: number, logFactorial: Float64Array = logFactorials(n)): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  let sum = 0;
  for (let j = 0; j <= Math.floor(k); j++) sum += Math.exp(binomialLogPmf(j, n, p, logFactorial));
  return Math.min(1, sum);
}

/**
 * The q-quantile of Binomial(n, p): the smallest k with P(X <= k) >= q. As R's qbinom, the target
 * is relaxed by 64 machine epsilons (q (1 - 64 eps)) so that a sum of masses rounded just below q
 * does not move the quantile up by one.
 */
export function binomialQuantile(q: number, n: number, p: number, logFactorial: Float64Array = logFactorials(n)): number {
  if (!(q >= 0 && q <= 1) || !(p >= 0 && p <= 1) || !Number.isInteger(n) || n < 0) return NaN;
  if (p === 0 || q === 0) return 0;
  if (p === 1 || q === 1) return n;
  const target = q * (1 - 64 * Number.EPSILON);
  let sum = 0;
  for (let k = 0; k < n; k++) {
    sum += Math.exp(binomialLogPmf(k, n, p, logFactorial));
    if (sum >= target) return k;
  }
  return n;
}
