/**
 * The media coefficients: beta[g,c] = exp(m_c + dev[g,c]), with the geo deviation
 * dev[g,c] = eta_c u[g,c] (non-centered log-normal geo effects, the reference model), log_beta[g,c] - m_c
 * (centered: log_beta ~ N(m, eta) is the parameter), or 0 (pooled media, or one geo). Under an ROI
 * prior (Meridian's parameterization, "ROI priors"; Jin et al. 2017) roi_c is the parameter and m_c is
 * derived per draw so that the channel's ROI over its window equals it:
 *   m_c = log roi_c + log spend_c - log W_c,  W_c = sum_g exp(dev[g,c]) H[g,c],  H[g,c] = sum_t h[g,t,c] rw[g,t,c]
 * with rw the window indicator times the KPI unit and value. Here: the parameters, the float64
 * reference per draw (`mediaCoefficientsHost`) and the kernel block (`CoefficientsBlock`) with its
 * backward: for coefficient sums cs[g] = d/d beta[g,c], logbeta bar = cs beta, m bar = sum_g logbeta bar;
 * ROI: roi bar = m bar / roi, W bar = -m bar / W, dev bar += W bar exp(dev) H and h bar += W bar exp(dev) rw;
 * eta bar = sum_g dev bar u, u bar = dev bar eta; centered: log_beta bar = logbeta bar.
 * Organic channels (no spend, Meridian's organic media) have no ROI: under an ROI prior they keep the
 * coefficient prior, so the table then has roi [paid channels] and m [organic channels].
 */
import { centeringWeight, type MmmModelConfig } from '../config.js';
import { designDims, isPaidChannel, type MmmDesign } from '../design.js';
import type { KernelParameters } from '../kernel/parameters.js';
import { POSITIVE, REAL, type MmmParameter, type PriorDeclaration } from './types.js';

export const COEFFICIENT_PRIORS: readonly PriorDeclaration[] = [
  { name: 'm', description: 'log median media coefficient (coefficient prior)', support: REAL, defaultPrior: { dist: 'normal', loc: -1.5, scale: 1 } },
  { name: 'roi', description: 'channel ROI (ROI prior; Meridian\'s default LogNormal(0.2, 0.9))', support: POSITIVE, defaultPrior: { dist: 'logNormal', mu: 0.2, sigma: 0.9 } },
  { name: 'eta', description: 'geo sd of log beta', support: POSITIVE, defaultPrior: { dist: 'halfNormal', scale: 0.3 } },
];

/** How the geo media effects enter: per geo (non-centered or centered), or none. */
export interface CoefficientForm {
  readonly mediaByGeo: boolean;
  readonly centered: boolean;
  readonly roiPrior: boolean;
  /** Per channel: true when its prior is on the ROI (roi[slot]), false when on m (m[slot]). */
  readonly onRoi: readonly boolean[];
  /** Per channel: its index in the roi or the m vector. */
  readonly slot: Int32Array;
}

/** Per channel whether its prior is on the ROI (paid channels under an ROI prior) and its index in roi or m. */
export function coefficientSlots(design: MmmDesign, config: MmmModelConfig): { onRoi: boolean[]; slot: Int32Array } {
  const C = design.channelNames.length;
  const onRoi = Array.from({ length: C }, (_, c) => config.mediaPrior.type === 'roi' && isPaidChannel(design, c));
  const slot = new Int32Array(C);
  let roiCount = 0;
  let mCount = 0;
  for (let c = 0; c < C; c++) slot[c] = onRoi[c] ? roiCount++ : mCount++;
  return { onRoi, slot };
}

export function coefficientForm(design: MmmDesign, config: MmmModelConfig): CoefficientForm {
  const mediaByGeo = design.geoNames.length > 1 && config.geo.media !== 'pooled';
  const centered = mediaByGeo && config.geo.media === 'centered';
  const roiPrior = config.mediaPrior.type === 'roi';
  if (roiPrior && centered) throw new Error('model config: an ROI prior needs non-centered or pooled geo media effects (geo.media), not centered');
  if (roiPrior && typeof config.geo.media === 'object' && mediaByGeo && Object.values(config.geo.media).some((form) => centeringWeight(form) > 0)) {
    throw new Error('model config: geo.media: centering channels needs the coefficient prior (m); with an ROI prior m is derived, use non-centered or pooled media effects');
  }
  return { mediaByGeo, centered, roiPrior, ...coefficientSlots(design, config) };
}

export function coefficientParameters(design: MmmDesign, config: MmmModelConfig, prior: (name: string) => MmmParameter['prior']): MmmParameter[] {
  const { geos: G, channels: C } = designDims(design);
  const form = coefficientForm(design, config);
  const channels = design.channelNames;
  const rows: MmmParameter[] = [];
  const row = (name: string, shape: number[], support: MmmParameter['support'], p: MmmParameter['prior'], elementNames: readonly string[], description: string) =>
    rows.push({ name, shape, support, prior: p, elementNames, component: 'coefficients', description });
  const roiChannels = channels.filter((_, c) => form.onRoi[c]);
  const mChannels = channels.filter((_, c) => !form.onRoi[c]);
  if (roiChannels.length > 0) row('roi', [roiChannels.length], POSITIVE, prior('roi'), roiChannels, 'channel ROI');
  if (mChannels.length > 0) row('m', [mChannels.length], REAL, prior('m'), mChannels, form.roiPrior ? 'log median media coefficient (organic channels)' : 'log median media coefficient');
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

/** ROI-prior constants: per channel the log spend in its window, and rw [C, N] (window x KPI unit x KPI value). */
export interface RoiWindows {
  readonly logSpendTotal: Float64Array;
  readonly roiWeight: Float64Array;
}

export function roiWindows(design: MmmDesign, config: MmmModelConfig): RoiWindows {
  const { geos: G, periods: T, channels: C } = designDims(design);
  const N = G * T;
  const windows = config.mediaPrior.type === 'roi' ? config.mediaPrior.window ?? {} : {};
  const roiWeight = new Float64Array(C * N);
  const logSpendTotal = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    if (!isPaidChannel(design, c)) continue; // organic: no ROI
    const window = windows[design.channelNames[c]];
    let spend = 0;
    for (let t = 0; t < T; t++) {
      const date = design.dates[t];
      if (window && (date < window.from || date > window.to)) continue;
      for (let g = 0; g < G; g++) {
        const n = g * T + t;
        spend += design.spend[n * C + c];
        roiWeight[c * N + n] = design.kpiUnit[g] * (design.kpiValue ? design.kpiValue[n] : 1);
      }
    }
    if (!(spend > 0)) {
      throw new Error(`model config: channel "${design.channelNames[c]}" has no spend in its ROI prior window, so its ROI is undefined`);
    }
    logSpendTotal[c] = Math.log(spend);
  }
  return { logSpendTotal, roiWeight };
}

/** Constrained values of one draw by parameter name (flat arrays). */
export type DrawValues = Readonly<Record<string, ArrayLike<number>>>;

/** Media coefficients beta [G, C] of one draw, float64 (derives m from roi under an ROI prior); saturated is h [G, T, C]. */
export function mediaCoefficientsHost(design: MmmDesign, config: MmmModelConfig, values: DrawValues, saturated: Float64Array): Float64Array {
  const { geos: G, periods: T, channels: C } = designDims(design);
  const byGeo = G > 1 && config.geo.media !== 'pooled';
  const deviation = (g: number, c: number): number => {
    if (!byGeo) return 0;
    if (config.geo.media === 'centered') return values.log_beta[g * C + c] - values.m[c]; // centered: coefficient prior, slot = c
    return values.eta[c] * values.u[g * C + c];
  };
  const beta = new Float64Array(G * C);
  const { onRoi, slot } = coefficientSlots(design, config);
  for (let c = 0; c < C; c++) {
    let m: number;
    if (onRoi[c] && config.mediaPrior.type === 'roi') {
      const window = config.mediaPrior.window?.[design.channelNames[c]];
      let spend = 0;
      let weighted = 0;
      for (let g = 0; g < G; g++) {
        for (let t = 0; t < T; t++) {
          const date = design.dates[t];
          if (window && (date < window.from || date > window.to)) continue;
          spend += design.spend[(g * T + t) * C + c];
          const value = design.kpiUnit[g] * (design.kpiValue ? design.kpiValue[g * T + t] : 1);
          weighted += Math.exp(deviation(g, c)) * saturated[(g * T + t) * C + c] * value;
        }
      }
      m = Math.log(values.roi[slot[c]]) + Math.log(spend) - Math.log(weighted);
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
  /** ROI: [B, G, C] H and [B, C] W. */
  private windowSum = new Float64Array(0);
  private windowTotal = new Float64Array(0);
  private readonly logBetaBar: Float64Array;
  private readonly windows?: RoiWindows;
  private readonly iM: number;
  private readonly iRoi: number;
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
  ) {
    this.form = coefficientForm(design, config);
    this.windows = this.form.roiPrior ? roiWindows(design, config) : undefined;
    this.logBetaBar = new Float64Array(geos * channels);
    this.iM = params.indexOf('m');
    this.iRoi = params.indexOf('roi');
    this.iEta = params.indexOf('eta');
    this.iU = params.indexOf('u');
    this.iLogBeta = params.indexOf('log_beta');
  }

  /** ROI prior: rw [C, N], else an empty array. */
  get roiWeight(): Float64Array {
    return this.windows?.roiWeight ?? new Float64Array(0);
  }

  resize(chains: number): void {
    if (chains === this.B) return;
    this.B = chains;
    const size = chains * this.geos * this.channels;
    this.beta = new Float64Array(size);
    this.expDeviation = new Float64Array(size);
    this.windowSum = new Float64Array(this.form.roiPrior ? size : 0);
    this.windowTotal = new Float64Array(this.form.roiPrior ? chains * this.channels : 0);
  }

  /** beta of chain b from its saturated media h [B, C, N] (channel-major). */
  forward(b: number, saturated: Float64Array): void {
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
        if (this.form.onRoi[c]) {
          const { roiWeight, logSpendTotal } = this.windows as RoiWindows;
          const cellBase = (b * C + c) * N;
          let total = 0;
          for (let g = 0; g < G; g++) {
            let sum = 0;
            for (let n = g * T; n < (g + 1) * T; n++) sum += saturated[cellBase + n] * roiWeight[c * N + n];
            this.windowSum[(b * G + g) * C + c] = sum;
            total += expDeviation[(b * G + g) * C + c] * sum;
          }
          this.windowTotal[b * C + c] = total;
          m = Math.log(params.value(this.iRoi, b, this.form.slot[c])) + logSpendTotal[c] - Math.log(total);
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
   * sums[g] = d/d beta[g,c]; returns W bar (ROI prior; 0 otherwise), which the saturation's bar
   * picks up as W bar exp(dev[g,c]) rw[g,t,c].
   */
  backward(b: number, c: number, sums: Float64Array): number {
    const { params, geos: G, channels: C, beta, logBetaBar } = this;
    const { mediaByGeo, centered } = this.form;
    const roiPrior = this.form.onRoi[c];
    const grad = params.grad;
    let mBar = 0;
    for (let g = 0; g < G; g++) {
      const bar = sums[g] * beta[(b * G + g) * C + c];
      logBetaBar[g * C + c] = bar;
      mBar += bar;
    }
    let windowBar = 0;
    if (roiPrior) {
      const roi = params.value(this.iRoi, b, this.form.slot[c]);
      grad[params.at(this.iRoi, b, this.form.slot[c])] = mBar / roi;
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
        if (roiPrior) deviationBar += windowBar * this.expDeviation[j] * this.windowSum[j];
        etaBar += deviationBar * params.value(this.iU, b, g * C + c);
        grad[params.at(this.iU, b, g * C + c)] = deviationBar * eta;
      }
      grad[params.at(this.iEta, b, c)] = etaBar;
    }
    return windowBar;
  }
}
