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
import type { Tensor } from '../tensor/index.js';

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
   * `generatedShapes`, or taken as flat vectors.
   */
  readonly generated?: (values: Readonly<Record<P, Float64Array>>) => GeneratedValues;
  readonly generatedShapes?: Readonly<Record<string, readonly number[]>>;
  /** Release data tensors the model owns. */
  readonly dispose?: () => void;
}

/** Identity function that gives a model definition its parameter-name type. */
export function defineModel<P extends string>(definition: ModelDefinition<P>): ModelDefinition<P> {
  return definition;
}
