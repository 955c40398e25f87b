/**
 * NUTS tree building (Hoffman & Gelman 2014, Algorithm 6, with Betancourt 2017 appendix A's
 * multinomial sampling and generalized criterion; follows Stan's base_nuts::build_tree). A subtree of
 * depth d is 2^d leapfrog steps in one direction, built as two subtrees of depth d-1. Building stops
 * early, and the subtree is invalid, when a leaf diverges (H - H0 > maxDeltaH) or a sub-subtree
 * U-turns; the caller then discards it. Written as an evaluation program: each leaf yields one
 * position, so the recursion reads like Stan's while a driver batches many chains.
 */
import type { Rng } from '../src/tensor/rng.js';
import type { Evaluating } from './evaluation.js';
import { leapfrog } from './integrator.js';
import { logSumExp } from './math.js';
import type { EuclideanMetric } from './metric.js';
import { takeFinalSubtreeProposal } from './proposal.js';
import { hamiltonian, type PhasePoint } from './state.js';
import { noUTurnAcrossMerge } from './termination.js';

/** Transition-wide quantities shared by every subtree, plus the running counters Stan keeps. */
export interface TreeContext {
  readonly metric: EuclideanMetric;
  readonly rng: Rng;
  /** Unsigned step size; the direction is given per subtree. */
  readonly stepSize: number;
  /** Hamiltonian of the initial point. */
  readonly initialEnergy: number;
  readonly maxDeltaH: number;
  nLeapfrog: number;
  /** Sum over leaves of min(1, exp(H0 - H)). */
  sumAcceptProb: number;
  /** Sum over leaves of 2 / (1 + exp|H - H0|) (nuts-rs's symmetric acceptance statistic). */
  sumAcceptSymmetric: number;
  divergent: boolean;
}

/** A fully built, valid subtree, described in integration order (begin = first leaf, end = last). */
export interface Subtree {
  /** The last leaf integrated: where the trajectory continues in this direction. */
  readonly end: PhasePoint;
  /** Signed leapfrog steps from the trajectory's start to `end`. */
  readonly endIndex: number;
  /** The subtree's multinomial proposal. */
  readonly proposal: PhasePoint;
  /** Signed leapfrog steps from the trajectory's start to `proposal`. */
  readonly proposalIndex: number;
  /** log of the sum of exp(H0 - H) over the subtree's leaves. */
  readonly logSumWeight: number;
  /** Sum of the leaves' momenta. */
  readonly rho: Float64Array;
  readonly momentumBegin: Float64Array;
  readonly momentumEnd: Float64Array;
  readonly sharpMomentumBegin: Float64Array;
  readonly sharpMomentumEnd: Float64Array;
}

/**
 * Build a subtree of `depth` doublings starting after `start` (which sits `startIndex` signed steps
 * from the trajectory's start), integrating in `direction` (+1 or -1). Returns the subtree, or null
 * when it is invalid (divergence or an internal U-turn); the context's counters include every leaf
 * integrated either way.
 */
export function* buildTree(
  context: TreeContext,
  start: PhasePoint,
  startIndex: number,
  depth: number,
  direction: 1 | -1,
): Evaluating<Subtree | null> {
  if (depth === 0) {
    const point = yield* leapfrog(start, direction * context.stepSize, context.metric);
    context.nLeapfrog += 1;
    const energy = hamiltonian(point, context.metric);
    if (energy - context.initialEnergy > context.maxDeltaH) context.divergent = true;
    const logWeight = context.initialEnergy - energy;
    context.sumAcceptProb += logWeight > 0 ? 1 : Math.exp(logWeight);
    context.sumAcceptSymmetric += 2 / (1 + Math.exp(Math.abs(logWeight)));
    if (context.divergent) return null;
    const sharp = point.velocity ?? context.metric.velocity(point.momentum);
    const index = startIndex + direction;
    return {
      end: point,
      endIndex: index,
      proposal: point,
      proposalIndex: index,
      logSumWeight: logSumExp(Number.NEGATIVE_INFINITY, logWeight),
      rho: point.momentum, // never mutated: merges sum into new arrays
      momentumBegin: point.momentum,
      momentumEnd: point.momentum,
      sharpMomentumBegin: sharp,
      sharpMomentumEnd: sharp,
    };
  }

  const init = yield* buildTree(context, start, startIndex, depth - 1, direction);
  if (init === null) return null;
  const final = yield* buildTree(context, init.end, init.endIndex, depth - 1, direction);
  if (final === null) return null;

  const logSumWeight = logSumExp(init.logSumWeight, final.logSumWeight);
  const takeFinal = takeFinalSubtreeProposal(final.logSumWeight, logSumWeight, context.rng);

  const rho = new Float64Array(init.rho.length);
  for (let i = 0; i < rho.length; i++) rho[i] = init.rho[i] + final.rho[i];
  const persists = noUTurnAcrossMerge(
    {
      rhoFirst: init.rho,
      rhoSecond: final.rho,
      momentumFirstEnd: init.momentumEnd,
      momentumSecondBegin: final.momentumBegin,
      sharpFirstBegin: init.sharpMomentumBegin,
      sharpFirstEnd: init.sharpMomentumEnd,
      sharpSecondBegin: final.sharpMomentumBegin,
      sharpSecondEnd: final.sharpMomentumEnd,
    },
    rho,
  );
  if (!persists) return null;
  return {
    end: final.end,
    endIndex: final.endIndex,
    proposal: takeFinal ? final.proposal : init.proposal,
    proposalIndex: takeFinal ? final.proposalIndex : init.proposalIndex,
    logSumWeight,
    rho,
    momentumBegin: init.momentumBegin,
    momentumEnd: final.momentumEnd,
    sharpMomentumBegin: init.sharpMomentumBegin,
    sharpMomentumEnd: final.sharpMomentumEnd,
  };
}
