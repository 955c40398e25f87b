/**
 * The mediation model's log density in plain float64 loops on constrained parameter values: the
 * slow, obviously-right reference the kernel (kernel.ts) is tested against. Priors and
 * likelihood are normalized (constants included); no Jacobian terms (those belong to the
 * unconstrained density). The AR(1) likelihood is the exact Gaussian one (Prais & Winsten 1954):
 * u[0] ~ N(0, sigma^2 / (1 - rho^2)), u[t] - rho u[t-1] ~ N(0, sigma^2).
 */
import { priorLogDensity, resolvePrior } from '../../src/distributions/index.js';
import type { MmmDesign } from '../mmm/index.js';
import { mediationPrior, trendNames, type MediationModelConfig, type MediationPriorName } from './config.js';
import { mediationHost, type DrawValues } from './hostModel.js';
import { fourierNames, hasAdstockParameter } from './model.js';
import type { MediationStructure } from './structure.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);


/** Log likelihood of residuals u[0..T-1] under the error model. */
export function residualLogLikelihood(residual: ArrayLike<number>, sigma: number, rho: number | undefined): number {
  const T = residual.length;
  let squares = 0;
  if (rho === undefined) {
    for (let t = 0; t < T; t++) squares += residual[t] * residual[t];
    return (-0.5 * squares) / (sigma * sigma) - T * (Math.log(sigma) + LOG_SQRT_2PI);
  }
  const oneMinusRhoSq = 1 - rho * rho;
  squares = oneMinusRhoSq * residual[0] * residual[0];
  for (let t = 1; t < T; t++) {
    const innovation = residual[t] - rho * residual[t - 1];
    squares += innovation * innovation;
  }
  return (-0.5 * squares) / (sigma * sigma) - T * (Math.log(sigma) + LOG_SQRT_2PI) + 0.5 * Math.log(oneMinusRhoSq);
}

export function referenceLogDensity(design: MmmDesign, config: MediationModelConfig, structure: MediationStructure, values: DrawValues): number {
  const host = mediationHost(design, config, structure);
  const T = design.dates.length;
  const C = design.channelNames.length;
  const S = config.seasonality.order;
  const channelNames = design.channelNames;
  const edgeNames = structure.edges.map((e) => e.name);
  const mediatorNames = structure.mediatorNames;
  const cross = (inner: readonly string[]) => mediatorNames.flatMap((m) => inner.map((x) => `${m}:${x}`));
  let total = 0;
  const addPrior = (name: MediationPriorName, parameter: string, names: readonly string[]) => {
    const x = values[parameter];
    if (!x) return;
    const prior = resolvePrior(mediationPrior(config, name), names, `priors.${name}`);
    for (let i = 0; i < x.length; i++) total += priorLogDensity(prior, i, x[i]);
  };
  if (hasAdstockParameter(config.adstock)) addPrior('alpha', 'alpha', channelNames);
  addPrior('k', 'k', channelNames);
  if (config.saturation.type === 'hill' && config.saturation.fixedSlope === undefined) addPrior('s', 's', channelNames);
  addPrior('lambda', 'lambda', channelNames);
  addPrior('beta', 'beta', channelNames);
  addPrior('intercept', 'intercept', ['intercept']);
  addPrior('delta', 'delta', trendNames(config.trendKnots));
  addPrior('phi', 'phi', fourierNames(S));
  addPrior('gamma', 'gamma', design.controlNames);
  addPrior('xi', 'xi', design.eventNames);
  addPrior('sigma', 'sigma', ['sigma']);
  addPrior('rho', 'rho', ['rho']);
  if (hasAdstockParameter(config.mediatorAdstock)) addPrior('pathAlpha', 'path_alpha', edgeNames);
  addPrior('pathK', 'path_k', edgeNames);
  if (config.mediatorSaturation.type === 'hill' && config.mediatorSaturation.fixedSlope === undefined) addPrior('pathS', 'path_s', edgeNames);
  addPrior('pathLambda', 'path_lambda', edgeNames);
  addPrior('pathCoefficient', 'path_coef', edgeNames);
  addPrior('mediatorIntercept', 'med_intercept', mediatorNames);
  addPrior('mediatorDelta', 'med_delta', cross(trendNames(config.mediatorTrendKnots)));
  addPrior('mediatorPhi', 'med_phi', cross(fourierNames(S)));
  addPrior('mediatorGamma', 'med_gamma', cross(design.controlNames));
  addPrior('mediatorXi', 'med_xi', cross(design.eventNames));
  addPrior('mediatorSigma', 'med_sigma', mediatorNames);
  addPrior('mediatorRho', 'med_rho', mediatorNames);

  const kpiMean = host.kpiMean(values, design.media);
  total += residualLogLikelihood(
    Float64Array.from({ length: T }, (_, t) => design.kpi[t] - kpiMean[t]),
    values.sigma[0],
    values.rho?.[0],
  );
  structure.mediators.forEach((channel, m) => {
    const mean = host.mediatorMean(values, m, design.media);
    total += residualLogLikelihood(
      Float64Array.from({ length: T }, (_, t) => design.media[t * C + channel] - mean[t]),
      values.med_sigma[m],
      values.med_rho?.[m],
    );
  });
  return total;
}
