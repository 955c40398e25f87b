/**
 * The chi-square distribution's upper tail, P(X > x) for X ~ chi^2(df), as the regularized upper
 * incomplete gamma function Q(df / 2, x / 2) (Abramowitz & Stegun 26.4.2). Q(a, x) is evaluated by
 * the series of P(a, x) = 1 - Q below x = a + 1 and by the continued fraction of Q (modified Lentz)
 * above it (Press et al., Numerical Recipes, 3rd ed., section 6.2), both to 1e-15 relative, with
 * log Gamma from betaQuantile.ts. It is the p-value of a chi-square goodness-of-fit statistic
 * (rankUniformity.ts); checked against R's `pchisq(x, df, lower.tail = FALSE)`.
 */
import { logGamma } from './betaQuantile.js';

const EPSILON = 1e-15;
const TINY = 1e-300;
const MAX_TERMS = 100_000;

/** P(a, x) by its series: e^-x x^a / Gamma(a) sum_n x^n / (a (a + 1) ... (a + n)). */
function lowerSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_TERMS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Q(a, x) by its continued fraction (converges fast for x > a + 1). */
function upperContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_TERMS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** Regularized upper incomplete gamma function Q(a, x) = Gamma(a, x) / Gamma(a), a > 0, x >= 0. */
export function upperIncompleteGammaRatio(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - lowerSeries(a, x) : upperContinuedFraction(a, x);
}

/** P(X > x) for X ~ chi-square with `df` degrees of freedom (df > 0). */
export function chiSquareSurvival(x: number, df: number): number {
  if (!(df > 0)) throw new Error(`chiSquareSurvival: df must be > 0, got ${df}`);
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  return upperIncompleteGammaRatio(df / 2, x / 2);
}
