/**
 * Constrained posterior draws, by variable: parameters and derived quantities, each stored as one
 * Float64Array laid out [chain, draw, element] (elements row-major, 1-based flat names as Stan).
 */
import type { ChainDraws } from '../diagnostics/index.js';
import { elementCount, flatNames } from './names.js';

export interface PosteriorVariable {
  readonly name: string;
  readonly shape: readonly number[];
  /** 'parameter' for sampled parameters, 'derived' for generated quantities. */
  readonly kind: 'parameter' | 'derived';
  /** [chains, draws, size] row-major. */
  readonly values: Float64Array;
}

export class Posterior {
  private readonly byName = new Map<string, PosteriorVariable>();
  private readonly scalarIndex = new Map<string, { variable: PosteriorVariable; element: number }>();

  constructor(
    readonly chains: number,
    readonly drawsPerChain: number,
    variables: readonly PosteriorVariable[],
  ) {
    for (const variable of variables) this.add(variable);
  }

  add(variable: PosteriorVariable): void {
    const size = elementCount(variable.shape);
    if (variable.values.length !== this.chains * this.drawsPerChain * size) {
      throw new Error(`posterior variable "${variable.name}": ${variable.values.length} values, expected ${this.chains}x${this.drawsPerChain}x${size}`);
    }
    if (this.byName.has(variable.name)) throw new Error(`posterior variable "${variable.name}" defined twice`);
    this.byName.set(variable.name, variable);
    flatNames(variable.name, variable.shape).forEach((flat, element) => this.scalarIndex.set(flat, { variable, element }));
  }

  get variables(): PosteriorVariable[] {
    return [...this.byName.values()];
  }

  has(name: string): boolean {
    return this.byName.has(name) || this.scalarIndex.has(name);
  }

  variable(name: string): PosteriorVariable {
    const variable = this.byName.get(name);
    if (!variable) throw new Error(`posterior has no variable "${name}"`);
    return variable;
  }

  /** Flat scalar names (e.g. `theta[3]`) of every variable, or of one kind. */
  scalarNames(kind?: PosteriorVariable['kind']): string[] {
    const names: string[] = [];
    for (const variable of this.byName.values()) {
      if (kind === undefined || variable.kind === kind) names.push(...flatNames(variable.name, variable.shape));
    }
    return names;
  }

  /** Draws of one scalar, per chain. */
  chainDraws(scalarName: string): ChainDraws {
    const entry = this.scalarIndex.get(scalarName);
    if (!entry) throw new Error(`posterior has no scalar "${scalarName}"`);
    const { variable, element } = entry;
    const size = elementCount(variable.shape);
    const out: Float64Array[] = [];
    for (let c = 0; c < this.chains; c++) {
      const chain = new Float64Array(this.drawsPerChain);
      const base = c * this.drawsPerChain * size;
      for (let d = 0; d < this.drawsPerChain; d++) chain[d] = variable.values[base + d * size + element];
      out.push(chain);
    }
    return out;
  }

  /** All draws of one scalar, chains concatenated. */
  pooled(scalarName: string): Float64Array {
    const chains = this.chainDraws(scalarName);
    const out = new Float64Array(this.chains * this.drawsPerChain);
    chains.forEach((chain, c) => out.set(chain, c * this.drawsPerChain));
    return out;
  }

  /** Values of every variable at one draw (flat arrays), e.g. for derived quantities. */
  drawValues(chain: number, draw: number, kind?: PosteriorVariable['kind']): Record<string, Float64Array> {
    const out: Record<string, Float64Array> = {};
    for (const variable of this.byName.values()) {
      if (kind !== undefined && variable.kind !== kind) continue;
      const size = elementCount(variable.shape);
      const start = (chain * this.drawsPerChain + draw) * size;
      out[variable.name] = variable.values.subarray(start, start + size);
    }
    return out;
  }
}
