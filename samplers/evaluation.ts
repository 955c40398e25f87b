/**
 * The evaluation protocol between sampler logic and the batched driver. Every piece of sampler logic
 * that needs the log density (a leapfrog step, a NUTS tree, a whole chain) is written as a JavaScript
 * generator that `yield`s one position it needs evaluated and is resumed with that position's log
 * density and gradient. Recursion composes with `yield*`, so the tree builder reads like Stan's
 * recursive `build_tree` (Hoffman & Gelman 2014, Algorithm 6; Betancourt 2017, appendix A) while a
 * driver (lockstep.ts) gathers the pending positions of many chains into one batched `evaluate` call.
 */

/** Log density and gradient at one position, as returned to a suspended program. */
export interface PointEvaluation {
  readonly logDensity: number;
  /** Gradient of the log density, [dim]. Owned by the receiver (a fresh copy). */
  readonly gradient: Float64Array;
}

/**
 * A computation that asks for log-density evaluations: it yields a position ([dim], not mutated
 * afterwards), is resumed with that position's evaluation, and finally returns a `T`.
 */
export type Evaluating<T> = Generator<Float64Array, T, PointEvaluation>;
