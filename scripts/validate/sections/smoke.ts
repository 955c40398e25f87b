/**
 * Sections `meridian` and `robyn`: smoke fits on realistic data without a published truth.
 * - meridian: google/meridian's simulated geo_all_channels.csv (40 geos x 156 weeks, 5 paid
 *   channels with impressions and spend, 2 controls, an organic channel, Promo as a non-media
 *   treatment, population), loaded as it is (roles detected; only the treatment is named);
 * - robyn: Meta Robyn's dt_simulated_weekly.csv (national, 208 weeks, 5 spend channels, Facebook
 *   impressions and search clicks as exposures, competitor sales, newsletter, two event weeks).
 *
 * Checks: (1) convergence, max R-hat <= 1.01 over every parameter and at most 0.1% divergent draws; (2) a sensible decomposition:
 * in-sample R^2 of the posterior-mean prediction >= 0.5, the baseline's share of the predicted KPI
 * in [10%, 95%], the media share in [5%, 90%], every paid channel's ROI finite and > 0, and the
 * posterior-mean baseline >= 0 in at least 95% of the (geo, week) cells. These bounds only catch a
 * broken fit (media soaking up everything or nothing, a baseline below zero, no fit at all); they
 * are not a statement about the true decomposition, which is not published.
 * meridian also plans on hypothetical_geo_all_channels.csv (Meridian's new_data: 38 weeks of other
 * flighting, dates inside the fitted period, so taken as the weeks after it: --future-follows):
 * the fixed-budget allocation at the file's total spend, its uplift and P(beats the file's plan);
 * the check is that it runs and reports finite numbers (there is no truth to compare with).
 * meridian-rf fits geo_media_rf.csv as it is (Channel3 reach and frequency) and prints each reach
 * and frequency channel's optimal frequency.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_MEDIA } from '../../../src/analysis/index.js';
import { loadFuturePeriods, optimizeBudget, formatAllocation } from '../../../src/optimize/index.js';
import type { Check, SectionResult } from '../checks.js';
import { fitFacts, loadValidateConfig, runFit } from '../fitting.js';
import { resolveSettings, type ValidateOptions } from '../options.js';
import { prepareData, type PreprocessStep } from '../preprocess.js';
import { fmt, interval, pct, renderTable, say } from '../table.js';

export const RHAT_LIMIT = 1.01;
/** At most this share of the kept draws divergent (issue 19's bar for Meridian's data). */
export const DIVERGENCE_LIMIT = 0.001;

type SmokeName = 'meridian' | 'meridian-rf' | 'robyn';

interface SmokeSpec {
  readonly name: SmokeName;
  readonly title: string;
  readonly path: string[];
  readonly steps: readonly PreprocessStep[];
  readonly configNote: string;
}

const SPECS: Record<SmokeName, SmokeSpec> = {
  meridian: {
    name: 'meridian',
    title: 'Meridian simulated geo_all_channels.csv: smoke fit (40 geos)',
    path: ['datasets', 'meridian_simulated', 'geo_all_channels.csv'],
    steps: [],
    configNote: 'the file as it is: roles detected (impressions as media, spend for ROI, Organic_channel0 organic, controls, revenue per conversion), Promo named as a non-media treatment; population scaling',
  },
  'meridian-rf': {
    name: 'meridian-rf',
    title: 'Meridian simulated geo_media_rf.csv: smoke fit (40 geos, Channel3 reach and frequency)',
    path: ['datasets', 'meridian_simulated', 'geo_media_rf.csv'],
    steps: [],
    configNote: 'the file as it is: roles detected, Channel3_reach and Channel3_frequency make Channel3 a reach and frequency channel (Hill on frequency times reach, then adstock); population scaling',
  },
  robyn: {
    name: 'robyn',
    title: 'Robyn dt_simulated_weekly.csv: smoke fit (national)',
    path: ['datasets', 'robyn_simulated_weekly', 'dt_simulated_weekly.csv'],
    steps: [{ kind: 'dummies', column: 'events', levels: ['event1', 'event2'], why: 'categorical event column -> one 0/1 event dummy per event' }],
    configNote: 'facebook_I and search_clicks_P as exposures of facebook_S and search_S, competitor_sales_B and newsletter as controls, event1/event2 dummies',
  },
};

export async function runSmokeSection(which: SmokeName, shared: string, options: ValidateOptions): Promise<SectionResult> {
  const spec = SPECS[which];
  const started = performance.now();
  const path = join(shared, ...spec.path);
  if (!existsSync(path)) return { name: spec.name, title: spec.title, status: 'skipped', seconds: 0, checks: [], message: `${path} not found` };
  const { config, path: configPath } = loadValidateConfig(which);
  say(`  config ${configPath}: ${spec.configNote} (reasons: configs/README.md)`);
  const { data, log } = await prepareData(path, config, spec.steps);
  for (const line of log) say(`  data: ${line}`);
  const run = await runFit(which, data, config, resolveSettings(options));
  const report = run.report;
  const media = report.media;

  // KPI-unit rows only (with revenue per KPI the report also has revenue rows of the same metric).
  const totals = new Map(media.totals.filter((r) => r.unit === 'kpi').map((r) => [r.metric, r]));
  const prediction = totals.get('prediction');
  const baseline = totals.get('baseline');
  const allMedia = media.channels.find((r) => r.metric === 'contribution' && r.unit === 'kpi' && r.channel === ALL_MEDIA);
  if (!prediction || !baseline || !allMedia) throw new Error('report lacks baseline / prediction / all-media totals');
  const baselineShare = baseline.mean / prediction.mean;
  const mediaShare = allMedia.mean / prediction.mean;
  const rows: string[][] = [
    ['baseline', fmt(baseline.mean), pct(baselineShare), interval(baseline.q05, baseline.q95), '-'],
  ];
  const roiPositive: boolean[] = [];
  const paidNames: string[] = [];
  for (const channel of [...media.channelNames, ...media.treatmentNames]) {
    const contribution = media.channels.find((r) => r.metric === 'contribution' && r.unit === 'kpi' && r.channel === channel)!;
    const roi = media.channels.find((r) => r.metric === 'roi' && r.channel === channel);
    const c = media.channelNames.indexOf(channel);
    const kind = c < 0 ? 'treatment' : media.paid[c] ? undefined : 'organic';
    if (kind === undefined && roi) {
      paidNames.push(channel);
      roiPositive.push(Number.isFinite(roi.mean) && roi.mean > 0 && Number.isFinite(contribution.mean));
    }
    const label = kind === undefined ? channel : `${channel} (${kind})`;
    rows.push([label, fmt(contribution.mean), pct(contribution.mean / prediction.mean), interval(contribution.q05, contribution.q95), roi ? `${fmt(roi.mean, 3)} ${interval(roi.q05, roi.q95, 3)}` : '-']);
  }
  rows.push([ALL_MEDIA, fmt(allMedia.mean), pct(mediaShare), interval(allMedia.q05, allMedia.q95), '-']);
  rows.push(['prediction (total)', fmt(prediction.mean), '100%', interval(prediction.q05, prediction.q95), '-']);
  say(`  decomposition (totals over geos and weeks, KPI units; ROI unit: ${media.hasRevenue ? 'revenue' : 'KPI'} per spend):`);
  say(renderTable(['component', 'mean', 'share', '90% interval', 'ROI mean [90%]'], rows));
  const fitAll = report.fitMetrics.find((r) => r.subset === 'inSample') ?? report.fitMetrics.find((r) => r.subset === 'all');
  const r2 = fitAll?.r2 ?? NaN;
  const meanBaseline = media.mean.baseline;
  const negativeCells = meanBaseline.filter((v) => v < 0).length;
  const negativeFraction = negativeCells / meanBaseline.length;
  say(`  in-sample R^2 ${fmt(r2, 4)}, MAPE ${fitAll ? pct(fitAll.mape) : 'NA'}; posterior-mean baseline < 0 in ${negativeCells} of ${meanBaseline.length} cells`);
  for (const flag of report.health) if (flag.level !== 'ok') say(`  health ${flag.level}: ${flag.message}`);

  const h = run.fit.result.health;
  const decompositionProblems: string[] = [];
  if (!(r2 >= 0.5)) decompositionProblems.push(`R^2 ${fmt(r2, 3)} < 0.5`);
  if (!(baselineShare >= 0.1 && baselineShare <= 0.95)) decompositionProblems.push(`baseline share ${pct(baselineShare)} outside [10%, 95%]`);
  if (!(mediaShare >= 0.05 && mediaShare <= 0.9)) decompositionProblems.push(`media share ${pct(mediaShare)} outside [5%, 90%]`);
  roiPositive.forEach((ok, c) => {
    if (!ok) decompositionProblems.push(`channel ${paidNames[c]}: ROI not finite and positive`);
  });
  if (negativeFraction > 0.05) decompositionProblems.push(`baseline < 0 in ${pct(negativeFraction)} of cells`);
  const optimal = report.optimalFrequency.optimal;
  for (const row of optimal) {
    say(`  optimal frequency of ${row.channel}: ${fmt(row.optimalFrequency, 3)} [${fmt(row.q05, 3)}, ${fmt(row.q95, 3)}] (data's average ${fmt(row.currentFrequency, 3)}); ROI at it ${fmt(row.roiAtOptimal, 3)} against ${fmt(row.roiAtCurrent, 3)} at the data's frequencies`);
  }
  let planning: Record<string, unknown> | undefined;
  const checks: Check[] = [];
  const hypothetical = join(shared, 'datasets', 'meridian_simulated', 'hypothetical_geo_all_channels.csv');
  if (which === 'meridian' && existsSync(hypothetical)) {
    const started = performance.now();
    const fit = run.fit;
    const future = await loadFuturePeriods(hypothetical, { design: fit.design, model: fit.model.config, spec: fit.data.spec, scaling: fit.scaled.scaling }, { follows: true });
    for (const warning of future.warnings) say(`  planning: ${warning}`);
    const result = await optimizeBudget(fit.design, fit.model.config, fit.result.posterior, { future, seed: 1 });
    say('  planning on hypothetical_geo_all_channels.csv (its spend total re-allocated):');
    for (const line of formatAllocation(result).split('\n')) say(`    ${line}`);
    const c = result.comparison;
    const finite = [c.kpi.current.mean, c.kpi.plan.mean, c.uplift.mean, c.uplift.q05, c.uplift.q95, c.probabilityBeatsCurrent].every(Number.isFinite);
    planning = {
      file: 'hypothetical_geo_all_channels.csv', periods: future.dates.length, dates: { from: future.dates[0], to: future.dates[future.dates.length - 1] }, fileDates: future.fileDates,
      budget: result.budget, unit: c.unit, kpiCurrent: c.kpi.current, kpiPlan: c.kpi.plan, uplift: c.uplift, probabilityBeatsCurrent: c.probabilityBeatsCurrent,
      plan: c.entries.map((entry, p) => ({ channel: entry.channel, current: c.current[p], proposed: c.plan[p] })), seconds: (performance.now() - started) / 1000,
    };
    checks.push({ name: 'meridian: plans on hypothetical_geo_all_channels.csv', passed: finite, detail: `uplift ${fmt(c.uplift.mean)} ${interval(c.uplift.q05, c.uplift.q95)}, P(beats the file's plan) ${fmt(c.probabilityBeatsCurrent, 3)}` });
  }
  checks.unshift(
    {
      name: `${which}: converged (max R-hat <= ${RHAT_LIMIT}, divergences <= ${pct(DIVERGENCE_LIMIT)} of draws)`,
      passed: h.maxRhat <= RHAT_LIMIT && h.divergences <= DIVERGENCE_LIMIT * run.fit.result.posterior.chains * run.fit.result.posterior.drawsPerChain,
      detail: `max R-hat ${fmt(h.maxRhat, 4)}, min bulk ESS ${fmt(h.minEssBulk, 3)}, divergences ${h.divergences}`,
    },
    {
      name: `${which}: sensible decomposition`,
      passed: decompositionProblems.length === 0,
      detail: decompositionProblems.length === 0 ? `R^2 ${fmt(r2, 3)}, baseline ${pct(baselineShare)}, media ${pct(mediaShare)}` : decompositionProblems.join('; '),
    },
  );
  return {
    name: spec.name,
    title: spec.title,
    status: checks.every((c) => c.passed) ? 'passed' : 'failed',
    seconds: (performance.now() - started) / 1000,
    checks,
    details: {
      preprocessing: log,
      decomposition: { baseline: baseline, prediction, allMedia, baselineShare, mediaShare, channels: media.channels.filter((r) => r.metric === 'contribution' || r.metric === 'roi' || r.metric === 'share') },
      r2,
      negativeBaselineCells: negativeCells,
      fit: fitFacts(run),
      ...(planning ? { planning } : {}),
      ...(optimal.length > 0 ? { optimalFrequency: optimal } : {}),
    },
  };
}
