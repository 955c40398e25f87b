/**
 * Approximate leave-one-out cross-validation by Pareto smoothed importance sampling (PSIS-LOO;
 * Vehtari, Gelman & Gabry 2017, "Practical Bayesian model evaluation using leave-one-out
 * cross-validation and WAIC", Statistics and Computing 27), from the pointwise
 * log-likelihood log p(y_i | theta_s) of S posterior draws:
 *
 *   lpd_i      = log (1/S sum_s p(y_i | theta_s))                   (in-sample)
 *   elpd_loo,i = log sum_s w_is p(y_i | theta_s), w_i = PSIS weights of the ratios 1 / p(y_i | theta_s)
 *   p_loo,i    = lpd_i - elpd_loo,i                                  (effective number of parameters)
 *   elpd_loo   = sum_i elpd_loo,i,  se = sqrt(n var_i(elpd_loo,i))
 *   looic      = -2 elpd_loo
 *
 * and the difference of two models fitted to the same observations with the se of the paired
 * pointwise differences (as loo::loo_compare). The same lpd applied to held-out observations is
 * the log pointwise predictive density of a holdout (the paper's elpd with new data).
 * Pareto k-hat per observation from psis.ts; thresholds per Vehtari et al. 2024. When the matrix
 * says how its draws split into chains, each observation's ratios are smoothed with its own relative
 * efficiency (relativeEfficiency.ts, as loo::relative_eff); otherwise r_eff = 1.
 */
import { paretoKThreshold, PARETO_K_BAD, psis, type PsisOptions } from './psis.js';
import { pointwiseRelativeEfficiency } from './relativeEfficiency.js';

/** Pointwise log-likelihood, observation-major: `values[n * draws + s]` = log p(y_n | theta_s). */
export interface LogLikMatrix {
  readonly observations: number;
  readonly draws: number;
  readonly values: Float64Array | Float32Array;
  /**
   * The draws are chain-major: `chains` chains of draws / chains each (absent when unknown, e.g.
   * thinned draws). Lets PSIS-LOO use each observation's relative efficiency.
   */
  readonly chains?: number;
}

export interface LooPointwise {
  readonly elpdLoo: Float64Array;
  readonly lpd: Float64Array;
  readonly pLoo: Float64Array;
  readonly paretoK: Float64Array;
  /** r_eff used for each observation's PSIS tail (1 without chain information). */
  readonly relativeEfficiency: Float64Array;
}

export interface LooEstimates {
  readonly elpdLoo: number;
  readonly seElpdLoo: number;
  readonly pLoo: number;
  readonly sePLoo: number;
  readonly looic: number;
  readonly seLooic: number;
  /** In-sample log pointwise predictive density, summed. */
  readonly lpd: number;
  readonly observations: number;
  readonly draws: number;
  /** min(1 - 1/log10(S), 0.7). */
  readonly paretoKThreshold: number;
  /** Observations with k-hat above the sample-size threshold, above 0.7 and above 1. */
  readonly paretoKAboveThreshold: number;
  readonly paretoKAbove07: number;
  readonly paretoKAbove1: number;
  readonly maxParetoK: number;
}

export interface LooResult {
  readonly estimates: LooEstimates;
  readonly pointwise: LooPointwise;
}

function logMeanExp(values: ArrayLike<number>, start: number, count: number): number {
  let max = -Infinity;
  for (let s = 0; s < count; s++) if (values[start + s] > max) max = values[start + s];
  if (!Number.isFinite(max)) return max;
  let sum = 0;
  for (let s = 0; s < count; s++) sum += Math.exp(values[start + s] - max);
  return max + Math.log(sum / count);
}

function checkMatrix(matrix: LogLikMatrix, what: string): void {
  const { observations, draws, values } = matrix;
  if (!(Number.isInteger(observations) && observations >= 0 && Number.isInteger(draws) && draws >= 1)) {
    throw new Error(`${what}: bad shape ${observations} observations x ${draws} draws`);
  }
  if (values.length !== observations * draws) throw new Error(`${what}: ${values.length} values, expected ${observations} x ${draws}`);
}

/** lpd_i = log mean_s exp(log p(y_i | theta_s)) per observation. */
export function pointwiseLpd(matrix: LogLikMatrix): Float64Array {
  checkMatrix(matrix, 'pointwiseLpd');
  const { observations: N, draws: S, values } = matrix;
  return Float64Array.from({ length: N }, (_, n) => logMeanExp(values, n * S, S));
}

/** Sum and its standard error sqrt(n var(x)) (sample variance, n - 1) of pointwise values. */
export function sumWithSe(pointwise: ArrayLike<number>): { readonly sum: number; readonly se: number } {
  const n = pointwise.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += pointwise[i];
  if (n < 2) return { sum, se: NaN };
  const center = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (pointwise[i] - center) ** 2;
  return { sum, se: Math.sqrt((n * squares) / (n - 1)) };
}

/** PSIS-LOO of a pointwise log-likelihood matrix. */
export function psisLoo(matrix: LogLikMatrix, options: PsisOptions = {}): LooResult {
  checkMatrix(matrix, 'psisLoo');
  const { observations: N, draws: S, values } = matrix;
  if (N < 1) throw new Error('psisLoo: no observations');
  const elpdLoo = new Float64Array(N);
  const lpd = new Float64Array(N);
  const pLoo = new Float64Array(N);
  const paretoK = new Float64Array(N);
  const ratios = new Float64Array(S);
  const terms = new Float64Array(S);
  const relativeEfficiency =
    options.relativeEfficiency !== undefined || matrix.chains === undefined
      ? new Float64Array(N).fill(options.relativeEfficiency ?? 1)
      : pointwiseRelativeEfficiency(values, N, S, matrix.chains);
  for (let n = 0; n < N; n++) {
    const offset = n * S;
    for (let s = 0; s < S; s++) {
      const value = values[offset + s];
      if (!(value < Infinity) || Number.isNaN(value)) throw new Error(`psisLoo: log-likelihood of observation ${n + 1}, draw ${s + 1} is ${value}`);
      ratios[s] = -value;
    }
    const smoothed = psis(ratios, { relativeEfficiency: relativeEfficiency[n] });
    for (let s = 0; s < S; s++) terms[s] = smoothed.logWeights[s] + values[offset + s];
    elpdLoo[n] = logMeanExp(terms, 0, S) + Math.log(S);
    lpd[n] = logMeanExp(values, offset, S);
    pLoo[n] = lpd[n] - elpdLoo[n];
    paretoK[n] = smoothed.paretoK;
  }
  const elpd = sumWithSe(elpdLoo);
  const p = sumWithSe(pLoo);
  const threshold = paretoKThreshold(S);
  let above = 0;
  let above07 = 0;
  let above1 = 0;
  let maxK = -Infinity;
  for (const k of paretoK) {
    if (!(k <= threshold)) above++;
    if (!(k <= PARETO_K_BAD)) above07++;
    if (!(k <= 1)) above1++;
    if (!(k <= maxK)) maxK = k;
  }
  let lpdTotal = 0;
  for (const x of lpd) lpdTotal += x;
  return {
    estimates: {
      elpdLoo: elpd.sum,
      seElpdLoo: elpd.se,
      pLoo: p.sum,
      sePLoo: p.se,
      looic: -2 * elpd.sum,
      seLooic: 2 * elpd.se,
      lpd: lpdTotal,
      observations: N,
      draws: S,
      paretoKThreshold: threshold,
      paretoKAboveThreshold: above,
      paretoKAbove07: above07,
      paretoKAbove1: above1,
      maxParetoK: maxK,
    },
    pointwise: { elpdLoo, lpd, pLoo, paretoK, relativeEfficiency },
  };
}

/** Difference of two models' pointwise elpd (a - b, same observations in the same order) and its se. */
export function elpdDifference(a: ArrayLike<number>, b: ArrayLike<number>): { readonly difference: number; readonly se: number } {
  if (a.length !== b.length) throw new Error(`elpdDifference: ${a.length} vs ${b.length} observations`);
  const { sum, se } = sumWithSe(Float64Array.from({ length: a.length }, (_, i) => a[i] - b[i]));
  return { difference: sum, se };
}
