/**
 * A prior as a config states it: a distribution name and its parameters, each one number for every
 * element, an array with one value per element, or an object by element name (channel, control,
 * Fourier term ...). Shared by the MMM and mediation configs, the host prior kernels (hostPrior.ts)
 * and prior predictive sampling.
 */

/** A prior's parameter: one number for all elements, one per element (array), or by element name. */
export type PriorValue = number | readonly number[] | Readonly<Record<string, number>>;

export type PriorSpec =
  | { readonly dist: 'normal'; readonly loc: PriorValue; readonly scale: PriorValue }
  | { readonly dist: 'halfNormal'; readonly scale: PriorValue }
  | { readonly dist: 'logNormal'; readonly mu: PriorValue; readonly sigma: PriorValue }
  | { readonly dist: 'beta'; readonly a: PriorValue; readonly b: PriorValue }
  | { readonly dist: 'gamma'; readonly shape: PriorValue; readonly rate: PriorValue }
  | { readonly dist: 'exponential'; readonly rate: PriorValue }
  | { readonly dist: 'halfCauchy'; readonly scale: PriorValue }
  | { readonly dist: 'studentT'; readonly df: PriorValue; readonly loc: PriorValue; readonly scale: PriorValue }
  | { readonly dist: 'uniform'; readonly lower: PriorValue; readonly upper: PriorValue };

export type PriorDistribution = PriorSpec['dist'];

/** The parameters of each prior distribution, in constructor order. */
export const PRIOR_PARAMETERS: Readonly<Record<PriorDistribution, readonly string[]>> = {
  normal: ['loc', 'scale'],
  halfNormal: ['scale'],
  logNormal: ['mu', 'sigma'],
  beta: ['a', 'b'],
  gamma: ['shape', 'rate'],
  exponential: ['rate'],
  halfCauchy: ['scale'],
  studentT: ['df', 'loc', 'scale'],
  uniform: ['lower', 'upper'],
};

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

/** The parameter values of a prior per element, in PRIOR_PARAMETERS order; checks the spec (unknown or missing keys). */
export function priorParameterColumns(spec: PriorSpec, names: readonly string[], where: string): Float64Array[] {
  const keys = PRIOR_PARAMETERS[spec.dist];
  if (!keys) throw new Error(`${where}: unknown distribution "${(spec as { dist: string }).dist}" (known: ${Object.keys(PRIOR_PARAMETERS).join(', ')})`);
  const given = spec as unknown as Record<string, PriorValue>;
  for (const key of Object.keys(given)) {
    if (key !== 'dist' && !keys.includes(key)) throw new Error(`${where}: ${spec.dist} has no parameter "${key}" (expected ${keys.join(', ')})`);
  }
  return keys.map((key) => {
    if (given[key] === undefined) throw new Error(`${where}: ${spec.dist} needs "${key}"`);
    const resolved = resolvePriorValue(given[key], names, `${where}.${key}`);
    return typeof resolved === 'number' ? new Float64Array(names.length).fill(resolved) : resolved;
  });
}
