/**
 * Wall-clock timing of a synchronous call: warm up (JIT, wasm heap growth, tfjs kernel caches),
 * then time individual calls until a call-count and a time target are both met (or a time cap),
 * and summarize by the median, which is robust to GC pauses and to other jobs on a shared machine.
 * The process's CPU time over the timed calls is recorded too: Stan's reference figure is CPU time,
 * and CPU time is less sensitive than wall time to other jobs competing for the cores.
 */
import { performance } from 'node:perf_hooks';
import type { TimingBudget } from './options.js';
import type { CallTimes } from './types.js';

export interface Timed {
  readonly warmupCalls: number;
  readonly calls: number;
  readonly seconds: number;
  readonly usPerCall: CallTimes;
  /** Process CPU time (user + system, all threads) of the timed calls divided by their number, microseconds. */
  readonly cpuUsPerCall: number;
}

/** The q-quantile (0..1) of sorted values, linear interpolation. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = q * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

export function median(values: readonly number[]): number {
  return quantileSorted([...values].sort((a, b) => a - b), 0.5);
}

export function summarize(samplesUs: readonly number[]): CallTimes {
  const sorted = [...samplesUs].sort((a, b) => a - b);
  return {
    median: quantileSorted(sorted, 0.5),
    p10: quantileSorted(sorted, 0.1),
    p90: quantileSorted(sorted, 0.9),
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    min: sorted[0],
  };
}

export function timeCalls(call: () => void, budget: TimingBudget): Timed {
  let warmupCalls = 0;
  const warmupStart = performance.now();
  for (;;) {
    call();
    warmupCalls++;
    const elapsed = (performance.now() - warmupStart) / 1e3;
    if (warmupCalls >= budget.warmupCalls && elapsed >= budget.warmupSeconds) break;
    if (elapsed >= budget.warmupMaxSeconds && warmupCalls >= 2) break;
  }
  const samplesUs: number[] = [];
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (;;) {
    const t0 = performance.now();
    call();
    const t1 = performance.now();
    samplesUs.push((t1 - t0) * 1e3);
    const elapsed = (t1 - start) / 1e3;
    if (samplesUs.length >= budget.targetCalls && elapsed >= budget.targetSeconds) break;
    if (elapsed >= budget.maxSeconds && samplesUs.length >= budget.minCalls) break;
  }
  const seconds = (performance.now() - start) / 1e3;
  const cpu = process.cpuUsage(cpuStart);
  return {
    warmupCalls,
    calls: samplesUs.length,
    seconds,
    usPerCall: summarize(samplesUs),
    cpuUsPerCall: (cpu.user + cpu.system) / samplesUs.length,
  };
}
