/**
 * Posterior probability statements about the channels: the Bayesian answer to the questions a
 * p-value or a hypothesis test is usually asked (Gelman et al., "Bayesian Data Analysis", 3rd ed.,
 * chapter 2; Kruschke 2013, "Bayesian estimation supersedes the t test", JEP: General 142(2)):
 *
 * - P(ROI_c > threshold)            does channel c pay back (threshold 1: revenue per unit of spend);
 * - P(ROI_a > ROI_b)                for every ordered pair a != b (P(ROI_b > ROI_a) = 1 - that, ties aside);
 * - P(mROI_c > target)              is the next unit of spend on c worth it (target default 1);
 * - P(c has the highest mROI)       channel c is the best marginal investment.
 *
 * Each probability is the mean over draws of an indicator computed per draw from the analysis'
 * per-draw ROI and mROI (mediaAnalysis.ts `perDraw`). Its Monte Carlo standard error is the MCSE
 * of that mean: sd(indicator) / sqrt(ESS(indicator)), ESS the split-chain basic ESS (Vehtari,
 * Gelman, Simpson, Carpenter & Bürkner 2021, section 3.2; src/diagnostics `mcseMean`, `essBasic`).
 * Chains are kept when every chain has the same number of the draws used; otherwise the draws are
 * pooled as one chain. When every draw agrees (probability 0 or 1) the ESS and MCSE are undefined
 * (NaN): the probability is then beyond what the draws can resolve, below 1 / draws or above
 * 1 - 1 / draws.
 */
import { essBasic, pooledSd, type ChainDraws } from '../diagnostics/index.js';
import type { MediaAnalysis } from './mediaAnalysis.js';

export type ProbabilityKind = 'roiAbove' | 'roiGreater' | 'mroiAbove' | 'bestMroi';

export interface ProbabilityRow {
  readonly kind: ProbabilityKind;
  readonly channel: string;
  /** The other channel of a pairwise comparison (`roiGreater`: P(ROI_channel > ROI_versus)). */
  readonly versus?: string;
  /** The threshold of `roiAbove` and the target of `mroiAbove`. */
  readonly threshold?: number;
  /** The statement in words, e.g. "P(ROI[tv] > 1)". */
  readonly statement: string;
  readonly probability: number;
  /** Monte Carlo standard error of the probability (NaN when all draws agree). */
  readonly mcse: number;
  /** ESS of the indicator (NaN when all draws agree). */
  readonly ess: number;
  readonly draws: number;
}

export interface ProbabilityOptions {
  /** Threshold of P(ROI_c > threshold) (default 1). */
  readonly roiThreshold?: number;
  /** Target of P(mROI_c > target) (default 1). */
  readonly mroiTarget?: number;
}

/** Draws per chain of the posterior the analysis came from. */
export interface ChainLayout {
  readonly chains: number;
  readonly drawsPerChain: number;
}

/** Group positions 0..D-1 of the analysis' draws by chain (one group if the chains are uneven). */
function chainGroups(drawIndices: Int32Array, layout: ChainLayout): number[][] {
  const groups = Array.from({ length: layout.chains }, () => [] as number[]);
  drawIndices.forEach((index, d) => groups[Math.floor(index / layout.drawsPerChain)].push(d));
  const used = groups.filter((g) => g.length > 0);
  return used.every((g) => g.length === used[0].length) ? used : [Array.from(drawIndices, (_, d) => d)];
}

function probabilityRow(
  indicator: (d: number) => number,
  groups: number[][],
  fields: Omit<ProbabilityRow, 'probability' | 'mcse' | 'ess' | 'draws'>,
): ProbabilityRow {
  const chains: ChainDraws = groups.map((g) => Float64Array.from(g, indicator));
  const draws = groups.reduce((sum, g) => sum + g.length, 0);
  let total = 0;
  let undefinedDraws = false;
  for (const chain of chains) for (const x of chain) (Number.isNaN(x) ? (undefinedDraws = true) : (total += x));
  if (undefinedDraws) return { ...fields, probability: NaN, mcse: NaN, ess: NaN, draws };
  const probability = total / draws;
  const ess = draws >= 4 ? essBasic(chains) : NaN;
  const mcse = Number.isFinite(ess) ? pooledSd(chains) / Math.sqrt(ess) : NaN;
  return { ...fields, probability, mcse, ess, draws };
}

/** Compare a draw's value with a threshold; NaN (undefined ROI, e.g. no spend) stays NaN. */
function above(x: number, threshold: number): number {
  return Number.isNaN(x) ? NaN : x > threshold ? 1 : 0;
}

/** The probability statements of an analysis (rows in the order: roiAbove, roiGreater, mroiAbove, bestMroi). */
export function probabilityStatements(media: MediaAnalysis, layout: ChainLayout, options: ProbabilityOptions = {}): ProbabilityRow[] {
  const roiThreshold = options.roiThreshold ?? 1;
  const mroiTarget = options.mroiTarget ?? 1;
  if (!Number.isFinite(roiThreshold)) throw new Error(`probabilityStatements: roiThreshold must be a finite number, got ${roiThreshold}`);
  if (!Number.isFinite(mroiTarget)) throw new Error(`probabilityStatements: mroiTarget must be a finite number, got ${mroiTarget}`);
  const names = media.channelNames;
  const C = names.length;
  const { roi, mroi } = media.perDraw;
  const D = media.drawIndices.length;
  const groups = chainGroups(media.drawIndices, layout);
  const rows: ProbabilityRow[] = [];
  const paid = media.paid;
  for (let c = 0; c < C; c++) {
    if (!paid[c]) continue; // organic: no ROI
    rows.push(probabilityRow((d) => above(roi[d * C + c], roiThreshold), groups, {
      kind: 'roiAbove', channel: names[c], threshold: roiThreshold, statement: `P(ROI[${names[c]}] > ${roiThreshold})`,
    }));
  }
  for (let a = 0; a < C; a++) {
    for (let b = 0; b < C; b++) {
      if (a === b || !paid[a] || !paid[b]) continue;
      rows.push(probabilityRow((d) => above(roi[d * C + a] - roi[d * C + b], 0), groups, {
        kind: 'roiGreater', channel: names[a], versus: names[b], statement: `P(ROI[${names[a]}] > ROI[${names[b]}])`,
      }));
    }
  }
  // Without a marginal ROI (analyzeMedia with mroi: false) every value is NaN.
  if (mroi.every((x) => Number.isNaN(x))) return rows;
  for (let c = 0; c < C; c++) {
    if (!paid[c]) continue;
    rows.push(probabilityRow((d) => above(mroi[d * C + c], mroiTarget), groups, {
      kind: 'mroiAbove', channel: names[c], threshold: mroiTarget, statement: `P(mROI[${names[c]}] > ${mroiTarget})`,
    }));
  }
  const best = Int32Array.from({ length: D }, (_, d) => {
    let arg = -1;
    for (let c = 0; c < C; c++) if (!Number.isNaN(mroi[d * C + c]) && (arg < 0 || mroi[d * C + c] > mroi[d * C + arg])) arg = c;
    return arg;
  });
  for (let c = 0; c < C; c++) {
    rows.push(probabilityRow((d) => (best[d] === c ? 1 : 0), groups, {
      kind: 'bestMroi', channel: names[c], statement: `P(${names[c]} has the highest mROI)`,
    }));
  }
  return rows;
}
