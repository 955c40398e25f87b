/**
 * Command-line options of the gradient benchmark (scripts/bench.ts and its per-backend child
 * scripts/bench/gradient.ts), and the timing budgets of a full and a quick run.
 */

/** Marks the child's result line on stdout (tfjs may print its own lines there). */
export const RESULT_PREFIX = '@@mixwell-bench-result ';

export const ALL_BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export const DEFAULT_CHAINS = [1, 4, 16] as const;

/** How many calls to run and for how long (methodology of timeCalls in timing.ts). */
export interface TimingBudget {
  /** Warm-up (JIT, wasm heap, kernel setup) stops once both targets are reached ... */
  readonly warmupCalls: number;
  readonly warmupSeconds: number;
  /** ... or after this many seconds (at least 2 calls). */
  readonly warmupMaxSeconds: number;
  /** Timed calls stop once both targets are reached ... */
  readonly targetCalls: number;
  readonly targetSeconds: number;
  /** ... or once maxSeconds have passed with at least minCalls calls. */
  readonly maxSeconds: number;
  readonly minCalls: number;
  /** Repeated tf.profile runs for the kernel breakdown. */
  readonly profileRuns: number;
  /** Once per process, before any timing: seconds of calls on the first model (JIT of tfjs's JS). */
  readonly processWarmupSeconds: number;
}

export const FULL_BUDGET: TimingBudget = {
  warmupCalls: 20,
  warmupSeconds: 1,
  warmupMaxSeconds: 5,
  targetCalls: 50,
  targetSeconds: 2,
  maxSeconds: 10,
  minCalls: 5,
  profileRuns: 10,
  processWarmupSeconds: 3,
};

export const QUICK_BUDGET: TimingBudget = {
  warmupCalls: 5,
  warmupSeconds: 0.2,
  warmupMaxSeconds: 1,
  targetCalls: 15,
  targetSeconds: 0.25,
  maxSeconds: 2,
  minCalls: 3,
  profileRuns: 3,
  processWarmupSeconds: 0.5,
};

export function describeBudget(budget: TimingBudget): string {
  return (
    `per backend process: ${budget.processWarmupSeconds} s of calls on the first model before any timing; per case: warm-up >= ${budget.warmupCalls} calls and >= ${budget.warmupSeconds} s (at most ${budget.warmupMaxSeconds} s, at least 2 calls); then timed calls until ` +
    `>= ${budget.targetCalls} calls and >= ${budget.targetSeconds} s (or ${budget.maxSeconds} s with >= ${budget.minCalls} calls); ` +
    'each call is one LogDensity.evaluate (upload, value and gradient, read-back) at a fixed seeded point; ' +
    'median of the per-call wall times; kernels counted with tf.profile on one extra call; ' +
    `kernel breakdown: median per kernel over ${budget.profileRuns} profiled calls`
  );
}

/** Minimal flag reader: `--name value`, `--name=value` and boolean `--name`. */
export class Flags {
  private readonly values = new Map<string, string | true>();
  readonly positional: string[] = [];

  constructor(argv: readonly string[]) {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      if (!arg.startsWith('--')) {
        this.positional.push(arg);
        continue;
      }
      const eq = arg.indexOf('=');
      if (eq > 0) this.values.set(arg.slice(2, eq), arg.slice(eq + 1));
      else if (i + 1 < argv.length && !argv[i + 1].startsWith('--') && !BOOLEAN_FLAGS.has(arg.slice(2))) {
        this.values.set(arg.slice(2), argv[++i]);
      } else this.values.set(arg.slice(2), true);
    }
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  string(name: string): string | undefined {
    const v = this.values.get(name);
    if (v === true) throw new Error(`--${name} needs a value`);
    return v;
  }

  list(name: string): string[] | undefined {
    return this.string(name)?.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  }

  integers(name: string): number[] | undefined {
    return this.list(name)?.map((s) => {
      const n = Number(s);
      if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: expected positive integers, got "${s}"`);
      return n;
    });
  }

  names(): string[] {
    return [...this.values.keys()];
  }
}

const BOOLEAN_FLAGS = new Set(['quick', 'geo-100', 'no-write', 'write', 'no-profile', 'help', 'markdown']);
