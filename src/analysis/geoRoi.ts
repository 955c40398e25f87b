/**
 * ROI of each channel within each geo, per posterior draw, summarized (median, 50% and 90%
 * intervals): ROI[g,c] = sum_t contribution[g,t,c] (x value) / sum_t spend[g,t,c], with the
 * contribution beta[g,c] e[t,c] h[g,t,c] kpiUnit[g] exactly as mediaAnalysis.ts computes it (e a
 * time-varying channel's effectiveness, 1 for static channels)
 * (shared/reference-model.md "Derived quantities", restricted to one geo; beta from
 * models/mmm/hostModel.ts, so under an ROI prior m is derived from the observed media). Geos with
 * no spend on a channel have no ROI and get no row.
 */
import { drawAt, selectDraws } from './drawSummary.js';
import type { Posterior } from '../ppl/index.js';
import { designDims, mediaCoefficientsHost, mediaEffectivenessHost, saturatedMediaHost, type MmmModelConfig, type MmmDesign } from '../../models/mmm/index.js';
import { intervalSummary, type IntervalSummary } from './intervals.js';

export interface GeoRoiRow extends IntervalSummary {
  readonly geo: string;
  readonly channel: string;
  /** Spend of the channel in the geo over all periods. */
  readonly spend: number;
  readonly unit: 'kpiPerSpend' | 'revenuePerSpend';
}

export interface GeoRoiOptions {
  /** Use at most this many draws, evenly thinned (default 1000). */
  readonly maxDraws?: number;
}

export function geoRoiRows(design: MmmDesign, config: MmmModelConfig, posterior: Posterior, options: GeoRoiOptions = {}): GeoRoiRow[] {
  const { geos: G, periods: T, channels: C } = designDims(design);
  const drawIndices = selectDraws(posterior, options.maxDraws ?? 1000);
  const D = drawIndices.length;
  const spend = new Float64Array(G * C);
  for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) for (let c = 0; c < C; c++) spend[g * C + c] += design.spend[(g * T + t) * C + c];
  const roi = new Float64Array(G * C * D); // [G, C, D]
  for (let d = 0; d < D; d++) {
    const values = drawAt(posterior, drawIndices[d]);
    const saturated = saturatedMediaHost(design, config, values);
    const beta = mediaCoefficientsHost(design, config, values, saturated);
    const effectiveness = mediaEffectivenessHost(design, config, values);
    for (let g = 0; g < G; g++) {
      for (let c = 0; c < C; c++) {
        let total = 0;
        for (let t = 0; t < T; t++) {
          const n = g * T + t;
          total += saturated[n * C + c] * (design.kpiValue ? design.kpiValue[n] : 1) * (effectiveness ? effectiveness[t * C + c] : 1);
        }
        roi[(g * C + c) * D + d] = (beta[g * C + c] * design.kpiUnit[g] * total) / spend[g * C + c];
      }
    }
  }
  const unit = design.kpiValue ? 'revenuePerSpend' : 'kpiPerSpend';
  const rows: GeoRoiRow[] = [];
  for (let g = 0; g < G; g++) {
    for (let c = 0; c < C; c++) {
      if (!(spend[g * C + c] > 0)) continue;
      rows.push({ geo: design.geoNames[g], channel: design.channelNames[c], spend: spend[g * C + c], unit, ...intervalSummary(roi.subarray((g * C + c) * D, (g * C + c + 1) * D)) });
    }
  }
  return rows;
}
