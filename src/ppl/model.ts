/**
 * The model-definition API. A model is named parameters, each with an event shape, a constraint
 * (a bijector to unconstrained space) and optionally a prior, plus a log density written with tensor
 * ops for every other term (likelihood, priors that are easier to state jointly). Parameters are
 * seen by the model as constrained tensors with a leading chain axis: [chains, ...shape], scalars as
 * [chains, 1] so that they broadcast against [chains, N] data.
 *
 * Parameters are constrained in declaration order, so a constraint bound or a prior may depend on
 * parameters declared before it (e.g. GARCH's beta1 < 1 - alpha1, or theta ~ Normal(mu, tau)).
 */
import type { Bijector, BoundContext } from '../bijectors/types.js';
import type { Distribution } from '../distributions/types.js';
import type { Rng, Tensor } from '../tensor/index.js';
import type { CenteringBlock } from './centering.js';

export interface ParameterSpec {
  /** Event shape; [] (the default) is a scalar. */
  readonly shape?: readonly number[];
  /** Constraint; unconstrained real when absent. */
  readonly constraint?: Bijector;
  /** Prior on the constrained value, or a function of earlier parameters returning one. */
  readonly prior?: Distribution | ((params: BoundContext) => Distribution);
}

/** Derived quantities of one draw: scalars or flat arrays (row-major for matrices). */
export type GeneratedValues = Readonly<Record<string, number | ArrayLike<number>>>;

export interface ModelDefinition<P extends string = string> {
  readonly name: string;
  /** Parameters in declaration order (object key order). */
  readonly parameters: { readonly [K in P]: ParameterSpec };
  /**
   * Log-density terms not declared as priors, on constrained parameters: a [chains] tensor, a
   * [chains, k] tensor of partial sums (summed by the host in float64), or a list of such tensors.
   * Prefer partial sums (per geo, per block) over one float32 total when there are many terms.
   */
  readonly logDensity?: (params: Readonly<Record<P, Tensor>>) => Tensor | readonly Tensor[];
  /**
   * Derived quantities for one draw, computed on the host in float64 from the constrained values
   * (each a flat Float64Array of the parameter's size). Shapes of array outputs are given in
   * `generatedShapes`, or taken as flat vectors. Random quantities (e.g. parameters integrated out,
   * drawn from their conditional) take their randomness from `rng`: the caller passes each chain's
   * own seeded stream and calls in draw order, so reruns are bit-identical.
   */
  readonly generated?: (values: Readonly<Record<P, Float64Array>>, rng: Rng) => GeneratedValues;
  readonly generatedShapes?: Readonly<Record<string, readonly number[]>>;
  /**
   * The whole log density (every prior and likelihood term) on the host in float64 with its gradient,
   * when the model has one. compile() then evaluates without tensors (hostPath.ts), provided every
   * parameter's constraint has a host form and no parameter declares its prior separately.
   */
  readonly hostLogDensity?: HostLogDensity;
  /**
   * Non-centered effect elements that the sampler moves in centered coordinates (centering.ts):
   * the same posterior, another geometry. Draws are reported in the model's parameters.
   */
  readonly centering?: readonly CenteringBlock[];
  /** Release data tensors the model owns. */
  readonly dispose?: () => void;
}

export interface HostLogDensityResult {
  /** Log density per chain, [chains]. */
  readonly logDensity: Float64Array;
  /** Per input (inputNames order), the gradient [chains, size] row-major in the constrained value. */
  readonly gradients: readonly ArrayLike<number>[];
}

export interface HostLogDensity {
  /** The constrained parameters it reads, in order; parameters not listed get no density term. */
  readonly inputNames: readonly string[];
  /** Value and gradient at values[i] = input i, [chains, size] row-major. Results may be scratch views valid until the next call. */
  valueAndGradient(values: readonly Float64Array[], chains: number): HostLogDensityResult;
}

/** Identity function that gives a model definition its parameter-name type. */
export function defineModel<P extends string>(definition: ModelDefinition<P>): ModelDefinition<P> {
  return definition;
}
