/**
 * The generalized no-U-turn criterion (Betancourt 2017, section 4.3 and appendix A.4.2; Stan's
 * base_nuts::compute_criterion): a trajectory with summed momentum rho and sharp momenta p# = M^-1 p
 * at its two ends keeps extending while both p#_minus . rho > 0 and p#_plus . rho > 0. Since Stan 2.26
 * the check is also applied across each merge of two subtrees, to the two halves extended by one
 * state of the other half (`noUTurnAcrossMerge`), which catches U-turns that the end points alone miss.
 */
import { dot } from './math.js';

/** True while the trajectory with ends' sharp momenta and summed momentum `rho` has not U-turned. */
export function noUTurn(sharpMomentumMinus: Float64Array, sharpMomentumPlus: Float64Array, rho: Float64Array): boolean {
  return dot(sharpMomentumPlus, rho) > 0 && dot(sharpMomentumMinus, rho) > 0;
}

/** The sides of two adjacent subtrees, in integration order: `first` then `second`. */
export interface MergeSides {
  readonly rhoFirst: Float64Array;
  readonly rhoSecond: Float64Array;
  readonly momentumFirstEnd: Float64Array;
  readonly momentumSecondBegin: Float64Array;
  readonly sharpFirstBegin: Float64Array;
  readonly sharpFirstEnd: Float64Array;
  readonly sharpSecondBegin: Float64Array;
  readonly sharpSecondEnd: Float64Array;
}

/**
 * Stan's full merge check: the criterion over the merged tree (with `rhoMerged` = rhoFirst +
 * rhoSecond), over the first subtree extended by the second's first state, and over the second
 * subtree extended by the first's last state.
 */
export function noUTurnAcrossMerge(sides: MergeSides, rhoMerged: Float64Array): boolean {
  if (!noUTurn(sides.sharpFirstBegin, sides.sharpSecondEnd, rhoMerged)) return false;
  // The extended sums are formed term by term (no temporary arrays); same arithmetic as summing first.
  const n = rhoMerged.length;
  let plus = 0;
  let minus = 0;
  for (let i = 0; i < n; i++) {
    const extended = sides.rhoFirst[i] + sides.momentumSecondBegin[i];
    plus += sides.sharpSecondBegin[i] * extended;
    minus += sides.sharpFirstBegin[i] * extended;
  }
  if (!(plus > 0 && minus > 0)) return false;
  plus = 0;
  minus = 0;
  for (let i = 0; i < n; i++) {
    const extended = sides.rhoSecond[i] + sides.momentumFirstEnd[i];
    plus += sides.sharpSecondEnd[i] * extended;
    minus += sides.sharpFirstEnd[i] * extended;
  }
  return plus > 0 && minus > 0;
}
