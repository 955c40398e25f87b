/**
 * Relative efficiency of each observation's importance ratios for PSIS-LOO, as loo::relative_eff
 * (Vehtari, Gelman & Gabry 2017, "Practical Bayesian model evaluation using leave-one-out
 * cross-validation and WAIC", section 3.2 and appendix): r_eff_i = ESS(p(y_i | theta)) / S, the ESS
 * of the likelihood values exp(log p(y_i | theta_s)) over the chains as they are (not split, not
 * rank-normalized: `essOfChains`, loo's `ess_rfun`). MCMC draws are autocorrelated, so r_eff < 1
 * usually; PSIS then smooths a longer tail, M = ceil(min(0.2 S, 3 sqrt(S / r_eff))) (psis.ts).
 *
 * The likelihood values are exponentiated after subtracting their maximum (ESS is scale
 * invariant), so nothing overflows. An observation whose values are constant or too few for an ESS
 * gets r_eff = 1, as loo does for a missing ESS.
 */
import { essOfChains } from './ess.js';

/**
 * r_eff per observation of an observation-major [N, S] log-likelihood array whose S draws are
 * chain-major: `chains` chains of S / chains draws each.
 */
export function pointwiseRelativeEfficiency(values: ArrayLike<number>, observations: number, draws: number, chains: number): Float64Array {
  if (!(Number.isInteger(chains) && chains >= 1 && draws % chains === 0)) {
    throw new Error(`pointwiseRelativeEfficiency: ${draws} draws do not split into ${chains} equal chains`);
  }
  if (values.length !== observations * draws) throw new Error(`pointwiseRelativeEfficiency: ${values.length} values, expected ${observations} x ${draws}`);
  const perChain = draws / chains;
  const out = new Float64Array(observations);
  for (let n = 0; n < observations; n++) {
    const offset = n * draws;
    let max = -Infinity;
    for (let s = 0; s < draws; s++) if (values[offset + s] > max) max = values[offset + s];
    const likelihood = Array.from({ length: chains }, (_, c) =>
      Float64Array.from({ length: perChain }, (_, d) => Math.exp(values[offset + c * perChain + d] - max)),
    );
    const ess = Number.isFinite(max) ? essOfChains(likelihood) : NaN;
    out[n] = Number.isFinite(ess) && ess > 0 ? ess / draws : 1;
  }
  return out;
}
