/**
 * Simultaneous confidence bands for the empirical CDF of a uniform sample, and the graphical test of
 * rank statistics built on them (Säilynoja, Bürkner & Vehtari 2022, "Graphical test for discrete
 * uniformity and its applications in goodness-of-fit evaluation and multiple sample comparison",
 * Statistics and Computing 32(32), sections 2.1-2.2 and 3.1).
 *
 * N values, uniform on (0, 1) or discrete uniform, are evaluated at K equally spaced points
 * z_i = i / K. The count below z_i is Binomial(N, z_i), so the pointwise band is
 * [qbinom(gamma / 2, N, z_i), qbinom(1 - gamma / 2, N, z_i)]. The counts at z_1, ..., z_{K-1} form a
 * Markov chain: given x_{i-1} values below z_{i-1}, the number of new ones below z_i is
 * Binomial(N - x_{i-1}, (z_i - z_{i-1}) / (1 - z_{i-1})). Summing over the paths that stay inside
 * the band (their "optimization" method: a forward recursion over the counts) gives the exact
 * probability that the whole ECDF stays inside. The band's pointwise level gamma is adjusted so
 * that this simultaneous coverage is the level asked for: gamma is the largest value whose band
 * covers with probability at least the level (the coverage is a step function of gamma, so equality
 * is rarely possible; bisection on gamma, then a millionth below the step's edge).
 *
 * Rank statistics in {0, ..., L} (L posterior draws) are discrete uniform; with K dividing L + 1,
 * the fractional ranks (rank + 1) / (L + 1) have CDF exactly z_i at every z_i, so the band is exact
 * for them too (their section 3.1). The ECDF is the count of ranks with (rank + 1) / (L + 1) <= z_i,
 * i.e. rank < i (L + 1) / K.
 */
import { binomialLogPmf, binomialQuantile, logFactorials } from './binomial.js';

/** How far below the edge of its step the adjusted gamma is taken (relative). */
const EDGE_MARGIN = 1e-6;

export interface EcdfBand {
  /** N: the number of values (SBC replicates). */
  readonly samples: number;
  /** K: evaluation points z_i = i / K, i = 0..K. */
  readonly points: number;
  /** The simultaneous level asked for, e.g. 0.95. */
  readonly level: number;
  /** The adjusted pointwise level of the band. */
  readonly gamma: number;
  /** The band's exact simultaneous coverage (>= level). */
  readonly coverage: number;
  /** [K + 1] evaluation points i / K. */
  readonly z: Float64Array;
  /** [K + 1] the band as counts (of N) at each point: lower and upper bound, inclusive. */
  readonly lower: Int32Array;
  readonly upper: Int32Array;
}

function checkSizes(samples: number, points: number): void {
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`ecdfBand: samples must be an integer >= 1, got ${samples}`);
  if (!Number.isInteger(points) || points < 1) throw new Error(`ecdfBand: points must be an integer >= 1, got ${points}`);
}

/** The pointwise band [qbinom(gamma / 2), qbinom(1 - gamma / 2)] at z_i = i / K, i = 0..K. */
export function pointwiseBand(samples: number, points: number, gamma: number, logFactorial: Float64Array = logFactorials(samples)): { lower: Int32Array; upper: Int32Array } {
  checkSizes(samples, points);
  const lower = new Int32Array(points + 1);
  const upper = new Int32Array(points + 1);
  for (let i = 0; i <= points; i++) {
    lower[i] = binomialQuantile(gamma / 2, samples, i / points, logFactorial);
    upper[i] = binomialQuantile(1 - gamma / 2, samples, i / points, logFactorial);
  }
  return { lower, upper };
}

/** The exact probability that the ECDF of N uniform values stays inside the pointwise band of level gamma at every z_i. */
export function bandCoverage(samples: number, points: number, gamma: number, logFactorial: Float64Array = logFactorials(samples)): number {
  const { lower, upper } = pointwiseBand(samples, points, gamma, logFactorial);
  let previous = new Float64Array(samples + 1);
  previous[0] = 1;
  let from = 0;
  let to = 0;
  for (let i = 1; i < points; i++) {
    // P(a value below z_i | it is not below z_{i-1}) = (1 / K) / (1 - (i - 1) / K).
    const p = 1 / (points - i + 1);
    const next = new Float64Array(samples + 1);
    for (let x = lower[i]; x <= upper[i]; x++) {
      let sum = 0;
      for (let before = from; before <= Math.min(to, x); before++) {
        if (previous[before] > 0) sum += previous[before] * Math.exp(binomialLogPmf(x - before, samples - before, p, logFactorial));
      }
      next[x] = sum;
    }
    previous = next;
    from = lower[i];
    to = upper[i];
  }
  let total = 0;
  for (let x = from; x <= to; x++) total += previous[x];
  return total;
}

/** The simultaneous band of level `level` for N values at K points (module comment). */
export function ecdfBand(samples: number, points: number, level = 0.95): EcdfBand {
  checkSizes(samples, points);
  if (!(level > 0 && level < 1)) throw new Error(`ecdfBand: level must be in (0, 1), got ${level}`);
  const logFactorial = logFactorials(samples);
  const covers = (gamma: number) => bandCoverage(samples, points, gamma, logFactorial) >= level;
  // gamma -> 0 gives the band [0, N] (coverage 1); the pointwise band of the level itself covers less.
  let low = 0;
  let high = 1 - level;
  if (covers(high)) low = high;
  else {
    for (let iteration = 0; iteration < 80 && high - low > 1e-14 * high; iteration++) {
      const middle = 0.5 * (low + high);
      if (covers(middle)) low = middle;
      else high = middle;
    }
    // At the step's edge one quantile of the band is about to move: gamma / 2 equals a binomial CDF
    // there to rounding. A millionth below it, the band no longer depends on rounding (and covers
    // at least as much).
    low *= 1 - EDGE_MARGIN;
  }
  const gamma = low;
  const { lower, upper } = pointwiseBand(samples, points, gamma, logFactorial);
  return {
    samples,
    points,
    level,
    gamma,
    coverage: bandCoverage(samples, points, gamma, logFactorial),
    z: Float64Array.from({ length: points + 1 }, (_, i) => i / points),
    lower,
    upper,
  };
}

/**
 * The ECDF of rank statistics in {0, ..., maxRank} as counts at z_i = i / K, i = 0..K: the number of
 * ranks r with (r + 1) / (maxRank + 1) <= z_i. K must divide maxRank + 1 (module comment).
 */
export function rankEcdfCounts(ranks: ArrayLike<number>, maxRank: number, points: number): Int32Array {
  if (!Number.isInteger(maxRank) || maxRank < 1) throw new Error(`rankEcdfCounts: maxRank must be an integer >= 1, got ${maxRank}`);
  if (!Number.isInteger(points) || points < 1 || (maxRank + 1) % points !== 0) {
    throw new Error(`rankEcdfCounts: points must divide maxRank + 1 = ${maxRank + 1} (so the band is exact for discrete ranks), got ${points}`);
  }
  const perPoint = (maxRank + 1) / points;
  const histogram = new Int32Array(points);
  for (let i = 0; i < ranks.length; i++) {
    const r = ranks[i];
    if (!Number.isInteger(r) || r < 0 || r > maxRank) throw new Error(`rankEcdfCounts: rank ${i} is ${r}, not an integer in [0, ${maxRank}]`);
    histogram[Math.floor(r / perPoint)]++;
  }
  const counts = new Int32Array(points + 1);
  for (let i = 1; i <= points; i++) counts[i] = counts[i - 1] + histogram[i - 1];
  return counts;
}

/** Whether ECDF counts at z_0..z_K stay inside the band at every point. */
export function ecdfInBand(counts: ArrayLike<number>, band: EcdfBand): boolean {
  if (counts.length !== band.points + 1) throw new Error(`ecdfInBand: expected ${band.points + 1} counts (z_0..z_K), got ${counts.length}`);
  for (let i = 0; i <= band.points; i++) if (counts[i] < band.lower[i] || counts[i] > band.upper[i]) return false;
  return true;
}
