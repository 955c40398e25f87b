/**
 * Exact host samplers (float64) that the tensor layer's Rng does not provide: beta, binomial and
 * Poisson variates.
 *
 * - Beta(a, b) = X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b) (Devroye 1986, "Non-Uniform Random
 *   Variate Generation", IX.4.1); if both gamma draws underflow (tiny shapes) the draw is 0 or 1.
 * - Binomial(n, p): direct Bernoulli sums for n <= 64; above, the order-statistic splitting of
 *   Knuth (TAOCP vol. 2, 3.4.1, exercise 27 / algorithm in Devroye X.4): the k-th smallest of n
 *   uniforms is Beta(k, n + 1 - k), which halves n at each step (O(log n) beta draws).
 * - Poisson(rate): multiplication of uniforms (Knuth, TAOCP vol. 2, 3.4.1 F) for rate < 30;
 *   above, the gamma splitting of the same section (Ahrens & Dieter): with m = floor(7 rate / 8),
 *   X ~ Gamma(m); if X < rate the count is m + Poisson(rate - X), else Binomial(m - 1, rate / X).
 */
import { gammaVariate, type Rng } from '../tensor/index.js';

export function betaVariate(rng: Rng, a: number, b: number): number {
  const x = gammaVariate(rng, a);
  const y = gammaVariate(rng, b);
  const total = x + y;
  if (total > 0) return x / total;
  // Both underflowed (tiny shapes): Beta(a, b) then concentrates on {0, 1} with P(1) = a / (a + b).
  return a / (a + b) > rng.uniform() ? 1 : 0;
}

export function binomialVariate(rng: Rng, trials: number, probability: number): number {
  if (!Number.isInteger(trials) || trials < 0) throw new Error(`binomialVariate: trials must be a non-negative integer, got ${trials}`);
  if (!(probability >= 0 && probability <= 1)) throw new Error(`binomialVariate: probability must be in [0, 1], got ${probability}`);
  let n = trials;
  let p = probability;
  let successes = 0;
  while (n > 64) {
    if (p <= 0) return successes;
    if (p >= 1) return successes + n;
    const k = Math.floor((n + 1) / 2);
    const orderStatistic = betaVariate(rng, k, n + 1 - k);
    if (orderStatistic < p) {
      // The k smallest uniforms fall below p; the other n - k are uniform on (orderStatistic, 1).
      successes += k;
      p = (p - orderStatistic) / (1 - orderStatistic);
      n -= k;
    } else {
      // At most k - 1 fall below p, and those k - 1 are uniform on (0, orderStatistic).
      p = p / orderStatistic;
      n = k - 1;
    }
  }
  for (let i = 0; i < n; i++) if (rng.uniform() < p) successes++;
  return successes;
}

export function poissonVariate(rng: Rng, rate: number): number {
  if (!(rate >= 0) || !Number.isFinite(rate)) throw new Error(`poissonVariate: rate must be finite and >= 0, got ${rate}`);
  let remaining = rate;
  let count = 0;
  while (remaining >= 30) {
    const m = Math.floor((7 * remaining) / 8);
    const x = gammaVariate(rng, m);
    if (x < remaining) {
      count += m;
      remaining -= x;
    } else {
      return count + binomialVariate(rng, m - 1, remaining / x);
    }
  }
  const threshold = Math.exp(-remaining);
  let product = rng.uniform();
  while (product >= threshold) {
    count++;
    product *= rng.uniform();
  }
  return count;
}
