/**
 * One Mixwell fit for `npm run bench:mmm`, in its own process so that its peak RSS is its own:
 * `tsx scripts/bench/mmm/fitOne.ts SIZE MODE [--workers N] [--seed S]`. Fits the reference model
 * on ../shared/bench/stan/data/SIZE.csv in the mode's settings and prints one result line
 * (prefix RESULT_PREFIX, result.ts) with the sampler's figures and the agreement with Stan's stored posterior.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fitMmm } from '../../../src/mmm/fit.js';
import type { SampleProgress } from '../../../samplers/index.js';
import { divergenceShifts, type SummaryRow } from '../../../src/diagnostics/index.js';
import { buildReport } from '../../../src/mmm/report.js';
import { benchData, benchMode } from './modes.js';
import { agreementWithStan, type Agreement } from './agreement.js';
import { RESULT_PREFIX, type MixwellRun } from './result.js';
import { loadStanResults } from '../../validate/stanReference.js';

/** Without a terminal: one stderr line per 5% of the iterations, so a log shows how far a long fit is. */
function progressLines(label: string): (p: SampleProgress) => void {
  let next = 0;
  const started = performance.now();
  return (p) => {
    const fraction = p.completed / p.total;
    if (fraction < next) return;
    next = Math.floor(fraction * 20 + 1) / 20;
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(`${label}: ${(100 * fraction).toFixed(0)}% (${p.phase}) ${seconds.toFixed(0)} s, ${p.divergences} divergences\n`);
  };
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

async function main(): Promise<void> {
  const [size, modeId, ...rest] = process.argv.slice(2);
  const flag = (name: string) => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  const mode = benchMode(modeId);
  const shared = flag('shared') ?? '../shared';
  const { dataPath, config } = benchData(shared, size);
  if (!existsSync(dataPath)) throw new Error(`${dataPath} not found`);
  const workers = flag('workers') ? Number(flag('workers')) : undefined;
  const seed = flag('seed') ? Number(flag('seed')) : 20240601;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const fit = await fitMmm(
    dataPath,
    { ...config, model: { ...((config.model as Record<string, unknown>) ?? {}), ...mode.model } },
    { ...mode.sampler, seed, workers, progress: process.stderr.isTTY, verbose: false, onProgress: process.stderr.isTTY ? undefined : progressLines(`${size} ${mode.id}`) },
  );
  const wallSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const samples = fit.result.samples;
  // A centering pilot (src/inference/centeringPilot.ts) is part of the warmup: its gradients and time count.
  const pilot = fit.centering.kind === 'pilot' ? fit.centering.pilot : undefined;
  const gradientEvaluations = samples.gradientEvaluations + (pilot?.gradientEvaluations ?? 0);
  const samplingSeconds = fit.result.seconds.sampling + (pilot?.seconds ?? 0);
  // Every scalar of the model's parameter table, sampled or integrated out and drawn exactly (the
  // linear block), plus the reference model's u and v where they are derived (centered): the same
  // set as Stan's headline (its parameters block), whatever the parameterization.
  const names = new Set([...fit.model.table.map((row) => row.name), 'u', 'v']);
  const rows: SummaryRow[] = fit.result.summary.filter((row) => names.has(row.name.replace(/\[.*$/, '')));
  const minBy = (key: 'essBulk' | 'essTail') => rows.reduce((best, row) => (row[key] < best[key] ? row : best), rows[0]);
  const maxRhatRow = rows.reduce((best, row) => (row.rhat > best.rhat ? row : best), rows[0]);
  const bulk = minBy('essBulk');
  const tail = minBy('essTail');
  const resultsPath = join(shared, 'bench', 'stan', 'results', `${size}.json`);
  let agreement: Agreement | undefined;
  if (existsSync(resultsPath)) {
    const report = buildReport(fit, { priorDraws: 10 });
    agreement = agreementWithStan(loadStanResults(resultsPath), [...fit.result.summary, ...report.roiSummary], size === 'national', join(shared, 'bench', 'stan', 'results', `${size}.draws.csv.gz`));
  }
  const run: MixwellRun = {
    size,
    mode: mode.id,
    description: mode.description,
    workers: fit.workers,
    seed: fit.sampler.seed,
    chains: fit.sampler.chains,
    warmup: fit.sampler.warmup,
    draws: fit.sampler.draws,
    metric: fit.sampler.metric,
    warmupPlan: fit.sampler.warmupPlan,
    adaptDelta: fit.sampler.adaptDelta,
    linearBlock: fit.model.linearBlock.integrate ? 'integrated' : 'sampled',
    wallSeconds,
    samplingSeconds,
    cpuSeconds,
    gradientEvaluations,
    cpuMicrosecondsPerGradient: (1e6 * cpuSeconds) / gradientEvaluations,
    ...(fit.centering.kind === 'pilot' ? { centeringWeights: fit.centering.weights } : {}),
    leapfrogPerDraw: mean(samples.stats.flatMap((s) => Array.from(s.nLeapfrog))),
    meanTreeDepth: mean(samples.stats.flatMap((s) => Array.from(s.treeDepth))),
    stepSize: Array.from(samples.warmup.stepSize),
    ...(samples.warmup.stages ? { warmupStages: samples.warmup.stages } : {}),
    // Where the divergences sit: the sampler coordinates (in the sampler's parameterization) whose
    // divergent draws are furthest from the posterior mean, in posterior sds.
    divergenceShifts: divergenceShifts(samples.draws, samples.stats.map((s) => s.divergent), samples.dim)
      .slice(0, 6)
      .map(({ index, shift }) => ({ coordinate: fit.result.model.parameterNames[index] ?? String(index), shift })),
    minBulkEss: bulk.essBulk,
    minBulkEssParam: bulk.name,
    minTailEss: tail.essTail,
    minTailEssParam: tail.name,
    minBulkEssPerSecond: bulk.essBulk / samplingSeconds,
    maxRhat: maxRhatRow.rhat,
    maxRhatParam: maxRhatRow.name,
    divergences: fit.result.health.divergences,
    treeDepthHits: fit.result.health.treeDepthSaturated,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    agreement,
  };
  process.stdout.write(RESULT_PREFIX + JSON.stringify(run) + '\n');
}

main().catch((error) => {
  process.stderr.write(`bench:mmm fit failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
