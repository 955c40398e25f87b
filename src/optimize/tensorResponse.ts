/**
 * The planning window's response model as a tfjs computation, for gradients with respect to the
 * plan by reverse-mode automatic differentiation (`tf.grad`): the same formula as hostResponse.ts
 * (see windowDraws.ts), batched over draws as [D, G, C, N] tensors:
 *
 *   cells = plan . onehot(entry of cell)                  [1 or D, G, C, 1]
 *   a     = cells * ain + carry                           (ain, carry precomputed in float64, stored float32)
 *   h     = each channel's saturation kind's tensor form              (models/mmm components, e.g. Hill sigmoid(s (log(a + 1e-30) - log k)))
 *   outcome_d = baseline_d + sum_{g,c} scale[d,g,c] sum_j value[g,j] h[d,g,c,j]
 *
 * A one-hot matrix product (not a gather) maps plan entries to cells, so the backward pass only
 * needs kernels every backend has. Channels of different saturation kinds: each kind's form, masked
 * to its channels, summed; saturation-first channels are refused (the host model handles them). Values are float32 (relative error ~1e-6): use the host model
 * for values and this one for gradients (`hybridResponseModel`). Tensors live until `dispose()`.
 * Memory: two float32 [D, G, C, N] tensors, so build it on a subsample of draws.
 */
import { initBackend, tf, type Tensor } from '../tensor/index.js';
import { isPerDrawPlan, type ResponseModel } from './responseModel.js';
import type { WindowDraws } from './windowDraws.js';

export interface TensorResponseModel extends ResponseModel {
  readonly data: WindowDraws;
}

export async function tensorResponseModel(data: WindowDraws): Promise<TensorResponseModel> {
  await initBackend();
  const { window, weights, scale, value, carry, baseline } = data;
  const G = window.geoNames.length;
  const C = window.channelNames.length;
  const N = window.periods;
  const P = window.entries.length;
  const L = data.maxLag;
  const Lc = data.carryPeriods;
  const D = data.drawIndices.length;
  const mps = window.mediaPerSpend;

  const ainHost = new Float32Array(D * G * C * N);
  const carryHost = new Float32Array(D * G * C * N);
  for (let d = 0; d < D; d++) {
    for (let g = 0; g < G; g++) {
      for (let c = 0; c < C; c++) {
        const cell = g * C + c;
        const w = weights.subarray((d * C + c) * L, (d * C + c + 1) * L);
        const base = (d * G * C + cell) * N;
        for (let j = 0; j < N; j++) {
          let ain = 0;
          for (let l = 0; l <= Math.min(j, L - 1); l++) ain += w[l] * mps[cell * N + j - l];
          ainHost[base + j] = ain;
          if (j < Lc) carryHost[base + j] = carry[(d * G * C + cell) * Lc + j];
        }
      }
    }
  }
  const onehotHost = new Float32Array(P * G * C);
  for (let cell = 0; cell < G * C; cell++) onehotHost[window.entryOfCell[cell] * G * C + cell] = 1;

  const { saturations, saturationOptions, saturationWidth: W } = data;
  if (data.saturationFirst.some((first) => first)) {
    const names = window.channelNames.filter((_, c) => data.saturationFirst[c]);
    throw new Error(`optimize: the tensor gradient does not handle saturation-first or reach and frequency channels (${names.join(', ')}); use the host model's gradient`);
  }
  for (const saturation of saturations) {
    if (!saturation.tensor) throw new Error(`optimize: saturation "${saturation.type}" has no tensor form; use the host model's gradient`);
  }
  // channels grouped by saturation kind and options: one tensor form per group, masked to its channels
  const groups: { kind: (typeof saturations)[number]; options: (typeof saturationOptions)[number]; mask?: Tensor }[] = [];
  const groupOf = saturations.map((kind, c) => {
    let i = groups.findIndex((group) => group.kind === kind && group.options.fixedSlope === saturationOptions[c].fixedSlope);
    if (i < 0) i = groups.push({ kind, options: saturationOptions[c] }) - 1;
    return i;
  });
  if (groups.length > 1) for (const [i, group] of groups.entries()) group.mask = tf.tensor4d(Float32Array.from(groupOf, (j) => (j === i ? 1 : 0)), [1, 1, C, 1]);
  const ain = tf.tensor4d(ainHost, [D, G, C, N]);
  const carryT = tf.tensor4d(carryHost, [D, G, C, N]);
  const scaleT = tf.tensor3d(Float32Array.from(scale), [D, G, C]);
  const valueT = tf.tensor4d(Float32Array.from(value), [1, G, 1, N]);
  const onehot = tf.tensor2d(onehotHost, [P, G * C]);
  // one [D, 1, C, 1] tensor per saturation parameter
  const parameterT = Array.from({ length: W }, (_, j) => tf.tensor4d(Float32Array.from({ length: D * C }, (_, i) => data.saturationParameters[i * W + j]), [D, 1, C, 1]));
  const held: Tensor[] = [ain, carryT, scaleT, valueT, onehot, ...parameterT, ...groups.flatMap((group) => (group.mask ? [group.mask] : []))];
  const saturate = (adstocked: Tensor): Tensor => {
    const curve = (group: (typeof groups)[number]) => (group.kind.tensor as NonNullable<typeof group.kind.tensor>)(parameterT, group.options, adstocked);
    if (groups.length === 1) return curve(groups[0]);
    return groups.map((group) => tf.mul(curve(group), group.mask as Tensor)).reduce((sum, part) => tf.add(sum, part));
  };

  /** Media outcome per draw [D] of plan tensor x ([1, P] shared or [D, P] per draw). */
  const mediaOutcome = (x: Tensor): Tensor => {
    const rows = x.shape[0] as number;
    const cells = tf.reshape(tf.matMul(x as tf.Tensor2D, onehot), [rows, G, C, 1]);
    const adstocked = tf.add(tf.mul(cells, ain), carryT);
    const saturated = saturate(adstocked);
    const perCell = tf.sum(tf.mul(saturated, valueT), 3);
    return tf.sum(tf.mul(perCell, scaleT), [1, 2]);
  };
  const planTensor = (plan: Float64Array, perDraw: boolean) => tf.tensor2d(Float32Array.from(plan), perDraw ? [D, P] : [1, P]);

  let disposed = false;
  const alive = () => {
    if (disposed) throw new Error('tensor response model used after dispose()');
  };
  const model: TensorResponseModel = {
    data,
    drawCount: D,
    planSize: P,
    evaluate(plan) {
      alive();
      const perDraw = isPerDrawPlan(model, plan);
      const media = tf.tidy(() => mediaOutcome(planTensor(plan, perDraw)));
      const values = media.dataSync();
      media.dispose();
      return Float64Array.from(values, (m, d) => baseline[d] + m);
    },
    gradient(plan, drawWeights) {
      alive();
      if (drawWeights.length !== D) throw new Error(`response model: ${D} weights expected, got ${drawWeights.length}`);
      const perDraw = isPerDrawPlan(model, plan);
      const gradient = tf.tidy(() => {
        const w = tf.tensor1d(Float32Array.from(drawWeights));
        return tf.grad((x: Tensor) => tf.sum(tf.mul(mediaOutcome(x), w)))(planTensor(plan, perDraw));
      });
      const out = Float64Array.from(gradient.dataSync());
      gradient.dispose();
      return out;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      held.forEach((t) => t.dispose());
    },
  };
  return model;
}
