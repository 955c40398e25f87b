/**
 * Response curves of the geo MMM, summarized over draws (tidy rows with mean, sd, median and the
 * 90% band):
 * - spend response per channel: the channel's total incremental KPI (over zero spend of that
 *   channel) when its media in every geo and period is scaled by a multiplier, with beta kept at the
 *   actual data's (as the mROI, shared/bench/stan/README.md) and a time-varying channel's
 *   effectiveness at each period (models/mmm components/timeVarying.ts); x axis = multiplier x total spend;
 * - adstock decay: the normalized carry-over weight of each lag (Jin, Wang, Sun, Chan & Koehler
 *   2017, "Bayesian Methods for Media Mix Modeling with Carryover and Shape Effects", section 2.1);
 * - saturation: h at a constant per-period media level (with normalized adstock weights a constant
 *   level x has adstock x, so this is the steady-state shape; section 2.2 of the same paper), on
 *   scaled media and in original media units.
 * Adstock is linear, so each draw needs one adstock pass per channel and one saturation per
 * multiplier and cell; the spend curves still default to at most 500 evenly thinned draws.
 */
import { designDims, isPaidChannel, mediaCoefficientsHost, mediaEffectivenessHost, rfFrequencyOf, saturatedMediaHost, type MmmModelConfig, type MmmDesign } from '../../models/mmm/index.js';
import type { Posterior } from '../ppl/index.js';
import { adstockedSeries, channelTransform, saturatedSeries, saturatesFirst, saturateLevel, seriesScratch } from './channelResponse.js';
import { drawAt, selectDraws, summarizeValues, type DrawSummary } from './drawSummary.js';
import { spendTotals } from './mediaAnalysis.js';
import { isReachFrequencyKind } from '../data/index.js';

export interface SpendResponseRow extends DrawSummary {
  readonly channel: string;
  /** Multiple of the actual spend (0 = none, 1 = actual). */
  readonly multiplier: number;
  /** Total spend of the channel at this multiplier (currency). */
  readonly spend: number;
  /** Incremental KPI units, or revenue when the design has kpiValue. */
  readonly unit: 'kpi' | 'revenue';
}

export interface AdstockCurveRow extends DrawSummary {
  readonly channel: string;
  readonly lag: number;
}

export interface SaturationCurveRow extends DrawSummary {
  readonly channel: string;
  /** Constant per-period media level in scaled units (x / channel mean). */
  readonly scaledMedia: number;
  /** The same level in original media units (spend or impressions per geo and period; per capita when population-scaled). */
  readonly media: number;
  /**
   * 'frequency' for a reach and frequency channel: its curve is Hill of the average frequency (both
   * levels above are then the frequency, unscaled), the reach multiplying it; absent for other channels.
   */
  readonly input?: 'frequency';
}

export interface SpendResponseOptions {
  /** Spend multipliers (default 0, 0.1, ..., 2). */
  readonly multipliers?: readonly number[];
  /** Default 500. */
  readonly maxDraws?: number;
}

export const DEFAULT_MULTIPLIERS: readonly number[] = Array.from({ length: 21 }, (_, i) => i / 10);

/** Incremental KPI (and revenue) per channel vs spend multiplier. */
export function spendResponseCurves(design: MmmDesign, config: MmmModelConfig, posterior: Posterior, options: SpendResponseOptions = {}): SpendResponseRow[] {
  const { geos: G, periods: T, channels: C } = designDims(design);
  const multipliers = options.multipliers ?? DEFAULT_MULTIPLIERS;
  multipliers.forEach((k) => {
    if (!(k >= 0) || !Number.isFinite(k)) throw new Error(`spendResponseCurves: multipliers must be finite and >= 0, got ${k}`);
  });
  const drawIndices = selectDraws(posterior, options.maxDraws ?? 500);
  const D = drawIndices.length;
  const M = multipliers.length;
  const hasRevenue = design.kpiValue !== undefined;
  const kpi = new Float64Array(C * M * D); // [C, M, D]
  const revenue = hasRevenue ? new Float64Array(C * M * D) : undefined;
  const adstocked = new Float64Array(T);
  const transformed = new Float64Array(T);
  const scratch = seriesScratch(T);
  for (let d = 0; d < D; d++) {
    const values = drawAt(posterior, drawIndices[d]);
    const beta = mediaCoefficientsHost(design, config, values, saturatedMediaHost(design, config, values));
    const effectiveness = mediaEffectivenessHost(design, config, values);
    for (let c = 0; c < C; c++) {
      const transform = channelTransform(config, values, c, design.channelNames);
      const first = saturatesFirst(transform);
      for (let g = 0; g < G; g++) {
        // adstock is linear: the adstock of k x media is k a (saturation first: the series again from k x)
        if (!first) adstockedSeries(design, transform, g, c, adstocked, scratch);
        const scale = beta[g * C + c] * design.kpiUnit[g];
        for (let j = 0; j < M; j++) {
          const k = multipliers[j];
          if (k === 0) continue;
          if (first) saturatedSeries(design, transform, g, c, k, transformed, scratch);
          let totalKpi = 0;
          let totalRevenue = 0;
          for (let t = 0; t < T; t++) {
            const contribution = scale * (effectiveness ? effectiveness[t * C + c] : 1) * (first ? transformed[t] : saturateLevel(transform, k * adstocked[t]));
            totalKpi += contribution;
            if (design.kpiValue) totalRevenue += contribution * design.kpiValue[g * T + t];
          }
          kpi[(c * M + j) * D + d] += totalKpi;
          if (revenue) revenue[(c * M + j) * D + d] += totalRevenue;
        }
      }
    }
  }
  const spend = spendTotals(design);
  const rows: SpendResponseRow[] = [];
  const scratchDraws = new Float64Array(D);
  for (let c = 0; c < C; c++) {
    if (!isPaidChannel(design, c)) continue; // organic: no spend to vary (its exposure curve is the media response)
    for (let j = 0; j < M; j++) {
      const base = { channel: design.channelNames[c], multiplier: multipliers[j], spend: multipliers[j] * spend[c] };
      rows.push({ ...base, unit: 'kpi', ...summarizeValues(kpi.subarray((c * M + j) * D, (c * M + j + 1) * D), scratchDraws) });
      if (revenue) rows.push({ ...base, unit: 'revenue', ...summarizeValues(revenue.subarray((c * M + j) * D, (c * M + j + 1) * D), scratchDraws) });
    }
  }
  return rows;
}

/** Normalized adstock weight per lag and channel. */
export function adstockCurves(design: MmmDesign, config: MmmModelConfig, posterior: Posterior, options: { readonly maxDraws?: number } = {}): AdstockCurveRow[] {
  const C = design.channelNames.length;
  const L = config.adstock.maxLag;
  const drawIndices = selectDraws(posterior, options.maxDraws);
  const D = drawIndices.length;
  const weights = new Float64Array(C * L * D); // [C, L, D]
  for (let d = 0; d < D; d++) {
    const values = drawAt(posterior, drawIndices[d]);
    for (let c = 0; c < C; c++) {
      const w = channelTransform(config, values, c, design.channelNames).weights;
      for (let l = 0; l < L; l++) weights[(c * L + l) * D + d] = w[l];
    }
  }
  const rows: AdstockCurveRow[] = [];
  const scratch = new Float64Array(D);
  for (let c = 0; c < C; c++) {
    for (let l = 0; l < L; l++) {
      rows.push({ channel: design.channelNames[c], lag: l, ...summarizeValues(weights.subarray((c * L + l) * D, (c * L + l + 1) * D), scratch) });
    }
  }
  return rows;
}

export interface SaturationCurveOptions {
  readonly maxDraws?: number;
  /** Number of media levels from 0 to the maximum (default 41). */
  readonly points?: number;
  /** Largest scaled media level per channel (default 1.2 x the largest scaled media in the data). */
  readonly maxScaledMedia?: number | readonly number[];
}

/** Saturation h vs constant per-period media level, per channel (a reach and frequency channel: vs its frequency; `maxScaledMedia` does not apply to it). */
export function saturationCurves(design: MmmDesign, config: MmmModelConfig, posterior: Posterior, options: SaturationCurveOptions = {}): SaturationCurveRow[] {
  const { geos: G, periods: T, channels: C } = designDims(design);
  const points = options.points ?? 41;
  if (!(Number.isInteger(points) && points >= 2)) throw new Error(`saturationCurves: points must be an integer >= 2, got ${points}`);
  const rf = Array.from({ length: C }, (_, c) => isReachFrequencyKind(design.channelKinds?.[c]));
  const upper = Float64Array.from({ length: C }, (_, c) => {
    const given = options.maxScaledMedia;
    // reach and frequency: the curve is over the frequency, up to 1.2 x its largest value
    const input = rf[c] ? rfFrequencyOf(design) : design.media;
    if (typeof given === 'number' && !rf[c]) return given;
    if (given && typeof given !== 'number' && !rf[c]) return given[c];
    let largest = 0;
    for (let n = 0; n < G * T; n++) largest = Math.max(largest, input[n * C + c]);
    return 1.2 * largest;
  });
  const drawIndices = selectDraws(posterior, options.maxDraws);
  const D = drawIndices.length;
  const h = new Float64Array(C * points * D); // [C, P, D]
  for (let d = 0; d < D; d++) {
    const values = drawAt(posterior, drawIndices[d]);
    for (let c = 0; c < C; c++) {
      // a constant level x: adstock-first h(x); saturation-first sum_l w_l h(x) = h(x) (normalized weights)
      const transform = channelTransform(config, values, c, design.channelNames);
      for (let p = 0; p < points; p++) h[(c * points + p) * D + d] = saturateLevel(transform, (upper[c] * p) / (points - 1));
    }
  }
  const rows: SaturationCurveRow[] = [];
  const scratch = new Float64Array(D);
  for (let c = 0; c < C; c++) {
    for (let p = 0; p < points; p++) {
      const level = (upper[c] * p) / (points - 1);
      rows.push({
        channel: design.channelNames[c],
        scaledMedia: level,
        media: rf[c] ? level : level * design.mediaUnit[c],
        ...(rf[c] ? { input: 'frequency' as const } : {}),
        ...summarizeValues(h.subarray((c * points + p) * D, (c * points + p + 1) * D), scratch),
      });
    }
  }
  return rows;
}
