/**
 * The media block of the kernel: per chain and channel, the adstock weights and adstock (the kind's
 * recursion, or the lag sum a_n = sum_l w_l x_{n-l}), the saturation h = sat(a) (the kind's rows),
 * then the media coefficients (components/coefficients.ts), and the media term sum_c beta[g,c] h
 * added to the mean. Backward per channel: the coefficient sums cs[g] = sum_t muBar h (+ the lift
 * tests' d/d beta), the coefficient chain, h bar = muBar beta (+ the ROI prior's term), the
 * saturation rows (h bar -> a bar), masked cells zeroed, then the adstock: the recursion's own rows,
 * or w bar_l = sum_n a bar_n x_{n-l} through the kind's weightsBackward. Gradient contributions of
 * the lift tests to the transform parameters are added after the likelihood's.
 *
 * Each channel has its own kinds and order (components/transformKinds.ts); its parameters are its
 * elements of the kinds' parameter rows. A saturation-first channel (Meridian's hill_before_adstock)
 * runs the saturation rows on its media (masked where the period's media is zero: h(0) = 0), then
 * the lag sum y_n = sum_l w_l p_{n-l} of p = h(x) (r = 1, components/mediaTransform.ts); backward:
 * w bar_l = sum_n y bar_n p_{n-l}, p bar_n = sum_l w_l y bar_{n+l} (within the geo), then the
 * saturation rows' backward for the parameters' sums (the media's own bars are not needed).
 * A reach and frequency channel (Meridian's adstock_hill_rf) runs the saturation rows on its
 * frequency (masked where the reach or the frequency is zero), p = r h with r its scaled reach (the
 * design's media), then the same lag sum; backward: w bar_l = sum_n y bar_n p_{n-l}, p bar by the
 * transposed lag sum, h bar = r p bar, then the saturation rows' backward.
 *
 * Under an mROI prior the increments r = h(1.01 a) - h(a) of the active cells (the kind's
 * `raisedRows`, else its scalar `value` at 1.01 a) are what the derived m reads; backward: h bar gets
 * the derived prior's r bar (+ under ROI and contribution priors, - under an mROI prior), and under
 * an mROI prior a bar += 1.01 r bar h'(1.01 a) with the saturation parameters' part at 1.01 a (the
 * kind's raised rows where it has them, else its scalar `backward`). The mROI prior does not take
 * saturation-first channels (refused in the constructor), except reach and frequency channels: 1.01 x
 * their reach at fixed frequency gives 1.01 y (linear), so r = 1.01 y - y and y bar += 1.01 r bar.
 *
 * Fast path: a channel with geometric adstock then Hill saturation and the coefficient prior (the reference
 * model) runs the coefficient sums, the saturation backward and the adstock recursion's backward in
 * one pass over each geo's cells (`hillGeometricBackwardRow`); tests/mmm.kernel.test.ts checks it
 * against the general path.
 */
import type { MmmModelConfig } from '../config.js';
import type { MmmDesign } from '../design.js';
import type { AdstockKind } from '../components/adstock/index.js';
import { channelTransformKinds, transformRows } from '../components/transformKinds.js';
import { CoefficientsBlock, MROI_STEP } from '../components/coefficients.js';
import { TimeVaryingBlock, timeVaryingLayout } from '../components/timeVarying.js';
import { mediaData, type MediaData } from '../components/mediaData.js';
import type { SaturationKind, SaturationOptions } from '../components/saturation/index.js';
import type { MmmParameter } from '../components/types.js';
import type { KernelParameters } from './parameters.js';
import { addScaled, dot, scaleRows } from './rows.js';

/** How one channel is transformed, and where its transform parameters are. */
interface ChannelTransform {
  readonly adstock: AdstockKind;
  /** Input index of each of the adstock kind's parameters, and this channel's element in each. */
  readonly adstockInputs: readonly number[];
  readonly adstockElements: readonly number[];
  readonly saturation: SaturationKind;
  readonly saturationOptions: SaturationOptions;
  readonly saturationInputs: readonly number[];
  readonly saturationElements: readonly number[];
  /** Saturation then adstock (module comment). */
  readonly saturationFirst: boolean;
  /** A reach and frequency channel: saturation of the frequency, times the reach (module comment). */
  readonly rf: boolean;
  /** Whether the fused one-pass backward applies (module comment). */
  readonly onePass: boolean;
}

/** The lift tests' gradient of one chain that the media block folds in (lift.ts). */
export interface LiftMediaGradient {
  /** [G, C] d/d beta. */
  readonly betaBar: Float64Array;
  /** [C, L] d/d adstock weight. */
  readonly weightBar: Float64Array;
  /** [C, maxSaturationParameters] d/d saturation parameters (kind's order). */
  readonly saturationBar: Float64Array;
  /** [C, T] d/d w_c(t) of the time-varying channels (empty without them). */
  readonly effectivenessBar: Float64Array;
}

export class MediaBlock {
  readonly data: MediaData;
  readonly coefficients: CoefficientsBlock;
  readonly transforms: readonly ChannelTransform[];
  readonly maxLag: number;
  /** Saturation parameters per channel, at most. */
  readonly saturationWidth: number;
  /** The time-varying channels' effectiveness exp(w_c(t)) (components/timeVarying.ts), when some vary. */
  readonly timeVarying?: TimeVaryingBlock;
  /** [B, C, L] adstock weights. */
  weights = new Float64Array(0);
  /** [B, C, N] */
  adstocked = new Float64Array(0);
  saturated = new Float64Array(0);
  /** [B, C, N] saturation-first channels: h of the media, before the adstock. */
  private preSaturated = new Float64Array(0);
  /** [C, N] 1 where the period's media is not zero (the saturation-first channels' mask; rf channels: reach and frequency). */
  private readonly nonzero: Uint8Array;
  /** [C, N] reach and frequency channels' frequency (0 for other channels); empty without them. */
  private readonly frequency: Float64Array;
  private logAdstocked = new Float64Array(0);
  /** mROI prior: [B, C, N] h(1.01 a) and the increments h(1.01 a) - h(a) (0 in masked cells). */
  private raised = new Float64Array(0);
  private increments = new Float64Array(0);
  private readonly marginalPrior: boolean;
  private readonly raisedParameterBar: Float64Array;
  private readonly raisedBars: Float64Array;
  /** Per (chain, channel): the saturation's and the adstock recursion's constants. */
  private saturationQ: Float64Array[] = [];
  private adstockQ: Float64Array[] = [];
  /** Per (chain, channel): the transform parameter values (kinds' order). */
  private adstockValues: Float64Array[] = [];
  private saturationValues: Float64Array[] = [];
  private readonly keepsLog: boolean;
  private readonly anySaturationFirst: boolean;
  private B = 0;
  // per-chain scratch
  private readonly adstockBar: Float64Array;
  private readonly preBar: Float64Array;
  private readonly coefficientSums: Float64Array;
  private readonly weightBar: Float64Array;
  private readonly saturationSums: Float64Array;
  private readonly adstockSums: Float64Array;
  private readonly adstockParameterBar: Float64Array;
  private readonly saturationParameterBar: Float64Array;
  /** Time-varying channels: mean bar x exp(w) [N], the prior weight x exp(w) [N], w bar [T]. */
  private readonly channelMeanBar: Float64Array;
  private readonly channelPriorWeight: Float64Array;
  private readonly effectivenessBar: Float64Array;

  constructor(
    design: MmmDesign,
    config: MmmModelConfig,
    table: readonly MmmParameter[],
    private readonly params: KernelParameters,
    private readonly geos: number,
    private readonly periods: number,
    private readonly channels: number,
    fastPaths = true,
  ) {
    this.maxLag = config.adstock.maxLag;
    this.data = mediaData(design, this.maxLag);
    const layout = timeVaryingLayout(design, config);
    this.timeVarying = layout ? new TimeVaryingBlock(layout, params, channels) : undefined;
    this.coefficients = new CoefficientsBlock(design, config, params, geos, periods, channels, this.timeVarying);
    // the table's transform rows are transformRows' (../parameters.ts): check the layout agrees
    const rows = transformRows(config, design.channelNames);
    const elementOf = (name: string, channel: string): number => {
      const row = table.find((p) => p.name === name);
      if (!row) throw new Error(`MMM kernel: no parameter "${name}" in the table`);
      const element = row.elementNames.indexOf(channel);
      if (element < 0 || element !== rows.find((r) => r.parameter.name === name)?.channels.indexOf(channel)) {
        throw new Error(`MMM kernel: parameter "${name}" does not cover channel "${channel}" as the transform layout says`);
      }
      return element;
    };
    this.transforms = channelTransformKinds(config, design.channelNames).map((kind) => {
      const adstockNames = kind.adstock.parameters.map((p) => p.name);
      const saturationNames = kind.saturation.parameters(kind.saturationOptions).map((p) => p.name);
      const saturationFirst = kind.order === 'saturationThenAdstock';
      return {
        adstock: kind.adstock,
        adstockInputs: adstockNames.map((name) => params.indexOf(name)),
        adstockElements: adstockNames.map((name) => elementOf(name, kind.channel)),
        saturation: kind.saturation,
        saturationOptions: kind.saturationOptions,
        saturationInputs: saturationNames.map((name) => params.indexOf(name)),
        saturationElements: saturationNames.map((name) => elementOf(name, kind.channel)),
        saturationFirst,
        rf: kind.rf,
        onePass: fastPaths && !this.coefficients.form.derivedPrior && !saturationFirst && kind.adstock.type === 'geometric' && kind.saturation.type === 'hill',
      };
    });
    this.saturationWidth = Math.max(1, ...this.transforms.map((t) => t.saturationInputs.length));
    this.keepsLog = this.transforms.some((t) => t.saturation.keepsLogAdstock(t.saturationOptions));
    this.anySaturationFirst = this.transforms.some((t) => t.saturationFirst);
    this.marginalPrior = this.coefficients.form.prior === 'mroi';
    if (this.marginalPrior && this.transforms.some((t, c) => t.saturationFirst && !t.rf && this.coefficients.form.derived[c])) {
      throw new Error('model config: the mROI prior (mediaPrior.type "mroi") does not take channels that saturate before the adstock (model.order); use adstockThenSaturation for them or another media prior');
    }
    const N = geos * periods;
    const C = channels;
    const anyRf = this.transforms.some((t) => t.rf);
    this.frequency = new Float64Array(anyRf ? C * N : 0);
    if (anyRf) {
      const f = design.rfFrequency;
      if (!f) throw new Error('MMM kernel: reach and frequency channels need the design\'s rfFrequency');
      this.transforms.forEach((t, c) => {
        if (t.rf) for (let n = 0; n < N; n++) this.frequency[c * N + n] = f[n * C + c];
      });
    }
    this.nonzero = new Uint8Array(this.anySaturationFirst ? C * N : 0);
    if (this.anySaturationFirst) {
      for (let i = 0; i < C * N; i++) this.nonzero[i] = this.data.media[i] !== 0 ? 1 : 0;
      this.transforms.forEach((t, c) => {
        if (t.rf) for (let n = 0; n < N; n++) if (!(this.frequency[c * N + n] > 0)) this.nonzero[c * N + n] = 0;
      });
    }
    this.adstockBar = new Float64Array(N);
    this.preBar = new Float64Array(this.anySaturationFirst ? N : 0);
    this.coefficientSums = new Float64Array(geos);
    this.weightBar = new Float64Array(this.maxLag);
    this.saturationSums = new Float64Array(Math.max(1, ...this.transforms.map((t) => t.saturation.sums)));
    this.adstockSums = new Float64Array(Math.max(1, ...this.transforms.map((t) => t.adstock.recursion?.sums ?? 0)));
    this.adstockParameterBar = new Float64Array(Math.max(1, ...this.transforms.map((t) => t.adstockInputs.length)));
    this.saturationParameterBar = new Float64Array(this.saturationWidth);
    this.raisedParameterBar = new Float64Array(this.saturationWidth);
    this.raisedBars = new Float64Array(this.marginalPrior ? N : 0);
    this.channelMeanBar = new Float64Array(layout ? N : 0);
    this.channelPriorWeight = new Float64Array(layout && this.coefficients.form.derivedPrior ? N : 0);
    this.effectivenessBar = new Float64Array(layout ? periods : 0);
  }

  resize(chains: number): void {
    if (chains === this.B) return;
    this.B = chains;
    const { channels: C, maxLag: L } = this;
    const N = this.geos * this.periods;
    this.weights = new Float64Array(chains * C * L);
    this.adstocked = new Float64Array(chains * C * N);
    this.saturated = new Float64Array(chains * C * N);
    this.logAdstocked = new Float64Array(this.keepsLog ? chains * C * N : 0);
    this.raised = new Float64Array(this.marginalPrior ? chains * C * N : 0);
    this.increments = new Float64Array(this.marginalPrior ? chains * C * N : 0);
    this.preSaturated = new Float64Array(this.anySaturationFirst ? chains * C * N : 0);
    const views = (width: (t: ChannelTransform) => number) =>
      Array.from({ length: chains * C }, (_, i) => new Float64Array(Math.max(1, width(this.transforms[i % C]))));
    this.saturationQ = views((t) => t.saturation.constants);
    this.adstockQ = views((t) => t.adstock.recursion?.constants ?? 0);
    this.adstockValues = views((t) => t.adstockInputs.length);
    this.saturationValues = views((t) => t.saturationInputs.length);
    this.coefficients.resize(chains);
    this.timeVarying?.resize(chains);
  }

  /** Channel c's saturation options. */
  saturationOptions(c: number): SaturationOptions {
    return this.transforms[c].saturationOptions;
  }

  /** Chain b's saturation parameter values of channel c (kind's order), valid after its forward. */
  saturationParameters(b: number, c: number): Float64Array {
    return this.saturationValues[b * this.channels + c];
  }

  /** Adstock weights, adstock, saturation and coefficients of chain b. */
  forward(b: number): void {
    const { params, channels: C, maxLag: L } = this;
    for (let c = 0; c < C; c++) {
      const t = this.transforms[c];
      const pAdstock = this.adstockValues[b * C + c];
      for (let j = 0; j < t.adstockInputs.length; j++) pAdstock[j] = params.value(t.adstockInputs[j], b, t.adstockElements[j]);
      const pSaturation = this.saturationValues[b * C + c];
      for (let j = 0; j < t.saturationInputs.length; j++) pSaturation[j] = params.value(t.saturationInputs[j], b, t.saturationElements[j]);
      t.adstock.weights(pAdstock, L, this.weights, (b * C + c) * L);
    }
    for (let c = 0; c < C; c++) this.adstockAndSaturation(b, c);
    if (this.marginalPrior) for (let c = 0; c < C; c++) if (this.coefficients.form.derived[c]) this.raise(b, c);
    this.timeVarying?.forward(b);
    this.coefficients.forward(b, this.marginalPrior ? this.increments : this.saturated);
  }

  /** mROI prior: h(1.01 a) and the increments h(1.01 a) - h(a) of chain b's channel c (active cells; 0 elsewhere). */
  private raise(b: number, c: number): void {
    const N = this.geos * this.periods;
    const t = this.transforms[c];
    const p = this.saturationValues[b * this.channels + c];
    const cellBase = (b * this.channels + c) * N;
    const active = this.data.active;
    const factor = 1 + MROI_STEP;
    const { raised, increments, saturated } = this;
    if (t.rf) {
      // reach and frequency: 1.01 x the reach at fixed frequency scales the response (linear in the reach)
      for (let n = 0; n < N; n++) raised[cellBase + n] = factor * saturated[cellBase + n];
    } else if (t.saturation.raisedRows) {
      t.saturation.raisedRows(this.adstocked, this.logAdstocked, active, cellBase, c * N, N, factor, this.saturationQ[b * this.channels + c], raised);
    } else {
      for (let n = 0; n < N; n++) if (active[c * N + n] !== 0) raised[cellBase + n] = t.saturation.value(p, t.saturationOptions, factor * this.adstocked[cellBase + n]);
    }
    for (let n = 0; n < N; n++) {
      const i = cellBase + n;
      if (active[c * N + n] === 0) raised[i] = 0;
      increments[i] = raised[i] - saturated[i];
    }
  }

  private adstockAndSaturation(b: number, c: number): void {
    const { channels: C, maxLag: L, geos: G, periods: T } = this;
    const N = G * T;
    const t = this.transforms[c];
    const cellBase = (b * C + c) * N;
    const mediaBase = c * N;
    const { media, laggedMedia, active } = this.data;
    const adstocked = this.adstocked;
    const recursion = t.adstock.recursion;
    if (t.saturationFirst) {
      this.saturationThenAdstock(b, c);
      return;
    }
    if (recursion) {
      const q = this.adstockQ[b * C + c];
      recursion.prepare(this.adstockValues[b * C + c], L, this.weights, (b * C + c) * L, q);
      recursion.forwardRows(media, active, mediaBase, adstocked, cellBase, G, T, L, q);
    } else {
      const weightBase = (b * C + c) * L;
      const w0 = this.weights[weightBase];
      for (let n = 0; n < N; n++) adstocked[cellBase + n] = w0 * laggedMedia[c * L * N + n];
      for (let l = 1; l < L; l++) {
        const w = this.weights[weightBase + l];
        const lagBase = (c * L + l) * N;
        for (let n = 0; n < N; n++) adstocked[cellBase + n] += w * laggedMedia[lagBase + n];
      }
    }
    const q = this.saturationQ[b * C + c];
    t.saturation.prepare(this.saturationValues[b * C + c], t.saturationOptions, q);
    t.saturation.forwardRows(adstocked, this.saturated, this.logAdstocked, active, cellBase, mediaBase, N, q);
  }

  /**
   * Saturation-first channel c of chain b: the media (copied into the adstocked row, the saturation's
   * input, where Hill raises it to its floor) through the saturation rows into preSaturated, then the
   * lag sum within each geo into saturated.
   */
  private saturationThenAdstock(b: number, c: number): void {
    const { channels: C, maxLag: L, geos: G, periods: T } = this;
    const N = G * T;
    const t = this.transforms[c];
    const cellBase = (b * C + c) * N;
    const mediaBase = c * N;
    const { media } = this.data;
    const level = this.adstocked;
    const pre = this.preSaturated;
    const input = t.rf ? this.frequency : media;
    for (let n = 0; n < N; n++) level[cellBase + n] = input[mediaBase + n];
    const q = this.saturationQ[b * C + c];
    t.saturation.prepare(this.saturationValues[b * C + c], t.saturationOptions, q);
    t.saturation.forwardRows(level, pre, this.logAdstocked, this.nonzero, cellBase, mediaBase, N, q);
    const weightBase = (b * C + c) * L;
    const out = this.saturated;
    for (let g = 0; g < G; g++) {
      const first = cellBase + g * T;
      const reachFirst = mediaBase + g * T;
      for (let s = 0; s < T; s++) {
        let total = 0;
        const lags = Math.min(L, s + 1);
        if (t.rf) for (let l = 0; l < lags; l++) total += this.weights[weightBase + l] * media[reachFirst + s - l] * pre[first + s - l];
        else for (let l = 0; l < lags; l++) total += this.weights[weightBase + l] * pre[first + s - l];
        out[first + s] = total;
      }
    }
  }

  /**
   * Backward of saturation-first channel c of chain b from the bars of its transformed series
   * (yBar, [N]): the weights' bars into weightBar, the saturation parameters' sums into sums.
   */
  private saturationThenAdstockBackward(b: number, c: number, yBar: Float64Array, weightBar: Float64Array, sums: Float64Array): void {
    const { channels: C, maxLag: L, geos: G, periods: T } = this;
    const N = G * T;
    const t = this.transforms[c];
    const cellBase = (b * C + c) * N;
    const pre = this.preSaturated;
    const preBar = this.preBar;
    const weightBase = (b * C + c) * L;
    const reach = this.data.media;
    const mediaBase = c * N;
    weightBar.fill(0);
    for (let g = 0; g < G; g++) {
      const first = g * T;
      for (let s = 0; s < T; s++) {
        const lags = Math.min(L, T - s);
        let total = 0;
        for (let l = 0; l < lags; l++) total += this.weights[weightBase + l] * yBar[first + s + l];
        // rf: p = r h, so h bar = r p bar
        preBar[first + s] = t.rf ? total * reach[mediaBase + first + s] : total;
        const lagsBack = Math.min(L, s + 1);
        const bar = yBar[first + s];
        if (t.rf) for (let l = 0; l < lagsBack; l++) weightBar[l] += bar * reach[mediaBase + first + s - l] * pre[cellBase + first + s - l];
        else for (let l = 0; l < lagsBack; l++) weightBar[l] += bar * pre[cellBase + first + s - l];
      }
      t.saturation.backwardRows(preBar, pre, this.adstocked, this.logAdstocked, cellBase, first, T, this.saturationQ[b * C + c], sums);
    }
  }

  /** mean[n] += sum_c beta[g,c] h[g,t,c] (times exp(w_c(t)) for a time-varying channel) for chain b. */
  addToMean(b: number, mean: Float64Array): void {
    const { channels: C, geos: G, periods: T } = this;
    const N = G * T;
    const beta = this.coefficients.beta;
    const tv = this.timeVarying;
    for (let c = 0; c < C; c++) {
      const cellBase = (b * C + c) * N;
      if (tv?.varies(c)) {
        const factor = tv.factor;
        const factorBase = tv.offset(b, c);
        for (let g = 0; g < G; g++) {
          const coefficient = beta[(b * G + g) * C + c];
          const first = cellBase + g * T;
          for (let t = 0; t < T; t++) mean[g * T + t] += coefficient * factor[factorBase + t] * this.saturated[first + t];
        }
        continue;
      }
      for (let g = 0; g < G; g++) addScaled(mean, g * T, this.saturated, cellBase + g * T, T, beta[(b * G + g) * C + c]);
    }
  }

  /**
   * Gradients of chain b's media parameters from the mean's bar [N] (and the lift tests' part). A
   * time-varying channel's contribution is beta exp(w) h: its mean bar is meanBar exp(w) (so h bar and
   * the coefficient sums take it), its derived prior weight rw exp(w), and
   * w bar_t = sum_g (meanBar beta exp(w) h + r bar exp(w) r)[g,t] (+ the lift tests').
   */
  backward(b: number, meanBar: Float64Array, lift?: LiftMediaGradient): void {
    const { params, channels: C, geos: G, periods: T, maxLag: L } = this;
    const N = G * T;
    const grad = params.grad;
    const { media, laggedMedia, active, maskedCells } = this.data;
    const beta = this.coefficients.beta;
    const saturated = this.saturated;
    const adstocked = this.adstocked;
    const logAdstocked = this.logAdstocked;
    const adstockBar = this.adstockBar;
    const sums = this.coefficientSums;
    const derivedPrior = this.coefficients.form.derivedPrior;
    const marginal = this.marginalPrior;
    const raisedBar = this.raisedParameterBar;
    const factor = 1 + MROI_STEP;
    const tv = this.timeVarying;
    for (let c = 0; c < C; c++) {
      const t = this.transforms[c];
      const cellBase = (b * C + c) * N;
      const mediaBase = c * N;
      // a time-varying channel: its own mean bar and prior weight, times exp(w) (method comment)
      const varies = tv !== undefined && tv.varies(c);
      let priorWeight = this.coefficients.priorWeight;
      let priorBase = mediaBase;
      if (varies) {
        const effectiveness = tv.factor;
        const factorBase = tv.offset(b, c);
        for (let g = 0; g < G; g++) for (let s = 0; s < T; s++) this.channelMeanBar[g * T + s] = meanBar[g * T + s] * effectiveness[factorBase + s];
        if (derivedPrior) {
          priorWeight = this.channelPriorWeight;
          priorBase = 0;
          for (let g = 0; g < G; g++) for (let s = 0; s < T; s++) priorWeight[g * T + s] = this.coefficients.priorWeight[mediaBase + g * T + s] * effectiveness[factorBase + s];
        }
      }
      const channelBar = varies ? this.channelMeanBar : meanBar;
      const qSaturation = this.saturationQ[b * C + c];
      const qAdstock = this.adstockQ[b * C + c];
      const pAdstock = this.adstockValues[b * C + c];
      const pSaturation = this.saturationValues[b * C + c];
      const recursion = t.adstock.recursion;
      const saturationSums = this.saturationSums.fill(0);
      const adstockSums = this.adstockSums.fill(0);
      if (t.onePass) {
        for (let g = 0; g < G; g++) {
          hillGeometricBackwardRow(
            channelBar, beta[(b * G + g) * C + c], saturated, adstocked, logAdstocked, qSaturation[3] === 1, active, media,
            mediaBase, cellBase, g * T, T, L, qSaturation[1], qSaturation[0], qAdstock[0], qAdstock[1], qAdstock[4], onePassSums,
          );
          sums[g] = onePassSums[0];
          saturationSums[0] += onePassSums[1];
          saturationSums[1] += onePassSums[2];
          adstockSums[0] += onePassSums[3];
          adstockSums[1] += onePassSums[4];
        }
      } else {
        for (let g = 0; g < G; g++) sums[g] = dot(channelBar, g * T, saturated, cellBase + g * T, T);
      }
      if (lift) for (let g = 0; g < G; g++) sums[g] += lift.betaBar[g * C + c];
      const windowBar = this.coefficients.backward(b, c, sums);
      if (varies) this.effectivenessBackward(b, c, channelBar, priorWeight, windowBar, lift);
      const raises = marginal && this.coefficients.form.derived[c];
      if (raises) raisedBar.fill(0);
      if (!t.onePass) {
        const expDeviation = this.coefficients.expDeviation;
        for (let g = 0; g < G; g++) {
          const first = g * T;
          const last = first + T;
          scaleRows(channelBar, first, adstockBar, first, T, beta[(b * G + g) * C + c]);
          // the derived prior's r bar: h itself (ROI, contribution), or -h(a) of the increment (mROI)
          const responseCoefficient = derivedPrior ? windowBar * expDeviation[(b * G + g) * C + c] : 0;
          if (derivedPrior) {
            const hCoefficient = marginal ? -responseCoefficient : responseCoefficient;
            for (let n = first; n < last; n++) adstockBar[n] += hCoefficient * priorWeight[priorBase + n];
          }
          // reach and frequency under the mROI prior: + 1.01 y of the increment, a bar of y itself
          if (raises && t.rf) for (let n = first; n < last; n++) adstockBar[n] += factor * responseCoefficient * priorWeight[priorBase + n];
          if (t.saturationFirst) continue;
          t.saturation.backwardRows(adstockBar, saturated, adstocked, logAdstocked, cellBase, first, T, qSaturation, saturationSums);
          if (raises) {
            // + h(1.01 a) of the increment: a bar += 1.01 r bar h'(1.01 a), the parameters' part at 1.01 a
            if (t.saturation.raisedBackwardRows) {
              const bars = this.raisedBars;
              for (let n = first; n < last; n++) bars[n] = responseCoefficient * priorWeight[priorBase + n];
              t.saturation.raisedBackwardRows(bars, adstockBar, this.raised, adstocked, logAdstocked, active, cellBase, mediaBase, first, T, factor, qSaturation, saturationSums);
            } else {
              for (let n = first; n < last; n++) {
                if (active[mediaBase + n] === 0) continue;
                const rBar = responseCoefficient * priorWeight[priorBase + n];
                if (rBar === 0) continue;
                const i = cellBase + n;
                adstockBar[n] += factor * t.saturation.backward(pSaturation, t.saturationOptions, factor * adstocked[i], this.raised[i], rBar, raisedBar);
              }
            }
          }
          if (maskedCells[c]) for (let n = first; n < last; n++) if (active[mediaBase + n] === 0) adstockBar[n] = 0;
          if (recursion) recursion.backwardRows(adstockBar, adstocked, media, active, mediaBase, cellBase, first, T, L, qAdstock, adstockSums);
        }
      }
      if (t.saturationFirst) this.saturationThenAdstockBackward(b, c, adstockBar, this.weightBar, saturationSums);
      // saturation parameters: the likelihood's, then the lift tests'
      const saturationBar = this.saturationParameterBar;
      t.saturation.gradient(pSaturation, qSaturation, saturationSums, saturationBar);
      if (raises) for (let j = 0; j < t.saturationInputs.length; j++) saturationBar[j] += raisedBar[j];
      if (lift) for (let j = 0; j < t.saturationInputs.length; j++) saturationBar[j] += lift.saturationBar[c * this.saturationWidth + j];
      for (let j = 0; j < t.saturationInputs.length; j++) grad[params.at(t.saturationInputs[j], b, t.saturationElements[j])] = saturationBar[j];
      // adstock parameters: the recursion's or the lag sums', then the lift tests'
      const adstockBarOut = this.adstockParameterBar.fill(0);
      const weightOffset = (b * C + c) * L;
      if (t.saturationFirst) {
        t.adstock.weightsBackward(pAdstock, L, this.weights, weightOffset, this.weightBar, 0, adstockBarOut);
      } else if (recursion) {
        recursion.gradient(pAdstock, L, qAdstock, adstockSums, adstockBarOut);
      } else {
        const weightBar = this.weightBar;
        for (let l = 0; l < L; l++) {
          const lagBase = (c * L + l) * N;
          let sum = 0;
          for (let n = 0; n < N; n++) sum += adstockBar[n] * laggedMedia[lagBase + n];
          weightBar[l] = sum;
        }
        t.adstock.weightsBackward(pAdstock, L, this.weights, weightOffset, weightBar, 0, adstockBarOut);
      }
      if (lift) t.adstock.weightsBackward(pAdstock, L, this.weights, weightOffset, lift.weightBar, c * L, adstockBarOut);
      for (let j = 0; j < t.adstockInputs.length; j++) grad[params.at(t.adstockInputs[j], b, t.adstockElements[j])] = adstockBarOut[j];
    }
  }

  /**
   * w bar of time-varying channel c of chain b (backward's comment) from its mean bar meanBar exp(w)
   * and its prior weight rw exp(w) (base 0), then the time-varying parameters' gradients.
   */
  private effectivenessBackward(b: number, c: number, channelBar: Float64Array, priorWeight: Float64Array, windowBar: number, lift?: LiftMediaGradient): void {
    const { geos: G, periods: T, channels: C } = this;
    const tv = this.timeVarying as TimeVaryingBlock;
    const wBar = this.effectivenessBar.fill(0);
    const beta = this.coefficients.beta;
    const cellBase = (b * C + c) * G * T;
    for (let g = 0; g < G; g++) {
      const coefficient = beta[(b * G + g) * C + c];
      for (let s = 0; s < T; s++) wBar[s] += channelBar[g * T + s] * coefficient * this.saturated[cellBase + g * T + s];
    }
    if (windowBar !== 0) {
      // the derived m's window sum W = sum_g exp(dev) sum_t r rw exp(w): W bar exp(dev) r rw exp(w)
      const response = this.marginalPrior ? this.increments : this.saturated;
      const expDeviation = this.coefficients.expDeviation;
      for (let g = 0; g < G; g++) {
        const coefficient = windowBar * expDeviation[(b * G + g) * C + c];
        for (let s = 0; s < T; s++) wBar[s] += coefficient * priorWeight[g * T + s] * response[cellBase + g * T + s];
      }
    }
    if (lift && lift.effectivenessBar.length > 0) for (let s = 0; s < T; s++) wBar[s] += lift.effectivenessBar[c * T + s];
    tv.backward(b, c, wBar);
  }
}

/** Partial sums of the one-pass backward (read right after the call). */
const onePassSums = new Float64Array(5);

/**
 * The media backward of one geo's cells of one channel in one pass, for geometric adstock and Hill
 * saturation without an ROI prior (the saturation's and the recursion's backward rows fused, with
 * the coefficient's dot product): h bar = mu bar beta, a bar = h bar h (1 - h) s / a, masked cells
 * skipped. sums gets [sum mu bar h, sum h bar h (1 - h), sum h bar h (1 - h) (log a - log k) (free slope),
 * sum a bar r', sum a bar a] (components/adstock/geometric.ts, components/saturation/hill.ts).
 */
function hillGeometricBackwardRow(
  meanBar: Float64Array, coefficient: number, saturated: Float64Array, adstocked: Float64Array, logAdstocked: Float64Array,
  freeSlope: boolean, active: Uint8Array, media: Float64Array, mediaBase: number, cellBase: number, first: number,
  periods: number, maxLag: number, slope: number, logK: number, alpha: number, geometricTotal: number, dropCoefficient: number,
  sums: Float64Array,
): void {
  let coefficientDot = 0;
  let kSum = 0;
  let slopeSum = 0;
  let derivative = 0; // r'_t
  let previous = 0; // r_{t-1}
  let barTimesDerivative = 0;
  let barTimesAdstock = 0;
  for (let t = 0; t < periods; t++) {
    const n = first + t;
    if (active[mediaBase + n] === 0) {
      derivative = 0;
      previous = 0;
      continue;
    }
    const h = saturated[cellBase + n];
    const a = adstocked[cellBase + n];
    const muBar = meanBar[n];
    coefficientDot += muBar * h;
    const d = muBar * coefficient * h * (1 - h);
    const bar = (d * slope) / a;
    kSum += d;
    if (freeSlope) slopeSum += d * (logAdstocked[cellBase + n] - logK);
    derivative = previous + alpha * derivative;
    if (t >= maxLag) derivative -= dropCoefficient * media[mediaBase + n - maxLag];
    previous = geometricTotal * a;
    barTimesDerivative += bar * derivative;
    barTimesAdstock += bar * a;
  }
  sums[0] = coefficientDot;
  sums[1] = kSum;
  sums[2] = slopeSum;
  sums[3] = barTimesDerivative;
  sums[4] = barTimesAdstock;
}
