/**
 * Sampler statistics per chain, as rows: draws, divergent transitions and iterations that hit the
 * maximum tree depth (Betancourt 2017, "A conceptual introduction to Hamiltonian Monte Carlo",
 * section 6), counted from the per-draw columns the sampler records (`chain`, `divergent__`,
 * `treedepth__`, as stored in draws.arrow).
 */

/** Per chain: draws, divergent transitions, iterations at the maximum tree depth. */
export interface ChainStatsRow {
  readonly chain: number;
  readonly draws: number;
  readonly divergences: number;
  readonly treeDepthSaturated: number;
}

/** Per-draw sampler columns; `divergent` and `treeDepth` may be absent (counted as 0). */
export interface ChainStatsColumns {
  readonly chain: ArrayLike<number>;
  readonly divergent?: ArrayLike<number>;
  readonly treeDepth?: ArrayLike<number>;
}

/** One row per chain, ordered by chain number. */
export function chainStatsRows(columns: ChainStatsColumns, maxTreeDepth: number): ChainStatsRow[] {
  const { chain, divergent, treeDepth } = columns;
  const byChain = new Map<number, { draws: number; divergences: number; treeDepthSaturated: number }>();
  for (let i = 0; i < chain.length; i++) {
    const entry = byChain.get(chain[i]) ?? { draws: 0, divergences: 0, treeDepthSaturated: 0 };
    entry.draws++;
    if (divergent && divergent[i] !== 0) entry.divergences++;
    if (treeDepth && treeDepth[i] >= maxTreeDepth) entry.treeDepthSaturated++;
    byChain.set(chain[i], entry);
  }
  return [...byChain.entries()].sort((a, b) => a[0] - b[0]).map(([c, e]) => ({ chain: c, ...e }));
}
