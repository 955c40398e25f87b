/**
 * The priors block of the kernel, from the parameter table: every parameter with a config or
 * standard normal prior (src/distributions/hostPrior.ts: normalized log density and derivative),
 * summed in table order, then the hierarchical (centered) ones, x ~ N(loc, scale) elementwise with
 * derivatives (-z, z, z^2 - 1) / scale in (x, loc, scale), z = (x - loc) / scale.
 */
import { priorDerivative, priorLogDensity, resolvePrior, standardNormalPrior, type ResolvedPrior } from '../../../src/distributions/index.js';
import type { MmmParameter } from '../components/types.js';
import type { KernelParameters } from './parameters.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

interface Independent {
  readonly input: number;
  readonly size: number;
  readonly prior: ResolvedPrior;
}

interface Hierarchical {
  readonly input: number;
  readonly size: number;
  readonly loc: number;
  readonly scale: number;
  readonly locIndex: Int32Array;
}

export class PriorsBlock {
  private readonly independent: readonly Independent[];
  private readonly hierarchical: readonly Hierarchical[];

  constructor(table: readonly MmmParameter[], private readonly params: KernelParameters) {
    const independent: Independent[] = [];
    const hierarchical: Hierarchical[] = [];
    for (const row of table) {
      const input = params.indexOf(row.name);
      const size = params.sizes[input];
      const prior = row.prior;
      if (prior.kind === 'config') independent.push({ input, size, prior: resolvePrior(prior.spec, row.elementNames, `model config: priors.${row.name}`) });
      else if (prior.kind === 'standardNormal') independent.push({ input, size, prior: standardNormalPrior(size) });
      else hierarchical.push({ input, size, loc: params.indexOf(prior.loc), scale: params.indexOf(prior.scale), locIndex: prior.locIndex });
    }
    this.independent = independent;
    this.hierarchical = hierarchical;
  }

  /** Sum of chain b's prior log densities. */
  forward(b: number): number {
    const p = this.params;
    let total = 0;
    for (const { input, size, prior } of this.independent) {
      for (let j = 0; j < size; j++) total += priorLogDensity(prior, j, p.value(input, b, j));
    }
    for (const h of this.hierarchical) {
      for (let j = 0; j < h.size; j++) {
        const scale = p.value(h.scale, b, h.locIndex[j]);
        const z = (p.value(h.input, b, j) - p.value(h.loc, b, h.locIndex[j])) / scale;
        total += -0.5 * z * z - Math.log(scale) - LOG_SQRT_2PI;
      }
    }
    return total;
  }

  /** Adds upstream x the priors' gradient of chain b to the gradient. */
  backward(b: number, upstream: number): void {
    const p = this.params;
    const grad = p.grad;
    for (const { input, size, prior } of this.independent) {
      for (let j = 0; j < size; j++) grad[p.at(input, b, j)] += upstream * priorDerivative(prior, j, p.value(input, b, j));
    }
    for (const h of this.hierarchical) {
      for (let j = 0; j < h.size; j++) {
        const k = h.locIndex[j];
        const scale = p.value(h.scale, b, k);
        const z = (p.value(h.input, b, j) - p.value(h.loc, b, k)) / scale;
        const bar = (upstream * z) / scale;
        grad[p.at(h.input, b, j)] -= bar;
        grad[p.at(h.loc, b, k)] += bar;
        grad[p.at(h.scale, b, k)] += bar * z - upstream / scale;
      }
    }
  }
}
