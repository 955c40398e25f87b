/**
 * Shared by the geo-MMM density tests: the config cases every likelihood path is checked on, and a
 * float64 unconstrained log density (reference density + the bijectors' log-Jacobians, written out
 * independently of src/bijectors) to compare the compiled models with.
 */
import type { CompiledModel } from '../../src/ppl/index.js';
import type { MmmModelConfig } from '../../models/mmm/config.js';
import type { MmmDesign } from '../../models/mmm/design.js';
import { referenceLogDensity, referenceMarginalLogDensity } from '../../models/mmm/referenceDensity.js';

const softplus = (x: number) => (x > 30 ? x : Math.log1p(Math.exp(x)));

/** log |det J| of each parameter's constraint at unconstrained u, in float64. */
export function logJacobian(model: CompiledModel, position: Float64Array): number {
  let total = 0;
  for (const p of model.layout) {
    const name = p.spec.constraint?.name;
    for (let i = 0; i < p.unconstrainedSize; i++) {
      const u = position[p.offset + i];
      if (name === 'positive') total += u;
      else if (name === 'unitInterval') total += -softplus(u) - softplus(-u);
      else if (name === 'interval') total += Math.log(7) - softplus(u) - softplus(-u); // theta in (0, maxLag - 1 = 7)
      else if (name !== undefined) throw new Error(`test does not know constraint ${name}`);
    }
  }
  return total;
}

/** Constrained values at u in float64 (mirrors the bijectors). */
export function constrainHost(model: CompiledModel, position: Float64Array): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const p of model.layout) {
    const name = p.spec.constraint?.name;
    out[p.name] = Float64Array.from({ length: p.size }, (_, i) => {
      const u = position[p.offset + i];
      if (name === 'positive') return Math.exp(u);
      if (name === 'unitInterval') return 1 / (1 + Math.exp(-u));
      if (name === 'interval') return 7 / (1 + Math.exp(-u));
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
  const values = constrainHost(model, position);
  const integrated = !model.layout.some((p) => p.name === 'tau0');
  return (integrated ? referenceMarginalLogDensity : referenceLogDensity)(design, config, values) + logJacobian(model, position);
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
