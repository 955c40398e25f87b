/**
 * The warmup adapter interface: what every adaptation strategy implements and the chain loop
 * (chain.ts) drives. An adapter serves a group of chains that adapt together: one chain for
 * per-chain adaptation (Stan's run_adaptive_sampler, nutpie's diagonal strategy) or all chains for
 * cross-chain adaptation (a pooled metric and step size, as in Stan's campfire prototype and TFP's
 * cross-chain warmup; Hoffman et al. 2021). Every method takes and returns one entry per chain of
 * the group, in chain order; the driver calls a method once all of the group's chains have asked
 * (for a group of one: at once), so a chain's draws never depend on which other chains share its
 * process unless its strategy pools them on purpose.
 *
 *   init(states)      the chains' initial states -> what to do first (continue, or search a step size)
 *   update(t, draws)  after warmup transition t: the selected points (position, log density and
 *                     gradient) and the transition info (acceptance statistics, divergence, where in
 *                     the trajectory the selected point lies) -> what to do next
 *   searched(found)   the step sizes the requested searches found -> the parameters to continue with
 *   final()           the kernel parameters for sampling
 *
 * Instructions carry whole kernel parameter records (kernel.ts), so a strategy may change the step
 * size, the metric, or later a trajectory length. A step-size search (after a metric change) runs in
 * the chain, with the chain's RNG and evaluations, by the search function the adapter names.
 */
import type { Rng } from '../../src/tensor/rng.js';
import type { Evaluating } from '../evaluation.js';
import type { KernelParameters } from '../kernel.js';
import type { EuclideanMetric } from '../metric.js';
import type { ChainState, TransitionInfo } from '../state.js';

/** What an adapter sees of one warmup transition of one chain. */
export interface AdaptationDraw {
  /** The selected point: position, log density and gradient. */
  readonly state: ChainState;
  readonly info: TransitionInfo;
}

/** A step-size search from a state (Stan's init_stepsize, nutpie's doubling search: stepSize.ts). */
export type StepSizeSearch = (state: ChainState, stepSize: number, metric: EuclideanMetric, rng: Rng) => Evaluating<number>;

/** What a chain does next. */
export type AdapterInstruction =
  /** Run the next transition with these parameters. */
  | { readonly kind: 'continue'; readonly parameters: KernelParameters }
  /**
   * Search a step size from the chain's current state, starting at `parameters.stepSize` under
   * `parameters.metric`, and report it with `searched`.
   */
  | { readonly kind: 'searchStepSize'; readonly parameters: KernelParameters; readonly search: StepSizeSearch };

export interface WarmupAdapter {
  /** Chains in the group (1 for per-chain adaptation). */
  readonly chains: number;
  init(states: readonly ChainState[]): readonly AdapterInstruction[];
  /** After warmup iteration `iteration` (0-based). */
  update(iteration: number, draws: readonly AdaptationDraw[]): readonly AdapterInstruction[];
  searched(stepSizes: readonly number[]): readonly KernelParameters[];
  final(): readonly KernelParameters[];
}

/** The same instruction for every chain of a group. */
export function forEachChain<T>(chains: number, value: T): readonly T[] {
  const out = new Array<T>(chains);
  for (let k = 0; k < chains; k++) out[k] = value;
  return out;
}

/**
 * No adaptation: the kernel parameters stay as given through warmup and sampling (Stan's
 * adapt engaged=0; also any strategy when warmup is 0).
 */
export function fixedAdapter(initial: readonly KernelParameters[]): WarmupAdapter {
  const instructions = initial.map((parameters): AdapterInstruction => ({ kind: 'continue', parameters }));
  return {
    chains: initial.length,
    init: () => instructions,
    update: () => instructions,
    searched: () => {
      throw new Error('fixedAdapter: no step-size search was requested');
    },
    final: () => initial,
  };
}

/** exp(mean(log values)): how a pooled group combines its chains' step sizes. */
export function geometricMean(values: readonly number[] | Float64Array): number {
  let sum = 0;
  for (const value of values) sum += Math.log(value);
  return Math.exp(sum / values.length);
}
