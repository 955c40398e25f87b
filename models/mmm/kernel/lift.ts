/**
 * The lift-test term of the kernel in float64 host loops, with its hand-derived vector-Jacobian
 * product. The term is ../liftTests.ts's; per chain, over the cells i of liftCells (a listed geo g_i
 * and measured period of an experiment on channel c_i) and the observations o (a measured total or
 * one period's lift):
 *
 *   a_i^X = sum_l w[c_i, l] x^X[i, l]          X = test, control (lagged media of the two conditions)
 *   h_i^X = sat_c(a_i^X)                        the channel's saturation kind, scalar form; 0 where the
 *                                               whole window is zero; a raised to the kind's floor
 *   r_o   = sum_{i in o} omega_i beta[g_i, c_i] (h_i^test - h_i^control)     omega_i = kpiUnit[g_i] / se_o
 *   z_o   = y_o / se_o - r_o
 *   lp_o  = const_o - z_o^2 / 2  (Normal),  const_o - (df_o + 1) / 2 log1p(z_o^2 / df_o)  (Student-t)
 *
 * Backward for upstream dy (x bar = d(dy sum_o lp_o) / dx):
 *   r bar_o = dy z_o (Normal), dy (df + 1) z_o / (df + z_o^2) (Student-t)   [d lp / d r = -d lp / d z]
 *   beta bar[g_i, c_i] += r bar_o omega_i (h_i^test - h_i^control);   h bar_i^test = r bar_o omega_i beta = -h bar_i^control
 *   the saturation kind's scalar backward gives a bar and the parameters' bars; w bar[c_i, l] += a bar_i^X x^X[i, l]
 * A saturation-first channel (media.ts) has y_i^X = sum_l w[c_i, l] sat_c(x^X[i, l]) in place of h_i^X
 * (sat(0) = 0); backward w bar[c_i, l] += y bar_i^X sat_c(x^X[i, l]) and the kind's scalar backward
 * at each lag with bar y bar_i^X w[c_i, l]. A reach and frequency channel's conditions are its reach x
 * at the data's frequency f: y_i^X = sum_l w[c_i, l] x^X[i, l] sat_c(f[i, l]); backward w bar +=
 * y bar x sat(f), and the kind's scalar backward at f with bar y bar w x.
 * A time-varying channel (components/timeVarying.ts) has beta[g_i, c_i] e_i in place of beta, with
 * e_i = exp(w_c(t_i)) at the cell's measured period: beta bar and the h bars take e_i, and
 * w bar[c_i, t_i] += r bar_o omega_i beta e_i (h_i^test - h_i^control).
 * The media block (media.ts) turns beta bar into the coefficient parameters' gradients (through its
 * log-beta path, so the ROI prior's derived m is included) and w bar into the adstock parameters'.
 */
import type { LiftCells } from '../liftTests.js';
import type { LiftMediaGradient, MediaBlock } from './media.js';

export class LiftBlock {
  private readonly G: number;
  private readonly C: number;
  private readonly L: number;
  private B = 0;
  private adstocked = new Float64Array(0); // [B, 2, M]: test, control
  private saturated = new Float64Array(0); // [B, 2, M]
  private score = new Float64Array(0); // [B, O]: d lp_o / d r_o
  private readonly implied: Float64Array;
  private readonly gradient: LiftMediaGradient;
  /** Per channel, its slice of gradient.saturationBar. */
  private readonly saturationBarOf: readonly Float64Array[];

  constructor(readonly cells: LiftCells, private readonly media: MediaBlock, geos: number, channels: number) {
    this.G = geos;
    this.C = channels;
    this.L = cells.maxLag;
    this.implied = new Float64Array(cells.observationCount);
    this.gradient = {
      betaBar: new Float64Array(geos * channels),
      weightBar: new Float64Array(channels * this.L),
      saturationBar: new Float64Array(channels * media.saturationWidth),
      effectivenessBar: new Float64Array(media.timeVarying ? channels * media.timeVarying.layout.periods : 0),
    };
    const width = media.saturationWidth;
    this.saturationBarOf = Array.from({ length: channels }, (_, c) => this.gradient.saturationBar.subarray(c * width, (c + 1) * width));
  }

  resize(chains: number): void {
    if (chains === this.B) return;
    this.B = chains;
    const M = this.cells.cellCount;
    this.adstocked = new Float64Array(chains * 2 * M);
    this.saturated = new Float64Array(chains * 2 * M);
    this.score = new Float64Array(chains * this.cells.observationCount);
  }

  /** Sum of the observations' log densities of chain b (after the media block's forward). Keeps what backward needs. */
  forward(b: number): number {
    const { G, C, L, implied } = this;
    const { cellCount: M, observationCount: O, channel, geo, observation, weight, laggedTest, laggedControl, laggedFrequency, activeTest, activeControl, scaledValue, studentT, df, logNormalizer } = this.cells;
    const weights = this.media.weights;
    const beta = this.media.coefficients.beta;
    const tv = this.media.timeVarying;
    implied.fill(0);
    for (let i = 0; i < M; i++) {
      const c = channel[i];
      const kind = this.media.transforms[c].saturation;
      const options = this.media.saturationOptions(c);
      const saturationFirst = this.media.transforms[c].saturationFirst;
      const rf = this.media.transforms[c].rf;
      const floor = kind.adstockFloor;
      const p = this.media.saturationParameters(b, c);
      const weightBase = (b * C + c) * L;
      let h = 0;
      for (let condition = 0; condition < 2; condition++) {
        const lagged = condition === 0 ? laggedTest : laggedControl;
        const active = condition === 0 ? activeTest[i] : activeControl[i];
        let a = 0;
        if (saturationFirst) {
          // rf: the reach x times sat of the frequency
          if (rf) for (let l = 0; l < L; l++) a += weights[weightBase + l] * lagged[i * L + l] * kind.value(p, options, laggedFrequency[i * L + l]);
          else for (let l = 0; l < L; l++) a += weights[weightBase + l] * kind.value(p, options, lagged[i * L + l]);
          const j = (b * 2 + condition) * M + i;
          this.adstocked[j] = a;
          this.saturated[j] = a;
          h += condition === 0 ? a : -a;
          continue;
        }
        for (let l = 0; l < L; l++) a += weights[weightBase + l] * lagged[i * L + l];
        let value = 0;
        if (active !== 0) {
          if (floor !== undefined && !(a > floor)) a = floor;
          value = kind.value(p, options, a);
        }
        const j = (b * 2 + condition) * M + i;
        this.adstocked[j] = a;
        this.saturated[j] = value;
        h += condition === 0 ? value : -value;
      }
      const effectiveness = tv?.varies(c) ? tv.factor[tv.offset(b, c) + this.cells.period[i]] : 1;
      implied[observation[i]] += weight[i] * beta[(b * G + geo[i]) * C + c] * effectiveness * h;
    }
    let total = 0;
    for (let o = 0; o < O; o++) {
      const z = scaledValue[o] - implied[o];
      if (studentT[o] === 0) {
        total += logNormalizer[o] - 0.5 * z * z;
        this.score[b * O + o] = z;
      } else {
        const nu = df[o];
        total += logNormalizer[o] - 0.5 * (nu + 1) * Math.log1p((z * z) / nu);
        this.score[b * O + o] = ((nu + 1) * z) / (nu + z * z);
      }
    }
    return total;
  }

  /** The VJP of chain b's last forward for upstream dy, into a scratch gradient (valid until the next call). */
  backward(b: number, upstream: number): LiftMediaGradient {
    const { G, C, L } = this;
    const { cellCount: M, observationCount: O, channel, geo, observation, weight, laggedTest, laggedControl, laggedFrequency, activeTest, activeControl } = this.cells;
    const { betaBar, weightBar, saturationBar, effectivenessBar } = this.gradient;
    const beta = this.media.coefficients.beta;
    const weights = this.media.weights;
    const tv = this.media.timeVarying;
    const T = tv?.layout.periods ?? 0;
    effectivenessBar.fill(0);
    betaBar.fill(0);
    weightBar.fill(0);
    saturationBar.fill(0);
    for (let i = 0; i < M; i++) {
      const c = channel[i];
      const g = geo[i];
      const impliedBar = upstream * this.score[b * O + observation[i]] * weight[i];
      if (impliedBar === 0) continue;
      const test = b * 2 * M + i;
      const control = (b * 2 + 1) * M + i;
      const difference = this.saturated[test] - this.saturated[control];
      const effectiveness = tv?.varies(c) ? tv.factor[tv.offset(b, c) + this.cells.period[i]] : 1;
      betaBar[g * C + c] += impliedBar * effectiveness * difference;
      if (tv?.varies(c)) effectivenessBar[c * T + this.cells.period[i]] += impliedBar * beta[(b * G + g) * C + c] * effectiveness * difference;
      const hBarTest = impliedBar * beta[(b * G + g) * C + c] * effectiveness;
      const kind = this.media.transforms[c].saturation;
      const options = this.media.saturationOptions(c);
      const p = this.media.saturationParameters(b, c);
      const parameterBar = this.saturationBarOf[c];
      const rf = this.media.transforms[c].rf;
      if (this.media.transforms[c].saturationFirst) {
        const weightBase = (b * C + c) * L;
        for (let condition = 0; condition < 2; condition++) {
          const yBar = condition === 0 ? hBarTest : -hBarTest;
          const lagged = condition === 0 ? laggedTest : laggedControl;
          for (let l = 0; l < L; l++) {
            // the saturation's input x and its multiplier r: the media and 1, or rf the frequency and the reach
            const r = rf ? lagged[i * L + l] : 1;
            const x = rf ? laggedFrequency[i * L + l] : lagged[i * L + l];
            if (r === 0 || !(x > 0)) continue; // sat(0) = 0 for every parameter
            const h = kind.value(p, options, x);
            weightBar[c * L + l] += yBar * r * h;
            kind.backward(p, options, x, h, yBar * weights[weightBase + l] * r, parameterBar);
          }
        }
        continue;
      }
      for (let condition = 0; condition < 2; condition++) {
        if ((condition === 0 ? activeTest[i] : activeControl[i]) === 0) continue;
        const j = condition === 0 ? test : control;
        const hBar = condition === 0 ? hBarTest : -hBarTest;
        const aBar = kind.backward(p, options, this.adstocked[j], this.saturated[j], hBar, parameterBar);
        const lagged = condition === 0 ? laggedTest : laggedControl;
        for (let l = 0; l < L; l++) weightBar[c * L + l] += aBar * lagged[i * L + l];
      }
    }
    return this.gradient;
  }
}
