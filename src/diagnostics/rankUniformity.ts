/**
 * A chi-square test of the uniformity of rank statistics (Talts, Betancourt, Simpson, Vehtari &
 * Gelman 2018, "Validating Bayesian inference algorithms with simulation-based calibration",
 * section 4.1: the histogram of the ranks in B bins; Pearson's goodness-of-fit statistic on it).
 * Ranks in {0, ..., maxRank} go to bin floor(rank B / (maxRank + 1)); under uniformity a bin holding
 * s of the maxRank + 1 values expects N s / (maxRank + 1) of the N ranks, and
 * X^2 = sum (observed - expected)^2 / expected is approximately chi-square with B - 1 degrees of
 * freedom (good when every expected count is about 5 or more). p-value: chiSquare.ts.
 */
import { chiSquareSurvival } from './chiSquare.js';

export interface RankUniformityTest {
  /** Ranks in each bin. */
  readonly counts: readonly number[];
  /** Expected count of each bin under uniformity. */
  readonly expected: readonly number[];
  readonly statistic: number;
  readonly df: number;
  readonly pValue: number;
}

/** The chi-square test of N ranks in {0, ..., maxRank} over `bins` bins (bins <= maxRank + 1). */
export function rankUniformityTest(ranks: ArrayLike<number>, maxRank: number, bins: number): RankUniformityTest {
  if (!Number.isInteger(maxRank) || maxRank < 1) throw new Error(`rankUniformityTest: maxRank must be an integer >= 1, got ${maxRank}`);
  if (!Number.isInteger(bins) || bins < 2 || bins > maxRank + 1) throw new Error(`rankUniformityTest: bins must be an integer in [2, maxRank + 1 = ${maxRank + 1}], got ${bins}`);
  if (ranks.length === 0) throw new Error('rankUniformityTest: no ranks');
  const values = maxRank + 1;
  const counts = new Array<number>(bins).fill(0);
  const sizes = new Array<number>(bins).fill(0);
  for (let r = 0; r < values; r++) sizes[Math.floor((r * bins) / values)]++;
  for (let i = 0; i < ranks.length; i++) {
    const r = ranks[i];
    if (!Number.isInteger(r) || r < 0 || r > maxRank) throw new Error(`rankUniformityTest: rank ${i} is ${r}, not an integer in [0, ${maxRank}]`);
    counts[Math.floor((r * bins) / values)]++;
  }
  const n = ranks.length;
  const expected = sizes.map((s) => (n * s) / values);
  let statistic = 0;
  for (let b = 0; b < bins; b++) statistic += (counts[b] - expected[b]) ** 2 / expected[b];
  const df = bins - 1;
  return { counts, expected, statistic, df, pValue: chiSquareSurvival(statistic, df) };
}
