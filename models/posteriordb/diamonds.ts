/**
 * posteriordb `diamonds-diamonds`: normal linear regression on 24 centred, strongly collinear
 * predictors (N = 5000), b[i] ~ N(0, 1), Intercept ~ t(3, 8, 10), sigma ~ HalfT(3, 0, 10),
 * Y[n] ~ N(Intercept + Xc[n] . b, sigma) (../shared/posteriordb/diamonds-diamonds/model.md; the
 * brms parameterisation with centred predictors). The design is uploaded once as Xc^T [24, N]; the
 * mean is one [chains, 24] x [24, N] matMul per evaluation, the likelihood summed in blocks of 100.
 */
import { positive } from '../../src/bijectors/index.js';
import { LOG_2, Normal, StudentT } from '../../src/distributions/index.js';
import { defineModel, type ModelDefinition } from '../../src/ppl/index.js';
import { tf, type Tensor2D } from '../../src/tensor/index.js';
import { float32, integerField, lazyTensors, matrixField, vectorField, type PosteriorData } from './data.js';
import { normalLogLikelihood } from './normalLikelihood.js';

/** The centred predictors Xc (N x (K - 1), row-major) and their column means. */
export function centredPredictors(data: PosteriorData): { rows: number; columns: number; centred: Float64Array; means: Float64Array } {
  const N = integerField(data, 'N');
  const K = integerField(data, 'K');
  const X = matrixField(data, 'X', N, K);
  const columns = K - 1;
  const means = new Float64Array(columns);
  for (let n = 0; n < N; n++) for (let k = 0; k < columns; k++) means[k] += X.values[n * K + k + 1];
  for (let k = 0; k < columns; k++) means[k] /= N;
  const centred = new Float64Array(N * columns);
  for (let n = 0; n < N; n++) for (let k = 0; k < columns; k++) centred[n * columns + k] = X.values[n * K + k + 1] - means[k];
  return { rows: N, columns, centred, means };
}

export function diamonds(data: PosteriorData): ModelDefinition {
  const { rows: N, columns, centred } = centredPredictors(data);
  const Y = vectorField(data, 'Y', N);
  if (integerField(data, 'prior_only') !== 0) throw new Error('diamonds: prior_only = 1 is not supported');
  const constants = lazyTensors(() => {
    const transposed = new Float32Array(columns * N);
    for (let n = 0; n < N; n++) for (let k = 0; k < columns; k++) transposed[k * N + n] = centred[n * columns + k];
    return { design: tf.tensor2d(transposed, [columns, N]), Y: tf.tensor2d(float32(Y), [1, N]) };
  });
  return defineModel({
    name: 'diamonds-diamonds',
    parameters: {
      b: { shape: [columns], prior: new Normal(0, 1) },
      Intercept: { prior: new StudentT(3, 8, 10) },
      sigma: { constraint: positive() },
    },
    logDensity: ({ b, Intercept, sigma }) => {
      const { design, Y: observed } = constants.get();
      const mean = tf.add(Intercept, tf.matMul(b as Tensor2D, design)) as Tensor2D;
      // HalfT(3, 0, 10): the Student-t density doubled on sigma > 0.
      const sigmaPrior = tf.add(new StudentT(3, 0, 10).logProb(sigma), LOG_2);
      return [sigmaPrior, ...normalLogLikelihood(observed, mean, sigma)];
    },
    dispose: () => constants.dispose(),
  });
}
