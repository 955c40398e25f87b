/**
 * The knots' time effect (Meridian's, google/meridian meridian/model/knots.py `get_knot_info`,
 * `_get_equally_spaced_knot_locations`; ../../../../shared/notes/anchors.md section 1): a baseline
 * time effect shared by the geos, piecewise linear between K knot values b_k at knot periods
 * p_1 < ... < p_K (0-based period indices):
 *
 *   mu_t = sum_k w[t,k] b_k,   w[t,k] = 1 - |t - p_k| / (p_{k+1} - p_k)  for the knots p_k <= t <= p_{k+1} around t
 *
 * (each row has at most two non-zero weights, summing to 1; w[t,k] = 1 at t = p_k). Beyond the knots
 * the effect is held: before the first knot it is b_1, after the last b_K (w[t,1] = 1 for t < p_1,
 * w[t,K] = 1 for t > p_K), which is also how it extrapolates past the data's last period.
 * Evenly spaced knots as Meridian's: p_k = floor(k (T - 1) / (K - 1)), k = 0..K-1, so the first and
 * last periods are knots (with a time holdout, the last fitted one: knotSelection.ts). Here: the knot specs, their positions and the weights; the selection of
 * the number of knots ("auto") is knotSelection.ts, the linear term linearTerms.ts.
 */

/** How the knots are given: a count (evenly spaced), explicit period indices, one per period, or chosen by BIC (knotSelection.ts). */
export type KnotSpec = number | readonly number[] | 'all' | 'auto';

/** Meridian's evenly spaced knot positions: floor(k (T - 1) / (K - 1)), k = 0..K-1 (2 <= K <= T). */
export function evenlySpacedKnots(periods: number, count: number): number[] {
  if (!Number.isInteger(periods) || periods < 2) throw new Error(`knots: need at least 2 periods, got ${periods}`);
  if (!Number.isInteger(count) || count < 2 || count > periods) throw new Error(`knots: the number of knots must be an integer in [2, ${periods}] (the periods), got ${count}`);
  // k (T - 1) is an integer; its quotient by K - 1 is floored exactly (an exact quotient is exact in float64)
  return Array.from({ length: count }, (_, k) => Math.floor((k * (periods - 1)) / (count - 1)));
}

/** Why these knot positions are not usable on `periods` periods, or undefined when they are. */
export function knotPositionsProblem(positions: readonly number[], periods: number): string | undefined {
  if (positions.length < 2) return `needs at least 2 knots (a single knot is a constant, which the intercept already is), got ${positions.length}`;
  for (let k = 0; k < positions.length; k++) {
    const p = positions[k];
    if (!Number.isInteger(p) || p < 0 || p > periods - 1) return `knot ${k + 1} (${p}) is not a period index in [0, ${periods - 1}]`;
    if (k > 0 && p <= positions[k - 1]) return `knot positions must increase strictly: knot ${k + 1} (${p}) follows ${positions[k - 1]}`;
  }
  return undefined;
}

/** The knot positions of a spec other than "auto" on `periods` periods (throws when they do not fit). */
export function knotPositions(spec: Exclude<KnotSpec, 'auto'>, periods: number): number[] {
  if (spec === 'all') return Array.from({ length: periods }, (_, t) => t);
  if (typeof spec === 'number') return evenlySpacedKnots(periods, spec);
  const problem = knotPositionsProblem(spec, periods);
  if (problem) throw new Error(`knots: ${problem}`);
  return [...spec];
}

/**
 * One row of the weights at period t (any integer or real t, also before the first period or past
 * the last: held at the end knots' values) into out[offset .. offset + K).
 */
export function knotWeightsRow(t: number, positions: readonly number[], out: Float64Array, offset = 0): void {
  const K = positions.length;
  for (let k = 0; k < K; k++) out[offset + k] = 0;
  if (t <= positions[0]) {
    out[offset] = 1;
    return;
  }
  if (t >= positions[K - 1]) {
    out[offset + K - 1] = 1;
    return;
  }
  // the knot interval [p_k, p_{k+1}) holding t (binary search: positions increase)
  let lo = 0;
  let hi = K - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (positions[mid] <= t) lo = mid;
    else hi = mid;
  }
  const right = (t - positions[lo]) / (positions[lo + 1] - positions[lo]);
  out[offset + lo] = 1 - right;
  out[offset + lo + 1] = right;
}

/** The weights w [periods, K] (row-major) of periods first, first + 1, ... (default: the data's 0..T-1). */
export function knotWeights(positions: readonly number[], periods: number, first = 0): Float64Array {
  const K = positions.length;
  const out = new Float64Array(periods * K);
  for (let i = 0; i < periods; i++) knotWeightsRow(first + i, positions, out, i * K);
  return out;
}
