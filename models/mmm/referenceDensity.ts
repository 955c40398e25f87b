/**
 * The geo MMM's log density in plain float64 loops on constrained parameter values: the slow,
 * obviously-right reference the kernel is tested against. Priors from the parameter table
 * (parameters.ts; normalized, src/distributions/hostPrior.ts), the likelihood per observed cell from
 * the per-draw mean (hostModel.ts), and the lift tests' term (liftTests.ts, from whole series). No
 * Jacobian terms (those belong to the unconstrained density). With the linear block integrated out,
 * `referenceMarginalLogDensity` is the reference: the block's Gaussian integral written out densely
 * (the design matrix X and the prior precision as full matrices, one Cholesky of the whole p x p
 * posterior precision), not the kernel's geo elimination. One sigma per geo (config sigmaByGeo)
 * weights each row by its geo's 1 / sigma_g^2; fixed intercepts (config geo.intercept 'fixed') make
 * tau0 a column of ones and the other geos' offsets indicator columns with their own priors.
 * Geo-varying controls or treatments (config geo.controls / geo.treatments 'hierarchical'): the
 * mean coefficient gamma_k has a zero column and its N(loc, scale) prior, and each geo's coefficient
 * gamma[g,k] the control's column on geo g's cells and the prior N(gamma_k, gamma_sd_k^2) (precision
 * 1/sd^2 on it, -1/sd^2 with gamma_k, G/sd^2 added to gamma_k's), as the geo intercepts around tau0.
 */
import { priorLogDensity, resolvePrior, standardNormalPrior } from '../../src/distributions/index.js';
import { choleskyInto, logDeterminantFromCholesky, solveCholesky } from '../../src/linalg/index.js';
import { linearTerms } from './components/linearTerms.js';
import type { MmmModelConfig } from './config.js';
import { geoSigma, kpiLogDensity } from './components/likelihood.js';
import { fixedIntercepts, offsetGeos } from './components/intercepts.js';
import { designDims, type MmmDesign } from './design.js';
import { mediaTermHost, meanKpiHost, type DrawValues } from './hostModel.js';
import { liftLogLikelihoodHost } from './liftTests.js';
import { mmmParameters } from './parameters.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Sum of the table's prior log densities at one draw (only the sampled parameters' with `sampledOnly`). */
export function referencePriorLogDensity(design: MmmDesign, config: MmmModelConfig, values: DrawValues, sampledOnly = false): number {
  let total = 0;
  for (const row of mmmParameters(design, config)) {
    if (sampledOnly && row.role === 'integrated') continue;
    const x = values[row.name];
    const prior = row.prior;
    if (prior.kind === 'hierarchical') {
      for (let i = 0; i < row.elementNames.length; i++) {
        const loc = values[prior.loc][prior.locIndex[i]];
        const scale = values[prior.scale][prior.locIndex[i]];
        const z = (x[i] - loc) / scale;
        total += -0.5 * z * z - Math.log(scale) - LOG_SQRT_2PI;
      }
      continue;
    }
    const resolved = prior.kind === 'config' ? resolvePrior(prior.spec, row.elementNames, `priors.${row.name}`) : standardNormalPrior(row.elementNames.length);
    for (let i = 0; i < row.elementNames.length; i++) total += priorLogDensity(resolved, i, x[i]);
  }
  return total;
}

/** Log posterior density (priors + likelihood + lift tests, no Jacobians) at constrained values, float64. */
export function referenceLogDensity(design: MmmDesign, config: MmmModelConfig, values: DrawValues): number {
  const { geos: G, periods: T } = designDims(design);
  let total = referencePriorLogDensity(design, config, values);
  const mean = meanKpiHost(design, config, values);
  const nu = values.nu?.[0];
  for (let n = 0; n < G * T; n++) {
    if (design.observed && design.observed[n] === 0) continue;
    total += kpiLogDensity(config, design.kpi[n], mean[n], geoSigma(values, Math.floor(n / T)), nu);
  }
  total += liftLogLikelihoodHost(design, config, values);
  return total;
}

/**
 * The block's Gaussian pieces written out densely at one draw of the sampled parameters: the design
 * matrix X [n, p] over the observed cells (columns: tau0, then tau_1..tau_G with more than one geo,
 * or with fixed intercepts the offsets of the geos but the baseline, then the linear terms'
 * coefficients, then each geo-varying term's per-geo coefficients [G, width] in term order), the
 * residual y - M [n], each row's sigma [n], the prior precision Lambda0 [p, p] and mean b0 [p].
 */
export function referenceLinearBlock(design: MmmDesign, config: MmmModelConfig, values: DrawValues) {
  const { geos: G, periods: T } = designDims(design);
  const fixed = fixedIntercepts(design, config);
  const hierarchical = G > 1 && !fixed;
  const offsets = fixed ? offsetGeos(design, config) : [];
  const geoColumns = hierarchical ? G : offsets.length;
  const terms = linearTerms(design, config);
  const width = terms.reduce((n, term) => n + term.width, 0);
  const varyingStart: number[] = [];
  let varyingColumns = 0;
  for (const term of terms) {
    varyingStart.push(1 + geoColumns + width + varyingColumns);
    if (term.geoVarying) varyingColumns += G * term.width;
  }
  const p = 1 + geoColumns + width + varyingColumns;
  const rows: number[][] = [];
  const residual: number[] = [];
  const rowSigma: number[] = [];
  const media = mediaTermHost(design, config, values);
  for (let g = 0; g < G; g++) {
    for (let t = 0; t < T; t++) {
      const n = g * T + t;
      if (design.observed && design.observed[n] === 0) continue;
      const row = new Array<number>(p).fill(0);
      if (hierarchical) row[1 + g] = 1;
      else row[0] = 1;
      if (fixed && offsets.includes(g)) row[1 + offsets.indexOf(g)] = 1;
      let j = 1 + geoColumns;
      terms.forEach((term, i) => {
        for (let k = 0; k < term.width; k++) {
          const x = term.columns[(term.scope === 'time' ? t : n) * term.width + k];
          if (term.geoVarying) row[varyingStart[i] + g * term.width + k] = x;
          else row[j] = x;
          j++;
        }
      });
      rows.push(row);
      residual.push(design.kpi[n] - media[n]);
      rowSigma.push(geoSigma(values, g));
    }
  }
  const table = mmmParameters(design, config);
  const normal = (name: string, i: number): [number, number] => {
    const row = table.find((r) => r.name === name);
    if (!row || row.prior.kind !== 'config' || row.prior.spec.dist !== 'normal') throw new Error(`reference linear block: "${name}" needs a normal prior`);
    const resolved = resolvePrior(row.prior.spec, row.elementNames, name);
    return [resolved.first[i], resolved.second[i]];
  };
  const precision = new Float64Array(p * p);
  const mean = new Float64Array(p);
  const [m0, s0] = normal('tau0', 0);
  precision[0] = 1 / (s0 * s0);
  mean[0] = m0;
  if (hierarchical) {
    const tauPrecision = 1 / (values.sigma_tau[0] * values.sigma_tau[0]);
    for (let g = 0; g < G; g++) {
      precision[0] += tauPrecision;
      precision[(1 + g) * p + 1 + g] = tauPrecision;
      precision[1 + g] = precision[(1 + g) * p] = -tauPrecision;
      mean[1 + g] = m0;
    }
  }
  for (let k = 0; k < offsets.length; k++) {
    const [loc, scale] = normal('tau_offset', k);
    precision[(1 + k) * p + 1 + k] = 1 / (scale * scale);
    mean[1 + k] = loc;
  }
  let j = 1 + geoColumns;
  terms.forEach((term, i) => {
    for (let k = 0; k < term.width; k++) {
      const [loc, scale] = normal(term.parameter, k);
      precision[j * p + j] = 1 / (scale * scale);
      mean[j] = loc;
      if (term.geoVarying) {
        const sd = values[term.geoVarying.sd][k];
        for (let g = 0; g < G; g++) {
          const at = varyingStart[i] + g * term.width + k;
          precision[j * p + j] += 1 / (sd * sd);
          precision[at * p + at] = 1 / (sd * sd);
          precision[j * p + at] = precision[at * p + j] = -1 / (sd * sd);
          mean[at] = loc;
        }
      }
      j++;
    }
  });
  return { p, rows, residual, rowSigma, precision, mean };
}

/** The marginal log density of the sampled parameters (priors + the block's integral + lift tests), float64, dense. */
export function referenceMarginalLogDensity(design: MmmDesign, config: MmmModelConfig, values: DrawValues): number {
  const { p, rows, residual, rowSigma, precision, mean } = referenceLinearBlock(design, config, values);
  const n = rows.length;
  const A = Float64Array.from(precision);
  const c = new Float64Array(p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) c[i] += precision[i * p + j] * mean[j];
  let residualSquares = 0;
  let logSigma = 0;
  rows.forEach((row, r) => {
    const sigma = rowSigma[r];
    residualSquares += (residual[r] * residual[r]) / (sigma * sigma);
    logSigma += Math.log(sigma);
    for (let i = 0; i < p; i++) {
      c[i] += (row[i] * residual[r]) / (sigma * sigma);
      for (let j = 0; j < p; j++) A[i * p + j] += (row[i] * row[j]) / (sigma * sigma);
    }
  });
  let priorQuadratic = 0;
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) priorQuadratic += mean[i] * precision[i * p + j] * mean[j];
  const lowerA = new Float64Array(p * p);
  const lowerPrior = new Float64Array(p * p);
  if (!choleskyInto(A, p, lowerA) || !choleskyInto(precision, p, lowerPrior)) return -Infinity;
  const solved = solveCholesky(lowerA, p, c, new Float64Array(p));
  let quadratic = 0;
  for (let i = 0; i < p; i++) quadratic += c[i] * solved[i];
  const marginal =
    -0.5 * n * Math.log(2 * Math.PI) - logSigma - 0.5 * residualSquares - 0.5 * priorQuadratic +
    0.5 * logDeterminantFromCholesky(lowerPrior, p) - 0.5 * logDeterminantFromCholesky(lowerA, p) + 0.5 * quadratic;
  return referencePriorLogDensity(design, config, values, true) + marginal + liftLogLikelihoodHost(design, config, values);
}
