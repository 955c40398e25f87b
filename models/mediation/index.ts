/**
 * The mediation model's public entry point: everything code outside models/mediation uses
 * (src/analysis, src/mediation, scripts) comes from here, so the model's internals can change
 * behind these names. Every name is listed (no `export *`).
 */
export {
  DEFAULT_MEDIATION_MODEL,
  DEFAULT_MEDIATION_PRIORS,
  MEDIATION_PRIOR_NAMES,
  mediationPrior,
  type ErrorModel,
  type MediationAdstock,
  type MediationModelConfig,
  type MediationPriorName,
  type MediationSaturation,
  type MediatorSpec,
} from './config.js';
export { parseMediationModel } from './parseConfig.js';
export { resolveStructure, type MediationStructure, type PathEdge } from './structure.js';
export { createMediationModel, type MediationModel } from './model.js';
export { mediationHost, type DrawValues, type MediationHost } from './hostModel.js';
export { simulateMediation, type MediationSimulation, type MediationSimulationSpec, type MediationTruth, type SimulatedChannel } from './simulate.js';
export { referenceLogDensity } from './referenceDensity.js';
