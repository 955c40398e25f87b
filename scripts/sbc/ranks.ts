/**
 * The rank statistics of one SBC replicate (Talts, Betancourt, Simpson, Vehtari & Gelman 2018,
 * "Validating Bayesian inference algorithms with simulation-based calibration", Algorithms 1-2):
 * the fit's draws (all chains) thinned to L evenly spaced draws, then for every test quantity the
 * number of those draws below the true value. The quantities are every scalar parameter of the
 * parameter table, sampled or drawn from its conditional (the integrated linear block's tau0, v,
 * delta, phi, gamma, under their reference names in the fit's draws), and the KPI's log-likelihood
 * (simulate.ts LOG_LIK), computed for each kept draw with the product's own formula
 * (src/analysis kpiLogLikelihood) on the replicate's data.
 */
import { kpiLogLikelihood } from '../../src/analysis/index.js';
import { rankStatistic, thinnedIndices } from '../../src/diagnostics/index.js';
import type { RunConfig } from '../../src/mmm/config.js';
import { Posterior, type PosteriorVariable } from '../../src/ppl/index.js';
import type { MmmDesign } from '../../models/mmm/index.js';
import { LOG_LIK, type Replicate } from './simulate.js';

/** The posterior's draws at `keep` evenly spaced positions of the chains concatenated, as one chain. */
export function thinnedPosterior(posterior: Posterior, keep: number): Posterior {
  const indices = thinnedIndices(posterior.chains * posterior.drawsPerChain, keep);
  const variables: PosteriorVariable[] = posterior.variables.map((variable) => {
    const size = variable.shape.reduce((a, b) => a * b, 1);
    const values = new Float64Array(keep * size);
    indices.forEach((index, i) => values.set(variable.values.subarray(index * size, (index + 1) * size), i * size));
    return { ...variable, values };
  });
  return new Posterior(1, keep, variables);
}

/** Rank of every quantity's true value among the `keep` thinned draws of the fit (module comment). */
export function replicateRanks(posterior: Posterior, replicate: Replicate, quantities: readonly string[], design: MmmDesign, config: RunConfig, keep: number): Record<string, number> {
  const thinned = thinnedPosterior(posterior, keep);
  const ranks: Record<string, number> = {};
  for (const quantity of quantities) {
    const truth = replicate.truth[quantity];
    if (truth === undefined) throw new Error(`sbc: replicate ${replicate.id} has no true value of ${quantity}`);
    if (quantity === LOG_LIK) {
      const matrix = kpiLogLikelihood({ ...design, kpi: replicate.kpi }, config.model, thinned).fitted.matrix;
      const perDraw = new Float64Array(keep);
      for (let o = 0; o < matrix.observations; o++) for (let s = 0; s < keep; s++) perDraw[s] += matrix.values[o * keep + s];
      ranks[quantity] = rankStatistic(truth, perDraw);
    } else {
      if (!thinned.has(quantity)) throw new Error(`sbc: replicate ${replicate.id}: the fit's draws have no ${quantity}`);
      ranks[quantity] = rankStatistic(truth, thinned.pooled(quantity));
    }
  }
  return ranks;
}
