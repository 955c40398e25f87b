/**
 * Partial-centering weights chosen from a short pilot run (the sampler adapts its coordinates to the
 * data rather than relying on hand-picked centering; src/ppl/centering.ts has the coordinate change).
 *
 * For a non-centered effect theta = mu + sigma z, z ~ N(0, 1), which the data inform with variance
 * s^2 (the normal hierarchical model), z's posterior variance given mu and sigma is
 * s^2 / (s^2 + sigma^2), and the partially centered coordinate w mu + sigma^w z is a posteriori
 * independent of mu for w = sigma^2 / (sigma^2 + s^2) = 1 - Var(z | data): centered (w = 1) where the
 * data pin the effect down, non-centered (w = 0) where the prior does (Papaspiliopoulos, Roberts &
 * Skold 2007, "A general framework for the parametrization of hierarchical models", Statistical
 * Science 22, sections 3-4; Gorinova, Moore & Hoffman 2020, "Automatic reparameterisation of
 * probabilistic programs", whose VIP finds the weight by a variational fit). Here the variance comes
 * from the last draws of a non-centered pilot (the first part of the warmup), averaged over a group
 * of elements (e.g. one channel's geo effects): w_group = clamp(1 - mean Var(z), 0, 1), rounded to
 * two decimals so the choice can be written down and reused as a config. A weight below
 * MIN_CENTERING_WEIGHT is set to 0: a partly centered coordinate w mu + sigma^w z has a funnel of
 * exponent w where sigma nears 0, and the channels the data inform only weakly are the ones whose
 * sigma can (measured on simulated geo data, 12 geos x 156 weeks: weights 0.15-0.35 on four such
 * channels gave one chain 57 divergences near small sigma; the non-centered coordinates gave 1).
 * The rule is a heuristic for non-Gaussian posteriors; whatever weights it picks, the posterior is
 * the same.
 */
import { median } from '../diagnostics/index.js';
import type { CompiledModel } from '../ppl/compile.js';

/** The pilot: warmup iterations in the model's own coordinates, the last `window` of which estimate the variances. */
export interface PilotLength {
  readonly warmup: number;
  readonly window: number;
}

/**
 * The pilot takes the first 25% of the warmup (adapting all along, as the warmup it replaces would)
 * and reads the variances from its last 10%; the main run's warmup is the remaining 75%.
 */
export const PILOT_FRACTION = 0.25;
export const PILOT_WINDOW_FRACTION = 0.1;
/** Weights below this are set to 0 (non-centered): see the module comment. */
export const MIN_CENTERING_WEIGHT = 0.5;
/** Below this warmup the pilot would be too short to say anything: no pilot. */
export const MIN_WARMUP_FOR_PILOT = 200;

/** The pilot's share of a warmup of `warmup` iterations, or undefined when the warmup is too short. */
export function pilotLength(warmup: number): PilotLength | undefined {
  if (warmup < MIN_WARMUP_FOR_PILOT) return undefined;
  return { warmup: Math.round(PILOT_FRACTION * warmup), window: Math.round(PILOT_WINDOW_FRACTION * warmup) };
}

/**
 * The weight per group (module comment: 0 below MIN_CENTERING_WEIGHT) from pilot draws in the model's own coordinates (no
 * centering): `draws` per chain, row-major [n, dim]; `effect` names an unconstrained,
 * standard-normal parameter of `model`; `groups` lists, per group, flat indices into it. Each
 * element's variance is the median over chains of its within-chain variance, so that one chain
 * still travelling to the typical set neither inflates nor deflates it.
 */
export function pilotCenteringWeights(model: CompiledModel, draws: readonly Float64Array[], effect: string, groups: readonly (readonly number[])[]): number[] {
  const entry = model.layout.find((p) => p.name === effect);
  if (!entry) throw new Error(`centering pilot: the model has no parameter "${effect}"`);
  if (entry.spec.constraint) throw new Error(`centering pilot: "${effect}" must be unconstrained (a standardized effect)`);
  const dim = model.dim;
  const n = draws.length > 0 ? draws[0].length / dim : 0;
  if (n < 2) throw new Error('centering pilot: needs at least two draws per chain');
  return groups.map((elements) => {
    let varianceSum = 0;
    for (const element of elements) varianceSum += median(draws.map((chain) => columnVariance(chain, n, dim, entry.offset + element)));
    const weight = Math.round(100 * Math.min(1, Math.max(0, 1 - varianceSum / Math.max(1, elements.length)))) / 100;
    return weight < MIN_CENTERING_WEIGHT ? 0 : weight;
  });
}

/** The sample variance of column `at` of row-major [n, width] `rows`. */
function columnVariance(rows: Float64Array, n: number, width: number, at: number): number {
  let sum = 0;
  for (let t = 0; t < n; t++) sum += rows[t * width + at];
  const mean = sum / n;
  let squares = 0;
  for (let t = 0; t < n; t++) squares += (rows[t * width + at] - mean) ** 2;
  return squares / (n - 1);
}

/**
 * A diagonal inverse metric for `target` from pilot draws (`draws` per chain, [n, dim] in
 * `pilotModel`'s coordinates): each draw mapped to `target`'s coordinates, per coordinate the median
 * over chains of the within-chain variance (as the weights, so that a straggling chain does not set
 * it). The main warmup starts from it instead of from the gradients at one point, which in the new
 * coordinates would be a poor guess for the first window.
 */
export function pilotInverseMetric(pilotModel: CompiledModel, draws: readonly Float64Array[], target: CompiledModel): Float64Array {
  const dim = pilotModel.dim;
  const targetDim = target.dim;
  const perChain = draws.map((chain) => {
    const n = chain.length / dim;
    if (n < 2) throw new Error('centering pilot: needs at least two draws per chain');
    const mapped = new Float64Array(n * targetDim);
    for (let t = 0; t < n; t++) mapped.set(target.unconstrain(pilotModel.constrain(chain.subarray(t * dim, (t + 1) * dim), 1)), t * targetDim);
    return Float64Array.from({ length: targetDim }, (_, j) => columnVariance(mapped, n, targetDim, j));
  });
  const out = new Float64Array(targetDim);
  for (let j = 0; j < targetDim; j++) {
    const value = median(perChain.map((variance) => variance[j]));
    out[j] = Number.isFinite(value) && value > 1e-10 ? value : 1;
  }
  return out;
}

/** The last `window` rows of each chain's [n, dim] draws. */
export function lastDraws(draws: readonly Float64Array[], dim: number, window: number): Float64Array[] {
  return draws.map((chain) => chain.slice(Math.max(0, chain.length - window * dim)));
}

/**
 * Each chain's last pilot draw (`draws` per chain, [n, dim] in `pilotModel`'s coordinates) as a
 * starting position of `target` (the same parameters in other sampler coordinates): [chains * dim].
 */
export function pilotFinalPositions(pilotModel: CompiledModel, draws: readonly Float64Array[], target: CompiledModel): Float64Array {
  const dim = pilotModel.dim;
  const positions = new Float64Array(draws.length * target.dim);
  draws.forEach((chain, c) => {
    if (chain.length < dim) throw new Error('centering pilot: no draws to start from');
    const values = pilotModel.constrain(chain.slice(chain.length - dim), 1);
    positions.set(target.unconstrain(values), c * target.dim);
  });
  return positions;
}
