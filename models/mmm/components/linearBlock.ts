/**
 * The linear-Gaussian block of the geo MMM integrated out (collapsed): given the media term M and
 * the scales sigma, sigma_tau, the geo intercepts tau_g = tau0 + sigma_tau v_g and the linear terms'
 * coefficients (trend delta or knot values, Fourier phi, controls gamma, events xi) enter the mean linearly with
 * Gaussian priors, so the marginal likelihood of the KPI is Gaussian in closed form and the block
 * is drawn exactly from its conditional for every kept draw (collapsed Gibbs / Rao-Blackwell: the
 * joint posterior is unchanged). shared/notes/perf-techniques.md, section 2; Stan's
 * mmm_collapsed.stan is the same density.
 *
 * Block b = (tau_1..tau_G | tau0, c_lin), shared part q = (tau0, c_lin) of size Q. With y - M = X b + eps,
 * eps ~ N(0, sigma^2) on the observed cells, prior b ~ N(b0, Lambda0^-1):
 *   A  = Lambda0 + X^T X / sigma^2,   c = Lambda0 b0 + X^T (y - M) / sigma^2,   b_hat = A^-1 c
 *   log p(y | M, sigma, sigma_tau) = -n/2 log 2 pi - n log sigma - |y - M|^2 / (2 sigma^2) - b0^T Lambda0 b0 / 2
 *                                   + log|Lambda0| / 2 - log|A| / 2 + c^T b_hat / 2
 * (n observed cells). Lambda0: tau0 ~ N(m0, s0^2), tau_g ~ N(tau0, sigma_tau^2) (precision
 * 1/s0^2 + G/sigma_tau^2 on tau0, -1/sigma_tau^2 between tau0 and tau_g, 1/sigma_tau^2 on tau_g,
 * log|Lambda0| = -2 log s0 - 2 G log sigma_tau), c_lin,j ~ N(loc_j, scale_j^2). Every geo has its own
 * rows, so A's geo block is diagonal, a_g = n_g / sigma^2 + 1/sigma_tau^2: the geos are eliminated in
 * closed form and only the Q x Q Schur complement S = A_qq - A_qG diag(1/a) A_Gq is factored (O(G Q^2 + Q^3)).
 * With one geo there is no geo block and tau0 is the intercept (a column of ones).
 *
 * Gradient (Fisher's identity: the gradient of the marginal is the conditional mean of the joint's):
 *   d/dM = e / sigma^2 on observed cells, e = y - M - X b_hat (the media block's backward is unchanged);
 *   d/dsigma = -n/sigma + (e^T e + sigma^2 (p - tr(A^-1 Lambda0))) / sigma^3, p = block size;
 *   d/dsigma_tau = -G/sigma_tau + (sum_g (tau_hat_g - tau0_hat)^2 + t) / sigma_tau^3,
 *     t = sum_g [A^-1(g,g) - 2 A^-1(g,0) + A^-1(0,0)].
 * Exact draw: q ~ N(S^-1 r_q, S^-1) by q = q_hat + L^-T xi (S = L L^T), then tau_g | q ~
 * N((c_g - A_gq q) / a_g, 1 / a_g) independently.
 *
 * Two structure options keep this form (Meridian's, shared/notes/anchors.md section 1):
 * - Fixed geo intercepts around a baseline geo (config geo.intercept 'fixed'): tau0 is the baseline
 *   geo's intercept, a column of ones on every cell, and the geo variables are the offsets d_k of
 *   the other geos (an indicator column on their cells) with independent priors N(l_k, s_k^2): Lambda0
 *   is diagonal (its log determinant and b0^T Lambda0 b0 constant), a_k = n_g / sigma^2 + 1/s_k^2,
 *   c_k = l_k / s_k^2 + (geo g's residual sum) / sigma^2, and A_kq holds the geo's column sums, the
 *   ones column's included (n_g / sigma^2); there is no sigma_tau.
 * - One sigma per geo (config sigmaByGeo): the noise covariance is W^-1 = diag(sigma_g^2) on geo g's
 *   cells, and every X^T X / sigma^2, X^T e0 / sigma^2 and |e0|^2 / sigma^2 above is the weighted
 *   X^T W X, X^T W e0, e0^T W e0 (weighted normal equations): the shared Gram is sum_g w_g Gram_g
 *   over per-geo Grams (formed per evaluation, O(G Q^2), the same order as the elimination), the
 *   per-period residual sums are weighted, a geo's entries use its own w_g, and -n log sigma is
 *   -sum_g n_g log sigma_g. Fisher's identity per geo:
 *     d/dsigma_g = -n_g / sigma_g + (|e_g|^2 + tr(X_g A^-1 X_g^T)) / sigma_g^3,
 *   e_g the fitted residual on geo g's cells, X_g^T X_g = [[n_g, s_g^T], [s_g, Gram_g]] on (the geo's
 *   variable k, q) with s_g its column sums: tr = n_g A^-1(k,k) + 2 s_g . A^-1(k,q) + <Gram_g, S^-1>,
 *   A^-1(k,q) = -(S^-1 u_k)^T / a_k (the geo's own entries absent for the baseline geo).
 *
 * Geo-varying controls or treatments (config geo.controls / geo.treatments 'hierarchical'; Meridian's
 * gamma_gc = gamma_c + xi_c z_gc) generalize the geo variables: geo g's coefficient gamma[g,h] of each
 * of the H geo-varying columns is a geo variable of its own (the column on the geo's cells, prior
 * N(gamma_h, sd_h^2) with gamma_h shared, a zero column and its own normal prior), exactly as tau_g
 * around tau0. Each geo then has P_g = (its intercept variable) + H variables with a dense P_g x P_g
 * block A_gg = w_g X_g^T X_g + diag(prior precisions) (still no coupling between geos), which is
 * inverted (Cholesky) and eliminated: S = A_qq - sum_g A_qg A_gg^-1 A_gq, and per geo
 *   A^-1(g,q) = -A_gg^-1 A_gq S^-1,   A^-1(g,g) = A_gg^-1 + A_gg^-1 A_gq S^-1 A_qg A_gg^-1,
 * log|A| = sum_g log|A_gg| + log|S|, log|Lambda0| gains -2 G log sd_h per column. The sd of column h
 * has the score of sigma_tau's form (Fisher's identity),
 *   d/dsd_h = -G/sd_h + sum_g [(gamma_hat[g,h] - gamma_hat_h)^2 + A^-1(gh,gh) - 2 A^-1(gh,h) + A^-1(h,h)] / sd_h^3,
 * tr(A^-1 Lambda0) gains sum_g (A^-1(gh,gh) - 2 A^-1(gh,h) + A^-1(h,h)) / sd_h^2, and with one sigma per
 * geo tr(X_g A^-1 X_g^T) = <X_g,loc^T X_g,loc, A^-1(g,g)> + 2 <X_g,loc^T X_q, A^-1(g,q)> + <Gram_g, S^-1>.
 * The draw takes q first, then each geo's variables from N(A_gg^-1 (c_g - A_gq q), A_gg^-1). Cost per
 * evaluation: O(G (P^3 + P^2 Q + P Q^2)) for the elimination and the scores instead of O(G Q^2), with
 * P = 1 + H and Q including the H means; the data pass is unchanged (the geo-varying columns' dot
 * products run per geo, T cells each, instead of once over N).
 */
import { choleskyInto, inverseFromCholesky, logDeterminantFromCholesky, solveCholesky, solveLowerTransposed } from '../../../src/linalg/index.js';
import type { Rng } from '../../../src/tensor/index.js';
import type { MmmModelConfig } from '../config.js';
import { designDims, type MmmDesign } from '../design.js';
import { kpiData, type KpiData } from './likelihood.js';
import type { LinearTerm } from './linearTerms.js';
import type { KernelParameters } from '../kernel/parameters.js';
import { addScaled, dot, scaleInto } from '../kernel/rows.js';
import type { MmmParameter } from './types.js';

const LOG_2PI = Math.log(2 * Math.PI);

/** The names of the parameters the block integrates out. */
export const LINEAR_BLOCK_PARAMETERS = ['tau0', 'v', 'tau', 'tau_offset', 'delta', 'knot', 'phi', 'gamma', 'xi', 'treatment', 'gamma_dev', 'treatment_dev'] as const;

/** Why the block cannot be integrated out under this config, or undefined when it can. */
export function linearBlockObstacle(config: MmmModelConfig, table: readonly MmmParameter[]): string | undefined {
  if (config.likelihood !== 'normal') return `the likelihood is ${config.likelihood}, not normal`;
  for (const row of table) {
    if (!(LINEAR_BLOCK_PARAMETERS as readonly string[]).includes(row.name) || row.prior.kind !== 'config') continue;
    if (row.prior.spec.dist !== 'normal') return `the prior of ${row.name} is ${row.prior.spec.dist}, not normal`;
  }
  return undefined;
}

/** Whether the model integrates the block out: config.linearBlock ('auto' by default) against the obstacle. */
export function integratesLinearBlock(config: MmmModelConfig, table: readonly MmmParameter[]): { readonly integrate: boolean; readonly reason?: string } {
  const mode = config.linearBlock ?? 'auto';
  if (mode === 'sample') return { integrate: false, reason: 'model.linearBlock is "sample"' };
  const obstacle = linearBlockObstacle(config, table);
  if (mode === 'integrate' && obstacle) throw new Error(`model config: model.linearBlock "integrate": the linear block cannot be integrated out: ${obstacle}`);
  return obstacle ? { integrate: false, reason: obstacle } : { integrate: true };
}

/** Per-evaluation results, sized once. */
export class LinearBlockState {
  /** log marginal likelihood (normalized). */
  logDensity = 0;
  /** Derivatives of the log marginal in sigma and sigma_tau (set by `LinearBlock.scores`). */
  sigmaScore = 0;
  sigmaTauScore = 0;
  /** With one sigma per geo: the derivatives in sigma_g [G]. */
  readonly sigmaScores: Float64Array;
  /** Geo-varying coefficients: the derivatives in their geo sds [H] (gamma_sd, treatment_sd in term order). */
  readonly scaleScores: Float64Array;
  /** Per geo: the noise precision w_g = 1 / sigma_g^2 (the shared one repeated without sigmaByGeo), and sigma_g. */
  readonly weights: Float64Array;
  readonly sigmas: Float64Array;
  /** Per geo: the fitted residual's sum of squares (one sigma per geo). */
  readonly geoSquares: Float64Array;
  /** Posterior mean: the geo variables [L] (per geo: its intercept variable, then its geo-varying coefficients) and shared [Q]. */
  readonly localMean: Float64Array;
  readonly sharedMean: Float64Array;
  /**
   * The conditional's pieces for the draw and the scores: per geo its block's precision A_gg, inverse
   * and Cholesky factor [P_g^2 each, concatenated], the right-hand side c_g [L], the coupling A_gq
   * [L, Q]; the Schur complement and its factor, the prior precision of each geo-variable group (1 /
   * sigma_tau^2, then 1 / sd^2 per geo-varying coefficient) and the sds.
   */
  readonly localPrecision: Float64Array;
  readonly localInverse: Float64Array;
  readonly localFactor: Float64Array;
  readonly rhsLocal: Float64Array;
  readonly coupling: Float64Array;
  readonly groupPrecision: Float64Array;
  readonly groupScale: Float64Array;
  readonly schur: Float64Array;
  readonly schurFactor: Float64Array;
  readonly schurInverse: Float64Array;
  readonly rhsShared: Float64Array;
  /** Scratch: length Q (a solve, the draw's normals), [P, Q] twice (A_gg^-1 A_gq, A_gq S^-1, A^-1_gq), [P, P] three times, length P. */
  readonly column: Float64Array;
  readonly scratch: Float64Array;
  readonly localByShared: Float64Array;
  readonly localByShared2: Float64Array;
  readonly localSquare: Float64Array;
  readonly localSquare2: Float64Array;
  readonly localSquare3: Float64Array;
  readonly localVector: Float64Array;
  /** [N] the residual e0 = y - M on the observed cells, 0 elsewhere. */
  readonly residual: Float64Array;
  sigma = 0;
  sigmaTau = 0;

  constructor(geos: number, localTotal: number, localSquares: number, maxLocal: number, groups: number, shared: number, cells: number) {
    this.sigmaScores = new Float64Array(geos);
    this.scaleScores = new Float64Array(Math.max(0, groups - 1));
    this.weights = new Float64Array(geos);
    this.sigmas = new Float64Array(geos);
    this.geoSquares = new Float64Array(geos);
    this.localMean = new Float64Array(localTotal);
    this.localPrecision = new Float64Array(localSquares);
    this.localInverse = new Float64Array(localSquares);
    this.localFactor = new Float64Array(localSquares);
    this.rhsLocal = new Float64Array(localTotal);
    this.coupling = new Float64Array(localTotal * shared);
    this.groupPrecision = new Float64Array(groups);
    this.groupScale = new Float64Array(groups);
    this.sharedMean = new Float64Array(shared);
    this.schur = new Float64Array(shared * shared);
    this.schurFactor = new Float64Array(shared * shared);
    this.schurInverse = new Float64Array(shared * shared);
    this.rhsShared = new Float64Array(shared);
    this.column = new Float64Array(Math.max(shared, maxLocal));
    this.scratch = new Float64Array(shared);
    this.localByShared = new Float64Array(maxLocal * shared);
    this.localByShared2 = new Float64Array(maxLocal * shared);
    this.localSquare = new Float64Array(maxLocal * maxLocal);
    this.localSquare2 = new Float64Array(maxLocal * maxLocal);
    this.localSquare3 = new Float64Array(maxLocal * maxLocal);
    this.localVector = new Float64Array(maxLocal);
    this.residual = new Float64Array(cells);
  }
}

/** A geo-varying cell term of the block: its coefficients' place among the geo-varying columns and its sd's name. */
export interface VaryingTerm {
  readonly parameter: string;
  readonly sd: string;
  readonly width: number;
}

export class LinearBlock {
  readonly geos: number;
  readonly periods: number;
  /** Hierarchical geo intercepts (tau_g ~ N(tau0, sigma_tau), more than one geo). */
  readonly hierarchical: boolean;
  /** Fixed geo intercepts around a baseline geo (the geo variables are the offsets). */
  readonly fixed: boolean;
  /** One sigma per geo (weighted normal equations). */
  readonly byGeo: boolean;
  /** The geo of each intercept variable [K] (hierarchical: every geo; fixed: every geo but the baseline), and each geo's variable or -1 [G]. */
  readonly geoVariables: Int32Array;
  private readonly variableOf: Int32Array;
  /** The geo-varying cell terms (their means are shared, their geo coefficients geo variables), and their total width H. */
  readonly varyingTerms: readonly VaryingTerm[];
  readonly varyingWidth: number;
  /** Per geo: where its variables start in the geo part [G + 1], and where its block's P_g x P_g matrices start [G]. */
  private readonly localStart: Int32Array;
  private readonly squareStart: Int32Array;
  /** Per geo variable l: the shared index of its hierarchical prior mean (-1: fixed offset), its group (0 sigma_tau, 1 + h the h-th geo-varying coefficient; -1 fixed), its column (-1 the intercept, h). */
  private readonly localMeanIndex: Int32Array;
  private readonly localGroup: Int32Array;
  private readonly localColumn: Int32Array;
  /** Fixed offsets' prior mean and precision per geo variable (0 for the others). */
  private readonly localPriorMean: Float64Array;
  private readonly localPriorPrecision: Float64Array;
  /** How many geo variables each group has. */
  private readonly groupCount: Float64Array;
  /** Size of the shared part (tau0, time and pooled cell coefficients, the geo-varying coefficients' means). */
  readonly shared: number;
  /** The whole block's size. */
  readonly size: number;
  readonly data: KpiData;
  /** Observed cells. */
  readonly observedTotal: number;
  /** Whether tau0's column is ones on every cell (one geo, or fixed intercepts) rather than 0 (hierarchical: tau0 enters through the prior). */
  private readonly interceptColumn: boolean;
  /** Shared columns: time [T, timeWidth] (time terms side by side) and pooled cell [cellWidth, N] (column-major, for the row loops); geo-varying [H, N]. */
  private readonly timeColumns: Float64Array;
  private readonly cellColumns: Float64Array;
  private readonly varyingColumns: Float64Array;
  private readonly timeWidth: number;
  private readonly cellWidth: number;
  /** Offset of the time, pooled cell and geo-varying means' coefficients in the shared part. */
  private readonly timeOffset: number;
  private readonly cellOffset: number;
  private readonly varyingOffset: number;
  /** Per geo: observed count n_g. */
  private readonly geoCount: Float64Array;
  /** Per geo variable: its column times each shared column summed over its geo's observed cells [L, Q]; per geo: its variables' Gram [P_g^2]. */
  private readonly localShared: Float64Array;
  private readonly localGram: Float64Array;
  /** X_q^T X_q over the observed cells [Q, Q] (with the intercept column of ones when G = 1 or fixed). */
  private readonly gram: Float64Array;
  /** With one sigma per geo: each geo's part of the Gram [G, Q, Q]. */
  private readonly geoGram: Float64Array;
  /** Prior of the shared part: mean and precision per element (tau0: m0, 1/s0^2). */
  private readonly priorMean: Float64Array;
  private readonly priorPrecision: Float64Array;
  /** Constant part of the log marginal: -n/2 log 2 pi - b0^T Lambda0 b0 / 2 + log s-terms of |Lambda0|. */
  private readonly constant: number;
  /** Per-evaluation scratch. */
  private readonly geoResidualSums: Float64Array;
  private readonly sharedResidualSums: Float64Array;
  private readonly timeResidual: Float64Array;
  private readonly season: Float64Array;
  private readonly cellFit: Float64Array;
  private readonly maxLocal: number;

  /**
   * `terms` are the linear terms in table order; `table` the parameter table, whose rows give the
   * priors of tau0, the offsets (fixed intercepts) and each term's coefficients (all normal:
   * linearBlockObstacle), the offsets' geos, and sigma's shape ([G]: one per geo).
   */
  constructor(design: MmmDesign, terms: readonly LinearTerm[], table: readonly MmmParameter[]) {
    const { geos: G, periods: T } = designDims(design);
    const N = G * T;
    this.geos = G;
    this.periods = T;
    const offsetRow = table.find((p) => p.name === 'tau_offset');
    this.fixed = G > 1 && offsetRow !== undefined;
    this.hierarchical = G > 1 && !this.fixed;
    this.byGeo = (table.find((p) => p.name === 'sigma')?.shape.length ?? 0) > 0;
    this.interceptColumn = !this.hierarchical;
    const variableGeos = this.hierarchical ? design.geoNames.map((_, g) => g) : this.fixed ? (offsetRow as MmmParameter).elementNames.map((name) => design.geoNames.indexOf(name)) : [];
    this.geoVariables = Int32Array.from(variableGeos);
    this.variableOf = new Int32Array(G).fill(-1);
    variableGeos.forEach((g, k) => (this.variableOf[g] = k));
    const K = variableGeos.length;
    this.data = kpiData(design);
    const { observed } = this.data;
    this.observedTotal = this.data.observedCount.reduce((a, b) => a + b, 0);
    const time = terms.filter((t) => t.scope === 'time');
    const cell = terms.filter((t) => t.scope === 'cell' && !t.geoVarying);
    const varying = terms.filter((t) => t.scope === 'cell' && t.geoVarying);
    this.varyingTerms = varying.map((t) => ({ parameter: t.parameter, sd: (t.geoVarying as NonNullable<LinearTerm['geoVarying']>).sd, width: t.width }));
    const H = varying.reduce((n, t) => n + t.width, 0);
    this.varyingWidth = H;
    this.timeWidth = time.reduce((n, t) => n + t.width, 0);
    this.cellWidth = cell.reduce((n, t) => n + t.width, 0);
    this.timeOffset = 1;
    this.cellOffset = 1 + this.timeWidth;
    this.varyingOffset = this.cellOffset + this.cellWidth;
    const Q = this.varyingOffset + H;
    this.shared = Q;
    // the geo variables: per geo its intercept variable (if any), then its H geo-varying coefficients
    this.localStart = new Int32Array(G + 1);
    this.squareStart = new Int32Array(G);
    let squares = 0;
    let maxLocal = 0;
    for (let g = 0; g < G; g++) {
      const P = (this.variableOf[g] >= 0 ? 1 : 0) + H;
      this.localStart[g + 1] = this.localStart[g] + P;
      this.squareStart[g] = squares;
      squares += P * P;
      maxLocal = Math.max(maxLocal, P);
    }
    this.maxLocal = maxLocal;
    const L = this.localStart[G];
    this.size = L + Q;
    this.localMeanIndex = new Int32Array(L).fill(-1);
    this.localGroup = new Int32Array(L).fill(-1);
    this.localColumn = new Int32Array(L).fill(-1);
    this.localPriorMean = new Float64Array(L);
    this.localPriorPrecision = new Float64Array(L);
    this.groupCount = new Float64Array(1 + H);
    for (let g = 0; g < G; g++) {
      let l = this.localStart[g];
      if (this.variableOf[g] >= 0) {
        if (this.hierarchical) {
          this.localMeanIndex[l] = 0;
          this.localGroup[l] = 0;
          this.groupCount[0]++;
        }
        l++;
      }
      for (let h = 0; h < H; h++, l++) {
        this.localMeanIndex[l] = this.varyingOffset + h;
        this.localGroup[l] = 1 + h;
        this.localColumn[l] = h;
        this.groupCount[1 + h]++;
      }
    }
    this.timeColumns = new Float64Array(T * this.timeWidth);
    for (let t = 0; t < T; t++) {
      let j = 0;
      for (const term of time) for (let k = 0; k < term.width; k++) this.timeColumns[t * this.timeWidth + j++] = term.columns[t * term.width + k];
    }
    const columnMajor = (group: readonly LinearTerm[], width: number) => {
      const out = new Float64Array(N * width);
      for (let n = 0; n < N; n++) {
        let j = 0;
        for (const term of group) for (let k = 0; k < term.width; k++) out[j++ * N + n] = term.columns[n * term.width + k];
      }
      return out;
    };
    this.cellColumns = columnMajor(cell, this.cellWidth);
    this.varyingColumns = columnMajor(varying, H);
    // data constants over the observed cells
    this.geoCount = Float64Array.from(this.data.observedCount);
    this.localShared = new Float64Array(L * Q);
    this.localGram = new Float64Array(squares);
    this.gram = new Float64Array(Q * Q);
    this.geoGram = new Float64Array(this.byGeo ? G * Q * Q : 0);
    const row = new Float64Array(Q);
    const local = new Float64Array(maxLocal);
    for (let n = 0; n < N; n++) {
      if (observed[n] === 0) continue;
      const g = Math.floor(n / T);
      this.sharedRow(n, n - g * T, row);
      for (let i = 0; i < Q; i++) {
        for (let j = 0; j <= i; j++) this.gram[i * Q + j] += row[i] * row[j];
        if (this.byGeo) for (let j = 0; j <= i; j++) this.geoGram[(g * Q + i) * Q + j] += row[i] * row[j];
      }
      const first = this.localStart[g];
      const P = this.localStart[g + 1] - first;
      for (let l = 0; l < P; l++) local[l] = this.localColumn[first + l] < 0 ? 1 : this.varyingColumns[this.localColumn[first + l] * N + n];
      for (let l = 0; l < P; l++) {
        for (let i = 0; i < Q; i++) this.localShared[(first + l) * Q + i] += local[l] * row[i];
        for (let m = 0; m < P; m++) this.localGram[this.squareStart[g] + l * P + m] += local[l] * local[m];
      }
    }
    for (let i = 0; i < Q; i++) for (let j = 0; j < i; j++) this.gram[j * Q + i] = this.gram[i * Q + j];
    if (this.byGeo) for (let g = 0; g < G; g++) for (let i = 0; i < Q; i++) for (let j = 0; j < i; j++) this.geoGram[(g * Q + j) * Q + i] = this.geoGram[(g * Q + i) * Q + j];
    // the prior of the shared part and of the offsets
    this.priorMean = new Float64Array(Q);
    this.priorPrecision = new Float64Array(Q);
    const spec = (name: string) => {
      const found = table.find((p) => p.name === name);
      if (!found || found.prior.kind !== 'config' || found.prior.spec.dist !== 'normal') throw new Error(`linear block: the prior of "${name}" must be normal`);
      return { row: found, spec: found.prior.spec };
    };
    let constant = -0.5 * this.observedTotal * LOG_2PI;
    const setPrior = (means: Float64Array, precisions: Float64Array, index: number, loc: number, scale: number) => {
      means[index] = loc;
      precisions[index] = 1 / (scale * scale);
      constant += -0.5 * (loc * loc) / (scale * scale) - Math.log(scale);
    };
    const element = (value: unknown, i: number, names: readonly string[]): number => {
      if (typeof value === 'number') return value;
      if (Array.isArray(value)) return value[i];
      return (value as Record<string, number>)[names[i]];
    };
    {
      const { spec: s } = spec('tau0');
      const p = s as { loc: unknown; scale: unknown };
      setPrior(this.priorMean, this.priorPrecision, 0, element(p.loc, 0, ['tau0']), element(p.scale, 0, ['tau0']));
    }
    let offset = 1;
    for (const term of [...time, ...cell, ...varying]) {
      const { row: r, spec: s } = spec(term.parameter);
      const p = s as { loc: unknown; scale: unknown };
      for (let k = 0; k < term.width; k++) setPrior(this.priorMean, this.priorPrecision, offset + k, element(p.loc, k, r.elementNames), element(p.scale, k, r.elementNames));
      offset += term.width;
    }
    if (this.fixed) {
      const { row: r, spec: s } = spec('tau_offset');
      const p = s as { loc: unknown; scale: unknown };
      for (let k = 0; k < K; k++) setPrior(this.localPriorMean, this.localPriorPrecision, this.localStart[variableGeos[k]], element(p.loc, k, r.elementNames), element(p.scale, k, r.elementNames));
    }
    this.constant = constant;
    this.geoResidualSums = new Float64Array(G);
    this.sharedResidualSums = new Float64Array(Q);
    this.timeResidual = new Float64Array(T);
    this.season = new Float64Array(T);
    this.cellFit = new Float64Array(this.cellWidth + H > 0 ? N : 0);
  }

  /** The shared columns of cell n (period t): the intercept column (1 with one geo or fixed intercepts, 0 otherwise), time, pooled cell, 0 for the geo-varying means. */
  private sharedRow(n: number, t: number, out: Float64Array): void {
    out.fill(0);
    out[0] = this.interceptColumn ? 1 : 0;
    for (let j = 0; j < this.timeWidth; j++) out[this.timeOffset + j] = this.timeColumns[t * this.timeWidth + j];
    for (let j = 0; j < this.cellWidth; j++) out[this.cellOffset + j] = this.cellColumns[j * this.geos * this.periods + n];
  }

  newState(): LinearBlockState {
    return new LinearBlockState(this.geos, this.localStart[this.geos], this.localGram.length, this.maxLocal, 1 + this.varyingWidth, this.shared, this.geos * this.periods);
  }

  /**
   * The marginal at residual e0 = y - M ([N], ignored where not observed), sigma (one value, or one
   * per geo with sigmaByGeo), sigma_tau (any value unless hierarchical) and the geo-varying
   * coefficients' sds ([H], `varyingTerms` order): log density and posterior mean into `state` (the
   * gradient's side: `scores`). Returns false when a matrix is not positive definite (then the
   * density is -Infinity).
   */
  evaluate(e0: Float64Array, sigma: ArrayLike<number>, sigmaTau: number, state: LinearBlockState, scales: ArrayLike<number> = []): boolean {
    this.setWeights(sigma, state);
    const residualSquares = this.byGeo
      ? weightedResidualSums(e0, undefined, this.data.observed, state.weights, state.residual, this.geoResidualSums, this.timeResidual, this.geos, this.periods)
      : observedResidualSums(e0, undefined, this.data.observed, state.residual, this.geoResidualSums, this.timeResidual, this.geos, this.periods);
    return this.solve(residualSquares, sigmaTau, scales, state);
  }

  /** `evaluate` at e0 = y - M from the media term M [N] (the kernel's path: the residual and its sums in one pass). */
  evaluateMediaTerm(mediaTerm: Float64Array, sigma: ArrayLike<number>, sigmaTau: number, state: LinearBlockState, scales: ArrayLike<number> = []): boolean {
    this.setWeights(sigma, state);
    const residualSquares = this.byGeo
      ? weightedResidualSums(this.data.kpi, mediaTerm, this.data.observed, state.weights, state.residual, this.geoResidualSums, this.timeResidual, this.geos, this.periods)
      : observedResidualSums(this.data.kpi, mediaTerm, this.data.observed, state.residual, this.geoResidualSums, this.timeResidual, this.geos, this.periods);
    return this.solve(residualSquares, sigmaTau, scales, state);
  }

  /** state.sigma(s) and the per-geo noise precisions w_g from sigma ([1], or [G] with sigmaByGeo). */
  private setWeights(sigma: ArrayLike<number>, state: LinearBlockState): void {
    if (this.byGeo && sigma.length !== this.geos) throw new Error(`linear block: expected ${this.geos} sigmas (one per geo), got ${sigma.length}`);
    state.sigma = sigma[0];
    for (let g = 0; g < this.geos; g++) {
      const s = this.byGeo ? sigma[g] : sigma[0];
      state.sigmas[g] = s;
      state.weights[g] = 1 / (s * s);
    }
  }

  /**
   * The rest of `evaluate`, after the residual's pass: state.residual = e0 (0 where not observed), its
   * per-geo (unweighted) and per-period sums and sum of squares (both weighted by w_g with one sigma
   * per geo), state.weights set. Per geo g with P_g geo variables: its block A_gg = w_g X_g^T X_g +
   * its prior precision (diagonal), inverted (P_g is 1 + H), eliminated into S = A_qq - sum_g A_qg A_gg^-1 A_gq.
   */
  private solve(residualSquares: number, sigmaTau: number, scales: ArrayLike<number>, state: LinearBlockState): boolean {
    // the block's arrays in locals: a field read inside a loop that stores to a typed array is redone on every iteration
    const { geos: G, periods: T, shared: Q, hierarchical, byGeo, gram, priorMean, priorPrecision, timeColumns, timeWidth, timeOffset, localStart, squareStart } = this;
    const H = this.varyingWidth;
    if (scales.length !== H) throw new Error(`linear block: expected ${H} geo sds of the geo-varying coefficients, got ${scales.length}`);
    const weights = state.weights;
    // the factor of the aggregated sums: 1/sigma^2 with one sigma, 1 with one per geo (the weights are in the sums)
    const inverseVariance = byGeo ? 1 : weights[0];
    state.sigmaTau = sigmaTau;
    const groupPrecision = state.groupPrecision;
    state.groupScale[0] = sigmaTau;
    groupPrecision[0] = hierarchical ? 1 / (sigmaTau * sigmaTau) : 0;
    for (let h = 0; h < H; h++) {
      state.groupScale[1 + h] = scales[h];
      groupPrecision[1 + h] = 1 / (scales[h] * scales[h]);
    }
    // X_q^T e0: the cell columns by a dot product each, the time columns from the per-period sums
    const geoSums = this.geoResidualSums;
    const sharedSums = this.sharedResidualSums;
    const timeResidual = this.timeResidual;
    const N = G * T;
    for (let j = 0; j < this.cellWidth; j++) {
      if (!byGeo) sharedSums[this.cellOffset + j] = dot(this.cellColumns, j * N, state.residual, 0, N);
      else {
        let sum = 0;
        for (let g = 0; g < G; g++) sum += weights[g] * dot(this.cellColumns, j * N + g * T, state.residual, g * T, T);
        sharedSums[this.cellOffset + j] = sum;
      }
    }
    for (let h = 0; h < H; h++) sharedSums[this.varyingOffset + h] = 0;
    let total = 0;
    for (let g = 0; g < G; g++) total += byGeo ? weights[g] * geoSums[g] : geoSums[g];
    sharedSums[0] = hierarchical ? 0 : total;
    for (let j = 0; j < timeWidth; j++) {
      let sum = 0;
      for (let t = 0; t < T; t++) sum += timeResidual[t] * timeColumns[t * timeWidth + j];
      sharedSums[timeOffset + j] = sum;
    }
    // the shared right-hand side and the Schur complement S = A_qq - sum_g A_qg A_gg^-1 A_gq
    const { schur, rhsShared, localPrecision, localInverse, rhsLocal, coupling, localMean } = state;
    for (let i = 0; i < Q; i++) {
      rhsShared[i] = priorMean[i] * priorPrecision[i] + sharedSums[i] * inverseVariance;
      if (!byGeo) for (let j = 0; j < Q; j++) schur[i * Q + j] = gram[i * Q + j] * inverseVariance;
    }
    if (byGeo) {
      schur.fill(0);
      const geoGram = this.geoGram;
      for (let g = 0; g < G; g++) {
        const w = weights[g];
        const base = g * Q * Q;
        for (let ij = 0; ij < Q * Q; ij++) schur[ij] += w * geoGram[base + ij];
      }
    }
    for (let i = 0; i < Q; i++) schur[i * Q + i] += priorPrecision[i];
    let logDetA = 0;
    let logDetPrior = 0; // the s-terms of the shared and fixed priors are in `constant`
    const L = localStart[G];
    if (L > 0) {
      for (let h = 0; h < 1 + H; h++) {
        if (this.groupCount[h] === 0) continue;
        logDetPrior -= 2 * this.groupCount[h] * Math.log(state.groupScale[h]);
      }
      const eliminated = state.localByShared;
      for (let g = 0; g < G; g++) {
        const first = localStart[g];
        const P = localStart[g + 1] - first;
        if (P === 0) continue;
        const w = weights[g];
        const square = squareStart[g];
        // A_gg, c_g, A_gq
        for (let l = 0; l < P; l++) {
          const v = first + l;
          const group = this.localGroup[v];
          const precision = group >= 0 ? groupPrecision[group] : this.localPriorPrecision[v];
          for (let m = 0; m < P; m++) localPrecision[square + l * P + m] = w * this.localGram[square + l * P + m];
          localPrecision[square + l * P + l] += precision;
          const column = this.localColumn[v];
          const sum = column < 0 ? geoSums[g] : dot(this.varyingColumns, column * N + g * T, state.residual, g * T, T);
          rhsLocal[v] = (group >= 0 ? 0 : this.localPriorMean[v] * precision) + sum * w;
          for (let i = 0; i < Q; i++) coupling[v * Q + i] = this.localShared[v * Q + i] * w;
          if (group >= 0) {
            const mean = this.localMeanIndex[v];
            coupling[v * Q + mean] -= precision;
            schur[mean * Q + mean] += precision;
          }
        }
        const logDetLocal = this.invertLocal(state, square, P);
        if (Number.isNaN(logDetLocal)) {
          state.logDensity = -Infinity;
          return false;
        }
        logDetA += logDetLocal;
        // eliminated = A_gg^-1 A_gq [P, Q]; S -= A_qg eliminated; r_q -= eliminated^T c_g
        for (let l = 0; l < P; l++) {
          for (let i = 0; i < Q; i++) {
            let sum = 0;
            for (let m = 0; m < P; m++) sum += localInverse[square + l * P + m] * coupling[(first + m) * Q + i];
            eliminated[l * Q + i] = sum;
          }
        }
        for (let l = 0; l < P; l++) {
          const c = rhsLocal[first + l];
          for (let i = 0; i < Q; i++) {
            const ri = eliminated[l * Q + i];
            rhsShared[i] -= ri * c;
            for (let j = 0; j <= i; j++) schur[i * Q + j] -= ri * coupling[(first + l) * Q + j];
          }
        }
      }
      for (let i = 0; i < Q; i++) for (let j = 0; j < i; j++) schur[j * Q + i] = schur[i * Q + j];
    }
    if (!choleskyInto(schur, Q, state.schurFactor)) {
      state.logDensity = -Infinity;
      return false;
    }
    const sharedMean = solveCholesky(state.schurFactor, Q, rhsShared, state.sharedMean);
    // c^T b_hat = c_L . x_L + c_q . x_q, with c_q the shared right-hand side before elimination
    let quadratic = 0;
    logDetA += logDeterminantFromCholesky(state.schurFactor, Q);
    for (let i = 0; i < Q; i++) quadratic += (priorMean[i] * priorPrecision[i] + sharedSums[i] * inverseVariance) * sharedMean[i];
    for (let g = 0; g < G; g++) {
      const first = localStart[g];
      const P = localStart[g + 1] - first;
      if (P === 0) continue;
      this.localConditionalMean(state, g, sharedMean, localMean.subarray(first, first + P));
      for (let l = 0; l < P; l++) quadratic += rhsLocal[first + l] * localMean[first + l];
    }
    let logSigmaTerm: number;
    if (!byGeo) logSigmaTerm = this.observedTotal * Math.log(state.sigma);
    else {
      logSigmaTerm = 0;
      for (let g = 0; g < G; g++) logSigmaTerm += this.geoCount[g] * Math.log(state.sigmas[g]);
    }
    state.logDensity =
      this.constant - logSigmaTerm - 0.5 * residualSquares * inverseVariance + 0.5 * logDetPrior - 0.5 * logDetA + 0.5 * quadratic;
    return true;
  }

  /**
   * Geo block A_gg (at `square`, P x P) of the state: its Cholesky factor and inverse, and log|A_gg|
   * (NaN when not positive definite). Written out at the offset (as src/linalg's choleskyInto and
   * inverseFromCholesky) so that an evaluation allocates nothing.
   */
  private invertLocal(state: LinearBlockState, square: number, P: number): number {
    const { localPrecision: A, localInverse: inverse, localFactor: lower } = state;
    if (P === 1) {
      const a = A[square];
      if (!(a > 0 && Number.isFinite(a))) return Number.NaN;
      inverse[square] = 1 / a;
      lower[square] = Math.sqrt(a);
      return Math.log(a);
    }
    let logDet = 0;
    for (let i = 0; i < P; i++) {
      for (let j = 0; j <= i; j++) {
        let sum = A[square + i * P + j];
        for (let k = 0; k < j; k++) sum -= lower[square + i * P + k] * lower[square + j * P + k];
        if (i === j) {
          if (!(sum > 0 && Number.isFinite(sum))) return Number.NaN;
          lower[square + i * P + i] = Math.sqrt(sum);
          logDet += Math.log(sum);
        } else lower[square + i * P + j] = sum / lower[square + j * P + j];
      }
      for (let j = i + 1; j < P; j++) lower[square + i * P + j] = 0;
    }
    const x = state.column;
    for (let c = 0; c < P; c++) {
      // column c of A^-1: L y = e_c, then L^T x = y
      for (let i = 0; i < P; i++) {
        let sum = i === c ? 1 : 0;
        for (let k = 0; k < i; k++) sum -= lower[square + i * P + k] * x[k];
        x[i] = sum / lower[square + i * P + i];
      }
      for (let i = P - 1; i >= 0; i--) {
        let sum = x[i];
        for (let k = i + 1; k < P; k++) sum -= lower[square + k * P + i] * x[k];
        x[i] = sum / lower[square + i * P + i];
      }
      for (let i = 0; i < P; i++) inverse[square + i * P + c] = x[i];
    }
    return logDet;
  }

  /** Geo g's variables' conditional mean given the shared part q: A_gg^-1 (c_g - A_gq q) into out [P_g]. */
  private localConditionalMean(state: LinearBlockState, g: number, q: Float64Array, out: Float64Array): void {
    const { shared: Q } = this;
    const first = this.localStart[g];
    const P = this.localStart[g + 1] - first;
    const square = this.squareStart[g];
    const r = state.localVector;
    for (let l = 0; l < P; l++) {
      let coupled = 0;
      for (let i = 0; i < Q; i++) coupled += state.coupling[(first + l) * Q + i] * q[i];
      r[l] = state.rhsLocal[first + l] - coupled;
    }
    if (P === 1) {
      out[0] = r[0] / state.localPrecision[square];
      return;
    }
    for (let l = 0; l < P; l++) {
      let sum = 0;
      for (let m = 0; m < P; m++) sum += state.localInverse[square + l * P + m] * r[m];
      out[l] = sum;
    }
  }

  /**
   * The gradient's side of the state's last (successful) evaluation: the mean's bar
   * meanBar[n] = upstream w_g e_n with the fitted residual e = e0 - X b_hat (0 where not observed),
   * and the sigma (or sigma_g), sigma_tau and geo sd scores (module comment) into the state, from the
   * posterior mean and A^-1's entries: per geo, A^-1_gq = -A_gg^-1 A_gq S^-1 and A^-1_gg = A_gg^-1 +
   * A_gg^-1 A_gq S^-1 A_qg A_gg^-1. Kept out of `evaluate` so that the pass over the cells that
   * forms e also writes the bar, and a block draw (which needs no gradient) skips it.
   */
  scores(state: LinearBlockState, upstream: number, meanBar: Float64Array): void {
    const { geos: G, shared: Q, hierarchical, byGeo, priorPrecision, localStart, squareStart, localGram, localShared } = this;
    const H = this.varyingWidth;
    const weights = state.weights;
    const sinv = inverseFromCholesky(state.schurFactor, Q, state.schurInverse, state.column);
    // one sigma per geo: t_g = tr(X_g A^-1 X_g^T), first <Gram_g, S^-1>, the geo variables' part in the loop below
    const traces = state.sigmaScores;
    if (byGeo) {
      const geoGram = this.geoGram;
      for (let g = 0; g < G; g++) {
        let sum = 0;
        const base = g * Q * Q;
        for (let ij = 0; ij < Q * Q; ij++) sum += geoGram[base + ij] * sinv[ij];
        traces[g] = sum;
      }
    }
    // tr(A^-1 Lambda0), and per group sum_l E[(x_l - q_m)^2] = squares + traces
    let traceLambda = 0;
    for (let i = 0; i < Q; i++) traceLambda += sinv[i * Q + i] * priorPrecision[i];
    const groupSquares = state.scaleScores; // [H]: the coefficient groups' sums, turned into scores below
    groupSquares.fill(0);
    let tauSum = 0;
    const { coupling, localInverse, localMean, sharedMean, groupPrecision } = state;
    const W = state.localByShared; // A_gq S^-1 [P, Q]
    const inverseGQ = state.localByShared2; // A^-1_gq [P, Q]
    const M = state.localSquare; // A_gq S^-1 A_qg [P, P]
    const inverseGG = state.localSquare2; // A^-1_gg [P, P]
    const product = state.localSquare3; // M A_gg^-1 [P, P]
    for (let g = 0; g < G; g++) {
      const first = localStart[g];
      const P = localStart[g + 1] - first;
      if (P === 0) continue;
      const square = squareStart[g];
      for (let l = 0; l < P; l++) {
        for (let j = 0; j < Q; j++) {
          let sum = 0;
          for (let i = 0; i < Q; i++) sum += coupling[(first + l) * Q + i] * sinv[i * Q + j];
          W[l * Q + j] = sum;
        }
      }
      for (let l = 0; l < P; l++) {
        for (let m = 0; m < P; m++) {
          let sum = 0;
          for (let j = 0; j < Q; j++) sum += W[l * Q + j] * coupling[(first + m) * Q + j];
          M[l * P + m] = sum;
        }
      }
      for (let l = 0; l < P; l++) {
        for (let j = 0; j < Q; j++) {
          let sum = 0;
          for (let m = 0; m < P; m++) sum += localInverse[square + l * P + m] * W[m * Q + j];
          inverseGQ[l * Q + j] = -sum;
        }
      }
      // A^-1_gg = A_gg^-1 + A_gg^-1 (M A_gg^-1), the product in brackets first
      for (let r = 0; r < P; r++) {
        for (let m = 0; m < P; m++) {
          let sum = 0;
          for (let t = 0; t < P; t++) sum += M[r * P + t] * localInverse[square + t * P + m];
          product[r * P + m] = sum;
        }
      }
      for (let l = 0; l < P; l++) {
        for (let m = 0; m < P; m++) {
          let sum = localInverse[square + l * P + m];
          for (let r = 0; r < P; r++) sum += localInverse[square + l * P + r] * product[r * P + m];
          inverseGG[l * P + m] = sum;
        }
      }
      for (let l = 0; l < P; l++) {
        const v = first + l;
        const group = this.localGroup[v];
        const inverseLL = inverseGG[l * P + l];
        if (group < 0) {
          traceLambda += inverseLL * this.localPriorPrecision[v];
          continue;
        }
        const mean = this.localMeanIndex[v];
        const spread = inverseLL - 2 * inverseGQ[l * Q + mean] + sinv[mean * Q + mean];
        traceLambda += groupPrecision[group] * spread;
        const difference = localMean[v] - sharedMean[mean];
        if (group === 0) tauSum += difference * difference + spread;
        else groupSquares[group - 1] += difference * difference + spread;
      }
      if (byGeo) {
        // <Gram_gg, A^-1_gg> + 2 <X_g,loc^T X_q, A^-1_gq>
        let sum = 0;
        for (let lm = 0; lm < P * P; lm++) sum += localGram[square + lm] * inverseGG[lm];
        let cross = 0;
        for (let lj = 0; lj < P * Q; lj++) cross += localShared[first * Q + lj] * inverseGQ[lj];
        traces[g] += sum + 2 * cross;
      }
    }
    const residualSquares = this.fittedResidual(state, upstream, meanBar);
    if (!byGeo) {
      const sigma = state.sigma;
      state.sigmaScore = -this.observedTotal / sigma + (residualSquares + (this.size - traceLambda) / weights[0]) / (sigma * sigma * sigma);
    } else {
      state.sigmaScore = 0;
      for (let g = 0; g < G; g++) {
        const sigma = state.sigmas[g];
        traces[g] = -this.geoCount[g] / sigma + (state.geoSquares[g] + traces[g]) / (sigma * sigma * sigma);
      }
    }
    state.sigmaTauScore = hierarchical ? -this.groupCount[0] / state.sigmaTau + tauSum / (state.sigmaTau * state.sigmaTau * state.sigmaTau) : 0;
    for (let h = 0; h < H; h++) {
      const s = state.groupScale[1 + h];
      groupSquares[h] = -this.groupCount[1 + h] / s + groupSquares[h] / (s * s * s);
    }
  }

  /**
   * The fitted residual e = e0 - X b_hat from state.residual (e0 on the observed cells, 0 elsewhere)
   * into meanBar as upstream w_g e; returns sum e^2 (and, one sigma per geo, each geo's into
   * state.geoSquares). Per cell e = e0 - intercept_g - season_t - cell fit, the cell fit sum_j b_j
   * z_j[n] (geo-varying: geo g's coefficient) accumulated column by column (row loops over the column-major columns).
   */
  private fittedResidual(state: LinearBlockState, upstream: number, meanBar: Float64Array): number {
    const { geos: G, periods: T, localStart } = this;
    const N = G * T;
    const shared = state.sharedMean;
    this.fittedSeason(shared, this.season);
    const fit = this.cellFit;
    for (let j = 0; j < this.cellWidth; j++) {
      if (j === 0) scaleInto(fit, 0, this.cellColumns, 0, N, shared[this.cellOffset]);
      else addScaled(fit, 0, this.cellColumns, j * N, N, shared[this.cellOffset + j]);
    }
    const H = this.varyingWidth;
    for (let h = 0; h < H; h++) {
      for (let g = 0; g < G; g++) {
        const coefficient = state.localMean[localStart[g + 1] - H + h];
        if (h === 0 && this.cellWidth === 0) scaleInto(fit, g * T, this.varyingColumns, h * N + g * T, T, coefficient);
        else addScaled(fit, g * T, this.varyingColumns, h * N + g * T, T, coefficient);
      }
    }
    let total = 0;
    for (let g = 0; g < G; g++) {
      const own = this.variableOf[g] >= 0 ? state.localMean[localStart[g]] : 0;
      const intercept = this.hierarchical ? own : shared[0] + own;
      if (!this.byGeo) total = fittedResidualRow(state.residual, this.data.observed, this.season, fit, this.cellWidth + H > 0, intercept, meanBar, upstream, state.weights[g], g * T, T, total);
      else {
        const squares = fittedResidualRow(state.residual, this.data.observed, this.season, fit, this.cellWidth + H > 0, intercept, meanBar, upstream, state.weights[g], g * T, T, 0);
        state.geoSquares[g] = squares;
        total += squares;
      }
    }
    return total;
  }

  /** season[t] = time columns . shared coefficients. */
  private fittedSeason(shared: Float64Array, season: Float64Array): void {
    const { periods: T, timeColumns, timeWidth, timeOffset } = this;
    for (let t = 0; t < T; t++) {
      let value = 0;
      for (let j = 0; j < timeWidth; j++) value += shared[timeOffset + j] * timeColumns[t * timeWidth + j];
      season[t] = value;
    }
  }

  /**
   * One exact draw of the block from its conditional (module comment) with the standard normals of
   * `rng`: the shared part q = q_hat + L^-T xi into shared [Q], then per geo its variables given q,
   * N(A_gg^-1 (c_g - A_gq q), A_gg^-1): the intercept variables into geo [K] (the intercepts tau_g,
   * hierarchical; the offsets, fixed) and the geo-varying coefficients into varying [G, H].
   */
  draw(state: LinearBlockState, rng: Rng, geo: Float64Array, shared: Float64Array, varying: Float64Array = new Float64Array(0)): void {
    const { shared: Q, geos: G, localStart, squareStart } = this;
    const H = this.varyingWidth;
    const xi = state.scratch;
    for (let i = 0; i < Q; i++) xi[i] = rng.normal();
    solveLowerTransposed(state.schurFactor, Q, xi, xi);
    for (let i = 0; i < Q; i++) shared[i] = state.sharedMean[i] + xi[i];
    if (localStart[G] === 0) return;
    const mean = state.localByShared; // scratch of length >= P
    const noise = state.localSquare;
    for (let g = 0; g < G; g++) {
      const first = localStart[g];
      const P = localStart[g + 1] - first;
      if (P === 0) continue;
      this.localConditionalMean(state, g, shared, mean);
      const square = squareStart[g];
      if (P === 1) noise[0] = rng.normal() / state.localFactor[square];
      else {
        // L_g^-T xi (back substitution at the block's offset)
        const lower = state.localFactor;
        for (let l = 0; l < P; l++) noise[l] = rng.normal();
        for (let i = P - 1; i >= 0; i--) {
          let sum = noise[i];
          for (let k = i + 1; k < P; k++) sum -= lower[square + k * P + i] * noise[k];
          noise[i] = sum / lower[square + i * P + i];
        }
      }
      let l = 0;
      if (this.variableOf[g] >= 0) {
        geo[this.variableOf[g]] = mean[0] + noise[0];
        l = 1;
      }
      for (let h = 0; h < H; h++, l++) varying[g * H + h] = mean[l] + noise[l];
    }
  }

  /** Where each linear term's coefficients sit in the shared part (after tau0); a geo-varying term's means. */
  termOffsets(terms: readonly LinearTerm[]): number[] {
    let time = this.timeOffset;
    let cell = this.cellOffset;
    let varying = this.varyingOffset;
    return terms.map((term) => {
      const at = term.scope === 'time' ? time : term.geoVarying ? varying : cell;
      if (term.scope === 'time') time += term.width;
      else if (term.geoVarying) varying += term.width;
      else cell += term.width;
      return at;
    });
  }
}

/**
 * The kernel block of the integrated model: replaces the intercepts', linear terms' and Normal
 * likelihood's blocks. Forward per chain from the media term M [N]: the marginal log likelihood
 * (one output column), the chain's state keeping what the gradient needs; backward: the mean's bar
 * upstream w_g e and the gradients of sigma (or each sigma_g), sigma_tau and the geo-varying
 * coefficients' sds (`LinearBlock.scores`).
 */
export class IntegratedLikelihoodBlock {
  private readonly iSigma: number;
  private readonly iSigmaTau: number;
  /** The geo-varying terms' sd inputs, with their widths. */
  private readonly iScales: readonly { readonly input: number; readonly width: number }[];
  private states: LinearBlockState[] = [];
  /** Per chain: whether its forward failed (a matrix not positive definite; no gradient then). */
  private failed = new Uint8Array(0);
  private B = 0;
  /** Chain b's sigma(s) and geo sds, read from the parameters. */
  private readonly sigma: Float64Array;
  private readonly scales: Float64Array;

  constructor(
    readonly block: LinearBlock,
    private readonly params: KernelParameters,
  ) {
    this.iSigma = params.indexOf('sigma');
    this.iSigmaTau = params.indexOf('sigma_tau');
    this.iScales = block.varyingTerms.map((term) => ({ input: params.indexOf(term.sd), width: term.width }));
    this.sigma = new Float64Array(block.byGeo ? block.geos : 1);
    this.scales = new Float64Array(block.varyingWidth);
  }

  resize(chains: number): void {
    if (chains === this.B) return;
    this.B = chains;
    this.states = Array.from({ length: chains }, () => this.block.newState());
    this.failed = new Uint8Array(chains);
  }

  /** The marginal log likelihood of chain b given its media term M [N] into out[outColumn]. */
  forward(b: number, media: Float64Array, out: Float64Array, outColumn: number): void {
    for (let g = 0; g < this.sigma.length; g++) this.sigma[g] = this.params.value(this.iSigma, b, g);
    let h = 0;
    for (const { input, width } of this.iScales) for (let k = 0; k < width; k++) this.scales[h++] = this.params.value(input, b, k);
    const sigmaTau = this.iSigmaTau >= 0 ? this.params.value(this.iSigmaTau, b, 0) : 1;
    const state = this.states[b];
    const ok = this.block.evaluateMediaTerm(media, this.sigma, sigmaTau, state, this.scales);
    this.failed[b] = ok ? 0 : 1;
    if (!ok) {
      out[outColumn] = -Infinity;
      return;
    }
    out[outColumn] = state.logDensity;
  }

  /** Chain b's mean bar [N] and the gradients of sigma (each sigma_g), sigma_tau and the geo sds for upstream dy. */
  backward(b: number, upstream: number, meanBar: Float64Array): void {
    const state = this.states[b];
    if (this.failed[b] === 1) {
      meanBar.fill(0);
      state.sigmaScore = 0;
      state.sigmaScores.fill(0);
      state.sigmaTauScore = 0;
      state.scaleScores.fill(0);
    } else {
      this.block.scores(state, upstream, meanBar);
    }
    const p = this.params;
    if (this.block.byGeo) for (let g = 0; g < this.block.geos; g++) p.grad[p.at(this.iSigma, b, g)] = upstream * state.sigmaScores[g];
    else p.grad[p.at(this.iSigma, b, 0)] = upstream * state.sigmaScore;
    if (this.iSigmaTau >= 0) p.grad[p.at(this.iSigmaTau, b, 0)] = upstream * state.sigmaTauScore;
    let h = 0;
    for (const { input, width } of this.iScales) for (let k = 0; k < width; k++) p.grad[p.at(input, b, k)] = upstream * state.scaleScores[h++];
  }
}

/**
 * Residual sums of one evaluation: residual[n] = e0[n] on the observed cells, 0 elsewhere, with
 * e0 = y - M when the media term M is given (y in the first argument) and e0 = the first argument
 * otherwise; geoSums[g] and periodSums[t] the sums over the observed cells of geo g and period t;
 * returns the sum of squares. Each sum in cell order, in registers where it can be (the geo's sum,
 * the squares); two periods per iteration (kernel/rows.ts).
 */
function observedResidualSums(
  e0: Float64Array, mediaTerm: Float64Array | undefined, observed: Uint8Array, residual: Float64Array, geoSums: Float64Array, periodSums: Float64Array,
  geos: number, periods: number,
): number {
  periodSums.fill(0);
  let squares = 0;
  for (let g = 0; g < geos; g++) {
    let geoSum = 0;
    let t = 0;
    for (; t + 1 < periods; t += 2) {
      const n = g * periods + t;
      const r = observed[n] === 0 ? 0 : mediaTerm === undefined ? e0[n] : e0[n] - mediaTerm[n];
      const s = observed[n + 1] === 0 ? 0 : mediaTerm === undefined ? e0[n + 1] : e0[n + 1] - mediaTerm[n + 1];
      residual[n] = r;
      residual[n + 1] = s;
      if (observed[n] !== 0) {
        squares += r * r;
        geoSum += r;
        periodSums[t] += r;
      }
      if (observed[n + 1] !== 0) {
        squares += s * s;
        geoSum += s;
        periodSums[t + 1] += s;
      }
    }
    if (t < periods) {
      const n = g * periods + t;
      const r = observed[n] === 0 ? 0 : mediaTerm === undefined ? e0[n] : e0[n] - mediaTerm[n];
      residual[n] = r;
      if (observed[n] !== 0) {
        squares += r * r;
        geoSum += r;
        periodSums[t] += r;
      }
    }
    geoSums[g] = geoSum;
  }
  return squares;
}

/**
 * `observedResidualSums` with one sigma per geo: residual[n] and geoSums[g] as there (unweighted),
 * periodSums[t] = sum_g w_g e0[g,t] and the returned sum of squares sum_g w_g |e0_g|^2 weighted by
 * the geos' noise precisions.
 */
function weightedResidualSums(
  e0: Float64Array, mediaTerm: Float64Array | undefined, observed: Uint8Array, weights: Float64Array, residual: Float64Array, geoSums: Float64Array,
  periodSums: Float64Array, geos: number, periods: number,
): number {
  periodSums.fill(0);
  let squares = 0;
  for (let g = 0; g < geos; g++) {
    const w = weights[g];
    let geoSum = 0;
    let geoSquares = 0;
    for (let t = 0; t < periods; t++) {
      const n = g * periods + t;
      if (observed[n] === 0) {
        residual[n] = 0;
        continue;
      }
      const r = mediaTerm === undefined ? e0[n] : e0[n] - mediaTerm[n];
      residual[n] = r;
      geoSquares += r * r;
      geoSum += r;
      periodSums[t] += w * r;
    }
    geoSums[g] = geoSum;
    squares += w * geoSquares;
  }
  return squares;
}

/**
 * One geo's fitted residual e = e0[n] - intercept - season[t] - cellFit[n] on its observed cells
 * (residual holds e0 there, 0 elsewhere, where e is 0), into meanBar[n] = upstream (e / sigma^2);
 * returns `squares` plus its sum of e^2 (one running sum over all cells, in cell order). Two periods
 * per iteration (kernel/rows.ts).
 */
function fittedResidualRow(
  residual: Float64Array, observed: Uint8Array, season: Float64Array, cellFit: Float64Array, hasCellFit: boolean, intercept: number,
  meanBar: Float64Array, upstream: number, inverseVariance: number, first: number, periods: number, squares: number,
): number {
  let t = 0;
  for (; t + 1 < periods; t += 2) {
    const n = first + t;
    let e = residual[n];
    let f = residual[n + 1];
    if (observed[n] !== 0) {
      e = e - intercept - season[t];
      if (hasCellFit) e -= cellFit[n];
      squares += e * e;
    }
    if (observed[n + 1] !== 0) {
      f = f - intercept - season[t + 1];
      if (hasCellFit) f -= cellFit[n + 1];
      squares += f * f;
    }
    meanBar[n] = upstream * (e * inverseVariance);
    meanBar[n + 1] = upstream * (f * inverseVariance);
  }
  if (t < periods) {
    const n = first + t;
    let e = residual[n];
    if (observed[n] !== 0) {
      e = e - intercept - season[t];
      if (hasCellFit) e -= cellFit[n];
      squares += e * e;
    }
    meanBar[n] = upstream * (e * inverseVariance);
  }
  return squares;
}
