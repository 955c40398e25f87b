/**
 * One case of `npm run bench:memory`, run in its own process (so its getrusage peak is its own):
 * simulate the data (simulate.ts) into a temporary CSV, fit it (`fitMmm`, chains on worker
 * threads), build the report's analysis (`buildReport`), write the run directory (`writeRun`) and
 * the HTML report (`writeReport`), and after each phase record the resident set size, the process's
 * peak RSS so far (getrusage maxrss: worker threads are threads of this process, so it covers them),
 * V8 heap and array-buffer memory, CPU seconds (user + system, every thread) and wall seconds.
 * "sampled" is taken at the sampler's last progress event, before the draws are constrained.
 * Prints one line `BENCH_MEMORY_RESULT <json>` on stdout.
 *
 *   node --expose-gc --import tsx scripts/bench/memory/runCase.ts '<case json>'
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fitMmm } from '../../../src/mmm/fit.js';
import { buildReport } from '../../../src/mmm/report.js';
import { writeRun } from '../../../src/run/index.js';
import { writeReport } from '../../../src/report/index.js';
import { simulateGeoCsv } from './simulate.js';
import type { MemoryCase, PhaseMemory } from './types.js';

const MB = 1024 * 1024;

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]) as MemoryCase;
  const dir = mkdtempSync(join(os.tmpdir(), `mixwell-bench-memory-${spec.id}-`));
  const started = performance.now();
  const phases: PhaseMemory[] = [];
  const mark = (phase: string): void => {
    // with --expose-gc, collect first so that `rssMb` is what the phase keeps, not its garbage
    const usage = process.memoryUsage();
    const cpu = process.cpuUsage();
    const entry: PhaseMemory = {
      phase,
      rssMb: usage.rss / MB,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      heapUsedMb: usage.heapUsed / MB,
      arrayBuffersMb: usage.arrayBuffers / MB,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      wallSeconds: (performance.now() - started) / 1000,
    };
    phases.push(entry);
    process.stderr.write(`[${spec.id}] ${phase.padEnd(14)} RSS ${entry.rssMb.toFixed(0).padStart(6)} MB  peak ${entry.peakRssMb.toFixed(0).padStart(6)} MB  heap ${entry.heapUsedMb.toFixed(0).padStart(5)} MB  buffers ${entry.arrayBuffersMb.toFixed(0).padStart(5)} MB  CPU ${entry.cpuSeconds.toFixed(0)} s  wall ${entry.wallSeconds.toFixed(0)} s\n`);
  };
  const gc = (globalThis as { gc?: () => void }).gc;
  try {
    const { csv, config } = simulateGeoCsv({ geos: spec.geos, weeks: spec.weeks, channels: spec.channels, seed: spec.seed });
    const dataFile = join(dir, 'data.csv');
    writeFileSync(dataFile, csv);
    mark('start');
    let sampled = false;
    const fit = await fitMmm(dataFile, config, {
      chains: spec.chains,
      warmup: spec.warmup,
      draws: spec.draws,
      seed: spec.seed,
      ...(spec.maxTreeDepth ? { maxTreeDepth: spec.maxTreeDepth } : {}),
      workers: spec.workers,
      ...(spec.checkpointSeconds !== undefined ? { checkpoint: { file: join(dir, 'fit.checkpoint'), seconds: spec.checkpointSeconds } } : {}),
      progress: true,
      verbose: true,
      onProgress: (p) => {
        if (!sampled && p.completed >= p.total) {
          sampled = true;
          mark('sampled');
        }
      },
    });
    if (!sampled) mark('sampled');
    gc?.();
    mark('fit');
    const report = buildReport(fit);
    gc?.();
    mark('analysis');
    const out = join(dir, 'run');
    await writeRun(out, fit, report);
    gc?.();
    mark('run directory');
    await writeReport(out);
    gc?.();
    mark('report');
    const result = {
      id: spec.id,
      spec,
      dims: { geos: spec.geos, weeks: spec.weeks, channels: spec.channels, parameters: fit.result.model.dim, draws: spec.chains * spec.draws },
      workers: fit.workers,
      backend: fit.backend.name,
      peakRssMb: Math.max(...phases.map((p) => p.peakRssMb)),
      cpuSeconds: phases[phases.length - 1].cpuSeconds,
      wallSeconds: phases[phases.length - 1].wallSeconds,
      samplingSeconds: fit.result.seconds.sampling,
      postprocessingSeconds: fit.result.seconds.postprocessing,
      gradientEvaluations: fit.result.samples.gradientEvaluations,
      maxRhat: fit.result.health.maxRhat,
      divergences: fit.result.health.divergences,
      treeDepthSaturated: fit.result.health.treeDepthSaturated,
      phases,
    };
    process.stdout.write(`BENCH_MEMORY_RESULT ${JSON.stringify(result)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
