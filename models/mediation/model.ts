/**
 * The mediation model as a model on src/ppl: the KPI equation and one equation per mediator, in one
 * joint log density (national data, scaled as the reference model: media / channel mean, KPI / its
 * mean, controls standardized). For B chains, T periods, C channels, M mediators and P path edges:
 *
 *   KPI:       y[t]   = b0 + delta tr[t] + phi . f[t] + gamma . z[t] + xi . e[t] + sum_c beta_c sat_c(adstock_c(x_c))[t] + u[t]
 *   mediator:  x_m[t] = b0_m + delta_m tr[t] + ... + sum_{d -> m} g_{d,m} sat_M(adstock_M(x_d))[t] + u_m[t]
 *   errors:    u ~ Normal(0, sigma) iid, or AR(1): u[t] = rho u[t-1] + eps[t], eps ~ Normal(0, sigma),
 *              u[0] ~ Normal(0, sigma / sqrt(1 - rho^2)) (exact likelihood, Prais & Winsten 1954).
 *
 * The joint density factorizes as p(y | x) prod_m p(x_m | x_parents(m)) over the directed acyclic
 * mediation graph (structure.ts), each mediator equation conditioning on the observed activity of
 * its drivers (Pearl 2009, "Causality", ch. 3, structural equation models).
 *
 * Tensor layout: lagged media [C, L, T] and lagged driver media [P, L_M, T] are uploaded once;
 * adstock is one batched matMul per equation kind ([C, B, L] x [C, L, T]); adstock weights are a
 * softmax over lags of l log(alpha) (normalized geometric weights, models/mmm/transforms.ts). Cells
 * whose adstock window is all zero are masked before the log of the Hill saturation. Path terms are
 * summed into their mediators by one [M, P] indicator matMul. The log likelihood is returned as
 * per-equation partial sums [B, 1 + M] (added on the host in float64).
 */
import { interval, positive, unitInterval, type Bijector } from '../../src/bijectors/index.js';
import type { Distribution } from '../../src/distributions/index.js';
import { fourierFeatures } from '../../src/data/index.js';
import type { ModelDefinition, ParameterSpec } from '../../src/ppl/index.js';
import { tf, type Tensor, type Tensor2D } from '../../src/tensor/index.js';
import { buildPrior, type PriorSpec, type MmmDesign } from '../mmm/index.js';
import { mediationPrior, trendColumns, trendNames, type MediationAdstock, type MediationModelConfig, type MediationPriorName, type MediationSaturation } from './config.js';
import { createMediationFusedHost } from './fusedHost.js';
import { createFusedOp } from './fusedOp.js';
import type { MediationStructure } from './structure.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
/** Added to adstock before the log: 1 in masked cells (log 1 = 0), 1e-20 elsewhere (underflow guard). */
const UNDERFLOW_FLOOR = 1e-20;

/**
 * 'fused' (default): likelihood and priors in one custom-gradient op evaluated in float64 on the
 * host (fusedHost.ts, fusedOp.ts); 'tensor': the tfjs formulation below, differentiated by tfjs.
 * Both are tested against the float64 reference density.
 */
export type MediationKernel = 'fused' | 'tensor';

export interface MediationModel {
  readonly kernel: MediationKernel;
  readonly definition: ModelDefinition;
  readonly config: MediationModelConfig;
  readonly design: MmmDesign;
  readonly structure: MediationStructure;
  /** Names of the sampled parameters in declaration order. */
  readonly parameterNames: readonly string[];
}

/** Whether an adstock has a free decay parameter (geometric with more than one lag). */
export function hasAdstockParameter(adstock: MediationAdstock): boolean {
  return adstock.type === 'geometric' && adstock.maxLag > 1;
}

/** The constraint implied by a coefficient prior's support: signed for normal / Student-t. */
export function constraintForPrior(spec: PriorSpec, where: string): Bijector | undefined {
  switch (spec.dist) {
    case 'normal':
    case 'studentT':
      return undefined;
    case 'halfNormal':
    case 'logNormal':
    case 'gamma':
    case 'exponential':
    case 'halfCauchy':
      return positive();
    case 'beta':
      return unitInterval();
    case 'uniform':
      if (typeof spec.lower !== 'number' || typeof spec.upper !== 'number') throw new Error(`${where}: a uniform prior on a coefficient needs one lower and one upper bound (numbers)`);
      return interval(spec.lower, spec.upper);
  }
}

export function fourierNames(order: number): string[] {
  const names: string[] = [];
  for (let s = 1; s <= order; s++) names.push(`sin${s}`, `cos${s}`);
  return names;
}

/** Lagged series [rows, L, T] (rows taken from media columns `columns`) and the all-zero-window mask [rows, 1, T]. */
function laggedColumns(design: MmmDesign, columns: readonly number[], lags: number): { lagged: Float32Array; mask: Float32Array } {
  const T = design.dates.length;
  const C = design.channelNames.length;
  const lagged = new Float32Array(columns.length * lags * T);
  const mask = new Float32Array(columns.length * T);
  columns.forEach((c, row) => {
    for (let t = 0; t < T; t++) {
      let any = false;
      for (let l = 0; l < lags && l <= t; l++) {
        const x = design.media[(t - l) * C + c];
        lagged[(row * lags + l) * T + t] = x;
        if (x !== 0) any = true;
      }
      mask[row * T + t] = any ? 1 : 0;
    }
  });
  return { lagged, mask };
}

/** [rows, cols] row-major to [cols, rows] row-major, float32. */
function transposed(values: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c];
  return out;
}

export function createMediationModel(design: MmmDesign, config: MediationModelConfig, structure: MediationStructure, options: { readonly kernel?: MediationKernel } = {}): MediationModel {
  const kernel = options.kernel ?? 'fused';
  const G = design.geoNames.length;
  if (G !== 1) throw new Error(`mediation model: national data only (one geo), got ${G} geos`);
  const T = design.dates.length;
  const C = design.channelNames.length;
  const K = design.controlNames.length;
  const E = design.eventNames.length;
  const M = structure.mediators.length;
  const P = structure.edges.length;
  const S = config.seasonality.order;
  const Q = 1 + M; // equations
  const channelNames = design.channelNames;
  const edgeNames = structure.edges.map((e) => e.name);
  const mediatorNames = structure.mediatorNames;
  const owned: Tensor[] = [];
  const keep = <X extends Tensor>(x: X): X => {
    owned.push(x);
    return x;
  };
  const priorOf: Record<string, { prior: MediationPriorName; names: readonly string[] }> = {};
  const prior = (name: MediationPriorName, names: readonly string[]): Distribution | undefined => {
    if (kernel === 'fused') return undefined; // the fused op evaluates it (and checks the spec)
    const built = buildPrior(mediationPrior(config, name), names, `model config: priors.${name}`);
    owned.push(...built.tensors);
    return built.distribution;
  };
  const crossNames = (inner: readonly string[]) => mediatorNames.flatMap((m) => inner.map((x) => `${m}:${x}`));

  // ---- constants, uploaded once
  const L = hasAdstockParameter(config.adstock) ? (config.adstock as { maxLag: number }).maxLag : 1;
  const LM = hasAdstockParameter(config.mediatorAdstock) ? (config.mediatorAdstock as { maxLag: number }).maxLag : 1;
  const direct = laggedColumns(design, channelNames.map((_, c) => c), L);
  const paths = laggedColumns(design, structure.edges.map((e) => e.driver), LM);
  const laggedMedia = keep(tf.tensor3d(direct.lagged, [C, L, T]));
  const directMask = keep(tf.tensor3d(direct.mask, [C, 1, T]));
  const directOffset = keep(tf.tensor3d(direct.mask.map((v) => (v ? UNDERFLOW_FLOOR : 1)), [C, 1, T]));
  const laggedDrivers = keep(tf.tensor3d(paths.lagged, [P, LM, T]));
  const pathMask = keep(tf.tensor3d(paths.mask, [P, 1, T]));
  const pathOffset = keep(tf.tensor3d(paths.mask.map((v) => (v ? UNDERFLOW_FLOOR : 1)), [P, 1, T]));
  const lagsKpi = keep(tf.tensor3d(Float32Array.from({ length: L }, (_, l) => l), [1, 1, L]));
  const lagsPath = keep(tf.tensor3d(Float32Array.from({ length: LM }, (_, l) => l), [1, 1, LM]));
  const kpi = keep(tf.tensor3d(Float32Array.from(design.kpi), [1, 1, T]));
  const mediatorActivity = keep(
    tf.tensor3d(Float32Array.from({ length: M * T }, (_, i) => design.media[(i % T) * C + structure.mediators[Math.floor(i / T)]]), [1, M, T]),
  );
  const edgeToMediator = keep(tf.tensor2d(Float32Array.from({ length: M * P }, (_, i) => (structure.edges[i % P].mediator === Math.floor(i / P) ? 1 : 0)), [M, P]));
  const R = 1 + config.trendKnots; // trend columns of the KPI equation
  const RM = 1 + config.mediatorTrendKnots; // and of the mediator equations
  const trendT = config.trend ? keep(tf.tensor2d(transposed(trendColumns(T, config.trendKnots), T, R), [R, T])) : undefined;
  const trendMT = config.trend ? keep(tf.tensor2d(transposed(trendColumns(T, config.mediatorTrendKnots), T, RM), [RM, T])) : undefined;
  const fourierT = S > 0 ? keep(tf.tensor2d(transposed(fourierFeatures(T, S, config.seasonality.period), T, 2 * S), [2 * S, T])) : undefined;
  const controlsT = K > 0 ? keep(tf.tensor2d(transposed(design.controls, T, K), [K, T])) : undefined;
  const eventsT = E > 0 ? keep(tf.tensor2d(transposed(design.events, T, E), [E, T])) : undefined;

  // ---- parameters (declaration order = unconstrained layout order)
  const parameters: Record<string, ParameterSpec> = {};
  const coefficient = (name: MediationPriorName, names: readonly string[], shape: number[]): ParameterSpec => ({
    shape,
    constraint: constraintForPrior(mediationPrior(config, name), `model config: priors.${name}`),
    prior: prior(name, names),
  });
  const saturationParameters = (saturation: MediationSaturation, prefix: '' | 'path_', names: readonly string[], size: number) => {
    const key = (n: string) => (prefix === '' ? n : `${prefix}${n}`);
    const priorName = (n: 'k' | 's' | 'lambda'): MediationPriorName => (prefix === '' ? n : (`path${n[0].toUpperCase()}${n.slice(1)}` as MediationPriorName));
    if (saturation.type === 'hill' || saturation.type === 'michaelisMenten') parameters[key('k')] = { shape: [size], constraint: positive(), prior: prior(priorName('k'), names) };
    if (saturation.type === 'hill' && saturation.fixedSlope === undefined) parameters[key('s')] = { shape: [size], constraint: positive(), prior: prior(priorName('s'), names) };
    if (saturation.type === 'logistic') parameters[key('lambda')] = { shape: [size], constraint: positive(), prior: prior(priorName('lambda'), names) };
  };
  // KPI equation
  if (L > 1) parameters.alpha = { shape: [C], constraint: unitInterval(), prior: prior('alpha', channelNames) };
  saturationParameters(config.saturation, '', channelNames, C);
  parameters.beta = coefficient('beta', channelNames, [C]);
  parameters.intercept = { prior: prior('intercept', ['intercept']) };
  if (config.trend) parameters.delta = { shape: [R], prior: prior('delta', trendNames(config.trendKnots)) };
  if (S > 0) parameters.phi = { shape: [2 * S], prior: prior('phi', fourierNames(S)) };
  if (K > 0) parameters.gamma = { shape: [K], prior: prior('gamma', design.controlNames) };
  if (E > 0) parameters.xi = { shape: [E], prior: prior('xi', design.eventNames) };
  parameters.sigma = { constraint: positive(), prior: prior('sigma', ['sigma']) };
  if (config.errors === 'ar1') parameters.rho = { constraint: interval(-1, 1), prior: prior('rho', ['rho']) };
  // mediator equations
  if (LM > 1) parameters.path_alpha = { shape: [P], constraint: unitInterval(), prior: prior('pathAlpha', edgeNames) };
  saturationParameters(config.mediatorSaturation, 'path_', edgeNames, P);
  parameters.path_coef = coefficient('pathCoefficient', edgeNames, [P]);
  parameters.med_intercept = { shape: [M], prior: prior('mediatorIntercept', mediatorNames) };
  if (config.trend) parameters.med_delta = { shape: [M * RM], prior: prior('mediatorDelta', crossNames(trendNames(config.mediatorTrendKnots))) };
  if (S > 0) parameters.med_phi = { shape: [M * 2 * S], prior: prior('mediatorPhi', crossNames(fourierNames(S))) };
  if (K > 0) parameters.med_gamma = { shape: [M * K], prior: prior('mediatorGamma', crossNames(design.controlNames)) };
  if (E > 0) parameters.med_xi = { shape: [M * E], prior: prior('mediatorXi', crossNames(design.eventNames)) };
  parameters.med_sigma = { shape: [M], constraint: positive(), prior: prior('mediatorSigma', mediatorNames) };
  if (config.errors === 'ar1') parameters.med_rho = { shape: [M], constraint: interval(-1, 1), prior: prior('mediatorRho', mediatorNames) };
  const S2 = fourierNames(S);
  const table: Record<string, [MediationPriorName, readonly string[]]> = {
    alpha: ['alpha', channelNames], k: ['k', channelNames], s: ['s', channelNames], lambda: ['lambda', channelNames], beta: ['beta', channelNames],
    intercept: ['intercept', ['intercept']], delta: ['delta', trendNames(config.trendKnots)], phi: ['phi', S2], gamma: ['gamma', design.controlNames], xi: ['xi', design.eventNames],
    sigma: ['sigma', ['sigma']], rho: ['rho', ['rho']],
    path_alpha: ['pathAlpha', edgeNames], path_k: ['pathK', edgeNames], path_s: ['pathS', edgeNames], path_lambda: ['pathLambda', edgeNames], path_coef: ['pathCoefficient', edgeNames],
    med_intercept: ['mediatorIntercept', mediatorNames], med_delta: ['mediatorDelta', crossNames(trendNames(config.mediatorTrendKnots))], med_phi: ['mediatorPhi', crossNames(S2)],
    med_gamma: ['mediatorGamma', crossNames(design.controlNames)], med_xi: ['mediatorXi', crossNames(design.eventNames)],
    med_sigma: ['mediatorSigma', mediatorNames], med_rho: ['mediatorRho', mediatorNames],
  };
  for (const [name, spec] of Object.entries(parameters)) {
    const [priorName, names] = table[name];
    priorOf[name] = { prior: priorName, names };
    if (mediationPrior(config, priorName).dist === 'uniform' && spec.constraint === undefined) throw new Error(`model config: priors.${priorName}: a uniform prior needs a bounded parameter ("${name}" is unbounded)`);
  }

  /** Per-row parameter [B, R] as [R, B, 1]. */
  const byRow = (x: Tensor, rows: number, chains: number) => tf.reshape(tf.transpose(x), [rows, chains, 1]);

  /** sat(adstock(x)) [R, B, T] for R input rows. */
  function transformed(
    p: Readonly<Record<string, Tensor>>,
    chains: number,
    rows: number,
    lags: number,
    lagged: Tensor,
    lagIndex: Tensor,
    mask: Tensor,
    offset: Tensor,
    saturation: MediationSaturation,
    prefix: '' | 'path_',
  ): Tensor {
    let adstocked: Tensor; // [R, B|1, T]
    if (lags > 1) {
      const alpha = p[`${prefix}alpha`]; // [B, R]
      const weights = tf.transpose(tf.softmax(tf.mul(tf.expandDims(tf.log(alpha), 2), lagIndex)), [1, 0, 2]); // [R, B, L]
      adstocked = tf.matMul(weights, lagged);
    } else {
      adstocked = lagged; // [R, 1, T]
    }
    if (saturation.type === 'none') return adstocked;
    if (saturation.type === 'logistic') return tf.tanh(tf.mul(tf.mul(byRow(p[`${prefix}lambda`], rows, chains), 0.5), adstocked));
    const logA = tf.log(tf.add(adstocked, offset));
    let z = tf.sub(logA, byRow(tf.log(p[`${prefix}k`]), rows, chains));
    if (saturation.type === 'hill') {
      if (saturation.fixedSlope === undefined) z = tf.mul(byRow(p[`${prefix}s`], rows, chains), z);
      else if (saturation.fixedSlope !== 1) z = tf.mul(z, saturation.fixedSlope);
    }
    return tf.mul(tf.sigmoid(z), mask);
  }

  /** Mean of the scaled KPI [B, T]. */
  function kpiMean(p: Readonly<Record<string, Tensor>>, chains: number): Tensor {
    const h = transformed(p, chains, C, L, laggedMedia, lagsKpi, directMask, directOffset, config.saturation, '');
    let mean: Tensor = tf.sum(tf.mul(byRow(p.beta, C, chains), h), 0); // [B, T]
    mean = tf.add(mean, p.intercept);
    if (trendT) mean = tf.add(mean, tf.matMul(p.delta as Tensor2D, trendT));
    if (fourierT) mean = tf.add(mean, tf.matMul(p.phi as Tensor2D, fourierT));
    if (controlsT) mean = tf.add(mean, tf.matMul(p.gamma as Tensor2D, controlsT));
    if (eventsT) mean = tf.add(mean, tf.matMul(p.xi as Tensor2D, eventsT));
    return mean;
  }

  /** Means of the mediators' scaled activity [B, M, T]. */
  function mediatorMeans(p: Readonly<Record<string, Tensor>>, chains: number): Tensor {
    const h = transformed(p, chains, P, LM, laggedDrivers, lagsPath, pathMask, pathOffset, config.mediatorSaturation, 'path_');
    const terms = tf.mul(byRow(p.path_coef, P, chains), h); // [P, B, T]
    const summed = tf.matMul(edgeToMediator, tf.reshape(tf.broadcastTo(terms, [P, chains, T]), [P, chains * T])); // [M, B T]
    let mean: Tensor = tf.transpose(tf.reshape(summed, [M, chains, T]), [1, 0, 2]); // [B, M, T]
    mean = tf.add(mean, tf.expandDims(p.med_intercept, 2));
    const baselineTerm = (coef: Tensor, featuresT: Tensor2D, width: number) =>
      tf.reshape(tf.matMul(tf.reshape(coef, [chains * M, width]) as Tensor2D, featuresT), [chains, M, T]);
    if (trendMT) mean = tf.add(mean, baselineTerm(p.med_delta, trendMT, RM));
    if (fourierT) mean = tf.add(mean, baselineTerm(p.med_phi, fourierT, 2 * S));
    if (controlsT) mean = tf.add(mean, baselineTerm(p.med_gamma, controlsT, K));
    if (eventsT) mean = tf.add(mean, baselineTerm(p.med_xi, eventsT, E));
    return mean;
  }

  /** Per-equation log-likelihood partial sums [B, 1 + M]. */
  function logLikelihood(p: Readonly<Record<string, Tensor>>): Tensor {
    const chains = p.sigma.shape[0];
    const residualKpi = tf.sub(kpi, tf.expandDims(kpiMean(p, chains), 1)); // [B, 1, T]
    const residualMediators = tf.sub(mediatorActivity, mediatorMeans(p, chains)); // [B, M, T]
    const residual = tf.concat([residualKpi, residualMediators], 1); // [B, Q, T]
    const sigma = tf.concat([p.sigma, p.med_sigma], 1); // [B, Q]
    const normalizer = tf.mul(tf.add(tf.log(sigma), LOG_SQRT_2PI), T); // [B, Q]
    if (config.errors === 'iid') {
      const z = tf.div(residual, tf.expandDims(sigma, 2));
      return tf.sub(tf.mul(tf.sum(tf.square(z), 2), -0.5), normalizer);
    }
    const rho = tf.concat([p.rho, p.med_rho], 1); // [B, Q]
    const oneMinusRhoSq = tf.sub(1, tf.square(rho)); // [B, Q]
    const later = tf.slice(residual, [0, 0, 1], [chains, Q, T - 1]);
    const earlier = tf.slice(residual, [0, 0, 0], [chains, Q, T - 1]);
    const innovation = tf.sub(later, tf.mul(tf.expandDims(rho, 2), earlier));
    const first = tf.reshape(tf.slice(residual, [0, 0, 0], [chains, Q, 1]), [chains, Q]);
    const squares = tf.add(tf.sum(tf.square(innovation), 2), tf.mul(tf.square(first), oneMinusRhoSq)); // [B, Q]
    return tf.add(tf.sub(tf.mul(tf.div(squares, tf.square(sigma)), -0.5), normalizer), tf.mul(tf.log(oneMinusRhoSq), 0.5));
  }

  const names = Object.keys(parameters);
  const fused =
    kernel === 'fused'
      ? createFusedOp(
          createMediationFusedHost(
            design,
            config,
            structure,
            names,
            names.map((n) => (parameters[n].shape ?? []).reduce((a, b) => a * b, 1)),
            Object.fromEntries(names.map((n) => [n, priorOf[n].prior])),
            Object.fromEntries(names.map((n) => [n, priorOf[n].names])),
          ),
        )
      : undefined;
  const definition: ModelDefinition = {
    name: `mediation(${T}x${C}, ${M} mediator${M === 1 ? '' : 's'})`,
    parameters,
    logDensity: fused ? (p) => fused(p) : (p) => logLikelihood(p),
    dispose: () => owned.forEach((t) => t.dispose()),
  };
  return { kernel, definition, config, design, structure, parameterNames: names };
}
