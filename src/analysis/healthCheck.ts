/**
 * A fit's health check: one flag per check, 'ok', 'warning' or 'error', with a message that says
 * what is wrong and where. Sampler checks follow Stan's and the `posterior` package's practice
 * (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021, "Rank-normalization, folding, and
 * localization: an improved R-hat": R-hat < 1.01 and bulk/tail ESS >= 400 for 4 chains; Betancourt
 * 2016/2017 for divergences, tree depth and E-BFMI < 0.3); model checks are MMM-specific:
 * - a negative baseline (posterior mean of everything but media < 0) means media took more than
 *   the whole KPI somewhere, a sign of misattribution;
 * - an ROI whose posterior median lies outside the prior's 1%-99% range (the prior ROI from
 *   priorRoi.ts, by prior predictive simulation, under every media prior; under an mROI prior the
 *   marginal ROI too) means the data overrode the prior strongly, or the prior was badly set; when
 *   every channel's ROI lies beyond it on the same side, the message asks about the units of spend
 *   and KPI (spend in cents scales every ROI by 1/100);
 * - a posterior predictive p-value < 0.05 or > 0.95 (posteriorPredictive.ts);
 * - channels the data can hardly identify (identification.ts, from the design before sampling): media
 *   in only a few periods, media without variation, collinear media; each names the channels and
 *   what to do, since their effects then rest on the priors.
 * Checks whose input is not given are skipped (no flag).
 */
import type { SummaryRow } from '../diagnostics/index.js';
import type { SamplerHealth } from '../inference/index.js';
import { identificationMessages, type MediaIdentification } from './identification.js';
import type { LiftCheckRow } from './liftCheck.js';
import type { MediaAnalysis } from './mediaAnalysis.js';
import type { PosteriorPredictiveCheck, PValueRow } from './posteriorPredictive.js';
import type { PriorRoiRow } from './priorRoi.js';

export type HealthLevel = 'ok' | 'warning' | 'error';

export type HealthCode =
  | 'rhat'
  | 'essBulk'
  | 'essTail'
  | 'divergences'
  | 'treeDepth'
  | 'ebfmi'
  | 'negativeBaseline'
  | 'roiOutsidePrior'
  | 'posteriorPredictive'
  | 'liftTest'
  | 'fewActivePeriods'
  | 'mediaWithoutVariation'
  | 'collinearMedia';

export interface HealthFlag {
  readonly level: HealthLevel;
  readonly code: HealthCode;
  readonly message: string;
  /** What the flag is about (parameter names, channels, "geo date" cells, discrepancies), worst first. */
  readonly subjects: readonly string[];
}

export interface HealthThresholds {
  /** R-hat above this is a warning (1.01), above rhatError an error (1.1). */
  readonly rhatWarning: number;
  readonly rhatError: number;
  /** Bulk or tail ESS below this is a warning (400), below essError an error (100). */
  readonly essWarning: number;
  readonly essError: number;
  /** Any divergence is a warning; a fraction of draws above this is an error (0.01). */
  readonly divergenceErrorFraction: number;
  /** E-BFMI below this in any chain is a warning (0.3). */
  readonly ebfmi: number;
  /** Posterior predictive p-values outside [low, high] are warnings (0.05, 0.95). */
  readonly pValueLow: number;
  readonly pValueHigh: number;
  /** A lift-test measurement more than this many standard deviations from the model's implied lift is a warning (2). */
  readonly liftZ: number;
}

export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = {
  rhatWarning: 1.01,
  rhatError: 1.1,
  essWarning: 400,
  essError: 100,
  divergenceErrorFraction: 0.01,
  ebfmi: 0.3,
  pValueLow: 0.05,
  pValueHigh: 0.95,
  liftZ: 2,
};

export interface HealthCheckInput {
  readonly health?: SamplerHealth;
  /** Per-parameter summary rows (names the parameters behind R-hat and ESS flags). */
  readonly summary?: readonly SummaryRow[];
  readonly media?: MediaAnalysis;
  readonly priorRoi?: readonly PriorRoiRow[];
  readonly predictive?: PosteriorPredictiveCheck | readonly PValueRow[];
  /** Lift-test check rows (liftCheck.ts): measured vs model-implied lift. */
  readonly liftTests?: readonly LiftCheckRow[];
  /** Channels the data can hardly identify (identification.ts `mediaIdentification` of the design). */
  readonly identification?: MediaIdentification;
}

/** How many subjects a message names before "and N more". */
const LISTED = 5;

function listed(subjects: readonly string[]): string {
  const shown = subjects.slice(0, LISTED).join(', ');
  return subjects.length > LISTED ? `${shown} and ${subjects.length - LISTED} more` : shown;
}

const fmt = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

export function healthCheck(input: HealthCheckInput, thresholds: Partial<HealthThresholds> = {}): HealthFlag[] {
  const limits = { ...DEFAULT_HEALTH_THRESHOLDS, ...thresholds };
  const flags: HealthFlag[] = [];
  const flag = (level: HealthLevel, code: HealthCode, message: string, subjects: readonly string[] = []) => flags.push({ level, code, message, subjects });

  // ---- convergence: R-hat and ESS (from the summary rows when given, else the health record)
  const rows = input.summary?.filter((r) => Number.isFinite(r.rhat) || Number.isFinite(r.essBulk) || Number.isFinite(r.essTail));
  if (rows && rows.length > 0) {
    const high = rows.filter((r) => r.rhat > limits.rhatWarning).sort((a, b) => b.rhat - a.rhat);
    const worst = high[0]?.rhat ?? Math.max(...rows.map((r) => (Number.isFinite(r.rhat) ? r.rhat : -Infinity)));
    if (high.length === 0) flag('ok', 'rhat', `max R-hat ${fmt(worst)} <= ${limits.rhatWarning}`);
    else {
      flag(worst > limits.rhatError ? 'error' : 'warning', 'rhat', `R-hat > ${limits.rhatWarning} for ${high.length} quantities (max ${fmt(worst)}): ${listed(high.map((r) => `${r.name} ${fmt(r.rhat)}`))}`, high.map((r) => r.name));
    }
    for (const [code, key] of [['essBulk', 'essBulk'], ['essTail', 'essTail']] as const) {
      const low = rows.filter((r) => r[key] < limits.essWarning).sort((a, b) => a[key] - b[key]);
      const label = code === 'essBulk' ? 'bulk' : 'tail';
      if (low.length === 0) flag('ok', code, `min ${label} ESS ${fmt(Math.min(...rows.map((r) => (Number.isFinite(r[key]) ? r[key] : Infinity))), 0)} >= ${limits.essWarning}`);
      else {
        const minimum = low[0][key];
        flag(minimum < limits.essError ? 'error' : 'warning', code, `${label} ESS < ${limits.essWarning} for ${low.length} quantities (min ${fmt(minimum, 0)}): ${listed(low.map((r) => `${r.name} ${fmt(r[key], 0)}`))}`, low.map((r) => r.name));
      }
    }
  } else if (input.health) {
    const h = input.health;
    if (Number.isFinite(h.maxRhat)) flag(h.maxRhat > limits.rhatError ? 'error' : h.maxRhat > limits.rhatWarning ? 'warning' : 'ok', 'rhat', `max R-hat ${fmt(h.maxRhat)}`);
    if (Number.isFinite(h.minEssBulk)) flag(h.minEssBulk < limits.essError ? 'error' : h.minEssBulk < limits.essWarning ? 'warning' : 'ok', 'essBulk', `min bulk ESS ${fmt(h.minEssBulk, 0)}`);
    if (Number.isFinite(h.minEssTail)) flag(h.minEssTail < limits.essError ? 'error' : h.minEssTail < limits.essWarning ? 'warning' : 'ok', 'essTail', `min tail ESS ${fmt(h.minEssTail, 0)}`);
  }

  // ---- sampler: divergences, tree depth, E-BFMI
  if (input.health) {
    const h = input.health;
    if (h.divergences === 0) flag('ok', 'divergences', 'no divergent transitions');
    else {
      const level = h.divergenceFraction > limits.divergenceErrorFraction ? 'error' : 'warning';
      flag(level, 'divergences', `${h.divergences} divergent transitions (${fmt(100 * h.divergenceFraction, 1)}% of draws): the posterior may be biased where the sampler could not go; reparameterize or raise adapt_delta`);
    }
    if (h.treeDepthSaturated === 0) flag('ok', 'treeDepth', `no transition hit the maximum tree depth ${h.maxTreeDepth}`);
    else flag('warning', 'treeDepth', `${h.treeDepthSaturated} transitions hit the maximum tree depth ${h.maxTreeDepth} (an efficiency problem, not bias)`);
    const low = h.ebfmi.flatMap((value, chain) => (value < limits.ebfmi ? [chain] : []));
    if (h.ebfmi.length > 0) {
      if (low.length === 0) flag('ok', 'ebfmi', `E-BFMI >= ${limits.ebfmi} in every chain (min ${fmt(Math.min(...h.ebfmi))})`);
      else flag('warning', 'ebfmi', `E-BFMI < ${limits.ebfmi} in chains ${low.join(', ')} (${low.map((c) => fmt(h.ebfmi[c])).join(', ')}): the momentum resampling explores the energy poorly`, low.map((c) => `chain ${c}`));
    }
  }

  // ---- model: negative baseline
  if (input.media) {
    const media = input.media;
    const G = media.geoNames.length;
    const T = media.dates.length;
    const negative: { where: string; value: number }[] = [];
    for (let g = 0; g < G; g++) {
      for (let t = 0; t < T; t++) {
        const value = media.mean.baseline[g * T + t];
        if (value < 0) negative.push({ where: `${media.geoNames[g]} ${media.dates[t]}`, value });
      }
    }
    negative.sort((a, b) => a.value - b.value);
    if (negative.length === 0) flag('ok', 'negativeBaseline', 'posterior mean baseline >= 0 in every geo and period');
    else {
      flag('warning', 'negativeBaseline', `posterior mean baseline < 0 in ${negative.length} of ${G * T} geo-periods (lowest: ${listed(negative.map((n) => `${n.where} ${fmt(n.value, 1)}`))}): media is credited with more than the whole KPI there`, negative.map((n) => n.where));
    }
  }

  // ---- model: ROI far outside the prior
  if (input.media && input.priorRoi) {
    const windowRows = input.priorRoi.filter((r) => r.metric === 'roiInPriorWindow');
    const marginalRows = input.priorRoi.filter((r) => r.metric === 'mroi');
    const priorRows = [...(windowRows.length > 0 ? windowRows : input.priorRoi.filter((r) => r.metric === 'roi')), ...marginalRows];
    const outside: string[] = [];
    const descriptions: string[] = [];
    for (const prior of priorRows) {
      const posterior = input.media.channels.find((r) => r.channel === prior.channel && r.metric === prior.metric);
      if (!posterior) continue;
      if (posterior.median < prior.q01 || posterior.median > prior.q99) {
        if (!outside.includes(prior.channel)) outside.push(prior.channel);
        descriptions.push(`${prior.channel}${prior.metric === 'mroi' ? ' mROI' : ''} ${fmt(posterior.median, 2)} vs prior [${fmt(prior.q01, 2)}, ${fmt(prior.q99, 2)}]`);
      }
    }
    const what = marginalRows.length > 0 ? 'ROI and mROI' : 'ROI';
    // every paid channel's ROI beyond its prior's range, all on the same side: possibly the units of spend or KPI
    const roiRows = priorRows.filter((r) => r.metric !== 'mroi');
    const medians = roiRows.map((prior) => ({ prior, posterior: input.media?.channels.find((r) => r.channel === prior.channel && r.metric === prior.metric) }));
    const side = (below: boolean) => medians.length > 0 && medians.every(({ prior, posterior }) => posterior !== undefined && (below ? posterior.median < prior.q01 : posterior.median > prior.q99));
    const units = side(true) || side(false)
      ? `; every channel's ROI lies ${side(true) ? 'below' : 'above'} its prior's range: are spend and KPI in the units the ROI prior assumes (KPI units per unit of spend)? Spend in cents divides every ROI by 100, spend in thousands multiplies it by 1000: set model.mediaPrior.kpiShare to true, or model.priors.roi in the data's units`
      : '';
    if (outside.length === 0) flag('ok', 'roiOutsidePrior', `every channel's posterior median ${what} is inside its prior 1%-99% range`);
    else flag('warning', 'roiOutsidePrior', `posterior median ${what} outside the prior 1%-99% range for ${listed(descriptions)}: check the prior and the channel's data${units}`, outside);
  }

  // ---- model: posterior predictive p-values
  if (input.predictive) {
    const pValues = 'pValues' in input.predictive ? input.predictive.pValues : input.predictive;
    const poor = pValues.filter((p) => !(p.pValue >= limits.pValueLow && p.pValue <= limits.pValueHigh));
    if (poor.length === 0) flag('ok', 'posteriorPredictive', `posterior predictive p-values in [${limits.pValueLow}, ${limits.pValueHigh}]: ${pValues.map((p) => `${p.discrepancy} ${fmt(p.pValue, 2)}`).join(', ')}`);
    else flag('warning', 'posteriorPredictive', `posterior predictive p-value outside [${limits.pValueLow}, ${limits.pValueHigh}]: ${poor.map((p) => `${p.discrepancy} ${fmt(p.pValue, 3)}`).join(', ')}`, poor.map((p) => p.discrepancy));
  }

  // ---- experiments: lift tests the posterior disagrees with
  if (input.liftTests && input.liftTests.length > 0) {
    const rows = input.liftTests;
    const far = rows.filter((row) => !(Math.abs(row.z) <= limits.liftZ)).sort((a, b) => Math.abs(b.z) - Math.abs(a.z));
    const label = (row: LiftCheckRow) => `${row.name} (${row.channel}, ${row.observation})`;
    if (far.length === 0) flag('ok', 'liftTest', `every lift-test measurement within ${limits.liftZ} sd of the model's implied lift (${rows.length} checked)`);
    else {
      flag(
        'warning',
        'liftTest',
        `lift-test measurement more than ${limits.liftZ} sd from the model's implied lift: ${far.map((row) => `${label(row)} z ${fmt(row.z, 2)}`).slice(0, LISTED).join(', ')}` +
          `${far.length > LISTED ? ` and ${far.length - LISTED} more` : ''}; check the experiment's window, geos and spend change, or the adstock and saturation`,
        far.map(label),
      );
    }
  }
  // ---- data: channels the data can hardly identify (their effects rest on the priors)
  if (input.identification) {
    const found = input.identification;
    const messages = identificationMessages(found);
    const checks: [HealthCode, string[], string[][], string][] = [
      ['fewActivePeriods', messages.fewActive, found.fewActive.map((f) => [f.channel]), 'every channel has media in enough periods'],
      ['mediaWithoutVariation', messages.noVariation, found.noVariation.map((name) => [name]), "every channel's media varies over time"],
      ['collinearMedia', messages.collinear, found.collinear.map((f) => [...f.subjects]), 'no media input is collinear with another input'],
    ];
    for (const [code, sentences, subjects, ok] of checks) {
      if (sentences.length === 0) flag('ok', code, ok);
      else flag('warning', code, sentences.join('; '), subjects.flat());
    }
  }
  return flags;
}
