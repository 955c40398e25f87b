/**
 * One transition of the No-U-Turn Sampler with multinomial sampling (Hoffman & Gelman 2014;
 * Betancourt 2017, section 4.3 and appendix A; Stan's base_nuts::transition since 2.26). Draw a
 * momentum, then repeatedly double the trajectory in a random direction; after each valid doubling
 * the sample moves to the new subtree's proposal by biased progressive sampling, and the doubling
 * stops at a U-turn (checked over the whole trajectory and across the merge), at a divergence, or at
 * the maximum tree depth. acceptStat is Stan's accept_stat__: the mean of min(1, exp(H0 - H)) over
 * every leapfrog state built, including those of a rejected final subtree.
 */
import type { Rng } from '../src/tensor/rng.js';
import type { Evaluating } from './evaluation.js';
import { logSumExp } from './math.js';
import type { EuclideanMetric } from './metric.js';
import { takeNewSubtreeProposal } from './proposal.js';
import { hamiltonian, type ChainState, type PhasePoint, type Transition } from './state.js';
import { noUTurnAcrossMerge } from './termination.js';
import { buildTree, type TreeContext } from './trajectory.js';

export interface NutsSettings {
  /** Maximum number of doublings (Stan's max_depth, default 10). */
  readonly maxTreeDepth: number;
  /** Energy error above which a leaf counts as divergent (Stan's max_deltaH, default 1000). */
  readonly maxDeltaH: number;
}

export const defaultNutsSettings: NutsSettings = { maxTreeDepth: 10, maxDeltaH: 1000 };

/** One NUTS transition from `state` with the given (already jittered) step size and metric. */
export function* nutsTransition(
  state: ChainState,
  stepSize: number,
  metric: EuclideanMetric,
  rng: Rng,
  settings: NutsSettings = defaultNutsSettings,
): Evaluating<Transition> {
  const momentum = metric.drawMomentum(rng);
  const initialSharp = metric.velocity(momentum);
  const initial: PhasePoint = { ...pickState(state), momentum, velocity: initialSharp };
  const initialEnergy = hamiltonian(initial, metric);
  const context: TreeContext = {
    metric,
    rng,
    stepSize,
    initialEnergy,
    maxDeltaH: settings.maxDeltaH,
    nLeapfrog: 0,
    sumAcceptProb: 0,
    sumAcceptSymmetric: 0,
    divergent: false,
  };

  let forwardEnd = initial;
  let forwardIndex = 0;
  let backwardEnd = initial;
  let backwardIndex = 0;
  let sample = initial;
  let sampleIndex = 0;
  // Momenta and sharp momenta at the ends of the backward and forward halves of the trajectory.
  let momentumFwdFwd = momentum;
  let sharpFwdFwd = initialSharp;
  let momentumFwdBck = momentum;
  let sharpFwdBck = initialSharp;
  let momentumBckFwd = momentum;
  let sharpBckFwd = initialSharp;
  let momentumBckBck = momentum;
  let sharpBckBck = initialSharp;
  let rho = Float64Array.from(momentum);
  let logSumWeight = 0; // log(exp(H0 - H0))
  let depth = 0;

  while (depth < settings.maxTreeDepth) {
    let rhoFwd: Float64Array;
    let rhoBck: Float64Array;
    let subtreeLogSumWeight: number;
    let subtreeProposal: PhasePoint;
    let subtreeProposalIndex: number;
    if (rng.uniform() > 0.5) {
      // Extend forward: the old trajectory becomes the backward half.
      rhoBck = rho;
      momentumBckFwd = momentumFwdFwd;
      sharpBckFwd = sharpFwdFwd;
      const subtree = yield* buildTree(context, forwardEnd, forwardIndex, depth, 1);
      if (subtree === null) break;
      forwardEnd = subtree.end;
      forwardIndex = subtree.endIndex;
      rhoFwd = subtree.rho;
      momentumFwdBck = subtree.momentumBegin;
      sharpFwdBck = subtree.sharpMomentumBegin;
      momentumFwdFwd = subtree.momentumEnd;
      sharpFwdFwd = subtree.sharpMomentumEnd;
      subtreeLogSumWeight = subtree.logSumWeight;
      subtreeProposal = subtree.proposal;
      subtreeProposalIndex = subtree.proposalIndex;
    } else {
      // Extend backward: the old trajectory becomes the forward half.
      rhoFwd = rho;
      momentumFwdBck = momentumBckBck;
      sharpFwdBck = sharpBckBck;
      const subtree = yield* buildTree(context, backwardEnd, backwardIndex, depth, -1);
      if (subtree === null) break;
      backwardEnd = subtree.end;
      backwardIndex = subtree.endIndex;
      rhoBck = subtree.rho;
      momentumBckFwd = subtree.momentumBegin;
      sharpBckFwd = subtree.sharpMomentumBegin;
      momentumBckBck = subtree.momentumEnd;
      sharpBckBck = subtree.sharpMomentumEnd;
      subtreeLogSumWeight = subtree.logSumWeight;
      subtreeProposal = subtree.proposal;
      subtreeProposalIndex = subtree.proposalIndex;
    }
    depth += 1;

    if (takeNewSubtreeProposal(subtreeLogSumWeight, logSumWeight, rng)) {
      sample = subtreeProposal;
      sampleIndex = subtreeProposalIndex;
    }
    logSumWeight = logSumExp(logSumWeight, subtreeLogSumWeight);

    rho = new Float64Array(rho.length);
    for (let i = 0; i < rho.length; i++) rho[i] = rhoBck[i] + rhoFwd[i];
    const persists = noUTurnAcrossMerge(
      {
        rhoFirst: rhoBck,
        rhoSecond: rhoFwd,
        momentumFirstEnd: momentumBckFwd,
        momentumSecondBegin: momentumFwdBck,
        sharpFirstBegin: sharpBckBck,
        sharpFirstEnd: sharpBckFwd,
        sharpSecondBegin: sharpFwdBck,
        sharpSecondEnd: sharpFwdFwd,
      },
      rho,
    );
    if (!persists) break;
  }

  return {
    state: pickState(sample),
    info: {
      stepSize,
      treeDepth: depth,
      nLeapfrog: context.nLeapfrog,
      divergent: context.divergent,
      energy: hamiltonian(sample, metric),
      acceptStat: context.sumAcceptProb / context.nLeapfrog,
      acceptStatSymmetric: context.sumAcceptSymmetric / context.nLeapfrog,
      stepsFromStart: sampleIndex,
      logDensity: sample.logDensity,
    },
  };
}

function pickState(point: ChainState): ChainState {
  return { position: point.position, logDensity: point.logDensity, gradient: point.gradient };
}
