/**
 * Posterior intervals of a quantity from its draws: mean, median and the central 50% and 90%
 * intervals (type-7 quantiles, Hyndman & Fan 1996, as src/diagnostics `quantileOfSorted`). The
 * analysis rows carry only the 90% interval; charts that show both read the draws through this.
 */
import { mean, quantileOfSorted } from '../diagnostics/index.js';

export interface IntervalSummary {
  readonly mean: number;
  readonly median: number;
  readonly q05: number;
  readonly q25: number;
  readonly q75: number;
  readonly q95: number;
}

/** Intervals of the finite values among `values` (all NaN when there are none). */
export function intervalSummary(values: ArrayLike<number>): IntervalSummary {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite.push(values[i]);
  if (finite.length === 0) return { mean: NaN, median: NaN, q05: NaN, q25: NaN, q75: NaN, q95: NaN };
  const sorted = Float64Array.from(finite).sort();
  return {
    mean: mean(sorted),
    median: quantileOfSorted(sorted, 0.5),
    q05: quantileOfSorted(sorted, 0.05),
    q25: quantileOfSorted(sorted, 0.25),
    q75: quantileOfSorted(sorted, 0.75),
    q95: quantileOfSorted(sorted, 0.95),
  };
}

/** Column `c` of a row-major [D, C] array. */
export function column(values: ArrayLike<number>, columns: number, c: number): Float64Array {
  const rows = Math.floor(values.length / columns);
  return Float64Array.from({ length: rows }, (_, d) => values[d * columns + c]);
}
