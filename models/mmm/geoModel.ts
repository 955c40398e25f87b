/**
 * The hierarchical geo MMM as a model on src/ppl. With the default config it is exactly
 * shared/reference-model.md (same parameter names), batched over chains:
 *
 *   a[g,t,c]  = sum_l w_l(c) xs[g,t-l,c]            adstock, w = softmax over lags of a log-weight
 *   h[g,t,c]  = sat(a)                               Hill: sigmoid(s (log a - log k))
 *   beta[g,c] = exp(m_c + eta_c u[g,c])              (non-centered log-normal geo effects)
 *   tau_g     = tau0 + sigma_tau v[g]                (non-centered geo intercepts)
 *   mu[g,t]   = tau_g + delta tr[t] + phi . f[t] + gamma . z[g,t] + xi . e[g,t] + sum_c beta[g,c] h[g,t,c]
 *   ys[g,t]   ~ Normal(mu, sigma)   (or Student-t)
 *
 * Options (config.ts): adstock geometric / delayed / Weibull; saturation Hill (free or fixed slope) /
 * Michaelis-Menten / logistic; centered or non-centered intercepts and media effects, or pooled media;
 * trend; Fourier seasonality; controls; events; Student-t likelihood; ROI priors (Meridian's
 * parameterization: roi_c is the parameter, m_c is derived per draw; Jin et al. 2017 and the
 * Meridian documentation, "ROI priors").
 *
 * Tensor layout, for B chains: lagged media [C, L, N] (N = G T, geo-major) is uploaded once; adstock
 * is one batched matMul [C, B, L] x [C, L, N]. Cells whose whole window has zero spend are masked
 * (their a = 0 gives h = 0 for every parameter; log 0 would make the gradient NaN). The log
 * likelihood is returned as per-geo partial sums [B, G], added on the host in float64.
 *
 * Lift tests (config.experiments, liftTests.ts) add one log-density term per measured lift: the
 * cells they touch are uploaded as lagged media under the test and the control condition [C, L, M]
 * (M cells per channel, zero-padded), adstocked with the same weights, saturated, weighted by
 * their geo's coefficient and summed into each observation by a [C, M, O] matrix. The fused kernel
 * evaluates the same term in float64 with a hand-derived gradient (fused/liftHost.ts).
 *
 * By default (GeoMmmOptions) the likelihood and the priors are instead one fused custom-gradient op
 * evaluated in float64 on the host (models/mmm/fused/); the tensor formulation above stays available
 * as `likelihoodKernel: 'tensor'` and is tested to give the same density and gradient.
 */
import { interval, positive, unitInterval } from '../../src/bijectors/index.js';
import { lgamma as lgammaTensor, Normal } from '../../src/distributions/index.js';
import { fourierFeatures, trendFeature } from '../../src/data/index.js';
import type { CenteringBlock, HostLogDensity, ModelDefinition, ParameterSpec } from '../../src/ppl/index.js';
import { tf, type Tensor, type Tensor2D } from '../../src/tensor/index.js';
import { centeringWeight, priorSpec, type MmmModelConfig, type PriorName } from './config.js';
import { designDims, type MmmDesign } from './design.js';
import { createFusedLikelihood, type FusedLikelihood } from './fused/likelihoodOp.js';
import { liftCells, resolveLiftTests, type LiftCells } from './liftTests.js';
import { buildPrior } from './priors.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
/** Added to adstock before the log: 1 in masked cells (log 1 = 0), 1e-20 elsewhere (underflow guard). */
const UNDERFLOW_FLOOR = 1e-20;

export interface GeoMmmModel {
  readonly definition: ModelDefinition;
  readonly config: MmmModelConfig;
  readonly design: MmmDesign;
  /** Names of the sampled parameters in declaration order. */
  readonly parameterNames: readonly string[];
  /** How the likelihood block is evaluated (GeoMmmOptions). */
  readonly likelihoodKernel: LikelihoodKernel;
  /** Whether the fused op also evaluates the priors (GeoMmmOptions). */
  readonly fusedPriors: boolean;
}

/**
 * 'tensor': the likelihood as tfjs tensor ops, differentiated by tfjs. 'fused': one custom-gradient
 * op that evaluates the likelihood and its hand-derived gradient in float64 host loops
 * (models/mmm/fused/): same density, far fewer kernels per gradient (each costs several
 * microseconds on wasm whatever its size).
 */
export type LikelihoodKernel = 'fused' | 'tensor';

export interface GeoMmmOptions {
  /** Default 'fused'. */
  readonly likelihoodKernel?: LikelihoodKernel;
  /**
   * With the fused likelihood: evaluate the priors inside the fused op too (float64, one more
   * partial sum) instead of as tensor ops through src/ppl, which then only applies the bijectors
   * and their Jacobians (about 120-170 kernels per gradient instead of 490-670). Default true.
   */
  readonly fusedPriors?: boolean;
}

/** Host-side constants the model derives from the design (also used by tests and analysis). */
export interface MmmConstants {
  readonly laggedMedia: Float32Array; // [C, L, N]
  readonly activeMask: Float32Array; // [C, 1, N]
  readonly spendTotal: Float64Array; // [C] over the ROI window of each channel
  readonly roiWeight: Float32Array; // [C, 1, G, T]: window indicator x KPI unit x KPI value
}

export function mmmConstants(design: MmmDesign, config: MmmModelConfig): MmmConstants {
  const { geos: G, periods: T, channels: C } = designDims(design);
  const L = config.adstock.maxLag;
  const N = G * T;
  const laggedMedia = new Float32Array(C * L * N);
  const activeMask = new Float32Array(C * N);
  for (let c = 0; c < C; c++) {
    for (let g = 0; g < G; g++) {
      for (let t = 0; t < T; t++) {
        const n = g * T + t;
        let any = false;
        for (let l = 0; l < L && l <= t; l++) {
          const x = design.media[(g * T + t - l) * C + c];
          laggedMedia[(c * L + l) * N + n] = x;
          if (x !== 0) any = true;
        }
        activeMask[c * N + n] = any ? 1 : 0;
      }
    }
  }
  const spendTotal = new Float64Array(C);
  const roiWeight = new Float32Array(C * N);
  const windows = config.mediaPrior.type === 'roi' ? config.mediaPrior.window ?? {} : {};
  for (let c = 0; c < C; c++) {
    const window = windows[design.channelNames[c]];
    for (let t = 0; t < T; t++) {
      const date = design.dates[t];
      const inside = !window || (date >= window.from && date <= window.to);
      if (!inside) continue;
      for (let g = 0; g < G; g++) {
        spendTotal[c] += design.spend[(g * T + t) * C + c];
        roiWeight[c * N + g * T + t] = design.kpiUnit[g] * (design.kpiValue ? design.kpiValue[g * T + t] : 1);
      }
    }
  }
  return { laggedMedia, activeMask, spendTotal, roiWeight };
}

export function createGeoMmm(design: MmmDesign, config: MmmModelConfig, options: GeoMmmOptions = {}): GeoMmmModel {
  const likelihoodKernel = options.likelihoodKernel ?? 'fused';
  const fusedPriors = likelihoodKernel === 'fused' && (options.fusedPriors ?? true);
  const { geos: G, periods: T, channels: C, controls: K, events: E } = designDims(design);
  const L = config.adstock.maxLag;
  const N = G * T;
  const S = config.seasonality.order;
  const hierarchical = G > 1;
  const mediaByGeo = hierarchical && config.geo.media !== 'pooled';
  const roiPrior = config.mediaPrior.type === 'roi';
  if (roiPrior && mediaByGeo && config.geo.media === 'centered') {
    throw new Error('model config: an ROI prior needs non-centered or pooled geo media effects (geo.media), not centered');
  }
  const channelNames = design.channelNames;
  const owned: Tensor[] = [];
  const keep = <X extends Tensor>(x: X): X => {
    owned.push(x);
    return x;
  };
  const prior = (name: PriorName, names: readonly string[]) => {
    if (fusedPriors) return undefined; // the fused op evaluates it (and checks the spec)
    const built = buildPrior(priorSpec(config, name), names, `model config: priors.${name}`);
    owned.push(...built.tensors);
    return built.distribution;
  };

  // ---- constants, uploaded once
  const constants = mmmConstants(design, config);
  const laggedMedia = keep(tf.tensor3d(constants.laggedMedia, [C, L, N]));
  const activeMask = keep(tf.tensor3d(constants.activeMask, [C, 1, N]));
  const logOffset = keep(tf.tensor3d(constants.activeMask.map((v) => (v ? UNDERFLOW_FLOOR : 1)), [C, 1, N]));
  const lags = keep(tf.tensor3d(Float32Array.from({ length: L }, (_, l) => l), [1, 1, L]));
  const logLagPlusOne = keep(tf.tensor3d(Float32Array.from({ length: L }, (_, l) => Math.log(l + 1)), [1, 1, L]));
  const kpi = keep(tf.tensor3d(Float32Array.from(design.kpi), [1, G, T]));
  // Held-out cells: multiply their log-likelihood terms by 0 (observedCount is the count per geo).
  const observed = design.observed ? keep(tf.tensor3d(Float32Array.from(design.observed), [1, G, T])) : undefined;
  const observedCount = design.observed
    ? keep(tf.tensor2d(Float32Array.from({ length: G }, (_, g) => design.observed!.subarray(g * T, (g + 1) * T).reduce((a, b) => a + b, 0)), [1, G]))
    : undefined;
  const trend = config.trend ? keep(tf.tensor3d(Float32Array.from(trendFeature(T)), [1, 1, T])) : undefined;
  const fourier = S > 0 ? keep(tf.tensor2d(Float32Array.from(fourierFeatures(T, S, config.seasonality.period)), [T, 2 * S])) : undefined;
  const controls = K > 0 ? keep(tf.tensor2d(transposeToFeatureMajor(design.controls, N, K), [K, N])) : undefined;
  const events = E > 0 ? keep(tf.tensor2d(transposeToFeatureMajor(design.events, N, E), [E, N])) : undefined;
  const roiWeight = roiPrior ? keep(tf.tensor4d(constants.roiWeight, [C, 1, G, T])) : undefined;
  const logSpendTotal = roiPrior ? keep(tf.tensor2d(Float32Array.from(constants.spendTotal, Math.log), [1, C])) : undefined;
  if (roiPrior) {
    constants.spendTotal.forEach((total, c) => {
      if (!(total > 0)) throw new Error(`model config: channel "${channelNames[c]}" has no spend in its ROI prior window, so its ROI is undefined`);
    });
  }

  // ---- lift tests: per-channel cells, zero-padded to the largest count M (tensor kernel only)
  const liftTests = resolveLiftTests(design, config);
  const lift = liftTests && likelihoodKernel === 'tensor' ? liftTensors(liftCells(design, liftTests, L)) : undefined;
  function liftTensors(cells: LiftCells) {
    const O = cells.observationCount;
    const geoWidth = mediaByGeo ? G : 1; // beta is [B, G|1, C]
    const slot = new Int32Array(cells.cellCount);
    const counts = new Int32Array(C);
    for (let i = 0; i < cells.cellCount; i++) slot[i] = counts[cells.channel[i]]++;
    const M = Math.max(1, ...counts);
    const laggedTest = new Float32Array(C * L * M);
    const laggedControl = new Float32Array(C * L * M);
    const maskTest = new Float32Array(C * M);
    const maskControl = new Float32Array(C * M);
    const geoOneHot = new Float32Array(C * geoWidth * M);
    const cellWeight = new Float32Array(C * M * O);
    for (let i = 0; i < cells.cellCount; i++) {
      const c = cells.channel[i];
      const m = slot[i];
      for (let l = 0; l < L; l++) {
        laggedTest[(c * L + l) * M + m] = cells.laggedTest[i * L + l];
        laggedControl[(c * L + l) * M + m] = cells.laggedControl[i * L + l];
      }
      maskTest[c * M + m] = cells.activeTest[i];
      maskControl[c * M + m] = cells.activeControl[i];
      geoOneHot[(c * geoWidth + (mediaByGeo ? cells.geo[i] : 0)) * M + m] = 1;
      cellWeight[(c * M + m) * O + cells.observation[i]] = cells.weight[i];
    }
    const anyStudentT = cells.studentT.some((v) => v === 1);
    const anyNormal = cells.studentT.some((v) => v === 0);
    const row = (values: ArrayLike<number>) => keep(tf.tensor2d(Float32Array.from(values), [1, O]));
    return {
      laggedTest: keep(tf.tensor3d(laggedTest, [C, L, M])),
      laggedControl: keep(tf.tensor3d(laggedControl, [C, L, M])),
      maskTest: keep(tf.tensor3d(maskTest, [C, 1, M])),
      maskControl: keep(tf.tensor3d(maskControl, [C, 1, M])),
      offsetTest: keep(tf.tensor3d(maskTest.map((v) => (v ? UNDERFLOW_FLOOR : 1)), [C, 1, M])),
      offsetControl: keep(tf.tensor3d(maskControl.map((v) => (v ? UNDERFLOW_FLOOR : 1)), [C, 1, M])),
      geoOneHot: keep(tf.tensor3d(geoOneHot, [C, geoWidth, M])),
      cellWeight: keep(tf.tensor3d(cellWeight, [C, M, O])),
      scaledValue: row(cells.scaledValue),
      normalMask: anyNormal && anyStudentT ? row(Array.from(cells.studentT, (v) => 1 - v)) : undefined,
      studentT: anyStudentT ? { mask: row(cells.studentT), df: row(cells.df), halfDfPlusOne: row(Array.from(cells.df, (df) => -0.5 * (df + 1))) } : undefined,
      logNormalizer: row(cells.logNormalizer),
    };
  }

  // ---- parameters (declaration order = unconstrained layout order)
  const parameters: Record<string, ParameterSpec> = {};
  const adstockType = config.adstock.type;
  if (adstockType === 'geometric' || adstockType === 'delayed') {
    parameters.alpha = { shape: [C], constraint: unitInterval(), prior: prior('alpha', channelNames) };
  }
  if (adstockType === 'delayed') {
    parameters.theta = { shape: [C], constraint: interval(0, L - 1), prior: prior('theta', channelNames) };
  }
  if (adstockType === 'weibull') {
    parameters.weibullShape = { shape: [C], constraint: positive(), prior: prior('weibullShape', channelNames) };
    parameters.weibullScale = { shape: [C], constraint: positive(), prior: prior('weibullScale', channelNames) };
  }
  const saturationType = config.saturation.type;
  if (saturationType === 'hill' || saturationType === 'michaelisMenten') {
    parameters.k = { shape: [C], constraint: positive(), prior: prior('k', channelNames) };
  }
  const freeSlope = saturationType === 'hill' && config.saturation.fixedSlope === undefined;
  if (freeSlope) parameters.s = { shape: [C], constraint: positive(), prior: prior('s', channelNames) };
  if (saturationType === 'logistic') {
    parameters.lambda = { shape: [C], constraint: positive(), prior: prior('lambda', channelNames) };
  }
  if (roiPrior) parameters.roi = { shape: [C], constraint: positive(), prior: prior('roi', channelNames) };
  else parameters.m = { shape: [C], prior: prior('m', channelNames) };
  if (mediaByGeo) {
    parameters.eta = { shape: [C], constraint: positive(), prior: prior('eta', channelNames) };
    if (config.geo.media === 'centered') {
      parameters.log_beta = {
        shape: [G, C],
        prior: (p) => new Normal(tf.expandDims(p.m, 1), tf.expandDims(p.eta, 1)),
      };
    } else {
      parameters.u = { shape: [G, C], prior: new Normal(0, 1) };
    }
  }
  parameters.tau0 = { prior: prior('tau0', ['tau0']) };
  if (hierarchical) {
    parameters.sigma_tau = { constraint: positive(), prior: prior('sigma_tau', ['sigma_tau']) };
    if (config.geo.intercept === 'centered') {
      parameters.tau = { shape: [G], prior: (p) => new Normal(p.tau0, p.sigma_tau) };
    } else {
      parameters.v = { shape: [G], prior: new Normal(0, 1) };
    }
  }
  if (config.trend) parameters.delta = { prior: prior('delta', ['delta']) };
  if (S > 0) parameters.phi = { shape: [2 * S], prior: prior('phi', fourierNames(S)) };
  if (K > 0) parameters.gamma = { shape: [K], prior: prior('gamma', design.controlNames) };
  if (E > 0) parameters.xi = { shape: [E], prior: prior('xi', design.eventNames) };
  parameters.sigma = { constraint: positive(), prior: prior('sigma', ['sigma']) };
  if (config.likelihood === 'studentT') parameters.nu = { constraint: positive(), prior: prior('nu', ['nu']) };

  const fixedSlope = config.saturation.type === 'michaelisMenten' ? 1 : config.saturation.fixedSlope;

  /** Normalized adstock weights [C, B, L] as a softmax of log-weights over lags. */
  function adstockWeights(p: Readonly<Record<string, Tensor>>): Tensor {
    let logWeights: Tensor; // [B, C, L]
    if (adstockType === 'geometric') {
      logWeights = tf.mul(tf.expandDims(tf.log(p.alpha), 2), lags);
    } else if (adstockType === 'delayed') {
      const distance = tf.square(tf.sub(lags, tf.expandDims(p.theta, 2)));
      logWeights = tf.mul(tf.expandDims(tf.log(p.alpha), 2), distance);
    } else {
      // Weibull pdf at l + 1: log w = (shape - 1) z - exp(shape z) + const, z = log(l + 1) - log(scale).
      const shape = tf.expandDims(p.weibullShape, 2);
      const z = tf.sub(logLagPlusOne, tf.expandDims(tf.log(p.weibullScale), 2));
      logWeights = tf.sub(tf.mul(tf.sub(shape, 1), z), tf.exp(tf.mul(shape, z)));
    }
    return tf.transpose(tf.softmax(logWeights), [1, 0, 2]);
  }

  /** Saturated media [C, B, N] from the adstock weights [C, B, L]. */
  function saturatedMedia(p: Readonly<Record<string, Tensor>>, chains: number, weights: Tensor): Tensor {
    return saturate(p, chains, tf.matMul(weights, laggedMedia), logOffset, activeMask); // [C, B, N]
  }

  /** Saturation of adstocked media [C, B, X]; cells with mask 0 (offset 1) give 0. */
  function saturate(p: Readonly<Record<string, Tensor>>, chains: number, adstocked: Tensor, offset: Tensor, mask: Tensor): Tensor {
    if (saturationType === 'logistic') {
      // (1 - exp(-lambda a)) / (1 + exp(-lambda a)) = tanh(lambda a / 2)
      const lambda = tf.reshape(tf.transpose(p.lambda), [C, chains, 1]);
      return tf.tanh(tf.mul(tf.mul(lambda, 0.5), adstocked));
    }
    const logA = tf.log(tf.add(adstocked, offset));
    const logK = tf.reshape(tf.transpose(tf.log(p.k)), [C, chains, 1]);
    let z = tf.sub(logA, logK);
    if (fixedSlope === undefined) z = tf.mul(tf.reshape(tf.transpose(p.s), [C, chains, 1]), z);
    else if (fixedSlope !== 1) z = tf.mul(z, fixedSlope);
    return tf.mul(tf.sigmoid(z), mask);
  }

  /** Log media coefficients [B, G, C] (or [B, 1, C] when pooled). */
  function logBeta(p: Readonly<Record<string, Tensor>>, saturated4d: Tensor): Tensor {
    if (mediaByGeo && config.geo.media === 'centered') return p.log_beta;
    const geoDeviation = mediaByGeo ? tf.mul(tf.expandDims(p.eta, 1), p.u) : undefined; // [B, G, C]
    let m: Tensor; // [B, C]
    if (roiPrior) {
      // ROI_c = sum_{g,t in window} exp(m_c + dev[g,c]) h[g,t,c] unit[g] value[g,t] / spend_c
      //  =>  m_c = log(roi_c) + log(spend_c) - log sum_g exp(dev[g,c]) H[g,c]
      const weighted = tf.sum(tf.mul(saturated4d, roiWeight as Tensor), 3); // [C, B, G]
      let perChannel: Tensor; // [C, B]
      if (geoDeviation) perChannel = tf.sum(tf.mul(weighted, tf.transpose(tf.exp(geoDeviation), [2, 0, 1])), 2);
      else perChannel = tf.sum(weighted, 2);
      m = tf.sub(tf.add(tf.log(p.roi), logSpendTotal as Tensor), tf.log(tf.transpose(perChannel)));
    } else {
      m = p.m;
    }
    const mExpanded = tf.expandDims(m, 1); // [B, 1, C]
    return geoDeviation ? tf.add(mExpanded, geoDeviation) : mExpanded;
  }

  /** Mean of the scaled KPI [B, G, T], with the media coefficients [B, G|1, C] and adstock weights [C, B, L]. */
  function meanKpi(p: Readonly<Record<string, Tensor>>): { mean: Tensor; beta: Tensor; weights: Tensor } {
    const chains = p.sigma.shape[0];
    const weights = adstockWeights(p);
    const saturated = saturatedMedia(p, chains, weights); // [C, B, N]
    const saturated4d = tf.reshape(saturated, [C, chains, G, T]);
    const beta = tf.exp(logBeta(p, saturated4d)); // [B, G|1, C]
    const betaByChannel = tf.expandDims(tf.transpose(beta, [2, 0, 1]), 3); // [C, B, G|1, 1]
    let mean: Tensor = tf.sum(tf.mul(betaByChannel, saturated4d), 0); // [B, G, T]
    let intercept: Tensor; // [B, G|1]
    if (!hierarchical) intercept = p.tau0;
    else if (config.geo.intercept === 'centered') intercept = p.tau;
    else intercept = tf.add(p.tau0, tf.mul(p.sigma_tau, p.v));
    mean = tf.add(mean, tf.expandDims(intercept, 2));
    if (trend) mean = tf.add(mean, tf.mul(tf.expandDims(p.delta, 2), trend));
    if (fourier) mean = tf.add(mean, tf.expandDims(tf.matMul(p.phi as Tensor2D, fourier as Tensor2D, false, true), 1));
    if (controls) mean = tf.add(mean, tf.reshape(tf.matMul(p.gamma as Tensor2D, controls as Tensor2D), [chains, G, T]));
    if (events) mean = tf.add(mean, tf.reshape(tf.matMul(p.xi as Tensor2D, events as Tensor2D), [chains, G, T]));
    return { mean, beta, weights };
  }

  /** Lift-test log densities [B, O] (liftTests.ts), from the coefficients [B, G|1, C] and adstock weights [C, B, L]. */
  function liftLogLikelihood(p: Readonly<Record<string, Tensor>>, beta: Tensor, weights: Tensor): Tensor {
    const t = lift!;
    const chains = p.sigma.shape[0];
    const test = saturate(p, chains, tf.matMul(weights, t.laggedTest), t.offsetTest, t.maskTest); // [C, B, M]
    const control = saturate(p, chains, tf.matMul(weights, t.laggedControl), t.offsetControl, t.maskControl);
    const betaCells = tf.matMul(tf.transpose(beta, [2, 0, 1]), t.geoOneHot); // [C, B, M]
    const implied = tf.sum(tf.matMul(tf.mul(betaCells, tf.sub(test, control)), t.cellWeight), 0); // [B, O]: lift / se
    const z = tf.sub(t.scaledValue, implied);
    const square = tf.square(z);
    let kernel: Tensor | undefined;
    if (!t.studentT || t.normalMask) kernel = tf.mul(t.normalMask ? tf.mul(square, t.normalMask) : square, -0.5);
    if (t.studentT) {
      // -(df + 1) / 2 log1p(z^2 / df)
      const studentKernel = tf.mul(tf.mul(tf.log1p(tf.div(square, t.studentT.df)), t.studentT.halfDfPlusOne), t.studentT.mask);
      kernel = kernel ? tf.add(kernel, studentKernel) : studentKernel;
    }
    return tf.add(kernel as Tensor, t.logNormalizer);
  }

  /** Per-geo log-likelihood partial sums [B, G], and with lift tests their log densities [B, O]. */
  function logLikelihood(p: Readonly<Record<string, Tensor>>): Tensor | Tensor[] {
    const { mean, beta, weights } = meanKpi(p);
    const geoTerms = kpiLogLikelihood(p, mean);
    return lift ? [geoTerms, liftLogLikelihood(p, beta, weights)] : geoTerms;
  }

  /** Per-geo log-likelihood partial sums [B, G] of the KPI given its mean [B, G, T]. */
  function kpiLogLikelihood(p: Readonly<Record<string, Tensor>>, mean: Tensor): Tensor {
    const residual = tf.sub(kpi, mean);
    const sigma = tf.expandDims(p.sigma, 2); // [B, 1, 1]
    const z = tf.div(residual, sigma);
    const count: Tensor | number = observedCount ?? T; // observed periods per geo
    const masked = (x: Tensor) => (observed ? tf.mul(x, observed) : x);
    if (config.likelihood === 'normal') {
      // sum_t [-z^2/2 - log sigma - log sqrt(2 pi)]
      return tf.sub(tf.mul(tf.sum(masked(tf.square(z)), 2), -0.5), tf.mul(tf.add(tf.log(p.sigma), LOG_SQRT_2PI), count));
    }
    // Student-t(nu, mu, sigma): lgamma((nu+1)/2) - lgamma(nu/2) - log(sqrt(nu pi) sigma) - (nu+1)/2 log(1 + z^2/nu)
    const nu = tf.expandDims(p.nu, 2); // [B, 1, 1]
    const kernel = tf.sum(masked(tf.mul(tf.mul(tf.add(nu, 1), -0.5), tf.log1p(tf.div(tf.square(z), nu)))), 2); // [B, G]
    const perObservation = tf.sub(
      tf.sub(lgammaTensor(tf.mul(tf.add(p.nu, 1), 0.5)), lgammaTensor(tf.mul(p.nu, 0.5))),
      tf.add(tf.mul(0.5, tf.log(tf.mul(p.nu, Math.PI))), tf.log(p.sigma)),
    ); // [B, 1]
    return tf.add(kernel, tf.mul(perObservation, count));
  }

  const fused = likelihoodKernel === 'fused' ? createFusedLikelihood(design, config, { priors: fusedPriors }) : undefined;
  if (fusedPriors) {
    for (const name of Object.keys(parameters)) parameters[name] = { shape: parameters[name].shape, constraint: parameters[name].constraint };
  }

  const centering = mediaCentering(config, channelNames, G, mediaByGeo, roiPrior);
  const definition: ModelDefinition = {
    name: `geo-mmm(${G}x${T}x${C})`,
    parameters,
    centering: centering ? [centering] : undefined,
    logDensity: fused ? (p) => fused.logLikelihood(p) : (p) => logLikelihood(p),
    hostLogDensity: fused && fusedPriors ? hostLogDensity(fused) : undefined,
    generated: (values) => {
      const out: Record<string, number | Float64Array> = {};
      if (hierarchical && config.geo.intercept === 'centered') {
        const tau0 = values.tau0[0];
        const sigmaTau = values.sigma_tau[0];
        out.v = values.tau.map((tau) => (tau - tau0) / sigmaTau);
      }
      if (mediaByGeo && config.geo.media === 'centered') {
        out.u = values.log_beta.map((b, i) => (b - values.m[i % C]) / values.eta[i % C]);
      }
      return out;
    },
    generatedShapes: { v: [G], u: [G, C] },
    dispose: () => owned.forEach((t) => t.dispose()),
  };
  return { definition, config, design, parameterNames: Object.keys(parameters), likelihoodKernel, fusedPriors };
}

/**
 * Per-channel centering (config geo.media as a map): the listed channels' u[g,c] sampled in the
 * coordinate m_c + eta_c u[g,c] = log beta[g,c], or with a weight w in (0, 1) partially centered,
 * w m_c + eta_c^w u[g,c]. Undefined when no channel is (partially) centered.
 */
export function mediaCentering(config: MmmModelConfig, channelNames: readonly string[], G: number, mediaByGeo: boolean, roiPrior: boolean): CenteringBlock | undefined {
  const media = config.geo.media;
  if (typeof media !== 'object') return undefined;
  for (const name of Object.keys(media)) {
    if (!channelNames.includes(name)) throw new Error(`model config: geo.media.${name}: no such channel (channels: ${channelNames.join(', ')})`);
  }
  const centered = channelNames.flatMap((name, c) => (centeringWeight(media[name]) > 0 ? [c] : []));
  if (centered.length === 0 || !mediaByGeo) return undefined;
  if (roiPrior) throw new Error('model config: geo.media: centering channels needs the coefficient prior (m); with an ROI prior m is derived, use non-centered or pooled media effects');
  const C = channelNames.length;
  const elements = [];
  for (let g = 0; g < G; g++) {
    for (const c of centered) elements.push({ effect: g * C + c, location: c, scale: c, weight: centeringWeight(media[channelNames[c]]) });
  }
  return { effect: 'u', location: 'm', scale: 'eta', elements };
}

/**
 * The fused kernel (likelihood and priors) as the model's float64 host log density: src/ppl then
 * evaluates the whole model without tensors (src/ppl/hostPath.ts).
 */
function hostLogDensity(fused: FusedLikelihood): HostLogDensity {
  const { host } = fused;
  const width = host.outputWidth;
  let ones = new Float64Array(0);
  return {
    inputNames: host.inputNames,
    valueAndGradient(values, chains) {
      const terms = host.forward(values, chains);
      const logDensity = new Float64Array(chains);
      for (let c = 0; c < chains; c++) {
        let total = 0;
        for (let j = 0; j < width; j++) total += terms[c * width + j];
        logDensity[c] = total;
      }
      if (ones.length !== chains * width) ones = new Float64Array(chains * width).fill(1);
      const gradient = host.backward(ones);
      const gradients = host.inputSizes.map((size, i) => gradient.subarray(chains * host.inputOffsets[i], chains * (host.inputOffsets[i] + size)));
      return { logDensity, gradients };
    },
  };
}

/** [N, F] row-major to [F, N] row-major, float32. */
function transposeToFeatureMajor(values: Float64Array, rows: number, features: number): Float32Array {
  const out = new Float32Array(rows * features);
  for (let n = 0; n < rows; n++) for (let f = 0; f < features; f++) out[f * rows + n] = values[n * features + f];
  return out;
}

export function fourierNames(order: number): string[] {
  const names: string[] = [];
  for (let s = 1; s <= order; s++) names.push(`sin${s}`, `cos${s}`);
  return names;
}
