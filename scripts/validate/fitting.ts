/**
 * One validation fit through the public API: `fitMmm(data, runConfig, samplerOverrides)` and
 * `buildReport(fit)`, timed, with the sampler figures the report needs (gradient evaluations,
 * divergences, R-hat, ESS). Also reads the run configs kept in scripts/validate/configs/ (plain run
 * configs: `parseRunConfig` rejects unknown keys, so the reasons for each choice live in
 * configs/README.md, not in the JSON).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildReport, fitMmm, parseRunConfig, type MmmFit, type MmmReport, type RunConfig } from '../../src/index.js';
import type { MmmData } from '../../src/data/index.js';
import { formatProgress, type SampleProgress } from '../../samplers/index.js';
import type { SamplerSettings } from './options.js';
import { fmt, say } from './table.js';

export const CONFIG_DIR = join(dirname(fileURLToPath(import.meta.url)), 'configs');

/** A run config from scripts/validate/configs/<name>.json, parsed (and so checked) by the product. */
export function loadValidateConfig(name: string): { config: RunConfig; json: unknown; path: string } {
  const path = join(CONFIG_DIR, `${name}.json`);
  const json: unknown = JSON.parse(readFileSync(path, 'utf8'));
  return { config: parseRunConfig(json, path), json, path };
}

export interface FitRun {
  readonly fit: MmmFit;
  readonly report: MmmReport;
  /** fitMmm wall time (data already validated: model build + sampling + constraining + summary). */
  readonly fitSeconds: number;
  /** Process CPU seconds (user + system, every thread: the sampling workers are threads) of fitMmm. */
  readonly fitCpuSeconds: number;
  /** Sampler wall time (warmup + draws) as measured by src/inference. */
  readonly samplingSeconds: number;
  readonly reportSeconds: number;
  readonly gradientEvaluations: number;
  readonly settings: SamplerSettings;
}

/** Progress lines for logs (stderr not a TTY): one per 10% with the elapsed time. */
export function progressLines(label: string): (p: SampleProgress) => void {
  if (process.stderr.isTTY) return () => {};
  const started = performance.now();
  let lastDecile = -1;
  return (p) => {
    const decile = p.total === 0 ? 10 : Math.floor((10 * p.completed) / p.total);
    if (decile === lastDecile) return;
    lastDecile = decile;
    const elapsed = (performance.now() - started) / 1000;
    process.stderr.write(`[${label}] ${formatProgress(p, 20)}  ${elapsed.toFixed(0)} s\n`);
  };
}

export async function runFit(label: string, data: MmmData, config: RunConfig, settings: SamplerSettings): Promise<FitRun> {
  say(
    `  fitting: ${settings.chains} chains x ${settings.warmup} warmup + ${settings.draws} draws, seed ${settings.seed}, ` +
      `max tree depth ${settings.maxTreeDepth}, G=${data.G} T=${data.T} C=${data.C} K=${data.K} E=${data.E}`,
  );
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const fit = await fitMmm(data, config, {
    chains: settings.chains,
    warmup: settings.warmup,
    draws: settings.draws,
    seed: settings.seed,
    maxTreeDepth: settings.maxTreeDepth,
    progress: false,
    onProgress: progressLines(label),
  });
  const fitted = performance.now();
  const cpu = process.cpuUsage(cpuBefore);
  const report = buildReport(fit);
  const reported = performance.now();
  const run: FitRun = {
    fit,
    report,
    fitSeconds: (fitted - started) / 1000,
    fitCpuSeconds: (cpu.user + cpu.system) / 1e6,
    samplingSeconds: fit.result.seconds.sampling,
    reportSeconds: (reported - fitted) / 1000,
    gradientEvaluations: fit.result.samples.gradientEvaluations,
    settings,
  };
  const h = fit.result.health;
  say(
    `  backend ${fit.backend.name}; sampling ${fmt(run.samplingSeconds, 3)} s (fit ${fmt(run.fitSeconds, 3)} s, ${fmt(run.fitCpuSeconds, 3)} CPU s, report ${fmt(run.reportSeconds, 3)} s); ` +
      `${run.gradientEvaluations} gradient evaluations; max R-hat ${fmt(h.maxRhat, 4)}; min bulk ESS ${fmt(h.minEssBulk, 3)}; ` +
      `divergences ${h.divergences}; tree-depth hits ${h.treeDepthSaturated}`,
  );
  for (const w of h.warnings) say(`  sampler warning: ${w}`);
  return run;
}

/** Posterior summary (mean, q05, q95) of one of the report's channel rows. */
export function channelRow(report: MmmReport, metric: string, channel: string): { mean: number; sd: number; q05: number; q95: number } {
  const row = report.media.channels.find((r) => r.metric === metric && r.channel === channel);
  if (!row) throw new Error(`report has no ${metric} row for channel "${channel}"`);
  return row;
}

/** Compact facts about a fit for the JSON report. */
export function fitFacts(run: FitRun): Record<string, unknown> {
  const h = run.fit.result.health;
  return {
    backend: run.fit.backend.name,
    settings: run.settings,
    fitSeconds: run.fitSeconds,
    fitCpuSeconds: run.fitCpuSeconds,
    samplingSeconds: run.samplingSeconds,
    reportSeconds: run.reportSeconds,
    gradientEvaluations: run.gradientEvaluations,
    maxRhat: h.maxRhat,
    minEssBulk: h.minEssBulk,
    minEssTail: h.minEssTail,
    divergences: h.divergences,
    treeDepthSaturated: h.treeDepthSaturated,
    ebfmi: h.ebfmi,
    samplerWarnings: h.warnings,
    stepSize: Array.from(run.fit.result.samples.warmup.stepSize),
    health: run.report.health.map((f) => ({ level: f.level, code: f.code, message: f.message })),
    fitMetrics: run.report.fitMetrics,
  };
}
