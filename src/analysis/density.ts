/**
 * Kernel density estimates for density charts: a Gaussian kernel with Silverman's rule-of-thumb
 * bandwidth h = 0.9 min(sd, IQR / 1.34) n^(-1/5) (Silverman 1986, "Density Estimation for
 * Statistics and Data Analysis", section 3.4.2, eq. 3.31), evaluated on an even grid. Draws of a
 * bounded quantity (a decay rate in (0, 1), a positive scale) are reflected at the bounds (Silverman
 * 1986, section 2.10) so the estimate neither leaks past a bound nor dips next to it.
 */
import { quantileOfSorted, sd } from '../diagnostics/index.js';

export interface DensityPoint {
  readonly value: number;
  readonly density: number;
}

export interface DensityOptions {
  /** Grid points (default 80). */
  readonly points?: number;
  /** Grid range (default: the central 99% of the draws widened by 3 bandwidths, clipped to the bounds). */
  readonly from?: number;
  readonly to?: number;
  /** Support bounds (reflection); default unbounded. */
  readonly lower?: number;
  readonly upper?: number;
  /** Bandwidth (default Silverman's rule). */
  readonly bandwidth?: number;
  /** Evaluate at these values instead of an even grid. */
  readonly grid?: readonly number[];
}

/** Silverman's rule-of-thumb bandwidth of sorted finite values (a small positive number for constant data). */
export function silvermanBandwidth(sorted: Float64Array): number {
  const n = sorted.length;
  const spread = sd(sorted);
  const iqr = quantileOfSorted(sorted, 0.75) - quantileOfSorted(sorted, 0.25);
  let scale = Math.min(spread, iqr / 1.34);
  if (!(scale > 0)) scale = spread > 0 ? spread : Math.max(Math.abs(sorted[0]) * 1e-3, 1e-9);
  return 0.9 * scale * Math.pow(n, -0.2);
}

/** The finite values, sorted ascending. */
export function finiteSorted(values: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) out.push(values[i]);
  return Float64Array.from(out).sort();
}

/** Default grid range of a density: central 99% of the draws, widened by 3 bandwidths, clipped to the bounds. */
export function densityRange(sorted: Float64Array, bandwidth: number, lower = -Infinity, upper = Infinity): [number, number] {
  const from = Math.max(lower, quantileOfSorted(sorted, 0.005) - 3 * bandwidth);
  const to = Math.min(upper, quantileOfSorted(sorted, 0.995) + 3 * bandwidth);
  return [from, to];
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Gaussian KDE of the finite values on an even grid; integrates to about 1 over the support. */
export function kernelDensity(values: ArrayLike<number>, options: DensityOptions = {}): DensityPoint[] {
  const sorted = finiteSorted(values);
  const n = sorted.length;
  if (n === 0) return [];
  const points = options.points ?? 80;
  if (!(Number.isInteger(points) && points >= 2)) throw new Error(`kernelDensity: points must be an integer >= 2, got ${points}`);
  const lower = options.lower ?? -Infinity;
  const upper = options.upper ?? Infinity;
  const h = options.bandwidth ?? silvermanBandwidth(sorted);
  const [defaultFrom, defaultTo] = densityRange(sorted, h, lower, upper);
  const from = options.from ?? defaultFrom;
  const to = options.to ?? defaultTo;
  const grid = options.grid ?? Array.from({ length: points }, (_, p) => from + ((to - from) * p) / (points - 1));
  const out: DensityPoint[] = [];
  const reach = 8 * h;
  for (const x of grid) {
    let total = 0;
    // only draws within 8 bandwidths matter (binary search for the window)
    for (let i = lowerIndex(sorted, x - reach); i < n && sorted[i] <= x + reach; i++) total += kernel((x - sorted[i]) / h);
    if (Number.isFinite(lower)) for (let i = 0; i < n && sorted[i] <= lower + reach; i++) total += kernel((x - (2 * lower - sorted[i])) / h);
    if (Number.isFinite(upper)) for (let i = n - 1; i >= 0 && sorted[i] >= upper - reach; i--) total += kernel((x - (2 * upper - sorted[i])) / h);
    out.push({ value: x, density: total / (n * h) });
  }
  return out;
}

function kernel(z: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
}

function lowerIndex(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
