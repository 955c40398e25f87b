/**
 * The ROI a prior implies, by prior predictive simulation (models/mmm/priorPredictive.ts): draw
 * the parameters from the priors and compute each draw's ROI exactly as for posterior draws
 * (mediaAnalysis.ts). For a coefficient prior (on m) this is the only way to see what ROI the prior
 * believes in; for an ROI prior it reproduces the roi prior itself. Used by healthCheck.ts to flag
 * a posterior ROI far outside its prior (Meridian's documentation on ROI priors and prior/posterior
 * comparison motivates the check).
 */
import { samplePriorPredictive, type MmmModelConfig, type MmmDesign } from '../../models/mmm/index.js';
import { quantileOfSorted } from '../diagnostics/index.js';
import { analyzeMedia } from './mediaAnalysis.js';

export interface PriorRoiRow {
  readonly channel: string;
  /** 'roi' over all periods; 'roiInPriorWindow' over the ROI prior's window (only with windows). */
  readonly metric: 'roi' | 'roiInPriorWindow';
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
  const analysis = analyzeMedia(design, config, prior, { byDate: false, byGeoDate: false, mroi: false });
  const C = design.channelNames.length;
  const windows = config.mediaPrior.type === 'roi' && config.mediaPrior.window !== undefined && Object.keys(config.mediaPrior.window).length > 0;
  const rows: PriorRoiRow[] = [];
  const metrics: PriorRoiRow['metric'][] = windows ? ['roi', 'roiInPriorWindow'] : ['roi'];
  for (const metric of metrics) {
    const source = metric === 'roi' ? analysis.perDraw.roi : analysis.perDraw.roiInPriorWindow;
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
