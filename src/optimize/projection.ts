/**
 * Euclidean projection onto the budget set { x : sum x = budget, lower <= x <= upper } (a
 * box-constrained simplex; channels held fixed have lower = upper). By the KKT conditions the
 * projection of y is x(mu) = clip(y - mu, lower, upper) for the multiplier mu at which the sum is
 * the budget; the sum is piecewise linear and non-increasing in mu with breakpoints y - upper and
 * y - lower, so mu is found exactly by a binary search over the sorted breakpoints and linear
 * interpolation inside the bracketing segment (Helgason, Kennington & Lall 1980, "A polynomially
 * bounded algorithm for a singly constrained quadratic program", Math. Programming 18; Pardalos &
 * Kovoor 1990, Math. Programming 46). O(P log P). The last rounding residual is put on entries
 * with room, so the result meets the bounds exactly and the budget to rounding.
 */

/** Throws unless lower <= upper and sum lower <= budget <= sum upper. */
export function checkBudgetSet(lower: Float64Array, upper: Float64Array, budget: number, labels?: readonly string[]): void {
  let low = 0;
  let high = 0;
  for (let i = 0; i < lower.length; i++) {
    const name = labels?.[i] ?? `entry ${i + 1}`;
    if (!(Number.isFinite(lower[i]) && Number.isFinite(upper[i]))) throw new Error(`bounds of ${name} must be finite numbers, got [${lower[i]}, ${upper[i]}]`);
    if (lower[i] < 0) throw new Error(`lower bound of ${name} is negative (${lower[i]}); spend cannot be negative`);
    if (lower[i] > upper[i]) throw new Error(`bounds of ${name}: lower ${fmt(lower[i])} is above upper ${fmt(upper[i])}`);
    low += lower[i];
    high += upper[i];
  }
  if (!(Number.isFinite(budget) && budget >= 0)) throw new Error(`budget must be a finite number >= 0, got ${budget}`);
  const slack = 1e-12 * Math.max(budget, 1);
  if (low > budget + slack) throw new Error(`the bounds cannot meet the budget: lower bounds add up to ${fmt(low)}, above the budget ${fmt(budget)}; lower the lower bounds or raise the budget`);
  if (high < budget - slack) throw new Error(`the bounds cannot meet the budget: upper bounds add up to ${fmt(high)}, below the budget ${fmt(budget)}; raise the upper bounds or lower the budget`);
}

function fmt(x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(10)).toString() : String(x);
}

/** Project y onto the budget set, writing into `out` (may be y itself). The set must be non-empty. */
export function projectOntoBudgetSet(
  y: ArrayLike<number>,
  lower: Float64Array,
  upper: Float64Array,
  budget: number,
  out: Float64Array = new Float64Array(y.length),
): Float64Array {
  const P = lower.length;
  const total = (mu: number) => {
    let sum = 0;
    for (let i = 0; i < P; i++) sum += Math.min(upper[i], Math.max(lower[i], y[i] - mu));
    return sum;
  };
  const breakpoints = new Float64Array(2 * P);
  for (let i = 0; i < P; i++) {
    breakpoints[2 * i] = y[i] - upper[i];
    breakpoints[2 * i + 1] = y[i] - lower[i];
  }
  breakpoints.sort();
  // total(breakpoints[0]) = sum upper >= budget >= sum lower = total(breakpoints[2P-1]).
  let lo = 0;
  let hi = 2 * P - 1;
  let totalLo = total(breakpoints[lo]);
  let totalHi = total(breakpoints[hi]);
  let mu: number;
  if (totalLo <= budget) mu = breakpoints[lo];
  else if (totalHi >= budget) mu = breakpoints[hi];
  else {
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      const value = total(breakpoints[mid]);
      if (value >= budget) {
        lo = mid;
        totalLo = value;
      } else {
        hi = mid;
        totalHi = value;
      }
    }
    const span = totalLo - totalHi;
    mu = span > 0 ? breakpoints[lo] + ((totalLo - budget) / span) * (breakpoints[hi] - breakpoints[lo]) : breakpoints[lo];
  }
  let sum = 0;
  for (let i = 0; i < P; i++) {
    out[i] = Math.min(upper[i], Math.max(lower[i], y[i] - mu));
    sum += out[i];
  }
  // Rounding residual: move it onto entries with room, never past a bound.
  let residual = budget - sum;
  for (let i = 0; i < P && residual !== 0; i++) {
    const room = residual > 0 ? upper[i] - out[i] : lower[i] - out[i];
    const move = residual > 0 ? Math.min(residual, room) : Math.max(residual, room);
    out[i] += move;
    residual -= move;
  }
  return out;
}
