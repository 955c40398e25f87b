/**
 * posteriordb `arK-arK`: AR(K) regression conditional on the first K observations,
 * y[t] ~ N(alpha + sum_k beta[k] y[t-k], sigma) for t = K+1..T, alpha, beta[k] ~ N(0, 10),
 * sigma ~ HalfCauchy(0, 2.5) (../shared/posteriordb/arK-arK/model.md). The lagged series is a
 * [K, T-K] design uploaded once, so the mean is one matMul.
 */
import { positive } from '../../src/bijectors/index.js';
import { HalfCauchy, Normal } from '../../src/distributions/index.js';
import { defineModel, type ModelDefinition } from '../../src/ppl/index.js';
import { tf, type Tensor2D } from '../../src/tensor/index.js';
import { float32, integerField, lazyTensors, vectorField, type PosteriorData } from './data.js';
import { normalLogLikelihood } from './normalLikelihood.js';

export function arK(data: PosteriorData): ModelDefinition {
  const K = integerField(data, 'K');
  const T = integerField(data, 'T');
  const y = vectorField(data, 'y', T);
  const count = T - K;
  if (!(count > 0)) throw new Error(`arK: need T > K, got T = ${T}, K = ${K}`);
  const lags = new Float64Array(K * count);
  for (let k = 1; k <= K; k++) for (let t = K; t < T; t++) lags[(k - 1) * count + (t - K)] = y[t - k];
  const constants = lazyTensors(() => ({ lags: tf.tensor2d(float32(lags), [K, count]), y: tf.tensor2d(float32(y.subarray(K)), [1, count]) }));
  return defineModel({
    name: 'arK-arK',
    parameters: {
      alpha: { prior: new Normal(0, 10) },
      beta: { shape: [K], prior: new Normal(0, 10) },
      sigma: { constraint: positive(), prior: new HalfCauchy(2.5, { checkSupport: false }) },
    },
    logDensity: ({ alpha, beta, sigma }) => {
      const { lags: design, y: observed } = constants.get();
      const mean = tf.add(alpha, tf.matMul(beta as Tensor2D, design)) as Tensor2D;
      return normalLogLikelihood(observed, mean, sigma);
    },
    dispose: () => constants.dispose(),
  });
}
