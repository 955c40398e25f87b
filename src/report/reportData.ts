/**
 * Everything the HTML report shows, as rows, computed from what a run directory holds (src/run/runFiles.ts)
 * without refitting: the analysis of src/analysis recomputed from the stored draws (contributions,
 * per-period predictions, ROI draws, ROI per quarter and effectiveness of time-varying channels,
 * response/adstock/saturation curves, posterior predictive replicates), the per-geo ROI and prior-vs-posterior densities (also src/analysis), the stored tables
 * (ROI summary, fit metrics, health flags, parameter diagnostics) and the data checks on the design
 * the model saw. Charts and HTML are built from this (reportCharts.ts, page.ts).
 */
import {
  adstockCurves,
  analyzeMedia,
  averageFrequency,
  ALL_MEDIA,
  contributionRows,
  contributionTotals,
  dataChecks,
  geoRoiRows,
  optimalFrequency,
  type OptimalFrequency,
  inspectDataFromDesign,
  modelFitRows,
  posteriorFitMetrics,
  posteriorPredictiveCheck,
  priorDraws,
  priorPosteriorRows,
  responseMarks,
  roiDensityRows,
  roiIntervalRows,
  saturationCurves,
  spendResponseCurves,
  timeEffectRows,
  type AdstockCurveRow,
  type ChainStatsRow,
  type ComponentTotal,
  type ContributionRow,
  type DataChecks,
  type FitMetricRow,
  type GeoRoiRow,
  type ModelFitRow,
  type PeriodGrouping,
  type PriorPosteriorRow,
  type QuantityRow,
  type ResponseMark,
  type RoiDensityRow,
  type RoiIntervalRow,
  type SaturationCurveRow,
  type SpendResponseRow,
  type TimeEffectRow,
} from '../analysis/index.js';
import type { BudgetAllocation, MediaLevel, TradeoffChart } from '../charts/index.js';
import type { SummaryRow } from '../diagnostics/index.js';
import type { RunFiles, StoredRun } from '../run/index.js';
import { allocationCoversData } from './allocationFile.js';
import { isReachFrequencyKind } from '../data/index.js';

/** One line of the ROI table. */
export interface RoiTableRow {
  readonly channel: string;
  readonly roi?: QuantityRow;
  readonly mroi?: QuantityRow;
  readonly contribution?: QuantityRow;
  readonly share?: QuantityRow;
  readonly costPerKpi?: QuantityRow;
  /** Convergence of the channel's ROI (from summary.json `roi`). */
  readonly rhat?: number;
  readonly essBulk?: number;
}

export interface HealthFlagRow {
  readonly level: string;
  readonly code: string;
  readonly message: string;
}

export interface ReportData {
  readonly dir: string;
  readonly channelNames: readonly string[];
  /** Channels with spend (organic channels have no ROI). */
  readonly paidChannelNames: readonly string[];
  /** What the contribution charts stack: the channels, then the non-media treatments. */
  readonly contributorNames: readonly string[];
  readonly geoNames: readonly string[];
  readonly periods: number;
  readonly chains: number;
  readonly drawsPerChain: number;
  readonly roiUnit: string;
  readonly modelFit: ModelFitRow[];
  /** The baseline's time effect per period (trend or knots, seasonality, their sum); empty without time terms. */
  readonly timeEffect: readonly TimeEffectRow[];
  /** Per geo (only with more than one geo). */
  readonly modelFitByGeo: ModelFitRow[];
  readonly contributions: ContributionRow[];
  readonly contributionTotals: ComponentTotal[];
  readonly roiIntervals: RoiIntervalRow[];
  readonly roiDensities: RoiDensityRow[];
  readonly responseCurves: SpendResponseRow[];
  readonly responseMarks: ResponseMark[];
  readonly adstock: AdstockCurveRow[];
  readonly saturation: SaturationCurveRow[];
  readonly mediaLevels: MediaLevel[];
  /** Per geo and channel (only with more than one geo). */
  readonly geoRoi: GeoRoiRow[];
  /** Time-varying channels (model.timeVarying): ROI and mROI per paid channel and period group, and the grouping (empty / absent without them). */
  readonly roiByPeriod: readonly QuantityRow[];
  readonly periodGrouping?: PeriodGrouping;
  /** Each time-varying channel's effectiveness exp(w_c(t)) per date (empty without time-varying channels). */
  readonly effectiveness: readonly QuantityRow[];
  /** Reach and frequency channels: optimal frequency and the ROI over the frequency grid (empty without them). */
  readonly optimalFrequency: OptimalFrequency;
  readonly priorPosterior: PriorPosteriorRow[];
  readonly parameters: readonly SummaryRow[];
  readonly chainStats: readonly ChainStatsRow[];
  readonly budget?: BudgetAllocation;
  /** A two-channel trade-off (mixwell optimize --tradeoff), shown in the budget section. */
  readonly tradeoff?: TradeoffChart;
  readonly dataChecks: DataChecks;
  readonly roiTable: RoiTableRow[];
  readonly fitMetrics: readonly FitMetricRow[];
  readonly health: readonly HealthFlagRow[];
  /** Posterior probability statements, PSIS-LOO and holdout lpd (summary.json; absent in older runs). */
  readonly probabilities?: StoredRun['summary']['probabilities'];
  readonly loo?: StoredRun['summary']['loo'];
  readonly holdoutLpd?: StoredRun['summary']['holdoutLpd'];
  readonly config: unknown;
  readonly provenance: Readonly<Record<string, unknown>>;
}

export interface ReportDataOptions {
  /** Draws used for the recomputed analysis and curves, evenly thinned (default 1000). */
  readonly maxDraws?: number;
  /** Prior draws for the prior-vs-posterior chart (default 1000). */
  readonly priorDraws?: number;
  /** Replicated KPI series for the posterior predictive band (default 400). */
  readonly replicates?: number;
  /** Seed of the predictive replicates and prior draws (default: the run's seed). */
  readonly seed?: number;
  /** A budget allocation to chart (rows {channel, current, proposed}, uplift, P(beats current)). */
  readonly budget?: BudgetAllocation;
  /** A two-channel trade-off to chart (rows of src/optimize/tradeoff.ts). */
  readonly tradeoff?: TradeoffChart;
  /**
   * Also mark the proposed spend on the response curves (default: when the allocation's window
   * covers the data's whole period, or it has none; the curves' x is total spend over all periods).
   */
  readonly markProposedOnCurves?: boolean;
}

/** The ROI table from stored channel rows (summary.json `media`) and ROI diagnostics (`roi`, named ROI[c]). */
export function roiTableRows(channelNames: readonly string[], media: readonly QuantityRow[], roiSummary: readonly SummaryRow[]): RoiTableRow[] {
  const pick = (metric: string, channel: string, unit?: string) =>
    media.find((r) => r.metric === metric && r.channel === channel && (unit === undefined || r.unit === unit));
  const rows = [...channelNames, ALL_MEDIA].map((channel, c) => {
    const diag = channel === ALL_MEDIA ? undefined : roiSummary.find((r) => r.name === `ROI[${c + 1}]`);
    return {
      channel,
      roi: pick('roi', channel),
      mroi: pick('mroi', channel),
      contribution: pick('contribution', channel, 'kpi'),
      share: pick('share', channel),
      costPerKpi: pick('costPerKpi', channel),
      rhat: diag?.rhat,
      essBulk: diag?.essBulk,
    };
  });
  return rows.filter((r) => r.roi !== undefined || r.contribution !== undefined);
}

export function reportData(files: RunFiles, options: ReportDataOptions = {}): ReportData {
  const { run } = files;
  const { design, model, posterior } = run;
  const maxDraws = options.maxDraws ?? 1000;
  const seed = options.seed ?? run.config.sampler?.seed ?? 0;
  const G = design.geoNames.length;
  const T = design.dates.length;
  const C = design.channelNames.length;
  const media = analyzeMedia(design, model, posterior, { maxDraws, byGeoDate: G > 1 });
  const predictive = posteriorPredictiveCheck(design, model, posterior, { seed, maxDraws: Math.min(maxDraws, options.replicates ?? 400), keepReplicates: options.replicates ?? 400 });
  const curves = spendResponseCurves(design, model, posterior, { maxDraws: Math.min(maxDraws, 500) });
  const mediaLevels = design.channelNames.map((channel, c) => {
    // a reach and frequency channel's saturation curve is over its frequency: the reach-weighted average
    if (isReachFrequencyKind(design.channelKinds?.[c]) && design.rfFrequency) return { channel, media: averageFrequency(design, c) ?? 0 };
    let total = 0;
    for (let n = 0; n < G * T; n++) total += design.media[n * C + c];
    return { channel, media: (total / (G * T)) * design.mediaUnit[c] };
  });
  const storedMedia = (run.summary.media ?? []) as unknown as QuantityRow[];
  return {
    dir: run.dir,
    channelNames: design.channelNames,
    paidChannelNames: design.channelNames.filter((_, c) => media.paid[c]),
    contributorNames: [...design.channelNames, ...media.treatmentNames],
    geoNames: design.geoNames,
    periods: T,
    chains: posterior.chains,
    drawsPerChain: posterior.drawsPerChain,
    roiUnit: media.hasRevenue ? 'revenuePerSpend' : 'kpiPerSpend',
    modelFit: modelFitRows(design, media, predictive),
    timeEffect: timeEffectRows(design, model, posterior, { maxDraws }),
    modelFitByGeo: G > 1 ? modelFitRows(design, media, predictive, { byGeo: true }) : [],
    contributions: contributionRows(media),
    contributionTotals: contributionTotals(media),
    roiIntervals: roiIntervalRows(media),
    roiDensities: roiDensityRows(media),
    responseCurves: curves,
    responseMarks: responseMarks(curves, (options.markProposedOnCurves ?? (options.budget === undefined || allocationCoversData(options.budget, T))) ? options.budget?.rows : []),
    adstock: adstockCurves(design, model, posterior, { maxDraws }),
    saturation: saturationCurves(design, model, posterior, { maxDraws }),
    mediaLevels,
    geoRoi: G > 1 ? geoRoiRows(design, model, posterior, { maxDraws }) : [],
    roiByPeriod: media.byPeriod,
    ...(media.periodGrouping ? { periodGrouping: media.periodGrouping } : {}),
    effectiveness: media.effectiveness,
    optimalFrequency: optimalFrequency(design, model, posterior, { maxDraws }),
    priorPosterior: priorPosteriorRows(design, model, posterior, priorDraws(design, model, { draws: options.priorDraws ?? 1000, seed })),
    parameters: [...run.summary.parameters, ...run.summary.roi],
    chainStats: files.chainStats,
    budget: options.budget,
    tradeoff: options.tradeoff,
    dataChecks: dataChecks(inspectDataFromDesign(design)),
    roiTable: roiTableRows(design.channelNames, storedMedia.length > 0 ? storedMedia : media.channels, run.summary.roi),
    fitMetrics: files.fitMetrics ?? posteriorFitMetrics(design, media),
    health: run.health,
    probabilities: run.summary.probabilities,
    loo: run.summary.loo,
    holdoutLpd: run.summary.holdoutLpd,
    config: run.config,
    provenance: files.provenance,
  };
}
