/**
 * The ROI a prior implies, by prior predictive simulation (models/mmm/priorPredictive.ts): draw
 * the parameters from the priors and compute each draw's ROI exactly as for posterior draws
 * (mediaAnalysis.ts). For a coefficient prior (on m) this is the only way to see what ROI the prior
 * believes in; for an ROI prior it reproduces the roi prior itself, and for a contribution prior it
 * is the ROI the outcome shares imply. Under an mROI prior the rows also give the prior marginal ROI
 * (metric 'mroi'), which reproduces the mroi prior. Used by healthCheck.ts to flag
 * a posterior ROI far outside its prior (Meridian's documentation on ROI priors and prior/posterior
 * comparison motivates the check).
 */
import { samplePriorPredictive, type MmmModelConfig, type MmmDesign } from '../../models/mmm/index.js';
import { quantileOfSorted } from '../diagnostics/index.js';
import { analyzeMedia } from './mediaAnalysis.js';

export interface PriorRoiRow {
  readonly channel: string;
  /** 'roi' over all periods; 'roiInPriorWindow' over the ROI prior's window (only with windows); 'mroi' (only under an mROI prior). */
  readonly metric: 'roi' | 'roiInPriorWindow' | 'mroi';
  readonly q01: number;
  readonly median: number;
  readonly q99: number;
  readonly draws: number;
}

export interface PriorRoiOptions {
  /** Prior draws (default 2000). */
  readonly draws?: number;
  /** Default 0. */
  readonly seed?: number | string;
}

export function priorRoiRanges(design: MmmDesign, config: MmmModelConfig, options: PriorRoiOptions = {}): PriorRoiRow[] {
  const draws = options.draws ?? 2000;
  const prior = samplePriorPredictive(design, config, { draws, seed: options.seed ?? 0, kpi: false });
  const marginal = config.mediaPrior.type === 'mroi';
  const analysis = analyzeMedia(design, config, prior, { byDate: false, byGeoDate: false, mroi: marginal });
  const C = design.channelNames.length;
  const windows = config.mediaPrior.type === 'roi' && config.mediaPrior.window !== undefined && Object.keys(config.mediaPrior.window).length > 0;
  const rows: PriorRoiRow[] = [];
  const metrics: PriorRoiRow['metric'][] = ['roi', ...(windows ? ['roiInPriorWindow' as const] : []), ...(marginal ? ['mroi' as const] : [])];
  for (const metric of metrics) {
    const source = metric === 'roi' ? analysis.perDraw.roi : metric === 'mroi' ? analysis.perDraw.mroi : analysis.perDraw.roiInPriorWindow;
    for (let c = 0; c < C; c++) {
      const sorted = Float64Array.from({ length: draws }, (_, d) => source[d * C + c]).sort();
      rows.push({
        channel: design.channelNames[c],
        metric,
        q01: quantileOfSorted(sorted, 0.01),
        median: quantileOfSorted(sorted, 0.5),
        q99: quantileOfSorted(sorted, 0.99),
        draws,
      });
    }
  }
  return rows;
}
