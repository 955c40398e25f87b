/**
 * The kernel's parameter buffer: every input (a parameter of the table, ../parameters.ts) for a batch
 * of B chains, input-major: input i's block is [B, size_i] row-major at B * offset_i, and the
 * gradient has the same layout (the HostKernel contract of src/ppl/hostKernel.ts). Sized for the
 * chain count and reused, so a call allocates nothing once the chain count is steady.
 */
export class KernelParameters {
  readonly offsets: readonly number[];
  /** Elements per chain over all inputs. */
  readonly width: number;
  B = 0;
  values = new Float64Array(0);
  grad = new Float64Array(0);
  private readonly byName: Map<string, number>;

  constructor(
    readonly names: readonly string[],
    readonly sizes: readonly number[],
  ) {
    const offsets: number[] = [];
    let width = 0;
    for (const size of sizes) {
      offsets.push(width);
      width += size;
    }
    this.offsets = offsets;
    this.width = width;
    this.byName = new Map(names.map((name, i) => [name, i]));
  }

  /** Input index of a parameter, or -1 when the model has none of that name. */
  indexOf(name: string): number {
    return this.byName.get(name) ?? -1;
  }

  /** Position of input i's element j for chain b (in values and grad). */
  at(i: number, b: number, j: number): number {
    return this.B * this.offsets[i] + b * this.sizes[i] + j;
  }

  value(i: number, b: number, j: number): number {
    return this.values[this.B * this.offsets[i] + b * this.sizes[i] + j];
  }

  resize(chains: number): void {
    if (chains === this.B) return;
    this.B = chains;
    this.values = new Float64Array(chains * this.width);
    this.grad = new Float64Array(chains * this.width);
  }

  /** Copy inputs values[i] ([chains, size_i]) in, checking their lengths. */
  load(name: string, values: readonly ArrayLike<number>[], chains: number): void {
    if (values.length !== this.names.length) {
      throw new Error(`${name}: expected ${this.names.length} inputs (${this.names.join(', ')}), got ${values.length}`);
    }
    this.resize(chains);
    for (let i = 0; i < values.length; i++) {
      const source = values[i];
      const size = chains * this.sizes[i];
      if (source.length !== size) throw new Error(`${name}: input "${this.names[i]}" has ${source.length} values, expected ${size}`);
      const base = chains * this.offsets[i];
      for (let j = 0; j < size; j++) this.values[base + j] = source[j];
    }
  }
}
