/**
 * A log-density term computed on the host in float64 with a hand-written gradient, as one tfjs op
 * (tf.customGrad): the forward pass reads the [chains, P] parameter tensor back, evaluates the term
 * and its gradient for each chain in plain loops, and returns the [chains] values; the backward
 * pass returns dy times the stored gradient. Used for sequential recursions (ARMA errors, GARCH
 * volatility, the HMM forward algorithm) whose tensor form costs several kernels per time step
 * (about 2.5 us each on wasm, shared/notes/tfjs-performance.md), while this costs two kernels and one
 * read-back. The gradients are forward-mode (tangent) recursions written out per model, checked
 * against autodiff of the tensor form and against finite differences (tests/posteriordb.*.test.ts).
 */
import { tf, type Tensor, type Tensor1D, type Tensor2D } from '../../src/tensor/index.js';

/** Value of the term at `params` ([P], float64); writes d value / d params into `gradient` ([P]). */
export type HostTerm = (params: Float64Array, gradient: Float64Array) => number;

type SaveTensors = (tensors: Tensor[]) => void;

/** Wrap a host term as a differentiable op from [chains, P] to [chains]. */
export function hostTermOp(term: HostTerm, size: number): (params: Tensor2D) => Tensor1D {
  const op = tf.customGrad((...args: Array<Tensor | SaveTensors>) => {
    const params = args[0] as Tensor2D;
    if (params.rank !== 2 || params.shape[1] !== size) {
      throw new Error(`hostTermOp: expected [chains, ${size}] parameters, got [${params.shape.join(', ')}]`);
    }
    const chains = params.shape[0];
    const flat = params.dataSync();
    const values = new Float32Array(chains);
    const gradients = new Float32Array(chains * size);
    const one = new Float64Array(size);
    const gradient = new Float64Array(size);
    for (let c = 0; c < chains; c++) {
      for (let i = 0; i < size; i++) one[i] = flat[c * size + i];
      gradient.fill(0);
      const value = term(one, gradient);
      values[c] = value;
      for (let i = 0; i < size; i++) gradients[c * size + i] = gradient[i];
    }
    return {
      value: tf.tensor1d(values),
      gradFunc: (dy: Tensor) => tf.mul(tf.reshape(dy, [chains, 1]), tf.tensor2d(gradients, [chains, size])),
    };
  });
  return (params: Tensor2D) => op(params) as Tensor1D;
}
