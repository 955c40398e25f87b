/**
 * Welford's online mean and (co)variance (Welford 1962; Stan math's welford_var_estimator and
 * welford_covar_estimator): one pass, numerically stable, float64. The sample (co)variance uses the
 * n - 1 denominator. The covariance is symmetrized on output ((A + A^T) / 2), because the rank-one
 * update (x - mean_new) delta^T is not exactly symmetric in floating point.
 */

export class WelfordVariance {
  private n = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;

  constructor(readonly dim: number) {
    this.mean = new Float64Array(dim);
    this.m2 = new Float64Array(dim);
  }

  get count(): number {
    return this.n;
  }

  add(x: Float64Array): void {
    this.n += 1;
    for (let i = 0; i < this.dim; i++) {
      const delta = x[i] - this.mean[i];
      this.mean[i] += delta / this.n;
      this.m2[i] += (x[i] - this.mean[i]) * delta;
    }
  }

  sampleMean(): Float64Array {
    return Float64Array.from(this.mean);
  }

  /** The sums of squared deviations from the mean (Welford's M2), [dim]: a view, not to be modified. */
  sumsOfSquares(): Float64Array {
    return this.m2;
  }

  /** Sample variance (n - 1 denominator), or null with fewer than two samples. */
  sampleVariance(): Float64Array | null {
    if (this.n < 2) return null;
    const out = new Float64Array(this.dim);
    for (let i = 0; i < this.dim; i++) out[i] = this.m2[i] / (this.n - 1);
    return out;
  }

  reset(): void {
    this.n = 0;
    this.mean.fill(0);
    this.m2.fill(0);
  }
}

export class WelfordCovariance {
  private n = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;
  private readonly delta: Float64Array;

  constructor(readonly dim: number) {
    this.mean = new Float64Array(dim);
    this.m2 = new Float64Array(dim * dim);
    this.delta = new Float64Array(dim);
  }

  get count(): number {
    return this.n;
  }

  add(x: Float64Array): void {
    const dim = this.dim;
    this.n += 1;
    for (let i = 0; i < dim; i++) {
      this.delta[i] = x[i] - this.mean[i];
      this.mean[i] += this.delta[i] / this.n;
    }
    for (let i = 0; i < dim; i++) {
      const residual = x[i] - this.mean[i];
      const row = i * dim;
      for (let j = 0; j < dim; j++) this.m2[row + j] += residual * this.delta[j];
    }
  }

  sampleMean(): Float64Array {
    return Float64Array.from(this.mean);
  }

  /** Symmetrized sample covariance, row-major [dim, dim], or null with fewer than two samples. */
  sampleCovariance(): Float64Array | null {
    if (this.n < 2) return null;
    const dim = this.dim;
    const out = new Float64Array(dim * dim);
    for (let i = 0; i < dim; i++) {
      for (let j = 0; j < dim; j++) {
        out[i * dim + j] = (0.5 * (this.m2[i * dim + j] + this.m2[j * dim + i])) / (this.n - 1);
      }
    }
    return out;
  }

  reset(): void {
    this.n = 0;
    this.mean.fill(0);
    this.m2.fill(0);
  }
}
