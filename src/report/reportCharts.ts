/**
 * The chart set of a report (from reportData.ts rows) and of a data inspection (from
 * src/analysis/dataChecks.ts), each chart with its id (file name), section, title and caption.
 */
import { correlationRows, type DataChecks } from '../analysis/index.js';
import {
  adstockSpec,
  budgetSpec,
  contributionAreaSpec,
  convergenceSpec,
  correlationSpec,
  effectivenessSpec,
  geoRoiSpec,
  optimalFrequencySpec,
  periodRoiSpec,
  modelFitSpec,
  timeEffectSpec,
  priorPosteriorSpec,
  responseCurveSpec,
  roiSpec,
  samplerSpec,
  saturationSpec,
  seasonalitySpec,
  spendKpiSpec,
  spendShareSpec,
  TEXT,
  tradeoffSpec,
  vifSpec,
  waterfallSpec,
  zeroSpendSpec,
  type Chart,
  type ChartSpec,
  type TradeoffChart,
} from '../charts/index.js';
import type { ReportData } from './reportData.js';

export type SectionKey = keyof typeof TEXT.report.sections;

export interface ReportChart extends Chart {
  readonly section: SectionKey;
}

function chart(id: string, section: SectionKey, words: { title: string; description: string }, spec: ChartSpec): ReportChart {
  return { id, section, title: words.title, description: words.description, spec };
}

/** The trade-off chart of the budget section (also written on its own by `mixwell optimize --tradeoff`). */
export function tradeoffChart(tradeoff: TradeoffChart, id = 'budget-tradeoff'): ReportChart {
  const words = TEXT.charts.tradeoff;
  return chart(id, 'budget', { title: words.title(tradeoff.channels[0], tradeoff.channels[1]), description: words.description }, tradeoffSpec(tradeoff));
}

/** Charts of the data checks, ids prefixed "data-". */
export function dataCheckCharts(checks: DataChecks): ReportChart[] {
  const w = TEXT.charts;
  const channels = checks.data.channelNames;
  return [
    chart('data-spend-kpi', 'data', w.spendKpi, spendKpiSpec(checks.series)),
    chart('data-zero-spend', 'data', w.zeroSpend, zeroSpendSpec(checks.zeroSpend, channels)),
    chart('data-spend-share', 'data', w.spendShare, spendShareSpec(checks.spendShare, channels)),
    chart('data-correlation', 'data', w.correlation, correlationSpec(correlationRows(checks.correlations), checks.pairs, checks.correlations.variables.map((v) => v.name))),
    chart('data-vif', 'data', w.vif, vifSpec(checks.vif, checks.thresholds.vif)),
    chart('data-seasonality', 'data', w.seasonality, seasonalitySpec(checks.seasonality)),
  ];
}

export function reportCharts(data: ReportData): ReportChart[] {
  const w = TEXT.charts;
  const channels = data.channelNames;
  const holdout = data.modelFit.some((r) => r.holdout);
  const fitWords = { title: w.modelFit.title, description: holdout ? `${w.modelFit.description} ${w.modelFit.holdoutNote}` : w.modelFit.description };
  const charts: ReportChart[] = [chart('model-fit', 'fit', fitWords, modelFitSpec(data.modelFit))];
  if (data.modelFitByGeo.length > 0) charts.push(chart('model-fit-by-geo', 'fit', { title: w.modelFit.titleByGeo, description: w.modelFit.descriptionByGeo }, modelFitSpec(data.modelFitByGeo)));
  if (data.timeEffect.length > 0) charts.push(chart('time-effect', 'fit', w.timeEffect, timeEffectSpec(data.timeEffect)));
  charts.push(
    chart('contributions-over-time', 'contributions', w.contributionArea, contributionAreaSpec(data.contributions, data.contributorNames)),
    chart('contribution-waterfall', 'contributions', w.waterfall, waterfallSpec(data.contributionTotals, data.contributorNames)),
    chart('roi-mroi', 'returns', w.roi, roiSpec(data.roiIntervals, data.roiDensities, channels)),
  );
  // time-varying channels (model.timeVarying): effectiveness over time and ROI per quarter
  if (data.effectiveness.length > 0) charts.push(chart('effectiveness', 'returns', w.effectiveness, effectivenessSpec(data.effectiveness, channels)));
  if (data.roiByPeriod.some((r) => r.metric === 'roi')) {
    const grouping = data.periodGrouping ?? 'quarter';
    charts.push(chart('roi-by-period', 'returns', { title: w.periodRoi.title(grouping), description: w.periodRoi.description(grouping) }, periodRoiSpec(data.roiByPeriod, channels, grouping)));
  }
  charts.push(
    chart('response-curves', 'curves', w.responseCurves, responseCurveSpec(data.responseCurves, data.responseMarks, channels)),
    chart('adstock', 'curves', w.adstock, adstockSpec(data.adstock, channels)),
    chart('saturation', 'curves', w.saturation, saturationSpec(data.saturation, data.mediaLevels, channels)),
  );
  if (data.optimalFrequency.curve.length > 0) {
    charts.push(chart('optimal-frequency', 'curves', w.optimalFrequency, optimalFrequencySpec(data.optimalFrequency.curve, data.optimalFrequency.optimal, channels)));
  }
  if (data.geoRoi.length > 0) charts.push(chart('geo-roi', 'geo', w.geoRoi, geoRoiSpec(data.geoRoi, channels, data.geoNames)));
  if (data.budget) charts.push(chart('budget-allocation', 'budget', w.budget, budgetSpec(data.budget)));
  if (data.tradeoff) charts.push(tradeoffChart(data.tradeoff));
  if (data.priorPosterior.length > 0) charts.push(chart('prior-posterior', 'priors', w.priorPosterior, priorPosteriorSpec(data.priorPosterior)));
  charts.push(chart('convergence', 'diagnostics', w.diagnostics, convergenceSpec(data.parameters)));
  if (data.chainStats.length > 0) charts.push(chart('sampler', 'diagnostics', w.sampler, samplerSpec(data.chainStats)));
  charts.push(...dataCheckCharts(data.dataChecks));
  return charts;
}
