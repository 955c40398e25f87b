/**
 * Per-draw ingredients of the planning window's KPI, precomputed on the host in float64 from a
 * posterior (the only place in src/optimize that reads the MMM's parameters):
 *
 *   outcome_d(x) = baseline_d + sum_{g,c} scale[d,g,c] sum_{j<N} value[g,j] h_dc( x_p(g,c) ain[d,g,c,j] + carry[d,g,c,j] )
 *   ain[d,g,c,j]   = sum_{l=0}^{min(L-1, j)} w[d,c,l] mediaPerSpend[g,c,j-l]   (adstock of the window's own media per currency)
 *   carry[d,g,c,j] = sum_{l=j+1}^{L-1} w[d,c,l] media[g, start+j-l, c]            (adstock reaching the window from before it)
 *
 * with w the normalized adstock weights, h the saturation (Jin, Wang, Sun, Chan & Koehler 2017,
 * "Bayesian Methods for Media Mix Modeling with Carryover and Shape Effects", sections 2.1-2.2),
 * scale = beta[g,c] kpiUnit[g] with beta from the ACTUAL design's saturated media
 * (models/mmm/hostModel.ts `mediaCoefficientsHost`, which derives m from the ROI under an ROI
 * prior; scaling constants fixed), value the value of a KPI unit (1 for KPI units), and
 * baseline_d the KPI over the window that no plan changes: the non-media mean (src/analysis/baseline.ts),
 * plus non-media treatments and organic channels (no spend, not planned) at their data; for
 * organic channels scale is 0. Adstock is linear, which is what splits a window cell's adstock into a part proportional
 * to the plan and a fixed carryover. carry is zero from window period L-1 on, so only the first
 * min(N, L-1) periods are stored; ain is recomputed on the fly from the weights (no [D,G,C,N]
 * array on the host).
 *
 * Each channel has its own saturation kind (models/mmm components/transformKinds.ts). A channel that
 * saturates before the adstock (Meridian's hill_before_adstock) is not split this way: its window
 * response is sum_j value[g,j] (sum_{l<=min(L-1,j)} w[d,c,l] h_dc(x_p mediaPerSpend[g,c,j-l]) + carry[d,g,c,j])
 * = sum_i vw[d,g,c,i] h_dc(x_p mediaPerSpend[g,c,i]) + sum_j value[g,j] carry[d,g,c,j], with
 * vw[d,g,c,i] = sum_{l<L, i+l<N} w[d,c,l] value[g,i+l] and carry[d,g,c,j] = sum_{l=j+1}^{L-1} w[d,c,l]
 * h_dc(media[g, start+j-l, c]) (the saturated media before the window, a constant): the saturation
 * applies to the per-period media, so the plan scales the media before the saturation.
 * A reach and frequency channel (Meridian's adstock_hill_rf: Hill of the frequency times the reach,
 * then adstocked) is planned at fixed frequency: spend scales its reach (mediaPerSpend is reach per
 * currency), so its window response is linear in its plan,
 * sum_i vw[d,g,c,i] x_p mediaPerSpend[g,c,i] rfReachFactor[g,c,i] h_dc(rfFrequency[g,c,i]) + carry, with
 * carry from the reach and frequency before the window. rfFrequency is the data's frequency (a cell
 * with reach planned where the data has none: the channel's reach-weighted average frequency), or
 * with `atFrequency` a fixed frequency f per channel (Meridian's optimal frequency), with the reach
 * impressions / f: rfReachFactor = data frequency / f (1 otherwise).
 * A future window (window.ts `future`) is the same formula on the fitted design extended by the
 * future periods (future.ts): media, value, carry (the fitted data's last L-1 periods reach the
 * first future ones), controls, events, treatments and organic channels from the extended design,
 * time features extended past the fitted periods (src/analysis/baseline.ts `timeFeatures`), and
 * beta from the fitted design alone (under an ROI prior m is derived from the fitted spend and
 * media, never the future's).
 * A time-varying channel (models/mmm components/timeVarying.ts: contribution beta e[t,c] h) is
 * planned with its mean effectiveness over the latest fitted periods (`effectivenessPeriods`, default
 * 13: about the last quarter of weekly data): scale = beta kpiUnit mean_{t in latest} e[t,c], per
 * draw, in a historical window as in a future one (the plan is about the channel as it works now);
 * an organic time-varying channel's fixed part takes e at each fitted period and the same mean in
 * future periods.
 */
import {
  designDims,
  isPaidChannel,
  mediaCoefficientsHost,
  mediaEffectivenessHost,
  saturatedMediaHost,
  timeVaryingChannels,
  channelTransformKinds,
  type MmmDesign,
  type MmmModelConfig,
  type SaturationCurve,
  type SaturationKind,
  type SaturationOptions,
} from '../../models/mmm/index.js';
import { averageFrequency, baselineScaled, channelTransform, drawAt, selectDraws, timeFeatures, treatmentContributionScaled } from '../analysis/index.js';
import type { Posterior } from '../ppl/index.js';
import { windowDesign, type PlanningWindow } from './window.js';
import { isReachFrequencyKind } from '../data/index.js';

export type OutcomeUnit = 'kpi' | 'revenue';

export interface WindowDraws {
  readonly window: PlanningWindow;
  /** Pooled posterior draw indices used (chain-major). */
  readonly drawIndices: Int32Array;
  readonly unit: OutcomeUnit;
  /** Adstock max lag L. */
  readonly maxLag: number;
  /** [D, C, L] normalized adstock weights. */
  readonly weights: Float64Array;
  /** [C] each channel's saturation kind (models/mmm components) and its options. */
  readonly saturations: readonly SaturationKind[];
  readonly saturationOptions: readonly SaturationOptions[];
  /** [C] whether the channel saturates before its adstock (module comment). */
  readonly saturationFirst: readonly boolean[];
  /** Saturation parameters per channel, at most (each channel's in its kind's order, then 0). */
  readonly saturationWidth: number;
  /** [D, C, saturationWidth] the saturation's parameter values. */
  readonly saturationParameters: Float64Array;
  /** [D, C] the saturation curve of each draw and channel (the parameters bound). */
  readonly curves: readonly SaturationCurve[];
  /** [D, G, C] beta times the geo's KPI unit (times a time-varying channel's latest effectiveness). */
  readonly scale: Float64Array;
  /** With time-varying channels: the fitted periods whose mean effectiveness plans them (module comment). */
  readonly effectiveness?: EffectivenessWindow;
  /** [G, N] value of one KPI unit in each window period (1 for KPI units). */
  readonly value: Float64Array;
  /** min(N, L - 1): window periods that carryover from before the window reaches. */
  readonly carryPeriods: number;
  /** [D, G, C, carryPeriods] adstock from spend before the window (saturation-first channels: of the saturated media). */
  readonly carry: Float64Array;
  /** [D] KPI over the window that no plan changes (non-media, treatments and organic channels at their data). */
  readonly baseline: Float64Array;
  /** [C] reach and frequency channels (module comment); planned at fixed frequency. */
  readonly rf: readonly boolean[];
  /** [G, C, N] the frequency of reach and frequency channels' window cells (0 for other channels). */
  readonly rfFrequency: Float64Array;
  /** [G, C, N] factor on mediaPerSpend of reach and frequency channels (1 at the data's frequency). */
  readonly rfReachFactor: Float64Array;
}

/** The latest fitted periods a time-varying channel's effectiveness is averaged over for planning. */
export interface EffectivenessWindow {
  readonly channels: readonly string[];
  readonly periods: number;
  readonly from: string;
  readonly to: string;
}

/** Default number of latest fitted periods whose effectiveness plans a time-varying channel. */
export const DEFAULT_EFFECTIVENESS_PERIODS = 13;

export interface WindowDrawsOptions {
  /** Pooled draw indices to use (default: every draw, or `maxDraws` evenly thinned). */
  readonly drawIndices?: Int32Array;
  readonly maxDraws?: number;
  /** 'revenue' (KPI x value per KPI unit; the default when the design has one) or 'kpi'. */
  readonly unit?: OutcomeUnit;
  /**
   * Reach and frequency channels planned at this fixed average frequency (by channel name; e.g. the
   * optimal frequency), with the reach impressions / f (module comment). Others: the data's frequency.
   */
  readonly atFrequency?: Readonly<Record<string, number>>;
  /** Time-varying channels: plan with their mean effectiveness over this many latest fitted periods (default 13). */
  readonly effectivenessPeriods?: number;
}

export function defaultUnit(design: MmmDesign): OutcomeUnit {
  return design.kpiValue ? 'revenue' : 'kpi';
}

export function windowDraws(fitted: MmmDesign, config: MmmModelConfig, posterior: Posterior, window: PlanningWindow, options: WindowDrawsOptions = {}): WindowDraws {
  const design = windowDesign(fitted, window);
  const { geos: G, periods: T, channels: C, treatments: NT } = designDims(design);
  const N = window.periods;
  const start = window.start;
  const L = config.adstock.maxLag;
  const unit = options.unit ?? defaultUnit(design);
  if (unit === 'revenue' && !design.kpiValue) throw new Error('optimize: unit "revenue" needs a value per KPI unit in the data (revenuePerKpi)');
  const drawIndices = options.drawIndices ?? selectDraws(posterior, options.maxDraws);
  const D = drawIndices.length;
  const Lc = Math.min(N, L - 1);

  const value = new Float64Array(G * N);
  for (let g = 0; g < G; g++) for (let j = 0; j < N; j++) value[g * N + j] = unit === 'revenue' && design.kpiValue ? design.kpiValue[g * T + start + j] : 1;

  const weights = new Float64Array(D * C * L);
  const kinds = channelTransformKinds(config, design.channelNames);
  const saturations = kinds.map((k) => k.saturation);
  const saturationOptions = kinds.map((k) => k.saturationOptions);
  const saturationFirst = kinds.map((k) => k.order === 'saturationThenAdstock');
  const saturationWidth = Math.max(1, ...kinds.map((k) => k.saturation.parameters(k.saturationOptions).length));
  const saturationParameters = new Float64Array(D * C * saturationWidth);
  const curves: SaturationCurve[] = new Array(D * C);
  const scale = new Float64Array(D * G * C);
  const carry = new Float64Array(D * G * C * Lc);
  const baseline = new Float64Array(D);
  const features = timeFeatures(design, config, fitted.dates.length);
  const base = new Float64Array(G * T);
  const paid = Array.from({ length: C }, (_, c) => isPaidChannel(design, c));
  const { rf, rfFrequency, rfReachFactor } = rfWindowCells(design, window, options.atFrequency);
  const fittedPeriods = fitted.dates.length;
  const varying = timeVaryingChannels(config, design.channelNames);
  const latest = options.effectivenessPeriods ?? DEFAULT_EFFECTIVENESS_PERIODS;
  if (!Number.isInteger(latest) || latest < 1 || latest > fittedPeriods) {
    throw new Error(`optimize: effectivenessPeriods must be an integer in [1, ${fittedPeriods}] (the fitted periods), got ${latest}`);
  }
  const effectivenessWindow: EffectivenessWindow | undefined =
    varying.length > 0 ? { channels: varying, periods: latest, from: fitted.dates[fittedPeriods - latest], to: fitted.dates[fittedPeriods - 1] } : undefined;
  const latestEffectiveness = new Float64Array(C);

  for (let d = 0; d < D; d++) {
    const values = drawAt(posterior, drawIndices[d]);
    for (let c = 0; c < C; c++) {
      const transform = channelTransform(config, values, c, design.channelNames);
      weights.set(transform.weights, (d * C + c) * L);
      saturationParameters.set(transform.saturationParameters, (d * C + c) * saturationWidth);
      // a narrower kind's unused slots hold 1 (finite in every kind's tensor form; masked out there)
      for (let j = transform.saturationParameters.length; j < saturationWidth; j++) saturationParameters[(d * C + c) * saturationWidth + j] = 1;
      curves[d * C + c] = transform.curve;
      for (let g = 0; g < G; g++) {
        for (let j = 0; j < Lc; j++) {
          let total = 0;
          for (let l = j + 1; l < L; l++) {
            const t = start + j - l;
            if (t < 0) continue;
            const x = design.media[(g * T + t) * C + c];
            // rf: the reach times h of the frequency
            total += transform.weights[l] * (rf[c] ? x * transform.curve.value((design.rfFrequency as Float64Array)[(g * T + t) * C + c]) : saturationFirst[c] ? transform.curve.value(x) : x);
          }
          carry[((d * G + g) * C + c) * Lc + j] = total;
        }
      }
    }
    const fittedSaturated = saturatedMediaHost(fitted, config, values);
    const beta = mediaCoefficientsHost(fitted, config, values, fittedSaturated);
    // Organic channels' saturated media over the window's design (the fitted one's when they are the same).
    const saturated = design === fitted || paid.every(Boolean) ? fittedSaturated : saturatedMediaHost(design, config, values);
    // time-varying channels: e[t, c] over the fitted periods, and its mean over the latest ones
    const effectiveness = mediaEffectivenessHost(fitted, config, values);
    latestEffectiveness.fill(1);
    if (effectiveness) {
      for (let c = 0; c < C; c++) {
        let sum = 0;
        for (let t = fittedPeriods - latest; t < fittedPeriods; t++) sum += effectiveness[t * C + c];
        latestEffectiveness[c] = sum / latest;
      }
    }
    const effectivenessAt = (t: number, c: number) => (!effectiveness ? 1 : t < fittedPeriods ? effectiveness[t * C + c] : latestEffectiveness[c]);
    for (let g = 0; g < G; g++) for (let c = 0; c < C; c++) scale[(d * G + g) * C + c] = paid[c] ? beta[g * C + c] * design.kpiUnit[g] * latestEffectiveness[c] : 0;
    baselineScaled(design, config, values, features, 0, G, base);
    let total = 0;
    for (let g = 0; g < G; g++) {
      for (let j = 0; j < N; j++) {
        const n = g * T + start + j;
        let fixed = base[n];
        for (let c = 0; c < C; c++) if (!paid[c]) fixed += beta[g * C + c] * effectivenessAt(start + j, c) * saturated[n * C + c];
        for (let k = 0; k < NT; k++) fixed += treatmentContributionScaled(design, config, values, n, g, k);
        total += fixed * design.kpiUnit[g] * value[g * N + j];
      }
    }
    baseline[d] = total;
  }
  return {
    window,
    drawIndices,
    unit,
    maxLag: L,
    weights,
    saturations,
    saturationOptions,
    saturationFirst,
    saturationWidth,
    saturationParameters,
    curves,
    scale,
    ...(effectivenessWindow ? { effectiveness: effectivenessWindow } : {}),
    value,
    carryPeriods: Lc,
    carry,
    baseline,
    rf,
    rfFrequency,
    rfReachFactor,
  };
}

/** The window cells' frequency and reach factor of the reach and frequency channels (module comment). */
function rfWindowCells(design: MmmDesign, window: PlanningWindow, atFrequency: Readonly<Record<string, number>> = {}) {
  const { geos: G, periods: T, channels: C } = designDims(design);
  const N = window.periods;
  const rf = Array.from({ length: C }, (_, c) => isReachFrequencyKind(design.channelKinds?.[c]));
  const rfFrequency = new Float64Array(G * C * N);
  const rfReachFactor = new Float64Array(G * C * N).fill(1);
  for (const name of Object.keys(atFrequency)) {
    const c = design.channelNames.indexOf(name);
    if (c < 0 || !rf[c]) throw new Error(`optimize: "${name}" is not a reach and frequency channel, so it has no frequency to plan at`);
    if (!(atFrequency[name] > 0) || !Number.isFinite(atFrequency[name])) throw new Error(`optimize: the frequency of "${name}" must be finite and > 0, got ${atFrequency[name]}`);
  }
  if (!rf.some(Boolean)) return { rf, rfFrequency, rfReachFactor };
  const frequency = design.rfFrequency;
  if (!frequency) throw new Error('optimize: reach and frequency channels need the design\'s rfFrequency');
  for (let c = 0; c < C; c++) {
    if (!rf[c]) continue;
    // the reach-weighted average frequency, for cells planned where the data has no reach
    const average = averageFrequency(design, c) ?? 1;
    const fixed = atFrequency[design.channelNames[c]];
    for (let g = 0; g < G; g++) {
      for (let j = 0; j < N; j++) {
        const n = g * T + window.start + j;
        const f = design.media[n * C + c] > 0 && frequency[n * C + c] > 0 ? frequency[n * C + c] : average;
        const i = (g * C + c) * N + j;
        rfFrequency[i] = fixed ?? f;
        if (fixed !== undefined) rfReachFactor[i] = f / fixed;
      }
    }
  }
  return { rf, rfFrequency, rfReachFactor };
}

/** The same ingredients restricted to some of the draws (positions into `data.drawIndices`). */
export function subsetWindowDraws(data: WindowDraws, positions: ArrayLike<number>): WindowDraws {
  const { channelNames, geoNames } = data.window;
  const C = channelNames.length;
  const G = geoNames.length;
  const L = data.maxLag;
  const Lc = data.carryPeriods;
  const pick = (source: Float64Array, width: number) => {
    const out = new Float64Array(positions.length * width);
    for (let i = 0; i < positions.length; i++) out.set(source.subarray(positions[i] * width, (positions[i] + 1) * width), i * width);
    return out;
  };
  return {
    ...data,
    drawIndices: Int32Array.from(positions, (i) => data.drawIndices[i]),
    weights: pick(data.weights, C * L),
    saturationParameters: pick(data.saturationParameters, C * data.saturationWidth),
    curves: Array.from(positions, (i) => data.curves.slice(i * C, (i + 1) * C)).flat(),
    scale: pick(data.scale, G * C),
    carry: pick(data.carry, G * C * Lc),
    baseline: pick(data.baseline, 1),
    // rfFrequency and rfReachFactor do not depend on the draw
  };
}
