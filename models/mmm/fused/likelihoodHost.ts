/**
 * The geo MMM's log likelihood and its vector-Jacobian product in float64 host loops, batched over
 * chains: the body of the fused likelihood op (likelihoodOp.ts). Model: shared/reference-model.md
 * with the options of config.ts, term for term as geoModel.ts (the tensor version) and hostModel.ts
 * (the float64 reference). Output: per-geo partial sums ll[b, g].
 *
 * Forward, per chain b and channel c (rows n = g T + t):
 *   w_l  = exp(q_l) / sum_j exp(q_j), l < L        q_l = l log alpha (geometric), (l - theta)^2 log alpha
 *                                                  (delayed), (shape - 1) z_l - exp(shape z_l) with
 *                                                  z_l = log(l + 1) - log scale (Weibull)
 *   a_n  = sum_l w_l x_{n-l}                       geometric: a = r / S with S = sum_l alpha^l and the
 *                                                  running sum r_t = alpha r_{t-1} + x_t - alpha^L x_{t-L}
 *   h_n  = sigmoid(s (log a_n - log k))            Hill (s fixed, or 1 for Michaelis-Menten: a / (a + k)),
 *          tanh(lambda a_n / 2)                    logistic; h = 0 in cells whose whole window is zero
 *   dev[g,c] = eta_c u[g,c] (non-centered), log_beta[g,c] - m_c (centered), 0 (pooled / one geo)
 *   m_c  = m (coefficient prior), or log roi_c + log spend_c - log W_c with
 *          W_c = sum_g exp(dev[g,c]) H[g,c], H[g,c] = sum_t h[g,t,c] rw[g,t,c] (ROI prior)
 *   beta[g,c] = exp(m_c + dev[g,c])  (exp(log_beta) when centered)
 *   mu[g,t] = tau_g + delta tr_t + phi . f_t + gamma . z[g,t] + xi . e[g,t] + sum_c beta[g,c] h[g,t,c]
 *   ll[g] = sum_t o[g,t] lp(y[g,t] | mu[g,t], sigma (, nu))   (o: holdout mask)
 *
 * Backward (hand-derived; x bar is the gradient of sum_g dy[g] ll[g] in x):
 *   Normal, z = (y - mu) / sigma: d ll_g / d mu = o z / sigma; d ll_g / d sigma = (sum_t o z^2 - n_g) / sigma.
 *   Student-t: d/d mu = o (nu + 1) z / (sigma (nu + z^2)); d/d sigma = sum_t o (nu + 1) z^2 / (sigma (nu + z^2)) - n_g / sigma;
 *     d/d nu = sum_t o [-log1p(z^2/nu)/2 + (nu + 1) z^2 / (2 nu (nu + z^2))] + n_g [psi((nu+1)/2) - psi(nu/2) - 1/nu] / 2.
 *   mu bar = dy[g] d ll_g / d mu. tau0 bar = sum mu bar; v bar_g = sigma_tau sum_t mu bar; sigma_tau bar = sum_g v_g sum_t mu bar;
 *     delta bar = sum mu bar tr; phi bar_j = sum_t f[t,j] sum_g mu bar; gamma bar_k = sum mu bar z_k.
 *   beta bar[g,c] = sum_t mu bar h; logbeta bar = beta bar beta. m bar_c = sum_g logbeta bar[g,c];
 *     ROI: roi bar = m bar / roi; W bar = -m bar / W; dev bar += W bar exp(dev) H; h bar += W bar exp(dev) rw.
 *     dev bar = logbeta bar (+ ROI term); eta bar_c = sum_g dev bar u; u bar = dev bar eta.
 *   h bar = mu bar beta (+ ROI term). Hill: with h' = h (1 - h): a bar = h bar h' s / a, k bar = -sum h bar h' s / k,
 *     s bar = sum h bar h' (log a - log k). Michaelis-Menten: a bar = h bar k / (a + k)^2, k bar = -sum h bar a / (a + k)^2.
 *     Logistic: a bar = h bar (1 - h^2) lambda / 2, lambda bar = sum h bar (1 - h^2) a / 2. Masked cells contribute 0.
 *   Adstock, general: w bar_l = sum_n a bar_n x_{n-l}; q bar_l = w_l (w bar_l - sum_j w_j w bar_j) (softmax);
 *     delayed: alpha bar = sum_l q bar_l (l - theta)^2 / alpha, theta bar = -2 log alpha sum_l q bar_l (l - theta);
 *     Weibull (e_l = exp(shape z_l)): shape bar = sum_l q bar_l z_l (1 - e_l), scale bar = -sum_l q bar_l (shape - 1 - shape e_l) / scale.
 *   Geometric, without lag sums: d a / d alpha = (r' - a S') / S with S' = sum_l l alpha^(l-1) and
 *     r' = d r / d alpha by the same recursion differentiated, r'_t = r_{t-1} + alpha r'_{t-1} - L alpha^(L-1) x_{t-L};
 *     so alpha bar = (sum_n a bar_n r'_n - S' sum_n a bar_n a_n) / S. (Equivalently, w_l = alpha^l / S gives
 *     d w_l / d alpha = w_l (l - sum_j j w_j) / alpha, the softmax rule above with q_l = l log alpha.)
 *     Both recursions restart at 0 in masked cells (their whole window is zero, so r = r' = 0 exactly),
 *     which stops rounding residue from the subtraction carrying over; alpha bar is accumulated in the
 *     same pass over the cells as the saturation's backward.
 *
 * With `priors: true` the kernel also evaluates every parameter's prior (priorsHost.ts, and the
 * hierarchical priors u, v ~ N(0, 1), log_beta[g,c] ~ N(m_c, eta_c), tau_g ~ N(tau0, sigma_tau),
 * whose derivatives in (x, loc, scale) are (-z, z, z^2 - 1) / scale), summed into one extra output
 * column: the output is then [B, G + 1] and the inputs are all the model's parameters.
 *
 * With lift tests (config.experiments) the kernel also evaluates their log density (liftHost.ts, which
 * states the term and its backward) as one more output column after the priors'. Its coefficient
 * gradient joins logbeta bar before the coefficient chain above (so the ROI prior's derived m is
 * covered); its saturation-parameter gradients are added to the likelihood's; its adstock-weight
 * gradient w bar goes through the softmax rule above (geometric: q_l = l log alpha, so
 * alpha bar = sum_l q bar_l l / alpha).
 *
 * Inputs are the constrained parameters the likelihood (and priors) depend on (`inputNames`), each
 * [B, size] row-major. All data-only constants are precomputed (likelihoodData.ts); scratch
 * buffers are sized for the chain count and reused, so a call allocates nothing once the chain
 * count is steady.
 */
import { fastExp, fastLog, logGamma } from '../../../src/distributions/index.js';
import type { MmmDesign } from '../design.js';
import { priorSpec, type MmmModelConfig, type PriorName } from '../config.js';
import { liftCells, resolveLiftTests } from '../liftTests.js';
import { digamma } from './digamma.js';
import { createLiftHost } from './liftHost.js';
import { likelihoodData, type LikelihoodData } from './likelihoodData.js';
import { priorDerivative, priorLogDensity, resolvePrior, standardNormalPrior, type ResolvedPrior } from './priorsHost.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
/** Adstock below this in an active cell (only from underflow or rounding) is raised to it: h ~ 0, gradient ~ 0. */
const ADSTOCK_FLOOR = 1e-300;

export interface LikelihoodHostOptions {
  /** Also evaluate the priors of all parameters, as one extra output column (default false). */
  readonly priors?: boolean;
}

export interface LikelihoodHost {
  readonly data: LikelihoodData;
  /** Whether the priors are included (output column G). */
  readonly priors: boolean;
  /** Output column of the lift tests' log density (after the priors'), or -1 without lift tests. */
  readonly liftColumn: number;
  /** Output columns per chain: G, plus 1 with priors, plus 1 with lift tests. */
  readonly outputWidth: number;
  /** Constrained parameters the kernel reads, in model declaration order. */
  readonly inputNames: readonly string[];
  /** Elements per chain of each input. */
  readonly inputSizes: readonly number[];
  /**
   * Per-geo log likelihood [B, G] (with priors: [B, G + 1], the priors' sum last; a scratch view,
   * valid until the next call) at inputs values[i] of [B, inputSizes[i]] row-major. Keeps what
   * backward needs.
   */
  forward(values: readonly ArrayLike<number>[], chains: number): Float64Array;
  /**
   * Vector-Jacobian product of the last forward for dy [B, outputWidth]: the gradient of sum dy * ll with
   * respect to input i is the block [B * offsets[i], B * (offsets[i] + inputSizes[i])) of the result
   * ([B, inputSizes[i]] row-major; a scratch view, valid until the next call).
   */
  backward(dy: ArrayLike<number>): Float64Array;
  /** Start of each input's block, per chain: input i starts at chains * inputOffsets[i]. */
  readonly inputOffsets: readonly number[];
}

export function createLikelihoodHost(design: MmmDesign, config: MmmModelConfig, options: LikelihoodHostOptions = {}): LikelihoodHost {
  const data = likelihoodData(design, config);
  const withPriors = options.priors ?? false;
  const { geos: G, periods: T, channels: C, controls: K, events: E, maxLag: L, fourierWidth: F } = data;
  const N = G * T;
  const { media, laggedMedia, active, kpi, observed, observedCount, trend, fourier, controlValues, eventValues } = data;
  const roiWeight = data.roiWeight ?? new Float64Array(0);
  const logSpendTotal = data.logSpendTotal ?? new Float64Array(0);

  const hierarchical = G > 1;
  const mediaByGeo = hierarchical && config.geo.media !== 'pooled';
  const centeredMedia = mediaByGeo && config.geo.media === 'centered';
  const roiPrior = config.mediaPrior.type === 'roi';
  if (roiPrior && centeredMedia) {
    throw new Error('model config: an ROI prior needs non-centered or pooled geo media effects (geo.media), not centered');
  }
  const centeredIntercept = hierarchical && config.geo.intercept === 'centered';
  const adstockType = config.adstock.type;
  const saturationType = config.saturation.type;
  const freeSlope = saturationType === 'hill' && config.saturation.fixedSlope === undefined;
  const fixedSlope = saturationType === 'hill' ? config.saturation.fixedSlope ?? 1 : 1;
  const studentT = config.likelihood === 'studentT';

  // ---- inputs (model declaration order of geoModel.ts); with priors, every declared parameter
  const inputNames: string[] = [];
  const inputSizes: number[] = [];
  /** Per input: its prior as a ResolvedPrior, or undefined (hierarchical priors are handled apart). */
  const inputPriors: (ResolvedPrior | undefined)[] = [];
  const channelNames = design.channelNames;
  const input = (name: string, size: number, usedByLikelihood: boolean, declared: boolean, priorNames?: readonly string[]): number => {
    if (!(withPriors ? declared : usedByLikelihood)) return -1;
    inputNames.push(name);
    inputSizes.push(size);
    let prior: ResolvedPrior | undefined;
    if (withPriors && priorNames) prior = resolvePrior(priorSpec(config, name as PriorName), priorNames, `model config: priors.${name}`);
    else if (withPriors && (name === 'u' || name === 'v')) prior = standardNormalPrior(size);
    inputPriors.push(prior);
    return inputNames.length - 1;
  };
  const channelParameter = (name: string, present: boolean, usedByLikelihood = present) => input(name, C, usedByLikelihood, present, channelNames);
  const iAlpha = channelParameter('alpha', adstockType === 'geometric' || adstockType === 'delayed');
  const iTheta = channelParameter('theta', adstockType === 'delayed');
  const iShape = channelParameter('weibullShape', adstockType === 'weibull');
  const iScale = channelParameter('weibullScale', adstockType === 'weibull');
  const iK = channelParameter('k', saturationType === 'hill' || saturationType === 'michaelisMenten');
  const iS = channelParameter('s', freeSlope);
  const iLambda = channelParameter('lambda', saturationType === 'logistic');
  const iRoi = channelParameter('roi', roiPrior);
  const iM = channelParameter('m', !roiPrior, !roiPrior && !centeredMedia);
  const iEta = channelParameter('eta', mediaByGeo, mediaByGeo && !centeredMedia);
  const iLogBeta = input('log_beta', G * C, centeredMedia, centeredMedia);
  const iU = input('u', G * C, mediaByGeo && !centeredMedia, mediaByGeo && !centeredMedia);
  const iTau0 = input('tau0', 1, !centeredIntercept, true, ['tau0']);
  const iSigmaTau = input('sigma_tau', 1, hierarchical && !centeredIntercept, hierarchical, ['sigma_tau']);
  const iTau = input('tau', G, centeredIntercept, centeredIntercept);
  const iV = input('v', G, hierarchical && !centeredIntercept, hierarchical && !centeredIntercept);
  const iDelta = input('delta', 1, trend !== undefined, trend !== undefined, ['delta']);
  const iPhi = input('phi', F, F > 0, F > 0, fourierColumnNames(F / 2));
  const iGamma = input('gamma', K, K > 0, K > 0, design.controlNames);
  const iXi = input('xi', E, E > 0, E > 0, design.eventNames);
  const iSigma = input('sigma', 1, true, true, ['sigma']);
  const iNu = input('nu', 1, studentT, studentT, ['nu']);
  const liftTests = resolveLiftTests(design, config);
  const lift = liftTests ? createLiftHost(liftCells(design, liftTests, L), { geos: G, channels: C }, saturationType, freeSlope) : undefined;
  const liftColumn = lift ? G + (withPriors ? 1 : 0) : -1;
  const P = G + (withPriors ? 1 : 0) + (lift ? 1 : 0); // output columns per chain
  const inputOffsets: number[] = [];
  let width = 0;
  for (const size of inputSizes) {
    inputOffsets.push(width);
    width += size;
  }

  /** Geometric adstock, Hill saturation, no ROI prior: the media backward runs in one pass (hillGeometricBackwardRow). */
  const oneMediaPass = adstockType === 'geometric' && saturationType === 'hill' && !roiPrior;
  const coefficientDot = new Float64Array(G);
  /** Per channel: whether any cell is masked (its whole adstock window is zero). */
  const maskedCells = Array.from({ length: C }, (_, c) => active.subarray(c * N, (c + 1) * N).includes(0));
  // ---- constants of the adstock log-weights
  const logLagPlusOne = Float64Array.from({ length: L }, (_, l) => Math.log(l + 1));

  // ---- scratch, sized for the chain count
  let B = 0;
  let params = new Float64Array(0); // inputs, input-major blocks [B, size_i]
  let grad = new Float64Array(0); // same layout
  let weights = new Float64Array(0); // [B, C, L]
  let geometricSum = new Float64Array(0); // [B, C]: S = sum_l alpha^l (geometric)
  let adstocked = new Float64Array(0); // [B, C, N]
  let saturated = new Float64Array(0); // [B, C, N]
  let logAdstocked = new Float64Array(0); // [B, C, N] (free Hill slope only)
  let expDeviation = new Float64Array(0); // [B, G, C]
  let beta = new Float64Array(0); // [B, G, C]
  let windowSum = new Float64Array(0); // [B, G, C]: H (ROI)
  let windowTotal = new Float64Array(0); // [B, C]: W (ROI)
  let score = new Float64Array(0); // [B, N]: d ll_g / d mu
  let sigmaScore = new Float64Array(0); // [B, G]: d ll_g / d sigma
  let nuScore = new Float64Array(0); // [B, G]: d ll_g / d nu
  let out = new Float64Array(0); // [B, G]
  let ready = false;
  // per-chain scratch (independent of B)
  const mean = new Float64Array(N);
  const meanBar = new Float64Array(N);
  const adstockBar = new Float64Array(N);
  const season = new Float64Array(T);
  const seasonBar = new Float64Array(T);
  const geoBar = new Float64Array(G);
  const logBetaBar = new Float64Array(G * C);
  const weightBar = new Float64Array(L);

  function resize(chains: number): void {
    if (chains === B) return;
    B = chains;
    params = new Float64Array(B * width);
    grad = new Float64Array(B * width);
    weights = new Float64Array(B * C * L);
    geometricSum = new Float64Array(B * C);
    adstocked = new Float64Array(B * C * N);
    saturated = new Float64Array(B * C * N);
    logAdstocked = new Float64Array(freeSlope ? B * C * N : 0);
    expDeviation = new Float64Array(B * G * C);
    beta = new Float64Array(B * G * C);
    windowSum = new Float64Array(roiPrior ? B * G * C : 0);
    windowTotal = new Float64Array(roiPrior ? B * C : 0);
    score = new Float64Array(B * N);
    sigmaScore = new Float64Array(B * G);
    nuScore = new Float64Array(studentT ? B * G : 0);
    out = new Float64Array(B * P);
    lift?.resize(B);
  }

  /** Offset of input i's value for chain b, element j (-1 inputs are never read). */
  const at = (i: number, b: number, j: number) => B * inputOffsets[i] + b * inputSizes[i] + j;

  function adstockWeights(b: number): void {
    for (let c = 0; c < C; c++) {
      const base = (b * C + c) * L;
      if (adstockType === 'geometric') {
        const alpha = params[at(iAlpha, b, c)];
        let power = 1;
        let total = 0;
        for (let l = 0; l < L; l++) {
          weights[base + l] = power;
          total += power;
          power *= alpha;
        }
        for (let l = 0; l < L; l++) weights[base + l] /= total;
        geometricSum[b * C + c] = total;
        continue;
      }
      let maxLog = -Infinity;
      for (let l = 0; l < L; l++) {
        let q: number;
        if (adstockType === 'delayed') {
          const distance = l - params[at(iTheta, b, c)];
          q = distance * distance * Math.log(params[at(iAlpha, b, c)]);
        } else {
          const shape = params[at(iShape, b, c)];
          const z = logLagPlusOne[l] - Math.log(params[at(iScale, b, c)]);
          q = (shape - 1) * z - Math.exp(shape * z);
        }
        weights[base + l] = q;
        if (q > maxLog) maxLog = q;
      }
      let total = 0;
      for (let l = 0; l < L; l++) {
        const w = Math.exp(weights[base + l] - maxLog);
        weights[base + l] = w;
        total += w;
      }
      for (let l = 0; l < L; l++) weights[base + l] /= total;
    }
  }

  // The hot loops below read the scratch arrays through local constants: V8 reloads (and
  // re-checks) a closure's reassignable binding on every access, which measured twice as slow.

  function adstockAndSaturation(b: number, c: number): void {
    const cellBase = (b * C + c) * N;
    const mediaBase = c * N;
    const adstockedCells = adstocked;
    const saturatedCells = saturated;
    if (adstockType === 'geometric') {
      const alpha = params[at(iAlpha, b, c)];
      const inverseSum = 1 / geometricSum[b * C + c];
      const alphaToL = Math.pow(alpha, L);
      geometricAdstockRows(media, active, mediaBase, adstockedCells, cellBase, G, T, L, alpha, alphaToL, inverseSum);
    } else {
      const weightBase = (b * C + c) * L;
      const w0 = weights[weightBase];
      for (let n = 0; n < N; n++) adstockedCells[cellBase + n] = w0 * laggedMedia[c * L * N + n];
      for (let l = 1; l < L; l++) {
        const w = weights[weightBase + l];
        const lagBase = (c * L + l) * N;
        for (let n = 0; n < N; n++) adstockedCells[cellBase + n] += w * laggedMedia[lagBase + n];
      }
    }
    if (saturationType === 'logistic') {
      const halfLambda = 0.5 * params[at(iLambda, b, c)];
      for (let n = 0; n < N; n++) {
        saturatedCells[cellBase + n] = active[mediaBase + n] === 0 ? 0 : Math.tanh(halfLambda * adstockedCells[cellBase + n]);
      }
    } else if (saturationType === 'michaelisMenten') {
      const k = params[at(iK, b, c)];
      for (let n = 0; n < N; n++) {
        const a = adstockedCells[cellBase + n];
        saturatedCells[cellBase + n] = active[mediaBase + n] === 0 ? 0 : a / (a + k);
      }
    } else {
      const logK = fastLog(params[at(iK, b, c)]);
      const slope = freeSlope ? params[at(iS, b, c)] : fixedSlope;
      hillRows(adstockedCells, saturatedCells, logAdstocked, freeSlope, active, cellBase, mediaBase, N, logK, slope);
    }
  }

  function mediaCoefficients(b: number): void {
    for (let c = 0; c < C; c++) {
      let m = 0;
      if (centeredMedia) {
        for (let g = 0; g < G; g++) expDeviation[(b * G + g) * C + c] = 1;
      } else {
        const eta = mediaByGeo ? params[at(iEta, b, c)] : 0;
        for (let g = 0; g < G; g++) {
          expDeviation[(b * G + g) * C + c] = mediaByGeo ? Math.exp(eta * params[at(iU, b, g * C + c)]) : 1;
        }
        if (roiPrior) {
          const cellBase = (b * C + c) * N;
          let total = 0;
          for (let g = 0; g < G; g++) {
            let sum = 0;
            for (let n = g * T; n < (g + 1) * T; n++) sum += saturated[cellBase + n] * roiWeight[c * N + n];
            windowSum[(b * G + g) * C + c] = sum;
            total += expDeviation[(b * G + g) * C + c] * sum;
          }
          windowTotal[b * C + c] = total;
          m = Math.log(params[at(iRoi, b, c)]) + logSpendTotal[c] - Math.log(total);
        } else {
          m = params[at(iM, b, c)];
        }
      }
      const expM = Math.exp(m);
      for (let g = 0; g < G; g++) {
        const j = (b * G + g) * C + c;
        beta[j] = centeredMedia ? Math.exp(params[at(iLogBeta, b, g * C + c)]) : expM * expDeviation[j];
      }
    }
  }

  function likelihood(b: number): void {
    const saturatedCells = saturated;
    const scores = score;
    // mean without media
    for (let t = 0; t < T; t++) {
      let value = trend ? params[at(iDelta, b, 0)] * trend[t] : 0;
      for (let j = 0; j < F; j++) value += params[at(iPhi, b, j)] * fourier[t * F + j];
      season[t] = value;
    }
    for (let g = 0; g < G; g++) {
      let intercept: number;
      if (!hierarchical) intercept = params[at(iTau0, b, 0)];
      else if (centeredIntercept) intercept = params[at(iTau, b, g)];
      else intercept = params[at(iTau0, b, 0)] + params[at(iSigmaTau, b, 0)] * params[at(iV, b, g)];
      for (let t = 0; t < T; t++) mean[g * T + t] = intercept + season[t];
    }
    for (let k = 0; k < K; k++) {
      const gamma = params[at(iGamma, b, k)];
      for (let n = 0; n < N; n++) mean[n] += gamma * controlValues[n * K + k];
    }
    for (let e = 0; e < E; e++) {
      const xi = params[at(iXi, b, e)];
      for (let n = 0; n < N; n++) mean[n] += xi * eventValues[n * E + e];
    }
    for (let c = 0; c < C; c++) {
      const cellBase = (b * C + c) * N;
      for (let g = 0; g < G; g++) {
        const coefficient = beta[(b * G + g) * C + c];
        addScaled(mean, g * T, saturatedCells, cellBase + g * T, T, coefficient);
      }
    }
    // likelihood, and its derivatives in mu, sigma, nu
    const sigma = params[at(iSigma, b, 0)];
    const logSigma = Math.log(sigma);
    const inverseSigma = 1 / sigma;
    if (!studentT) {
      for (let g = 0; g < G; g++) {
        const sumSquares = normalScoreRows(kpi, mean, observed, scores, b * N, g * T, T, inverseSigma);
        const count = observedCount[g];
        out[b * P + g] = -0.5 * sumSquares - count * (logSigma + LOG_SQRT_2PI);
        sigmaScore[b * G + g] = (sumSquares - count) * inverseSigma;
      }
      return;
    }
    const nu = params[at(iNu, b, 0)];
    const perObservation = logGamma(0.5 * (nu + 1)) - logGamma(0.5 * nu) - 0.5 * Math.log(nu * Math.PI) - logSigma;
    const perObservationNu = 0.5 * (digamma(0.5 * (nu + 1)) - digamma(0.5 * nu) - 1 / nu);
    for (let g = 0; g < G; g++) {
      let kernel = 0;
      let sigmaSum = 0;
      let nuSum = 0;
      for (let n = g * T; n < (g + 1) * T; n++) {
        if (observed[n] === 0) {
          score[b * N + n] = 0;
          continue;
        }
        const z = (kpi[n] - mean[n]) * inverseSigma;
        const z2 = z * z;
        const logTerm = Math.log1p(z2 / nu);
        kernel += logTerm;
        const ratio = (nu + 1) / (nu + z2);
        score[b * N + n] = ratio * z * inverseSigma;
        sigmaSum += ratio * z2;
        nuSum += z2 / (nu + z2);
      }
      const count = observedCount[g];
      out[b * P + g] = -0.5 * (nu + 1) * kernel + count * perObservation;
      sigmaScore[b * G + g] = (sigmaSum - count) * inverseSigma;
      // sum_t [-log1p(z^2/nu)/2 + (nu + 1) z^2 / (2 nu (nu + z^2))] + n_g (psi terms)
      nuScore[b * G + g] = -0.5 * kernel + ((nu + 1) / (2 * nu)) * nuSum + count * perObservationNu;
    }
  }

  function forward(values: readonly ArrayLike<number>[], chains: number): Float64Array {
    if (values.length !== inputNames.length) {
      throw new Error(`fused MMM likelihood: expected ${inputNames.length} inputs (${inputNames.join(', ')}), got ${values.length}`);
    }
    resize(chains);
    for (let i = 0; i < values.length; i++) {
      const source = values[i];
      const size = B * inputSizes[i];
      if (source.length !== size) {
        throw new Error(`fused MMM likelihood: input "${inputNames[i]}" has ${source.length} values, expected ${size}`);
      }
      const base = B * inputOffsets[i];
      for (let j = 0; j < size; j++) params[base + j] = source[j];
    }
    for (let b = 0; b < B; b++) {
      adstockWeights(b);
      for (let c = 0; c < C; c++) adstockAndSaturation(b, c);
      mediaCoefficients(b);
      likelihood(b);
      if (withPriors) out[b * P + G] = priorsForward(b);
      if (lift) {
        liftSaturationParameters(b);
        out[b * P + liftColumn] = lift.forward(b, weights, beta);
      }
    }
    ready = true;
    return out;
  }

  /** Adstock-parameter gradients of channel c from adstockBar (general, lag-sum form). */
  function adstockBackwardByLags(b: number, c: number): void {
    for (let l = 0; l < L; l++) {
      const lagBase = (c * L + l) * N;
      let sum = 0;
      for (let n = 0; n < N; n++) sum += adstockBar[n] * laggedMedia[lagBase + n];
      weightBar[l] = sum;
    }
    addWeightGradient(b, c, weightBar, 0);
  }

  /** Adds to channel c's adstock-parameter gradients those of weight bars bars[offset + l] (softmax rule). */
  function addWeightGradient(b: number, c: number, bars: Float64Array, offset: number): void {
    const weightBase = (b * C + c) * L;
    let mixed = 0;
    for (let l = 0; l < L; l++) mixed += weights[weightBase + l] * bars[offset + l];
    if (adstockType === 'geometric') {
      let alphaBar = 0;
      for (let l = 1; l < L; l++) alphaBar += weights[weightBase + l] * (bars[offset + l] - mixed) * l;
      grad[at(iAlpha, b, c)] += alphaBar / params[at(iAlpha, b, c)];
    } else if (adstockType === 'delayed') {
      const alpha = params[at(iAlpha, b, c)];
      const theta = params[at(iTheta, b, c)];
      const logAlpha = Math.log(alpha);
      let alphaBar = 0;
      let thetaBar = 0;
      for (let l = 0; l < L; l++) {
        const logWeightBar = weights[weightBase + l] * (bars[offset + l] - mixed);
        const distance = l - theta;
        alphaBar += logWeightBar * distance * distance;
        thetaBar += logWeightBar * distance;
      }
      grad[at(iAlpha, b, c)] += alphaBar / alpha;
      grad[at(iTheta, b, c)] += -2 * logAlpha * thetaBar;
    } else {
      const shape = params[at(iShape, b, c)];
      const scale = params[at(iScale, b, c)];
      const logScale = Math.log(scale);
      let shapeBar = 0;
      let zBar = 0;
      for (let l = 0; l < L; l++) {
        const logWeightBar = weights[weightBase + l] * (bars[offset + l] - mixed);
        const z = logLagPlusOne[l] - logScale;
        const e = Math.exp(shape * z);
        shapeBar += logWeightBar * z * (1 - e);
        zBar += logWeightBar * (shape - 1 - shape * e);
      }
      grad[at(iShape, b, c)] += shapeBar;
      grad[at(iScale, b, c)] += -zBar / scale;
    }
  }

  function backward(dy: ArrayLike<number>): Float64Array {
    if (!ready) throw new Error('fused MMM likelihood: backward called before forward');
    if (dy.length !== B * P) throw new Error(`fused MMM likelihood: dy has ${dy.length} values, expected ${B * P}`);
    grad.fill(0);
    const scores = score;
    const saturatedCells = saturated;
    const adstockedCells = adstocked;
    const logAdstockedCells = logAdstocked;
    for (let b = 0; b < B; b++) {
      // ---- likelihood -> mean, sigma, nu
      let sigmaBar = 0;
      let nuBar = 0;
      for (let g = 0; g < G; g++) {
        const upstream = dy[b * P + g];
        sigmaBar += upstream * sigmaScore[b * G + g];
        if (studentT) nuBar += upstream * nuScore[b * G + g];
        geoBar[g] = scaleRows(scores, b * N + g * T, meanBar, g * T, T, upstream);
      }
      grad[at(iSigma, b, 0)] = sigmaBar;
      if (studentT) grad[at(iNu, b, 0)] = nuBar;
      // ---- lift tests: their coefficient, saturation and adstock-weight gradients (liftHost.ts)
      const liftGradient = lift ? lift.backward(b, dy[b * P + liftColumn], beta) : undefined;
      // ---- intercepts
      if (!hierarchical) grad[at(iTau0, b, 0)] = geoBar[0];
      else if (centeredIntercept) for (let g = 0; g < G; g++) grad[at(iTau, b, g)] = geoBar[g];
      else {
        const sigmaTau = params[at(iSigmaTau, b, 0)];
        let tau0Bar = 0;
        let sigmaTauBar = 0;
        for (let g = 0; g < G; g++) {
          tau0Bar += geoBar[g];
          sigmaTauBar += geoBar[g] * params[at(iV, b, g)];
          grad[at(iV, b, g)] = sigmaTau * geoBar[g];
        }
        grad[at(iTau0, b, 0)] = tau0Bar;
        grad[at(iSigmaTau, b, 0)] = sigmaTauBar;
      }
      // ---- trend and seasonality
      if (trend || F > 0) {
        seasonBar.fill(0);
        for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) seasonBar[t] += meanBar[g * T + t];
        if (trend) {
          let sum = 0;
          for (let t = 0; t < T; t++) sum += seasonBar[t] * trend[t];
          grad[at(iDelta, b, 0)] = sum;
        }
        for (let j = 0; j < F; j++) {
          let sum = 0;
          for (let t = 0; t < T; t++) sum += seasonBar[t] * fourier[t * F + j];
          grad[at(iPhi, b, j)] = sum;
        }
      }
      // ---- controls and events
      for (let k = 0; k < K; k++) {
        let sum = 0;
        for (let n = 0; n < N; n++) sum += meanBar[n] * controlValues[n * K + k];
        grad[at(iGamma, b, k)] = sum;
      }
      for (let e = 0; e < E; e++) {
        let sum = 0;
        for (let n = 0; n < N; n++) sum += meanBar[n] * eventValues[n * E + e];
        grad[at(iXi, b, e)] = sum;
      }
      // ---- media, per channel
      for (let c = 0; c < C; c++) {
        const cellBase = (b * C + c) * N;
        const mediaBase = c * N;
        const logK = saturationType === 'logistic' ? 0 : fastLog(params[at(iK, b, c)]);
        const k = saturationType === 'logistic' ? 0 : params[at(iK, b, c)];
        const slope = freeSlope ? params[at(iS, b, c)] : fixedSlope;
        const lambda = saturationType === 'logistic' ? params[at(iLambda, b, c)] : 0;
        let kSum = 0;
        let slopeSum = 0;
        let lambdaSum = 0;
        // geometric adstock: alpha bar accumulated in the same pass (module comment)
        const geometric = adstockType === 'geometric';
        const alpha = geometric ? params[at(iAlpha, b, c)] : 0;
        const geometricTotal = geometric ? geometricSum[b * C + c] : 0;
        const dropCoefficient = geometric ? L * Math.pow(alpha, L - 1) : 0;
        let barTimesDerivative = 0;
        let barTimesAdstock = 0;
        if (oneMediaPass) {
          // the usual model: the coefficient dot products and the whole saturation and adstock
          // backward in one pass over each geo's cells
          for (let g = 0; g < G; g++) {
            const first = g * T;
            hillGeometricBackwardRow(
              meanBar, beta[(b * G + g) * C + c], saturatedCells, adstockedCells, logAdstockedCells, freeSlope, active, media,
              mediaBase, cellBase, first, T, L, slope, logK, alpha, geometricTotal, dropCoefficient, mediaSums,
            );
            coefficientDot[g] = mediaSums[0];
            kSum += mediaSums[1];
            slopeSum += mediaSums[2];
            barTimesDerivative += mediaSums[3];
            barTimesAdstock += mediaSums[4];
          }
        }
        let mBar = 0;
        for (let g = 0; g < G; g++) {
          let sum = oneMediaPass ? coefficientDot[g] : dot(meanBar, g * T, saturatedCells, cellBase + g * T, T);
          if (liftGradient) sum += liftGradient.betaBar[g * C + c];
          const bar = sum * beta[(b * G + g) * C + c];
          logBetaBar[g * C + c] = bar;
          mBar += bar;
        }
        let windowBar = 0; // W bar (ROI)
        if (roiPrior) {
          const roi = params[at(iRoi, b, c)];
          grad[at(iRoi, b, c)] = mBar / roi;
          windowBar = -mBar / windowTotal[b * C + c];
        } else if (!centeredMedia) {
          grad[at(iM, b, c)] = mBar;
        }
        if (centeredMedia) {
          for (let g = 0; g < G; g++) grad[at(iLogBeta, b, g * C + c)] = logBetaBar[g * C + c];
        } else if (mediaByGeo) {
          const eta = params[at(iEta, b, c)];
          let etaBar = 0;
          for (let g = 0; g < G; g++) {
            const j = (b * G + g) * C + c;
            let deviationBar = logBetaBar[g * C + c];
            if (roiPrior) deviationBar += windowBar * expDeviation[j] * windowSum[j];
            etaBar += deviationBar * params[at(iU, b, g * C + c)];
            grad[at(iU, b, g * C + c)] = deviationBar * eta;
          }
          grad[at(iEta, b, c)] = etaBar;
        }
        // saturation backward -> adstockBar (done above in the one-pass case)
        for (let g = 0; g < G && !oneMediaPass; g++) {
          // h bar into adstockBar, then the saturation's backward in place, one tight loop per type
          const coefficient = beta[(b * G + g) * C + c];
          const roiCoefficient = roiPrior ? windowBar * expDeviation[(b * G + g) * C + c] : 0;
          const first = g * T;
          const last = first + T;
          scaleRows(meanBar, first, adstockBar, first, T, coefficient);
          if (roiPrior) for (let n = first; n < last; n++) adstockBar[n] += roiCoefficient * roiWeight[mediaBase + n];
          if (saturationType === 'logistic') {
            for (let n = first; n < last; n++) {
              const h = saturatedCells[cellBase + n];
              const d = adstockBar[n] * (1 - h * h) * 0.5;
              adstockBar[n] = d * lambda;
              lambdaSum += d * adstockedCells[cellBase + n];
            }
          } else if (saturationType === 'michaelisMenten') {
            for (let n = first; n < last; n++) {
              const a = adstockedCells[cellBase + n];
              const denominator = a + k;
              const d = adstockBar[n] / (denominator * denominator);
              adstockBar[n] = d * k;
              kSum -= d * a;
            }
          } else {
            hillBackwardRows(adstockBar, saturatedCells, adstockedCells, logAdstockedCells, freeSlope, cellBase, first, T, slope, logK, rowSums);
            kSum += rowSums[0];
            slopeSum += rowSums[1];
          }
          // masked cells (their whole window is zero) contribute nothing
          if (maskedCells[c]) for (let n = first; n < last; n++) if (active[mediaBase + n] === 0) adstockBar[n] = 0;
          if (geometric) {
            geometricBackwardRows(adstockBar, adstockedCells, media, active, mediaBase, cellBase, first, T, L, alpha, geometricTotal, dropCoefficient, rowSums);
            barTimesDerivative += rowSums[0];
            barTimesAdstock += rowSums[1];
          }
        }
        if (saturationType === 'logistic') grad[at(iLambda, b, c)] = lambdaSum;
        else if (saturationType === 'michaelisMenten') grad[at(iK, b, c)] = kSum;
        else {
          grad[at(iK, b, c)] = (-slope * kSum) / k;
          if (freeSlope) grad[at(iS, b, c)] = slopeSum;
        }
        if (geometric) {
          let totalDerivative = 0; // S' = sum_l l alpha^(l-1)
          let power = 1;
          for (let l = 1; l < L; l++) {
            totalDerivative += l * power;
            power *= alpha;
          }
          grad[at(iAlpha, b, c)] = (barTimesDerivative - totalDerivative * barTimesAdstock) / geometricTotal;
        } else {
          adstockBackwardByLags(b, c);
        }
        if (liftGradient) {
          if (saturationType === 'logistic') grad[at(iLambda, b, c)] += liftGradient.lambdaBar[c];
          else grad[at(iK, b, c)] += liftGradient.kBar[c];
          if (freeSlope) grad[at(iS, b, c)] += liftGradient.slopeBar[c];
          addWeightGradient(b, c, liftGradient.weightBar, c * L);
        }
      }
      if (withPriors) priorsBackward(b, dy[b * P + G]);
    }
    return grad;
  }

  /** The saturation parameters of chain b, per channel, for the lift host. */
  function liftSaturationParameters(b: number): void {
    if (!lift) return;
    for (let c = 0; c < C; c++) {
      const logistic = saturationType === 'logistic';
      lift.setSaturation(b, c, logistic ? 0 : params[at(iK, b, c)], freeSlope ? params[at(iS, b, c)] : fixedSlope, logistic ? params[at(iLambda, b, c)] : 0);
    }
  }

  /** Sum of the prior log densities of chain b. */
  function priorsForward(b: number): number {
    let total = 0;
    for (let i = 0; i < inputNames.length; i++) {
      const prior = inputPriors[i];
      if (!prior) continue;
      for (let j = 0; j < inputSizes[i]; j++) total += priorLogDensity(prior, j, params[at(i, b, j)]);
    }
    if (centeredMedia) {
      for (let g = 0; g < G; g++) {
        for (let c = 0; c < C; c++) {
          const scale = params[at(iEta, b, c)];
          const z = (params[at(iLogBeta, b, g * C + c)] - params[at(iM, b, c)]) / scale;
          total += -0.5 * z * z - Math.log(scale) - LOG_SQRT_2PI;
        }
      }
    }
    if (centeredIntercept) {
      const scale = params[at(iSigmaTau, b, 0)];
      for (let g = 0; g < G; g++) {
        const z = (params[at(iTau, b, g)] - params[at(iTau0, b, 0)]) / scale;
        total += -0.5 * z * z - Math.log(scale) - LOG_SQRT_2PI;
      }
    }
    return total;
  }

  /** Adds upstream x the priors' gradient of chain b to grad. */
  function priorsBackward(b: number, upstream: number): void {
    for (let i = 0; i < inputNames.length; i++) {
      const prior = inputPriors[i];
      if (!prior) continue;
      for (let j = 0; j < inputSizes[i]; j++) grad[at(i, b, j)] += upstream * priorDerivative(prior, j, params[at(i, b, j)]);
    }
    if (centeredMedia) {
      for (let g = 0; g < G; g++) {
        for (let c = 0; c < C; c++) {
          const scale = params[at(iEta, b, c)];
          const z = (params[at(iLogBeta, b, g * C + c)] - params[at(iM, b, c)]) / scale;
          const bar = (upstream * z) / scale;
          grad[at(iLogBeta, b, g * C + c)] -= bar;
          grad[at(iM, b, c)] += bar;
          grad[at(iEta, b, c)] += bar * z - upstream / scale;
        }
      }
    }
    if (centeredIntercept) {
      const scale = params[at(iSigmaTau, b, 0)];
      for (let g = 0; g < G; g++) {
        const z = (params[at(iTau, b, g)] - params[at(iTau0, b, 0)]) / scale;
        const bar = (upstream * z) / scale;
        grad[at(iTau, b, g)] -= bar;
        grad[at(iTau0, b, 0)] += bar;
        grad[at(iSigmaTau, b, 0)] += bar * z - upstream / scale;
      }
    }
  }

  return { data, priors: withPriors, liftColumn, outputWidth: P, inputNames, inputSizes, inputOffsets, forward, backward };
}


// ---- Row loops of the hot path. They are module-level functions of typed arrays and numbers so
// that V8 keeps every operand in a register: the same loops inside createLikelihoodHost's closures
// re-load the scratch arrays from the closure on every access and measured 2-3x slower.

/** Partial sums returned by the backward row loops (module scratch; read right after the call). */
const rowSums = new Float64Array(2);
const mediaSums = new Float64Array(5);

/** sum_i x[xStart + i] y[yStart + i], i < count. */
function dot(x: Float64Array, xStart: number, y: Float64Array, yStart: number, count: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += x[xStart + i] * y[yStart + i];
  return sum;
}

/** y[yStart + i] += scale x[xStart + i], i < count. */
function addScaled(y: Float64Array, yStart: number, x: Float64Array, xStart: number, count: number, scale: number): void {
  for (let i = 0; i < count; i++) y[yStart + i] += scale * x[xStart + i];
}

/** y[yStart + i] = scale x[xStart + i], i < count; returns sum_i y[yStart + i]. */
function scaleRows(x: Float64Array, xStart: number, y: Float64Array, yStart: number, count: number, scale: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const value = scale * x[xStart + i];
    y[yStart + i] = value;
    sum += value;
  }
  return sum;
}

/**
 * Geometric adstock of one channel, all geos: a_t = r_t / S with the running sum
 * r_t = alpha r_{t-1} + x_t - alpha^L x_{t-L}, restarted at 0 in masked cells (module comment).
 */
function geometricAdstockRows(
  media: Float64Array, active: Uint8Array, mediaBase: number, adstocked: Float64Array, cellBase: number,
  geos: number, periods: number, maxLag: number, alpha: number, alphaToL: number, inverseSum: number,
): void {
  for (let g = 0; g < geos; g++) {
    let running = 0;
    for (let t = 0; t < periods; t++) {
      const n = g * periods + t;
      if (active[mediaBase + n] === 0) {
        running = 0;
      } else {
        running = alpha * running + media[mediaBase + n];
        if (t >= maxLag) running -= alphaToL * media[mediaBase + n - maxLag];
      }
      adstocked[cellBase + n] = running * inverseSum;
    }
  }
}

/** Hill saturation h = sigmoid(s (log a - log k)) of one channel's cells; keeps log a when the slope is free. */
function hillRows(
  adstocked: Float64Array, saturated: Float64Array, logAdstocked: Float64Array, keepLog: boolean, active: Uint8Array,
  cellBase: number, mediaBase: number, count: number, logK: number, slope: number,
): void {
  for (let n = 0; n < count; n++) {
    if (active[mediaBase + n] === 0) {
      saturated[cellBase + n] = 0;
      continue;
    }
    let a = adstocked[cellBase + n];
    if (!(a > ADSTOCK_FLOOR)) adstocked[cellBase + n] = a = ADSTOCK_FLOOR;
    const logA = fastLog(a);
    if (keepLog) logAdstocked[cellBase + n] = logA;
    saturated[cellBase + n] = 1 / (1 + fastExp(slope * (logK - logA)));
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

/**
 * Hill backward of one geo's rows in place: h bar (in bars) -> a bar = h bar h (1 - h) s / a. rowSums
 * gets sum h bar h (1 - h) (for k bar) and, with a free slope, sum h bar h (1 - h) (log a - log k) (s bar).
 */
function hillBackwardRows(
  bars: Float64Array, saturated: Float64Array, adstocked: Float64Array, logAdstocked: Float64Array, freeSlope: boolean,
  cellBase: number, first: number, count: number, slope: number, logK: number, sums: Float64Array,
): void {
  let kSum = 0;
  let slopeSum = 0;
  for (let n = first; n < first + count; n++) {
    const h = saturated[cellBase + n];
    const d = bars[n] * h * (1 - h);
    bars[n] = (d * slope) / adstocked[cellBase + n];
    kSum += d;
    if (freeSlope) slopeSum += d * (logAdstocked[cellBase + n] - logK);
  }
  sums[0] = kSum;
  sums[1] = slopeSum;
}

/**
 * Geometric adstock backward of one geo's rows: with r'_t = r_{t-1} + alpha r'_{t-1} - L alpha^(L-1) x_{t-L}
 * (restarted in masked cells), rowSums gets sum a bar r' and sum a bar a (module comment).
 */
function geometricBackwardRows(
  bars: Float64Array, adstocked: Float64Array, media: Float64Array, active: Uint8Array, mediaBase: number, cellBase: number,
  first: number, periods: number, maxLag: number, alpha: number, geometricTotal: number, dropCoefficient: number, sums: Float64Array,
): void {
  let derivative = 0; // r'_t
  let previous = 0; // r_{t-1}
  let barTimesDerivative = 0;
  let barTimesAdstock = 0;
  for (let t = 0; t < periods; t++) {
    const n = first + t;
    if (active[mediaBase + n] === 0) {
      derivative = 0;
      previous = 0;
      continue;
    }
    derivative = previous + alpha * derivative;
    if (t >= maxLag) derivative -= dropCoefficient * media[mediaBase + n - maxLag];
    const a = adstocked[cellBase + n];
    previous = geometricTotal * a;
    const bar = bars[n];
    barTimesDerivative += bar * derivative;
    barTimesAdstock += bar * a;
  }
  sums[0] = barTimesDerivative;
  sums[1] = barTimesAdstock;
}

/**
 * The media backward of one geo's cells of one channel in one pass, for geometric adstock and Hill
 * saturation without an ROI prior (hillBackwardRows and geometricBackwardRows fused, with the
 * coefficient's dot product): h bar = mu bar beta, a bar = h bar h (1 - h) s / a, masked cells skipped.
 * sums gets [sum mu bar h, sum h bar h (1 - h), sum h bar h (1 - h) (log a - log k) (free slope),
 * sum a bar r', sum a bar a].
 */
function hillGeometricBackwardRow(
  meanBar: Float64Array, coefficient: number, saturated: Float64Array, adstocked: Float64Array, logAdstocked: Float64Array,
  freeSlope: boolean, active: Uint8Array, media: Float64Array, mediaBase: number, cellBase: number, first: number,
  periods: number, maxLag: number, slope: number, logK: number, alpha: number, geometricTotal: number, dropCoefficient: number,
  sums: Float64Array,
): void {
  let coefficientDot = 0;
  let kSum = 0;
  let slopeSum = 0;
  let derivative = 0; // r'_t
  let previous = 0; // r_{t-1}
  let barTimesDerivative = 0;
  let barTimesAdstock = 0;
  for (let t = 0; t < periods; t++) {
    const n = first + t;
    if (active[mediaBase + n] === 0) {
      derivative = 0;
      previous = 0;
      continue;
    }
    const h = saturated[cellBase + n];
    const a = adstocked[cellBase + n];
    const muBar = meanBar[n];
    coefficientDot += muBar * h;
    const d = muBar * coefficient * h * (1 - h);
    const bar = (d * slope) / a;
    kSum += d;
    if (freeSlope) slopeSum += d * (logAdstocked[cellBase + n] - logK);
    derivative = previous + alpha * derivative;
    if (t >= maxLag) derivative -= dropCoefficient * media[mediaBase + n - maxLag];
    previous = geometricTotal * a;
    barTimesDerivative += bar * derivative;
    barTimesAdstock += bar * a;
  }
  sums[0] = coefficientDot;
  sums[1] = kSum;
  sums[2] = slopeSum;
  sums[3] = barTimesDerivative;
  sums[4] = barTimesAdstock;
}

/** Names of the Fourier columns (sin1, cos1, sin2, ...), as geoModel.ts's fourierNames. */
export function fourierColumnNames(order: number): string[] {
  const names: string[] = [];
  for (let s = 1; s <= order; s++) names.push(`sin${s}`, `cos${s}`);
  return names;
}
