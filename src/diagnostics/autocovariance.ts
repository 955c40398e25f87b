/**
 * Autocovariance of one chain, the "biased" estimator with denominator n recommended by Geyer
 * (1992): acov(t) = (1/n) sum_{i < n - t} (x_i - xbar)(x_{i+t} - xbar). It feeds the multi-chain
 * autocorrelation of the ESS estimator (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021,
 * "Rank-normalization, folding, and localization: an improved R-hat", section 3.2;
 * Stan Reference Manual, "Effective sample size"). `posterior` computes the same numbers by FFT;
 * here lags are computed directly and only as far as the ESS estimator asks for them, which is exact
 * and costs O(n) per lag.
 */
import { mean } from './moments.js';

/** Lazily evaluated mean autocovariance over several equal-length chains. */
export class MeanAutocovariance {
  private readonly centered: Float64Array[];
  private readonly length: number;
  private readonly cache = new Map<number, number>();

  constructor(chains: readonly Float64Array[]) {
    this.length = chains.length === 0 ? 0 : chains[0].length;
    this.centered = chains.map((chain) => {
      const center = mean(chain);
      return chain.map((value) => value - center);
    });
  }

  /** Mean over chains of acov_c(lag), 0 <= lag < n. */
  at(lag: number): number {
    const cached = this.cache.get(lag);
    if (cached !== undefined) return cached;
    let total = 0;
    for (const chain of this.centered) total += autocovarianceOfCentered(chain, lag);
    const value = total / this.centered.length;
    this.cache.set(lag, value);
    return value;
  }

  get drawsPerChain(): number {
    return this.length;
  }
}

function autocovarianceOfCentered(centered: Float64Array, lag: number): number {
  const n = centered.length;
  let sum = 0;
  for (let i = 0; i + lag < n; i++) sum += centered[i] * centered[i + lag];
  return sum / n;
}

/** Autocovariances of one chain at lags 0..maxLag (denominator n). */
export function autocovariance(chain: ArrayLike<number>, maxLag = chain.length - 1): Float64Array {
  const center = mean(chain);
  const centered = Float64Array.from(chain, (value) => value - center);
  const lags = Math.min(maxLag, centered.length - 1) + 1;
  const out = new Float64Array(Math.max(lags, 0));
  for (let lag = 0; lag < out.length; lag++) out[lag] = autocovarianceOfCentered(centered, lag);
  return out;
}
