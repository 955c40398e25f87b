/**
 * Pareto smoothed importance sampling (PSIS; Vehtari, Simpson, Gelman, Yao & Gabry 2024, "Pareto
 * smoothed importance sampling", JMLR 25(72)): the largest M raw importance
 * ratios are replaced by the expected order statistics of a generalized Pareto distribution (GPD)
 * fitted to them, then truncated at the largest raw ratio; the fitted shape k-hat says whether the
 * estimate can be trusted.
 *
 * - Tail length M = ceil(min(0.2 S, 3 sqrt(S / r_eff))) (the paper's recommendation; r_eff the relative
 *   efficiency of the ratios, 1 by default), S the number of draws.
 * - GPD fit: the empirical Bayes estimate of Zhang & Stephens 2009 ("A new and efficient estimation
 *   method for the generalized Pareto distribution", Technometrics 51(3)), with the grid of
 *   m = 30 + floor(sqrt(n)) points and the weakly informative prior pulling k-hat towards 0.5 with
 *   weight 10 (as the `gpdfit` of the R package loo 2.x, `adjust_k_wip`; checked against loo 2.5.1).
 * - Thresholds on k-hat (from the paper): reliable below min(1 - 1/log10(S), 0.7) (the
 *   sample-size dependent threshold), unreliable above 0.7, and the mean does not exist above 1.
 *
 * Pure float64 TypeScript. Log weights are returned normalized (log-sum-exp = 0).
 */

/** Generalized Pareto fit of exceedances: shape k (xi) and scale sigma. */
export interface GeneralizedParetoFit {
  readonly k: number;
  readonly sigma: number;
}

export interface PsisResult {
  /** Smoothed, truncated and normalized log weights (same order as the input). */
  readonly logWeights: Float64Array;
  /** Estimated GPD shape of the tail (NaN or Inf when it could not be fitted). */
  readonly paretoK: number;
  /** Number of draws in the smoothed tail (0 when too few draws to smooth). */
  readonly tailLength: number;
}

export interface PsisOptions {
  /** Relative efficiency of the importance ratios, ESS / S (default 1). */
  readonly relativeEfficiency?: number;
}

/** Good-k threshold that depends on the number of draws: min(1 - 1/log10(S), 0.7). */
export function paretoKThreshold(draws: number): number {
  return Math.min(1 - 1 / Math.log10(draws), 0.7);
}

/** k-hat above which PSIS estimates are unreliable whatever the sample size. */
export const PARETO_K_BAD = 0.7;

/** Tail length M = ceil(min(0.2 S, 3 sqrt(S / r_eff))). */
export function psisTailLength(draws: number, relativeEfficiency = 1): number {
  return Math.min(Math.ceil(0.2 * draws), Math.ceil(3 * Math.sqrt(draws / relativeEfficiency)));
}

function logSumExp(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  if (!Number.isFinite(max)) return max;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i] - max);
  return max + Math.log(sum);
}

/**
 * Zhang & Stephens (2009) estimate of the GPD of positive exceedances `sortedExceedances`
 * (ascending), with the weakly informative prior on k of Vehtari et al. (2024, appendix C) unless
 * `weaklyInformativePrior` is false.
 */
export function fitGeneralizedPareto(sortedExceedances: ArrayLike<number>, weaklyInformativePrior = true): GeneralizedParetoFit {
  const x = sortedExceedances;
  const n = x.length;
  if (n < 2) throw new Error(`fitGeneralizedPareto: need at least 2 exceedances, got ${n}`);
  for (let i = 1; i < n; i++) {
    if (!(x[i] >= x[i - 1])) throw new Error('fitGeneralizedPareto: exceedances must be sorted ascending and not NaN');
  }
  const prior = 3;
  const gridSize = 30 + Math.floor(Math.sqrt(n));
  const firstQuartile = x[Math.floor(n / 4 + 0.5) - 1];
  const largest = x[n - 1];
  const theta = new Float64Array(gridSize);
  const profile = new Float64Array(gridSize);
  for (let j = 0; j < gridSize; j++) {
    theta[j] = 1 / largest + (1 - Math.sqrt(gridSize / (j + 0.5))) / prior / firstQuartile;
    // Profile log-likelihood of theta (Zhang & Stephens 2009): n (log(-theta / k) - k - 1), k = mean log(1 - theta x).
    let k = 0;
    for (let i = 0; i < n; i++) k += Math.log1p(-theta[j] * x[i]);
    k /= n;
    profile[j] = n * (Math.log(-theta[j] / k) - k - 1);
  }
  const normalizer = logSumExp(profile);
  let thetaHat = 0;
  for (let j = 0; j < gridSize; j++) {
    const weight = Math.exp(profile[j] - normalizer);
    if (weight > 0) thetaHat += theta[j] * weight;
  }
  let k = 0;
  for (let i = 0; i < n; i++) k += Math.log1p(-thetaHat * x[i]);
  k /= n;
  let sigma = -k / thetaHat;
  if (weaklyInformativePrior) {
    const priorWeight = 10;
    k = (k * n) / (n + priorWeight) + (priorWeight * 0.5) / (n + priorWeight);
  }
  if (Number.isNaN(sigma)) sigma = Infinity;
  return { k, sigma };
}

/** Quantile function of the GPD with location 0: sigma ((1 - p)^(-k) - 1) / k. */
export function generalizedParetoQuantile(p: number, k: number, sigma: number): number {
  if (Number.isNaN(sigma) || sigma <= 0) return NaN;
  if (k === 0) return -sigma * Math.log1p(-p);
  return (sigma * Math.expm1(-k * Math.log1p(-p))) / k;
}

/** The value of rank `k` (0-based, ascending) of `values`, partially reordering them (Hoare's quickselect). */
function selectRank(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const swap = values[i];
        values[i] = values[j];
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}

/**
 * Positions of the `count` largest values in ascending order of value (ties in index order, as a
 * stable sort), and the next smaller value (the cutoff). Selection in linear time instead of
 * sorting all draws.
 */
function largest(values: Float64Array, count: number, scratch: Float64Array): { tail: number[]; cutoff: number } {
  const S = values.length;
  scratch.set(values);
  const smallestInTail = selectRank(scratch, S - count);
  // After the selection every value below rank S - count sits left of it: the cutoff is their maximum.
  let cutoff = -Infinity;
  for (let s = 0; s < S - count; s++) if (scratch[s] > cutoff) cutoff = scratch[s];
  const above: number[] = [];
  const ties: number[] = [];
  for (let s = 0; s < S; s++) {
    if (values[s] > smallestInTail) above.push(s);
    else if (values[s] === smallestInTail) ties.push(s);
  }
  above.sort((a, b) => values[a] - values[b] || a - b);
  return { tail: [...ties.slice(ties.length - (count - above.length)), ...above], cutoff };
}

/**
 * Pareto smoothed log importance weights from log importance ratios (any additive constant). For
 * leave-one-out cross-validation the ratios of observation i are -log p(y_i | theta_s).
 */
export function psis(logRatios: ArrayLike<number>, options: PsisOptions = {}): PsisResult {
  const S = logRatios.length;
  if (S < 1) throw new Error('psis: no draws');
  const relativeEfficiency = options.relativeEfficiency ?? 1;
  if (!(relativeEfficiency > 0)) throw new Error(`psis: relativeEfficiency must be > 0, got ${relativeEfficiency}`);
  let max = -Infinity;
  for (let s = 0; s < S; s++) {
    if (Number.isNaN(logRatios[s])) throw new Error(`psis: log ratio ${s} is NaN`);
    if (logRatios[s] > max) max = logRatios[s];
  }
  if (!Number.isFinite(max)) throw new Error(`psis: the largest log ratio is ${max}`);
  const logWeights = new Float64Array(S);
  for (let s = 0; s < S; s++) logWeights[s] = logRatios[s] - max;
  const tailLength = psisTailLength(S, relativeEfficiency);
  let paretoK = Infinity;
  let smoothed = 0;
  if (tailLength >= 5 && tailLength < S) {
    const { tail, cutoff } = largest(logWeights, tailLength, new Float64Array(S));
    const expCutoff = Math.exp(cutoff);
    const exceedances = Float64Array.from(tail, (s) => Math.exp(logWeights[s]) - expCutoff);
    // A tail of equal values cannot be fitted (loo: "all tail values are the same"): k-hat stays Inf.
    const spread = logWeights[tail[tailLength - 1]] - logWeights[tail[0]];
    if (spread >= Number.EPSILON / 100) {
      const fit = fitGeneralizedPareto(exceedances);
      paretoK = fit.k;
      if (Number.isFinite(fit.k)) {
        tail.forEach((s, i) => {
          logWeights[s] = Math.log(generalizedParetoQuantile((i + 0.5) / tailLength, fit.k, fit.sigma) + expCutoff);
        });
        smoothed = tailLength;
      }
    }
  }
  // Truncate at the largest raw weight (0 after the shift), then normalize.
  for (let s = 0; s < S; s++) if (logWeights[s] > 0) logWeights[s] = 0;
  const total = logSumExp(logWeights);
  for (let s = 0; s < S; s++) logWeights[s] -= total;
  return { logWeights, paretoK, tailLength: smoothed };
}
