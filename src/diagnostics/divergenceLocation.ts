/**
 * Where divergent transitions concentrate: for each coordinate, how far the mean of the draws of
 * divergent transitions lies from the mean of all draws, in posterior standard deviations. The
 * numeric form of the pairs-plot check of Betancourt (2017, "A Conceptual Introduction to
 * Hamiltonian Monte Carlo", section 6.2; Gabry et al. 2019, "Visualization in Bayesian workflow",
 * section 4): divergences piling up at one end of a scale parameter point to a funnel there. As in
 * Stan's output, a divergent transition's draw is the point the transition kept, not the point
 * where the energy error blew up.
 */

export interface DivergenceShift {
  /** Coordinate index. */
  readonly index: number;
  /** (mean over divergent draws - mean over all draws) / sd over all draws. */
  readonly shift: number;
}

/**
 * Shifts of every coordinate, largest |shift| first; empty when no draw is divergent.
 * `draws`: per chain, row-major [numDraws, dim]; `divergent`: per chain, one flag per draw.
 */
export function divergenceShifts(draws: readonly Float64Array[], divergent: readonly ArrayLike<number>[], dim: number): DivergenceShift[] {
  if (draws.length !== divergent.length) throw new Error(`divergenceShifts: ${draws.length} chains of draws but ${divergent.length} of flags`);
  const sum = new Float64Array(dim);
  const sumSquares = new Float64Array(dim);
  const divergentSum = new Float64Array(dim);
  let count = 0;
  let divergentCount = 0;
  draws.forEach((chain, k) => {
    const rows = chain.length / dim;
    if (divergent[k].length !== rows) throw new Error(`divergenceShifts: chain ${k} has ${rows} draws but ${divergent[k].length} flags`);
    for (let t = 0; t < rows; t++) {
      const isDivergent = divergent[k][t] !== 0;
      for (let d = 0; d < dim; d++) {
        const x = chain[t * dim + d];
        sum[d] += x;
        sumSquares[d] += x * x;
        if (isDivergent) divergentSum[d] += x;
      }
      count += 1;
      if (isDivergent) divergentCount += 1;
    }
  });
  if (divergentCount === 0) return [];
  const shifts: DivergenceShift[] = [];
  for (let d = 0; d < dim; d++) {
    const mean = sum[d] / count;
    const variance = Math.max(0, (sumSquares[d] - count * mean * mean) / (count - 1));
    const sd = Math.sqrt(variance);
    const shift = sd > 0 ? (divergentSum[d] / divergentCount - mean) / sd : 0;
    shifts.push({ index: d, shift });
  }
  return shifts.sort((a, b) => Math.abs(b.shift) - Math.abs(a.shift) || a.index - b.index);
}
