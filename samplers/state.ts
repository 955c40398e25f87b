/**
 * Shared sampler state types: a chain's position with its log density and gradient, a phase-space
 * point (position and momentum), the Hamiltonian H(q, p) = -log pi(q) + K(p) (Betancourt 2017,
 * section 3), and the per-transition record that Stan reports (stepsize__, treedepth__,
 * n_leapfrog__, divergent__, energy__, accept_stat__, lp__) plus what warmup adapters read beyond
 * it (nuts-rs's symmetric acceptance statistic and the selected point's place in the trajectory).
 */
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
  /**
   * The symmetric acceptance statistic: the same mean of 2 / (1 + exp|H - H0|), which penalizes an
   * energy error in either direction (nuts-rs src/stepsize/dual_avg.rs, used late in its warmup).
   */
  readonly acceptStatSymmetric: number;
  /**
   * Leapfrog steps from the trajectory's start to the selected point, signed (negative: integrated
   * backwards); 0 when the chain stayed where it was.
   */
  readonly stepsFromStart: number;
  /** Log density at the selected point. */
  readonly logDensity: number;
}

export interface Transition {
  readonly state: ChainState;
  readonly info: TransitionInfo;
}
