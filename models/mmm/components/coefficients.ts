/**
 * The media coefficients: beta[g,c] = exp(m_c + dev[g,c]), with the geo deviation
 * dev[g,c] = eta_c u[g,c] (non-centered log-normal geo effects, the reference model), log_beta[g,c] - m_c
 * (centered: log_beta ~ N(m, eta) is the parameter), or 0 (pooled media, or one geo).
 *
 * Media priors (Meridian's media_prior_type; meridian/model/prior_distribution.py and equations.py;
 * Jin et al. 2017): under the coefficient prior m_c is the parameter. Under the others a quantity of
 * the model is the parameter and m_c is derived per draw in closed form so that the model implies it:
 *   m_c = log q_c + log K_c - log W_c,  W_c = sum_g exp(dev[g,c]) H[g,c],  H[g,c] = sum_t r[g,t,c] rw[g,t,c]
 * with rw the window indicator times the KPI unit and value (revenue per KPI), and
 * - 'roi':          q = roi_c, K = spend in the window, r = h                    (ROI over the window)
 * - 'contribution': q = p_c in (0, 1), K = total outcome in the window (KPI units, or revenue), r = h
 *                   (the channel's share of the outcome: sum beta h kpiUnit (x value) = p_c K)
 * - 'mroi':         q = mroi_c, K = 0.01 x spend, r = h(1.01 a) - h(a), a the adstocked media
 *                   (the marginal ROI of src/analysis/mediaAnalysis.ts: KPI at 1.01 x the media minus
 *                   KPI at the data, beta at the data, over 0.01 x spend; whole period).
 * Paid channels take roi / mroi; organic channels (no spend, Meridian's organic media) keep m under
 * those, but have a contribution, so under 'contribution' every channel takes p. `kpiSharePrior`
 * is Meridian's one ROI prior for all channels from the share of the outcome media explains.
 *
 * Here: the parameters, the float64 reference per draw (`mediaCoefficientsHost`) and the kernel
 * block (`CoefficientsBlock`) with its backward: for coefficient sums cs[g] = d/d beta[g,c],
 * logbeta bar = cs beta, m bar = sum_g logbeta bar; derived: q bar = m bar / q, W bar = -m bar / W,
 * dev bar += W bar exp(dev) H and r bar = W bar exp(dev) rw (the media block takes r bar to h bar, and
 * under 'mroi' to h bar = -r bar at a and r bar 1.01 h'(1.01 a) into a bar with the saturation
 * parameters' part at 1.01 a, kernel/media.ts); eta bar = sum_g dev bar u, u bar = dev bar eta;
 * centered: log_beta bar = logbeta bar.
 */
import { byChannel, centeringWeight, mediaPriorWindows, type KpiShare, type MediaPriorType, type MmmModelConfig } from '../config.js';
import { designDims, isPaidChannel, type MmmDesign } from '../design.js';
import type { KernelParameters } from '../kernel/parameters.js';
import type { PriorSpec } from '../../../src/distributions/index.js';
import { adstockSeries, channelTransform, saturateLevel } from './mediaTransform.js';
import { mediaEffectivenessHost, type TimeVaryingBlock } from './timeVarying.js';
import { POSITIVE, REAL, UNIT, type MmmParameter, type PriorDeclaration } from './types.js';

/** The relative media increase of the marginal ROI (as src/analysis/mediaAnalysis.ts's default). */
export const MROI_STEP = 0.01;

export const COEFFICIENT_PRIORS: readonly PriorDeclaration[] = [
  { name: 'm', description: 'log median media coefficient (coefficient prior)', support: REAL, defaultPrior: { dist: 'normal', loc: -1.5, scale: 1 } },
  { name: 'roi', description: 'channel ROI (ROI prior; Meridian\'s default LogNormal(0.2, 0.9))', support: POSITIVE, defaultPrior: { dist: 'logNormal', mu: 0.2, sigma: 0.9 } },
  { name: 'contribution', description: 'channel\'s share of the total outcome (contribution prior; Meridian\'s default Beta(1, 99))', support: UNIT, defaultPrior: { dist: 'beta', a: 1, b: 99 } },
  { name: 'mroi', description: 'channel marginal ROI (mROI prior; Meridian\'s default LogNormal(0, 0.5))', support: POSITIVE, defaultPrior: { dist: 'logNormal', mu: 0, sigma: 0.5 } },
  { name: 'eta', description: 'geo sd of log beta', support: POSITIVE, defaultPrior: { dist: 'halfNormal', scale: 0.3 } },
];

/** A media prior under which m is derived, and the name of its parameter. */
export type DerivedPriorType = Exclude<MediaPriorType, 'coefficient'>;

/** How the geo media effects enter: per geo (non-centered or centered), or none. */
export interface CoefficientForm {
  readonly mediaByGeo: boolean;
  readonly centered: boolean;
  /** The media prior's type ('coefficient': m is the parameter of every channel). */
  readonly prior: MediaPriorType;
  /** True when m is derived for some channel (any prior but the coefficient prior). */
  readonly derivedPrior: boolean;
  /** Per channel: true when m is derived from the prior's parameter (`prior`[slot]), false when m[slot] is the parameter. */
  readonly derived: readonly boolean[];
  /** Per channel: its index in the prior's parameter or in the m vector. */
  readonly slot: Int32Array;
}

/** Per channel whether m is derived (paid channels under an ROI or mROI prior, every channel under a contribution prior) and its index in that parameter or m. */
export function coefficientSlots(design: MmmDesign, config: MmmModelConfig): { derived: boolean[]; slot: Int32Array } {
  const C = design.channelNames.length;
  const type = config.mediaPrior.type;
  const derived = Array.from({ length: C }, (_, c) => type === 'contribution' || ((type === 'roi' || type === 'mroi') && isPaidChannel(design, c)));
  const slot = new Int32Array(C);
  let derivedCount = 0;
  let mCount = 0;
  for (let c = 0; c < C; c++) slot[c] = derived[c] ? derivedCount++ : mCount++;
  return { derived, slot };
}

const PRIOR_LABEL: Record<MediaPriorType, string> = { coefficient: 'a coefficient prior', roi: 'an ROI prior', contribution: 'a contribution prior', mroi: 'an mROI prior' };

/** "an ROI prior", "a contribution prior", ... for messages. */
export function mediaPriorLabel(type: MediaPriorType): string {
  return PRIOR_LABEL[type];
}

export function coefficientForm(design: MmmDesign, config: MmmModelConfig): CoefficientForm {
  const mediaByGeo = design.geoNames.length > 1 && config.geo.media !== 'pooled';
  const centered = mediaByGeo && config.geo.media === 'centered';
  const prior = config.mediaPrior.type;
  const derivedPrior = prior !== 'coefficient';
  const label = mediaPriorLabel(prior);
  if (derivedPrior && centered) throw new Error(`model config: ${label} needs non-centered or pooled geo media effects (geo.media), not centered`);
  if (derivedPrior && typeof config.geo.media === 'object' && mediaByGeo && Object.values(config.geo.media).some((form) => centeringWeight(form) > 0)) {
    throw new Error(`model config: geo.media: centering channels needs the coefficient prior (m); with ${label} m is derived, use non-centered or pooled media effects`);
  }
  return { mediaByGeo, centered, prior, derivedPrior, ...coefficientSlots(design, config) };
}

/** Total outcome over the periods of a window (all periods without one): sum of the KPI in KPI units, times the value per KPI when the data has it. */
export function totalOutcome(design: MmmDesign, window?: { readonly from: string; readonly to: string }): number {
  const { geos: G, periods: T } = designDims(design);
  let total = 0;
  for (let g = 0; g < G; g++) {
    for (let t = 0; t < T; t++) {
      const date = design.dates[t];
      if (window && (date < window.from || date > window.to)) continue;
      const n = g * T + t;
      total += design.kpi[n] * design.kpiUnit[g] * (design.kpiValue ? design.kpiValue[n] : 1);
    }
  }
  return total;
}

/**
 * Meridian's ROI prior from the share of the outcome media explains (prior_distribution.py
 * `_get_total_media_contribution_prior`): if every paid channel's ROI has mean mu_r and sd sd_r,
 * independently, total media contribution sum_c roi_c S_c has mean mu_r sum_c S_c and sd
 * sd_r sqrt(sum_c S_c^2) (S_c the channel's total spend); setting these to share.mean x Y and
 * share.sd x Y (Y the total outcome, all periods) gives mu_r and sd_r, and the LogNormal with that
 * mean and sd: sigma^2 = log(1 + sd_r^2 / mu_r^2), mu = log mu_r - sigma^2 / 2.
 */
export function kpiSharePrior(design: MmmDesign, share: KpiShare): Extract<PriorSpec, { dist: 'logNormal' }> & { readonly mu: number; readonly sigma: number } {
  const { geos: G, periods: T, channels: C } = designDims(design);
  const outcome = totalOutcome(design);
  if (!(outcome > 0)) throw new Error(`model config: mediaPrior.kpiShare needs a positive total KPI, got ${outcome}`);
  let spend = 0;
  let squares = 0;
  for (let c = 0; c < C; c++) {
    if (!isPaidChannel(design, c)) continue;
    let total = 0;
    for (let n = 0; n < G * T; n++) total += design.spend[n * C + c];
    spend += total;
    squares += total * total;
  }
  if (!(spend > 0)) throw new Error('model config: mediaPrior.kpiShare needs paid channels with spend');
  const roiMean = (share.mean * outcome) / spend;
  const roiSd = (share.sd * outcome) / Math.sqrt(squares);
  const sigma = Math.sqrt(Math.log1p((roiSd * roiSd) / (roiMean * roiMean)));
  return { dist: 'logNormal', mu: Math.log(roiMean) - (sigma * sigma) / 2, sigma };
}

/** The prior of the ROI parameter: from mediaPrior.kpiShare when given, else the config's or the default. */
function roiPrior(design: MmmDesign, config: MmmModelConfig, prior: (name: string) => MmmParameter['prior']): MmmParameter['prior'] {
  if (config.mediaPrior.type === 'roi' && config.mediaPrior.kpiShare) return { kind: 'config', spec: kpiSharePrior(design, config.mediaPrior.kpiShare) };
  return prior('roi');
}

const fmt = (x: number) => Number(x.toPrecision(4)).toString();

/**
 * One line on the media prior for the fit's log, or undefined for the coefficient prior (the
 * default). Says when the ROI prior was derived from kpiShare, and, for an ROI prior on a KPI
 * without revenue and without model.priors.roi, that Meridian would derive one from kpiShare (Mixwell
 * does only when asked: the default ROI prior stays LogNormal(0.2, 0.9)).
 */
export function describeMediaPrior(design: MmmDesign, config: MmmModelConfig): string | undefined {
  const prior = config.mediaPrior;
  switch (prior.type) {
    case 'coefficient':
      return undefined;
    case 'contribution':
      return 'media prior: on each channel\'s share of the total outcome (contribution), m derived per draw';
    case 'mroi':
      return 'media prior: on each paid channel\'s marginal ROI (mroi, +1% media over the whole period), m derived per draw';
    case 'roi': {
      if (prior.kpiShare) {
        const spec = kpiSharePrior(design, prior.kpiShare);
        return `media prior: ROI, one logNormal(${fmt(spec.mu)}, ${fmt(spec.sigma)}) for every paid channel from media explaining ${prior.kpiShare.mean} +- ${prior.kpiShare.sd} of the total KPI (mediaPrior.kpiShare, Meridian's prior for a KPI without revenue)`;
      }
      if (!design.kpiValue && !config.priors.roi) {
        return 'media prior: ROI, the default logNormal(0.2, 0.9) per paid channel on a KPI without revenue (KPI per unit of spend); Meridian would derive one ROI prior from media explaining 0.4 +- 0.2 of the KPI: set model.mediaPrior.kpiShare to true for that';
      }
      return 'media prior: ROI (roi), m derived per draw';
    }
  }
}

const DERIVED_DESCRIPTION: Record<DerivedPriorType, string> = { roi: 'channel ROI', contribution: 'channel share of the total outcome', mroi: 'channel marginal ROI' };

export function coefficientParameters(design: MmmDesign, config: MmmModelConfig, prior: (name: string) => MmmParameter['prior']): MmmParameter[] {
  const { geos: G, channels: C } = designDims(design);
  const form = coefficientForm(design, config);
  const channels = design.channelNames;
  const rows: MmmParameter[] = [];
  const row = (name: string, shape: number[], support: MmmParameter['support'], p: MmmParameter['prior'], elementNames: readonly string[], description: string) =>
    rows.push({ name, shape, support, prior: p, elementNames, component: 'coefficients', description });
  const derivedChannels = channels.filter((_, c) => form.derived[c]);
  const mChannels = channels.filter((_, c) => !form.derived[c]);
  if (form.prior !== 'coefficient' && derivedChannels.length > 0) {
    const type = form.prior;
    row(type, [derivedChannels.length], type === 'contribution' ? UNIT : POSITIVE, type === 'roi' ? roiPrior(design, config, prior) : prior(type), derivedChannels, DERIVED_DESCRIPTION[type]);
  }
  if (mChannels.length > 0) row('m', [mChannels.length], REAL, prior('m'), mChannels, form.derivedPrior ? 'log median media coefficient (organic channels)' : 'log median media coefficient');
  if (form.mediaByGeo) {
    row('eta', [C], POSITIVE, prior('eta'), channels, 'geo sd of log beta');
    const geoChannel = design.geoNames.flatMap((geo) => channels.map((channel) => `${geo}:${channel}`));
    if (form.centered) {
      const locIndex = Int32Array.from({ length: G * C }, (_, i) => i % C);
      row('log_beta', [G, C], REAL, { kind: 'hierarchical', loc: 'm', scale: 'eta', locIndex }, geoChannel, 'log media coefficient (centered)');
    } else {
      row('u', [G, C], REAL, { kind: 'standardNormal' }, geoChannel, 'standardized geo media effect');
    }
  }
  return rows;
}

/**
 * Constants of a derived media prior: per channel log K_c (module comment: the spend in the window,
 * the outcome in the window, or 0.01 x the spend), and rw [C, N] (window x KPI unit x KPI value);
 * zero for channels whose m is a parameter.
 */
export interface DerivedPriorConstants {
  readonly logTarget: Float64Array;
  readonly weight: Float64Array;
}

export function derivedPriorConstants(design: MmmDesign, config: MmmModelConfig): DerivedPriorConstants {
  const { geos: G, periods: T, channels: C } = designDims(design);
  const N = G * T;
  const type = config.mediaPrior.type;
  const windows = mediaPriorWindows(config.mediaPrior);
  const { derived } = coefficientSlots(design, config);
  const weight = new Float64Array(C * N);
  const logTarget = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    if (!derived[c]) continue;
    const name = design.channelNames[c];
    const window = byChannel(windows, name);
    let spend = 0;
    for (let t = 0; t < T; t++) {
      const date = design.dates[t];
      if (window && (date < window.from || date > window.to)) continue;
      for (let g = 0; g < G; g++) {
        const n = g * T + t;
        spend += design.spend[n * C + c];
        weight[c * N + n] = design.kpiUnit[g] * (design.kpiValue ? design.kpiValue[n] : 1);
      }
    }
    if (type === 'contribution') {
      const outcome = totalOutcome(design, window);
      if (!(outcome > 0)) throw new Error(`model config: channel "${name}": the total outcome in its contribution prior window is ${outcome}, so its share is undefined`);
      logTarget[c] = Math.log(outcome);
    } else {
      if (!(spend > 0)) throw new Error(`model config: channel "${name}" has no spend in its ${type === 'mroi' ? 'mROI' : 'ROI'} prior window, so its ${type === 'mroi' ? 'mROI' : 'ROI'} is undefined`);
      logTarget[c] = Math.log(type === 'mroi' ? MROI_STEP * spend : spend);
    }
  }
  return { logTarget, weight };
}

/** Constrained values of one draw by parameter name (flat arrays). */
export type DrawValues = Readonly<Record<string, ArrayLike<number>>>;

/**
 * Media coefficients beta [G, C] of one draw, float64 (derives m under a derived media prior, from
 * whole series: the obviously-right form); saturated is h [G, T, C]. With time-varying channels
 * (timeVarying.ts) beta is the coefficient of the average period: period t's is beta exp(w_c(t)),
 * and the derived m sums the response times exp(w_c(t)).
 */
export function mediaCoefficientsHost(design: MmmDesign, config: MmmModelConfig, values: DrawValues, saturated: Float64Array): Float64Array {
  const { geos: G, periods: T, channels: C } = designDims(design);
  const byGeo = G > 1 && config.geo.media !== 'pooled';
  const deviation = (g: number, c: number): number => {
    if (!byGeo) return 0;
    if (config.geo.media === 'centered') return values.log_beta[g * C + c] - values.m[c]; // centered: coefficient prior, slot = c
    return values.eta[c] * values.u[g * C + c];
  };
  const beta = new Float64Array(G * C);
  const { derived, slot } = coefficientSlots(design, config);
  const effectiveness = mediaEffectivenessHost(design, config, values);
  const type = config.mediaPrior.type;
  const windows = mediaPriorWindows(config.mediaPrior);
  const series = new Float64Array(T);
  const adstocked = new Float64Array(T);
  for (let c = 0; c < C; c++) {
    let m: number;
    if (derived[c] && type !== 'coefficient') {
      const window = byChannel(windows, design.channelNames[c]);
      const inWindow = (t: number) => !window || (design.dates[t] >= window.from && design.dates[t] <= window.to);
      const transform = type === 'mroi' ? channelTransform(config, values, c, design.channelNames) : undefined;
      let spend = 0;
      let weighted = 0;
      for (let g = 0; g < G; g++) {
        if (transform) {
          for (let t = 0; t < T; t++) series[t] = design.media[(g * T + t) * C + c];
          adstockSeries(transform, series, adstocked);
        }
        for (let t = 0; t < T; t++) {
          if (!inWindow(t)) continue;
          const n = g * T + t;
          spend += design.spend[n * C + c];
          const value = design.kpiUnit[g] * (design.kpiValue ? design.kpiValue[n] : 1);
          // mROI: the increment of the response to 1.01 x the media (a reach and frequency channel: its
          // reach at fixed frequency, so the response scales: 1.01 y - y)
          const response = !transform
            ? saturated[n * C + c]
            : transform.rf
              ? (1 + MROI_STEP) * saturated[n * C + c] - saturated[n * C + c]
              : saturateLevel(transform, (1 + MROI_STEP) * adstocked[t]) - saturated[n * C + c];
          weighted += Math.exp(deviation(g, c)) * response * value * (effectiveness ? effectiveness[t * C + c] : 1);
        }
      }
      const target = type === 'roi' ? spend : type === 'mroi' ? MROI_STEP * spend : totalOutcome(design, window);
      m = Math.log(values[type][slot[c]]) + Math.log(target) - Math.log(weighted);
    } else {
      m = values.m[slot[c]];
    }
    for (let g = 0; g < G; g++) {
      beta[g * C + c] = config.geo.media === 'centered' && byGeo ? Math.exp(values.log_beta[g * C + c]) : Math.exp(m + deviation(g, c));
    }
  }
  return beta;
}

/** The coefficient block of the kernel (module comment): beta per chain from the saturated media, and its backward. */
export class CoefficientsBlock {
  readonly form: CoefficientForm;
  /** [B, G, C] */
  beta = new Float64Array(0);
  /** [B, G, C] exp(dev) */
  expDeviation = new Float64Array(0);
  /** Derived prior: [B, G, C] H and [B, C] W. */
  private windowSum = new Float64Array(0);
  private windowTotal = new Float64Array(0);
  private readonly logBetaBar: Float64Array;
  private readonly constants?: DerivedPriorConstants;
  private readonly iM: number;
  private readonly iPrior: number;
  private readonly iEta: number;
  private readonly iU: number;
  private readonly iLogBeta: number;
  private B = 0;

  constructor(
    design: MmmDesign,
    config: MmmModelConfig,
    private readonly params: KernelParameters,
    private readonly geos: number,
    private readonly periods: number,
    private readonly channels: number,
    private readonly timeVarying?: TimeVaryingBlock,
  ) {
    this.form = coefficientForm(design, config);
    this.constants = this.form.derivedPrior ? derivedPriorConstants(design, config) : undefined;
    this.logBetaBar = new Float64Array(geos * channels);
    this.iM = params.indexOf('m');
    this.iPrior = this.form.prior === 'coefficient' ? -1 : params.indexOf(this.form.prior);
    this.iEta = params.indexOf('eta');
    this.iU = params.indexOf('u');
    this.iLogBeta = params.indexOf('log_beta');
  }

  /** Derived prior: rw [C, N], else an empty array. */
  get priorWeight(): Float64Array {
    return this.constants?.weight ?? new Float64Array(0);
  }

  resize(chains: number): void {
    if (chains === this.B) return;
    this.B = chains;
    const size = chains * this.geos * this.channels;
    this.beta = new Float64Array(size);
    this.expDeviation = new Float64Array(size);
    this.windowSum = new Float64Array(this.form.derivedPrior ? size : 0);
    this.windowTotal = new Float64Array(this.form.derivedPrior ? chains * this.channels : 0);
  }

  /**
   * beta of chain b from r [B, C, N] (channel-major): the saturated media h, or under an mROI prior
   * the increments h(1.01 a) - h(a) (the media block's); r only enters the derived m, times the
   * time-varying block's exp(w_c(t)) (run before) for a time-varying channel.
   */
  forward(b: number, response: Float64Array): void {
    const { params, geos: G, periods: T, channels: C } = this;
    const N = G * T;
    const { mediaByGeo, centered } = this.form;
    const { expDeviation, beta } = this;
    for (let c = 0; c < C; c++) {
      let m = 0;
      if (centered) {
        for (let g = 0; g < G; g++) expDeviation[(b * G + g) * C + c] = 1;
      } else {
        const eta = mediaByGeo ? params.value(this.iEta, b, c) : 0;
        for (let g = 0; g < G; g++) {
          expDeviation[(b * G + g) * C + c] = mediaByGeo ? Math.exp(eta * params.value(this.iU, b, g * C + c)) : 1;
        }
        if (this.form.derived[c]) {
          const { weight, logTarget } = this.constants as DerivedPriorConstants;
          const cellBase = (b * C + c) * N;
          const factor = this.timeVarying?.varies(c) ? this.timeVarying.factor : undefined;
          const factorBase = factor ? (this.timeVarying as TimeVaryingBlock).offset(b, c) : 0;
          let total = 0;
          for (let g = 0; g < G; g++) {
            let sum = 0;
            if (factor) for (let t = 0, n = g * T; t < T; t++, n++) sum += response[cellBase + n] * weight[c * N + n] * factor[factorBase + t];
            else for (let n = g * T; n < (g + 1) * T; n++) sum += response[cellBase + n] * weight[c * N + n];
            this.windowSum[(b * G + g) * C + c] = sum;
            total += expDeviation[(b * G + g) * C + c] * sum;
          }
          this.windowTotal[b * C + c] = total;
          m = Math.log(params.value(this.iPrior, b, this.form.slot[c])) + logTarget[c] - Math.log(total);
        } else {
          m = params.value(this.iM, b, this.form.slot[c]);
        }
      }
      const expM = Math.exp(m);
      for (let g = 0; g < G; g++) {
        const j = (b * G + g) * C + c;
        beta[j] = centered ? Math.exp(params.value(this.iLogBeta, b, g * C + c)) : expM * expDeviation[j];
      }
    }
  }

  /**
   * Gradients of channel c's coefficient parameters of chain b from the coefficient sums
   * sums[g] = d/d beta[g,c]; returns W bar (derived prior; 0 otherwise), which the media block
   * turns into r bar = W bar exp(dev[g,c]) rw[g,t,c].
   */
  backward(b: number, c: number, sums: Float64Array): number {
    const { params, geos: G, channels: C, beta, logBetaBar } = this;
    const { mediaByGeo, centered } = this.form;
    const derived = this.form.derived[c];
    const grad = params.grad;
    let mBar = 0;
    for (let g = 0; g < G; g++) {
      const bar = sums[g] * beta[(b * G + g) * C + c];
      logBetaBar[g * C + c] = bar;
      mBar += bar;
    }
    let windowBar = 0;
    if (derived) {
      const q = params.value(this.iPrior, b, this.form.slot[c]);
      grad[params.at(this.iPrior, b, this.form.slot[c])] = mBar / q;
      windowBar = -mBar / this.windowTotal[b * C + c];
    } else if (!centered) {
      grad[params.at(this.iM, b, this.form.slot[c])] = mBar;
    }
    if (centered) {
      for (let g = 0; g < G; g++) grad[params.at(this.iLogBeta, b, g * C + c)] = logBetaBar[g * C + c];
    } else if (mediaByGeo) {
      const eta = params.value(this.iEta, b, c);
      let etaBar = 0;
      for (let g = 0; g < G; g++) {
        const j = (b * G + g) * C + c;
        let deviationBar = logBetaBar[g * C + c];
        if (derived) deviationBar += windowBar * this.expDeviation[j] * this.windowSum[j];
        etaBar += deviationBar * params.value(this.iU, b, g * C + c);
        grad[params.at(this.iU, b, g * C + c)] = deviationBar * eta;
      }
      grad[params.at(this.iEta, b, c)] = etaBar;
    }
    return windowBar;
  }
}
