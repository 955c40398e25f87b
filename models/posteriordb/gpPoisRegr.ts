/**
 * posteriordb `gp_pois_regr-gp_pois_regr`: Poisson regression with a latent squared-exponential GP
 * log rate in the non-centred form (Rasmussen & Williams 2006, ch. 2; Stan User's Guide, "Gaussian
 * processes", latent variable GP): f = L f_tilde with L L^T = C, C[i, j] = alpha^2
 * exp(-(x[i] - x[j])^2 / (2 rho^2)) + 1e-10 [i = j]; rho ~ Gamma(25, 4), alpha ~ HalfNormal(0, 2),
 * f_tilde[i] ~ N(0, 1), k[i] ~ Poisson(exp(f[i])); derived f
 * (../shared/posteriordb/gp_pois_regr-gp_pois_regr/model.md). The Cholesky factor and its gradient
 * are computed in float64 on the host (cholesky.ts); f is a batched matMul.
 */
import { positive } from '../../src/bijectors/index.js';
import { Gamma, HalfNormal, logGamma, Normal } from '../../src/distributions/index.js';
import { defineModel, type ModelDefinition } from '../../src/ppl/index.js';
import { tf, type Tensor2D, type Tensor3D } from '../../src/tensor/index.js';
import { choleskyLower, squaredExponentialCholeskyOp, squaredExponentialKernel } from './cholesky.js';
import { float32, integerField, lazyTensors, vectorField, type PosteriorData } from './data.js';

export const GP_JITTER = 1e-10;

/** f = L f_tilde in float64 for one draw (NaN where the kernel is not positive definite). */
export function latentGp(x: Float64Array, alpha: number, rho: number, fTilde: ArrayLike<number>): Float64Array {
  const n = x.length;
  const lower = choleskyLower(squaredExponentialKernel(x, alpha, rho, GP_JITTER), n);
  const f = new Float64Array(n);
  if (!lower) return f.fill(NaN);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j <= i; j++) sum += lower[i * n + j] * fTilde[j];
    f[i] = sum;
  }
  return f;
}

export function gpPoisRegr(data: PosteriorData): ModelDefinition {
  const N = integerField(data, 'N');
  const x = vectorField(data, 'x', N);
  const counts = vectorField(data, 'k', N);
  counts.forEach((count, i) => {
    if (!(Number.isInteger(count) && count >= 0)) throw new Error(`gp_pois_regr: k[${i + 1}] = ${count} is not a count`);
  });
  let logFactorials = 0;
  for (const count of counts) logFactorials += logGamma(count + 1);
  const cholesky = squaredExponentialCholeskyOp(x, GP_JITTER);
  const constants = lazyTensors(() => ({ k: tf.tensor2d(float32(counts), [1, N]) }));
  return defineModel({
    name: 'gp_pois_regr-gp_pois_regr',
    parameters: {
      rho: { constraint: positive(), prior: new Gamma(25, 4, { checkSupport: false }) },
      alpha: { constraint: positive(), prior: new HalfNormal(2, { checkSupport: false }) },
      f_tilde: { shape: [N], prior: new Normal(0, 1) },
    },
    logDensity: ({ rho, alpha, f_tilde }) => {
      const { k } = constants.get();
      const chains = rho.shape[0];
      const lower = cholesky(tf.concat([alpha, rho], 1) as Tensor2D);
      const f = tf.reshape(tf.matMul(lower, tf.reshape(f_tilde, [chains, N, 1]) as Tensor3D), [chains, N]);
      // Poisson log density k f - exp(f) - log k!, the last a host constant.
      return [tf.sub(tf.mul(k, f), tf.exp(f)), tf.fill([chains, 1], -logFactorials)];
    },
    generated: ({ rho, alpha, f_tilde }) => ({ f: latentGp(x, alpha[0], rho[0], f_tilde) }),
    generatedShapes: { f: [N] },
    dispose: () => constants.dispose(),
  });
}
