/**
 * `npm run bench`: per-gradient cost of the geo MMM's batched log density and gradient
 * (compile(definition).evaluate) for 1, 4 and 16 chains on every available tfjs backend, compared
 * with Stan's per-gradient cost on the same data (../shared/bench/stan/results/gradbench.json).
 * tfjs holds one backend per process, so each backend runs in its own child process
 * (scripts/bench/gradient.ts); results go to bench/gradient-<date>.json and bench/README.md.
 * Methodology: scripts/bench/options.ts (budgets), timing.ts, kernels.ts.
 *
 *   npm run bench                          full run: wasm, cpu (tensorflow if @tensorflow/tfjs-node loads)
 *   npm run bench -- --quick               fewer repetitions; writes nothing unless --write
 *   npm run bench -- --geo-100             also the geo-100 size (100 x 156 x 6)
 *   npm run bench -- --backends wasm --models geo-20 --chains 16
 *   npm run bench -- --profile geo-20:16   tensor-kernel breakdown of that case on wasm (only models on the tensor path have one)
 *   npm run bench -- --no-write            print only
 *   npm run bench -- --readme <file>       rewrite bench/README.md's generated blocks from bench/<file>
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchModels, modelFileExists, SHARED_DIR, STAN_GRADBENCH } from './bench/models.js';
import { ALL_BACKENDS, DEFAULT_CHAINS, describeBudget, Flags, FULL_BUDGET, QUICK_BUDGET, RESULT_PREFIX } from './bench/options.js';
import { compareWithStan, comparisonLines, liveTensorsGrew, profileTables, readStanGradients, resultsTable, updateReadme } from './bench/report.js';
import type { BackendRun, GradientBenchRecord } from './bench/types.js';
import { gitInfo } from './bench/git.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const childScript = fileURLToPath(new URL('./bench/gradient.ts', import.meta.url));

const USAGE = `usage: npm run bench -- [--quick] [--geo-100] [--backends tensorflow,wasm,cpu] [--models a,b] [--chains 1,4,16]
                        [--profile <model>:<chains> | --no-profile] [--write | --no-write] [--readme <bench file>]
models: ${benchModels(root).map((m) => m.id).join(', ')}`;

/** Run one backend's child process; its progress (stderr) is passed through. */
function runBackend(backend: string, args: readonly string[]): Promise<BackendRun> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, '--backend', backend, ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.on('close', (code, signal) => {
      let result: BackendRun | undefined;
      for (const line of stdout.split('\n')) {
        if (line.startsWith(RESULT_PREFIX)) result = JSON.parse(line.slice(RESULT_PREFIX.length)) as BackendRun;
        else if (line.trim() !== '') process.stderr.write(`  [${backend} stdout] ${line}\n`);
      }
      resolvePromise(
        result ?? { backend, status: 'failed', reason: `child exited with ${signal ?? code} and no result`, results: [], errors: [], skippedModels: [] },
      );
    });
  });
}

async function main(): Promise<number> {
  const flags = new Flags(process.argv.slice(2));
  if (flags.has('help')) {
    console.log(USAGE);
    return 0;
  }
  if (flags.has('readme')) {
    // Rewrite bench/README.md's generated blocks from a recorded run (e.g. after changing the report format).
    const fileName = flags.string('readme') as string;
    const record = JSON.parse(readFileSync(resolve(root, 'bench', fileName), 'utf8')) as GradientBenchRecord;
    updateReadme(resolve(root, 'bench'), fileName, record);
    console.log(`updated bench/README.md from bench/${fileName}`);
    return 0;
  }
  const quick = flags.has('quick');
  const write = flags.has('no-write') ? false : flags.has('write') || !quick;
  const budget = quick ? QUICK_BUDGET : FULL_BUDGET;
  const chains = flags.integers('chains') ?? [...DEFAULT_CHAINS];
  const backends = flags.list('backends') ?? [...ALL_BACKENDS];
  for (const b of backends) if (!(ALL_BACKENDS as readonly string[]).includes(b)) throw new Error(`--backends: unknown backend "${b}"\n${USAGE}`);

  const all = benchModels(root);
  const requested = flags.list('models') ?? all.filter((m) => !m.optIn || (m.id === 'geo-100' && flags.has('geo-100'))).map((m) => m.id);
  const skippedModels: { model: string; reason: string }[] = [];
  const models: string[] = [];
  const sharedPresent = existsSync(resolve(root, SHARED_DIR));
  for (const id of requested) {
    const model = all.find((m) => m.id === id);
    if (!model) throw new Error(`--models: unknown model "${id}"\n${USAGE}`);
    if (model.source === 'shared' && !sharedPresent) skippedModels.push({ model: id, reason: `${SHARED_DIR} not found (the Stan reference data)` });
    else if (!modelFileExists(root, model)) skippedModels.push({ model: id, reason: `${model.file} not found` });
    else models.push(id);
  }
  if (!flags.list('models') && !flags.has('geo-100') && sharedPresent) {
    skippedModels.push({ model: 'geo-100', reason: 'opt-in: pass --geo-100' });
  }
  for (const s of skippedModels) console.log(`skipping ${s.model}: ${s.reason}`);
  if (models.length === 0) {
    console.log('nothing to benchmark');
    return 1;
  }

  let profile: string | undefined;
  if (!flags.has('no-profile')) {
    profile = flags.string('profile');
  }
  const profileBackend = backends.includes('wasm') ? 'wasm' : backends.find((b) => b !== 'tensorflow') ?? backends[0];

  console.log(`mixwell gradient benchmark: models ${models.join(', ')}; chains ${chains.join(', ')}; backends ${backends.join(', ')}${quick ? ' (quick)' : ''}`);
  console.log(`methodology: ${describeBudget(budget)}`);
  const loadAverageStart = os.loadavg();
  const runs: BackendRun[] = [];
  for (const backend of backends) {
    const args = ['--models', models.join(','), '--chains', chains.join(',')];
    if (quick) args.push('--quick');
    if (profile && backend === profileBackend) args.push('--profile', profile);
    console.log(`\n[${backend}]`);
    const run = await runBackend(backend, args);
    if (run.status !== 'ok') console.log(`${backend}: ${run.status}: ${run.reason}`);
    for (const e of run.errors) console.log(`${backend}: error in ${e.model}${e.chains ? ` (${e.chains} chains)` : ''}: ${e.message}`);
    runs.push(run);
  }
  const loadAverageEnd = os.loadavg();

  const stan = readStanGradients(resolve(root, STAN_GRADBENCH));
  const comparisons = stan ? compareWithStan(runs, stan) : [];
  const tfjs = runs.find((r) => r.tfjsVersion)?.tfjsVersion ?? 'unknown';
  const record: GradientBenchRecord = {
    kind: 'gradient',
    date: new Date().toISOString(),
    quick,
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      node: process.version,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      tfjs,
      memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      loadAverageStart,
      loadAverageEnd,
    },
    git: gitInfo(root),
    methodology: describeBudget(budget),
    backends: runs,
    skippedModels,
    comparisons,
  };

  console.log(`\n${resultsTable(runs, false)}\n`);
  if (stan === undefined) console.log(`no Stan comparison: ${STAN_GRADBENCH} not found`);
  for (const line of comparisonLines(comparisons)) console.log(line);
  const profiled = runs.find((r) => r.profile)?.profile;
  if (profiled) console.log(`\nwhere the time goes:\n${profileTables(profiled, false)}`);
  else if (profile) console.log(`\nno profile: ${profile} was not among the measured cases on ${profileBackend}`);

  const leaks = runs.flatMap((r) => r.results.filter(liveTensorsGrew).map((x) => `${r.backend} ${x.model} ${x.chains} chains`));
  if (leaks.length > 0) console.log(`\nLIVE TENSOR COUNT GREW: ${leaks.join('; ')}`);
  const failed = runs.filter((r) => r.status === 'failed' || r.errors.length > 0).length > 0;

  if (write) {
    const dir = resolve(root, 'bench');
    mkdirSync(dir, { recursive: true });
    const fileName = `gradient-${record.date.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}.json`;
    writeFileSync(resolve(dir, fileName), `${JSON.stringify(record, null, 2)}\n`);
    updateReadme(dir, fileName, record);
    console.log(`\nwrote bench/${fileName} and updated bench/README.md`);
  } else {
    console.log('\n(not written: --quick or --no-write)');
  }
  return leaks.length > 0 || failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(error.message);
    process.exitCode = 2;
  },
);
