/**
 * Time-varying media effectiveness per channel (issue 22): for the channels named in
 * `model.timeVarying`, the coefficient of period t is
 *
 *   beta[g,c,t] = exp(m_c + dev[g,c] + w_c(t)),   w_c(t) = f_c(t) - mean_s f_c(s),
 *
 * with f_c a Gaussian process over the periods with the squared-exponential kernel of amplitude
 * `tv_amplitude` (the sd of f) and length scale `tv_length_scale` (in periods), in its Hilbert-space
 * approximation (hsgp.ts; Riutort-Mayol et al. 2023): f_c(t) = sum_j s_j(amp, ls) phi_j(t) z_j with
 * `tv_z` [K, m] ~ N(0, 1) and s_j = sqrt(S(sqrt(lambda_j))). w is f centred over the design's periods
 * (the basis columns are centred once), so exp(m_c + dev) stays the coefficient of the average period
 * and m keeps its prior's meaning; with a derived media prior (ROI, contribution, mROI) m is derived
 * with the time-varying coefficient (coefficients.ts). Amplitude 0 is the static model: the default
 * half-normal amplitude prior shrinks towards it.
 *
 * The basis: periods 0..T-1 scaled to [-1, 1] (half range S = (T - 1) / 2 periods), by the paper's
 * rule for the range of length scales the basis is built for, [8, 60] periods by default (about the
 * default prior's 1% and 95% quantiles): boundary factor c = max(1.2, 3.2 x 60 / S) from the largest
 * and m = ceil(1.75 c S / 8) basis functions from the smallest; 42 for series of up to 321 periods
 * (c = 2.48 at 156 weekly periods, 3.73 at 104; beyond 321, c = 1.2 and m grows with T). tests/mmm.hsgp.test.ts measures the centred
 * process's covariance error over that range (under 1%). tv_length_scale's support is
 * [min / 2, 2 max] = [4, 120] periods: below, the basis cannot represent the process (17% error at 4
 * periods); above, w over the data is a straight line; the default prior has 0.01% and 0.1% of its
 * mass beyond the two ends (a bounded support also keeps the sampler's random inits, uniform(-2, 2)
 * on the unconstrained scale, inside the range the data can inform). The holdout periods (config
 * holdout) are periods of the design, so w there is the GP's own extrapolation from the fitted
 * periods; a plan on future periods (src/optimize) uses the latest periods' effectiveness.
 *
 * The alternative `method: "randomWalk"` (Orbit's and the state-space MMMs' choice): a Gaussian
 * random walk on a coarse grid of knots (every `gridPeriods` periods, default 13, and the last
 * period), linearly interpolated between knots and centred: x_0 = 0, x_i = x_{i-1} + step z_i,
 * f(t) = sum_k B[t,k] x_k (B the linear interpolation), w = f - mean f. w is again linear in z,
 * w = sum_i phi~[t,i] step z_i with phi~[t,i] = sum_{k>=i} B[t,k] centred, so both methods share
 * the block; the random walk has one scale `tv_step` (the sd of the change from one knot to the
 * next; half-normal(0.1)) and no length scale. Its gradient: step bar = sum_i z_i g_i.
 *
 * Here: the parameters, the layout (which channels, the centred basis), the float64 reference
 * (`mediaEffectivenessHost`: exp(w) [T, C]) and the kernel block (`TimeVaryingBlock`) with its
 * backward: for w bar [T] of a channel, g_j = sum_t phi~[t,j] w bar_t, z bar_j = s_j g_j,
 * s bar_j = z_j g_j, amp bar = sum_j s bar_j s_j / amp, and with l = ls / S (scaled units)
 * l bar = sum_j s bar_j s_j (1 / (2 l) - l lambda_j / 2), ls bar = l bar / S.
 */
import type { MmmModelConfig, TimeVaryingConfig } from '../config.js';
import { designDims, type MmmDesign } from '../design.js';
import type { KernelParameters } from '../kernel/parameters.js';
import { basisForRange, hsgpBasis } from './hsgp.js';
import type { DrawValues } from './coefficients.js';
import { POSITIVE, REAL, type MmmParameter, type PriorDeclaration } from './types.js';

/** The length scales (periods) the default basis is built for: about the default prior's 1% and 95% quantiles. */
export const DEFAULT_MIN_LENGTH_SCALE = 8;
export const DEFAULT_MAX_LENGTH_SCALE = 60;

export const TIME_VARYING_PRIORS: readonly PriorDeclaration[] = [
  { name: 'tv_amplitude', description: 'sd of a time-varying channel\'s log effectiveness w_c(t) (model.timeVarying; 0 = static)', support: POSITIVE, defaultPrior: { dist: 'halfNormal', scale: 0.2 } },
  { name: 'tv_length_scale', description: 'length scale of w_c(t) in periods (model.timeVarying)', support: POSITIVE, defaultPrior: { dist: 'logNormal', mu: Number(Math.log(26).toFixed(4)), sigma: 0.5 } },
  { name: 'tv_step', description: 'sd of w_c\'s change from one grid knot to the next (model.timeVarying, method "randomWalk")', support: POSITIVE, defaultPrior: { dist: 'halfNormal', scale: 0.1 } },
];

export const DEFAULT_GRID_PERIODS = 13;

/** The time-varying channels and their centred basis on a design. */
export interface TimeVaryingLayout {
  /** Data indices of the time-varying channels (data order), K of them. */
  readonly channels: Int32Array;
  /** [C]: the channel's slot in the tv_* parameters, or -1 (static). */
  readonly slotOf: Int32Array;
  readonly periods: number;
  readonly method: 'hsgp' | 'randomWalk';
  /** Basis functions per channel (random walk: knots - 1). */
  readonly m: number;
  readonly boundary: number;
  /** HSGP: the support of tv_length_scale (periods; timeVaryingBasisSize). */
  readonly lengthScaleBounds: readonly [number, number];
  /** [T, m] basis columns centred over the periods. */
  readonly phi: Float64Array;
  /** [m] lambda_j (scaled units; HSGP only, empty for the random walk). */
  readonly lambda: Float64Array;
  /** Random walk: the knots' periods. */
  readonly knots: readonly number[];
  /** S: the half range of the periods (a length scale in periods / S is in the basis's units). */
  readonly halfRange: number;
}

/** The names of the time-varying channels (data order), or [] without model.timeVarying. */
export function timeVaryingChannels(config: MmmModelConfig, channelNames: readonly string[]): string[] {
  const tv = config.timeVarying;
  if (!tv) return [];
  if (tv.channels === 'all') return [...channelNames];
  for (const name of tv.channels) if (!channelNames.includes(name)) throw new Error(`model config: model.timeVarying.channels: unknown channel "${name}" (channels: ${channelNames.join(', ')})`);
  return channelNames.filter((name) => tv.channels.includes(name));
}

/**
 * The HSGP basis for T periods (module comment): boundary factor c from the largest length scale and
 * count m from the smallest (hsgp.ts `basisForRange`), either given instead; and the length scales'
 * support [min / 2, 2 max], where min is the smallest length scale the basis resolves (1.75 c S / m
 * when the count is given).
 */
export function timeVaryingBasisSize(config: TimeVaryingConfig, periods: number): { m: number; boundary: number; lengthScaleBounds: readonly [number, number] } {
  const halfRange = (periods - 1) / 2;
  const maxLengthScale = config.maxLengthScale ?? DEFAULT_MAX_LENGTH_SCALE;
  const rule = basisForRange((config.minLengthScale ?? DEFAULT_MIN_LENGTH_SCALE) / halfRange, maxLengthScale / halfRange);
  const boundary = config.boundary ?? rule.boundary;
  const m = config.basisFunctions ?? Math.ceil((1.75 * boundary * halfRange) / (config.minLengthScale ?? DEFAULT_MIN_LENGTH_SCALE) - 1e-9);
  const minLengthScale = config.basisFunctions !== undefined ? (1.75 * boundary * halfRange) / m : (config.minLengthScale ?? DEFAULT_MIN_LENGTH_SCALE);
  return { m, boundary, lengthScaleBounds: [minLengthScale / 2, 2 * Math.max(maxLengthScale, minLengthScale)] };
}

const layouts = new WeakMap<MmmDesign, WeakMap<MmmModelConfig, TimeVaryingLayout | null>>();

/** The layout on a design (cached per design and config), or undefined without time-varying channels. */
export function timeVaryingLayout(design: MmmDesign, config: MmmModelConfig): TimeVaryingLayout | undefined {
  let byConfig = layouts.get(design);
  if (!byConfig) layouts.set(design, (byConfig = new WeakMap()));
  const cached = byConfig.get(config);
  if (cached !== undefined) return cached ?? undefined;
  const layout = buildLayout(design, config);
  byConfig.set(config, layout ?? null);
  return layout;
}

function buildLayout(design: MmmDesign, config: MmmModelConfig): TimeVaryingLayout | undefined {
  const names = timeVaryingChannels(config, design.channelNames);
  if (!config.timeVarying || names.length === 0) return undefined;
  const { periods: T, channels: C } = designDims(design);
  if (T < 4) throw new Error(`model config: model.timeVarying needs at least 4 periods, the data have ${T}`);
  const slotOf = new Int32Array(C).fill(-1);
  const channels = Int32Array.from(names, (name) => design.channelNames.indexOf(name));
  channels.forEach((c, k) => (slotOf[c] = k));
  const halfRange = (T - 1) / 2;
  if (config.timeVarying.method === 'randomWalk') {
    const knots = randomWalkKnots(T, config.timeVarying.gridPeriods ?? DEFAULT_GRID_PERIODS);
    const m = knots.length - 1;
    const phi = new Float64Array(T * m);
    // phi[t, i] = sum_{k >= i} B[t, k] (knot i's step moves every later knot), B the linear interpolation
    for (let t = 0; t < T; t++) {
      let k = 0;
      while (k < knots.length - 2 && t > knots[k + 1]) k++;
      const right = (t - knots[k]) / (knots[k + 1] - knots[k]);
      for (let i = 1; i <= m; i++) phi[t * m + i - 1] = i <= k ? 1 : i === k + 1 ? right : 0;
    }
    centreColumns(phi, T, m);
    return { channels, slotOf, periods: T, method: 'randomWalk', m, boundary: NaN, lengthScaleBounds: [NaN, NaN], phi, lambda: new Float64Array(0), knots, halfRange };
  }
  const { m, boundary, lengthScaleBounds } = timeVaryingBasisSize(config.timeVarying, T);
  const basis = hsgpBasis(Float64Array.from({ length: T }, (_, t) => t), m, boundary);
  const phi = Float64Array.from(basis.phi);
  centreColumns(phi, T, m);
  return { channels, slotOf, periods: T, method: 'hsgp', m, boundary, lengthScaleBounds, phi, lambda: Float64Array.from(basis.sqrtLambda, (w) => w * w), knots: [], halfRange };
}

/** Knots every `every` periods from 0, and the last period (a last gap shorter than half a step joins the previous one). */
export function randomWalkKnots(periods: number, every: number): number[] {
  const knots: number[] = [];
  for (let t = 0; t < periods - 1; t += every) knots.push(t);
  if (knots.length > 1 && periods - 1 - knots[knots.length - 1] < every / 2) knots.pop();
  knots.push(periods - 1);
  return knots;
}

/** Subtract each column's mean over the rows of a [rows, m] matrix (the centring of w). */
function centreColumns(phi: Float64Array, rows: number, m: number): void {
  for (let j = 0; j < m; j++) {
    let mean = 0;
    for (let t = 0; t < rows; t++) mean += phi[t * m + j];
    mean /= rows;
    for (let t = 0; t < rows; t++) phi[t * m + j] -= mean;
  }
}

export function timeVaryingParameters(design: MmmDesign, config: MmmModelConfig, prior: (name: string) => MmmParameter['prior']): MmmParameter[] {
  const layout = timeVaryingLayout(design, config);
  if (!layout) return [];
  const names = Array.from(layout.channels, (c) => design.channelNames[c]);
  const K = names.length;
  const row = (name: string, shape: number[], support: MmmParameter['support'], p: MmmParameter['prior'], elementNames: readonly string[], description: string): MmmParameter =>
    ({ name, shape, support, prior: p, elementNames, component: 'timeVarying', description });
  const scales =
    layout.method === 'randomWalk'
      ? [row('tv_step', [K], POSITIVE, prior('tv_step'), names, 'sd of the channel\'s log effectiveness change between grid knots')]
      : [
          row('tv_amplitude', [K], POSITIVE, prior('tv_amplitude'), names, 'sd of the channel\'s log effectiveness over time'),
          row('tv_length_scale', [K], { kind: 'interval', lower: layout.lengthScaleBounds[0], upper: layout.lengthScaleBounds[1] }, prior('tv_length_scale'), names, 'length scale of the channel\'s effectiveness (periods)'),
        ];
  return [
    ...scales,
    row('tv_z', [K, layout.m], REAL, { kind: 'standardNormal' }, names.flatMap((name) => Array.from({ length: layout.m }, (_, j) => `${name}:${j + 1}`)), 'basis weights of the channel\'s effectiveness'),
  ];
}

/** (2 pi)^(1/4): sqrt of the squared-exponential spectral density's constant sqrt(2 pi). */
const SPECTRAL_ROOT = Math.pow(2 * Math.PI, 0.25);

/**
 * The basis scales s [m] of slot k: HSGP s_j = sqrt(S(sqrt(lambda_j))) for amplitude amp and length
 * scale l (scaled units); random walk s_i = step.
 */
function basisScales(layout: TimeVaryingLayout, first: number, second: number, out: Float64Array): void {
  if (layout.method === 'randomWalk') {
    out.fill(first);
    return;
  }
  const amp = first;
  const l = second / layout.halfRange;
  const root = amp * SPECTRAL_ROOT * Math.sqrt(l);
  for (let j = 0; j < layout.m; j++) out[j] = root * Math.exp(-0.25 * l * l * layout.lambda[j]);
}

/** w of slot k at one draw's values [T] (log effectiveness, centred). */
export function logEffectivenessHost(layout: TimeVaryingLayout, values: DrawValues, k: number, out = new Float64Array(layout.periods)): Float64Array {
  const { m, periods: T, phi } = layout;
  const s = new Float64Array(m);
  if (layout.method === 'randomWalk') basisScales(layout, values.tv_step[k], NaN, s);
  else basisScales(layout, values.tv_amplitude[k], values.tv_length_scale[k], s);
  for (let j = 0; j < m; j++) s[j] *= values.tv_z[k * m + j];
  for (let t = 0; t < T; t++) {
    let sum = 0;
    for (let j = 0; j < m; j++) sum += phi[t * m + j] * s[j];
    out[t] = sum;
  }
  return out;
}

/**
 * The media effectiveness exp(w_c(t)) [T, C] of one draw (1 for static channels), or undefined when
 * no channel varies: a channel's contribution at (g, t) is beta[g,c] exp(w_c(t)) h[g,t,c].
 */
export function mediaEffectivenessHost(design: MmmDesign, config: MmmModelConfig, values: DrawValues): Float64Array | undefined {
  const layout = timeVaryingLayout(design, config);
  if (!layout) return undefined;
  const { periods: T, channels: C } = designDims(design);
  const out = new Float64Array(T * C).fill(1);
  const w = new Float64Array(T);
  layout.channels.forEach((c, k) => {
    logEffectivenessHost(layout, values, k, w);
    for (let t = 0; t < T; t++) out[t * C + c] = Math.exp(w[t]);
  });
  return out;
}

/** The kernel block (module comment): exp(w) per chain and time-varying channel, and its backward. */
export class TimeVaryingBlock {
  /** [B, C, T] exp(w_c(t)) (1 for static channels). */
  factor = new Float64Array(0);
  private scales = new Float64Array(0);
  private readonly projected: Float64Array;
  private readonly iAmp: number;
  private readonly iLs: number;
  private readonly iZ: number;
  private B = 0;

  constructor(
    readonly layout: TimeVaryingLayout,
    private readonly params: KernelParameters,
    private readonly channels: number,
  ) {
    const walk = layout.method === 'randomWalk';
    this.iAmp = params.indexOf(walk ? 'tv_step' : 'tv_amplitude');
    this.iLs = walk ? -1 : params.indexOf('tv_length_scale');
    this.iZ = params.indexOf('tv_z');
    if (this.iAmp < 0 || (!walk && this.iLs < 0) || this.iZ < 0) throw new Error(`MMM kernel: time-varying channels need ${walk ? 'tv_step' : 'tv_amplitude, tv_length_scale'} and tv_z`);
    this.projected = new Float64Array(layout.m);
  }

  /** True when channel c varies over time. */
  varies(c: number): boolean {
    return this.layout.slotOf[c] >= 0;
  }

  /** Offset of chain b's channel c in `factor`. */
  offset(b: number, c: number): number {
    return (b * this.channels + c) * this.layout.periods;
  }

  resize(chains: number): void {
    if (chains === this.B) return;
    this.B = chains;
    this.factor = new Float64Array(chains * this.channels * this.layout.periods).fill(1);
    this.scales = new Float64Array(chains * this.layout.channels.length * this.layout.m);
  }

  forward(b: number): void {
    const { params, layout } = this;
    const { m, periods: T, phi } = layout;
    const K = layout.channels.length;
    for (let k = 0; k < K; k++) {
      const s = this.scales.subarray((b * K + k) * m, (b * K + k + 1) * m);
      basisScales(layout, params.value(this.iAmp, b, k), this.iLs < 0 ? NaN : params.value(this.iLs, b, k), s);
      const coefficient = this.projected;
      for (let j = 0; j < m; j++) coefficient[j] = s[j] * params.value(this.iZ, b, k * m + j);
      const base = this.offset(b, layout.channels[k]);
      for (let t = 0; t < T; t++) {
        let sum = 0;
        for (let j = 0; j < m; j++) sum += phi[t * m + j] * coefficient[j];
        this.factor[base + t] = Math.exp(sum);
      }
    }
  }

  /** Gradients of chain b's channel c (a time-varying one) from w bar [T]. */
  backward(b: number, c: number, wBar: Float64Array): void {
    const { params, layout } = this;
    const { m, periods: T, phi, lambda } = layout;
    const K = layout.channels.length;
    const k = layout.slotOf[c];
    const s = this.scales.subarray((b * K + k) * m, (b * K + k + 1) * m);
    const g = this.projected.fill(0);
    for (let t = 0; t < T; t++) {
      const bar = wBar[t];
      if (bar === 0) continue;
      for (let j = 0; j < m; j++) g[j] += phi[t * m + j] * bar;
    }
    const amp = params.value(this.iAmp, b, k);
    const l = this.iLs < 0 ? NaN : params.value(this.iLs, b, k) / layout.halfRange;
    let ampBar = 0;
    let lBar = 0;
    const grad = params.grad;
    for (let j = 0; j < m; j++) {
      const z = params.value(this.iZ, b, k * m + j);
      grad[params.at(this.iZ, b, k * m + j)] = s[j] * g[j];
      const scaleBar = z * g[j] * s[j];
      ampBar += scaleBar;
      if (this.iLs >= 0) lBar += scaleBar * (0.5 / l - 0.5 * l * lambda[j]);
    }
    // s is proportional to the amplitude (HSGP) or equal to the step (random walk): d s / d amp = s / amp
    grad[params.at(this.iAmp, b, k)] = ampBar / amp;
    if (this.iLs >= 0) grad[params.at(this.iLs, b, k)] = lBar / layout.halfRange;
  }
}
