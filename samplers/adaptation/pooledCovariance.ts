/**
 * The covariance of several chains' warmup draws pooled, for a dense metric (staged.ts): each
 * chain's draws are centred on that chain's own mean (the pooled within-chain covariance, the W of
 * Gelman & Rubin 1992), so chains that have not met yet add no between-chain spread.
 *
 * With at least twice as many draws as dimensions it is the plain estimate, unregularized. Measured on
 * Stan's own geo-20 draws (bench/README.md, scripts/bench/mmm/experiments/metricQuality.ts), both
 * usual regularizations make the metric worse there: Stan's (n / (n + 5)) Sigma + 1e-3 (5 / (n + 5)) I
 * adds an absolute 1e-5 to variances as small as 3e-6, and shrinking the correlations (Schafer &
 * Strimmer) widens the narrow directions that correlations near +-1 make. With fewer draws than that,
 * where the plain estimate is (nearly) singular, the Schafer-Strimmer estimate is used
 * (adaptation/shrinkageCovariance.ts).
 */
import { shrinkageCovariance } from './shrinkageCovariance.js';

export interface PooledCovariance {
  /** Row-major [dim, dim]. */
  readonly covariance: Float64Array;
  /** 'plain' or 'shrinkage' (fewer than 2 * dim draws). */
  readonly estimator: 'plain' | 'shrinkage';
  readonly count: number;
}

/** Pooled within-chain covariance of `chains` (each a list of [dim] draws, at least 2 per chain). */
export function pooledChainCovariance(chains: readonly (readonly Float64Array[])[], dim: number): PooledCovariance {
  const centred: Float64Array[] = [];
  for (const [k, draws] of chains.entries()) {
    if (draws.length < 2) throw new Error(`pooledChainCovariance: chain ${k} has ${draws.length} draws, need at least 2`);
    const mean = new Float64Array(dim);
    for (const x of draws) for (let i = 0; i < dim; i++) mean[i] += x[i] / draws.length;
    for (const x of draws) centred.push(Float64Array.from(x, (value, i) => value - mean[i]));
  }
  const n = centred.length;
  if (n < 2 * dim) return { covariance: shrinkageCovariance(centred, dim).covariance, estimator: 'shrinkage', count: n };
  const covariance = new Float64Array(dim * dim);
  // Degrees of freedom: n draws less one mean per chain.
  const denominator = n - chains.length;
  for (const x of centred) {
    for (let i = 0; i < dim; i++) {
      const xi = x[i] / denominator;
      const row = i * dim;
      for (let j = 0; j <= i; j++) covariance[row + j] += xi * x[j];
    }
  }
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < i; j++) covariance[j * dim + i] = covariance[i * dim + j];
    if (!(covariance[i * dim + i] > 0)) {
      throw new Error(`pooledChainCovariance: coordinate ${i} has variance ${covariance[i * dim + i]}; the chains did not move`);
    }
  }
  return { covariance, estimator: 'plain', count: n };
}
