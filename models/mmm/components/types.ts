/**
 * What a component of the geo MMM declares about its parameters: name, support (the constraint the
 * sampler's bijector maps to, and the support prior predictive draws are truncated to) and default
 * prior. The parameter table (../parameters.ts) is built from these declarations.
 */
import { interval, positive, unitInterval, type Bijector } from '../../../src/bijectors/index.js';
import type { PriorSpec } from '../../../src/distributions/index.js';

export type Support =
  | { readonly kind: 'real' }
  | { readonly kind: 'positive' }
  | { readonly kind: 'unit' }
  | { readonly kind: 'interval'; readonly lower: number; readonly upper: number };

export const REAL: Support = { kind: 'real' };
export const POSITIVE: Support = { kind: 'positive' };
export const UNIT: Support = { kind: 'unit' };

/** A per-channel parameter of a media transform kind (adstock or saturation). */
export interface TransformParameter {
  /** The parameter's name in the model, its draws and `model.priors` (Stan peer names where they exist). */
  readonly name: string;
  readonly description: string;
  /** Support, given the adstock's maximum lag L (the delayed adstock's peak lies in [0, L - 1]). */
  support(maxLag: number): Support;
  defaultPrior(maxLag: number): PriorSpec;
  /** For the docs, where support or default prior depend on maxLag: how to say them. */
  readonly maxLagDependent?: { readonly support: string; readonly defaultPrior: string };
}

/** Whether x lies in the support. */
export function inSupport(support: Support, x: number): boolean {
  switch (support.kind) {
    case 'real': return Number.isFinite(x);
    case 'positive': return x > 0 && Number.isFinite(x);
    case 'unit': return x > 0 && x < 1;
    case 'interval': return x >= support.lower && x <= support.upper;
  }
}

/** The bijector that maps the unconstrained real line onto the support (none for the real line). */
export function constraintOf(support: Support): Bijector | undefined {
  switch (support.kind) {
    case 'real': return undefined;
    case 'positive': return positive();
    case 'unit': return unitInterval();
    case 'interval': return interval(support.lower, support.upper);
  }
}

/** The support in words, for docs and errors. */
export function describeSupport(support: Support): string {
  switch (support.kind) {
    case 'real': return 'real';
    case 'positive': return '> 0';
    case 'unit': return '(0, 1)';
    case 'interval': return `[${support.lower}, ${support.upper}]`;
  }
}

/** How an MMM parameter's prior is given. */
export type ParameterPrior =
  /** From `model.priors[name]`, else the component's default (already resolved to one spec). */
  | { readonly kind: 'config'; readonly spec: PriorSpec }
  /** N(0, 1) elementwise (non-centered effects u, v). */
  | { readonly kind: 'standardNormal' }
  /** Element i ~ N(loc[locIndex[i]], scale[locIndex[i]]) (centered effects: log_beta ~ N(m, eta), tau ~ N(tau0, sigma_tau)). */
  | { readonly kind: 'hierarchical'; readonly loc: string; readonly scale: string; readonly locIndex: Int32Array };

/** One row of the MMM parameter table (../parameters.ts). */
export interface MmmParameter {
  readonly name: string;
  /** Event shape; [] for a scalar. */
  readonly shape: readonly number[];
  readonly support: Support;
  readonly prior: ParameterPrior;
  /** One name per element, row-major (channels, controls, "sin1", "north:tv" ...). */
  readonly elementNames: readonly string[];
  /** The component that owns it. */
  readonly component: string;
  readonly description: string;
  /** 'sampled' by the sampler, or 'integrated' out (the linear block; drawn exactly per kept draw). Default 'sampled'. */
  readonly role?: 'sampled' | 'integrated';
}

/** A parameter that takes its prior from `model.priors` with a default: for the docs and the config parser. */
export interface PriorDeclaration {
  readonly name: string;
  readonly description: string;
  readonly support: Support;
  readonly defaultPrior: PriorSpec;
}
