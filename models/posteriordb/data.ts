/**
 * Reading posteriordb data sets (`data.json`, a plain JSON object: numbers, arrays, arrays of rows)
 * into typed host arrays with shape checks, and lazily created data tensors that a model owns.
 * Every field is read as a plain number (posteriordb writes whole numbers without a decimal point
 * even in real-valued fields; see ../shared/posteriordb/README.md, "File formats").
 */
import { tf, type Tensor } from '../../src/tensor/index.js';

/** A posterior's data set as parsed from data.json. */
export type PosteriorData = Readonly<Record<string, unknown>>;

function fail(field: string, message: string): never {
  throw new Error(`posteriordb data field "${field}": ${message}`);
}

/** A scalar integer field. */
export function integerField(data: PosteriorData, field: string): number {
  const value = data[field];
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(field, `expected an integer, got ${JSON.stringify(value)}`);
  return value;
}

/** A scalar real field. */
export function realField(data: PosteriorData, field: string): number {
  const value = data[field];
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(field, `expected a finite number, got ${JSON.stringify(value)}`);
  return value;
}

/** A vector field of finite numbers, optionally of a given length. */
export function vectorField(data: PosteriorData, field: string, length?: number): Float64Array {
  const value = data[field];
  if (!Array.isArray(value)) fail(field, 'expected an array');
  if (length !== undefined && value.length !== length) fail(field, `expected ${length} entries, got ${value.length}`);
  const out = new Float64Array(value.length);
  value.forEach((entry, i) => {
    if (typeof entry !== 'number' || !Number.isFinite(entry)) fail(field, `entry ${i + 1} is not a finite number`);
    out[i] = entry;
  });
  return out;
}

/** A matrix field (array of rows) as row-major values. */
export function matrixField(data: PosteriorData, field: string, rows?: number, columns?: number): { rows: number; columns: number; values: Float64Array } {
  const value = data[field];
  if (!Array.isArray(value) || value.length === 0) fail(field, 'expected a non-empty array of rows');
  if (rows !== undefined && value.length !== rows) fail(field, `expected ${rows} rows, got ${value.length}`);
  const first = value[0] as unknown;
  if (!Array.isArray(first)) fail(field, 'expected rows to be arrays');
  const width = first.length;
  if (columns !== undefined && width !== columns) fail(field, `expected ${columns} columns, got ${width}`);
  const values = new Float64Array(value.length * width);
  value.forEach((row: unknown, i) => {
    if (!Array.isArray(row) || row.length !== width) fail(field, `row ${i + 1} does not have ${width} entries`);
    row.forEach((entry: unknown, j) => {
      if (typeof entry !== 'number' || !Number.isFinite(entry)) fail(field, `entry [${i + 1}, ${j + 1}] is not a finite number`);
      values[i * width + j] = entry;
    });
  });
  return { rows: value.length, columns: width, values };
}

/**
 * Data tensors created on first use (after the backend is initialised) and kept until `dispose`:
 * created inside the sampler's tf.tidy, so each is marked with tf.keep.
 */
export interface LazyTensors<T extends Record<string, Tensor>> {
  get(): T;
  dispose(): void;
}

export function lazyTensors<T extends Record<string, Tensor>>(make: () => T): LazyTensors<T> {
  let cache: T | undefined;
  return {
    get() {
      if (!cache) {
        cache = make();
        for (const tensor of Object.values(cache)) tf.keep(tensor);
      }
      return cache;
    },
    dispose() {
      if (cache) for (const tensor of Object.values(cache)) tensor.dispose();
      cache = undefined;
    },
  };
}

/** Host values as float32 for a tensor upload. */
export function float32(values: ArrayLike<number>): Float32Array {
  return Float32Array.from(values);
}
