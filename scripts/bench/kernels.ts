/**
 * Kernel accounting with tf.profile: how many kernels one gradient runs, and where its time goes
 * (per kernel name and per kernel instance, median over repeated profiled calls). tf.profile reuses
 * its result object between calls, so everything needed is copied out at once.
 *
 * Per-kernel times come from the backend's timer around each kernel function (on wasm and cpu a
 * synchronous wall-clock window), so they exclude the engine's own bookkeeping (tape, tidy scopes,
 * tensor tracking); the gap between the call's wall time and the summed kernel time is that
 * overhead plus upload and read-back (shared/notes/tfjs-performance.md: ~2.5 us per kernel on wasm).
 */
import { performance } from 'node:perf_hooks';
import type { CompiledModel } from '../../src/ppl/index.js';
import { tf, type Tensor2D } from '../../src/tensor/index.js';
import { median } from './timing.js';
import type { KernelByName, KernelInstance, KernelPhase, PhaseTotals, ProfileResult } from './types.js';

export interface KernelRecord {
  readonly name: string;
  readonly inputShapes: (number[] | null)[];
  readonly outputShapes: number[][];
  readonly us: number;
}

async function profiledKernels(run: () => void): Promise<{ kernels: KernelRecord[]; wallUs: number }> {
  let wallUs = 0;
  const info = await tf.profile(() => {
    const t0 = performance.now();
    run();
    wallUs = (performance.now() - t0) * 1e3;
  });
  const kernels = info.kernels.map((k) => ({
    name: k.name,
    inputShapes: k.inputShapes.map((s) => (s ? [...s] : null)),
    outputShapes: k.outputShapes.map((s) => [...s]),
    us: typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs * 1e3 : Number.NaN,
  }));
  return { kernels, wallUs };
}

/** Kernels of one value-and-gradient call, and of the forward pass alone. */
export async function countKernels(model: CompiledModel, positions: Float64Array, chains: number): Promise<{ gradient: number; forward: number }> {
  const gradient = (await profiledKernels(() => model.evaluate(positions, chains))).kernels.length;
  const forward = (await profiledKernels(() => forwardPass(model, positions, chains))).kernels.length;
  return { gradient, forward };
}

function forwardPass(model: CompiledModel, positions: Float64Array, chains: number): void {
  tf.tidy(() => {
    model.logDensityTerms(tf.tensor2d(Float32Array.from(positions), [chains, model.dim]) as Tensor2D);
  });
}

const sameShapes = (a: readonly (readonly number[])[], b: readonly (readonly number[])[]) =>
  a.length === b.length && a.every((s, i) => s.length === b[i].length && s.every((d, j) => d === b[i][j]));

/**
 * Phase of each kernel of a gradient call: the tape-free forward pass is matched, in order, as a
 * subsequence (name and output shapes) of the gradient call's kernels; the earliest complete match
 * ends the forward phase. Unmatched Identity kernels before that point are the tape's copies of
 * saved tensors (engine.saveTensorsForBackwardMode clones them; on wasm a clone is a real copy).
 */
export function kernelPhases(gradient: readonly KernelRecord[], forward: readonly KernelRecord[]): KernelPhase[] {
  const phases: KernelPhase[] = new Array(gradient.length).fill('backward');
  let i = 0;
  let end = -1;
  for (let j = 0; j < gradient.length && i < forward.length; j++) {
    if (gradient[j].name === forward[i].name && sameShapes(gradient[j].outputShapes, forward[i].outputShapes)) {
      phases[j] = 'forward';
      i++;
      if (i === forward.length) end = j + 1;
    } else {
      phases[j] = gradient[j].name === 'Identity' ? 'tape' : 'forward';
    }
  }
  if (end < 0) throw new Error('profile: the forward pass is not a subsequence of the gradient call');
  for (let j = end; j < gradient.length; j++) phases[j] = 'backward';
  return phases;
}

/**
 * Profile `runs` gradient calls and aggregate: median time per kernel instance (the sequence is the
 * same every call), summed per kernel name and per phase.
 */
export async function profileGradient(
  model: CompiledModel,
  modelId: string,
  backend: string,
  positions: Float64Array,
  chains: number,
  runs: number,
  wallUs: number,
  top = 25,
): Promise<ProfileResult> {
  const forward = (await profiledKernels(() => forwardPass(model, positions, chains))).kernels;
  const sequences: KernelRecord[][] = [];
  const profiledWalls: number[] = [];
  await profiledKernels(() => model.evaluate(positions, chains)); // warm the profiler path
  for (let r = 0; r < runs; r++) {
    const { kernels, wallUs: w } = await profiledKernels(() => model.evaluate(positions, chains));
    if (sequences.length > 0 && kernels.length !== sequences[0].length) {
      throw new Error(`profile: kernel count changed between calls (${sequences[0].length} then ${kernels.length})`);
    }
    sequences.push(kernels);
    profiledWalls.push(w);
  }
  const first = sequences[0];
  const phaseOf = kernelPhases(first, forward);
  const instances: KernelInstance[] = first.map((k, index) => ({
    index,
    phase: phaseOf[index],
    name: k.name,
    inputShapes: k.inputShapes,
    outputShapes: k.outputShapes,
    us: median(sequences.map((s) => s[index].us)),
  }));
  const kernelUs = instances.reduce((a, k) => a + k.us, 0);
  const phases: Record<KernelPhase, PhaseTotals> = {
    forward: { kernels: 0, us: 0 },
    tape: { kernels: 0, us: 0 },
    backward: { kernels: 0, us: 0 },
  };
  const limit = chains * model.dim;
  const elements = (s: readonly number[] | null) => (s ? s.reduce((x, y) => x * y, 1) : 0);
  const largest = (k: KernelInstance) => Math.max(...k.inputShapes.map(elements), ...k.outputShapes.map(elements));
  const small = instances.filter((k) => largest(k) <= limit);
  const parameterSized: PhaseTotals = { kernels: small.length, us: small.reduce((a, k) => a + k.us, 0) };
  const dataSized: PhaseTotals = { kernels: instances.length - small.length, us: kernelUs - parameterSized.us };
  const byNameMap = new Map<string, { count: number; forward: number; tape: number; backward: number; us: number }>();
  for (const k of instances) {
    phases[k.phase] = { kernels: phases[k.phase].kernels + 1, us: phases[k.phase].us + k.us };
    const entry = byNameMap.get(k.name) ?? { count: 0, forward: 0, tape: 0, backward: 0, us: 0 };
    entry.count++;
    entry[k.phase]++;
    entry.us += k.us;
    byNameMap.set(k.name, entry);
  }
  const byName: KernelByName[] = [...byNameMap.entries()]
    .map(([name, e]) => ({ name, ...e, share: e.us / kernelUs }))
    .sort((a, b) => b.us - a.us);
  const topInstances = [...instances].sort((a, b) => b.us - a.us).slice(0, top);
  return {
    model: modelId,
    backend,
    chains,
    dim: model.dim,
    runs,
    kernels: first.length,
    forwardPassKernels: forward.length,
    wallUs,
    profiledWallUs: median(profiledWalls),
    kernelUs,
    phases,
    parameterSized,
    dataSized,
    byName,
    topInstances,
  };
}
