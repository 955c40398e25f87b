/**
 * Sampler-level health counts for NUTS/HMC runs (Stan Reference Manual, "Divergent transitions"
 * and "Maximum tree depth"; Betancourt 2017, "A conceptual introduction to Hamiltonian Monte
 * Carlo", section 6): the number of divergent transitions, and the number of iterations whose
 * trajectory stopped at the maximum tree depth (a sign of a poorly adapted step size or metric
 * rather than of bias, but it also caps exploration).
 */

/** Per-chain and total counts of flagged iterations. */
export interface ChainCounts {
  readonly perChain: readonly number[];
  readonly total: number;
  /** total / number of iterations over all chains (NaN when there are none). */
  readonly fraction: number;
}

function countWhere(chains: readonly ArrayLike<number | boolean>[], flagged: (value: number | boolean) => boolean): ChainCounts {
  const perChain: number[] = [];
  let total = 0;
  let iterations = 0;
  for (const chain of chains) {
    let count = 0;
    for (let s = 0; s < chain.length; s++) if (flagged(chain[s])) count++;
    perChain.push(count);
    total += count;
    iterations += chain.length;
  }
  return { perChain, total, fraction: iterations === 0 ? NaN : total / iterations };
}

/** Count divergent transitions; each chain's flags are booleans or 0/1 numbers (non-zero = divergent). */
export function countDivergences(divergent: readonly ArrayLike<number | boolean>[]): ChainCounts {
  return countWhere(divergent, (value) => value === true || (typeof value === 'number' && value !== 0));
}

/** Count iterations whose tree depth reached `maxTreeDepth` (depth >= maxTreeDepth). */
export function countTreeDepthSaturation(treeDepth: readonly ArrayLike<number>[], maxTreeDepth: number): ChainCounts {
  if (!(maxTreeDepth >= 0)) throw new Error(`countTreeDepthSaturation: bad maxTreeDepth ${maxTreeDepth}`);
  return countWhere(treeDepth, (value) => (value as number) >= maxTreeDepth);
}
