/**
 * The lockstep driver: runs many evaluation programs (one per chain) together so that every round
 * costs exactly one batched `target.evaluate`. Each round packs the positions that the still-running
 * programs are waiting on, in ascending program order, into one row-major [k, dim] Float64Array,
 * evaluates them, and resumes each program with its own row. A program that has finished simply drops
 * out of the batch. The programs never see each other, so a program's results do not depend on which
 * other programs run beside it.
 */
import type { LogDensity } from '../src/ppl/logDensity.js';
import type { Evaluating } from './evaluation.js';

/** Running totals of the work done, shared across driver calls. */
export interface EvaluationCounter {
  /** Positions evaluated (chain-gradients). */
  gradientEvaluations: number;
  /** Batched `evaluate` calls. */
  evaluateCalls: number;
}

export function createEvaluationCounter(): EvaluationCounter {
  return { gradientEvaluations: 0, evaluateCalls: 0 };
}

/** Run `programs` to completion in lockstep; returns their results in order. */
export function runLockstep<T>(
  target: LogDensity,
  programs: readonly Evaluating<T>[],
  counter: EvaluationCounter = createEvaluationCounter(),
): T[] {
  const dim = target.dim;
  const count = programs.length;
  const results = new Array<T>(count);
  const pending = new Array<Float64Array | null>(count).fill(null);
  for (let i = 0; i < count; i++) {
    const step = programs[i].next();
    if (step.done) results[i] = step.value;
    else pending[i] = checkPosition(step.value, dim);
  }
  const active: number[] = [];
  for (;;) {
    active.length = 0;
    for (let i = 0; i < count; i++) if (pending[i] !== null) active.push(i);
    if (active.length === 0) break;
    const batchSize = active.length;
    const batch = new Float64Array(batchSize * dim);
    for (let k = 0; k < batchSize; k++) batch.set(pending[active[k]] as Float64Array, k * dim);
    const result = target.evaluate(batch, batchSize);
    if (result.logDensity.length < batchSize || result.gradient.length < batchSize * dim) {
      throw new Error(
        `target.evaluate returned ${result.logDensity.length} log densities and ${result.gradient.length} gradient ` +
          `entries for ${batchSize} chains of dim ${dim}`,
      );
    }
    counter.gradientEvaluations += batchSize;
    counter.evaluateCalls += 1;
    for (let k = 0; k < batchSize; k++) {
      const i = active[k];
      const step = programs[i].next({
        logDensity: result.logDensity[k],
        gradient: result.gradient.slice(k * dim, (k + 1) * dim),
      });
      if (step.done) {
        results[i] = step.value;
        pending[i] = null;
      } else {
        pending[i] = checkPosition(step.value, dim);
      }
    }
  }
  return results;
}

/** Run one program alone (batches of one chain). */
export function runSingle<T>(target: LogDensity, program: Evaluating<T>, counter?: EvaluationCounter): T {
  return runLockstep(target, [program], counter)[0];
}

function checkPosition(position: Float64Array, dim: number): Float64Array {
  if (position.length !== dim) {
    throw new Error(`a program asked to evaluate a position of length ${position.length}, expected ${dim}`);
  }
  return position;
}

/** Wrap a chain's program so that an error it throws names the chain. */
export function* withChainLabel<T>(chain: number, program: Evaluating<T>): Evaluating<T> {
  try {
    return yield* program;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`chain ${chain}: ${message}`, { cause: error });
  }
}
