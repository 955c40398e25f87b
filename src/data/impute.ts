/**
 * Explicit imputation of missing cells in one geo's time series. Only used when the caller names
 * a method for a column; every imputed cell is recorded in the provenance.
 * - "zero": 0.
 * - "mean": the mean of the geo's observed values of that column.
 * - "linear": straight line between the nearest observed neighbours in time; before the first or
 *   after the last observed value, that value is carried (no extrapolation of a slope).
 */
import type { ImputeMethod } from './types.js';

/**
 * Values for the missing positions of `series` (other positions are copied). Returns undefined
 * when every value is missing and the method needs observed values ("mean", "linear").
 */
export function imputeSeries(series: Float64Array, missing: Uint8Array, method: ImputeMethod): Float64Array | undefined {
  const T = series.length;
  const out = Float64Array.from(series);
  const observed: number[] = [];
  for (let t = 0; t < T; t++) if (!missing[t]) observed.push(t);
  if (method === 'zero') {
    for (let t = 0; t < T; t++) if (missing[t]) out[t] = 0;
    return out;
  }
  if (observed.length === 0) return undefined;
  if (method === 'mean') {
    let sum = 0;
    for (const t of observed) sum += series[t];
    const mean = sum / observed.length;
    for (let t = 0; t < T; t++) if (missing[t]) out[t] = mean;
    return out;
  }
  // linear
  let k = 0; // index into observed of the next observed position >= t
  for (let t = 0; t < T; t++) {
    while (k < observed.length && observed[k] < t) k++;
    if (!missing[t]) continue;
    const next = k < observed.length ? observed[k] : undefined;
    const prev = k > 0 ? observed[k - 1] : undefined;
    if (prev === undefined) out[t] = series[next as number];
    else if (next === undefined) out[t] = series[prev];
    else out[t] = series[prev] + ((series[next] - series[prev]) * (t - prev)) / (next - prev);
  }
  return out;
}
