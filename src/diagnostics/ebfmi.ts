/**
 * Energy Bayesian fraction of missing information (E-BFMI) per chain (Betancourt 2016, "Diagnosing
 * suboptimal cotangent disintegrations in Hamiltonian Monte Carlo", arXiv:1604.00695, the empirical
 * energy BFMI estimator;
 * Stan Reference Manual, "Energy diagnostic"):
 *
 *   E-BFMI = sum_{s=1}^{S-1} (E_s - E_{s-1})^2 / sum_{s=0}^{S-1} (E_s - mean E)^2,
 *
 * i.e. the mean squared energy change between successive iterations over S times the energy
 * variance with denominator S. (rstan's `get_bfmi` divides by the n - 1 variance instead, giving a
 * value smaller by the factor (S - 1) / S.) Values below 0.3 indicate that momentum resampling
 * explores the energy distribution poorly.
 */
import type { ChainDraws } from './chainDraws.js';
import { mean } from './moments.js';

/** Stan's warning threshold for E-BFMI. */
export const EBFMI_WARNING_THRESHOLD = 0.3;

/** E-BFMI of one chain's energy series (the Hamiltonian at each kept iteration). NaN if S < 2. */
export function ebfmiOfChain(energy: ArrayLike<number>): number {
  const n = energy.length;
  if (n < 2) return NaN;
  let squaredChanges = 0;
  for (let s = 1; s < n; s++) {
    const change = energy[s] - energy[s - 1];
    squaredChanges += change * change;
  }
  const center = mean(energy);
  let squaredDeviations = 0;
  for (let s = 0; s < n; s++) {
    const deviation = energy[s] - center;
    squaredDeviations += deviation * deviation;
  }
  return squaredChanges / squaredDeviations;
}

/** E-BFMI of every chain. */
export function ebfmi(energy: ChainDraws): Float64Array {
  return Float64Array.from(energy, (chain) => ebfmiOfChain(chain));
}

/** Indices of chains whose E-BFMI is below `threshold` (default 0.3). */
export function lowEbfmiChains(values: ArrayLike<number>, threshold = EBFMI_WARNING_THRESHOLD): number[] {
  const out: number[] = [];
  for (let c = 0; c < values.length; c++) if (values[c] < threshold) out.push(c);
  return out;
}
