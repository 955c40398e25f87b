/**
 * Everything a fit reports, computed from the posterior (data first; charts and files come later):
 * media analysis (contributions, ROI, mROI, cost per KPI), ROI and mROI with convergence diagnostics,
 * fit metrics (in-sample and holdout), residual autocorrelation, posterior predictive p-values,
 * prior ROI ranges and the health check (with the channels the data can hardly identify, analysis/identification.ts); posterior probability statements (P(ROI > 1), pairwise
 * ROI comparisons, P(mROI > target), best marginal investment; analysis/probabilities.ts); the
 * pointwise log-likelihood of the KPI with PSIS-LOO (diagnostics/loo.ts) and the holdout's log
 * pointwise predictive density, for model comparison.
 */
import {
  optimalFrequency,
  type OptimalFrequency,
  analyzeMedia,
  healthCheck,
  posteriorFitMetrics,
  posteriorPredictiveCheck,
  priorRoiRanges,
  residualAutocorrelation,
  actualKpi,
  holdoutMask,
  holdoutLpd,
  kpiLogLikelihood,
  probabilityStatements,
  liftTestCheck,
  mediaIdentification,
  timeEffectRows,
  type LiftCheckRow,
  type TimeEffectRow,
  type AutocorrelationRow,
  type HoldoutLpd,
  type KpiLogLikelihood,
  type ProbabilityRow,
  type FitMetricRow,
  type HealthFlag,
  type MediaAnalysis,
  type PValueRow,
  type PriorRoiRow,
} from '../analysis/index.js';
import { psisLoo, summarizeDraws, type LooResult, type SummaryRow } from '../diagnostics/index.js';
import type { MmmFit } from './fit.js';

export interface MmmReport {
  readonly media: MediaAnalysis;
  /** ROI[c] and mROI[c] with R-hat and ESS (Stan peer names). */
  readonly roiSummary: readonly SummaryRow[];
  readonly fitMetrics: readonly FitMetricRow[];
  readonly autocorrelation: readonly AutocorrelationRow[];
  readonly pValues: readonly PValueRow[];
  readonly priorRoi: readonly PriorRoiRow[];
  readonly health: readonly HealthFlag[];
  /** Posterior probability statements with their MCSE. */
  readonly probabilities: readonly ProbabilityRow[];
  /** Pointwise log-likelihood of the KPI (original units), all draws; fitted and held-out cells apart. */
  readonly logLik: KpiLogLikelihood;
  /** PSIS-LOO over the fitted cells. */
  readonly loo: LooResult;
  /** Log pointwise predictive density of the held-out cells (undefined without a holdout). */
  readonly holdoutLpd?: HoldoutLpd;
  /** Lift tests: measured vs model-implied lift per experiment (analysis/liftCheck.ts; empty without experiments). */
  readonly liftTests: readonly LiftCheckRow[];
  /** The baseline's time effect per period: trend or knots, seasonality and their sum (analysis/timeEffect.ts). */
  readonly timeEffect: readonly TimeEffectRow[];
  /** Reach and frequency channels: the optimal frequency and the ROI over a frequency grid (analysis/optimalFrequency.ts; empty without them). */
  readonly optimalFrequency: OptimalFrequency;
}

export interface ReportOptions {
  /** Draws used for per-period summaries and predictive checks (default: all). */
  readonly maxDraws?: number;
  /** Draws for the prior ROI simulation (default 1000). */
  readonly priorDraws?: number;
  readonly seed?: number;
  /** Threshold of P(ROI_c > threshold) (default 1). */
  readonly roiThreshold?: number;
  /** Target of P(mROI_c > target) (default 1). */
  readonly mroiTarget?: number;
}

function perChannelChains(values: Float64Array, chains: number, perChain: number, channels: number, c: number): Float64Array[] {
  return Array.from({ length: chains }, (_, k) => Float64Array.from({ length: perChain }, (_, d) => values[(k * perChain + d) * channels + c]));
}

export function buildReport(fit: MmmFit, options: ReportOptions = {}): MmmReport {
  const { design, model, result } = fit;
  const config = model.config;
  const posterior = result.posterior;
  // All draws (chain-major) for the per-draw metrics, so ROI gets R-hat and ESS like a parameter.
  const media = analyzeMedia(design, config, posterior, { maxDraws: options.maxDraws });
  const C = design.channelNames.length;
  const roiSummary: SummaryRow[] = [];
  if (media.drawIndices.length === posterior.chains * posterior.drawsPerChain && posterior.drawsPerChain >= 4) {
    // organic channels have no ROI (no spend): no rows
    for (let c = 0; c < C; c++) {
      if (!media.paid[c]) continue;
      roiSummary.push(summarizeDraws(`ROI[${c + 1}]`, perChannelChains(media.perDraw.roi, posterior.chains, posterior.drawsPerChain, C, c)));
    }
    for (let c = 0; c < C; c++) {
      if (!media.paid[c]) continue;
      roiSummary.push(summarizeDraws(`mROI[${c + 1}]`, perChannelChains(media.perDraw.mroi, posterior.chains, posterior.drawsPerChain, C, c)));
    }
  }
  const fitMetrics = posteriorFitMetrics(design, media);
  const T = design.dates.length;
  const actual = actualKpi(design);
  const residuals = actual.map((y, n) => y - media.mean.prediction[n]);
  const mask = holdoutMask(design);
  const autocorrelation = residualAutocorrelation(residuals, T, 4, mask ? mask.map((h) => (h ? 0 : 1)) : undefined);
  const predictive = posteriorPredictiveCheck(design, config, posterior, { seed: options.seed ?? fit.sampler.seed, maxDraws: options.maxDraws });
  const priorRoi = priorRoiRanges(design, config, { draws: options.priorDraws ?? 1000, seed: options.seed ?? fit.sampler.seed });
  const liftTests = liftTestCheck(design, config, posterior, { maxDraws: options.maxDraws });
  const identification = mediaIdentification(design);
  const health = healthCheck({ health: result.health, summary: result.summary, media, priorRoi, predictive, liftTests, identification });
  const probabilities = probabilityStatements(media, posterior, { roiThreshold: options.roiThreshold, mroiTarget: options.mroiTarget });
  const logLik = kpiLogLikelihood(design, config, posterior);
  const loo = psisLoo(logLik.fitted.matrix);
  const timeEffect = timeEffectRows(design, config, posterior, { maxDraws: options.maxDraws });
  const frequency = optimalFrequency(design, config, posterior, { maxDraws: options.maxDraws });
  return { media, roiSummary, fitMetrics, autocorrelation, pValues: predictive.pValues, priorRoi, health, probabilities, logLik, loo, holdoutLpd: holdoutLpd(logLik), liftTests, timeEffect, optimalFrequency: frequency };
}
