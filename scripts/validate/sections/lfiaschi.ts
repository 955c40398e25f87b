/**
 * Section `lfiaschi`: the MMM-Simple synthetic data set (shared/datasets/lfiaschi_mmm_simple, its
 * SOURCE.md): four channels, contribution = 5000 eff Hill(adstock / max x; slope, kappa) with
 * geometric adstock (l_max 8, not normalized), two additive controls, a seasonal baseline.
 * Published truths: ROAS 8.19 / 21.95 / 3.32 / 32.13 and each channel's share of the media
 * contribution; the weekly true contributions give the total media contribution.
 *
 * The engine's normalized adstock with Hill saturation contains this model exactly: normalizing
 * divides the adstock by S(alpha) = sum_l alpha^l, which the half-saturation absorbs, so
 * k_engine = kappa max(x) / (S(alpha) mean(x)) on the engine's spend / mean(spend) scale; alpha and
 * the slope keep their meaning; beta_engine = exp(m) = 5000 eff / mean(y). These parameter truths
 * are info rows (Search-Ads has alpha = 0 on the boundary of (0, 1), which no 90% interval of a
 * continuous posterior can contain).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCsvSource } from '../../../src/data/index.js';
import { coverageChecks, printTruthTable, sectionStatus, summarizeArray, truthRow, type SectionResult, type TruthRow } from '../checks.js';
import { channelRow, fitFacts, loadValidateConfig, runFit } from '../fitting.js';
import { resolveSettings, type ValidateOptions } from '../options.js';
import { prepareData } from '../preprocess.js';
import { fmt, say } from '../table.js';
import { numericColumn } from './roas.js';

const CHANNELS = [
  { name: 'Search-Ads', column: 'x1_Search-Ads' },
  { name: 'Social-Media', column: 'x2_Social-Media' },
  { name: 'Local-Ads', column: 'x3_Local-Ads' },
  { name: 'Email', column: 'x4_Email' },
] as const;
/** dataset_summary.json `base_effectiveness` and the base sales rate 5000 (SOURCE.md). */
const BASE_RATE = 5000;

interface GroundTruth {
  readonly transformation_parameters: {
    readonly channels: Readonly<Record<string, { readonly Local: { readonly adstock_params: { alpha: number; l_max: number }; readonly saturation_params: { slope: number; kappa: number } } }>>;
  };
  readonly roas_values: { readonly Local: Readonly<Record<string, number>> };
  readonly attribution_percentages: { readonly Local: Readonly<Record<string, number>> };
}

function sum(x: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < x.length; i++) total += x[i];
  return total;
}

export async function runLfiaschiSection(shared: string, options: ValidateOptions): Promise<SectionResult> {
  const name = 'lfiaschi';
  const title = 'lfiaschi mmm_simple: ROAS, media shares and total media contribution';
  const started = performance.now();
  const folder = join(shared, 'datasets', 'lfiaschi_mmm_simple');
  const path = join(folder, 'mmm_data.csv');
  if (!existsSync(path)) return { name, title, status: 'skipped', seconds: 0, checks: [], message: `${path} not found` };
  const truth = JSON.parse(readFileSync(join(folder, 'ground_truth_parameters.json'), 'utf8')) as GroundTruth;
  const summary = JSON.parse(readFileSync(join(folder, 'dataset_summary.json'), 'utf8')) as { channels: Record<string, { base_effectiveness: number }> };

  // Cross-check the published ROAS against the weekly true contributions / spend.
  const raw = (await loadCsvSource(path)).table;
  const contributions = (await loadCsvSource(join(folder, 'channel_contributions.csv'))).table;
  const trueContribution = CHANNELS.map((ch) => sum(numericColumn(contributions, `contribution_${ch.column}`)));
  const totalMedia = sum(trueContribution);
  CHANNELS.forEach((ch, c) => {
    const recomputed = trueContribution[c] / sum(numericColumn(raw, ch.column));
    say(`  truth ${ch.name}: ROAS published ${fmt(truth.roas_values.Local[ch.name], 6)}, recomputed sum(contribution)/sum(spend) ${fmt(recomputed, 6)}`);
  });
  say(`  units: ROAS is y per unit of spend, as Mixwell's ROI: conversion factor 1; shares are of the total MEDIA contribution (not of sales)`);

  const { config, path: configPath } = loadValidateConfig('lfiaschi');
  say(`  config ${configPath}: geometric adstock maxLag 8, Hill with free slope, no trend, Fourier order 2 period 52, controls c1 c2, wider k and s priors (reasons: configs/README.md)`);
  const { data, log } = await prepareData(path, config, [
    { kind: 'drop', columns: ['c1_effect', 'c2_effect'], why: 'true effects of the controls (ground truth, not inputs)' },
    { kind: 'drop', columns: ['geo'], why: 'a single region ("Local"): fitted as national data' },
  ]);
  for (const line of log) say(`  data: ${line}`);
  const run = await runFit(name, data, config, resolveSettings(options));

  const rows: TruthRow[] = [];
  for (const ch of CHANNELS) rows.push(truthRow(`ROAS ${ch.name}`, truth.roas_values.Local[ch.name], channelRow(run.report, 'roi', ch.name)));

  // Shares of the media contribution, per draw.
  const perDraw = run.report.media.perDraw.contribution; // [draws, C]
  const C = data.C;
  const draws = perDraw.length / C;
  const mediaTotal = Float64Array.from({ length: draws }, (_, d) => sum(perDraw.subarray(d * C, (d + 1) * C)));
  CHANNELS.forEach((ch, c) => {
    const share = Float64Array.from({ length: draws }, (_, d) => perDraw[d * C + c] / mediaTotal[d]);
    rows.push(truthRow(`media share ${ch.name}`, truth.attribution_percentages.Local[ch.name] / 100, summarizeArray(share)));
  });
  rows.push(truthRow('total media contribution', totalMedia, summarizeArray(mediaTotal)));

  // Parameters in the engine's units (information only).
  const kpiMean = sum(data.kpi) / data.kpi.length;
  const posterior = run.fit.result.posterior;
  CHANNELS.forEach((ch, c) => {
    const p = truth.transformation_parameters.channels[ch.name].Local;
    const alpha = p.adstock_params.alpha;
    const S = Array.from({ length: p.adstock_params.l_max }, (_, l) => alpha ** l).reduce((a, b) => a + b, 0);
    const x = Float64Array.from({ length: data.T }, (_, t) => data.spend[t * C + c]);
    const kEngine = (p.saturation_params.kappa * Math.max(...x)) / (S * (sum(x) / x.length));
    const beta = (BASE_RATE * summary.channels[ch.name].base_effectiveness) / kpiMean;
    rows.push(truthRow(`alpha ${ch.name}`, alpha, summarizeArray(posterior.pooled(`alpha[${c + 1}]`)), false, alpha === 0 ? 'boundary' : undefined));
    rows.push(truthRow(`slope ${ch.name}`, p.saturation_params.slope, summarizeArray(posterior.pooled(`s[${c + 1}]`)), false));
    rows.push(truthRow(`k ${ch.name} (kappa max/(S mean))`, kEngine, summarizeArray(posterior.pooled(`k[${c + 1}]`)), false));
    rows.push(truthRow(`beta ${ch.name} (5000 eff / mean y)`, beta, summarizeArray(posterior.pooled(`m[${c + 1}]`).map(Math.exp)), false));
  });
  printTruthTable(rows);
  say('  note: with adstock and Hill fixed at their true values, least squares on the same features gives ROAS');
  say('  Search 8.29 +- 0.53, Social 26.8 +- 1.6, Local 2.63 +- 0.27, Email 32.1 +- 1.4: in this data set the Social-Media');
  say('  estimate itself sits ~3 se above its truth 21.95, so a posterior near 26-27 for Social is the data, not the engine (configs/README.md)');
  const checks = coverageChecks(rows);
  return {
    name,
    title,
    status: sectionStatus(checks),
    seconds: (performance.now() - started) / 1000,
    checks,
    details: { preprocessing: log, rows, trueContribution: Object.fromEntries(CHANNELS.map((ch, c) => [ch.name, trueContribution[c]])), fit: fitFacts(run) },
  };
}
