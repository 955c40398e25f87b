/**
 * The sampler's entry point: run several chains of NUTS (or static HMC) on a LogDensity, all chains
 * batched into one `evaluate` call per leapfrog step, warmed up by the chosen strategy. The options
 * (types.ts) are resolved into a plan of stages (resolve.ts, plan.ts) and each stage runs here, in
 * this thread (stage.ts); src/inference/parallel.ts runs the same plan across worker threads. Chain
 * c draws its randomness from createRng(seed, 'chain:' + c), so the same seed gives bit-identical
 * results and a chain's draws do not depend on how many chains run beside it (unless its strategy
 * pools them on purpose).
 */
import type { LogDensity } from '../src/ppl/logDensity.js';
import { runPlanSync } from './plan.js';
import { resolveSampleOptions } from './resolve.js';
import { runStage } from './stage.js';
import type { SampleOptions, SampleResult } from './types.js';

/** Run the sampler. */
export function sample(target: LogDensity, options: SampleOptions): SampleResult {
  const run = resolveSampleOptions(options, target.dim);
  return runPlanSync(run, (stage) => runStage(target, stage.request, stage.onProgress, stage.hooks));
}
