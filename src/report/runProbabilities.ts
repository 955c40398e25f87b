/**
 * Posterior probability statements (analysis/probabilities.ts) recomputed from a stored run's draws
 * with other thresholds than the ones summary.json was written with (e.g. `mixwell summary DIR
 * --mroi-target 1.5`): per-draw ROI and mROI over all draws (analysis/mediaAnalysis.ts, totals
 * only), no refit.
 */
import { analyzeMedia, probabilityStatements, type ProbabilityOptions, type ProbabilityRow } from '../analysis/index.js';
import type { StoredRun } from '../run/index.js';

export function runProbabilities(run: StoredRun, options: ProbabilityOptions = {}): ProbabilityRow[] {
  const media = analyzeMedia(run.design, run.model, run.posterior, { byDate: false, byGeoDate: false });
  return probabilityStatements(media, run.posterior, options);
}
