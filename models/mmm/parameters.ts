/**
 * The geo MMM's parameter table: every sampled parameter with its shape, support, prior (from
 * `model.priors`, else the owning component's default), element names and owning component, in
 * declaration order (= the sampler's unconstrained layout and the kernel's input order). The model
 * definition (model.ts), the kernel's input layout (kernel/kernel.ts), prior predictive sampling
 * (priorPredictive.ts), the float64 reference density (referenceDensity.ts) and the prior-vs-posterior
 * chart are all derived from it. Order: adstock, saturation, media coefficients, time-varying effectiveness, intercepts, trend
 * (or knots), seasonality, controls, events, treatments, likelihood (the reference model's order, as
 * the Stan peer). A transform parameter's row covers the channels whose kind has it
 * (components/transformKinds.ts).
 */
import type { PriorSpec } from '../../src/distributions/index.js';
import type { MmmModelConfig } from './config.js';
import { adstockKind, ADSTOCK_KINDS } from './components/adstock/index.js';
import { COEFFICIENT_PRIORS, coefficientParameters } from './components/coefficients.js';
import { INTERCEPT_PRIORS, interceptParameters } from './components/intercepts.js';
import { LIKELIHOOD_PRIORS, likelihoodParameters } from './components/likelihood.js';
import { integratesLinearBlock, LINEAR_BLOCK_PARAMETERS } from './components/linearBlock.js';
import { LINEAR_TERM_PRIORS, linearTermParameters, linearTerms } from './components/linearTerms.js';
import { SATURATION_KINDS, saturationKind } from './components/saturation/index.js';
import { hillFrequency } from './components/saturation/hillFrequency.js';
import { TIME_VARYING_PRIORS, timeVaryingParameters } from './components/timeVarying.js';
import { transformRows } from './components/transformKinds.js';
import type { MmmParameter, PriorDeclaration, TransformParameter } from './components/types.js';
import type { MmmDesign } from './design.js';

export type { MmmParameter, ParameterPrior, Support } from './components/types.js';

/** The declarations of the components other than the media transforms, in table order. */
export const COMPONENT_PRIORS: readonly PriorDeclaration[] = [...COEFFICIENT_PRIORS, ...TIME_VARYING_PRIORS, ...INTERCEPT_PRIORS, ...LINEAR_TERM_PRIORS, ...LIKELIHOOD_PRIORS];

/** Every name `model.priors` accepts: the registered transform kinds' parameters, then the other components'. */
export function priorNames(): string[] {
  const names: string[] = [];
  const add = (name: string) => {
    if (!names.includes(name)) names.push(name);
  };
  for (const kind of Object.values(ADSTOCK_KINDS)) for (const p of kind.parameters) add(p.name);
  for (const kind of Object.values(SATURATION_KINDS)) for (const p of kind.parameters({})) add(p.name);
  for (const p of hillFrequency.parameters({})) add(p.name);
  for (const p of COMPONENT_PRIORS) add(p.name);
  return names;
}

/** The default prior of a parameter name (undefined for names without one). */
export function defaultPrior(config: MmmModelConfig, name: string): PriorSpec | undefined {
  const maxLag = config.adstock.maxLag;
  const transform: TransformParameter | undefined =
    adstockKind(config.adstock.type).parameters.find((p) => p.name === name) ??
    saturationKind(config.saturation.type).parameters(config.saturation).find((p) => p.name === name) ??
    Object.values(config.adstock.byChannel ?? {}).flatMap((spec) => adstockKind(spec.type).parameters).find((p) => p.name === name) ??
    Object.values(config.saturation.byChannel ?? {}).flatMap((spec) => saturationKind(spec.type).parameters(spec)).find((p) => p.name === name) ??
    Object.values(ADSTOCK_KINDS).flatMap((kind) => kind.parameters).find((p) => p.name === name) ??
    Object.values(SATURATION_KINDS).flatMap((kind) => kind.parameters({})).find((p) => p.name === name) ??
    hillFrequency.parameters({}).find((p) => p.name === name);
  if (transform) return transform.defaultPrior(maxLag);
  return COMPONENT_PRIORS.find((p) => p.name === name)?.defaultPrior;
}

/** The prior of a parameter: the config's, else the default. */
export function priorSpec(config: MmmModelConfig, name: string): PriorSpec {
  const given = config.priors[name];
  if (given) return given;
  const fallback = defaultPrior(config, name);
  if (!fallback) throw new Error(`model config: no prior for "${name}"`);
  return fallback;
}

/** The default priors of every name whose default does not depend on the data or the adstock's length. */
export const DEFAULT_PRIORS: Readonly<Record<string, PriorSpec>> = Object.fromEntries(
  [
    ...Object.values(ADSTOCK_KINDS).flatMap((kind) => kind.parameters).filter((p) => !p.maxLagDependent),
    ...Object.values(SATURATION_KINDS).flatMap((kind) => kind.parameters({})),
    ...hillFrequency.parameters({}),
  ]
    .map((p): [string, PriorSpec] => [p.name, p.defaultPrior(8)])
    .concat(COMPONENT_PRIORS.map((p) => [p.name, p.defaultPrior])),
);

/**
 * The parameter table of the MMM on this design and config (module comment). The linear block's
 * rows (components/linearBlock.ts) have role 'integrated' when the model integrates it out.
 */
export function mmmParameters(design: MmmDesign, config: MmmModelConfig): MmmParameter[] {
  const rows = allParameters(design, config);
  if (!integratesLinearBlock(config, rows).integrate) return rows;
  return rows.map((row) => ((LINEAR_BLOCK_PARAMETERS as readonly string[]).includes(row.name) ? { ...row, role: 'integrated' } : row));
}

/** The rows the sampler moves (the others are integrated out). */
export function sampledParameters(table: readonly MmmParameter[]): MmmParameter[] {
  return table.filter((row) => row.role !== 'integrated');
}

function allParameters(design: MmmDesign, config: MmmModelConfig): MmmParameter[] {
  const channels = design.channelNames;
  const C = channels.length;
  const maxLag = config.adstock.maxLag;
  const prior = (name: string): MmmParameter['prior'] => ({ kind: 'config', spec: priorSpec(config, name) });
  // one row per transform parameter, over the channels whose kind has it (components/transformKinds.ts)
  const transforms = transformRows(config, channels).map(({ component, parameter: p, channels: covered }): MmmParameter => ({
    name: p.name,
    shape: [covered.length],
    support: p.support(maxLag),
    prior: prior(p.name),
    elementNames: covered.length === C ? channels : covered,
    component,
    description: p.description,
  }));
  return [
    ...transforms,
    ...coefficientParameters(design, config, prior),
    ...timeVaryingParameters(design, config, prior),
    ...interceptParameters(design, config, prior),
    ...linearTermParameters(linearTerms(design, config), prior, design.geoNames),
    ...likelihoodParameters(design, config, prior),
  ];
}
