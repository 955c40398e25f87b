/**
 * Rows of the ROI / mROI chart from the per-draw values of `analyzeMedia`
 * (`perDraw.roi`, `perDraw.mroi`, [draws, C]): 50% and 90% intervals and a kernel density per
 * channel (density.ts; ROI and mROI are >= 0, so the density is reflected at 0).
 */
import type { MediaAnalysis } from './mediaAnalysis.js';
import { kernelDensity } from './density.js';
import { column, intervalSummary, type IntervalSummary } from './intervals.js';

export type RoiMetric = 'roi' | 'mroi';

export interface RoiIntervalRow extends IntervalSummary {
  readonly channel: string;
  readonly metric: RoiMetric;
}

export interface RoiDensityRow {
  readonly channel: string;
  readonly metric: RoiMetric;
  readonly value: number;
  /** Density scaled so that its peak is 1 (per channel and metric). */
  readonly density: number;
}

function metricDraws(media: MediaAnalysis, metric: RoiMetric): Float64Array {
  return metric === 'roi' ? media.perDraw.roi : media.perDraw.mroi;
}

function metrics(media: MediaAnalysis): RoiMetric[] {
  return media.channels.some((r) => r.metric === 'mroi') ? ['roi', 'mroi'] : ['roi'];
}

export function roiIntervalRows(media: MediaAnalysis): RoiIntervalRow[] {
  const C = media.channelNames.length;
  return metrics(media).flatMap((metric) => media.channelNames.map((channel, c) => ({ channel, metric, ...intervalSummary(column(metricDraws(media, metric), C, c)) })));
}

export function roiDensityRows(media: MediaAnalysis, points = 80): RoiDensityRow[] {
  const C = media.channelNames.length;
  const rows: RoiDensityRow[] = [];
  for (const metric of metrics(media)) {
    media.channelNames.forEach((channel, c) => {
      const curve = kernelDensity(column(metricDraws(media, metric), C, c), { points, lower: 0 });
      const peak = Math.max(...curve.map((p) => p.density));
      for (const p of curve) rows.push({ channel, metric, value: p.value, density: peak > 0 ? p.density / peak : 0 });
    });
  }
  return rows;
}
