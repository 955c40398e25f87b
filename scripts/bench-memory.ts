/**
 * `npm run bench:memory`: peak memory of a whole fit at scale (issue 21). Each case runs in its own
 * process (scripts/bench/memory/runCase.ts, `node --expose-gc`): seeded simulated geo data
 * (scripts/bench/memory/simulate.ts), `fitMmm` with the chains on worker threads, `buildReport`,
 * `writeRun` (draws.arrow, idata.nc, Parquet tables) and `writeReport` (report.html). Worker threads
 * share their process, so the process's getrusage peak RSS covers the parent thread and every
 * worker; it is recorded after each phase (sampled, fit = constrained + derived, analysis, run
 * directory, report) with the RSS after a full GC, V8 heap, array buffers, CPU and wall seconds.
 *
 * Cases (iterations reduced: peak memory is the point, not convergence):
 *
 *   small    5 geos x 52 weeks x 3 channels, 2 chains x 50 + 50   a smoke test, < 1 min
 *   geo100   100 x 156 x 10, 2 chains x 100 warmup + 150 draws, max tree depth 5   target < 4 GiB
 *   geo200   200 x 104 x 20, 2 chains x 50 warmup + 100 draws, max tree depth 4    target < 8 GiB
 *
 * The tree depths are lowered only to bound the time on a shared 2-core machine: the sampler's
 * memory does not depend on them, and what follows sampling scales with the draws kept.
 *
 * Prints a table and writes bench/memory-<date>.json unless --no-write.
 *
 *   npm run bench:memory                         geo100 and geo200
 *   npm run bench:memory -- --case small --no-write
 *   npm run bench:memory -- --case geo100 --draws 100 --warmup 50 --no-write
 *   npm run bench:memory -- --case geo200 --checkpoint-every 60   (as `mixwell fit` runs by default)
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MemoryCase, PhaseMemory } from './bench/memory/types.js';
import { forEachFlag } from './flags.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const GIB = 1024;

const CASES: Record<string, MemoryCase> = {
  small: { id: 'small', geos: 5, weeks: 52, channels: 3, chains: 2, warmup: 50, draws: 50, seed: 1, workers: 2 },
  geo100: { id: 'geo100', geos: 100, weeks: 156, channels: 10, chains: 2, warmup: 100, draws: 150, seed: 1, maxTreeDepth: 5, workers: 2, targetMb: 4 * GIB },
  geo200: { id: 'geo200', geos: 200, weeks: 104, channels: 20, chains: 2, warmup: 50, draws: 100, seed: 1, maxTreeDepth: 4, workers: 2, targetMb: 8 * GIB },
};

interface Flags {
  cases: string[];
  write: boolean;
  overrides: Partial<Pick<MemoryCase, 'geos' | 'weeks' | 'channels' | 'chains' | 'warmup' | 'draws' | 'maxTreeDepth' | 'workers' | 'checkpointSeconds'>>;
}

function parseFlags(argv: readonly string[]): Flags {
  const flags: Flags = { cases: ['geo100', 'geo200'], write: true, overrides: {} };
  const overrides: Record<string, number> = {};
  forEachFlag(argv, (arg, value) => {
    if (arg === '--case' || arg === '--cases') flags.cases = value().split(',');
    else if (arg === '--no-write') flags.write = false;
    else if (arg === '--checkpoint-every') overrides.checkpointSeconds = Number(value());
    else if (['--geos', '--weeks', '--channels', '--chains', '--warmup', '--draws', '--max-tree-depth', '--workers'].includes(arg)) {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) throw new Error(`${arg} must be a positive integer`);
      overrides[arg === '--max-tree-depth' ? 'maxTreeDepth' : arg.slice(2)] = n;
    } else throw new Error(`unknown option ${arg} (use --case ${Object.keys(CASES).join('|')}[,...], --geos N, --weeks N, --channels N, --chains N, --warmup N, --draws N, --max-tree-depth N, --workers N, --checkpoint-every S, --no-write)`);
  });
  for (const id of flags.cases) if (!CASES[id]) throw new Error(`unknown case ${id} (${Object.keys(CASES).join(', ')})`);
  flags.overrides = overrides;
  return flags;
}

interface CaseResult {
  readonly id: string;
  readonly spec: MemoryCase;
  readonly dims: { geos: number; weeks: number; channels: number; parameters: number; draws: number };
  readonly workers: number;
  readonly backend: string;
  readonly peakRssMb: number;
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
  readonly samplingSeconds: number;
  readonly gradientEvaluations: number;
  readonly phases: readonly PhaseMemory[];
}

function runCase(spec: MemoryCase): Promise<CaseResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(root, 'scripts/bench/memory/runCase.ts'), JSON.stringify(spec)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const line = stdout.split('\n').find((l) => l.startsWith('BENCH_MEMORY_RESULT '));
      if (code !== 0 || !line) reject(new Error(`case ${spec.id}: the process ended with ${signal ?? `code ${code}`}${line ? '' : ' and no result'}`));
      else resolve(JSON.parse(line.slice('BENCH_MEMORY_RESULT '.length)) as CaseResult);
    });
  });
}

function table(results: readonly CaseResult[]): string {
  const lines = ['| case | G x T x C | params | draws | phase | RSS MB | peak RSS MB | heap MB | buffers MB | CPU s | wall s |', '| --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |'];
  for (const r of results) {
    for (const p of r.phases) {
      lines.push(`| ${r.id} | ${r.dims.geos} x ${r.dims.weeks} x ${r.dims.channels} | ${r.dims.parameters} | ${r.dims.draws} | ${p.phase} | ${p.rssMb.toFixed(0)} | ${p.peakRssMb.toFixed(0)} | ${p.heapUsedMb.toFixed(0)} | ${p.arrayBuffersMb.toFixed(0)} | ${p.cpuSeconds.toFixed(0)} | ${p.wallSeconds.toFixed(0)} |`);
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
  const loadStart = load();
  const results: CaseResult[] = [];
  for (const id of flags.cases) {
    const spec = { ...CASES[id], ...flags.overrides };
    process.stderr.write(`case ${id}: ${spec.geos} geos x ${spec.weeks} weeks x ${spec.channels} channels, ${spec.chains} chains x ${spec.warmup} warmup + ${spec.draws} draws${spec.maxTreeDepth ? `, max tree depth ${spec.maxTreeDepth}` : ''}, ${spec.workers} workers\n`);
    results.push(await runCase(spec));
  }
  const lines = [table(results), ''];
  for (const r of results) {
    const target = r.spec.targetMb;
    const verdict = target === undefined ? '' : r.peakRssMb < target ? ` (under the ${target / GIB} GiB target)` : ` (OVER the ${target / GIB} GiB target)`;
    lines.push(`${r.id}: peak RSS ${r.peakRssMb.toFixed(0)} MB = ${(r.peakRssMb / GIB).toFixed(2)} GiB${verdict}; CPU ${r.cpuSeconds.toFixed(0)} s, wall ${r.wallSeconds.toFixed(0)} s (sampling ${r.samplingSeconds.toFixed(0)} s, ${r.gradientEvaluations} gradients)`);
  }
  process.stdout.write(lines.join('\n') + '\n');
  if (flags.write) {
    const date = new Date().toISOString().slice(0, 10);
    const file = join(root, 'bench', `memory-${date}${flags.overrides.checkpointSeconds !== undefined ? '-checkpoint' : ''}.json`);
    const record = {
      created: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, totalMemoryMb: os.totalmem() / 1024 / 1024, node: process.version },
      load: { start: loadStart, end: load() },
      note: 'peak RSS: getrusage maxrss of the case process (the parent thread and its worker threads); RSS after each phase after a full GC',
      cases: results,
    };
    writeFileSync(file, JSON.stringify(record, null, 1) + '\n');
    process.stderr.write(`wrote ${file}\n`);
  }
  const over = results.filter((r) => r.spec.targetMb !== undefined && r.peakRssMb >= r.spec.targetMb);
  if (over.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
