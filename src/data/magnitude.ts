/**
 * The range of magnitudes the data may have. Mixwell scales every column to about 1 before the
 * model sees it, so a KPI around 1e9 or 1e-3 and spend in cents or in billions fit alike; but the
 * loader, the scaling and the reported numbers still form sums, squares and ratios of the
 * original values (the column means and sample sds, the KPI unit in the log-likelihood, ROI = KPI
 * units per unit of spend), and in doubles these overflow to Infinity, or underflow to 0 and turn
 * into NaN, once the values leave about 1e-150 .. 1e150. The data must therefore stay within
 * 1e-100 .. 1e100 in magnitude (any unit of any real data does, with room for 1e6 cells and the
 * ratio of two columns): a larger number is an error at its cell, a column whose every nonzero
 * value is smaller an error at the column, each saying to express the column in other units. Zeros
 * are always allowed.
 */

/** The largest magnitude a number of the data may have. */
export const MAX_MAGNITUDE = 1e100;

/** The smallest largest-magnitude a column may have (unless it is all zeros). */
export const MIN_MAGNITUDE = 1e-100;

/** The message for a cell beyond MAX_MAGNITUDE. */
export function tooLargeMessage(roleLabel: string, value: number): string {
  return `${roleLabel} is ${value}, beyond 1e100 in magnitude: sums, squares and ratios of such numbers overflow; express the column in larger units (e.g. divide it by 1e6 and read the results in those units)`;
}

/** The message for a column whose every nonzero value is below MIN_MAGNITUDE. */
export function tooSmallMessage(roleLabel: string, largest: number): string {
  return `${roleLabel} is at most ${largest} in magnitude, below 1e-100: squares and ratios of such numbers underflow to 0; express the column in smaller units (e.g. multiply it by 1e6 and read the results in those units)`;
}
