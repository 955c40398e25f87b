/**
 * The lockstep driver: runs many evaluation programs (one per chain) together so that every round
 * costs exactly one batched `target.evaluate`. Each round packs the positions that the still-running
 * programs are waiting on, in ascending program order, into one row-major [k, dim] Float64Array,
 * evaluates them, and resumes each program with its own row. A program that has finished simply drops
 * out of the batch. The programs never see each other, so a program's results do not depend on which
 * other programs run beside it. A program may also yield a request (e.g. a chain asking its warmup
 * adapter what to do next); a `Coordinator` answers it, at once or when a group of programs has
 * asked (cross-chain adaptation), and a program waiting for an answer just sits out the batches.
 * `betweenRounds` runs before each batch is formed, when no program is inside a resume (where a
 * stage takes its checkpoints).
 */
import type { LogDensity } from '../src/ppl/logDensity.js';
import type { Evaluating, PointEvaluation } from './evaluation.js';

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

/**
 * Where programs that ask something besides evaluations get their answers: when program `index`
 * yields `request`, `submit` returns the programs to resume now with their replies: none while the
 * request waits for others (e.g. a cross-chain adapter waiting for every chain's draw), or several
 * at once when it completes a group.
 */
export interface Coordinator<Q, R> {
  submit(index: number, request: Q): readonly (readonly [number, R])[];
}

/** A program that yields positions to evaluate (answered with their evaluation) or requests of type Q (answered with an R). */
export type CoordinatedProgram<T, Q, R> = Generator<Float64Array | Q, T, PointEvaluation | R>;

/** Run `programs` to completion in lockstep; returns their results in order. */
export function runLockstep<T>(
  target: LogDensity,
  programs: readonly Evaluating<T>[],
  counter: EvaluationCounter = createEvaluationCounter(),
): T[] {
  return runCoordinated<T, never, never>(target, programs, noRequests, counter);
}

const noRequests: Coordinator<never, never> = {
  submit() {
    throw new Error('a program made a request, but nothing coordinates requests here');
  },
};

/**
 * Run `programs` in lockstep as `runLockstep` does; requests go to `coordinator`, and a program
 * waiting for its reply simply has no position in the batch. A request answered at once (e.g. a
 * per-chain adapter's) is answered within the same round, before the next batch is formed.
 */
export function runCoordinated<T, Q, R>(
  target: LogDensity,
  programs: readonly CoordinatedProgram<T, Q, R>[],
  coordinator: Coordinator<Q, R>,
  counter: EvaluationCounter = createEvaluationCounter(),
  betweenRounds?: () => void,
): T[] {
  const dim = target.dim;
  const count = programs.length;
  const results = new Array<T>(count);
  const finished = new Array<boolean>(count).fill(false);
  const pending = new Array<Float64Array | null>(count).fill(null);
  // Resume program i with `input`, then every program the coordinator releases, until each of them
  // waits for an evaluation, waits for a reply, or has finished.
  const resume = (i: number, input: PointEvaluation | R | undefined): void => {
    let queue: (readonly [number, PointEvaluation | R | undefined])[] | null = null;
    let k = i;
    let value = input;
    for (;;) {
      const step = programs[k].next(value as PointEvaluation | R);
      if (step.done) {
        results[k] = step.value;
        finished[k] = true;
        pending[k] = null;
      } else if (step.value instanceof Float64Array) {
        pending[k] = checkPosition(step.value, dim);
      } else {
        pending[k] = null;
        const released = coordinator.submit(k, step.value);
        if (released.length > 0) (queue ??= []).push(...released);
      }
      const next = queue?.shift();
      if (next === undefined) return;
      [k, value] = next;
    }
  };
  for (let i = 0; i < count; i++) resume(i, undefined);
  const active: number[] = [];
  for (;;) {
    betweenRounds?.();
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
      pending[i] = null;
      resume(i, { logDensity: result.logDensity[k], gradient: result.gradient.slice(k * dim, (k + 1) * dim) });
    }
  }
  const waiting = finished.flatMap((done, i) => (done ? [] : [i]));
  if (waiting.length > 0) throw new Error(`programs ${waiting.join(', ')} still wait for replies that will never come`);
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
export function* withChainLabel<Y, T, N>(chain: number, program: Generator<Y, T, N>): Generator<Y, T, N> {
  try {
    return yield* program;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`chain ${chain}: ${message}`, { cause: error });
  }
}
