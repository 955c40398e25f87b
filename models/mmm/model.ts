/**
 * The hierarchical geo MMM as a model on src/ppl. With the default config it is exactly
 * shared/reference-model.md (same parameter names), batched over chains:
 *
 *   a[g,t,c]  = sum_l w_l(c) xs[g,t-l,c]            adstock (components/adstock)
 *   h[g,t,c]  = sat(a)                               saturation (components/saturation)
 *   beta[g,c] = exp(m_c + eta_c u[g,c])              media coefficients (components/coefficients.ts)
 *   tau_g     = tau0 + sigma_tau v[g]                geo intercepts (components/intercepts.ts; or fixed
 *                                                    around a baseline geo: tau0 + tau_offset_g)
 *   mu[g,t]   = tau_g + delta tr[t] + phi . f[t] + gamma . z[g,t] + xi . e[g,t] + sum_c beta[g,c] h[g,t,c]
 *               (with config `time` knots: knot . w[t], the knots' piecewise-linear time effect, instead of delta tr[t])
 *               (gamma_g = gamma + gamma_sd gamma_dev[g] per geo with hierarchical controls, components/linearTerms.ts;
 *                the non-media treatments' term likewise)
 *   ys[g,t]   ~ Normal(mu, sigma)   (or Student-t; components/likelihood.ts; sigma_g with sigmaByGeo)
 *
 * plus lift tests in the likelihood (liftTests.ts). The parameters and their priors come from the
 * parameter table (parameters.ts); the whole log density is one float64 host kernel
 * (kernel/kernel.ts), which src/ppl evaluates without tensors (the host path) or, with
 * `compile(model, { path: 'tensor' })`, as one custom-gradient op among the bijectors' tensor ops.
 * By default the linear block (tau0, v, delta or knot, phi, gamma, xi) is integrated out when the
 * likelihood and its priors are normal (components/linearBlock.ts): the sampler moves the other
 * parameters on their exact marginal posterior and every kept draw gets the block drawn exactly
 * from its Gaussian conditional (`generated`, with the chain's seeded stream), under its reference
 * names, so the draws are from the same joint posterior.
 * Per-channel centering of the geo media effects (config geo.media as a map) is a change of the
 * sampler's coordinates (src/ppl/centering.ts): the same posterior, the same parameter names.
 */
import { hostKernelDensity, hostKernelLogDensity, type CenteringBlock, type ModelDefinition, type ParameterSpec } from '../../src/ppl/index.js';
import { byChannel, centeringWeight, type MmmModelConfig } from './config.js';
import type { Rng } from '../../src/tensor/index.js';
import { coefficientForm, mediaPriorLabel } from './components/coefficients.js';
import { fixedIntercepts, interceptHost } from './components/intercepts.js';
import { integratesLinearBlock, type LinearBlock } from './components/linearBlock.js';
import { linearTerms, type LinearTerm } from './components/linearTerms.js';
import { constraintOf, type MmmParameter } from './components/types.js';
import { designDims, type MmmDesign } from './design.js';
import { createMmmKernel, type MmmKernel } from './kernel/kernel.js';
import { mediaTermHost, type DrawValues } from './hostModel.js';
import { mmmParameters, sampledParameters } from './parameters.js';

export interface GeoMmmModel {
  readonly definition: ModelDefinition;
  readonly config: MmmModelConfig;
  readonly design: MmmDesign;
  /** The parameter table (parameters.ts). */
  readonly table: readonly MmmParameter[];
  /** Names of the sampled parameters in declaration order. */
  readonly parameterNames: readonly string[];
  readonly kernel: MmmKernel;
  /** Whether the linear block is integrated out, and if not, why. */
  readonly linearBlock: { readonly integrate: boolean; readonly reason?: string };
}

export function createGeoMmm(design: MmmDesign, config: MmmModelConfig): GeoMmmModel {
  const { geos: G, periods: T, channels: C } = designDims(design);
  const table = mmmParameters(design, config);
  const decision = integratesLinearBlock(config, table);
  const kernel = createMmmKernel(design, config, table);
  const parameters: Record<string, ParameterSpec> = {};
  for (const row of sampledParameters(table)) parameters[row.name] = { shape: row.shape, constraint: constraintOf(row.support) };
  const form = coefficientForm(design, config);
  const centering = mediaCentering(config, design.channelNames, G, form.mediaByGeo, form.derivedPrior);
  const centeredIntercept = G > 1 && config.geo.intercept === 'centered';
  const fixed = fixedIntercepts(design, config);
  const terms = linearTerms(design, config);
  const blockDraw = kernel.linearBlock ? linearBlockDraw(design, config, kernel.linearBlock, terms) : undefined;
  const definition: ModelDefinition = {
    name: `geo-mmm(${G}x${T}x${C})`,
    parameters,
    centering: centering ? [centering] : undefined,
    logDensity: hostKernelLogDensity(kernel),
    hostLogDensity: hostKernelDensity(kernel),
    generated: (values, rng) => {
      const out: Record<string, number | Float64Array> = blockDraw ? blockDraw(values, rng) : {};
      if (centeredIntercept && !blockDraw) {
        const tau0 = values.tau0[0];
        const sigmaTau = values.sigma_tau[0];
        out.v = values.tau.map((tau) => (tau - tau0) / sigmaTau);
      }
      if (fixed && !blockDraw) out.tau = Float64Array.from({ length: G }, (_, g) => interceptHost(design, config, values, g));
      if (form.centered) out.u = values.log_beta.map((b, i) => (b - values.m[i % C]) / values.eta[i % C]);
      for (const term of terms) {
        if (term.geoVarying && !blockDraw) out[`${term.parameter}_geo`] = geoCoefficients(term, values[term.parameter], values[term.geoVarying.sd], values[term.geoVarying.dev]);
      }
      return out;
    },
    generatedShapes: {
      v: [G], u: [G, C], tau: [G], ...(fixed ? { tau_offset: [G - 1] } : {}), ...Object.fromEntries(terms.map((term) => [term.parameter, term.parameter === 'delta' ? [] : [term.width]])),
      ...Object.fromEntries(terms.flatMap((term) => (term.geoVarying ? [[term.geoVarying.dev, [G, term.width]], [`${term.parameter}_geo`, [G, term.width]]] : []))),
    },
  };
  return { definition, config, design, table, parameterNames: Object.keys(parameters), kernel, linearBlock: decision };
}

/** A geo-varying term's coefficient per geo [G, width]: mean[k] + sd[k] dev[g, k]. */
function geoCoefficients(term: LinearTerm, mean: ArrayLike<number>, sd: ArrayLike<number>, dev: ArrayLike<number>): Float64Array {
  return Float64Array.from(dev, (z, i) => mean[i % term.width] + sd[i % term.width] * z);
}

/**
 * The exact draw of the integrated linear block at one draw of the sampled parameters, under the
 * reference names: tau0, v (and tau with centered intercepts; with more than one geo), or with fixed
 * intercepts tau_offset and the intercepts tau they give, delta or knot, phi, gamma, xi, treatment; a
 * geo-varying term (hierarchical controls or treatments) also its per-geo coefficients
 * (`gamma_geo` [G, K]) and their standardized form (`gamma_dev` = (gamma_geo - gamma) / gamma_sd).
 * The media term (time-varying channels' effectiveness included) is evaluated with the float64
 * reference (hostModel.ts `mediaTermHost`).
 */
function linearBlockDraw(design: MmmDesign, config: MmmModelConfig, block: LinearBlock, terms: readonly LinearTerm[]) {
  const { geos: G, periods: T } = designDims(design);
  const offsets = block.termOffsets(terms);
  const state = block.newState();
  const e0 = new Float64Array(G * T);
  return (values: DrawValues, rng: Rng): Record<string, number | Float64Array> => {
    const media = mediaTermHost(design, config, values);
    for (let n = 0; n < G * T; n++) e0[n] = design.kpi[n] - media[n];
    const sigmaTau = values.sigma_tau?.[0] ?? 1;
    const scales = block.varyingTerms.flatMap((term) => Array.from(values[term.sd]));
    if (!block.evaluate(e0, values.sigma, sigmaTau, state, scales)) throw new Error('linear block: the conditional precision is not positive definite at a kept draw');
    const geo = new Float64Array(block.geoVariables.length);
    const shared = new Float64Array(block.shared);
    const H = block.varyingWidth;
    const varying = new Float64Array(G * H);
    block.draw(state, rng, geo, shared, varying);
    const out: Record<string, number | Float64Array> = { tau0: shared[0] };
    if (block.hierarchical) {
      out.v = Float64Array.from(geo, (tau) => (tau - shared[0]) / sigmaTau);
      if (config.geo.intercept === 'centered') out.tau = geo;
    }
    if (block.fixed) {
      out.tau_offset = geo;
      const tau = new Float64Array(G).fill(shared[0]);
      block.geoVariables.forEach((g, k) => (tau[g] += geo[k]));
      out.tau = tau;
    }
    let h = 0;
    terms.forEach((term, i) => {
      out[term.parameter] = term.parameter === 'delta' ? shared[offsets[i]] : shared.slice(offsets[i], offsets[i] + term.width);
      if (!term.geoVarying) return;
      const width = term.width;
      const perGeo = Float64Array.from({ length: G * width }, (_, j) => varying[Math.floor(j / width) * H + h + (j % width)]);
      const sd = values[term.geoVarying.sd];
      out[`${term.parameter}_geo`] = perGeo;
      out[term.geoVarying.dev] = Float64Array.from(perGeo, (x, j) => (x - shared[offsets[i] + (j % width)]) / sd[j % width]);
      h += width;
    });
    return out;
  };
}

/**
 * Per-channel centering (config geo.media as a map): the listed channels' u[g,c] sampled in the
 * coordinate m_c + eta_c u[g,c] = log beta[g,c], or with a weight w in (0, 1) partially centered,
 * w m_c + eta_c^w u[g,c]. Undefined when no channel is (partially) centered.
 */
export function mediaCentering(config: MmmModelConfig, channelNames: readonly string[], G: number, mediaByGeo: boolean, derivedPrior: boolean): CenteringBlock | undefined {
  const media = config.geo.media;
  if (typeof media !== 'object') return undefined;
  for (const name of Object.keys(media)) {
    if (!channelNames.includes(name)) throw new Error(`model config: geo.media.${name}: no such channel (channels: ${channelNames.join(', ')})`);
  }
  const centered = channelNames.flatMap((name, c) => (centeringWeight(byChannel(media, name)) > 0 ? [c] : []));
  if (centered.length === 0 || !mediaByGeo) return undefined;
  if (derivedPrior) throw new Error(`model config: geo.media: centering channels needs the coefficient prior (m); with ${mediaPriorLabel(config.mediaPrior.type)} m is derived, use non-centered or pooled media effects`);
  const C = channelNames.length;
  const elements = [];
  for (let g = 0; g < G; g++) {
    for (const c of centered) elements.push({ effect: g * C + c, location: c, scale: c, weight: centeringWeight(byChannel(media, channelNames[c])) });
  }
  return { effect: 'u', location: 'm', scale: 'eta', elements };
}
