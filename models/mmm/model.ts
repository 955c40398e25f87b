/**
 * The hierarchical geo MMM as a model on src/ppl. With the default config it is exactly
 * shared/reference-model.md (same parameter names), batched over chains:
 *
 *   a[g,t,c]  = sum_l w_l(c) xs[g,t-l,c]            adstock (components/adstock)
 *   h[g,t,c]  = sat(a)                               saturation (components/saturation)
 *   beta[g,c] = exp(m_c + eta_c u[g,c])              media coefficients (components/coefficients.ts)
 *   tau_g     = tau0 + sigma_tau v[g]                geo intercepts (components/intercepts.ts)
 *   mu[g,t]   = tau_g + delta tr[t] + phi . f[t] + gamma . z[g,t] + xi . e[g,t] + sum_c beta[g,c] h[g,t,c]
 *   ys[g,t]   ~ Normal(mu, sigma)   (or Student-t; components/likelihood.ts)
 *
 * plus lift tests in the likelihood (liftTests.ts). The parameters and their priors come from the
 * parameter table (parameters.ts); the whole log density is one float64 host kernel
 * (kernel/kernel.ts), which src/ppl evaluates without tensors (the host path) or, with
 * `compile(model, { path: 'tensor' })`, as one custom-gradient op among the bijectors' tensor ops.
 * Per-channel centering of the geo media effects (config geo.media as a map) is a change of the
 * sampler's coordinates (src/ppl/centering.ts): the same posterior, the same parameter names.
 */
import { hostKernelDensity, hostKernelLogDensity, type CenteringBlock, type ModelDefinition, type ParameterSpec } from '../../src/ppl/index.js';
import { centeringWeight, type MmmModelConfig } from './config.js';
import { coefficientForm } from './components/coefficients.js';
import { constraintOf, type MmmParameter } from './components/types.js';
import { designDims, type MmmDesign } from './design.js';
import { createMmmKernel, type MmmKernel } from './kernel/kernel.js';
import { mmmParameters } from './parameters.js';

export interface GeoMmmModel {
  readonly definition: ModelDefinition;
  readonly config: MmmModelConfig;
  readonly design: MmmDesign;
  /** The parameter table (parameters.ts). */
  readonly table: readonly MmmParameter[];
  /** Names of the sampled parameters in declaration order. */
  readonly parameterNames: readonly string[];
  readonly kernel: MmmKernel;
}

export function createGeoMmm(design: MmmDesign, config: MmmModelConfig): GeoMmmModel {
  const { geos: G, periods: T, channels: C } = designDims(design);
  const table = mmmParameters(design, config);
  const kernel = createMmmKernel(design, config, table);
  const parameters: Record<string, ParameterSpec> = {};
  for (const row of table) parameters[row.name] = { shape: row.shape, constraint: constraintOf(row.support) };
  const form = coefficientForm(design, config);
  const centering = mediaCentering(config, design.channelNames, G, form.mediaByGeo, form.roiPrior);
  const centeredIntercept = G > 1 && config.geo.intercept === 'centered';
  const definition: ModelDefinition = {
    name: `geo-mmm(${G}x${T}x${C})`,
    parameters,
    centering: centering ? [centering] : undefined,
    logDensity: hostKernelLogDensity(kernel),
    hostLogDensity: hostKernelDensity(kernel),
    generated: (values) => {
      const out: Record<string, number | Float64Array> = {};
      if (centeredIntercept) {
        const tau0 = values.tau0[0];
        const sigmaTau = values.sigma_tau[0];
        out.v = values.tau.map((tau) => (tau - tau0) / sigmaTau);
      }
      if (form.centered) out.u = values.log_beta.map((b, i) => (b - values.m[i % C]) / values.eta[i % C]);
      return out;
    },
    generatedShapes: { v: [G], u: [G, C] },
  };
  return { definition, config, design, table, parameterNames: table.map((p) => p.name), kernel };
}

/**
 * Per-channel centering (config geo.media as a map): the listed channels' u[g,c] sampled in the
 * coordinate m_c + eta_c u[g,c] = log beta[g,c], or with a weight w in (0, 1) partially centered,
 * w m_c + eta_c^w u[g,c]. Undefined when no channel is (partially) centered.
 */
export function mediaCentering(config: MmmModelConfig, channelNames: readonly string[], G: number, mediaByGeo: boolean, roiPrior: boolean): CenteringBlock | undefined {
  const media = config.geo.media;
  if (typeof media !== 'object') return undefined;
  for (const name of Object.keys(media)) {
    if (!channelNames.includes(name)) throw new Error(`model config: geo.media.${name}: no such channel (channels: ${channelNames.join(', ')})`);
  }
  const centered = channelNames.flatMap((name, c) => (centeringWeight(media[name]) > 0 ? [c] : []));
  if (centered.length === 0 || !mediaByGeo) return undefined;
  if (roiPrior) throw new Error('model config: geo.media: centering channels needs the coefficient prior (m); with an ROI prior m is derived, use non-centered or pooled media effects');
  const C = channelNames.length;
  const elements = [];
  for (let g = 0; g < G; g++) {
    for (const c of centered) elements.push({ effect: g * C + c, location: c, scale: c, weight: centeringWeight(media[channelNames[c]]) });
  }
  return { effect: 'u', location: 'm', scale: 'eta', elements };
}
