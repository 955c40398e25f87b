/**
 * The geo MMM's log density in plain float64 loops on constrained parameter values: the slow,
 * obviously-right reference the kernel is tested against. Priors from the parameter table
 * (parameters.ts; normalized, src/distributions/hostPrior.ts), the likelihood per observed cell from
 * the per-draw mean (hostModel.ts), and the lift tests' term (liftTests.ts, from whole series). No
 * Jacobian terms (those belong to the unconstrained density).
 */
import { priorLogDensity, resolvePrior, standardNormalPrior } from '../../src/distributions/index.js';
import type { MmmModelConfig } from './config.js';
import { kpiLogDensity } from './components/likelihood.js';
import { designDims, type MmmDesign } from './design.js';
import { meanKpiHost, type DrawValues } from './hostModel.js';
import { liftLogLikelihoodHost } from './liftTests.js';
import { mmmParameters } from './parameters.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Sum of the table's prior log densities at one draw. */
export function referencePriorLogDensity(design: MmmDesign, config: MmmModelConfig, values: DrawValues): number {
  let total = 0;
  for (const row of mmmParameters(design, config)) {
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
  const sigma = values.sigma[0];
  const nu = values.nu?.[0];
  for (let n = 0; n < G * T; n++) {
    if (design.observed && design.observed[n] === 0) continue;
    total += kpiLogDensity(config, design.kpi[n], mean[n], sigma, nu);
  }
  total += liftLogLikelihoodHost(design, config, values);
  return total;
}
