/**
 * posteriordb `hmm_example-hmm_example`: two-state hidden Markov model with N(mu[k], 1) emissions,
 * transition rows theta1 (out of state 1) and theta2 (out of state 2) uniform on the simplex,
 * positive ordered mu with mu[1] ~ N(3, 1), mu[2] ~ N(10, 1), hidden states marginalised by the
 * forward algorithm (Rabiner 1989, "A tutorial on hidden Markov models", section III.A) with equal
 * unnormalised initial weights (../shared/posteriordb/hmm_example-hmm_example/model.md).
 *
 * The forward pass runs on the host (src/ppl/hostKernel.ts) in the scaled form (Rabiner 1989, section V.A:
 * normalise the forward vector each step, add the log normalisers), carrying the tangents of the
 * forward vector with respect to (A[1,1], A[1,2], A[2,1], A[2,2], mu[1], mu[2]); or, with
 * `recursion: 'tensor'`, on the log scale with a log-sum-exp per step.
 */
import { positiveOrdered, simplex } from '../../src/bijectors/index.js';
import { HALF_LOG_2PI, logSumExp, Normal } from '../../src/distributions/index.js';
import { defineModel, hostKernelOp, perChainHostKernel, type ModelDefinition } from '../../src/ppl/index.js';
import { tf, type Tensor, type Tensor3D } from '../../src/tensor/index.js';
import { float32, integerField, lazyTensors, vectorField, type PosteriorData } from './data.js';
import type { RecursionOptions } from './recursion.js';

const STATES = 2;
/** Host parameters: A row-major (4), then mu (2). */
const PARAMS = STATES * STATES + STATES;

/**
 * HMM log likelihood for K states at params = (A row-major K x K, mu K) with its gradient, by the
 * scaled forward algorithm with forward-mode tangents.
 */
export function hmmLogLikelihood(y: Float64Array, states: number, params: Float64Array, gradient: Float64Array): number {
  const K = states;
  const P = K * K + K;
  const A = params.subarray(0, K * K);
  const mu = params.subarray(K * K, P);
  let forward = new Float64Array(K); // normalised forward vector
  let tangent = new Float64Array(K * P); // [k, p]: d forward[k] / d param p
  let next = new Float64Array(K);
  let nextTangent = new Float64Array(K * P);
  const emission = new Float64Array(K);
  const logEmission = new Float64Array(K);
  let total = 0;
  gradient.fill(0);
  for (let t = 0; t < y.length; t++) {
    let shift = -Infinity;
    for (let k = 0; k < K; k++) {
      const r = y[t] - mu[k];
      logEmission[k] = -0.5 * r * r - HALF_LOG_2PI;
      if (logEmission[k] > shift) shift = logEmission[k];
    }
    for (let k = 0; k < K; k++) emission[k] = Math.exp(logEmission[k] - shift);
    nextTangent.fill(0);
    for (let k = 0; k < K; k++) {
      // predicted[k] = sum_j forward[j] A[j, k] (= 1 at t = 0, the equal initial weights).
      let predicted = t === 0 ? 1 : 0;
      if (t > 0) for (let j = 0; j < K; j++) predicted += forward[j] * A[j * K + k];
      next[k] = emission[k] * predicted;
      // Tangents: d emission[k] / d mu[k] = emission[k] (y - mu[k]); the shift cancels in the total.
      const row = k * P;
      if (t > 0) {
        for (let p = 0; p < P; p++) {
          let dPredicted = 0;
          for (let j = 0; j < K; j++) dPredicted += tangent[j * P + p] * A[j * K + k];
          nextTangent[row + p] = emission[k] * dPredicted;
        }
        for (let j = 0; j < K; j++) nextTangent[row + j * K + k] += emission[k] * forward[j];
      }
      nextTangent[row + K * K + k] += next[k] * (y[t] - mu[k]);
    }
    let scale = 0;
    for (let k = 0; k < K; k++) scale += next[k];
    total += Math.log(scale) + shift;
    for (let p = 0; p < P; p++) {
      let dScale = 0;
      for (let k = 0; k < K; k++) dScale += nextTangent[k * P + p];
      gradient[p] += dScale / scale;
      for (let k = 0; k < K; k++) nextTangent[k * P + p] = (nextTangent[k * P + p] - (next[k] / scale) * dScale) / scale;
    }
    for (let k = 0; k < K; k++) next[k] /= scale;
    [forward, next] = [next, forward];
    [tangent, nextTangent] = [nextTangent, tangent];
  }
  return total;
}

export function hmmExample(data: PosteriorData, options: RecursionOptions = {}): ModelDefinition {
  const N = integerField(data, 'N');
  const K = integerField(data, 'K');
  if (K !== STATES) throw new Error(`hmm_example: K must be ${STATES}, got ${K}`);
  const y = vectorField(data, 'y', N);
  const hostTerm = hostKernelOp(perChainHostKernel('hmm_example likelihood', 'params', PARAMS, (params, gradient) => hmmLogLikelihood(y, K, params, gradient)));
  const constants = lazyTensors(() => ({ y: tf.tensor3d(float32(y), [1, N, 1]), priorLoc: tf.tensor2d([3, 10], [1, 2]) }));

  function tensorLogLikelihood(theta1: Tensor, theta2: Tensor, mu: Tensor): Tensor {
    const { y: observed } = constants.get();
    const chains = mu.shape[0];
    const logA = tf.log(tf.stack([theta1, theta2], 1)) as Tensor3D; // [chains, j, k]
    const logEmission = tf.sub(tf.mul(tf.square(tf.sub(observed, tf.reshape(mu, [chains, 1, K]))), -0.5), HALF_LOG_2PI);
    const steps = tf.unstack(logEmission, 1); // N x [chains, K]
    let g = steps[0];
    for (let t = 1; t < N; t++) {
      g = tf.add(logSumExp(tf.add(tf.reshape(g, [chains, K, 1]), logA), 1), steps[t]);
    }
    return logSumExp(g, 1);
  }

  return defineModel({
    name: 'hmm_example-hmm_example',
    parameters: {
      theta1: { shape: [K], constraint: simplex() },
      theta2: { shape: [K], constraint: simplex() },
      mu: { shape: [K], constraint: positiveOrdered(), prior: () => new Normal(constants.get().priorLoc, 1) },
    },
    logDensity: ({ theta1, theta2, mu }) => {
      if (options.recursion === 'tensor') return tensorLogLikelihood(theta1, theta2, mu);
      return hostTerm([tf.concat([theta1, theta2, mu], 1)]);
    },
    dispose: () => constants.dispose(),
  });
}
