/**
 * The transition kernel's parameters as one record, and the transition they define. Warmup adapts
 * some of them (step size and metric today; a trajectory length such as ChEES's, or a low-rank
 * metric, fit the same record) and sampling uses the adapted record. The trajectory is NUTS with a
 * maximum tree depth (Hoffman & Gelman 2014; nuts.ts) or static HMC with a fixed number of steps or
 * a fixed integration time (Neal 2011, section 5.2; hmc.ts). The nominal step size is jittered per
 * transition as Stan's sample_stepsize does (stepSize.ts).
 *
 * `KernelSpec` is the data part (what crosses to a worker thread); `KernelParameters` adds the step
 * size and the metric object (with its Cholesky factor) that a chain builds and adapts.
 */
import type { Rng } from '../src/tensor/rng.js';
import type { Evaluating } from './evaluation.js';
import { hmcTransition } from './hmc.js';
import type { EuclideanMetric } from './metric.js';
import { nutsTransition } from './nuts.js';
import type { ChainState, Transition } from './state.js';
import { jitteredStepSize } from './stepSize.js';

/** How long a trajectory runs. */
export type TrajectoryLength =
  /** NUTS: doubling until a U-turn, at most 2^maxTreeDepth - 1 steps. */
  | { readonly kind: 'nuts'; readonly maxTreeDepth: number }
  /** Static HMC with this many leapfrog steps. */
  | { readonly kind: 'steps'; readonly steps: number }
  /** Static HMC with integration time pathLength: max(1, floor(pathLength / stepSize)) steps. */
  | { readonly kind: 'pathLength'; readonly pathLength: number };

/** The parameters of a kernel that are plain data (and so can be sent to a worker thread). */
export interface KernelSpec {
  readonly trajectory: TrajectoryLength;
  /** Energy error above which a transition counts as divergent (Stan's max_deltaH). */
  readonly maxDeltaH: number;
  /** Step-size jitter in [0, 1): each transition uses stepSize * (1 + jitter * U(-1, 1)). */
  readonly stepSizeJitter: number;
}

/** Everything one transition needs besides the state and the RNG. */
export interface KernelParameters extends KernelSpec {
  /** Nominal step size (before jitter). */
  readonly stepSize: number;
  readonly metric: EuclideanMetric;
}

/** One transition from `state` with `parameters`. */
export type TransitionKernel = (state: ChainState, parameters: KernelParameters, rng: Rng) => Evaluating<Transition>;

/** The transition the parameters define: NUTS or static HMC, with the jittered step size. */
export function* transition(state: ChainState, parameters: KernelParameters, rng: Rng): Evaluating<Transition> {
  const stepSize = jitteredStepSize(parameters.stepSize, parameters.stepSizeJitter, rng);
  const { trajectory, maxDeltaH, metric } = parameters;
  switch (trajectory.kind) {
    case 'nuts':
      return yield* nutsTransition(state, stepSize, metric, rng, { maxTreeDepth: trajectory.maxTreeDepth, maxDeltaH });
    case 'steps':
      return yield* hmcTransition(state, stepSize, metric, rng, { steps: trajectory.steps, maxDeltaH });
    case 'pathLength':
      return yield* hmcTransition(state, stepSize, metric, rng, { pathLength: trajectory.pathLength, maxDeltaH });
  }
}

/** The same parameters with another step size and/or metric. */
export function withStepSize(parameters: KernelParameters, stepSize: number, metric: EuclideanMetric = parameters.metric): KernelParameters {
  return { ...parameters, stepSize, metric };
}
