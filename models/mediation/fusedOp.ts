/**
 * The mediation model's likelihood and priors as one TensorFlow.js op with a custom gradient
 * (tf.customGrad), as the geo MMM's fused op (models/mmm/fused/likelihoodOp.ts): inputs are the
 * constrained parameter tensors, the output is [B, 1 + M + 1] (one log-likelihood partial sum per
 * equation, then the priors' sum). The forward reads each input once (dataSync) and evaluates
 * everything in float64 host loops (fusedHost.ts, which states the hand-derived gradient); the
 * gradient function reads dy once and uploads one tensor per input. On wasm every kernel costs
 * several microseconds whatever its size (shared/notes/tfjs-performance.md), so this replaces the
 * few hundred kernels of the tensor formulation (model.ts, kernel 'tensor') by one op.
 */
import { tf, type Tensor, type Tensor2D } from '../../src/tensor/index.js';
import type { MediationFusedHost } from './fusedHost.js';

export function createFusedOp(host: MediationFusedHost): (params: Readonly<Record<string, Tensor>>) => Tensor2D {
  const names = host.inputs.map((input) => input.name);
  const sizes = host.inputs.map((input) => input.size);
  const offsets: number[] = [];
  let width = 0;
  for (const size of sizes) {
    offsets.push(width);
    width += size;
  }
  let generation = 0;

  const op = tf.customGrad((...args: (Tensor | ((saved: Tensor[]) => void))[]) => {
    const own = args.slice(0, names.length) as Tensor[];
    const batch = own[0].shape[0];
    const forward = () => {
      generation++;
      return host.forward(own.map((x) => x.dataSync()), batch);
    };
    const output = forward();
    const value = tf.tensor2d(Float32Array.from(output), [batch, host.outputWidth]);
    const forwardGeneration = generation;
    const gradFunc = (dy: Tensor): Tensor[] => {
      if (generation !== forwardGeneration) forward(); // another forward ran in between: recompute this one's state
      const gradient = host.backward(dy.dataSync());
      return own.map((x, i) => tf.tensor(Float32Array.from(gradient.subarray(batch * offsets[i], batch * (offsets[i] + sizes[i]))), x.shape));
    };
    return { value, gradFunc };
  });

  return (params) => {
    const inputs = names.map((name) => {
      const tensor = params[name];
      if (!tensor) throw new Error(`fused mediation op: parameter "${name}" is missing`);
      return tensor;
    });
    return op(...inputs) as Tensor2D;
  };
}
