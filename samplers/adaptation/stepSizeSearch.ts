/**
 * nutpie's step-size search (nuts-rs src/stepsize/adapt.rs, Strategy::init): from the chain's state
 * with one momentum draw, take a single leapfrog step and compare its acceptance probability
 * min(1, exp(H0 - H)) with the target; then double (or halve) the step size, each time one step
 * from the same state with the same momentum, until the acceptance crosses the target, and return
 * the first step size past it. A divergent or non-finite step, or no crossing within 100 tries, gives
 * back the starting step size. Runs at the start of warmup and at the first metric change. (Stan's
 * heuristic, stepSize.ts, draws a new momentum per try and compares log acceptance with log 0.8.)
 */
import type { Rng } from '../../src/tensor/rng.js';
import type { Evaluating } from '../evaluation.js';
import { leapfrog } from '../integrator.js';
import type { EuclideanMetric } from '../metric.js';
import { hamiltonian, type ChainState, type PhasePoint } from '../state.js';

export interface StepSizeSearchSettings {
  readonly targetAcceptance: number;
  /** An energy error above this fails the search (nuts-rs: 1000). */
  readonly maxDeltaH: number;
}

export function* doublingStepSizeSearch(
  state: ChainState,
  stepSize: number,
  metric: EuclideanMetric,
  rng: Rng,
  settings: StepSizeSearchSettings,
): Evaluating<number> {
  const start: PhasePoint = { ...state, momentum: metric.drawMomentum(rng) };
  const initialEnergy = hamiltonian(start, metric);
  const acceptance = function* (eps: number): Evaluating<number | null> {
    const end = yield* leapfrog(start, eps, metric);
    const energyError = hamiltonian(end, metric) - initialEnergy;
    if (!(energyError <= settings.maxDeltaH)) return null;
    return energyError > 0 ? Math.exp(-energyError) : 1;
  };
  let current = stepSize;
  let accept = yield* acceptance(current);
  if (accept === null) return stepSize;
  const up = accept > settings.targetAcceptance;
  for (let tries = 0; tries < 100; tries++) {
    if (up) {
      if (current > 1e5) return current;
      current *= 2;
    } else {
      if (current < 1e-10) return current;
      current /= 2;
    }
    accept = yield* acceptance(current);
    if (accept === null) return stepSize;
    if (up ? accept <= settings.targetAcceptance : accept >= settings.targetAcceptance) return current;
  }
  return stepSize;
}
