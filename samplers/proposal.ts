/**
 * Multinomial sampling of the NUTS proposal by progressive sampling (Betancourt 2017, appendix A.3;
 * Stan's base_nuts). States are weighted by exp(H0 - H). When two subtrees of equal size merge inside
 * the recursion, the proposal moves to the new subtree's proposal with probability
 * w_new / (w_old + w_new) ("uniform" progressive sampling: a draw from the merged tree's multinomial).
 * At the top level, when the trajectory doubles, it moves with probability min(1, w_new / w_old)
 * ("biased" progressive sampling, which favours the new half and so moves further per transition).
 * A uniform is drawn only when the probability is below one, exactly as Stan does.
 */
import type { Rng } from '../src/tensor/rng.js';

/**
 * Uniform progressive sampling: should the merged tree's proposal come from the final subtree?
 * `logSumWeightMerged` = logSumExp(init, final).
 */
export function takeFinalSubtreeProposal(logSumWeightFinal: number, logSumWeightMerged: number, rng: Rng): boolean {
  if (logSumWeightFinal > logSumWeightMerged) return true;
  return rng.uniform() < Math.exp(logSumWeightFinal - logSumWeightMerged);
}

/** Biased progressive sampling: should the transition's sample move to the new subtree's proposal? */
export function takeNewSubtreeProposal(logSumWeightNew: number, logSumWeightOld: number, rng: Rng): boolean {
  if (logSumWeightNew > logSumWeightOld) return true;
  return rng.uniform() < Math.exp(logSumWeightNew - logSumWeightOld);
}
