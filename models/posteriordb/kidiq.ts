/**
 * posteriordb `kidiq-kidscore_interaction` (Gelman & Hill 2007, ch. 3): kid_score[n] ~
 * N(beta[1] + beta[2] mom_hs + beta[3] mom_iq + beta[4] mom_hs mom_iq, sigma), flat prior on beta,
 * sigma ~ HalfCauchy(0, 2.5) (../shared/posteriordb/kidiq-kidscore_interaction/model.md).
 */
import { positive } from '../../src/bijectors/index.js';
import { HalfCauchy } from '../../src/distributions/index.js';
import { defineModel, type ModelDefinition } from '../../src/ppl/index.js';
import { tf, type Tensor2D } from '../../src/tensor/index.js';
import { float32, integerField, lazyTensors, vectorField, type PosteriorData } from './data.js';
import { normalLogLikelihood } from './normalLikelihood.js';

export function kidiq(data: PosteriorData): ModelDefinition {
  const N = integerField(data, 'N');
  const score = vectorField(data, 'kid_score', N);
  const hs = vectorField(data, 'mom_hs', N);
  const iq = vectorField(data, 'mom_iq', N);
  const transposed = new Float64Array(4 * N);
  for (let n = 0; n < N; n++) {
    transposed[n] = 1;
    transposed[N + n] = hs[n];
    transposed[2 * N + n] = iq[n];
    transposed[3 * N + n] = hs[n] * iq[n];
  }
  const constants = lazyTensors(() => ({ design: tf.tensor2d(float32(transposed), [4, N]), y: tf.tensor2d(float32(score), [1, N]) }));
  return defineModel({
    name: 'kidiq-kidscore_interaction',
    parameters: {
      beta: { shape: [4] },
      sigma: { constraint: positive(), prior: new HalfCauchy(2.5, { checkSupport: false }) },
    },
    logDensity: ({ beta, sigma }) => {
      const { design, y: observed } = constants.get();
      return normalLogLikelihood(observed, tf.matMul(beta as Tensor2D, design), sigma);
    },
    dispose: () => constants.dispose(),
  });
}
