/**
 * The integrated linear block's Gaussian conditional given the other parameters, written out densely
 * from the reference's pieces (models/mmm/referenceDensity.ts `referenceLinearBlock`): precision
 * A = Lambda0 + X^T W X, its Cholesky factor and the mean b_hat = A^-1 (Lambda0 b0 + X^T W (y - M)), with
 * W = diag(1 / sigma_row^2) (one sigma, or one per geo with sigmaByGeo).
 * Shared by the linear-block tests (tests/mmm.linearBlock.test.ts, tests/mmm.knots.test.ts).
 */
import { choleskyInto, solveCholesky } from '../../src/linalg/index.js';
import type { MmmModelConfig } from '../../models/mmm/config.js';
import type { MmmDesign } from '../../models/mmm/design.js';
import { referenceLinearBlock } from '../../models/mmm/referenceDensity.js';

export function conditionalOf(design: MmmDesign, config: MmmModelConfig, values: Record<string, Float64Array>) {
  const { p, rows, residual, rowSigma, precision, mean } = referenceLinearBlock(design, config, values);
  const A = Float64Array.from(precision);
  const c = new Float64Array(p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) c[i] += precision[i * p + j] * mean[j];
  rows.forEach((row, r) => {
    const sigma = rowSigma[r];
    for (let i = 0; i < p; i++) {
      c[i] += (row[i] * residual[r]) / (sigma * sigma);
      for (let j = 0; j < p; j++) A[i * p + j] += (row[i] * row[j]) / (sigma * sigma);
    }
  });
  const lower = new Float64Array(p * p);
  const factored = choleskyInto(A, p, lower);
  const bHat = solveCholesky(lower, p, c, new Float64Array(p));
  return { p, A, lower, factored, bHat };
}
