/**
 * Rank normalization and folding (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021,
 * "Rank-normalization, folding, and localization: an improved R-hat", section 4.1 (rank
 * normalization) and section 4.2 (folding)). Draws are replaced by z = Phi^-1((r - 3/8) / (S + 1/4)),
 * with r the rank among all S draws of all chains (ties get their average rank) and the Blom
 * offset 3/8, as `posterior::z_scale` does; folding replaces x by |x - median(x)| so that R-hat and
 * ESS of the folded draws look at the spread (tails) rather than the location.
 */
import type { ChainDraws } from './chainDraws.js';
import { pooledDraws } from './chainDraws.js';
import { normalQuantile } from './normalQuantile.js';
import { median } from './quantile.js';

/**
 * 1-based ranks with ties averaged (R's `rank(ties.method = "average")`). NaN values rank after
 * all numbers (R's na.last = TRUE) and the caller is expected to treat them as missing.
 */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => {
    const va = values[a];
    const vb = values[b];
    const aNaN = Number.isNaN(va);
    const bNaN = Number.isNaN(vb);
    if (aNaN || bNaN) return aNaN === bNaN ? a - b : aNaN ? 1 : -1;
    return va < vb ? -1 : va > vb ? 1 : a - b;
  });
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    let end = start;
    const value = values[order[start]];
    if (!Number.isNaN(value)) {
      while (end + 1 < n && values[order[end + 1]] === value) end++;
    }
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]] = rank;
    start = end + 1;
  }
  return ranks;
}

/**
 * Rank-normalize draws jointly over all chains (`posterior::z_scale` with c = 3/8), keeping the
 * chain layout. NaN draws stay NaN.
 */
export function rankNormalize(chains: ChainDraws): ChainDraws {
  const pooled = pooledDraws(chains);
  const ranks = averageRanks(pooled);
  const count = pooled.length;
  const offset = 3 / 8;
  const denominator = count - 2 * offset + 1;
  const out: Float64Array[] = [];
  let index = 0;
  for (const chain of chains) {
    const z = new Float64Array(chain.length);
    for (let s = 0; s < chain.length; s++, index++) {
      z[s] = Number.isNaN(pooled[index]) ? NaN : normalQuantile((ranks[index] - offset) / denominator);
    }
    out.push(z);
  }
  return out;
}

/** Fold draws around the median of all draws: |x - median(x)| (`posterior::fold_draws`). */
export function foldDraws(chains: ChainDraws): ChainDraws {
  const center = median(pooledDraws(chains));
  return chains.map((chain) => chain.map((value) => Math.abs(value - center)));
}
