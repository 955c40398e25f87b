/**
 * `npm run bench:mmm`: Mixwell vs Stan on the reference geo MMM (shared/reference-model.md), same
 * data, same posterior, same 2-core machine. Two Stan peers: the reference program (mmm.stan, the
 * joint model) and the same posterior with the linear block integrated out (mmm_collapsed.stan;
 * geo sizes only). For each size (national, geo-20; geo-100 with --geo-100; `meridian`, Meridian's
 * geo_all_channels.csv with 40 geos x 156 weeks, Mixwell alone, with --meridian) and each mode
 * (scripts/bench/mmm/modes.ts; `default` = `mixwell fit` with no options) it fits in a child
 * process (scripts/bench/mmm/fitOne.ts) and prints wall seconds (warmup included), CPU seconds,
 * gradient evaluations, CPU microseconds per gradient, min bulk ESS over all scalar parameters of
 * the reference model (u and v, and the integrated block's tau0, v, delta, phi, gamma drawn exactly,
 * included, as Stan's headline), min-bulk-ESS per second, max R-hat, divergences, peak RSS, the
 * agreement of posterior means with Stan's reference draws (MCSE-based z) and the ratios to each
 * peer. Stan runs in the same invocation where R and rstan are installed (--stan run, the default
 * when available), else its stored results are used and the output says so. Ratios of
 * min-bulk-ESS per second are given per wall second and per 2-core CPU second (CPU seconds / 2,
 * which other jobs on the machine distort much less than wall time). Results: bench/mmm-<date>.json
 * and the history in bench/README.md.
 *
 *   npm run bench:mmm                                   national + geo-20, the default modes
 *   npm run bench:mmm -- --sizes geo-20 --modes stan,nutpie
 *   npm run bench:mmm -- --geo-100 --meridian           also geo-100 (long: hours for Stan's reference) and Meridian's data
 *   npm run bench:mmm -- --stan stored|run|none         Stan peer source (default: run if installed, else stored)
 *   npm run bench:mmm -- --stan-run mmm_collapsed       run only these Stan programs here, the others' stored results
 *   npm run bench:mmm -- --seed S                       Mixwell's seed (default 20240601, Stan's)
 *   npm run bench:mmm -- --no-write                     print only
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESULT_PREFIX, type MixwellRun } from './bench/mmm/result.js';
import { BENCH_MODES, benchData, benchMode, DEFAULT_MODES } from './bench/mmm/modes.js';
import { runStan, STAN_PROGRAM_LABELS, stanUnavailable, storedStan, type StanPeer, type StanProgram } from './bench/mmm/stanPeer.js';
import { renderTable } from './validate/table.js';
import { gitInfo } from './bench/git.js';
import { forEachFlag } from './flags.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const shared = resolve(root, '../shared');
const childScript = fileURLToPath(new URL('./bench/mmm/fitOne.ts', import.meta.url));

interface Args {
  sizes: string[];
  modes: string[];
  stan: 'auto' | 'run' | 'stored' | 'none';
  /** With --stan-run: the programs run in this invocation (the others' stored results are read). */
  stanRun?: StanProgram[];
  write: boolean;
  workers?: number;
  seed?: number;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { sizes: ['national', 'geo-20'], modes: [...DEFAULT_MODES], stan: 'auto', write: true };
  forEachFlag(argv, (a, value) => {
    if (a === '--sizes') args.sizes = value().split(',');
    else if (a === '--modes') args.modes = value().split(',');
    else if (a === '--geo-100') args.sizes.push('geo-100');
    else if (a === '--meridian') args.sizes.push('meridian');
    else if (a === '--seed') args.seed = Number(value());
    else if (a === '--stan') {
      const v = value();
      if (!['auto', 'run', 'stored', 'none'].includes(v)) throw new Error(`--stan must be auto, run, stored or none, got "${v}"`);
      args.stan = v as Args['stan'];
    } else if (a === '--stan-run') {
      const programs = value().split(',');
      for (const p of programs) if (p !== 'mmm' && p !== 'mmm_collapsed') throw new Error(`--stan-run takes mmm and/or mmm_collapsed, got "${p}"`);
      args.stanRun = programs as StanProgram[];
      args.stan = 'run';
    } else if (a === '--no-write') args.write = false;
    else if (a === '--workers') args.workers = Number(value());
    else throw new Error(`unknown argument "${a}"\nmodes: ${BENCH_MODES.map((m) => `${m.id} (${m.description})`).join('\n       ')}`);
  });
  args.modes.forEach(benchMode);
  return args;
}

function fitInChild(size: string, mode: string, workers?: number, seed?: number): Promise<MixwellRun | { error: string }> {
  return new Promise((done) => {
    const extra = [...(workers ? ['--workers', String(workers)] : []), ...(seed !== undefined ? ['--seed', String(seed)] : [])];
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, size, mode, ...extra], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    child.on('close', (code, signal) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      done(line ? (JSON.parse(line.slice(RESULT_PREFIX.length)) as MixwellRun) : { error: `child exited with ${signal ?? code} and no result` });
    });
  });
}

const fmt = (x: number, digits = 3) => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(digits)) : String(x));

function stanRow(peer: StanPeer): Record<string, number | string> {
  const r = peer.results;
  return {
    wall: r.timing.sampling_wall_s,
    cpu: r.timing.chain_cpu_s,
    grads: r.sampler.grad_evals_total,
    usPerGrad: (1e6 * r.timing.chain_cpu_s) / r.sampler.grad_evals_total,
    minEss: r.headline.min_bulk_ess,
    minEssParam: r.headline.min_bulk_ess_param,
    essPerWall: r.headline.min_bulk_ess / r.timing.sampling_wall_s,
    essPer2CoreCpu: r.headline.min_bulk_ess / (r.timing.chain_cpu_s / 2),
    maxRhat: r.headline.max_rhat,
    divergences: r.sampler.divergences,
    treeDepth: r.sampler.mean_treedepth,
    leapfrog: r.sampler.leapfrog_per_draw ?? NaN,
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = new Date();
  const load0 = os.loadavg();
  const git = gitInfo(root);
  if (!existsSync(shared)) {
    process.stderr.write(`bench:mmm: ${shared} not found: the benchmark needs ../shared/bench/stan (data and Stan's results); nothing to do\n`);
    return;
  }
  const unavailable = args.stan === 'auto' || args.stan === 'run' ? stanUnavailable() : undefined;
  if (args.stan === 'run' && unavailable) throw new Error(`--stan run: ${unavailable}`);
  const record: Record<string, unknown>[] = [];
  for (const size of args.sizes) {
    const { dataPath } = benchData(shared, size);
    if (!existsSync(dataPath)) {
      process.stdout.write(`\n${size}: ${dataPath} not found, skipped\n`);
      continue;
    }
    // The peers: Stan's reference program, and the collapsed one on geo data (it needs G >= 2).
    const programs: StanProgram[] = size === 'meridian' ? [] : size === 'national' ? ['mmm'] : ['mmm', 'mmm_collapsed'];
    const peers: StanPeer[] = [];
    for (const program of programs) {
      let peer: StanPeer | undefined;
      if (args.stan === 'none') peer = undefined;
      else if (args.stan === 'stored' || unavailable) peer = storedStan(shared, size, args.stan === 'stored' ? '--stan stored' : unavailable!, program);
      else if (args.stanRun && !args.stanRun.includes(program)) peer = storedStan(shared, size, `--stan-run ${args.stanRun.join(',')}`, program);
      else peer = runStan(shared, size, program);
      if (peer) peers.push(peer);
    }
    const runs: MixwellRun[] = [];
    for (const mode of args.modes) {
      process.stderr.write(`bench:mmm: ${size}, mode ${mode} ...\n`);
      const run = await fitInChild(size, mode, args.workers, args.seed);
      if ('error' in run) {
        process.stdout.write(`${size} ${mode}: FAILED (${run.error})\n`);
        record.push({ size, mode, error: run.error });
        continue;
      }
      runs.push(run);
    }
    const stans = peers.map((peer) => ({ peer, row: stanRow(peer) }));
    process.stdout.write(`\n== ${size} ==\n`);
    for (const { peer } of stans) process.stdout.write(`${STAN_PROGRAM_LABELS[peer.program]}: ${peer.note}\n`);
    if (stans.length === 0) process.stdout.write('Stan peer: none (Meridian data, --stan none, or no stored results)\n');
    const ratioHeaders = stans.flatMap(({ peer }) => [`ESS/CPU s vs ${STAN_PROGRAM_LABELS[peer.program]}`]);
    const header = ['', 'wall s', 'CPU s', 'gradients', 'CPU us/grad', 'leapfrog/draw', 'min bulk ESS', 'ESS/wall s', 'ESS/2-core CPU s', 'max R-hat', 'div', 'peak RSS MB', 'vs Stan: max|z|', ...ratioHeaders];
    const rows: string[][] = [];
    for (const { peer, row: stan } of stans) {
      rows.push([STAN_PROGRAM_LABELS[peer.program], fmt(stan.wall as number), fmt(stan.cpu as number), String(stan.grads), fmt(stan.usPerGrad as number), fmt(stan.leapfrog as number),
        `${stan.minEss} (${stan.minEssParam})`, fmt(stan.essPerWall as number), fmt(stan.essPer2CoreCpu as number), fmt(stan.maxRhat as number, 4), String(stan.divergences), '-', '-',
        ...stans.map(({ row }) => fmt((stan.essPer2CoreCpu as number) / (row.essPer2CoreCpu as number)))]);
    }
    for (const run of runs) {
      const essPer2CoreCpu = run.minBulkEss / (run.cpuSeconds / 2);
      const ratios = Object.fromEntries(stans.map(({ peer, row }) => [peer.program, { wall: run.minBulkEssPerSecond / (row.essPerWall as number), cpu: essPer2CoreCpu / (row.essPer2CoreCpu as number) }]));
      rows.push([`Mixwell ${run.mode}`, fmt(run.samplingSeconds), fmt(run.cpuSeconds), String(run.gradientEvaluations), fmt(run.cpuMicrosecondsPerGradient), fmt(run.leapfrogPerDraw),
        `${fmt(run.minBulkEss)} (${run.minBulkEssParam})`, fmt(run.minBulkEssPerSecond), fmt(essPer2CoreCpu), fmt(run.maxRhat, 4), String(run.divergences), fmt(run.peakRssMb),
        run.agreement ? `${fmt(run.agreement.maxAbsZ)} (${run.agreement.maxAbsZName}) ${run.agreement.passed ? 'pass' : 'FAIL'}` : '-',
        ...stans.map(({ peer }) => fmt(ratios[peer.program].cpu))]);
      record.push({ ...run, essPer2CoreCpu, stan: Object.fromEntries(stans.map(({ peer, row }) => [peer.program, { ...row, source: peer.source }])), ratios });
    }
    process.stdout.write(renderTable(header, rows) + '\n');
    for (const run of runs) {
      process.stdout.write(`  ${run.mode}: ${run.description}; ${run.workers} worker thread(s)\n`);
      if (run.centeringWeights) {
        process.stdout.write(`    centering weights from the pilot: ${Object.entries(run.centeringWeights).map(([name, w]) => `${name} ${w}`).join(', ')}\n`);
      }
      if (run.divergenceShifts?.length) {
        process.stdout.write(`    divergent draws sit at (shift of their mean, posterior sds): ${run.divergenceShifts.map((d) => `${d.coordinate} ${d.shift.toFixed(2)}`).join(', ')}\n`);
      }
      for (const stage of run.warmupStages ?? []) {
        process.stdout.write(
          `    stage ${stage.stage}: ${stage.iterations} iterations, ${(stage.gradientEvaluations / 1e6).toFixed(2)} M gradients${stage.stage === 'final' ? ' (with the draws)' : ''}, ${stage.divergences} warmup divergences, step size ${stage.stepSize.toPrecision(3)}\n`,
        );
      }
    }
  }
  const load1 = os.loadavg();
  process.stdout.write(`\nload average ${load0.map((x) => x.toFixed(2)).join(' ')} at start, ${load1.map((x) => x.toFixed(2)).join(' ')} at end (2 cores: above 2, wall times are inflated; CPU times much less)\n`);
  if (args.write && record.length) {
    const date = started.toISOString().slice(0, 10);
    const file = join(root, 'bench', `mmm-${date}.json`);
    mkdirSync(join(root, 'bench'), { recursive: true });
    const machine = { cpu: os.cpus()[0]?.model, cores: os.cpus().length, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
    const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { runs: unknown[] }).runs : [];
    // Load and commit per run too: a day's file collects the runs of several invocations.
    const runs = record.map((run) => ({ ...run, started: started.toISOString(), git, loadAverage: { start: load0, end: load1 } }));
    writeFileSync(file, JSON.stringify({ created: started.toISOString(), machine, loadAverage: { start: load0, end: load1 }, runs: [...previous, ...runs] }, null, 2) + '\n');
    process.stdout.write(`wrote ${file}\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`bench:mmm: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
