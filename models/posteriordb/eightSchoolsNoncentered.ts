/**
 * posteriordb `eight_schools-eight_schools_noncentered` (Rubin 1981; Gelman et al., "Bayesian Data
 * Analysis", 3rd ed., section 5.5), non-centred: theta_trans[j] ~ N(0, 1), mu ~ N(0, 5),
 * tau ~ HalfCauchy(0, 5), y[j] ~ N(mu + tau theta_trans[j], sigma[j]); derived
 * theta[j] = mu + tau theta_trans[j] (../shared/posteriordb/eight_schools-eight_schools_noncentered/model.md).
 */
import { positive } from '../../src/bijectors/index.js';
import { HalfCauchy, Normal } from '../../src/distributions/index.js';
import { defineModel, type ModelDefinition } from '../../src/ppl/index.js';
import { tf } from '../../src/tensor/index.js';
import { float32, integerField, lazyTensors, vectorField, type PosteriorData } from './data.js';

export function eightSchoolsNoncentered(data: PosteriorData): ModelDefinition {
  const J = integerField(data, 'J');
  const y = vectorField(data, 'y', J);
  const sigma = vectorField(data, 'sigma', J);
  const constants = lazyTensors(() => ({ y: tf.tensor2d(float32(y), [1, J]), sigma: tf.tensor2d(float32(sigma), [1, J]) }));
  return defineModel({
    name: 'eight_schools-eight_schools_noncentered',
    parameters: {
      theta_trans: { shape: [J], prior: new Normal(0, 1) },
      mu: { prior: new Normal(0, 5) },
      tau: { constraint: positive(), prior: new HalfCauchy(5, { checkSupport: false }) },
    },
    logDensity: ({ theta_trans, mu, tau }) => {
      const { y: observed, sigma: scale } = constants.get();
      const theta = tf.add(mu, tf.mul(tau, theta_trans));
      return new Normal(theta, scale).logProb(observed);
    },
    generated: ({ theta_trans, mu, tau }) => ({ theta: theta_trans.map((z) => mu[0] + tau[0] * z) }),
    generatedShapes: { theta: [J] },
    dispose: () => constants.dispose(),
  });
}
