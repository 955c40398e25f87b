/**
 * The input layout of every diagnostic: one scalar quantity's draws as one Float64Array per chain,
 * all chains the same length (`ChainDraws`). Helpers convert from the flat row-major layouts the
 * samplers produce, and split chains into halves the way R's `posterior` package does
 * (`.split_chains`: with an odd number of draws the middle draw is dropped), as required by
 * split R-hat and split-chain ESS (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021,
 * "Rank-normalization, folding, and localization: an improved R-hat", section 3.1).
 */

/** One scalar quantity's draws: `chains[c][s]` is draw s of chain c. All chains have equal length. */
export type ChainDraws = readonly Float64Array[];

/** Throws unless there is at least one chain and every chain has the same length. */
export function validateChainDraws(chains: ChainDraws, what = 'draws'): void {
  if (chains.length === 0) throw new Error(`${what}: need at least one chain`);
  const length = chains[0].length;
  for (let c = 1; c < chains.length; c++) {
    if (chains[c].length !== length) {
      throw new Error(`${what}: chain ${c} has ${chains[c].length} draws, chain 0 has ${length}`);
    }
  }
}

/** Number of draws per chain. */
export function drawsPerChain(chains: ChainDraws): number {
  return chains.length === 0 ? 0 : chains[0].length;
}

/** Total number of draws over all chains. */
export function totalDraws(chains: ChainDraws): number {
  return chains.length * drawsPerChain(chains);
}

/**
 * Split a flat row-major [chains, draws] array into per-chain arrays (copies).
 * `flat.length` must be a multiple of `chains`.
 */
export function chainDrawsFromRowMajor(flat: ArrayLike<number>, chains: number): ChainDraws {
  if (!Number.isInteger(chains) || chains < 1) throw new Error(`chainDrawsFromRowMajor: bad chain count ${chains}`);
  if (flat.length % chains !== 0) {
    throw new Error(`chainDrawsFromRowMajor: ${flat.length} values do not split into ${chains} chains`);
  }
  const draws = flat.length / chains;
  const out: Float64Array[] = [];
  for (let c = 0; c < chains; c++) {
    const chain = new Float64Array(draws);
    for (let s = 0; s < draws; s++) chain[s] = flat[c * draws + s];
    out.push(chain);
  }
  return out;
}

/**
 * Extract coordinate `index` from a flat row-major [chains, draws, dim] array (e.g. every kept
 * position of a sampler run) as per-chain arrays.
 */
export function parameterDraws(
  flat: ArrayLike<number>,
  shape: { readonly chains: number; readonly draws: number; readonly dim: number },
  index: number,
): ChainDraws {
  const { chains, draws, dim } = shape;
  if (flat.length !== chains * draws * dim) {
    throw new Error(`parameterDraws: expected ${chains * draws * dim} values for [${chains}, ${draws}, ${dim}], got ${flat.length}`);
  }
  if (!Number.isInteger(index) || index < 0 || index >= dim) throw new Error(`parameterDraws: index ${index} outside [0, ${dim})`);
  const out: Float64Array[] = [];
  for (let c = 0; c < chains; c++) {
    const chain = new Float64Array(draws);
    for (let s = 0; s < draws; s++) chain[s] = flat[(c * draws + s) * dim + index];
    out.push(chain);
  }
  return out;
}

/** All draws in one array, chain after chain. */
export function pooledDraws(chains: ChainDraws): Float64Array {
  const out = new Float64Array(totalDraws(chains));
  let offset = 0;
  for (const chain of chains) {
    out.set(chain, offset);
    offset += chain.length;
  }
  return out;
}

/** Apply `f` to every draw, keeping the chain layout. */
export function mapDraws(chains: ChainDraws, f: (value: number) => number): ChainDraws {
  return chains.map((chain) => chain.map(f));
}

/**
 * Split every chain into its first and second half (2C chains of floor(S/2) draws). With an odd S
 * the middle draw is dropped, exactly as `posterior:::.split_chains`; with S = 1 nothing is split.
 * The halves are views (subarrays), not copies.
 */
export function splitChains(chains: ChainDraws): ChainDraws {
  const draws = drawsPerChain(chains);
  if (draws <= 1) return chains;
  const half = Math.floor(draws / 2);
  const secondStart = Math.ceil(draws / 2 + 1) - 1; // R: ceiling(half + 1) in 1-based indexing
  const first = chains.map((chain) => chain.subarray(0, half));
  const second = chains.map((chain) => chain.subarray(secondStart, draws));
  return [...first, ...second];
}

/**
 * `posterior`'s `should_return_NA`: true when any draw is NaN or infinite, or when all draws are
 * equal to within machine epsilon (absolute), so that a diagnostic is undefined.
 */
export function isDegenerate(chains: ChainDraws): boolean {
  if (totalDraws(chains) === 0) return true;
  let min = Infinity;
  let max = -Infinity;
  for (const chain of chains) {
    for (let s = 0; s < chain.length; s++) {
      const value = chain[s];
      if (!Number.isFinite(value)) return true;
      if (value < min) min = value;
      if (value > max) max = value;
    }
  }
  return !(Math.abs(max - min) >= Number.EPSILON);
}
