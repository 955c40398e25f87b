/**
 * Optimal frequency of each reach and frequency channel (Meridian's `optimal_freq`,
 * analysis/analyzer.py): over a grid of average frequencies f, every cell of the channel gets
 * frequency f and reach impressions / f (impressions = reach x frequency of the data held fixed, so
 * the spend is unchanged), and the channel's ROI is computed per draw; f* is the grid point with the
 * largest posterior mean ROI, its interval the 5% and 95% quantiles of the per-draw argmax.
 *
 * The channel's transform is y = adstock(r h(f)) (models/mmm transformKinds.ts), so with r = i / f,
 * y_f = (h(f) / f) adstock(i) and ROI_d(f) = (h_d(f) / f) sum_{g,t} beta_d[g,c] e_d[t,c] kpiUnit[g] value[g,t]
 * adstock_d(i)[g,t] / spend_c (e a time-varying channel's effectiveness, 1 otherwise): one adstock per draw and geo, then the Hill curve over the grid.
 * beta is the fitted data's (under an ROI prior m is derived from the observed media, as for the
 * mROI). Grid: 1 to the largest observed frequency in steps of 0.1 (Meridian's default), or given.
 * Channels that are not reach and frequency get no rows.
 */
import { applyAdstock, designDims, mediaCoefficientsHost, mediaEffectivenessHost, rfFrequencyOf, saturatedMediaHost, type MmmDesign, type MmmModelConfig } from '../../models/mmm/index.js';
import type { Posterior } from '../ppl/index.js';
import { channelTransform } from './channelResponse.js';
import { drawAt, selectDraws, summarizeValues, type DrawSummary } from './drawSummary.js';

export interface OptimalFrequencyOptions {
  /** Use at most this many draws, evenly thinned (default 1000). */
  readonly maxDraws?: number;
  /** The frequencies to try (default 1, 1.1, ..., up to the largest observed frequency). */
  readonly grid?: readonly number[];
}

/** One rf channel's optimal frequency. */
export interface OptimalFrequencyRow {
  readonly channel: string;
  /** f*: the grid frequency with the largest posterior mean ROI. */
  readonly optimalFrequency: number;
  /** 5% and 95% quantiles of the per-draw argmax frequency. */
  readonly q05: number;
  readonly q95: number;
  /** Posterior mean ROI at f* and at the data's own frequencies (the fitted ROI). */
  readonly roiAtOptimal: number;
  readonly roiAtCurrent: number;
  /** The data's impression-weighted average frequency (total impressions / total reach). */
  readonly currentFrequency: number;
  readonly unit: 'kpiPerSpend' | 'revenuePerSpend';
}

/** ROI of an rf channel at one grid frequency (its draws summarized). */
export interface FrequencyRoiRow extends DrawSummary {
  readonly channel: string;
  readonly frequency: number;
  /** Whether this is f*. */
  readonly optimal: boolean;
}

export interface OptimalFrequency {
  readonly optimal: OptimalFrequencyRow[];
  readonly curve: FrequencyRoiRow[];
}

/** The default grid: 1 to the largest frequency in steps of 0.1 (at least the point 1). */
export function frequencyGrid(largest: number): number[] {
  const points = Math.max(1, Math.floor((largest - 1) / 0.1 + 1e-9) + 1);
  return Array.from({ length: points }, (_, i) => Math.round((1 + 0.1 * i) * 1e10) / 1e10);
}

/** Channel c's reach-weighted average frequency over the data (total impressions / total reach); undefined without reach. */
export function averageFrequency(design: MmmDesign, c: number): number | undefined {
  const frequency = rfFrequencyOf(design);
  const C = design.channelNames.length;
  let reach = 0;
  let impressions = 0;
  for (let n = 0; n < design.media.length / C; n++) {
    reach += design.media[n * C + c];
    impressions += design.media[n * C + c] * frequency[n * C + c];
  }
  return reach > 0 ? impressions / reach : undefined;
}

export function optimalFrequency(design: MmmDesign, config: MmmModelConfig, posterior: Posterior, options: OptimalFrequencyOptions = {}): OptimalFrequency {
  const { geos: G, periods: T, channels: C } = designDims(design);
  const rfChannels = design.channelNames.map((_, c) => c).filter((c) => design.channelKinds?.[c] === 'rf');
  if (rfChannels.length === 0) return { optimal: [], curve: [] };
  const frequency = rfFrequencyOf(design);
  const value = (n: number) => (design.kpiValue ? design.kpiValue[n] : 1);
  const drawIndices = selectDraws(posterior, options.maxDraws ?? 1000);
  const D = drawIndices.length;
  const impressions = new Float64Array(T);
  const adstocked = new Float64Array(T);
  const optimal: OptimalFrequencyRow[] = [];
  const curve: FrequencyRoiRow[] = [];
  const perChannel = rfChannels.map((c) => {
    let largest = 0;
    let spend = 0;
    for (let n = 0; n < G * T; n++) {
      if (design.media[n * C + c] > 0) largest = Math.max(largest, frequency[n * C + c]);
      spend += design.spend[n * C + c];
    }
    const grid = options.grid ?? frequencyGrid(largest);
    grid.forEach((f) => {
      if (!(f > 0) || !Number.isFinite(f)) throw new Error(`optimalFrequency: grid frequencies must be finite and > 0, got ${f}`);
    });
    return { c, grid, spend, currentFrequency: averageFrequency(design, c) ?? NaN, roi: new Float64Array(grid.length * D), current: new Float64Array(D) };
  });
  for (let d = 0; d < D; d++) {
    const values = drawAt(posterior, drawIndices[d]);
    const saturated = saturatedMediaHost(design, config, values);
    const beta = mediaCoefficientsHost(design, config, values, saturated);
    const effectiveness = mediaEffectivenessHost(design, config, values);
    for (const channel of perChannel) {
      const { c, grid, spend } = channel;
      const transform = channelTransform(config, values, c, design.channelNames);
      // sum_{g,t} beta kpiUnit value adstock(impressions), and the fitted ROI for reference
      let total = 0;
      let current = 0;
      for (let g = 0; g < G; g++) {
        for (let t = 0; t < T; t++) impressions[t] = design.media[(g * T + t) * C + c] * frequency[(g * T + t) * C + c];
        applyAdstock(impressions, transform.weights, adstocked);
        const scale = beta[g * C + c] * design.kpiUnit[g];
        for (let t = 0; t < T; t++) {
          // a time-varying channel: its effectiveness at the period (models/mmm components/timeVarying.ts)
          const at = scale * (effectiveness ? effectiveness[t * C + c] : 1) * value(g * T + t);
          total += at * adstocked[t];
          current += at * saturated[(g * T + t) * C + c];
        }
      }
      channel.current[d] = current / spend;
      grid.forEach((f, j) => (channel.roi[j * D + d] = (transform.curve.value(f) / f) * (total / spend)));
    }
  }
  const scratch = new Float64Array(D);
  for (const { c, grid, roi, current, currentFrequency } of perChannel) {
    const summaries = grid.map((_, j) => summarizeValues(roi.subarray(j * D, (j + 1) * D), scratch));
    let best = 0;
    summaries.forEach((s, j) => {
      if (s.mean > summaries[best].mean) best = j;
    });
    const argmax = Float64Array.from({ length: D }, (_, d) => {
      let j = 0;
      for (let k = 1; k < grid.length; k++) if (roi[k * D + d] > roi[j * D + d]) j = k;
      return grid[j];
    });
    const spread = summarizeValues(argmax, scratch);
    const name = design.channelNames[c];
    optimal.push({
      channel: name,
      optimalFrequency: grid[best],
      q05: spread.q05,
      q95: spread.q95,
      roiAtOptimal: summaries[best].mean,
      roiAtCurrent: summarizeValues(current, scratch).mean,
      currentFrequency,
      unit: design.kpiValue ? 'revenuePerSpend' : 'kpiPerSpend',
    });
    grid.forEach((f, j) => curve.push({ channel: name, frequency: f, optimal: j === best, ...summaries[j] }));
  }
  return { optimal, curve };
}
