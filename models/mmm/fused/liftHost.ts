/**
 * The lift-test term of the fused geo-MMM kernel (likelihoodHost.ts) in float64 host loops, with its
 * hand-derived vector-Jacobian product. The term is models/mmm/liftTests.ts's; per chain, over the
 * cells i of liftCells (a listed geo g_i and measured period of an experiment on channel c_i) and the
 * observations o (a measured total or one period's lift):
 *
 *   a_i^X = sum_l w[c_i, l] x^X[i, l]          X = test, control (lagged media of the two conditions)
 *   h_i^X = sat_c(a_i^X)                        as likelihoodHost.ts: Hill sigmoid(s (log a - log k)) with
 *                                               a floored at 1e-300, Michaelis-Menten a / (a + k), logistic
 *                                               tanh(lambda a / 2); 0 where the whole window is zero
 *   r_o   = sum_{i in o} omega_i beta[g_i, c_i] (h_i^test - h_i^control)     omega_i = kpiUnit[g_i] / se_o
 *   z_o   = y_o / se_o - r_o
 *   lp_o  = const_o - z_o^2 / 2  (Normal),  const_o - (df_o + 1) / 2 log1p(z_o^2 / df_o)  (Student-t)
 *
 * Backward for upstream dy (x bar = d(dy sum_o lp_o) / dx):
 *   r bar_o = dy z_o (Normal), dy (df + 1) z_o / (df + z_o^2) (Student-t)   [d lp / d r = -d lp / d z]
 *   beta bar[g_i, c_i] += r bar_o omega_i (h_i^test - h_i^control);   h bar_i^test = r bar_o omega_i beta = -h bar_i^control
 *   saturation, per condition: Hill with D = h bar h (1 - h): a bar = D s / a, k bar -= D s / k, s bar += D (log a - log k);
 *     Michaelis-Menten with D = h bar / (a + k)^2: a bar = D k, k bar -= D a; logistic with D = h bar (1 - h^2) / 2:
 *     a bar = D lambda, lambda bar += D a
 *   w bar[c_i, l] += a bar_i^X x^X[i, l]
 * The caller turns beta bar into the coefficient parameters' gradients (through its log-beta path, so
 * the ROI prior's derived m is included) and w bar into the adstock parameters' (softmax rule).
 */
import type { SaturationType } from '../transforms.js';
import type { LiftCells } from '../liftTests.js';

/** Adstock below this in an active cell (only from underflow or rounding) is raised to it, as likelihoodHost.ts. */
const ADSTOCK_FLOOR = 1e-300;

export interface LiftHostGradient {
  /** [G, C] d/d beta of the chain (accumulated by the caller into its log-beta gradient). */
  readonly betaBar: Float64Array;
  /** [C, L] d/d adstock weight. */
  readonly weightBar: Float64Array;
  /** [C] d/d k (Hill, Michaelis-Menten), d/d s (free Hill slope), d/d lambda (logistic). */
  readonly kBar: Float64Array;
  readonly slopeBar: Float64Array;
  readonly lambdaBar: Float64Array;
}

export interface LiftHost {
  readonly cells: LiftCells;
  /** Sets chain b's saturation parameters of channel c (before its forward; kept for its backward). */
  setSaturation(b: number, c: number, k: number, slope: number, lambda: number): void;
  resize(chains: number): void;
  /**
   * Sum of the observations' log densities of chain b, from the adstock weights weights[(b C + c) L + l]
   * and the coefficients beta[(b G + g) C + c]. Keeps what backward needs.
   */
  forward(b: number, weights: Float64Array, beta: Float64Array): number;
  /** The VJP of chain b's last forward for upstream dy, into a scratch gradient (valid until the next call). */
  backward(b: number, upstream: number, beta: Float64Array): LiftHostGradient;
}

export function createLiftHost(cells: LiftCells, dims: { geos: number; channels: number }, saturationType: SaturationType, freeSlope: boolean): LiftHost {
  const G = dims.geos;
  const C = dims.channels;
  const L = cells.maxLag;
  const M = cells.cellCount;
  const O = cells.observationCount;
  const { channel, geo, observation, weight, laggedTest, laggedControl, activeTest, activeControl, scaledValue, studentT, df, logNormalizer } = cells;
  let B = 0;
  let kOf = new Float64Array(0); // [B, C]
  let slopeOf = new Float64Array(0);
  let lambdaOf = new Float64Array(0);
  let adstocked = new Float64Array(0); // [B, 2, M]: test, control
  let saturated = new Float64Array(0); // [B, 2, M]
  let score = new Float64Array(0); // [B, O]: d lp_o / d r_o
  const implied = new Float64Array(O);
  const gradient: LiftHostGradient = {
    betaBar: new Float64Array(G * C),
    weightBar: new Float64Array(C * L),
    kBar: new Float64Array(C),
    slopeBar: new Float64Array(C),
    lambdaBar: new Float64Array(C),
  };

  function resize(chains: number): void {
    if (chains === B) return;
    B = chains;
    adstocked = new Float64Array(B * 2 * M);
    saturated = new Float64Array(B * 2 * M);
    score = new Float64Array(B * O);
    kOf = new Float64Array(B * C);
    slopeOf = new Float64Array(B * C);
    lambdaOf = new Float64Array(B * C);
  }

  function setSaturation(b: number, c: number, k: number, slope: number, lambda: number): void {
    kOf[b * C + c] = k;
    slopeOf[b * C + c] = slope;
    lambdaOf[b * C + c] = lambda;
  }

  function saturate(j: number, a: number): number {
    if (saturationType === 'logistic') return Math.tanh(0.5 * lambdaOf[j] * a);
    if (saturationType === 'michaelisMenten') return a / (a + kOf[j]);
    return 1 / (1 + Math.exp(slopeOf[j] * (Math.log(kOf[j]) - Math.log(a))));
  }

  function forward(b: number, weights: Float64Array, beta: Float64Array): number {
    implied.fill(0);
    for (let i = 0; i < M; i++) {
      const c = channel[i];
      const weightBase = (b * C + c) * L;
      let h = 0;
      for (let condition = 0; condition < 2; condition++) {
        const lagged = condition === 0 ? laggedTest : laggedControl;
        const active = condition === 0 ? activeTest[i] : activeControl[i];
        let a = 0;
        for (let l = 0; l < L; l++) a += weights[weightBase + l] * lagged[i * L + l];
        let value = 0;
        if (active !== 0) {
          if (saturationType === 'hill' && !(a > ADSTOCK_FLOOR)) a = ADSTOCK_FLOOR;
          value = saturate(b * C + c, a);
        }
        const j = (b * 2 + condition) * M + i;
        adstocked[j] = a;
        saturated[j] = value;
        h += condition === 0 ? value : -value;
      }
      implied[observation[i]] += weight[i] * beta[(b * G + geo[i]) * C + c] * h;
    }
    let total = 0;
    for (let o = 0; o < O; o++) {
      const z = scaledValue[o] - implied[o];
      if (studentT[o] === 0) {
        total += logNormalizer[o] - 0.5 * z * z;
        score[b * O + o] = z;
      } else {
        const nu = df[o];
        total += logNormalizer[o] - 0.5 * (nu + 1) * Math.log1p((z * z) / nu);
        score[b * O + o] = ((nu + 1) * z) / (nu + z * z);
      }
    }
    return total;
  }

  function backward(b: number, upstream: number, beta: Float64Array): LiftHostGradient {
    const { betaBar, weightBar, kBar, slopeBar, lambdaBar } = gradient;
    betaBar.fill(0);
    weightBar.fill(0);
    kBar.fill(0);
    slopeBar.fill(0);
    lambdaBar.fill(0);
    for (let i = 0; i < M; i++) {
      const c = channel[i];
      const g = geo[i];
      const impliedBar = upstream * score[b * O + observation[i]] * weight[i];
      if (impliedBar === 0) continue;
      const test = (b * 2) * M + i;
      const control = (b * 2 + 1) * M + i;
      betaBar[g * C + c] += impliedBar * (saturated[test] - saturated[control]);
      const hBarTest = impliedBar * beta[(b * G + g) * C + c];
      const k = kOf[b * C + c];
      const slope = slopeOf[b * C + c];
      const lambda = lambdaOf[b * C + c];
      for (let condition = 0; condition < 2; condition++) {
        if ((condition === 0 ? activeTest[i] : activeControl[i]) === 0) continue;
        const j = condition === 0 ? test : control;
        const hBar = condition === 0 ? hBarTest : -hBarTest;
        const a = adstocked[j];
        const h = saturated[j];
        let aBar: number;
        if (saturationType === 'logistic') {
          const d = hBar * (1 - h * h) * 0.5;
          aBar = d * lambda;
          lambdaBar[c] += d * a;
        } else if (saturationType === 'michaelisMenten') {
          const denominator = a + k;
          const d = hBar / (denominator * denominator);
          aBar = d * k;
          kBar[c] -= d * a;
        } else {
          const d = hBar * h * (1 - h);
          aBar = (d * slope) / a;
          kBar[c] -= (d * slope) / k;
          if (freeSlope) slopeBar[c] += d * (Math.log(a) - Math.log(k));
        }
        const lagged = condition === 0 ? laggedTest : laggedControl;
        for (let l = 0; l < L; l++) weightBar[c * L + l] += aBar * lagged[i * L + l];
      }
    }
    return gradient;
  }

  return { cells, setSaturation, resize, forward, backward };
}
