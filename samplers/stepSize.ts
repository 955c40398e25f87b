/**
 * Step-size helpers from Stan's base_hmc: the initial step-size heuristic `init_stepsize` (a variant
 * of Hoffman & Gelman 2014, Algorithm 4) and step-size jitter `sample_stepsize`. The heuristic takes
 * one leapfrog step from the current point with a fresh momentum and doubles (or halves) the step size
 * until the one-step acceptance exp(H0 - H) crosses 0.8. It runs at the start of warmup and again
 * after every metric update.
 */
import type { Rng } from '../src/tensor/rng.js';
import type { Evaluating } from './evaluation.js';
import { leapfrog } from './integrator.js';
import type { EuclideanMetric } from './metric.js';
import { hamiltonian, type ChainState } from './state.js';

const LOG_TARGET = Math.log(0.8);

/** Stan's init_stepsize from `state`, starting at `stepSize`; returns the new step size. */
export function* initialStepSize(
  state: ChainState,
  stepSize: number,
  metric: EuclideanMetric,
  rng: Rng,
): Evaluating<number> {
  // Skip extreme step sizes that could loop forever, as Stan does.
  if (stepSize === 0 || stepSize > 1e7 || Number.isNaN(stepSize)) return stepSize;
  let current = stepSize;
  const energyChange = function* (): Evaluating<number> {
    const momentum = metric.drawMomentum(rng);
    const start = { position: state.position, logDensity: state.logDensity, gradient: state.gradient, momentum };
    const initialEnergy = hamiltonian(start, metric);
    const end = yield* leapfrog(start, current, metric);
    return initialEnergy - hamiltonian(end, metric);
  };

  const direction = (yield* energyChange()) > LOG_TARGET ? 1 : -1;
  for (;;) {
    const deltaH = yield* energyChange();
    if (direction === 1 && !(deltaH > LOG_TARGET)) break;
    if (direction === -1 && !(deltaH < LOG_TARGET)) break;
    current = direction === 1 ? 2 * current : 0.5 * current;
    if (current > 1e7) throw new Error('Posterior is improper (step size grew beyond 1e7). Please check the model.');
    if (current === 0) {
      throw new Error('No acceptably small step size could be found. Perhaps the posterior is not continuous?');
    }
  }
  return current;
}

/** Stan's sample_stepsize: nominal * (1 + jitter * U(-1, 1)); draws a uniform only when jitter > 0. */
export function jitteredStepSize(nominal: number, jitter: number, rng: Rng): number {
  if (!jitter) return nominal;
  return nominal * (1 + jitter * (2 * rng.uniform() - 1));
}
