/**
 * The mediation model as a model on src/ppl: the KPI equation and one equation per mediator, in one
 * joint log density (national data, scaled as the reference model: media / channel mean, KPI / its
 * mean, controls standardized). For T periods, C channels, M mediators and P path edges:
 *
 *   KPI:       y[t]   = b0 + delta tr[t] + phi . f[t] + gamma . z[t] + xi . e[t] + sum_c beta_c sat_c(adstock_c(x_c))[t] + u[t]
 *   mediator:  x_m[t] = b0_m + delta_m tr[t] + ... + sum_{d -> m} g_{d,m} sat_M(adstock_M(x_d))[t] + u_m[t]
 *   errors:    u ~ Normal(0, sigma) iid, or AR(1): u[t] = rho u[t-1] + eps[t], eps ~ Normal(0, sigma),
 *              u[0] ~ Normal(0, sigma / sqrt(1 - rho^2)) (exact likelihood, Prais & Winsten 1954).
 *
 * The joint density factorizes as p(y | x) prod_m p(x_m | x_parents(m)) over the directed acyclic
 * mediation graph (structure.ts), each mediator equation conditioning on the observed activity of
 * its drivers (Pearl 2009, "Causality", ch. 3, structural equation models). The adstock and
 * saturation are the MMM's components (models/mmm/components); the whole density but the bijectors
 * is one host kernel (kernel.ts), evaluated on the host path (or as one custom-gradient op on the
 * tensor path), and tested against the float64 reference (referenceDensity.ts).
 */
import { interval, positive, unitInterval, type Bijector } from '../../src/bijectors/index.js';
import type { PriorSpec } from '../../src/distributions/index.js';
import { hostKernelDensity, hostKernelLogDensity, type ModelDefinition, type ParameterSpec } from '../../src/ppl/index.js';
import { constraintOf, fourierNames, geometric, saturationKind, type MmmDesign } from '../mmm/index.js';
import { mediationPrior, trendNames, type MediationAdstock, type MediationModelConfig, type MediationPriorName, type MediationSaturation } from './config.js';
import { createMediationKernel, saturationOptions, type MediationInput } from './kernel.js';
import type { MediationStructure } from './structure.js';

export { fourierNames } from '../mmm/index.js';

export interface MediationModel {
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

export function createMediationModel(design: MmmDesign, config: MediationModelConfig, structure: MediationStructure): MediationModel {
  const G = design.geoNames.length;
  if (G !== 1) throw new Error(`mediation model: national data only (one geo), got ${G} geos`);
  const T = design.dates.length;
  const C = design.channelNames.length;
  const K = design.controlNames.length;
  const E = design.eventNames.length;
  const M = structure.mediators.length;
  const P = structure.edges.length;
  const S = config.seasonality.order;
  const channelNames = design.channelNames;
  const edgeNames = structure.edges.map((e) => e.name);
  const mediatorNames = structure.mediatorNames;
  const crossNames = (inner: readonly string[]) => mediatorNames.flatMap((m) => inner.map((x) => `${m}:${x}`));
  const R = 1 + config.trendKnots; // trend columns of the KPI equation
  const RM = 1 + config.mediatorTrendKnots; // and of the mediator equations
  // ---- parameters (declaration order = unconstrained layout order)
  const parameters: Record<string, ParameterSpec> = {};
  const coefficient = (name: MediationPriorName, shape: number[]): ParameterSpec => ({
    shape,
    constraint: constraintForPrior(mediationPrior(config, name), `model config: priors.${name}`),
  });
  /** The adstock's and the saturation's parameters of one kind of row (the components' names, prefixed). */
  const transformParameters = (adstock: MediationAdstock, saturation: MediationSaturation, prefix: '' | 'path_', size: number) => {
    if (hasAdstockParameter(adstock)) {
      for (const p of geometric.parameters) parameters[`${prefix}${p.name}`] = { shape: [size], constraint: constraintOf(p.support(0)) };
    }
    if (saturation.type !== 'none') {
      for (const p of saturationKind(saturation.type).parameters(saturationOptions(saturation))) parameters[`${prefix}${p.name}`] = { shape: [size], constraint: constraintOf(p.support(0)) };
    }
  };
  // KPI equation
  transformParameters(config.adstock, config.saturation, '', C);
  parameters.beta = coefficient('beta', [C]);
  parameters.intercept = {};
  if (config.trend) parameters.delta = { shape: [R] };
  if (S > 0) parameters.phi = { shape: [2 * S] };
  if (K > 0) parameters.gamma = { shape: [K] };
  if (E > 0) parameters.xi = { shape: [E] };
  parameters.sigma = { constraint: positive() };
  if (config.errors === 'ar1') parameters.rho = { constraint: interval(-1, 1) };
  // mediator equations
  transformParameters(config.mediatorAdstock, config.mediatorSaturation, 'path_', P);
  parameters.path_coef = coefficient('pathCoefficient', [P]);
  parameters.med_intercept = { shape: [M] };
  if (config.trend) parameters.med_delta = { shape: [M * RM] };
  if (S > 0) parameters.med_phi = { shape: [M * 2 * S] };
  if (K > 0) parameters.med_gamma = { shape: [M * K] };
  if (E > 0) parameters.med_xi = { shape: [M * E] };
  parameters.med_sigma = { shape: [M], constraint: positive() };
  if (config.errors === 'ar1') parameters.med_rho = { shape: [M], constraint: interval(-1, 1) };
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
    const [priorName] = table[name];
    if (mediationPrior(config, priorName).dist === 'uniform' && spec.constraint === undefined) throw new Error(`model config: priors.${priorName}: a uniform prior needs a bounded parameter ("${name}" is unbounded)`);
  }

  const names = Object.keys(parameters);
  const inputs: MediationInput[] = names.map((name) => {
    const [priorName, elementNames] = table[name];
    return { name, size: (parameters[name].shape ?? []).reduce((a, b) => a * b, 1), prior: mediationPrior(config, priorName), priorName, elementNames };
  });
  const kernel = createMediationKernel(design, config, structure, inputs);
  const definition: ModelDefinition = {
    name: `mediation(${T}x${C}, ${M} mediator${M === 1 ? '' : 's'})`,
    parameters,
    logDensity: hostKernelLogDensity(kernel),
    hostLogDensity: hostKernelDensity(kernel),
  };
  return { definition, config, design, structure, parameterNames: names };
}
