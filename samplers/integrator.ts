/**
 * The leapfrog (Störmer–Verlet) integrator for a separable Hamiltonian with Euclidean kinetic energy
 * (Betancourt 2017, section 5.1; Neal 2011, "MCMC using Hamiltonian dynamics", section 2.3; Stan's
 * expl_leapfrog): half step in momentum, full step in position along M^-1 p, half step in momentum.
 * A negative step size integrates backwards in time. One leapfrog step costs one gradient, which is
 * requested through the evaluation protocol. The returned point carries its velocity M^-1 p, which
 * the Hamiltonian and the U-turn criterion reuse (two products with a dense M^-1 per step instead of three).
 */
import type { Evaluating } from './evaluation.js';
import type { EuclideanMetric } from './metric.js';
import type { PhasePoint } from './state.js';

/** One leapfrog step of size `stepSize` (signed) from `point`; returns the new point. */
export function* leapfrog(point: PhasePoint, stepSize: number, metric: EuclideanMetric): Evaluating<PhasePoint> {
  const dim = point.position.length;
  const halfStep = 0.5 * stepSize;
  const momentum = new Float64Array(dim);
  for (let i = 0; i < dim; i++) momentum[i] = point.momentum[i] + halfStep * point.gradient[i];
  // The new position's buffer first holds the velocity M^-1 p.
  const position = metric.velocity(momentum, new Float64Array(dim));
  for (let i = 0; i < dim; i++) position[i] = point.position[i] + stepSize * position[i];
  const evaluation = yield position;
  const gradient = evaluation.gradient;
  for (let i = 0; i < dim; i++) momentum[i] = momentum[i] + halfStep * gradient[i];
  return { position, momentum, logDensity: evaluation.logDensity, gradient, velocity: metric.velocity(momentum) };
}
