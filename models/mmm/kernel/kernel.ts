/**
 * The geo MMM's production log density: one host kernel (src/ppl/hostKernel.ts) that evaluates the
 * likelihood, every prior and the lift tests in float64 host loops, batched over chains, with the
 * hand-derived gradient, assembled from the components' kernel blocks:
 *
 *   forward (per chain):  media (adstock, saturation, coefficients)       media.ts
 *                         mean = tau_g + time terms + cell terms          components/intercepts.ts, linearTerms.ts
 *                              + sum_c beta h                             media.ts
 *                         per-geo log likelihood                          components/likelihood.ts
 *                         priors                                          priors.ts
 *                         lift tests                                      lift.ts
 *   backward (per chain): likelihood -> mean bar; lift tests; intercepts and linear terms from the
 *                         mean bar; media (folding in the lift tests' part); priors added last.
 *
 * With the linear block integrated out (components/linearBlock.ts), the intercepts', linear terms'
 * and likelihood's blocks are one: the marginal likelihood given the media term M = sum_c beta h,
 * whose backward gives the mean's bar and sigma's (each sigma_g's with one per geo) and sigma_tau's
 * gradients.
 *
 * Inputs are the parameter table's sampled parameters in order (../parameters.ts), constrained;
 * outputs per chain are the G per-geo log likelihoods (one marginal log likelihood when integrated),
 * then the priors' sum, then (with experiments) the lift tests' log density. Model: shared/reference-model.md with the options of ../config.ts; tested
 * against the float64 reference density (../referenceDensity.ts) and finite differences.
 */
import { checkRfChannels } from '../components/transformKinds.js';
import type { HostKernel } from '../../../src/ppl/index.js';
import type { MmmModelConfig } from '../config.js';
import { designDims, type MmmDesign } from '../design.js';
import { InterceptsBlock } from '../components/intercepts.js';
import { IntegratedLikelihoodBlock, LinearBlock } from '../components/linearBlock.js';
import { LikelihoodBlock } from '../components/likelihood.js';
import { LinearTermsBlock, linearTerms } from '../components/linearTerms.js';
import type { MmmParameter } from '../components/types.js';
import { sampledParameters } from '../parameters.js';
import { liftCells, resolveLiftTests } from '../liftTests.js';
import { elementCount } from '../../../src/ppl/index.js';
import { LiftBlock } from './lift.js';
import { MediaBlock } from './media.js';
import { KernelParameters } from './parameters.js';
import { PriorsBlock } from './priors.js';

export interface MmmKernel extends HostKernel {
  readonly table: readonly MmmParameter[];
  /** Output column of the priors' sum, and of the lift tests' log density (-1 without experiments). */
  readonly priorColumn: number;
  readonly liftColumn: number;
  readonly media: MediaBlock;
  /** The integrated linear block, when the model integrates it out. */
  readonly linearBlock?: LinearBlock;
}

export interface MmmKernelOptions {
  /** Use the media block's fused fast path where it applies (default true; tests compare both). */
  readonly fastPaths?: boolean;
}

export function createMmmKernel(design: MmmDesign, config: MmmModelConfig, table: readonly MmmParameter[], options: MmmKernelOptions = {}): MmmKernel {
  const { geos: G, periods: T, channels: C } = designDims(design);
  checkRfChannels(config, design.channelNames, design.channelKinds);
  const N = G * T;
  const name = `geo MMM kernel (${G}x${T}x${C})`;
  const sampled = sampledParameters(table);
  const integrated = sampled.length < table.length;
  const params = new KernelParameters(sampled.map((p) => p.name), sampled.map((p) => elementCount(p.shape)));
  const media = new MediaBlock(design, config, table, params, G, T, C, options.fastPaths ?? true);
  const terms = linearTerms(design, config);
  const intercepts = integrated ? undefined : new InterceptsBlock(design, config, params, G);
  const linear = integrated ? undefined : new LinearTermsBlock(terms, params, G, T);
  const likelihood = integrated ? undefined : new LikelihoodBlock(design, config, params, G, T);
  const marginal = integrated ? new IntegratedLikelihoodBlock(new LinearBlock(design, terms, table), params) : undefined;
  const priors = new PriorsBlock(sampled, params);
  const tests = resolveLiftTests(design, config);
  const lift = tests ? new LiftBlock(liftCells(design, tests, config.adstock.maxLag), media, G, C) : undefined;
  const likelihoodColumns = integrated ? 1 : G;
  const priorColumn = likelihoodColumns;
  const liftColumn = lift ? likelihoodColumns + 1 : -1;
  const P = likelihoodColumns + 1 + (lift ? 1 : 0);

  let B = 0;
  let out = new Float64Array(0);
  let ready = false;
  const mean = new Float64Array(N);
  const meanBar = new Float64Array(N);
  const season = new Float64Array(T);
  const geoBar = new Float64Array(G);

  function resize(chains: number): void {
    if (chains === B) return;
    B = chains;
    out = new Float64Array(B * P);
    media.resize(B);
    likelihood?.resize(B);
    marginal?.resize(B);
    lift?.resize(B);
  }

  function forward(values: readonly ArrayLike<number>[], chains: number): Float64Array {
    params.load(name, values, chains);
    resize(chains);
    for (let b = 0; b < B; b++) {
      media.forward(b);
      if (marginal) {
        mean.fill(0);
        media.addToMean(b, mean);
        marginal.forward(b, mean, out, b * P);
      } else {
        (linear as LinearTermsBlock).timeSeries(b, season);
        for (let g = 0; g < G; g++) {
          const intercept = (intercepts as InterceptsBlock).value(b, g);
          for (let t = 0; t < T; t++) mean[g * T + t] = intercept + season[t];
        }
        (linear as LinearTermsBlock).addCells(b, mean);
        media.addToMean(b, mean);
        (likelihood as LikelihoodBlock).forward(b, mean, out, b * P);
      }
      out[b * P + priorColumn] = priors.forward(b);
      if (lift) out[b * P + liftColumn] = lift.forward(b);
    }
    ready = true;
    return out;
  }

  function backward(dy: ArrayLike<number>): Float64Array {
    if (!ready) throw new Error(`${name}: backward called before forward`);
    if (dy.length !== B * P) throw new Error(`${name}: dy has ${dy.length} values, expected ${B * P}`);
    params.grad.fill(0);
    for (let b = 0; b < B; b++) {
      if (marginal) marginal.backward(b, dy[b * P], meanBar);
      else (likelihood as LikelihoodBlock).backward(b, dy, b * P, meanBar, geoBar);
      const liftGradient = lift ? lift.backward(b, dy[b * P + liftColumn]) : undefined;
      if (!marginal) {
        (intercepts as InterceptsBlock).backward(b, geoBar);
        (linear as LinearTermsBlock).backward(b, meanBar);
      }
      media.backward(b, meanBar, liftGradient);
      priors.backward(b, dy[b * P + priorColumn]);
    }
    return params.grad;
  }

  return { name, table, inputNames: params.names, inputSizes: params.sizes, outputWidth: P, priorColumn, liftColumn, media, linearBlock: marginal?.block, forward, backward };
}
