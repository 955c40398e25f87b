/**
 * The geo MMM's whole likelihood block as one TensorFlow.js op with a custom gradient (tf.customGrad):
 * inputs are the constrained parameter tensors the likelihood depends on, the output is the per-geo
 * log-likelihood partial sums [B, G]. The forward reads each input once (dataSync), evaluates the
 * likelihood in float64 host loops (likelihoodHost.ts, which states the model and the hand-derived
 * gradient) and uploads [B, G]; the gradient function reads dy once and uploads one gradient tensor
 * per input. On wasm every kernel costs several microseconds whatever its size
 * (shared/notes/tfjs-performance.md), so this replaces the ~200 kernels of the tensor likelihood
 * and its gradient by one op and a few transfers.
 *
 * With `priors: true` the op also evaluates every parameter's prior (one more output column,
 * [B, G + 1]) and reads all the model's parameters; src/ppl is then left with the slicing, the
 * bijectors and their Jacobians (about 120 kernels per gradient on the national example instead of
 * 490 with tensor priors and 690 with the tensor likelihood).
 *
 * Upload buffers are reused on the wasm backend, which copies uploaded data into its heap at once;
 * other backends may keep a reference to the array, so they get a fresh one per upload.
 */
import { tf, type Tensor, type Tensor2D } from '../../../src/tensor/index.js';
import type { MmmModelConfig } from '../config.js';
import type { MmmDesign } from '../design.js';
import { createLikelihoodHost, type LikelihoodHost, type LikelihoodHostOptions } from './likelihoodHost.js';

export interface FusedLikelihood {
  /** The float64 host kernel (forward and vector-Jacobian product) behind the op. */
  readonly host: LikelihoodHost;
  /** Names of the constrained parameters the op reads, in order. */
  readonly inputNames: readonly string[];
  /**
   * Per-geo log likelihood [B, G] at the constrained parameters (as the model sees them:
   * [B, ...shape]); with priors [B, G + 1], the priors' sum last.
   */
  logLikelihood(params: Readonly<Record<string, Tensor>>): Tensor2D;
}

export function createFusedLikelihood(design: MmmDesign, config: MmmModelConfig, options: LikelihoodHostOptions = {}): FusedLikelihood {
  const host = createLikelihoodHost(design, config, options);
  const { inputNames, inputSizes, inputOffsets } = host;
  const inputCount = inputNames.length;
  const outputWidth = host.outputWidth;
  const width = inputSizes.reduce((a, b) => a + b, 0);

  const views: ArrayLike<number>[] = new Array(inputCount);
  const inputs: Tensor[] = new Array(inputCount);
  let uploadOut = new Float32Array(0);
  let uploadGrad = new Float32Array(0);
  let gradViews: Float32Array[] = [];
  let chains = 0;
  /** Counts forward evaluations, so that a gradient can tell whether the host still holds its forward. */
  let generation = 0;

  function resize(batch: number): void {
    if (batch === chains) return;
    chains = batch;
    uploadOut = new Float32Array(chains * outputWidth);
    uploadGrad = new Float32Array(chains * width);
    gradViews = inputSizes.map((size, i) => uploadGrad.subarray(chains * inputOffsets[i], chains * (inputOffsets[i] + size)));
  }

  const reuseBuffers = () => tf.getBackend() === 'wasm';

  function runForward(tensors: readonly Tensor[], batch: number): Float64Array {
    for (let i = 0; i < inputCount; i++) views[i] = tensors[i].dataSync();
    generation++;
    return host.forward(views, batch);
  }

  const op = tf.customGrad((...args: (Tensor | ((saved: Tensor[]) => void))[]) => {
    const own = args.slice(0, inputCount) as Tensor[];
    const batch = own[0].shape[0];
    resize(batch);
    const logLikelihood = runForward(own, batch);
    const out = reuseBuffers() ? uploadOut : new Float32Array(batch * outputWidth);
    for (let j = 0; j < batch * outputWidth; j++) out[j] = logLikelihood[j];
    const value = tf.tensor2d(out, [batch, outputWidth]);
    const forwardGeneration = generation;
    const gradFunc = (dy: Tensor): Tensor[] => {
      // Another forward ran in between (e.g. two uses in one tape): recompute this one's.
      if (generation !== forwardGeneration) {
        resize(batch);
        runForward(own, batch);
      }
      const gradient = host.backward(dy.dataSync());
      const reuse = reuseBuffers();
      return own.map((x, i) => {
        const target = reuse ? gradViews[i] : new Float32Array(batch * inputSizes[i]);
        const start = batch * inputOffsets[i];
        for (let j = 0; j < target.length; j++) target[j] = gradient[start + j];
        return tf.tensor(target, x.shape);
      });
    };
    return { value, gradFunc };
  });

  function logLikelihood(params: Readonly<Record<string, Tensor>>): Tensor2D {
    for (let i = 0; i < inputCount; i++) {
      const tensor = params[inputNames[i]];
      if (!tensor) throw new Error(`fused MMM likelihood: parameter "${inputNames[i]}" is missing`);
      inputs[i] = tensor;
    }
    return op(...inputs) as Tensor2D;
  }

  return { host, inputNames, logLikelihood };
}
