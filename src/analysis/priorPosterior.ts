/**
 * Rows of the prior-vs-posterior chart: kernel densities (density.ts) of the key media parameters
 * (the parameter table's per-channel adstock, saturation and coefficient parameters: media
 * coefficient or ROI, geo spread) and the noise scale, bounded by their supports, from prior draws
 * (models/mmm/priorPredictive.ts, the priors the model used, truncated to the support as the model
 * is) and posterior draws, on one grid per parameter. Gabry, Simpson, Vehtari, Betancourt & Gelman
 * 2019, "Visualization in Bayesian workflow", section 3, and Meridian's prior/posterior plots
 * motivate the chart: a posterior that looks like its prior was not informed by the data.
 */
import { selectDraws } from './drawSummary.js';
import { quantileOfSorted } from '../diagnostics/index.js';
import type { Posterior } from '../ppl/index.js';
import { mmmParameters, samplePriorPredictive, type MmmDesign, type MmmModelConfig, type Support } from '../../models/mmm/index.js';
import { finiteSorted, kernelDensity, silvermanBandwidth } from './density.js';

export interface PriorPosteriorRow {
  /** Display name, e.g. "alpha[tv]" or "sigma". */
  readonly parameter: string;
  readonly source: 'prior' | 'posterior';
  readonly value: number;
  readonly density: number;
}

/** The bounds of a support (reflection in the density). */
export function supportBounds(support: Support): { lower?: number; upper?: number } {
  switch (support.kind) {
    case 'real': return {};
    case 'positive': return { lower: 0 };
    case 'unit': return { lower: 0, upper: 1 };
    case 'interval': return { lower: support.lower, upper: support.upper };
  }
}

/**
 * The parameters shown, in table order: the per-channel media parameters (a transform kind's row
 * covers the channels using that kind: its element names), then the noise scale.
 */
export function priorPosteriorParameters(
  design: MmmDesign, config: MmmModelConfig,
): { readonly name: string; readonly bounds: { lower?: number; upper?: number }; readonly channels?: readonly string[] }[] {
  const C = design.channelNames.length;
  return mmmParameters(design, config)
    .filter((p) => (['adstock', 'saturation'].includes(p.component) && p.shape.length === 1) || (p.component === 'coefficients' && p.shape.length === 1 && p.shape[0] === C) || p.name === 'sigma')
    .map((p) => ({ name: p.name, bounds: supportBounds(p.support), ...(p.name === 'sigma' ? {} : { channels: p.elementNames }) }));
}

export interface PriorDrawOptions {
  /** Default 1000. */
  readonly draws?: number;
  /** Default 0. */
  readonly seed?: number | string;
}

/** Prior draws of every parameter (no KPI simulation). */
export function priorDraws(design: MmmDesign, config: MmmModelConfig, options: PriorDrawOptions = {}): Posterior {
  return samplePriorPredictive(design, config, { draws: options.draws ?? 1000, seed: options.seed ?? 0, kpi: false });
}

export interface PriorPosteriorOptions {
  /** Posterior draws used, evenly thinned (default 2000). */
  readonly maxDraws?: number;
  /** Grid points per density (default 80). */
  readonly points?: number;
}

function evenGrid(from: number, to: number, points: number): number[] {
  return Array.from({ length: points }, (_, p) => from + ((to - from) * p) / (points - 1));
}

/** Draws of element `e` of a variable over the given pooled draw indices. */
function elementDraws(posterior: Posterior, name: string, e: number, indices: Int32Array): Float64Array {
  const variable = posterior.variable(name);
  const size = variable.shape.reduce((a, b) => a * b, 1);
  return Float64Array.from(indices, (i) => variable.values[i * size + e]);
}

export function priorPosteriorRows(
  design: MmmDesign,
  config: MmmModelConfig,
  posterior: Posterior,
  prior: Posterior,
  options: PriorPosteriorOptions = {},
): PriorPosteriorRow[] {
  const points = options.points ?? 80;
  const posteriorIndices = selectDraws(posterior, options.maxDraws ?? 2000);
  const priorIndices = selectDraws(prior);
  const rows: PriorPosteriorRow[] = [];
  for (const { name, bounds, channels } of priorPosteriorParameters(design, config)) {
    if (!posterior.has(name) || !prior.has(name)) continue;
    const variable = posterior.variable(name);
    if (variable.kind !== 'parameter') continue;
    const size = variable.shape.reduce((a, b) => a * b, 1);
    const elementChannels = channels && channels.length === size ? channels : variable.shape.length === 1 && size === design.channelNames.length ? design.channelNames : undefined;
    for (let e = 0; e < size; e++) {
      // sigma [G] with one noise scale per geo (model config sigmaByGeo)
      const perGeo = name === 'sigma' && variable.shape.length === 1 && size === design.geoNames.length;
      const label = variable.shape.length === 0 ? name : perGeo ? `${name}[${design.geoNames[e]}]` : elementChannels ? `${name}[${elementChannels[e]}]` : `${name}[${e + 1}]`;
      const post = finiteSorted(elementDraws(posterior, name, e, posteriorIndices));
      const pri = finiteSorted(elementDraws(prior, name, e, priorIndices));
      if (post.length === 0 || pri.length === 0) continue;
      // One grid for both: even over the union of the prior's central 98% and the posterior's
      // range, refined over the posterior's range (often much narrower than the prior's).
      const clip = (x: number) => Math.min(bounds.upper ?? Infinity, Math.max(bounds.lower ?? -Infinity, x));
      const h = silvermanBandwidth(post);
      const postFrom = clip(quantileOfSorted(post, 0.005) - 3 * h);
      const postTo = clip(quantileOfSorted(post, 0.995) + 3 * h);
      const from = clip(Math.min(postFrom, quantileOfSorted(pri, 0.01)));
      const to = clip(Math.max(postTo, quantileOfSorted(pri, 0.99)));
      const grid = [...new Set([...evenGrid(from, to, points), ...evenGrid(postFrom, postTo, points)])].sort((a, b) => a - b);
      for (const [source, draws] of [['prior', pri], ['posterior', post]] as const) {
        for (const p of kernelDensity(draws, { grid, ...bounds })) rows.push({ parameter: label, source, value: p.value, density: p.density });
      }
    }
  }
  return rows;
}
