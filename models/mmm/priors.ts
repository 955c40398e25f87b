/**
 * Turn a prior stated in a config (PriorSpec) into a distribution on tensors: a parameter given per
 * channel (array or record by channel name) becomes a [C] tensor that broadcasts against a
 * [chains, C] value; a single number stays a number. Also validates the spec, naming what is wrong.
 */
import {
  Beta,
  Exponential,
  Gamma,
  HalfCauchy,
  HalfNormal,
  LogNormal,
  Normal,
  StudentT,
  Uniform,
  type Distribution,
} from '../../src/distributions/index.js';
import { tf, type Tensor } from '../../src/tensor/index.js';
import { PRIOR_PARAMETERS, type PriorSpec, type PriorValue } from './config.js';


/** Values of a prior parameter per element (length `names.length`), or one number. */
export function resolvePriorValue(value: PriorValue, names: readonly string[], where: string): number | Float64Array {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${where}: must be a finite number, got ${value}`);
    return value;
  }
  if (Array.isArray(value)) {
    if (value.length !== names.length) throw new Error(`${where}: has ${value.length} values, expected one per element (${names.length}: ${names.join(', ')})`);
    return Float64Array.from(value as number[], (v, i) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${where}[${i}]: must be a finite number`);
      return v;
    });
  }
  const record = value as Readonly<Record<string, number>>;
  for (const key of Object.keys(record)) {
    if (!names.includes(key)) throw new Error(`${where}: unknown name "${key}" (known: ${names.join(', ')})`);
  }
  return Float64Array.from(names, (name) => {
    const v = record[name];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${where}: no value for "${name}"`);
    return v;
  });
}

export interface BuiltPrior {
  readonly distribution: Distribution;
  /** Constant tensors it owns. */
  readonly tensors: readonly Tensor[];
}

/**
 * Distribution for a parameter whose elements are named `names` (channels, controls, ...); for a
 * scalar parameter pass one name.
 */
export function buildPrior(spec: PriorSpec, names: readonly string[], where: string): BuiltPrior {
  const expected = PRIOR_PARAMETERS[spec.dist];
  if (!expected) throw new Error(`${where}: unknown distribution "${(spec as { dist: string }).dist}" (known: ${Object.keys(PRIOR_PARAMETERS).join(', ')})`);
  const given = spec as unknown as Record<string, PriorValue>;
  for (const key of Object.keys(given)) {
    if (key !== 'dist' && !expected.includes(key)) throw new Error(`${where}: ${spec.dist} has no parameter "${key}" (expected ${expected.join(', ')})`);
  }
  const tensors: Tensor[] = [];
  const args = expected.map((key) => {
    if (given[key] === undefined) throw new Error(`${where}: ${spec.dist} needs "${key}"`);
    const resolved = resolvePriorValue(given[key], names, `${where}.${key}`);
    if (typeof resolved === 'number') return resolved;
    const tensor = tf.tensor1d(Float32Array.from(resolved), 'float32');
    tensors.push(tensor);
    return tensor;
  });
  let distribution: Distribution;
  switch (spec.dist) {
    case 'normal': distribution = new Normal(args[0], args[1]); break;
    case 'halfNormal': distribution = new HalfNormal(args[0]); break;
    case 'logNormal': distribution = new LogNormal(args[0], args[1]); break;
    case 'beta': distribution = new Beta(args[0], args[1]); break;
    case 'gamma': distribution = new Gamma(args[0], args[1]); break;
    case 'exponential': distribution = new Exponential(args[0]); break;
    case 'halfCauchy': distribution = new HalfCauchy(args[0]); break;
    case 'studentT': distribution = new StudentT(args[0], args[1], args[2]); break;
    case 'uniform': distribution = new Uniform(args[0], args[1]); break;
  }
  return { distribution, tensors };
}
