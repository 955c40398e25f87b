/**
 * Shared sampler state types: a chain's position with its log density and gradient, a phase-space
 * point (position and momentum), the Hamiltonian H(q, p) = -log pi(q) + K(p) (Betancourt 2017,
 * section 3), and the per-transition record that Stan reports (stepsize__, treedepth__,
 * n_leapfrog__, divergent__, energy__, accept_stat__, lp__).
 */
import type { Rng } from '../src/tensor/rng.js';
import type { Evaluating } from './evaluation.js';
import type { EuclideanMetric } from './metric.js';

/** Where a chain is: position with its (finite) log density and gradient. */
export interface ChainState {
  readonly position: Float64Array;
  readonly logDensity: number;
  readonly gradient: Float64Array;
}

/** A point in phase space: a chain state plus a momentum. */
export interface PhasePoint extends ChainState {
  readonly momentum: Float64Array;
  /**
   * The velocity M^-1 p of `momentum` under the metric the point was integrated with, when already
   * known (the leapfrog step computes it once; the Hamiltonian and the U-turn check reuse it).
   */
  readonly velocity?: Float64Array;
}

/** H = -log density + kinetic energy; NaN is mapped to +inf, as Stan does. */
export function hamiltonian(point: PhasePoint, metric: EuclideanMetric): number {
  const kinetic = point.velocity === undefined ? metric.kineticEnergy(point.momentum) : metric.kineticEnergyFromVelocity(point.momentum, point.velocity);
  const energy = -point.logDensity + kinetic;
  return Number.isNaN(energy) ? Number.POSITIVE_INFINITY : energy;
}

/** What one transition reports (Stan's sampler diagnostics). */
export interface TransitionInfo {
  /** Step size used by this transition (after jitter). */
  readonly stepSize: number;
  /** NUTS tree depth (number of doublings); 0 for static HMC. */
  readonly treeDepth: number;
  readonly nLeapfrog: number;
  readonly divergent: boolean;
  /** Hamiltonian at the selected point. */
  readonly energy: number;
  /** NUTS: mean of min(1, exp(H0 - H)) over every leapfrog state; HMC: min(1, exp(H0 - H)). */
  readonly acceptStat: number;
  /** Log density at the selected point. */
  readonly logDensity: number;
}

export interface Transition {
  readonly state: ChainState;
  readonly info: TransitionInfo;
}

/** One Markov transition of some algorithm, as an evaluation program. */
export type TransitionKernel = (
  state: ChainState,
  stepSize: number,
  metric: EuclideanMetric,
  rng: Rng,
) => Evaluating<Transition>;
