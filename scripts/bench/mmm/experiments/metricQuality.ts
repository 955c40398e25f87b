/**
 * How good is a dense metric estimated from N posterior draws? `npx tsx
 * scripts/bench/mmm/experiments/metricQuality.ts` takes Stan's 4000 geo-20 draws as the truth
 * Sigma and, for estimates M from 4 chains x {60, 120, 250} consecutive draws (plain pooled covariance,
 * and Schafer-Strimmer shrinkage), prints the eigenvalue range of M^-1 Sigma: NUTS needs about
 * sqrt(max / min) times more leapfrog steps than with the true covariance. Figures in bench/README.md.
 */
import { cholesky } from '../../../../src/linalg/index.js';
import { shrinkageCovariance } from '../../../../samplers/adaptation/shrinkageCovariance.js';
import { pooledChainCovariance } from '../../../../samplers/adaptation/pooledCovariance.js';
import { referenceTarget, sampleCovariance, stanDrawsUnconstrained } from './stanDraws.js';

/** Eigenvalues of a symmetric matrix by cyclic Jacobi rotations, ascending. */
function symmetricEigenvalues(matrix: Float64Array, n: number): number[] {
  const a = Float64Array.from(matrix);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i * n + j] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const [akp, akq] = [a[k * n + p], a[k * n + q]];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const [apk, aqk] = [a[p * n + k], a[q * n + k]];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
      }
    }
  }
  return Array.from({ length: n }, (_, i) => a[i * n + i]).sort((x, y) => x - y);
}

/** Eigenvalues of L^-1 Sigma L^-T with L L^T = estimate. */
function relativeSpectrum(estimate: Float64Array, truth: Float64Array, dim: number): number[] {
  const lower = cholesky(estimate, dim);
  const solveColumns = (source: (i: number, c: number) => number) => {
    const out = new Float64Array(dim * dim);
    for (let c = 0; c < dim; c++) {
      for (let i = 0; i < dim; i++) {
        let s = source(i, c);
        for (let k = 0; k < i; k++) s -= lower[i * dim + k] * out[k * dim + c];
        out[i * dim + c] = s / lower[i * dim + i];
      }
    }
    return out;
  };
  const half = solveColumns((i, c) => truth[i * dim + c]);
  const full = solveColumns((i, c) => half[c * dim + i]);
  for (let i = 0; i < dim; i++) for (let j = 0; j < i; j++) full[i * dim + j] = full[j * dim + i] = 0.5 * (full[i * dim + j] + full[j * dim + i]);
  return symmetricEigenvalues(full, dim);
}

const target = await referenceTarget('../shared', 'geo-20');
const dim = target.dim;
const stan = stanDrawsUnconstrained('../shared', 'geo-20', target);
const truth = sampleCovariance(stan, dim);
const line = (name: string, estimate: Float64Array) => {
  const ev = relativeSpectrum(estimate, truth, dim);
  console.log(`${name.padEnd(44)} eigenvalues ${ev[0].toExponential(2)} .. ${ev[dim - 1].toExponential(2)}  sqrt(max/min) ${Math.sqrt(ev[dim - 1] / ev[0]).toFixed(1)}`);
};
line('diagonal of the truth (what Stan adapts to)', Float64Array.from({ length: dim * dim }, (_, k) => (k % (dim + 1) === 0 ? truth[k] : 0)));
for (const perChain of [60, 120, 250]) {
  const chains = [0, 1, 2, 3].map((c) => stan.slice(c * 1000 + 300, c * 1000 + 300 + perChain));
  const pooled = pooledChainCovariance(chains, dim);
  line(`pooled (${pooled.estimator}), 4 x ${perChain} draws`, pooled.covariance);
  const shrunk = shrinkageCovariance(chains.flat(), dim);
  line(`Schafer-Strimmer, 4 x ${perChain} (lambda ${shrunk.lambda.toFixed(3)})`, shrunk.covariance);
}
