/**
 * Shared by the geo-MMM density tests: the config cases every likelihood path is checked on, a
 * float64 unconstrained log density (reference density + the bijectors' log-Jacobians, written out
 * independently of src/bijectors) to compare the compiled models with, and the two checks of the
 * kernel against it (`expectGradientMatchesReference`, `expectKernelMatchesReference`).
 */
import { expect } from 'vitest';
import { compile, type CompiledModel } from '../../src/ppl/index.js';
import { createRng } from '../../src/tensor/index.js';
import type { MmmModelConfig } from '../../models/mmm/config.js';
import type { MmmDesign } from '../../models/mmm/design.js';
import { createMmmKernel } from '../../models/mmm/kernel/kernel.js';
import { createGeoMmm } from '../../models/mmm/model.js';
import { mmmParameters } from '../../models/mmm/parameters.js';
import { referenceLogDensity, referenceMarginalLogDensity } from '../../models/mmm/referenceDensity.js';
import { expectKernelVjp } from './vjp.js';

const softplus = (x: number) => (x > 30 ? x : Math.log1p(Math.exp(x)));

/** Interval bounds by parameter name (from the parameter table); a parameter not listed lies in (0, 7) (the delayed adstock's theta at maxLag 8). */
export type IntervalBounds = Readonly<Record<string, readonly [number, number]>>;

const boundsOf = (bounds: IntervalBounds, name: string): readonly [number, number] => bounds[name] ?? [0, 7];

/** The interval supports of the MMM's parameter table. */
export function intervalBounds(design: MmmDesign, config: MmmModelConfig): IntervalBounds {
  const out: Record<string, readonly [number, number]> = {};
  for (const row of mmmParameters(design, config)) if (row.support.kind === 'interval') out[row.name] = [row.support.lower, row.support.upper];
  return out;
}

/** log |det J| of each parameter's constraint at unconstrained u, in float64. */
export function logJacobian(model: CompiledModel, position: Float64Array, bounds: IntervalBounds = {}): number {
  let total = 0;
  for (const p of model.layout) {
    const name = p.spec.constraint?.name;
    const [lower, upper] = boundsOf(bounds, p.name);
    for (let i = 0; i < p.unconstrainedSize; i++) {
      const u = position[p.offset + i];
      if (name === 'positive') total += u;
      else if (name === 'unitInterval') total += -softplus(u) - softplus(-u);
      else if (name === 'interval') total += Math.log(upper - lower) - softplus(u) - softplus(-u);
      else if (name !== undefined) throw new Error(`test does not know constraint ${name}`);
    }
  }
  return total;
}

/** Constrained values at u in float64 (mirrors the bijectors). */
export function constrainHost(model: CompiledModel, position: Float64Array, bounds: IntervalBounds = {}): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const p of model.layout) {
    const name = p.spec.constraint?.name;
    const [lower, upper] = boundsOf(bounds, p.name);
    out[p.name] = Float64Array.from({ length: p.size }, (_, i) => {
      const u = position[p.offset + i];
      if (name === 'positive') return Math.exp(u);
      if (name === 'unitInterval') return 1 / (1 + Math.exp(-u));
      if (name === 'interval') return lower + (upper - lower) / (1 + Math.exp(-u));
      return u;
    });
  }
  return out;
}

/**
 * The float64 reference of the model's unconstrained log density at `position`: the joint reference
 * density, or, when the model integrates the linear block out (no tau0 among its parameters), the
 * dense marginal reference; plus the log-Jacobians.
 */
export function hostUnconstrained(design: MmmDesign, config: MmmModelConfig, model: CompiledModel, position: Float64Array): number {
  const bounds = intervalBounds(design, config);
  const values = constrainHost(model, position, bounds);
  const integrated = !model.layout.some((p) => p.name === 'tau0');
  return (integrated ? referenceMarginalLogDensity : referenceLogDensity)(design, config, values) + logJacobian(model, position, bounds);
}

export const cases: [string, Partial<MmmModelConfig>][] = [
  ['reference (default)', {}],
  ['centered intercepts and media', { geo: { intercept: 'centered', media: 'centered' } }],
  ['pooled media, delayed adstock, logistic saturation, no trend', { geo: { intercept: 'noncentered', media: 'pooled' }, adstock: { type: 'delayed', maxLag: 8 }, saturation: { type: 'logistic' }, trend: false }],
  ['weibull adstock, Michaelis-Menten, Student-t', { adstock: { type: 'weibull', maxLag: 6 }, saturation: { type: 'michaelisMenten' }, likelihood: 'studentT', seasonality: { order: 1, period: 52 } }],
  ['ROI prior with a window, fixed Hill slope, 8-period holdout', { mediaPrior: { type: 'roi', window: { tv: { from: '2023-03-01', to: '2023-09-30' } } }, saturation: { type: 'hill', fixedSlope: 1.5 } }],
  ['binomial adstock, logistic saturation', { adstock: { type: 'binomial', maxLag: 6 }, saturation: { type: 'logistic' } }],
  ['knots at given periods instead of the trend, Fourier order 1', { trend: false, seasonality: { order: 1, period: 52 }, time: { type: 'knots', knots: [0, 9, 30, 50, 77] } }],
  // Meridian's media prior types (issue 19): m derived from each channel's outcome share or marginal ROI.
  ['contribution prior with a window, Michaelis-Menten, 8-period holdout', { mediaPrior: { type: 'contribution', window: { tv: { from: '2023-03-01', to: '2023-09-30' } } }, saturation: { type: 'michaelisMenten' } }],
  ['mROI prior', { mediaPrior: { type: 'mroi' } }],
  ['mROI prior, delayed adstock, logistic saturation', { mediaPrior: { type: 'mroi' }, adstock: { type: 'delayed', maxLag: 8 }, saturation: { type: 'logistic' } }],
  ['mROI prior, weibull adstock, Hill with a fixed slope, pooled media', { mediaPrior: { type: 'mroi' }, adstock: { type: 'weibull', maxLag: 6 }, saturation: { type: 'hill', fixedSlope: 1.5 }, geo: { intercept: 'noncentered', media: 'pooled' } }],
];

/**
 * Meridian's structure options (issue 19): one sigma per geo and fixed geo intercepts around a
 * baseline geo, alone, together (with a holdout and a named baseline) and with the Student-t
 * likelihood. Kept apart from `cases`, whose golden numbers were recorded before these options.
 */
export const structureCases: [string, Partial<MmmModelConfig>][] = [
  ['one sigma per geo', { sigmaByGeo: true }],
  ['fixed intercepts around the most populous geo', { geo: { intercept: 'fixed', media: 'noncentered' } }],
  ['fixed intercepts around west, one sigma per geo, 8-period holdout', { geo: { intercept: 'fixed', baselineGeo: 'west', media: 'noncentered' }, sigmaByGeo: true }],
  ['Student-t, one sigma per geo, fixed intercepts', { likelihood: 'studentT', sigmaByGeo: true, geo: { intercept: 'fixed', media: 'noncentered' }, seasonality: { order: 1, period: 52 } }],
];

/**
 * Per-channel transform kinds and the saturation-first order (issue 19): mixed adstock and
 * saturation kinds (Hill and Michaelis-Menten share the row k, geometric and delayed share alpha),
 * saturation before adstock for every channel, and for one channel under an ROI prior with mixed kinds.
 */
export const channelKindCases: [string, Partial<MmmModelConfig>][] = [
  [
    'mixed kinds: tv weibull, search delayed; search logistic, social Michaelis-Menten',
    {
      adstock: { type: 'geometric', maxLag: 8, byChannel: { tv: { type: 'weibull' }, search: { type: 'delayed' } } },
      saturation: { type: 'hill', byChannel: { search: { type: 'logistic' }, social: { type: 'michaelisMenten' } } },
    },
  ],
  ['saturation then adstock for every channel', { order: { type: 'saturationThenAdstock' } }],
  [
    'saturation then adstock for tv (delayed), search binomial, ROI prior, Student-t',
    {
      adstock: { type: 'geometric', maxLag: 8, byChannel: { tv: { type: 'delayed' }, search: { type: 'binomial' } } },
      saturation: { type: 'hill', byChannel: { social: { type: 'logistic' } } },
      order: { type: 'adstockThenSaturation', byChannel: { tv: 'saturationThenAdstock' } },
      mediaPrior: { type: 'roi' },
      likelihood: 'studentT',
    },
  ],
];

/**
 * Geo-varying controls and non-media treatments (issue 19, Meridian's gamma_gc and gamma_gn): alone,
 * and with fixed intercepts, one sigma per geo and a holdout (the organic data set has a treatment).
 */
export const geoEffectCases: [string, Partial<MmmModelConfig>][] = [
  ['hierarchical controls', { geo: { intercept: 'noncentered', media: 'noncentered', controls: 'hierarchical' } }],
  [
    'hierarchical controls and treatments, fixed intercepts, one sigma per geo, 8-period holdout',
    { geo: { intercept: 'fixed', media: 'noncentered', controls: 'hierarchical', treatments: 'hierarchical' }, sigmaByGeo: true },
  ],
];

/** One gradient to check at a position: its label, values [dim], and whether it is float32 (looser tolerance). */
export interface GradientCheck {
  readonly label: string;
  readonly gradient: ArrayLike<number>;
  readonly float32?: boolean;
}

/**
 * Gradients of the compiled model at `position` against central differences of the float64
 * reference (`hostUnconstrained`), every coordinate, each difference computed once for all checks.
 * Tolerance: step 1e-5, truncation ~1e-10 times third derivatives, rounding ~1e-11 |f| / h, so
 * 1e-5 relative + 1e-5 absolute; a float32 gradient 2e-3 relative + 2e-2 absolute.
 */
export function expectGradientMatchesReference(design: MmmDesign, config: MmmModelConfig, model: CompiledModel, position: Float64Array, checks: readonly GradientCheck[]): void {
  for (let d = 0; d < position.length; d++) {
    const h = 1e-5;
    const up = Float64Array.from(position);
    const down = Float64Array.from(position);
    up[d] += h;
    down[d] -= h;
    const numeric = (hostUnconstrained(design, config, model, up) - hostUnconstrained(design, config, model, down)) / (2 * h);
    const name = model.layout.find((p) => d >= p.offset && d < p.offset + p.unconstrainedSize)?.name;
    for (const { label, gradient, float32 } of checks) {
      const tolerance = float32 ? 2e-3 * Math.abs(numeric) + 2e-2 : 1e-5 * Math.abs(numeric) + 1e-5;
      expect(Math.abs(gradient[d] - numeric), `${label} d=${d} (${name}) got ${gradient[d]} numeric ${numeric}`).toBeLessThan(tolerance);
    }
  }
}

/**
 * The kernel at random constrained draws (2 chains, seed from `label`): its outputs sum to the float64
 * reference (marginal when it integrates the linear block) within 1e-9 relative, and its VJP matches
 * central differences of its own forward (support/vjp.ts).
 */
export function expectKernelMatchesReference(design: MmmDesign, config: MmmModelConfig, label: string): void {
  const table = mmmParameters(design, config);
  const kernel = createMmmKernel(design, config, table);
  const model = compile(createGeoMmm(design, config).definition);
  expect(kernel.inputNames).toEqual(model.layout.map((p) => p.name));
  const rng = createRng(11, label);
  const chains = 2;
  const width = kernel.outputWidth;
  const constrained = model.constrain(Float64Array.from({ length: chains * model.dim }, () => 1.6 * rng.uniform() - 0.8), chains);
  model.dispose();
  const values = kernel.inputNames.map((name) => Float64Array.from(constrained[name]));
  const out = kernel.forward(values, chains);
  for (let b = 0; b < chains; b++) {
    const draw = Object.fromEntries(kernel.inputNames.map((name, i) => [name, values[i].subarray(b * kernel.inputSizes[i], (b + 1) * kernel.inputSizes[i])]));
    let total = 0;
    for (let j = 0; j < width; j++) total += out[b * width + j];
    const reference = (kernel.linearBlock ? referenceMarginalLogDensity : referenceLogDensity)(design, config, draw);
    expect(Math.abs(total - reference)).toBeLessThan(1e-9 * Math.abs(reference) + 1e-9);
  }
  expectKernelVjp(kernel, values, chains, Float64Array.from({ length: chains * width }, () => rng.normal()));
}
