/**
 * Pointwise log-likelihood of the KPI observations, per posterior draw: the input of PSIS-LOO and
 * of holdout scores (Vehtari, Gelman & Gabry 2017, "Practical Bayesian model evaluation using
 * leave-one-out cross-validation and WAIC"). One observation is one (geo, period) cell:
 *
 *   log p(y_gt | theta_s) = log Normal(y_gt | mu_gt(theta_s), sigma_s)            (likelihood "normal")
 *                         = log StudentT(y_gt | nu_s, mu_gt(theta_s), sigma_s)    (likelihood "studentT")
 *
 * with mu from the float64 host model (models/mmm/hostModel.ts `meanKpiHost`), exactly the terms of
 * the model's likelihood (models/mmm/referenceDensity.ts). The model works on the scaled KPI
 * y / kpiUnit[g]; the values here are densities of the KPI in original units, i.e. the scaled
 * density minus log kpiUnit[g] (change of variables), so runs that scale differently (e.g. with and
 * without population scaling) are compared on the same footing. Lift-test terms (config
 * `experiments`) are not KPI observations and are not included.
 *
 * Cells held out of the likelihood (the design's `observed` mask, a time-ordered holdout) are kept
 * apart: `fitted` has the cells the model saw, `holdout` the held-out ones, both observation-major
 * [cells, draws] with all draws (chain-major) unless `maxDraws` thins them.
 */
import { designDims, geoSigma, meanKpiHost, type MmmModelConfig, type MmmDesign } from '../../models/mmm/index.js';
import { pointwiseLpd, sumWithSe, type LogLikMatrix } from '../diagnostics/index.js';
import { logGamma } from '../distributions/index.js';
import type { Posterior } from '../ppl/index.js';
import { drawAt, selectDraws } from './drawSummary.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Log-likelihood of a set of cells: `cells[i]` is the geo-major cell index g * T + t of row i of `matrix`. */
export interface CellLogLik {
  readonly cells: Int32Array;
  readonly matrix: LogLikMatrix;
}

export interface KpiLogLikelihood {
  readonly likelihood: 'normal' | 'studentT';
  /** Pooled draw indices used (chain-major), see drawSummary.ts `selectDraws`. */
  readonly drawIndices: Int32Array;
  /** Cells that entered the likelihood. */
  readonly fitted: CellLogLik;
  /** Held-out cells (none without a holdout). */
  readonly holdout: CellLogLik;
}

export interface LogLikelihoodOptions {
  /** Use at most this many draws, evenly thinned (default: all, as PSIS-LOO wants). */
  readonly maxDraws?: number;
}

/** Pointwise log-likelihood of the KPI per draw, fitted and held-out cells apart. */
export function kpiLogLikelihood(design: MmmDesign, config: MmmModelConfig, posterior: Posterior, options: LogLikelihoodOptions = {}): KpiLogLikelihood {
  const { geos: G, periods: T } = designDims(design);
  const drawIndices = selectDraws(posterior, options.maxDraws);
  const S = drawIndices.length;
  // All draws, chain-major: PSIS-LOO can use each observation's relative efficiency.
  const chains = S === posterior.chains * posterior.drawsPerChain ? posterior.chains : undefined;
  const fittedCells: number[] = [];
  const holdoutCells: number[] = [];
  for (let n = 0; n < G * T; n++) (design.observed && design.observed[n] === 0 ? holdoutCells : fittedCells).push(n);
  const fitted = new Float64Array(fittedCells.length * S);
  const holdout = new Float64Array(holdoutCells.length * S);
  const row = new Int32Array(G * T); // cell -> row in its matrix
  fittedCells.forEach((n, i) => (row[n] = i));
  holdoutCells.forEach((n, i) => (row[n] = i));
  const isHeld = (n: number) => design.observed !== undefined && design.observed[n] === 0;
  const logUnit = Float64Array.from(design.kpiUnit, (u) => Math.log(u));
  for (let s = 0; s < S; s++) {
    const values = drawAt(posterior, drawIndices[s]);
    const mean = meanKpiHost(design, config, values);
    let studentConstant = 0;
    let nu = NaN;
    if (config.likelihood === 'studentT') {
      nu = values.nu[0];
      studentConstant = logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(nu * Math.PI);
    }
    for (let n = 0; n < G * T; n++) {
      // sigma of the cell's geo (one per geo with model config sigmaByGeo)
      const sigma = geoSigma(values, Math.floor(n / T));
      const logSigma = Math.log(sigma);
      const z = (design.kpi[n] - mean[n]) / sigma;
      const scaled = config.likelihood === 'normal' ? -0.5 * z * z - logSigma - LOG_SQRT_2PI : studentConstant - logSigma - ((nu + 1) / 2) * Math.log1p((z * z) / nu);
      const value = scaled - logUnit[Math.floor(n / T)];
      (isHeld(n) ? holdout : fitted)[row[n] * S + s] = value;
    }
  }
  return {
    likelihood: config.likelihood,
    drawIndices,
    fitted: { cells: Int32Array.from(fittedCells), matrix: { observations: fittedCells.length, draws: S, values: fitted, chains } },
    holdout: { cells: Int32Array.from(holdoutCells), matrix: { observations: holdoutCells.length, draws: S, values: holdout, chains } },
  };
}

/** Log pointwise predictive density of held-out cells (Vehtari, Gelman & Gabry 2017, elpd on new data). */
export interface HoldoutLpd {
  readonly observations: number;
  /** sum_i log mean_s p(y_i | theta_s) over held-out cells. */
  readonly lpd: number;
  /** sqrt(n var_i(lpd_i)). */
  readonly se: number;
  /** lpd / observations. */
  readonly lpdPerObservation: number;
  /** Per held-out cell (same order as the holdout matrix). */
  readonly pointwise: Float64Array;
}

/** The holdout's log pointwise predictive density, or undefined without held-out cells. */
export function holdoutLpd(logLik: KpiLogLikelihood): HoldoutLpd | undefined {
  const matrix = logLik.holdout.matrix;
  if (matrix.observations === 0) return undefined;
  const pointwise = pointwiseLpd(matrix);
  const { sum, se } = sumWithSe(pointwise);
  return { observations: matrix.observations, lpd: sum, se, lpdPerObservation: sum / matrix.observations, pointwise };
}
