/**
 * posteriordb `eight_schools-eight_schools_centered`, the centred (funnel) parameterisation:
 * mu ~ N(0, 5), tau ~ HalfCauchy(0, 5), theta[j] ~ N(mu, tau), y[j] ~ N(theta[j], sigma[j])
 * (../shared/posteriordb/eight_schools-eight_schools_centered/model.md). theta's prior depends on
 * the earlier parameters mu and tau, so they are declared first.
 */
import { positive } from '../../src/bijectors/index.js';
import { HalfCauchy, Normal } from '../../src/distributions/index.js';
import { defineModel, type ModelDefinition } from '../../src/ppl/index.js';
import { tf } from '../../src/tensor/index.js';
import { float32, integerField, lazyTensors, vectorField, type PosteriorData } from './data.js';

export function eightSchoolsCentered(data: PosteriorData): ModelDefinition {
  const J = integerField(data, 'J');
  const y = vectorField(data, 'y', J);
  const sigma = vectorField(data, 'sigma', J);
  const constants = lazyTensors(() => ({ y: tf.tensor2d(float32(y), [1, J]), sigma: tf.tensor2d(float32(sigma), [1, J]) }));
  return defineModel({
    name: 'eight_schools-eight_schools_centered',
    parameters: {
      mu: { prior: new Normal(0, 5) },
      tau: { constraint: positive(), prior: new HalfCauchy(5, { checkSupport: false }) },
      theta: { shape: [J], prior: ({ mu, tau }) => new Normal(mu, tau) },
    },
    logDensity: ({ theta }) => {
      const { y: observed, sigma: scale } = constants.get();
      return new Normal(theta, scale).logProb(observed);
    },
    dispose: () => constants.dispose(),
  });
}
