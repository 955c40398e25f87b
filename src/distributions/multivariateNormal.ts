/**
 * MultivariateNormalCholesky(loc, scaleTril): x ~ N(loc, L L^T) with L lower triangular with a
 * positive diagonal (Stan Functions Reference, "Multivariate normal distribution, Cholesky
 * parameterization"): log p(x) = -|L^-1 (x - loc)|^2 / 2 - sum(log diag L) - K log(2 pi) / 2.
 *
 * The event is the last axis (size K) and is reduced away; leading axes are batch axes that broadcast
 * by the usual right-aligned rules: value [..., K], loc [..., K] (or a number), scaleTril [..., K, K]
 * give a result of the broadcast batch shape. Only the lower triangle of scaleTril is read.
 *
 * A host (number array) scaleTril is inverted once in float64, so logProb costs one matMul. A tensor
 * scaleTril is solved by K - 1 sweeps of z <- (d - strictLower(L) z) / diag(L): the strict lower part
 * is nilpotent, so after t sweeps the first t + 1 coordinates are exact (forward substitution in
 * vectorised form; about 5 K kernels, meant for small K).
 */
import { tf, type Rng, type Tensor } from '../tensor/index.js';
import type { SampleableDistribution } from './types.js';
import { HALF_LOG_2PI } from './special.js';
import * as P from './param.js';

export type HostVector = readonly number[];
export type HostMatrix = readonly (readonly number[])[];

interface HostScale {
  readonly lower: Float64Array; // row-major K x K, lower triangle
  readonly inverseTransposed: Float32Array; // (L^-1)^T row-major, for row vectors d: z = d (L^-1)^T
  readonly logDeterminant: number;
}

function hostScaleFrom(name: string, matrix: HostMatrix): HostScale {
  const size = matrix.length;
  if (size === 0) throw new Error(`${name}: scaleTril must be a non-empty square matrix`);
  const lower = new Float64Array(size * size);
  let logDeterminant = 0;
  for (let i = 0; i < size; i++) {
    if (matrix[i].length !== size) throw new Error(`${name}: scaleTril row ${i} has ${matrix[i].length} entries, expected ${size}`);
    for (let j = 0; j <= i; j++) {
      const entry = matrix[i][j];
      if (!Number.isFinite(entry)) throw new Error(`${name}: scaleTril[${i}][${j}] is not finite`);
      lower[i * size + j] = entry;
    }
    if (!(lower[i * size + i] > 0)) throw new Error(`${name}: scaleTril diagonal must be > 0 (row ${i})`);
    logDeterminant += Math.log(lower[i * size + i]);
  }
  // Invert by forward substitution, column by column: L X = I.
  const inverse = new Float64Array(size * size);
  for (let column = 0; column < size; column++) {
    for (let i = column; i < size; i++) {
      let residual = i === column ? 1 : 0;
      for (let j = column; j < i; j++) residual -= lower[i * size + j] * inverse[j * size + column];
      inverse[i * size + column] = residual / lower[i * size + i];
    }
  }
  const inverseTransposed = new Float32Array(size * size);
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) inverseTransposed[j * size + i] = inverse[i * size + j];
  return { lower, inverseTransposed, logDeterminant };
}

export class MultivariateNormalCholesky implements SampleableDistribution {
  readonly name = 'MultivariateNormalCholesky';
  /** Event size K. */
  readonly eventSize: number;
  private readonly hostLoc: Float64Array | undefined;
  private readonly hostScale: HostScale | undefined;

  constructor(
    readonly loc: Tensor | number | HostVector,
    readonly scaleTril: Tensor | HostMatrix,
  ) {
    if (Array.isArray(scaleTril)) {
      this.hostScale = hostScaleFrom(this.name, scaleTril as HostMatrix);
      this.eventSize = scaleTril.length;
    } else {
      const tensor = scaleTril as Tensor;
      const rank = tensor.rank;
      if (rank < 2 || tensor.shape[rank - 1] !== tensor.shape[rank - 2]) {
        throw new Error(`${this.name}: scaleTril must have shape [..., K, K], got [${tensor.shape.join(', ')}]`);
      }
      this.eventSize = tensor.shape[rank - 1];
    }
    if (typeof loc === 'number') {
      if (!Number.isFinite(loc)) throw new Error(`${this.name}: loc must be finite`);
      this.hostLoc = new Float64Array(this.eventSize).fill(loc);
    } else if (Array.isArray(loc)) {
      if (loc.length !== this.eventSize) throw new Error(`${this.name}: loc has ${loc.length} entries, expected ${this.eventSize}`);
      this.hostLoc = Float64Array.from(loc as HostVector);
    } else {
      const tensor = loc as Tensor;
      const last = tensor.rank === 0 ? 1 : tensor.shape[tensor.rank - 1];
      if (last !== this.eventSize && last !== 1) {
        throw new Error(`${this.name}: loc's last axis is ${last}, expected ${this.eventSize}`);
      }
    }
  }

  logProb(value: Tensor): Tensor {
    const size = this.eventSize;
    if (value.rank < 1 || value.shape[value.rank - 1] !== size) {
      throw new Error(`${this.name}: value must have shape [..., ${size}], got [${value.shape.join(', ')}]`);
    }
    return tf.tidy(() => {
      const difference = this.centred(value);
      const normalizingShift = size * HALF_LOG_2PI;
      if (this.hostScale) {
        const batchShape = difference.shape.slice(0, -1);
        const flat = tf.reshape(difference, [-1, size]);
        const whitened = tf.matMul(flat, tf.tensor2d(this.hostScale.inverseTransposed, [size, size]));
        const quadratic = tf.reshape(tf.sum(tf.square(whitened), 1), batchShape);
        return tf.sub(tf.mul(quadratic, -0.5), this.hostScale.logDeterminant + normalizingShift);
      }
      const scale = this.scaleTril as Tensor;
      // Axes are given explicitly (some wasm kernels mishandle negative axes).
      const diagonal = tf.sum(tf.mul(scale, tf.eye(size)), scale.rank - 1);
      const strictMask = tf.tensor2d(
        Float32Array.from({ length: size * size }, (_, index) => (Math.floor(index / size) > index % size ? 1 : 0)),
        [size, size],
      );
      const strictLower = tf.mul(scale, strictMask);
      let whitened = tf.div(difference, diagonal);
      for (let sweep = 1; sweep < size; sweep++) {
        const rows = tf.mul(strictLower, tf.expandDims(whitened, whitened.rank - 1));
        const carried = tf.sum(rows, rows.rank - 1);
        whitened = tf.div(tf.sub(difference, carried), diagonal);
      }
      const quadratic = tf.sum(tf.square(whitened), whitened.rank - 1);
      const logDeterminant = tf.sum(tf.log(diagonal), diagonal.rank - 1);
      return tf.sub(tf.sub(tf.mul(quadratic, -0.5), logDeterminant), normalizingShift);
    });
  }

  private centred(value: Tensor): Tensor {
    if (this.hostLoc) {
      if (this.hostLoc.every((entry) => entry === 0)) return value;
      return tf.sub(value, tf.tensor1d(Float32Array.from(this.hostLoc)));
    }
    return tf.sub(value, this.loc as Tensor);
  }

  /** `count` draws, row-major [count, K] (needs number-array loc and scaleTril). */
  sample(rng: Rng, count: number): Float64Array {
    P.requireCount(this.name, count);
    if (!this.hostLoc || !this.hostScale) {
      throw new Error(`${this.name}.sample: loc and scaleTril must be numbers / number arrays, not tensors`);
    }
    const size = this.eventSize;
    const { lower } = this.hostScale;
    const out = new Float64Array(count * size);
    const standard = new Float64Array(size);
    for (let draw = 0; draw < count; draw++) {
      for (let i = 0; i < size; i++) standard[i] = rng.normal();
      for (let i = 0; i < size; i++) {
        let total = this.hostLoc[i];
        for (let j = 0; j <= i; j++) total += lower[i * size + j] * standard[j];
        out[draw * size + i] = total;
      }
    }
    return out;
  }
}
