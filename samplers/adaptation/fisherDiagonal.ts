/**
 * nutpie's diagonal metric estimator (nuts-rs src/transform/adapt/diagonal.rs and
 * src/math/cpu_math.rs; Seyboldt, Carlson & Carpenter 2026, arXiv 2603.18845): over a window of
 * draws, with their gradients,
 *
 *   M^-1_jj = sqrt(Var[x_j] / Var[grad_j]),
 *
 * clamped to [1e-20, 1e20]; where the ratio is not finite or is zero the current value stays. It
 * minimizes the sample Fisher divergence between the rescaled posterior and N(0, I): for a Gaussian
 * with independent coordinates grad_j = -(x_j - mu_j) / s_j^2, so the ratio is s_j^4 and M^-1 is
 * the exact variance s_j^2 from any two distinct draws, and it reacts to scales that are too small
 * as well as too large, where the draws' variance alone sees only the large ones. The sums are
 * Welford's (adaptation/welford.ts), so no draw is stored. Before any draw, M^-1_jj = 1 / |grad_j(x0)|
 * (clamped; 1 where not finite).
 *
 * Several chains may share one window: each chain's draws are then centred on that chain's own mean
 * (the pooled within-chain variance), so chains that have not met add no between-chain spread.
 */
import type { ChainState } from '../state.js';
import { WelfordVariance } from './welford.js';

const LOWER = 1e-20;
const UPPER = 1e20;

/** M^-1 from one point's gradient: 1 / |grad_j| with |grad_j| clamped to [1e-20, 1e20]; 1 where not finite. */
export function inverseMassFromGradient(gradient: Float64Array): Float64Array {
  return Float64Array.from(gradient, (g) => {
    const value = 1 / Math.min(UPPER, Math.max(LOWER, Math.abs(g)));
    return Number.isFinite(value) ? value : 1;
  });
}

/** The chains' initial M^-1: per chain from its gradient, combined by the geometric mean across chains. */
export function initialInverseMassDiag(states: readonly ChainState[]): Float64Array {
  const perChain = states.map((state) => inverseMassFromGradient(state.gradient));
  if (perChain.length === 1) return perChain[0];
  const dim = perChain[0].length;
  const out = new Float64Array(dim);
  for (let j = 0; j < dim; j++) {
    let sum = 0;
    for (const values of perChain) sum += Math.log(values[j]);
    out[j] = Math.exp(sum / perChain.length);
  }
  return out;
}

/** Welford sums of the draws and gradients of one window, for one or several chains. */
export class FisherWindow {
  private readonly draws: WelfordVariance[];
  private readonly gradients: WelfordVariance[];

  constructor(
    readonly dim: number,
    readonly chains: number,
  ) {
    this.draws = Array.from({ length: chains }, () => new WelfordVariance(dim));
    this.gradients = Array.from({ length: chains }, () => new WelfordVariance(dim));
  }

  add(chain: number, position: Float64Array, gradient: Float64Array): void {
    this.draws[chain].add(position);
    this.gradients[chain].add(gradient);
  }

  /** Draws in the window, over all chains. */
  get count(): number {
    return this.draws.reduce((n, w) => n + w.count, 0);
  }

  /** Draws less one mean per chain that has draws: the degrees of freedom of the variances. */
  get degreesOfFreedom(): number {
    return this.draws.reduce((n, w) => n + Math.max(0, w.count - 1), 0);
  }

  /**
   * sqrt(Var x / Var grad) per coordinate, clamped; `current`'s value where the ratio is not finite
   * or zero. Null with fewer than 2 degrees of freedom (nuts-rs: fewer than 3 draws in one chain).
   */
  inverseMassDiag(current: Float64Array): Float64Array | null {
    if (this.degreesOfFreedom < 2) return null;
    const out = Float64Array.from(current);
    const drawSums = this.draws.map((w) => w.sumsOfSquares());
    const gradientSums = this.gradients.map((w) => w.sumsOfSquares());
    for (let j = 0; j < this.dim; j++) {
      let x = 0;
      let g = 0;
      for (let c = 0; c < this.chains; c++) {
        x += drawSums[c][j];
        g += gradientSums[c][j];
      }
      const value = Math.sqrt(x / g);
      if (Number.isFinite(value) && value !== 0) out[j] = Math.min(UPPER, Math.max(LOWER, value));
    }
    return out;
  }
}
