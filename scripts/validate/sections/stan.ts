/**
 * Sections `stan-geo20` and `stan-national`: fit the reference model (default run config, i.e.
 * shared/reference-model.md) on the Stan peer's simulated data (shared/bench/stan/data/<size>.csv)
 * with Stan's settings (4 chains x 1000 warmup + 1000 draws, seed 20240601, max tree depth 10,
 * adapt delta 0.8, diagonal metric), then compare every scalar parameter, ROI and mROI with Stan's
 * posterior (stanCompare.ts), the 90% coverage of the simulation's truths with Stan's, and the
 * sampler's figures (wall time, gradient evaluations, ESS, ESS/s, R-hat, divergences) with Stan's.
 *
 * National: Stan's national run kept the geo hierarchy at G = 1 (u, v, eta, sigma_tau; see the
 * Stan README, Findings 1), which the reference model drops. Mixwell's `m[c]` and `tau0` are then
 * compared with Stan's per-draw `m[c] + eta[c] u[1,c]` and `tau0 + sigma_tau v[1]` (the quantities
 * the likelihood sees); the priors of the two differ slightly (log beta ~ N(-1.5, ~1.04) vs
 * N(-1.5, 1); tau ~ N(0.5, ~0.58) vs N(0.5, 0.5)), a small effect next to the data's.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SummaryRow } from '../../../src/diagnostics/index.js';
import type { Check, SectionResult } from '../checks.js';
import { fitFacts, loadValidateConfig, runFit, type FitRun } from '../fitting.js';
import { resolveSettings, FULL_SETTINGS, type ValidateOptions } from '../options.js';
import { prepareData } from '../preprocess.js';
import { compareWithStan, printComparison } from '../stanCompare.js';
import { derivedStanSummary, loadStanDraws, loadStanResults, type StanResults } from '../stanReference.js';
import { fmt, renderTable, say } from '../table.js';

function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}

function samplerTable(run: FitRun, stan: StanResults, minEss: { value: number; name: string }, minTail: { value: number; name: string }): Record<string, unknown> {
  const samples = run.fit.result.samples;
  const leapfrogPerDraw = mean(samples.stats.flatMap((s) => Array.from(s.nLeapfrog)));
  const meanTreeDepth = mean(samples.stats.flatMap((s) => Array.from(s.treeDepth)));
  const h = run.fit.result.health;
  const wall = run.samplingSeconds;
  const mix = {
    samplingWallSeconds: wall,
    gradientEvaluations: run.gradientEvaluations,
    gradientEvaluationsPerSecond: run.gradientEvaluations / wall,
    leapfrogPerDraw,
    meanTreeDepth,
    stepSize: Array.from(samples.warmup.stepSize),
    minBulkEss: minEss.value,
    minBulkEssParam: minEss.name,
    minBulkEssPerSecond: minEss.value / wall,
    minTailEss: minTail.value,
    minTailEssParam: minTail.name,
    maxRhat: h.maxRhat,
    divergences: h.divergences,
    treeDepthHits: h.treeDepthSaturated,
  };
  const s = stan.sampler;
  const rows: string[][] = [
    ['sampling wall s', fmt(wall, 4), fmt(stan.timing.sampling_wall_s, 4)],
    ['gradient evaluations', String(run.gradientEvaluations), String(s.grad_evals_total)],
    ['gradient evaluations / s', fmt(mix.gradientEvaluationsPerSecond, 4), fmt(s.grad_evals_per_s, 4)],
    ['leapfrog / draw', fmt(leapfrogPerDraw, 4), fmt(s.leapfrog_per_draw, 4)],
    ['mean tree depth', fmt(meanTreeDepth, 3), fmt(s.mean_treedepth, 3)],
    ['step size (per chain)', mix.stepSize.map((x) => fmt(x, 3)).join(' '), s.stepsize.map((x) => fmt(x, 3)).join(' ')],
    ['min bulk ESS (parameters)', `${fmt(minEss.value, 4)} (${minEss.name})`, `${stan.headline.min_bulk_ess} (${stan.headline.min_bulk_ess_param})`],
    ['min tail ESS (parameters)', `${fmt(minTail.value, 4)} (${minTail.name})`, `${stan.headline.min_tail_ess} (${stan.headline.min_tail_ess_param})`],
    ['min bulk ESS / wall s', fmt(mix.minBulkEssPerSecond, 4), fmt(stan.headline.min_bulk_ess_per_s, 4)],
    ['max R-hat', fmt(h.maxRhat, 4), `${fmt(stan.headline.max_rhat, 4)} (${stan.headline.max_rhat_param})`],
    ['divergences (after warmup)', String(h.divergences), String(s.divergences)],
    ['max tree depth hits', String(h.treeDepthSaturated), String(s.max_treedepth_hits)],
  ];
  say(`  sampler, Mixwell (${run.settings.chains} x ${run.settings.warmup}/${run.settings.draws}) vs Stan (${stan.settings.chains} x ${stan.settings.warmup}/${stan.settings.draws_per_chain}, 2 cores):`);
  say(renderTable(['metric', 'Mixwell', 'Stan'], rows));
  return mix;
}

export async function runStanSection(size: 'geo-20' | 'national', shared: string, options: ValidateOptions): Promise<SectionResult> {
  const name = size === 'geo-20' ? 'stan-geo20' : 'stan-national';
  const started = performance.now();
  const dataPath = join(shared, 'bench', 'stan', 'data', `${size}.csv`);
  const resultsPath = join(shared, 'bench', 'stan', 'results', `${size}.json`);
  const title = `Stan peer comparison, ${size} (reference model, default config)`;
  if (!existsSync(dataPath) || !existsSync(resultsPath)) {
    return { name, title, status: 'skipped', seconds: 0, checks: [], message: `${dataPath} or ${resultsPath} not found` };
  }
  const stan = loadStanResults(resultsPath);
  const { config, path: configPath } = loadValidateConfig('stan');
  say(`  data ${dataPath}; config ${configPath} (empty: every default = the reference model)`);
  const settings = resolveSettings(options, {
    ...FULL_SETTINGS,
    chains: stan.settings.chains,
    warmup: stan.settings.warmup,
    draws: stan.settings.draws_per_chain,
    seed: stan.seed,
    maxTreeDepth: stan.settings.max_treedepth,
  });
  const { data, log } = await prepareData(dataPath, config, []);
  for (const line of log) say(`  data: ${line}`);
  const run = await runFit(name, data, config, settings);

  const posterior = run.fit.result.posterior;
  const parameterNames = new Set(posterior.scalarNames('parameter'));
  const mixwell = new Map<string, SummaryRow>();
  for (const row of run.fit.result.summary) mixwell.set(row.name, row);
  for (const row of run.report.roiSummary) mixwell.set(row.name, row);

  const effective = new Map<string, { row: SummaryRow; stanName: string }>();
  const national = data.G === 1;
  if (national) {
    const drawsPath = join(shared, 'bench', 'stan', 'results', `${size}.draws.csv.gz`);
    const draws = loadStanDraws(drawsPath);
    for (let c = 1; c <= data.C; c++) {
      const stanName = `m[${c}] + eta[${c}]*u[1,${c}]`;
      effective.set(`m[${c}]`, { row: derivedStanSummary(draws, stanName, [[`m[${c}]`], [`eta[${c}]`, `u[1,${c}]`]]), stanName });
    }
    effective.set('tau0', { row: derivedStanSummary(draws, 'tau0 + sigma_tau*v[1]', [['tau0'], ['sigma_tau', 'v[1]']]), stanName: 'tau0 + sigma_tau*v[1]' });
    say(`  national: Stan kept the G = 1 hierarchy; m[c] and tau0 are compared with Stan's effective values from ${drawsPath}`);
  }
  const comparison = compareWithStan(stan, mixwell, effective, (n) =>
    national && /^(eta|u|sigma_tau|v)\b/.test(n) ? "geo effect, dropped by the reference model at G = 1" : "not in Mixwell's model",
  );
  printComparison(comparison);

  // Coverage of the simulation's truths, Mixwell vs Stan (informative: same data, same posterior => same misses).
  const withTruth = comparison.rows.filter((r) => r.truth !== undefined && r.stanName === r.name);
  const mixMisses = withTruth.filter((r) => r.mixCovers === false).map((r) => r.name);
  const stanMisses = withTruth.filter((r) => r.stanCovers === false).map((r) => r.name);
  say(
    `  90% interval covers the truth: Mixwell ${withTruth.length - mixMisses.length}/${withTruth.length}, ` +
      `Stan ${withTruth.length - stanMisses.length}/${withTruth.length} (same quantities)`,
  );
  say(`  misses Mixwell: ${mixMisses.join(', ') || 'none'}`);
  say(`  misses Stan:    ${stanMisses.join(', ') || 'none'}`);

  let minEss = { value: Infinity, name: '' };
  let minTail = { value: Infinity, name: '' };
  for (const row of run.fit.result.summary) {
    if (!parameterNames.has(row.name)) continue;
    if (row.essBulk < minEss.value) minEss = { value: row.essBulk, name: row.name };
    if (row.essTail < minTail.value) minTail = { value: row.essTail, name: row.name };
  }
  const sampler = samplerTable(run, stan, minEss, minTail);

  const checks: Check[] = [
    {
      name: `posterior agrees with Stan (${size})`,
      passed: comparison.passed,
      detail: `${comparison.rows.length} quantities; max |z| ${comparison.maxAbsZ.toFixed(2)}; |z|>4: ${comparison.countAbove4}; |z|>5: ${comparison.countAbove5}; sd ratios outside range: ${comparison.sdRatioOutside}; rule: ${comparison.rule}`,
    },
  ];
  return {
    name,
    title,
    status: comparison.passed ? 'passed' : 'failed',
    seconds: (performance.now() - started) / 1000,
    checks,
    details: {
      fit: fitFacts(run),
      sampler,
      stanSampler: { ...stan.sampler, timing: stan.timing, headline: stan.headline },
      comparison: {
        rule: comparison.rule,
        maxAbsZ: comparison.maxAbsZ,
        countAbove4: comparison.countAbove4,
        countAbove5: comparison.countAbove5,
        sdRatioOutside: comparison.sdRatioOutside,
        rows: comparison.rows,
        notCompared: comparison.notCompared,
      },
      coverage: { compared: withTruth.length, mixwellMisses: mixMisses, stanMisses },
    },
  };
}
