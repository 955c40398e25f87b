/**
 * Distributions: normalized log densities on float32 tensors (parameters are tensors or numbers and
 * broadcast), host float64 sampling for number parameters, and the special functions they use.
 */
export type { Param, Distribution, SampleableDistribution } from './types.js';
export {
  logGamma,
  logBeta,
  logChoose,
  log1mExpHost,
  logSumExpHost,
  lgamma,
  lbeta,
  lgammaHalfStepCorrection,
  lgammaHalfStepCorrectionHost,
  log1p,
  log1pExp,
  log1mExp,
  logSumExp,
  LOG_2PI,
  HALF_LOG_2PI,
  LOG_PI,
  LOG_2,
} from './special.js';
export type { SupportOptions } from './support.js';
export { betaVariate, binomialVariate, poissonVariate } from './hostSampling.js';
export { Normal } from './normal.js';
export { HalfNormal } from './halfNormal.js';
export { LogNormal } from './logNormal.js';
export { Beta } from './beta.js';
export { Gamma } from './gamma.js';
export { InverseGamma } from './inverseGamma.js';
export { Exponential } from './exponential.js';
export { Cauchy } from './cauchy.js';
export { HalfCauchy } from './halfCauchy.js';
export { StudentT } from './studentT.js';
export { Uniform } from './uniform.js';
export { BernoulliLogit } from './bernoulliLogit.js';
export { Binomial, BinomialLogit } from './binomial.js';
export { Poisson, PoissonLog } from './poisson.js';
export { MultivariateNormalCholesky, type HostVector, type HostMatrix } from './multivariateNormal.js';
export { fastExp, fastLog } from './elementary.js';
export { digamma } from './digamma.js';
export { PRIOR_PARAMETERS, priorParameterColumns, resolvePriorValue, type PriorDistribution, type PriorSpec, type PriorValue } from './priorSpec.js';
export {
  priorDerivative,
  priorLogDensity,
  priorLogDensitySum,
  priorSampler,
  resolvePrior,
  standardNormalPrior,
  type ResolvedPrior,
} from './hostPrior.js';
