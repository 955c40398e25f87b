/**
 * The KPI likelihood: ys[g,t] ~ Normal(mu[g,t], sigma) (the reference model) or Student-t(nu, mu,
 * sigma), over the observed cells (a holdout masks the rest). Here: the parameters, the float64
 * pointwise log density (`kpiLogDensity`, the reference) and the kernel block, whose forward gives
 * per-geo partial sums ll[g] and keeps the scores, and whose backward gives the mean's bar and the
 * scale parameters' gradients:
 *   Normal, z = (y - mu) / sigma: d ll_g / d mu = o z / sigma; d ll_g / d sigma = (sum_t o z^2 - n_g) / sigma.
 *   Student-t: d/d mu = o (nu + 1) z / (sigma (nu + z^2)); d/d sigma = sum_t o (nu + 1) z^2 / (sigma (nu + z^2)) - n_g / sigma;
 *     d/d nu = sum_t o [-log1p(z^2/nu)/2 + (nu + 1) z^2 / (2 nu (nu + z^2))] + n_g [psi((nu+1)/2) - psi(nu/2) - 1/nu] / 2.
 * (o: 1 where observed; n_g: observed periods of geo g.) With `sigmaByGeo` sigma is [G] (Meridian's
 * unique_sigma_for_each_geo), geo g's rows use sigma_g, and geo g's sum above is sigma_g's gradient.
 */
import { digamma, logGamma } from '../../../src/distributions/index.js';
import type { MmmModelConfig } from '../config.js';
import { designDims, type MmmDesign } from '../design.js';
import type { KernelParameters } from '../kernel/parameters.js';
import { scaleRows } from '../kernel/rows.js';
import { POSITIVE, type MmmParameter, type PriorDeclaration } from './types.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

export const LIKELIHOOD_PRIORS: readonly PriorDeclaration[] = [
  { name: 'sigma', description: 'noise scale (scaled KPI)', support: POSITIVE, defaultPrior: { dist: 'halfNormal', scale: 0.3 } },
  { name: 'nu', description: 'Student-t degrees of freedom', support: POSITIVE, defaultPrior: { dist: 'gamma', shape: 2, rate: 0.1 } },
];

export function likelihoodParameters(design: MmmDesign, config: MmmModelConfig, prior: (name: string) => MmmParameter['prior']): MmmParameter[] {
  const sigma: MmmParameter = config.sigmaByGeo
    ? { name: 'sigma', shape: [design.geoNames.length], support: POSITIVE, prior: prior('sigma'), elementNames: design.geoNames, component: 'likelihood', description: 'noise scale per geo' }
    : { name: 'sigma', shape: [], support: POSITIVE, prior: prior('sigma'), elementNames: ['sigma'], component: 'likelihood', description: 'noise scale' };
  const rows: MmmParameter[] = [sigma];
  if (config.likelihood === 'studentT') rows.push({ name: 'nu', shape: [], support: POSITIVE, prior: prior('nu'), elementNames: ['nu'], component: 'likelihood', description: 'Student-t degrees of freedom' });
  return rows;
}

/** Geo g's noise scale at one draw: sigma[g] with one per geo (config sigmaByGeo), else the shared sigma. */
export function geoSigma(values: Readonly<Record<string, ArrayLike<number>>>, g: number): number {
  const sigma = values.sigma;
  return sigma.length > 1 ? sigma[g] : sigma[0];
}

/** log p(y | mu, sigma (, nu)) of one observation, float64. */
export function kpiLogDensity(config: MmmModelConfig, y: number, mu: number, sigma: number, nu?: number): number {
  const z = (y - mu) / sigma;
  if (config.likelihood === 'normal') return -0.5 * z * z - Math.log(sigma) - LOG_SQRT_2PI;
  const df = nu as number;
  return logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - Math.log(sigma) - ((df + 1) / 2) * Math.log1p((z * z) / df);
}

/** The KPI and its holdout mask, laid out for the kernel. */
export interface KpiData {
  readonly kpi: Float64Array;
  /** [N] 1 where the KPI enters the likelihood. */
  readonly observed: Uint8Array;
  /** Observed periods per geo [G]. */
  readonly observedCount: Float64Array;
}

export function kpiData(design: MmmDesign): KpiData {
  const { geos: G, periods: T } = designDims(design);
  const N = G * T;
  const observed = new Uint8Array(N);
  const observedCount = new Float64Array(G);
  for (let n = 0; n < N; n++) {
    observed[n] = design.observed ? (design.observed[n] !== 0 ? 1 : 0) : 1;
    observedCount[Math.floor(n / T)] += observed[n];
  }
  return { kpi: Float64Array.from(design.kpi), observed, observedCount };
}

export class LikelihoodBlock {
  private readonly data: KpiData;
  private readonly studentT: boolean;
  private readonly byGeo: boolean;
  private readonly iSigma: number;
  private readonly iNu: number;
  private score = new Float64Array(0); // [B, N]: d ll_g / d mu
  private sigmaScore = new Float64Array(0); // [B, G]
  private nuScore = new Float64Array(0); // [B, G]
  private B = 0;

  constructor(design: MmmDesign, config: MmmModelConfig, private readonly params: KernelParameters, private readonly geos: number, private readonly periods: number) {
    this.data = kpiData(design);
    this.studentT = config.likelihood === 'studentT';
    this.byGeo = config.sigmaByGeo === true;
    this.iSigma = params.indexOf('sigma');
    this.iNu = params.indexOf('nu');
  }

  resize(chains: number): void {
    if (chains === this.B) return;
    this.B = chains;
    this.score = new Float64Array(chains * this.geos * this.periods);
    this.sigmaScore = new Float64Array(chains * this.geos);
    this.nuScore = new Float64Array(this.studentT ? chains * this.geos : 0);
  }

  /** Per-geo log likelihood of chain b at the mean [N], into out[outBase + g]. */
  forward(b: number, mean: Float64Array, out: Float64Array, outBase: number): void {
    const { geos: G, periods: T } = this;
    const N = G * T;
    const { kpi, observed, observedCount } = this.data;
    const scores = this.score;
    const sigma = this.params.value(this.iSigma, b, 0);
    let logSigma = Math.log(sigma);
    let inverseSigma = 1 / sigma;
    if (!this.studentT) {
      for (let g = 0; g < G; g++) {
        if (this.byGeo) {
          const sigmaG = this.params.value(this.iSigma, b, g);
          logSigma = Math.log(sigmaG);
          inverseSigma = 1 / sigmaG;
        }
        const sumSquares = normalScoreRows(kpi, mean, observed, scores, b * N, g * T, T, inverseSigma);
        const count = observedCount[g];
        out[outBase + g] = -0.5 * sumSquares - count * (logSigma + LOG_SQRT_2PI);
        this.sigmaScore[b * G + g] = (sumSquares - count) * inverseSigma;
      }
      return;
    }
    const nu = this.params.value(this.iNu, b, 0);
    const perObservationShared = logGamma(0.5 * (nu + 1)) - logGamma(0.5 * nu) - 0.5 * Math.log(nu * Math.PI);
    let perObservation = perObservationShared - logSigma;
    const perObservationNu = 0.5 * (digamma(0.5 * (nu + 1)) - digamma(0.5 * nu) - 1 / nu);
    for (let g = 0; g < G; g++) {
      if (this.byGeo) {
        const sigmaG = this.params.value(this.iSigma, b, g);
        inverseSigma = 1 / sigmaG;
        perObservation = perObservationShared - Math.log(sigmaG);
      }
      let kernel = 0;
      let sigmaSum = 0;
      let nuSum = 0;
      for (let n = g * T; n < (g + 1) * T; n++) {
        if (observed[n] === 0) {
          scores[b * N + n] = 0;
          continue;
        }
        const z = (kpi[n] - mean[n]) * inverseSigma;
        const z2 = z * z;
        const logTerm = Math.log1p(z2 / nu);
        kernel += logTerm;
        const ratio = (nu + 1) / (nu + z2);
        scores[b * N + n] = ratio * z * inverseSigma;
        sigmaSum += ratio * z2;
        nuSum += z2 / (nu + z2);
      }
      const count = observedCount[g];
      out[outBase + g] = -0.5 * (nu + 1) * kernel + count * perObservation;
      this.sigmaScore[b * G + g] = (sigmaSum - count) * inverseSigma;
      this.nuScore[b * G + g] = -0.5 * kernel + ((nu + 1) / (2 * nu)) * nuSum + count * perObservationNu;
    }
  }

  /**
   * Backward of chain b for upstream dy[dyBase + g] per geo: writes the mean's bar [N] and its per-geo
   * sums geoBar [G], and the gradients of sigma (and nu).
   */
  backward(b: number, dy: ArrayLike<number>, dyBase: number, meanBar: Float64Array, geoBar: Float64Array): void {
    const { geos: G, periods: T } = this;
    const N = G * T;
    const p = this.params;
    let sigmaBar = 0;
    let nuBar = 0;
    for (let g = 0; g < G; g++) {
      const upstream = dy[dyBase + g];
      if (this.byGeo) p.grad[p.at(this.iSigma, b, g)] = upstream * this.sigmaScore[b * G + g];
      else sigmaBar += upstream * this.sigmaScore[b * G + g];
      if (this.studentT) nuBar += upstream * this.nuScore[b * G + g];
      geoBar[g] = scaleRows(this.score, b * N + g * T, meanBar, g * T, T, upstream);
    }
    if (!this.byGeo) p.grad[p.at(this.iSigma, b, 0)] = sigmaBar;
    if (this.studentT) p.grad[p.at(this.iNu, b, 0)] = nuBar;
  }
}

/** Normal scores (y - mu) / sigma^2 of one geo's rows (0 where not observed); returns sum z^2. */
function normalScoreRows(
  kpi: Float64Array, mean: Float64Array, observed: Uint8Array, scores: Float64Array, scoreBase: number,
  first: number, count: number, inverseSigma: number,
): number {
  let sumSquares = 0;
  for (let n = first; n < first + count; n++) {
    if (observed[n] === 0) {
      scores[scoreBase + n] = 0;
      continue;
    }
    const z = (kpi[n] - mean[n]) * inverseSigma;
    sumSquares += z * z;
    scores[scoreBase + n] = z * inverseSigma;
  }
  return sumSquares;
}
