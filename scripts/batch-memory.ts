/**
 * `npm run batch:memory`: memory of batch fit workers across many tiny fits (default 50: the
 * national example, 2 chains, 20 warmup, 20 draws, seeds 1..N), measured two ways with the local
 * pool (src/batch/pool.ts), one worker at a time:
 *
 *   fresh   the default: a new worker process per fit. Per fit: the worker's resident set size
 *           (RSS) at the end of the fit and its peak RSS (getrusage maxrss), and the pool parent's
 *           RSS after the fit. The workers' figures should be flat (every fit starts from an
 *           empty process) and the parent's bounded (it holds no tfjs engine).
 *   reused  the same worker process runs every fit (`fitsPerWorker` = N): RSS after each fit,
 *           which shows what memory a process keeps between fits (tfjs engine, wasm heap, V8),
 *           i.e. what recycling the process saves.
 *
 * Reported per mode: first, last and max RSS (MB), the growth from the 5th fit to the last and the
 * least-squares slope over fits 5..N (MB per fit; the first fits warm up JIT and caches; short
 * runs start earlier). Writes
 * bench/batch-memory-<date>.json unless --no-write.
 *
 *   npm run batch:memory                      50 fits, both modes
 *   npm run batch:memory -- --fits 10 --modes reused --no-write
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseManifest } from '../src/batch/manifest.js';
import { planBatch } from '../src/batch/plan.js';
import { runLocalBatch } from '../src/batch/pool.js';
import { forEachFlag } from './flags.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const MB = 1024 * 1024;
type Mode = 'fresh' | 'reused';

interface Flags {
  fits: number;
  modes: Mode[];
  warmup: number;
  draws: number;
  write: boolean;
}

function parseFlags(argv: readonly string[]): Flags {
  const flags: Flags = { fits: 50, modes: ['fresh', 'reused'], warmup: 20, draws: 20, write: true };
  forEachFlag(argv, (arg, value) => {
    if (arg === '--fits') flags.fits = Number(value());
    else if (arg === '--warmup') flags.warmup = Number(value());
    else if (arg === '--draws') flags.draws = Number(value());
    else if (arg === '--modes') flags.modes = value().split(',') as Mode[];
    else if (arg === '--no-write') flags.write = false;
    else throw new Error(`unknown option ${arg} (use --fits N, --modes fresh,reused, --warmup N, --draws N, --no-write)`);
  });
  if (!Number.isInteger(flags.fits) || flags.fits < 2) throw new Error('--fits must be an integer >= 2');
  for (const mode of flags.modes) if (mode !== 'fresh' && mode !== 'reused') throw new Error(`unknown mode ${mode}`);
  return flags;
}

interface FitMemory {
  readonly fit: number;
  readonly pid: number;
  readonly workerRssMb: number;
  readonly workerPeakRssMb: number;
  readonly parentRssMb: number;
  readonly seconds: number;
}

interface Series {
  readonly firstMb: number;
  readonly lastMb: number;
  readonly maxMb: number;
  /** The fit the growth and slope start from (the 5th, or earlier in short runs). */
  readonly fromFit: number;
  /** Last minus the `fromFit`-th fit. */
  readonly growthMb: number;
  /** Least-squares slope over fits fromFit..N, MB per fit. */
  readonly slopeMbPerFit: number;
}

function seriesOf(values: readonly number[]): Series {
  const from = Math.min(4, values.length - 2);
  const xs = values.slice(from).map((_, k) => k);
  const ys = values.slice(from);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const sxy = xs.reduce((a, x, k) => a + (x - mx) * (ys[k] - my), 0);
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return { firstMb: values[0], lastMb: values[values.length - 1], maxMb: Math.max(...values), fromFit: from + 1, growthMb: values[values.length - 1] - values[from], slopeMbPerFit: sxx > 0 ? sxy / sxx : 0 };
}

async function runMode(mode: Mode, flags: Flags, dir: string): Promise<{ fits: FitMemory[]; seconds: number }> {
  const manifest = parseManifest(
    {
      out: join(dir, mode),
      defaults: { data: join(root, 'examples/national.csv'), config: join(root, 'examples/national.config.json'), options: { chains: 2, warmup: flags.warmup, draws: flags.draws }, retries: 0 },
      fits: Array.from({ length: flags.fits }, (_, k) => ({ id: `fit${String(k + 1).padStart(3, '0')}`, options: { seed: k + 1 } })),
    },
    join(dir, `${mode}.json`),
  );
  const plan = planBatch(manifest);
  const fits: FitMemory[] = [];
  const started = performance.now();
  const record = await runLocalBatch(plan, {
    concurrency: 1,
    fitsPerWorker: mode === 'fresh' ? 1 : flags.fits,
    retries: 0,
    onEvent: (event) => {
      if (event.type === 'done' && event.record.worker) {
        const row: FitMemory = {
          fit: fits.length + 1,
          pid: event.record.worker.pid,
          workerRssMb: event.record.worker.rssMb,
          workerPeakRssMb: event.record.worker.peakRssMb,
          parentRssMb: process.memoryUsage().rss / MB,
          seconds: event.record.seconds?.total ?? NaN,
        };
        fits.push(row);
        process.stderr.write(`${mode.padEnd(6)} fit ${String(row.fit).padStart(3)}  worker ${row.pid}  RSS ${row.workerRssMb.toFixed(0)} MB (peak ${row.workerPeakRssMb.toFixed(0)})  parent RSS ${row.parentRssMb.toFixed(0)} MB  ${row.seconds.toFixed(1)} s\n`);
      } else if (event.type === 'failed') {
        process.stderr.write(`${mode} ${event.task.id} FAILED: ${event.record.errors.map((e) => e.message).join('; ')}\n`);
      }
    },
  });
  if (record.counts.failed > 0) throw new Error(`${record.counts.failed} fits failed in mode ${mode}`);
  return { fits, seconds: (performance.now() - started) / 1000 };
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const dir = mkdtempSync(join(os.tmpdir(), 'mixwell-batch-memory-'));
  const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
  const loadStart = load();
  const results: Record<string, unknown> = {};
  const lines: string[] = [];
  try {
    for (const mode of flags.modes) {
      const { fits, seconds } = await runMode(mode, flags, dir);
      const worker = seriesOf(fits.map((f) => f.workerRssMb));
      const peak = seriesOf(fits.map((f) => f.workerPeakRssMb));
      const parent = seriesOf(fits.map((f) => f.parentRssMb));
      results[mode] = { processes: new Set(fits.map((f) => f.pid)).size, seconds, workerRss: worker, workerPeakRss: peak, parentRss: parent, fits };
      const fmt = (s: Series) => `first ${s.firstMb.toFixed(0)}, last ${s.lastMb.toFixed(0)}, max ${s.maxMb.toFixed(0)} MB; growth from fit ${s.fromFit} ${s.growthMb.toFixed(1)} MB, slope ${s.slopeMbPerFit.toFixed(2)} MB/fit`;
      lines.push(`${mode}: ${fits.length} fits in ${new Set(fits.map((f) => f.pid)).size} worker process(es), ${seconds.toFixed(0)} s`);
      lines.push(`  worker RSS at end of fit: ${fmt(worker)}`);
      lines.push(`  worker peak RSS:          ${fmt(peak)}`);
      lines.push(`  pool parent RSS:          ${fmt(parent)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const record = {
    created: new Date().toISOString(),
    machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.availableParallelism(), node: process.version, loadAverageStart: loadStart, loadAverageEnd: load() },
    settings: { fits: flags.fits, data: 'examples/national.csv', chains: 2, warmup: flags.warmup, draws: flags.draws, concurrency: 1 },
    results,
  };
  process.stdout.write(`${lines.join('\n')}\nload average ${loadStart} at start, ${load()} at end\n`);
  if (flags.write) {
    mkdirSync(join(root, 'bench'), { recursive: true });
    const path = resolve(root, 'bench', `batch-memory-${record.created.slice(0, 10)}.json`);
    writeFileSync(path, JSON.stringify(record, null, 1) + '\n');
    process.stdout.write(`wrote ${path}\n`);
  }
}

main().catch((error: Error) => {
  process.stderr.write(`batch-memory: ${error.message}\n`);
  process.exitCode = 1;
});
