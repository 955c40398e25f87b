/**
 * Static Hamiltonian Monte Carlo (Duane et al. 1987; Neal 2011, section 5.2; Stan's base_static_hmc):
 * draw a momentum, take a fixed number of leapfrog steps (or floor(pathLength / stepSize), at least
 * one, for a fixed integration time), then accept the end point with probability min(1, exp(H0 - H)).
 * Integration stops early once the energy error exceeds maxDeltaH; the transition is then flagged
 * divergent and its acceptance probability is that of the diverged state (effectively zero).
 */
import type { Rng } from '../src/tensor/rng.js';
import type { Evaluating } from './evaluation.js';
import { leapfrog } from './integrator.js';
import type { EuclideanMetric } from './metric.js';
import { hamiltonian, type ChainState, type PhasePoint, type Transition } from './state.js';

export type HmcSettings =
  | { readonly steps: number; readonly maxDeltaH: number }
  | { readonly pathLength: number; readonly maxDeltaH: number };

/** Number of leapfrog steps for a step size: fixed, or max(1, floor(pathLength / stepSize)) as Stan's update_L_. */
export function hmcSteps(settings: HmcSettings, stepSize: number): number {
  if ('steps' in settings) return settings.steps;
  const steps = Math.floor(settings.pathLength / stepSize);
  return steps < 1 ? 1 : steps;
}

export function* hmcTransition(
  state: ChainState,
  stepSize: number,
  metric: EuclideanMetric,
  rng: Rng,
  settings: HmcSettings,
): Evaluating<Transition> {
  const steps = hmcSteps(settings, stepSize);
  const momentum = metric.drawMomentum(rng);
  const initial: PhasePoint = { position: state.position, logDensity: state.logDensity, gradient: state.gradient, momentum };
  const initialEnergy = hamiltonian(initial, metric);
  let point = initial;
  let nLeapfrog = 0;
  let divergent = false;
  for (let step = 0; step < steps; step++) {
    point = yield* leapfrog(point, stepSize, metric);
    nLeapfrog += 1;
    if (hamiltonian(point, metric) - initialEnergy > settings.maxDeltaH) {
      divergent = true;
      break;
    }
  }
  const energy = hamiltonian(point, metric);
  const acceptProb = Math.exp(initialEnergy - energy);
  let selected = point;
  let stepsFromStart = nLeapfrog;
  if (acceptProb < 1 && rng.uniform() > acceptProb) {
    selected = initial;
    stepsFromStart = 0;
  }
  return {
    state: { position: selected.position, logDensity: selected.logDensity, gradient: selected.gradient },
    info: {
      stepSize,
      treeDepth: 0,
      nLeapfrog,
      divergent,
      energy: hamiltonian(selected, metric),
      acceptStat: acceptProb > 1 ? 1 : acceptProb,
      acceptStatSymmetric: 2 / (1 + Math.exp(Math.abs(initialEnergy - energy))),
      stepsFromStart,
      logDensity: selected.logDensity,
    },
  };
}
