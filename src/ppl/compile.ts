/**
 * Compiles a model definition into one function from a [chains, dim] unconstrained tensor to the
 * log density's partial sums [chains, P] and their gradient, and wraps it in the host contract
 * (`LogDensity`): float64 positions in, float64 per-chain log density (partial sums added on the
 * host in float64) and gradient out, with one upload and one read-back per call.
 *
 * The unconstrained log density is log p(constrain(theta)) + log |det J(theta)| (Stan Reference
 * Manual, "Constraint Transforms"), with each parameter's Jacobian term supplied by its bijector.
 */
import type { BoundContext } from '../bijectors/types.js';
import type { Distribution } from '../distributions/types.js';
import { sumPerChain, tf, type Rng, type Tensor, type Tensor2D } from '../tensor/index.js';
import type { LogDensity, LogDensityResult } from './logDensity.js';
import type { GeneratedValues, ModelDefinition, ParameterSpec } from './model.js';
import { elementCount, flatNames } from './names.js';
import { createHostPath, hostPathObstacle } from './hostPath.js';
import { modelCoordinates, pullBack, resolveCentering, samplerCoordinates } from './centering.js';

/** Where the log density is evaluated: tensors (tfjs, float32) or the model's float64 host density (hostPath.ts). */
export type DensityPath = 'tensor' | 'host';

export interface CompileOptions {
  /** 'auto' (default): the host path when the model supplies `hostLogDensity` and it applies, else tensors. */
  readonly path?: DensityPath | 'auto';
}

export interface ParameterLayout {
  readonly name: string;
  readonly shape: readonly number[];
  /** Offset of this parameter's coordinates in the unconstrained vector. */
  readonly offset: number;
  readonly unconstrainedSize: number;
  /** Number of constrained scalar elements. */
  readonly size: number;
  readonly spec: ParameterSpec;
}

/** Constrained values of a batch of chains: per parameter, row-major [chains, size]. */
export type ConstrainedValues = Readonly<Record<string, Float64Array>>;

export interface CompiledModel extends LogDensity {
  readonly name: string;
  readonly dim: number;
  readonly layout: readonly ParameterLayout[];
  /** Flat names of the constrained parameters, in layout order. */
  readonly parameterNames: readonly string[];
  /** The path `evaluate` and `constrain` use. */
  readonly path: DensityPath;
  /**
   * Tensor level: log-density partial sums [chains, P] at unconstrained theta [chains, dim]. Not tidied.
   * In the model's own coordinates: a model's `centering` applies to evaluate, constrain and unconstrain only.
   */
  logDensityTerms(theta: Tensor2D): Tensor2D;
  evaluate(positions: Float64Array, chains: number): LogDensityResult;
  /** Constrained parameter values at unconstrained positions [chains, dim]. */
  constrain(positions: Float64Array, chains: number): ConstrainedValues;
  /** Unconstrained position of one chain from constrained values (scalars or flat row-major arrays). */
  unconstrain(values: Readonly<Record<string, number | ArrayLike<number>>>): Float64Array;
  /** Derived quantities of one draw (host, float64); empty when the model defines none. */
  generated(values: Readonly<Record<string, Float64Array>>, rng: Rng): GeneratedValues;
  /** Shapes of array-valued derived quantities, where the model states them. */
  readonly generatedShapes?: Readonly<Record<string, readonly number[]>>;
  dispose(): void;
}

function priorOf(spec: ParameterSpec, context: BoundContext): Distribution | undefined {
  if (!spec.prior) return undefined;
  return typeof spec.prior === 'function' ? spec.prior(context) : spec.prior;
}

function eventTensorShape(chains: number, shape: readonly number[]): number[] {
  return shape.length === 0 ? [chains, 1] : [chains, ...shape];
}

/** Log-density terms as [chains, k] tensors. */
function asPartialSums(term: Tensor, chains: number): Tensor2D {
  if (term.rank === 1) return tf.reshape(term, [chains, 1]);
  if (term.rank === 2) return term as Tensor2D;
  return tf.reshape(term, [chains, -1]);
}

export function compile<P extends string>(definition: ModelDefinition<P>, options: CompileOptions = {}): CompiledModel {
  const layout: ParameterLayout[] = [];
  let offset = 0;
  for (const name of Object.keys(definition.parameters) as P[]) {
    const spec: ParameterSpec = definition.parameters[name];
    const shape = spec.shape ?? [];
    const unconstrainedSize = spec.constraint ? spec.constraint.unconstrainedSize(shape) : elementCount(shape);
    layout.push({ name, shape, offset, unconstrainedSize, size: elementCount(shape), spec });
    offset += unconstrainedSize;
  }
  const dim = offset;
  const parameterNames = layout.flatMap((p) => flatNames(p.name, p.shape));
  const requested = options.path ?? 'auto';
  const hostDensity = definition.hostLogDensity;
  if (requested === 'host' && !hostDensity) throw new Error(`${definition.name}: the host path needs a model with hostLogDensity`);
  const obstacle = hostDensity ? hostPathObstacle(layout, hostDensity) : 'no host log density';
  if (requested === 'host' && obstacle) throw new Error(`${definition.name}: host path unavailable: ${obstacle}`);
  const hostPath = requested !== 'tensor' && hostDensity && !obstacle ? createHostPath(definition.name, layout, dim, hostDensity) : undefined;

  /** Constrain all parameters; returns values and the Jacobian and prior terms. */
  function constrainTensors(theta: Tensor2D, withDensity: boolean) {
    const chains = theta.shape[0];
    const values: Record<string, Tensor> = {};
    const terms: Tensor[] = [];
    for (const p of layout) {
      const slice = tf.slice(theta, [0, p.offset], [chains, p.unconstrainedSize]) as Tensor2D;
      let value: Tensor;
      if (p.spec.constraint) {
        const forward = p.spec.constraint.forward(slice, p.shape, values);
        value = forward.value;
        if (withDensity) terms.push(forward.logDetJacobian);
      } else {
        value = p.shape.length <= 1 ? slice : tf.reshape(slice, eventTensorShape(chains, p.shape));
      }
      values[p.name] = value;
      if (withDensity) {
        const prior = priorOf(p.spec, values);
        if (prior) terms.push(sumPerChain(prior.logProb(value)));
      }
    }
    return { values, terms };
  }

  function logDensityTerms(theta: Tensor2D): Tensor2D {
    const chains = theta.shape[0];
    const { values, terms } = constrainTensors(theta, true);
    if (definition.logDensity) {
      const extra = definition.logDensity(values as Record<P, Tensor>);
      if (Array.isArray(extra)) terms.push(...(extra as Tensor[]));
      else terms.push(extra as Tensor);
    }
    if (terms.length === 0) return tf.zeros([chains, 1]);
    const partials = terms.map((term) => asPartialSums(term, chains));
    return partials.length === 1 ? partials[0] : (tf.concat(partials, 1) as Tensor2D);
  }

  const valueAndGrad = tf.valueAndGrad((theta: Tensor) => logDensityTerms(theta as Tensor2D));

  function evaluate(positions: Float64Array, chains: number): LogDensityResult {
    if (hostPath) return hostPath.evaluate(positions, chains);
    if (positions.length !== chains * dim) {
      throw new Error(`${definition.name}: expected ${chains}x${dim} positions, got ${positions.length} values`);
    }
    let termCount = 0;
    const packed = tf.tidy(() => {
      const theta = tf.tensor2d(Float32Array.from(positions), [chains, dim]);
      const { value, grad } = valueAndGrad(theta);
      termCount = value.shape[1] as number;
      return tf.concat([value as Tensor2D, grad as Tensor2D], 1);
    });
    const data = packed.dataSync();
    packed.dispose();
    const width = termCount + dim;
    const logDensity = new Float64Array(chains);
    const gradient = new Float64Array(chains * dim);
    for (let c = 0; c < chains; c++) {
      const row = c * width;
      let total = 0;
      for (let j = 0; j < termCount; j++) total += data[row + j];
      logDensity[c] = Number.isNaN(total) ? -Infinity : total;
      for (let d = 0; d < dim; d++) gradient[c * dim + d] = data[row + termCount + d];
    }
    return { logDensity, gradient };
  }

  function constrain(positions: Float64Array, chains: number): ConstrainedValues {
    if (hostPath) return hostPath.constrain(positions, chains);
    const tensors = tf.tidy(() => {
      const theta = tf.tensor2d(Float32Array.from(positions), [chains, dim]);
      const { values } = constrainTensors(theta, false);
      return layout.map((p) => tf.reshape(values[p.name], [chains, p.size]));
    });
    const out: Record<string, Float64Array> = {};
    layout.forEach((p, i) => {
      out[p.name] = Float64Array.from(tensors[i].dataSync());
      tensors[i].dispose();
    });
    return out;
  }

  /** One parameter's initial value as a flat array, checked against its layout. */
  function initialValue(p: ParameterLayout, values: Readonly<Record<string, number | ArrayLike<number>>>): number[] {
    const given = values[p.name];
    if (given === undefined) throw new Error(`${definition.name}: no initial value for parameter "${p.name}"`);
    const flat = typeof given === 'number' ? [given] : Array.from(given);
    if (flat.length !== p.size) {
      throw new Error(`${definition.name}: initial value of "${p.name}" has ${flat.length} elements, expected ${p.size}`);
    }
    return flat;
  }

  function unconstrain(values: Readonly<Record<string, number | ArrayLike<number>>>): Float64Array {
    const position = new Float64Array(dim);
    if (hostPath) {
      for (const p of layout) position.set(hostPath.unconstrainParameter(p.name, initialValue(p, values)), p.offset);
      return position;
    }
    tf.tidy(() => {
      const context: Record<string, Tensor> = {};
      for (const p of layout) {
        const value = tf.tensor(initialValue(p, values), eventTensorShape(1, p.shape));
        context[p.name] = value;
        const free = p.spec.constraint ? p.spec.constraint.inverse(value, p.shape, context) : tf.reshape(value, [1, p.size]);
        position.set(free.dataSync(), p.offset);
      }
    });
    return position;
  }

  function generated(values: Readonly<Record<string, Float64Array>>, rng: Rng): GeneratedValues {
    return definition.generated ? definition.generated(values as Record<P, Float64Array>, rng) : {};
  }

  // Centered sampling of chosen non-centered effects: the sampler's coordinates differ from the model's.
  const centering = definition.centering?.length
    ? resolveCentering(definition.name, definition.centering, layout.map((p) => ({ name: p.name, offset: p.offset, unconstrainedSize: p.unconstrainedSize, constraint: p.spec.constraint?.name })))
    : undefined;
  const samplerEvaluate = centering
    ? (positions: Float64Array, chains: number): LogDensityResult => {
        const x = modelCoordinates(centering, positions, chains, dim);
        const { logDensity, gradient } = evaluate(x, chains);
        return pullBack(centering, x, positions, logDensity, gradient, chains, dim);
      }
    : evaluate;
  const samplerConstrain = centering ? (positions: Float64Array, chains: number) => constrain(modelCoordinates(centering, positions, chains, dim), chains) : constrain;
  const samplerUnconstrain = centering ? (values: Readonly<Record<string, number | ArrayLike<number>>>) => samplerCoordinates(centering, unconstrain(values), 1, dim) : unconstrain;

  return {
    name: definition.name,
    dim,
    layout,
    parameterNames,
    path: hostPath ? 'host' : 'tensor',
    logDensityTerms,
    evaluate: samplerEvaluate,
    constrain: samplerConstrain,
    unconstrain: samplerUnconstrain,
    generated,
    generatedShapes: definition.generatedShapes,
    dispose: () => definition.dispose?.(),
  };
}
