/**
 * The digamma function psi(x) = d/dx log Gamma(x) for x > 0 in float64, for the Student-t
 * likelihood's gradient in nu. The recurrence psi(x) = psi(x + 1) - 1/x shifts x to at least 10,
 * where the asymptotic series psi(x) ~ log x - 1/(2x) - sum_k B_2k / (2k x^2k)
 * = log x - 1/(2x) - 1/(12x^2) + 1/(120x^4) - 1/(252x^6) + 1/(240x^8) - 1/(132x^10)
 * (Abramowitz & Stegun 6.3.18) has truncation error below 691/(32760 x^12) ~ 2e-14 at x = 10.
 */

const SHIFT_TO = 10;

export function digamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  let result = 0;
  while (x < SHIFT_TO) {
    result -= 1 / x;
    x += 1;
  }
  const w = 1 / (x * x);
  const series = w * (1 / 12 - w * (1 / 120 - w * (1 / 252 - w * (1 / 240 - w * (1 / 132)))));
  return result + Math.log(x) - 0.5 / x - series;
}
