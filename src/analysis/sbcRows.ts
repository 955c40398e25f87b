/**
 * The rows of a simulation-based calibration (Talts, Betancourt, Simpson, Vehtari & Gelman 2018,
 * "Validating Bayesian inference algorithms with simulation-based calibration"): from the rank
 * statistics of each test quantity (a scalar parameter, or any function of the parameters and the
 * data; one rank in {0, ..., maxRank} per replicate), a row per quantity with the chi-square test of
 * its binned ranks (Talts et al., section 4.1) and whether its ECDF stays inside the simultaneous
 * band (Säilynoja, Bürkner & Vehtari 2022, "Graphical test for discrete uniformity and its
 * applications in goodness-of-fit evaluation and multiple sample comparison"), and the rows of the
 * ECDF-difference chart: ECDF minus the uniform CDF at each evaluation point, with the band.
 * The statistics are src/diagnostics (rankUniformity.ts, ecdfBand.ts).
 */
import { ecdfBand, ecdfInBand, rankEcdfCounts, rankUniformityTest, type EcdfBand } from '../diagnostics/index.js';

/** The ranks of one test quantity, one per replicate (replicates in the same order for every quantity). */
export interface SbcRanks {
  readonly quantity: string;
  readonly ranks: readonly number[];
}

export interface SbcOptions {
  /** L: the number of posterior draws each rank was taken among (ranks are in {0, ..., L}). */
  readonly maxRank: number;
  /** Bins of the chi-square test (default 10; at most maxRank + 1). */
  readonly bins?: number;
  /** ECDF evaluation points K (default: the largest divisor of maxRank + 1 that is at most the number of replicates). */
  readonly points?: number;
  /** Simultaneous level of the band (default 0.95). */
  readonly level?: number;
}

/** One test quantity's verdicts. */
export interface SbcQuantityRow {
  readonly quantity: string;
  readonly replicates: number;
  /** Ranks per chi-square bin. */
  readonly binCounts: readonly number[];
  readonly chiSquare: number;
  readonly df: number;
  readonly pValue: number;
  /** Whether the ECDF of the ranks stays inside the simultaneous band at every evaluation point. */
  readonly inBand: boolean;
  /** max_i |ECDF(z_i) - z_i|. */
  readonly maxEcdfDifference: number;
  /** Mean fractional rank, rank / maxRank averaged (0.5 under uniformity; below: the truth sits low in the posterior). */
  readonly meanFractionalRank: number;
}

/** One point of the ECDF-difference chart. */
export interface SbcEcdfRow {
  readonly quantity: string;
  readonly z: number;
  /** ECDF(z) - z. */
  readonly difference: number;
  /** The band's edges minus z. */
  readonly lower: number;
  readonly upper: number;
  readonly inBand: boolean;
}

export interface SbcRows {
  readonly quantities: readonly SbcQuantityRow[];
  readonly ecdf: readonly SbcEcdfRow[];
  readonly band: EcdfBand;
  readonly maxRank: number;
  readonly bins: number;
}

function defaultPoints(maxRank: number, replicates: number): number {
  for (let k = Math.min(maxRank + 1, replicates); k > 1; k--) if ((maxRank + 1) % k === 0) return k;
  return 1;
}

/** The rows of an SBC run from the ranks of its test quantities (module comment). */
export function sbcRows(ranks: readonly SbcRanks[], options: SbcOptions): SbcRows {
  if (ranks.length === 0) throw new Error('sbcRows: no test quantities');
  const replicates = ranks[0].ranks.length;
  for (const r of ranks) {
    if (r.ranks.length !== replicates) throw new Error(`sbcRows: quantity ${r.quantity} has ${r.ranks.length} ranks, ${ranks[0].quantity} has ${replicates}: every quantity needs one rank per replicate`);
  }
  if (replicates < 2) throw new Error(`sbcRows: need at least 2 replicates, got ${replicates}`);
  const { maxRank } = options;
  const bins = options.bins ?? 10;
  const points = options.points ?? defaultPoints(maxRank, replicates);
  const band = ecdfBand(replicates, points, options.level ?? 0.95);
  const quantities: SbcQuantityRow[] = [];
  const ecdf: SbcEcdfRow[] = [];
  for (const { quantity, ranks: values } of ranks) {
    const test = rankUniformityTest(values, maxRank, bins);
    const counts = rankEcdfCounts(values, maxRank, points);
    const inBand = ecdfInBand(counts, band);
    let maxEcdfDifference = 0;
    for (let i = 0; i <= points; i++) {
      const difference = counts[i] / replicates - band.z[i];
      maxEcdfDifference = Math.max(maxEcdfDifference, Math.abs(difference));
      ecdf.push({ quantity, z: band.z[i], difference, lower: band.lower[i] / replicates - band.z[i], upper: band.upper[i] / replicates - band.z[i], inBand });
    }
    quantities.push({
      quantity,
      replicates,
      binCounts: test.counts,
      chiSquare: test.statistic,
      df: test.df,
      pValue: test.pValue,
      inBand,
      maxEcdfDifference,
      meanFractionalRank: values.reduce((a, r) => a + r, 0) / (replicates * maxRank),
    });
  }
  return { quantities, ecdf, band, maxRank, bins };
}
