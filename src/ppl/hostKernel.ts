/**
 * A host kernel: a block of a model's log density evaluated in float64 on the host, batched over
 * chains, with its hand-derived vector-Jacobian product; and the two adapters that put one into a
 * model (model.ts): as the model's whole host log density (`hostKernelDensity`, the host path of
 * hostPath.ts, no tensors at all), or as one TensorFlow.js op with a custom gradient
 * (`hostKernelOp`, tf.customGrad) inside a tensor log density. The geo MMM, the mediation model and
 * the posteriordb models' sequential recursions (ARMA, GARCH, HMM) are host kernels: on wasm every
 * tensor kernel costs microseconds whatever its size (shared/notes/tfjs-performance.md), so one
 * host loop replaces hundreds of small kernels.
 *
 * Layout: input i is [chains, inputSizes[i]] row-major; the forward returns [chains, outputWidth]
 * partial sums (per geo, per equation, ...; the host adds them in float64); the backward takes dy
 * [chains, outputWidth] and returns every input's gradient in one array, input i's block at
 * [chains * offset_i, chains * (offset_i + inputSizes[i])) with offset_i = sum of the sizes before it.
 */
import { tf, type Tensor, type Tensor2D } from '../tensor/index.js';
import type { HostLogDensity } from './model.js';

export interface HostKernel {
  /** For error messages. */
  readonly name: string;
  /** The constrained parameters the kernel reads, in order. */
  readonly inputNames: readonly string[];
  /** Elements per chain of each input. */
  readonly inputSizes: readonly number[];
  /** Partial sums per chain. */
  readonly outputWidth: number;
  /** [chains, outputWidth] at values[i] = input i ([chains, inputSizes[i]]); a scratch view valid until the next call. Keeps what backward needs. */
  forward(values: readonly ArrayLike<number>[], chains: number): Float64Array;
  /** The vector-Jacobian product of the last forward for dy [chains, outputWidth] (layout above); a scratch view. */
  backward(dy: ArrayLike<number>): Float64Array;
}

/** Start of each input's block per chain (input i starts at chains * offsets[i] in the backward's result). */
export function hostKernelOffsets(kernel: Pick<HostKernel, 'inputSizes'>): number[] {
  const offsets: number[] = [];
  let width = 0;
  for (const size of kernel.inputSizes) {
    offsets.push(width);
    width += size;
  }
  return offsets;
}

/** The kernel as a model's whole float64 host log density: the sum of its partial sums, in column order. */
export function hostKernelDensity(kernel: HostKernel): HostLogDensity {
  const width = kernel.outputWidth;
  const offsets = hostKernelOffsets(kernel);
  let ones = new Float64Array(0);
  return {
    inputNames: kernel.inputNames,
    valueAndGradient(values, chains) {
      const terms = kernel.forward(values, chains);
      const logDensity = new Float64Array(chains);
      for (let c = 0; c < chains; c++) {
        let total = 0;
        for (let j = 0; j < width; j++) total += terms[c * width + j];
        logDensity[c] = total;
      }
      if (ones.length !== chains * width) ones = new Float64Array(chains * width).fill(1);
      const gradient = kernel.backward(ones);
      const gradients = kernel.inputSizes.map((size, i) => gradient.subarray(chains * offsets[i], chains * (offsets[i] + size)));
      return { logDensity, gradients };
    },
  };
}

/**
 * The kernel as one differentiable tfjs op from its input tensors ([chains, ...], in inputNames
 * order) to the partial sums [chains, outputWidth]. The forward reads each input once (dataSync)
 * and uploads the result; the gradient reads dy once and uploads one tensor per input. If another
 * forward of the kernel ran in between (two uses in one tape), the gradient recomputes its own.
 * Upload buffers are reused on wasm, which copies uploads into its heap at once; other backends may
 * keep a reference to the array, so they get a fresh one per upload.
 */
export function hostKernelOp(kernel: HostKernel): (inputs: readonly Tensor[]) => Tensor2D {
  const { inputNames, inputSizes, outputWidth } = kernel;
  const offsets = hostKernelOffsets(kernel);
  const inputCount = inputNames.length;
  const width = inputSizes.reduce((a, b) => a + b, 0);
  const views: ArrayLike<number>[] = new Array(inputCount);
  let uploadOut = new Float32Array(0);
  let uploadGrad = new Float32Array(0);
  let gradViews: Float32Array[] = [];
  let chains = 0;
  let generation = 0;

  function resize(batch: number): void {
    if (batch === chains) return;
    chains = batch;
    uploadOut = new Float32Array(chains * outputWidth);
    uploadGrad = new Float32Array(chains * width);
    gradViews = inputSizes.map((size, i) => uploadGrad.subarray(chains * offsets[i], chains * (offsets[i] + size)));
  }
  const reuseBuffers = () => tf.getBackend() === 'wasm';

  function runForward(tensors: readonly Tensor[], batch: number): Float64Array {
    for (let i = 0; i < inputCount; i++) views[i] = tensors[i].dataSync();
    generation++;
    return kernel.forward(views, batch);
  }

  const op = tf.customGrad((...args: (Tensor | ((saved: Tensor[]) => void))[]) => {
    const own = args.slice(0, inputCount) as Tensor[];
    const batch = own[0].shape[0];
    resize(batch);
    const terms = runForward(own, batch);
    const out = reuseBuffers() ? uploadOut : new Float32Array(batch * outputWidth);
    for (let j = 0; j < batch * outputWidth; j++) out[j] = terms[j];
    const value = tf.tensor2d(out, [batch, outputWidth]);
    const forwardGeneration = generation;
    const gradFunc = (dy: Tensor): Tensor[] => {
      if (generation !== forwardGeneration) {
        resize(batch);
        runForward(own, batch);
      }
      const gradient = kernel.backward(dy.dataSync());
      const reuse = reuseBuffers();
      return own.map((x, i) => {
        const target = reuse ? gradViews[i] : new Float32Array(batch * inputSizes[i]);
        const start = batch * offsets[i];
        for (let j = 0; j < target.length; j++) target[j] = gradient[start + j];
        return tf.tensor(target, x.shape);
      });
    };
    return { value, gradFunc };
  });

  return (inputs: readonly Tensor[]) => {
    if (inputs.length !== inputCount) throw new Error(`${kernel.name}: expected ${inputCount} inputs (${inputNames.join(', ')}), got ${inputs.length}`);
    return op(...inputs) as Tensor2D;
  };
}

/** The op over a record of named parameter tensors (a model's `logDensity`), inputs picked by name. */
export function hostKernelLogDensity(kernel: HostKernel): (params: Readonly<Record<string, Tensor>>) => Tensor2D {
  const op = hostKernelOp(kernel);
  return (params) =>
    op(
      kernel.inputNames.map((name) => {
        const tensor = params[name];
        if (!tensor) throw new Error(`${kernel.name}: parameter "${name}" is missing`);
        return tensor;
      }),
    );
}

/** A per-chain term value(params [P], gradient out [P]) -> number as a host kernel with one input of size P and one output column. */
export function perChainHostKernel(name: string, inputName: string, size: number, term: (params: Float64Array, gradient: Float64Array) => number): HostKernel {
  let chains = 0;
  let out = new Float64Array(0);
  let gradients = new Float64Array(0);
  let result = new Float64Array(0);
  const one = new Float64Array(size);
  const gradient = new Float64Array(size);
  return {
    name,
    inputNames: [inputName],
    inputSizes: [size],
    outputWidth: 1,
    forward(values, batch) {
      const params = values[0];
      if (params.length !== batch * size) throw new Error(`${name}: expected [${batch}, ${size}] parameters, got ${params.length} values`);
      if (batch !== chains) {
        chains = batch;
        out = new Float64Array(batch);
        gradients = new Float64Array(batch * size);
        result = new Float64Array(batch * size);
      }
      for (let c = 0; c < batch; c++) {
        for (let i = 0; i < size; i++) one[i] = params[c * size + i];
        gradient.fill(0);
        out[c] = term(one, gradient);
        gradients.set(gradient, c * size);
      }
      return out;
    },
    backward(dy) {
      for (let c = 0; c < chains; c++) for (let i = 0; i < size; i++) result[c * size + i] = dy[c] * gradients[c * size + i];
      return result;
    },
  };
}
