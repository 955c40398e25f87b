/**
 * One simulation-based calibration of the default geo MMM (Talts, Betancourt, Simpson, Vehtari &
 * Gelman 2018, "Validating Bayesian inference algorithms with simulation-based calibration"):
 * simulate the replicates (simulate.ts) and write each one's CSV and true values, fit them all
 * through the local batch pool (src/batch: a manifest of fits, planned, run by fit worker
 * processes, resumable), rank the true values among each fit's thinned draws (ranks.ts), and turn
 * the ranks into the per-quantity tests and the ECDF-difference chart (src/analysis sbcRows,
 * src/charts sbcEcdfSpec).
 *
 * The fits use the run config `{ "data": <roles>, "scaling": {"kpi": "none"}, "sampler": {...} }`:
 * no model key, so the model is the one `mixwell fit` fits with no model options; the sampler is
 * `mixwell fit`'s default (src/mmm/config.ts DEFAULT_SAMPLER: nutpie's diagonal adaptation and the
 * centering pilot, stated in the config so the record shows them) except the chain and draw counts,
 * which only decide how many draws there are to thin (each chain's warmup and kernel are the
 * default's).
 */
import { readFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { sbcRows, type SbcRows } from '../../src/analysis/index.js';
import { OUTCOME_FILE, parseManifest, planBatch, runLocalBatch, type BatchEvent, type BatchRecord, type FitOutcome } from '../../src/batch/index.js';
import { renderSvg, sbcEcdfSpec, type ChartSpec } from '../../src/charts/index.js';
import { DEFAULT_SAMPLER, parseRunConfig, type RunConfig } from '../../src/mmm/config.js';
import { readDraws } from '../../src/run/index.js';
import { replicateRanks } from './ranks.js';
import { LOG_LIK, simulateReplicates, type Simulation } from './simulate.js';
import { sbcTemplate, type TemplateSize } from './template.js';

export interface SbcSettings {
  readonly replicates: number;
  readonly seed: number;
  /** Directory of the replicates, the fits and the chart. */
  readonly out: string;
  /** Fit worker processes at once. */
  readonly concurrency: number;
  readonly size: TemplateSize;
  readonly chains: number;
  readonly warmup: number;
  /** Draws per chain kept by each fit. */
  readonly draws: number;
  /** L: each fit's draws are thinned to this many for the ranks (ranks in 0..L). */
  readonly rankedDraws: number;
  /** Bins of the chi-square test. */
  readonly bins: number;
  /** Simultaneous level of the ECDF band. */
  readonly level: number;
  readonly warmupPlan: 'stan' | 'nutpie' | 'staged';
  readonly metric: 'diag' | 'dense' | 'lowRank';
  /** Fits one worker process runs before it is replaced (1: a fresh process per fit). */
  readonly fitsPerWorker: number;
  /** Redo fits whose output is complete. */
  readonly force: boolean;
}

/** The warmup plan and metric of the SBC fits: the default's. */
export const SBC_WARMUP = { warmupPlan: DEFAULT_SAMPLER.warmupPlan, metric: DEFAULT_SAMPLER.metric };

export const DEFAULT_SBC_SETTINGS: SbcSettings = {
  replicates: 200,
  seed: 18,
  out: 'runs/sbc',
  concurrency: availableParallelism(),
  size: { geos: 4, periods: 52, channels: 3, controls: 2 },
  chains: 2,
  warmup: DEFAULT_SAMPLER.warmup,
  draws: 250,
  rankedDraws: 99,
  bins: 10,
  level: 0.95,
  ...SBC_WARMUP,
  fitsPerWorker: 10,
  force: false,
};

export interface ReplicateFit {
  readonly id: string;
  readonly status: string;
  readonly attempts: number;
  readonly error?: string;
  readonly seconds?: { readonly total: number; readonly sampling: number };
  readonly divergences?: number;
  readonly maxRhat?: number;
  readonly minEssBulk?: number;
  readonly ranks?: Readonly<Record<string, number>>;
}

export interface SbcResult {
  readonly settings: SbcSettings;
  readonly config: RunConfig;
  /** The config JSON the fits were given. */
  readonly configJson: Record<string, unknown>;
  readonly simulation: Simulation;
  readonly batch: BatchRecord;
  readonly fits: readonly ReplicateFit[];
  /** Test quantities in order: the scalar parameters, then the log-likelihood. */
  readonly quantities: readonly string[];
  readonly rows: SbcRows;
  readonly chart: ChartSpec;
  readonly files: { readonly chartSpec: string; readonly chartSvg: string; readonly manifest: string };
  /** This invocation: wall seconds of simulation, batch and everything; CPU seconds of this process and its fit processes. */
  readonly seconds: { readonly wall: number; readonly simulate: number; readonly batch: number; readonly cpu?: number };
  /** Every invocation on this output directory that ran fits (a resumed calibration has several), this one included. */
  readonly invocations: readonly Invocation[];
}

/** One invocation that ran fits: when, how many, and its batch's wall and CPU seconds. */
export interface Invocation {
  readonly started: string;
  readonly fitsRun: number;
  readonly batchWallSeconds: number;
  readonly cpuSeconds?: number;
}

const INVOCATIONS_FILE = 'invocations.json';

/** CPU seconds (user + system) of this process and of its children that have exited (Linux /proc; undefined elsewhere). */
export function cpuSecondsWithChildren(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    // After "pid (comm) ": state is field 3, utime 14, stime 15, cutime 16, cstime 17 (proc(5)).
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    return ticks / 100; // USER_HZ, 100 on Linux
  } catch {
    return undefined;
  }
}

/** The run config of the SBC fits (module comment). */
export function sbcConfigJson(settings: SbcSettings, spec: unknown): Record<string, unknown> {
  return {
    data: spec,
    scaling: { kpi: 'none' },
    sampler: { chains: settings.chains, warmup: settings.warmup, draws: settings.draws, warmupPlan: settings.warmupPlan, metric: settings.metric, adaptiveCentering: DEFAULT_SAMPLER.adaptiveCentering },
  };
}

function readOutcome(dir: string): FitOutcome | undefined {
  const path = join(dir, OUTCOME_FILE);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as FitOutcome) : undefined;
}

/** Run the calibration (module comment); `onEvent` sees the batch's progress. */
export async function runSbc(settings: SbcSettings, onEvent?: (event: BatchEvent) => void): Promise<SbcResult> {
  const started = performance.now();
  const out = resolve(settings.out);
  if ((settings.rankedDraws + 1) % settings.bins !== 0) throw new Error(`sbc: bins (${settings.bins}) must divide rankedDraws + 1 (${settings.rankedDraws + 1}) so every bin holds as many rank values`);
  if (settings.rankedDraws > settings.chains * settings.draws) throw new Error(`sbc: rankedDraws (${settings.rankedDraws}) is more than the fits' draws (${settings.chains} chains x ${settings.draws})`);
  // One thread per fit: the pool already runs one fit per core.
  process.env.MIXWELL_WORKERS ??= '1';

  const template = sbcTemplate(settings.size, settings.seed);
  const configJson = sbcConfigJson(settings, template.spec);
  const config = parseRunConfig(configJson, 'sbc config');
  const simulation = simulateReplicates(template, config, settings.replicates, settings.seed);
  const replicateDir = join(out, 'replicates');
  mkdirSync(replicateDir, { recursive: true });
  for (const replicate of simulation.replicates) {
    writeFileSync(join(replicateDir, `${replicate.id}.csv`), replicate.csv);
    writeFileSync(join(replicateDir, `${replicate.id}.truth.json`), JSON.stringify({ id: replicate.id, seed: replicate.seed, attempts: replicate.attempts, truth: replicate.truth }, null, 1) + '\n');
  }
  const simulated = performance.now();

  const manifestJson = {
    name: 'sbc',
    out: join(out, 'fits'),
    defaults: { config: configJson, retries: 1 },
    fits: simulation.replicates.map((r) => ({ id: r.id, data: join(replicateDir, `${r.id}.csv`), options: { seed: settings.seed * 10_000 + r.index } })),
  };
  const manifestFile = join(out, 'manifest.json');
  writeFileSync(manifestFile, JSON.stringify(manifestJson, null, 1) + '\n');
  const plan = planBatch(parseManifest(manifestJson, manifestFile));
  const cpuBefore = cpuSecondsWithChildren();
  const batchStarted = new Date().toISOString();
  const batch = await runLocalBatch(plan, { concurrency: settings.concurrency, fitsPerWorker: settings.fitsPerWorker, force: settings.force, onEvent });
  const batched = performance.now();
  const cpuAfter = cpuSecondsWithChildren();
  const invocationsFile = join(out, INVOCATIONS_FILE);
  const invocations: Invocation[] = existsSync(invocationsFile) ? (JSON.parse(readFileSync(invocationsFile, 'utf8')) as Invocation[]) : [];
  const fitsRun = batch.fits.filter((f) => f.status === 'done').length;
  if (fitsRun > 0) {
    invocations.push({ started: batchStarted, fitsRun, batchWallSeconds: (batched - simulated) / 1000, cpuSeconds: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined });
    writeFileSync(invocationsFile, JSON.stringify(invocations, null, 1) + '\n');
  }

  const quantities = [...simulation.parameters, LOG_LIK];
  const fits: ReplicateFit[] = batch.fits.map((record, i) => {
    const replicate = simulation.replicates[i];
    if (record.id !== replicate.id) throw new Error(`sbc: batch record ${i} is ${record.id}, expected ${replicate.id}`);
    const base = { id: record.id, status: record.status, attempts: record.attempts, seconds: record.seconds };
    if (record.status !== 'done' && record.status !== 'skipped') return { ...base, error: record.errors.map((e) => e.message).join('; ') || record.note };
    const outcome = readOutcome(record.out);
    const ranks = replicateRanks(readDraws(record.out), replicate, quantities, simulation.design, config, settings.rankedDraws);
    return { ...base, divergences: outcome?.sampler.divergences, maxRhat: outcome?.sampler.maxRhat, minEssBulk: outcome?.sampler.minEssBulk, ranks };
  });
  const ranked = fits.filter((f) => f.ranks !== undefined);
  if (ranked.length < 2) throw new Error(`sbc: only ${ranked.length} of ${fits.length} fits finished; nothing to test`);
  const rows = sbcRows(
    quantities.map((quantity) => ({ quantity, ranks: ranked.map((f) => f.ranks![quantity]) })),
    { maxRank: settings.rankedDraws, bins: settings.bins, level: settings.level },
  );
  const chart = sbcEcdfSpec(rows.ecdf, rows.quantities, settings.rankedDraws, settings.level);
  const chartSpec = join(out, 'sbc.vl.json');
  const chartSvg = join(out, 'sbc.svg');
  writeFileSync(chartSpec, JSON.stringify(chart) + '\n');
  writeFileSync(chartSvg, await renderSvg(chart));
  const finished = performance.now();
  return {
    settings,
    config,
    configJson,
    simulation,
    batch,
    fits,
    quantities,
    rows,
    chart,
    files: { chartSpec, chartSvg, manifest: manifestFile },
    seconds: { wall: (finished - started) / 1000, simulate: (simulated - started) / 1000, batch: (batched - simulated) / 1000, cpu: cpuSecondsWithChildren() },
    invocations,
  };
}
