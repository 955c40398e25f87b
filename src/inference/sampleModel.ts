/**
 * Fit a model: compile it, run the sampler on its unconstrained log density, map the draws to the
 * constrained space (in chunks, as tensors), compute derived quantities per draw on the host, and
 * summarize with the diagnostics (rank-normalized R-hat, bulk/tail ESS, MCSE; divergences,
 * tree-depth saturation, E-BFMI). This is the layer that joins src/ppl, samplers/ and
 * src/diagnostics; the samplers never see the model.
 */
import {
  countDivergences,
  countTreeDepthSaturation,
  ebfmi,
  EBFMI_WARNING_THRESHOLD,
  summarize,
  type SummaryRow,
} from '../diagnostics/index.js';
import { compile, type CompiledModel } from '../ppl/compile.js';
import type { ModelDefinition } from '../ppl/model.js';
import { elementCount } from '../ppl/names.js';
import { Posterior, type PosteriorVariable } from '../ppl/posterior.js';
import type { ModelSource } from '../ppl/modelSource.js';
import { maxTreeDepthOf, sample, type InitOptions, type SampleOptions, type SampleResult } from '../../samplers/index.js';
import { sampleParallel, type ParallelOptions } from './parallel.js';
import { createRng } from '../tensor/index.js';

export interface SamplerHealth {
  readonly divergences: number;
  readonly divergenceFraction: number;
  readonly treeDepthSaturated: number;
  readonly maxTreeDepth: number;
  readonly ebfmi: readonly number[];
  readonly lowEbfmiChains: readonly number[];
  readonly maxRhat: number;
  readonly minEssBulk: number;
  readonly minEssTail: number;
  /** Human-readable warnings (empty when every check passes). */
  readonly warnings: readonly string[];
}

export interface FitResult {
  readonly model: CompiledModel;
  readonly posterior: Posterior;
  readonly samples: SampleResult;
  /** One row per scalar parameter and derived quantity. */
  readonly summary: readonly SummaryRow[];
  readonly health: SamplerHealth;
  readonly seconds: { readonly sampling: number; readonly postprocessing: number };
}

/** The sampler's options plus what fitting adds. */
export type FitOptions = SampleOptions & FitExtras;

export interface FitExtras {
  /** Constrained initial values (per parameter), used for every chain. Overrides `init`. */
  readonly initialValues?: Readonly<Record<string, number | ArrayLike<number>>>;
  /** Draws per chunk when constraining (bounds memory on large models). Default 500. */
  readonly chunkSize?: number;
  /** Health thresholds. */
  readonly rhatThreshold?: number;
  readonly essThreshold?: number;
}

/**
 * Constrained draws and derived quantities of a sampler result. Chain c's derived quantities draw
 * their randomness from the stream createRng(seed, 'generated:chain:' + c), in draw order.
 */
export function constrainDraws(model: CompiledModel, samples: SampleResult, chunkSize = 500, seed: number | string = 0): Posterior {
  const { chains, numDraws, dim } = samples;
  const parameterValues = model.layout.map((p) => new Float64Array(chains * numDraws * p.size));
  const derived = new Map<string, { shape: readonly number[]; values: Float64Array }>();
  for (let c = 0; c < chains; c++) {
    const rng = createRng(seed, `generated:chain:${c}`);
    for (let start = 0; start < numDraws; start += chunkSize) {
      const count = Math.min(chunkSize, numDraws - start);
      const positions = samples.draws[c].subarray(start * dim, (start + count) * dim);
      const values = model.constrain(positions, count);
      model.layout.forEach((p, i) => parameterValues[i].set(values[p.name], (c * numDraws + start) * p.size));
      for (let d = 0; d < count; d++) {
        const one: Record<string, Float64Array> = {};
        for (const p of model.layout) one[p.name] = values[p.name].subarray(d * p.size, (d + 1) * p.size);
        const generated = model.generated(one, rng);
        for (const [name, value] of Object.entries(generated)) {
          let entry = derived.get(name);
          if (!entry) {
            const length = typeof value === 'number' ? 1 : value.length;
            const shape = model.generatedShapes?.[name] ?? (typeof value === 'number' ? [] : [length]);
            entry = { shape, values: new Float64Array(chains * numDraws * elementCount(shape)) };
            derived.set(name, entry);
          }
          const size = elementCount(entry.shape);
          const offset = (c * numDraws + start + d) * size;
          if (typeof value === 'number') entry.values[offset] = value;
          else entry.values.set(value, offset);
        }
      }
    }
  }
  const variables: PosteriorVariable[] = model.layout.map((p, i) => ({ name: p.name, shape: p.shape, kind: 'parameter', values: parameterValues[i] }));
  for (const [name, entry] of derived) variables.push({ name, shape: entry.shape, kind: 'derived', values: entry.values });
  return new Posterior(chains, numDraws, variables);
}

export function samplerHealth(samples: SampleResult, summary: readonly SummaryRow[], maxTreeDepth: number, rhatThreshold = 1.01, essThreshold = 400): SamplerHealth {
  const divergences = countDivergences(samples.stats.map((s) => s.divergent));
  const saturated = countTreeDepthSaturation(samples.stats.map((s) => s.treeDepth), maxTreeDepth);
  const energy = samples.numDraws >= 2 ? Array.from(ebfmi(samples.stats.map((s) => s.energy))) : [];
  const lowEbfmi = energy.flatMap((value, chain) => (value < EBFMI_WARNING_THRESHOLD ? [chain] : []));
  let maxRhat = -Infinity;
  let minEssBulk = Infinity;
  let minEssTail = Infinity;
  let worstRhat = '';
  let worstEss = '';
  for (const row of summary) {
    if (Number.isFinite(row.rhat) && row.rhat > maxRhat) {
      maxRhat = row.rhat;
      worstRhat = row.name;
    }
    if (Number.isFinite(row.essBulk) && row.essBulk < minEssBulk) {
      minEssBulk = row.essBulk;
      worstEss = row.name;
    }
    if (Number.isFinite(row.essTail)) minEssTail = Math.min(minEssTail, row.essTail);
  }
  const warnings: string[] = [];
  if (divergences.total > 0) warnings.push(`${divergences.total} divergent transitions after warmup (${(100 * divergences.fraction).toFixed(1)}%)`);
  if (saturated.total > 0) warnings.push(`${saturated.total} transitions hit the maximum tree depth ${maxTreeDepth}`);
  if (lowEbfmi.length > 0) warnings.push(`E-BFMI below ${EBFMI_WARNING_THRESHOLD} in chains ${lowEbfmi.join(', ')}`);
  if (maxRhat > rhatThreshold) warnings.push(`max R-hat ${maxRhat.toFixed(3)} > ${rhatThreshold} (${worstRhat})`);
  if (minEssBulk < essThreshold) warnings.push(`min bulk ESS ${minEssBulk.toFixed(0)} < ${essThreshold} (${worstEss})`);
  if (minEssTail < essThreshold) warnings.push(`min tail ESS ${minEssTail.toFixed(0)} < ${essThreshold}`);
  return {
    divergences: divergences.total,
    divergenceFraction: divergences.fraction,
    treeDepthSaturated: saturated.total,
    maxTreeDepth,
    ebfmi: energy,
    lowEbfmiChains: lowEbfmi,
    maxRhat,
    minEssBulk,
    minEssTail,
    warnings,
  };
}

/** Compile (if needed), sample, constrain, summarize. */
export function sampleModel(model: ModelDefinition | CompiledModel, options: FitOptions): FitResult {
  const compiled = 'evaluate' in model ? model : compile(model);
  const started = performance.now();
  const samples = sample(compiled, { ...options, init: initialPositions(compiled, options) });
  return fitFromSamples(compiled, samples, options, (performance.now() - started) / 1000);
}

/**
 * As sampleModel, with the chains split over worker threads (parallel.ts): `source` names the same
 * model as `model` (each worker builds its own from it); `model` constrains and summarizes here.
 */
export async function sampleModelParallel(
  model: CompiledModel,
  source: ModelSource,
  options: FitOptions,
  parallel: ParallelOptions = {},
): Promise<FitResult> {
  const started = performance.now();
  const samples = await sampleParallel(source, { ...options, init: initialPositions(model, options) }, { dim: model.dim, ...parallel });
  return fitFromSamples(model, samples, options, (performance.now() - started) / 1000);
}

function initialPositions(model: CompiledModel, options: FitOptions): InitOptions | undefined {
  return options.initialValues ? { positions: model.unconstrain(options.initialValues) } : options.init;
}

/** Constrain, derive, summarize and check the health of a sampler result. */
export function fitFromSamples(model: CompiledModel, samples: SampleResult, options: FitOptions, samplingSeconds: number): FitResult {
  const started = performance.now();
  const posterior = constrainDraws(model, samples, options.chunkSize, options.seed);
  const summary = samples.numDraws >= 4 ? summarize(posterior.scalarNames(), (name) => posterior.chainDraws(name)) : [];
  const health = samplerHealth(samples, summary, maxTreeDepthOf(options), options.rhatThreshold, options.essThreshold);
  return {
    model,
    posterior,
    samples,
    summary,
    health,
    seconds: { sampling: samplingSeconds, postprocessing: (performance.now() - started) / 1000 },
  };
}
