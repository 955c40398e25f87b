/**
 * Per-draw media outputs of the geo MMM and their summaries over draws: contributions per channel
 * (per geo and period, per period, in total) in KPI units and revenue, the baseline (everything
 * but media), the predicted KPI, ROI, marginal ROI, cost per incremental KPI and contribution
 * shares. Definitions as shared/reference-model.md "Derived quantities" and the Stan peer's
 * "Model implementation notes" (shared/bench/stan/README.md):
 *
 *   contribution[g,t,c] = beta[g,c] e[t,c] h[g,t,c] kpiUnit[g]     (KPI units; x kpiValue[g,t] = revenue)
 *   ROI_c  = sum_{g,t} contribution[g,t,c] (x value) / sum_{g,t} spend[g,t,c]
 *   mROI_c = [KPI(1.01 x_c) - KPI(x_c)] / (0.01 sum spend_c)       (same value weighting)
 *
 * where e[t,c] = exp(w_c(t)) is a time-varying channel's effectiveness (models/mmm components/timeVarying.ts;
 * 1 for static channels), and KPI(1.01 x_c) scales channel c's scaled media by 1.01 in every geo and period with the
 * scaling constants held fixed and beta kept at the actual data's (under an ROI, contribution or mROI
 * prior m is derived from the observed media, models/mmm/hostModel.ts; an mROI prior derives it so that
 * this mROI equals the prior's parameter). Cost per incremental KPI = spend / contribution.
 *
 * Organic channels (no spend) get contributions and shares but no ROI, mROI or cost per KPI, and the
 * "all media" ROI and cost are over the paid channels. Non-media treatments' contributions,
 * treatment_k (x[g,t,k] - baseline_k) kpiUnit[g] (Meridian's non-media baseline values), are
 * reported beside the channels' (rows with their name as `channel`); the baseline is the mean with
 * every treatment at its baseline value, so baseline + channels + treatments = prediction.
 *
 * Per period group (periods.ts; by default per quarter when some channel varies over time): ROI and
 * mROI of each paid channel over the group's periods, sum_{g, t in q} contribution (x value) /
 * sum_{g, t in q} spend (the mROI's increment likewise), so the contribution in a quarter includes
 * the carryover of the previous quarter's spend, as Meridian's ROI over selected times. And for each
 * time-varying channel its effectiveness e[t,c] per period with intervals.
 *
 * Memory stays bounded on large geo models: draws are processed one at a time (pass 1) and only
 * per-draw totals ([draws, C]) and per-period totals ([draws, T, C + 2]) are kept; the per
 * (geo, period) quantities, whose exact quantiles need every draw, are computed in a second pass
 * over blocks of geos sized so that a block's [geos, T, quantities, draws] values stay under
 * `maxBlockValues` (the results do not depend on the block size).
 */
import { byChannel, designDims, isPaidChannel, mediaCoefficientsHost, mediaEffectivenessHost, timeVaryingChannels, type MmmModelConfig, type MmmDesign } from '../../models/mmm/index.js';
import type { Posterior } from '../ppl/index.js';
import { baselineScaled, timeFeatures, treatmentContributionScaled } from './baseline.js';
import { adstockedSeries, channelTransform, saturatedSeries, saturatesFirst, saturateLevel, seriesScratch, type ChannelTransform } from './channelResponse.js';
import { drawAt, selectDraws, summarizeValues, type DrawSummary } from './drawSummary.js';
import { periodGroups, type PeriodGrouping } from './periods.js';
import { ALL_MEDIA, type Metric, type QuantityRow, type Unit } from './rows.js';

export interface MediaAnalysisOptions {
  /** Use at most this many draws, evenly thinned (default: all). */
  readonly maxDraws?: number;
  /** Rows per (date, channel) totals over geos (default true). */
  readonly byDate?: boolean;
  /** Rows per (geo, date, channel) (default true). */
  readonly byGeoDate?: boolean;
  /** Upper bound on values held at once by the per-(geo, date) pass (default 2^22, 32 MB). */
  readonly maxBlockValues?: number;
  /** Relative spend increase of the marginal ROI (default 0.01). */
  readonly mroiStep?: number;
  /** Compute the marginal ROI (default true; false leaves perDraw.mroi NaN and emits no mroi rows). */
  readonly mroi?: boolean;
  /** ROI and mROI per period group (default 'quarter' when some channel varies over time, else none; false: none). */
  readonly periodRoi?: PeriodGrouping | false;
}

/** Per-draw values ([draws, C] row-major, draws in the order of `drawIndices`). */
export interface PerDrawMetrics {
  /** Total contribution per channel, KPI units. */
  readonly contribution: Float64Array;
  /** Total contribution per channel in revenue (when the design has kpiValue). */
  readonly revenue?: Float64Array;
  readonly roi: Float64Array;
  readonly mroi: Float64Array;
  readonly costPerKpi: Float64Array;
  /** ROI over each channel's ROI-prior window (the whole period where there is none). */
  readonly roiInPriorWindow: Float64Array;
  /** [draws, treatments] total contribution per non-media treatment, KPI units. */
  readonly treatment: Float64Array;
  /** [draws] total baseline and total prediction, KPI units. */
  readonly baseline: Float64Array;
  readonly prediction: Float64Array;
  /** [draws, G, C] contribution per geo and channel over all periods, KPI units (summed over geos: `contribution`). */
  readonly geoContribution: Float64Array;
  /**
   * [draws, G, C] ROI per geo and channel: the geo's value-weighted contribution over its spend on the
   * channel (geoRoi.ts's formula); NaN for organic channels and where the geo has no spend.
   */
  readonly geoRoi: Float64Array;
}

export interface MediaAnalysis {
  readonly geoNames: readonly string[];
  readonly dates: readonly string[];
  readonly channelNames: readonly string[];
  /** Per channel: paid (has spend, ROI) or organic (contribution only). */
  readonly paid: readonly boolean[];
  /** Non-media treatments, whose contribution rows follow the channels' (by name in `channel`). */
  readonly treatmentNames: readonly string[];
  /** Pooled draw indices used (chain-major), see drawSummary.ts `selectDraws`. */
  readonly drawIndices: Int32Array;
  /** True when the design has a value per KPI unit (revenue rows are present). */
  readonly hasRevenue: boolean;
  /** Per channel and ALL_MEDIA: contribution, share, roi, mroi (channels only), costPerKpi, roiInPriorWindow (ROI prior windows only). */
  readonly channels: QuantityRow[];
  /** ROI and mROI per paid channel and period group (`period` key; options.periodRoi), and the grouping. */
  readonly byPeriod: QuantityRow[];
  readonly periodGrouping?: PeriodGrouping;
  /** Each time-varying channel's effectiveness exp(w_c(t)) per date (metric 'effectiveness', unit 'multiplier'). */
  readonly effectiveness: QuantityRow[];
  /** Totals over geos and periods: baseline, prediction. */
  readonly totals: QuantityRow[];
  /** Per date: contribution per channel, baseline, prediction (totals over geos). */
  readonly byDate: QuantityRow[];
  /** Per geo and date: contribution per channel, baseline, prediction. */
  readonly byGeoDate: QuantityRow[];
  readonly perDraw: PerDrawMetrics;
  /** Posterior means in KPI units: prediction and baseline [G, T], contribution [G, T, C]. */
  readonly mean: { readonly prediction: Float64Array; readonly baseline: Float64Array; readonly contribution: Float64Array };
}

const DEFAULT_MAX_BLOCK_VALUES = 1 << 22;

/** Total spend per channel [C], over all geos and periods. */
export function spendTotals(design: MmmDesign): Float64Array {
  const { geos: G, periods: T, channels: C } = designDims(design);
  const out = new Float64Array(C);
  for (let n = 0; n < G * T; n++) for (let c = 0; c < C; c++) out[c] += design.spend[n * C + c];
  return out;
}

/** [T, C] 1 where period t is inside channel c's ROI-prior window (all ones without windows). */
function priorWindowMask(design: MmmDesign, config: MmmModelConfig): Uint8Array {
  const { periods: T, channels: C } = designDims(design);
  const windows = config.mediaPrior.type === 'roi' ? config.mediaPrior.window ?? {} : {};
  const mask = new Uint8Array(T * C);
  for (let c = 0; c < C; c++) {
    const window = byChannel(windows, design.channelNames[c]);
    for (let t = 0; t < T; t++) {
      const date = design.dates[t];
      mask[t * C + c] = !window || (date >= window.from && date <= window.to) ? 1 : 0;
    }
  }
  return mask;
}

function hasPriorWindows(config: MmmModelConfig): boolean {
  return config.mediaPrior.type === 'roi' && config.mediaPrior.window !== undefined && Object.keys(config.mediaPrior.window).length > 0;
}

/** Contributions, baseline, ROI, mROI and cost per KPI per draw, summarized as tidy rows. */
export function analyzeMedia(design: MmmDesign, config: MmmModelConfig, posterior: Posterior, options: MediaAnalysisOptions = {}): MediaAnalysis {
  const { geos: G, periods: T, channels: C, treatments: NT } = designDims(design);
  const drawIndices = selectDraws(posterior, options.maxDraws);
  const paid = Array.from({ length: C }, (_, c) => isPaidChannel(design, c));
  const treatmentNames = design.treatmentNames ?? [];
  const contributorNames = [...design.channelNames, ...treatmentNames];
  const D = drawIndices.length;
  const step = options.mroiStep ?? 0.01;
  const withMroi = options.mroi ?? true;
  if (!(step > 0)) throw new Error(`analyzeMedia: mroiStep must be > 0, got ${step}`);
  const hasRevenue = design.kpiValue !== undefined;
  const value = (n: number) => (design.kpiValue ? design.kpiValue[n] : 1);
  const features = timeFeatures(design, config);
  const spend = spendTotals(design);
  const windowMask = priorWindowMask(design, config);
  const windowSpend = new Float64Array(C);
  for (let g = 0; g < G; g++) {
    for (let t = 0; t < T; t++) for (let c = 0; c < C; c++) if (windowMask[t * C + c]) windowSpend[c] += design.spend[(g * T + t) * C + c];
  }
  let spendAll = 0;
  for (let c = 0; c < C; c++) spendAll += spend[c];
  // time-varying channels' effectiveness [K, T, D], and the period groups' sums [groups, C, D]
  const varying = timeVaryingChannels(config, design.channelNames).map((name) => design.channelNames.indexOf(name));
  const K = varying.length;
  const effectivenessDraws = new Float64Array(K * T * D);
  const grouping = options.periodRoi === undefined ? (K > 0 ? 'quarter' : undefined) : options.periodRoi || undefined;
  const groups = grouping ? periodGroups(design.dates, grouping) : undefined;
  const NG = groups?.labels.length ?? 0;
  const groupSpend = new Float64Array(NG * C);
  const groupRevenue = new Float64Array(NG * C * D);
  const groupExtra = new Float64Array(withMroi ? NG * C * D : 0);
  if (groups) for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) for (let c = 0; c < C; c++) groupSpend[groups.groupOf[t] * C + c] += design.spend[(g * T + t) * C + c];

  // Quantities per (geo|date) cell: C channel and NT treatment contributions, baseline, prediction; in KPI, then revenue.
  const CN = C + NT;
  const perUnit = CN + 2;
  const Q = hasRevenue ? 2 * perUnit : perUnit;
  const byDate = options.byDate ?? true;
  const byGeoDate = options.byGeoDate ?? true;

  const perDraw = {
    contribution: new Float64Array(D * C),
    revenue: hasRevenue ? new Float64Array(D * C) : undefined,
    roi: new Float64Array(D * C),
    mroi: new Float64Array(D * C),
    costPerKpi: new Float64Array(D * C),
    roiInPriorWindow: new Float64Array(D * C),
    treatment: new Float64Array(D * NT),
    baseline: new Float64Array(D),
    prediction: new Float64Array(D),
    geoContribution: new Float64Array(D * G * C),
    geoRoi: new Float64Array(D * G * C),
  };
  const geoSpend = new Float64Array(G * C);
  for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) for (let c = 0; c < C; c++) geoSpend[g * C + c] += design.spend[(g * T + t) * C + c];
  const revenueTotals = new Float64Array(D * C); // value-weighted (= KPI without kpiValue)
  const baselineRevenue = new Float64Array(D);
  const predictionRevenue = new Float64Array(D);
  const treatmentRevenue = new Float64Array(D * NT);
  const paidRevenue = new Float64Array(D);
  const paidKpi = new Float64Array(D);
  const mediaKpi = new Float64Array(D);
  const mediaRevenueTotal = new Float64Array(D);
  const dateValues = byDate ? new Float64Array(T * Q * D) : undefined; // [T, Q, D]
  const betaAll = new Float64Array(D * G * C);
  const meanPrediction = new Float64Array(G * T);
  const meanBaseline = new Float64Array(G * T);
  const meanContribution = new Float64Array(G * T * C);

  // ---- pass 1: one draw at a time
  const baseline = new Float64Array(G * T);
  const scratch = seriesScratch(T);
  const windowed = new Float64Array(C);
  const adstocked = new Float64Array(G * T * C); // [C, G, T]
  const saturated = new Float64Array(G * T * C); // [G, T, C] as saturatedMediaHost
  const transforms: ChannelTransform[] = new Array(C);
  const upSeries = new Float64Array(T);
  for (let d = 0; d < D; d++) {
    const values = drawAt(posterior, drawIndices[d]);
    for (let c = 0; c < C; c++) {
      transforms[c] = channelTransform(config, values, c, design.channelNames);
      for (let g = 0; g < G; g++) {
        const a = adstocked.subarray((c * G + g) * T, (c * G + g + 1) * T);
        if (saturatesFirst(transforms[c])) {
          saturatedSeries(design, transforms[c], g, c, 1, a, scratch);
          for (let t = 0; t < T; t++) saturated[(g * T + t) * C + c] = a[t];
          continue;
        }
        adstockedSeries(design, transforms[c], g, c, a, scratch);
        for (let t = 0; t < T; t++) saturated[(g * T + t) * C + c] = saturateLevel(transforms[c], a[t]);
      }
    }
    const beta = mediaCoefficientsHost(design, config, values, saturated);
    const effectiveness = mediaEffectivenessHost(design, config, values);
    const eff = (t: number, c: number) => (effectiveness ? effectiveness[t * C + c] : 1);
    for (let k = 0; k < K; k++) for (let t = 0; t < T; t++) effectivenessDraws[(k * T + t) * D + d] = eff(t, varying[k]);
    betaAll.set(beta, d * G * C);
    baselineScaled(design, config, values, features, 0, G, baseline);
    windowed.fill(0);
    for (let g = 0; g < G; g++) {
      const unit = design.kpiUnit[g];
      for (let t = 0; t < T; t++) {
        const n = g * T + t;
        const v = value(n);
        const base = baseline[n] * unit;
        let media = 0;
        for (let c = 0; c < C; c++) {
          const contribution = beta[g * C + c] * eff(t, c) * saturated[n * C + c] * unit;
          media += contribution;
          if (groups) groupRevenue[(groups.groupOf[t] * C + c) * D + d] += contribution * v;
          mediaKpi[d] += contribution;
          mediaRevenueTotal[d] += contribution * v;
          if (paid[c]) {
            paidKpi[d] += contribution;
            paidRevenue[d] += contribution * v;
          }
          perDraw.contribution[d * C + c] += contribution;
          perDraw.geoContribution[(d * G + g) * C + c] += contribution;
          perDraw.geoRoi[(d * G + g) * C + c] += contribution * v; // the value-weighted sum; divided by the spend below
          revenueTotals[d * C + c] += contribution * v;
          if (windowMask[t * C + c]) windowed[c] += contribution * v;
          meanContribution[n * C + c] += contribution;
          if (dateValues) {
            dateValues[(t * Q + c) * D + d] += contribution;
            if (hasRevenue) dateValues[(t * Q + perUnit + c) * D + d] += contribution * v;
          }
        }
        let treated = 0;
        for (let k = 0; k < NT; k++) {
          const contribution = treatmentContributionScaled(design, config, values, n, g, k) * unit;
          treated += contribution;
          perDraw.treatment[d * NT + k] += contribution;
          treatmentRevenue[d * NT + k] += contribution * v;
          if (dateValues) {
            dateValues[(t * Q + C + k) * D + d] += contribution;
            if (hasRevenue) dateValues[(t * Q + perUnit + C + k) * D + d] += contribution * v;
          }
        }
        const prediction = base + media + treated;
        perDraw.baseline[d] += base;
        perDraw.prediction[d] += prediction;
        baselineRevenue[d] += base * v;
        predictionRevenue[d] += prediction * v;
        meanBaseline[n] += base;
        meanPrediction[n] += prediction;
        if (dateValues) {
          dateValues[(t * Q + CN) * D + d] += base;
          dateValues[(t * Q + CN + 1) * D + d] += prediction;
          if (hasRevenue) {
            dateValues[(t * Q + perUnit + CN) * D + d] += base * v;
            dateValues[(t * Q + perUnit + CN + 1) * D + d] += prediction * v;
          }
        }
      }
    }
    for (let c = 0; c < C; c++) {
      // Marginal ROI: channel c's scaled media x (1 + step) everywhere, beta fixed at the actual
      // data's; adstock is linear, so the adstock of the increased media is (1 + step) a (a
      // saturation-first channel: its series again from (1 + step) x).
      let extra = withMroi && paid[c] ? 0 : NaN;
      const first = saturatesFirst(transforms[c]);
      for (let g = 0; withMroi && paid[c] && g < G; g++) {
        const scale = beta[g * C + c] * design.kpiUnit[g];
        if (first) saturatedSeries(design, transforms[c], g, c, 1 + step, upSeries, scratch);
        for (let t = 0; t < T; t++) {
          const n = g * T + t;
          const up = first ? upSeries[t] : saturateLevel(transforms[c], (1 + step) * adstocked[(c * G + g) * T + t]);
          const increment = scale * eff(t, c) * (up - saturated[n * C + c]) * value(n);
          extra += increment;
          if (groups) groupExtra[(groups.groupOf[t] * C + c) * D + d] += increment;
        }
      }
      const i = d * C + c;
      perDraw.mroi[i] = extra / (step * spend[c]);
      // organic channels (no spend): NaN, and no rows below
      perDraw.roi[i] = paid[c] ? revenueTotals[i] / spend[c] : NaN;
      perDraw.roiInPriorWindow[i] = paid[c] ? windowed[c] / windowSpend[c] : NaN;
      perDraw.costPerKpi[i] = paid[c] ? spend[c] / perDraw.contribution[i] : NaN;
      if (perDraw.revenue) perDraw.revenue[i] = revenueTotals[i];
      for (let g = 0; g < G; g++) {
        const k = (d * G + g) * C + c;
        perDraw.geoRoi[k] = paid[c] && geoSpend[g * C + c] > 0 ? perDraw.geoRoi[k] / geoSpend[g * C + c] : NaN;
      }
    }
  }
  for (let n = 0; n < G * T; n++) {
    meanPrediction[n] /= D;
    meanBaseline[n] /= D;
  }
  for (let i = 0; i < G * T * C; i++) meanContribution[i] /= D;

  // ---- channel and total rows
  const channels: QuantityRow[] = [];
  const totals: QuantityRow[] = [];
  const scratchDraws = new Float64Array(D);
  const column = (source: Float64Array, c: number, width = C) => Float64Array.from({ length: D }, (_, d) => source[d * width + c]);
  const summarize = (values: Float64Array) => summarizeValues(values, scratchDraws);
  const roiUnit: Unit = hasRevenue ? 'revenuePerSpend' : 'kpiPerSpend';
  const windows = hasPriorWindows(config);
  for (let c = 0; c < C; c++) {
    const channel = design.channelNames[c];
    const contribution = column(perDraw.contribution, c);
    channels.push(row('contribution', 'kpi', summarize(contribution), { channel }));
    if (perDraw.revenue) channels.push(row('contribution', 'revenue', summarize(column(perDraw.revenue, c)), { channel }));
    channels.push(row('share', 'fraction', summarize(contribution.map((x, d) => x / perDraw.prediction[d])), { channel }));
    if (!paid[c]) continue;
    channels.push(row('roi', roiUnit, summarize(column(perDraw.roi, c)), { channel }));
    if (withMroi) channels.push(row('mroi', roiUnit, summarize(column(perDraw.mroi, c)), { channel }));
    channels.push(row('costPerKpi', 'spendPerKpi', summarize(column(perDraw.costPerKpi, c)), { channel }));
    if (windows) channels.push(row('roiInPriorWindow', roiUnit, summarize(column(perDraw.roiInPriorWindow, c)), { channel }));
  }
  for (let k = 0; k < NT; k++) {
    const channel = treatmentNames[k];
    const contribution = column(perDraw.treatment, k, NT);
    channels.push(row('contribution', 'kpi', summarize(contribution), { channel }));
    if (hasRevenue) channels.push(row('contribution', 'revenue', summarize(column(treatmentRevenue, k, NT)), { channel }));
    channels.push(row('share', 'fraction', summarize(contribution.map((x, d) => x / perDraw.prediction[d])), { channel }));
  }
  // all media: every channel's contribution; its ROI and cost over the paid channels only
  channels.push(row('contribution', 'kpi', summarize(mediaKpi), { channel: ALL_MEDIA }));
  if (hasRevenue) channels.push(row('contribution', 'revenue', summarize(mediaRevenueTotal), { channel: ALL_MEDIA }));
  channels.push(row('share', 'fraction', summarize(mediaKpi.map((x, d) => x / perDraw.prediction[d])), { channel: ALL_MEDIA }));
  if (spendAll > 0) {
    channels.push(row('roi', roiUnit, summarize(paidRevenue.map((x) => x / spendAll)), { channel: ALL_MEDIA }));
    channels.push(row('costPerKpi', 'spendPerKpi', summarize(paidKpi.map((x) => spendAll / x)), { channel: ALL_MEDIA }));
  }
  // ---- per period group: ROI and mROI of the paid channels; time-varying channels' effectiveness per date
  const periodRows: QuantityRow[] = [];
  if (groups) {
    for (let q = 0; q < NG; q++) {
      for (let c = 0; c < C; c++) {
        const groupSpent = groupSpend[q * C + c];
        if (!paid[c] || !(groupSpent > 0)) continue;
        const keys = { channel: design.channelNames[c], period: groups.labels[q] };
        const at = (q * C + c) * D;
        periodRows.push(row('roi', roiUnit, summarize(groupRevenue.slice(at, at + D).map((x) => x / groupSpent)), keys));
        if (withMroi) periodRows.push(row('mroi', roiUnit, summarize(groupExtra.slice(at, at + D).map((x) => x / (step * groupSpent))), keys));
      }
    }
  }
  const effectivenessRows: QuantityRow[] = [];
  for (let k = 0; k < K; k++) {
    for (let t = 0; t < T; t++) {
      effectivenessRows.push(row('effectiveness', 'multiplier', summarize(effectivenessDraws.slice((k * T + t) * D, (k * T + t + 1) * D)), { channel: design.channelNames[varying[k]], date: design.dates[t] }));
    }
  }
  totals.push(row('baseline', 'kpi', summarize(perDraw.baseline), {}));
  if (hasRevenue) totals.push(row('baseline', 'revenue', summarize(baselineRevenue), {}));
  totals.push(row('prediction', 'kpi', summarize(perDraw.prediction), {}));
  if (hasRevenue) totals.push(row('prediction', 'revenue', summarize(predictionRevenue), {}));

  // ---- per-date rows
  const dateRows: QuantityRow[] = [];
  if (dateValues) {
    for (let t = 0; t < T; t++) {
      cellRows(dateRows, dateValues.subarray(t * Q * D, (t + 1) * Q * D), D, contributorNames, hasRevenue, { date: design.dates[t] }, scratchDraws);
    }
  }

  // ---- pass 2: per (geo, date) quantities in blocks of geos
  const geoDateRows: QuantityRow[] = [];
  if (byGeoDate) {
    const budget = options.maxBlockValues ?? DEFAULT_MAX_BLOCK_VALUES;
    const blockGeos = Math.max(1, Math.min(G, Math.floor(budget / (T * Q * D))));
    const block = new Float64Array(blockGeos * T * Q * D); // [geo, t, Q, D]
    const series = new Float64Array(T);
    const blockBaseline = new Float64Array(blockGeos * T);
    for (let start = 0; start < G; start += blockGeos) {
      const end = Math.min(G, start + blockGeos);
      block.fill(0);
      for (let d = 0; d < D; d++) {
        const values = drawAt(posterior, drawIndices[d]);
        baselineScaled(design, config, values, features, start, end, blockBaseline);
        for (let g = start; g < end; g++) {
          const unit = design.kpiUnit[g];
          for (let t = 0; t < T; t++) {
            const base = blockBaseline[(g - start) * T + t] * unit;
            const cell = ((g - start) * T + t) * Q;
            block[(cell + CN) * D + d] = base;
            block[(cell + CN + 1) * D + d] = base;
            const v = value(g * T + t);
            if (hasRevenue) {
              block[(cell + perUnit + CN) * D + d] = base * v;
              block[(cell + perUnit + CN + 1) * D + d] = base * v;
            }
            for (let k = 0; k < NT; k++) {
              const contribution = treatmentContributionScaled(design, config, values, g * T + t, g, k) * unit;
              block[(cell + C + k) * D + d] = contribution;
              block[(cell + CN + 1) * D + d] += contribution;
              if (hasRevenue) {
                block[(cell + perUnit + C + k) * D + d] = contribution * v;
                block[(cell + perUnit + CN + 1) * D + d] += contribution * v;
              }
            }
          }
        }
        const effectiveness = mediaEffectivenessHost(design, config, values);
        for (let c = 0; c < C; c++) {
          const transform = channelTransform(config, values, c, design.channelNames);
          for (let g = start; g < end; g++) {
            saturatedSeries(design, transform, g, c, 1, series, scratch);
            const scale = betaAll[(d * G + g) * C + c] * design.kpiUnit[g];
            for (let t = 0; t < T; t++) {
              const contribution = scale * (effectiveness ? effectiveness[t * C + c] : 1) * series[t];
              const cell = ((g - start) * T + t) * Q;
              block[(cell + c) * D + d] = contribution;
              block[(cell + CN + 1) * D + d] += contribution;
              if (hasRevenue) {
                const v = value(g * T + t);
                block[(cell + perUnit + c) * D + d] = contribution * v;
                block[(cell + perUnit + CN + 1) * D + d] += contribution * v;
              }
            }
          }
        }
      }
      for (let g = start; g < end; g++) {
        for (let t = 0; t < T; t++) {
          const cell = ((g - start) * T + t) * Q;
          cellRows(geoDateRows, block.subarray(cell * D, (cell + Q) * D), D, contributorNames, hasRevenue, { geo: design.geoNames[g], date: design.dates[t] }, scratchDraws);
        }
      }
    }
  }

  return {
    geoNames: design.geoNames,
    dates: design.dates,
    channelNames: design.channelNames,
    paid,
    treatmentNames,
    drawIndices,
    hasRevenue,
    channels,
    byPeriod: periodRows,
    ...(grouping ? { periodGrouping: grouping } : {}),
    effectiveness: effectivenessRows,
    totals,
    byDate: dateRows,
    byGeoDate: geoDateRows,
    perDraw,
    mean: { prediction: meanPrediction, baseline: meanBaseline, contribution: meanContribution },
  };
}

function row(metric: Metric, unit: Unit, summary: DrawSummary, keys: { channel?: string; geo?: string; date?: string; period?: string }): QuantityRow {
  return { metric, unit, ...keys, ...summary };
}

/** Rows of one cell's quantities laid out [Q, D]: the contributions (channels, then treatments), baseline, prediction (KPI, then revenue). */
function cellRows(
  out: QuantityRow[],
  values: Float64Array,
  D: number,
  channelNames: readonly string[],
  hasRevenue: boolean,
  keys: { geo?: string; date?: string },
  scratch: Float64Array,
): void {
  const C = channelNames.length;
  const units: Unit[] = hasRevenue ? ['kpi', 'revenue'] : ['kpi'];
  units.forEach((unit, u) => {
    const offset = u * (C + 2);
    const slice = (q: number) => values.subarray((offset + q) * D, (offset + q + 1) * D);
    for (let c = 0; c < C; c++) out.push(row('contribution', unit, summarizeValues(slice(c), scratch), { ...keys, channel: channelNames[c] }));
    out.push(row('baseline', unit, summarizeValues(slice(C), scratch), keys));
    out.push(row('prediction', unit, summarizeValues(slice(C + 1), scratch), keys));
  });
}
