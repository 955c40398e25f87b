/**
 * Resumable fits end to end (src/mmm/fitCheckpoint.ts, `mixwell fit --resume`): a `mixwell fit`
 * process killed with SIGKILL at a random point of warmup or sampling, with one or two worker
 * threads, continued with `--resume` (with the other worker count), writes the same draws.arrow and
 * summary, byte for byte, as an uninterrupted fit with the same seed; Ctrl-C (SIGINT) writes a
 * checkpoint and exits with 130; a checkpoint of another fit is refused naming what differs; and
 * the centering pilot, stopped inside it, resumes to the same draws (API).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { afterAll, describe, expect, it } from 'vitest';
import { fitMmm } from '../src/mmm/fit.js';
import { CheckpointMismatchError } from '../src/mmm/fitCheckpoint.js';
import { runMain } from './support/cliMain.js';
import { SamplingInterrupted } from '../samplers/index.js';
import { readCheckpointHeader } from '../src/inference/checkpointFile.js';

const root = join(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'mixwell-checkpoint-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const data = join(root, 'examples/national.csv');
const config = join(root, 'examples/national.config.json');
// long enough that each phase outlasts a few checkpoints (0.2 s apart) on an idle machine
const sampler = ['--chains', '2', '--warmup', '300', '--draws', '500', '--seed', '23'];

function fit(out: string, extra: readonly string[]): ChildProcess {
  return spawn(process.execPath, [join(root, 'bin/mixwell.js'), 'fit', '--data', data, '--config', config, '--out', out, ...sampler, '--no-idata', '--no-parquet', '--no-log-lik', '--quiet', ...extra], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

function finished(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

/** The checkpoint's first line (what it is for and how far it got), or undefined while there is none. */
const header = (file: string) => readCheckpointHeader(file) as { progress: string } | undefined;

/** Wait until the checkpoint shows `phase` (a chain past iteration `after` of it), then `delayMs` more. */
async function waitFor(file: string, child: ChildProcess, phase: 'warmup' | 'sampling', after: number, delayMs: number): Promise<void> {
  const pattern = new RegExp(`chain \\d+ ${phase} (\\d+)`);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the fit ended before its checkpoint showed ${phase}`);
    const match = header(file)?.progress.match(pattern);
    if (match && Number(match[1]) >= after) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, delayMs));
}

const same = (a: string, b: string, file: string) => expect(readFileSync(join(b, file)).equals(readFileSync(join(a, file))), `${file} of ${b}`).toBe(true);

describe('mixwell fit --resume', () => {
  const reference = join(work, 'reference');
  const referenceRun = finished(fit(reference, ['--workers', '2', '--no-checkpoint']));
  // a random point: seeded, so a failure can be replayed
  const random = seedrandom('checkpoint-kill');

  for (const [phase, workers, resumeWorkers] of [
    ['warmup', 1, 2],
    ['sampling', 2, 1],
  ] as const) {
    it(`a fit killed (SIGKILL) in ${phase} with ${workers} worker(s), resumed with ${resumeWorkers}, writes the draws of an uninterrupted fit`, async () => {
      const out = join(work, `killed-${phase}`);
      const file = join(out, 'fit.checkpoint');
      const child = fit(out, ['--workers', String(workers), '--checkpoint-every', '0.2']);
      const ended = finished(child);
      await waitFor(file, child, phase, phase === 'warmup' ? 10 : 5, Math.floor(random() * 200));
      child.kill('SIGKILL');
      expect((await ended).signal).toBe('SIGKILL');
      expect(header(file)).toBeDefined();
      const resumed = await finished(fit(out, ['--workers', String(resumeWorkers), '--resume']));
      expect(resumed.code, resumed.stderr).toBe(0);
      const ref = await referenceRun;
      expect(ref.code, ref.stderr).toBe(0);
      same(reference, out, 'draws.arrow');
      same(reference, out, 'summary.json');
      // the run directory is complete, so its checkpoint is gone
      expect(existsSync(file)).toBe(false);
    }, 240_000);
  }

  it('Ctrl-C writes a checkpoint and exits with 130; a resume with another seed is refused', async () => {
    const out = join(work, 'interrupted');
    const file = join(out, 'fit.checkpoint');
    const child = fit(out, ['--workers', '2', '--checkpoint-every', '0.2']);
    const ended = finished(child);
    await waitFor(file, child, 'warmup', 10, 0);
    const signalled = Date.now();
    child.kill('SIGINT');
    const stopped = await ended;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(Date.now() - signalled).toBeLessThan(5000);
    expect(stopped.stderr).toMatch(/SIGINT: writing a checkpoint and stopping[\s\S]*Continue with the same command and --resume/);
    // a chain whose worker thread had not started sampling yet has no entry (it starts afresh on resume)
    expect(header(file)?.progress).toMatch(/chain \d+ (warmup|sampling) \d+/);

    // the same checkpoint for another seed (API: the same check, without a process)
    const otherSeed = fitMmm(data, config, { chains: 2, warmup: 300, draws: 500, seed: 24, progress: false, verbose: false, checkpoint: { file, resume: true } });
    await expect(otherSeed).rejects.toThrow(CheckpointMismatchError);
    await expect(otherSeed).rejects.toThrow(/fit\.checkpoint: this checkpoint was written for another fit \(the sampler settings \(chains, warmup, draws, seed, \.\.\.\) differ\)/);

    // (that a resume gives the uninterrupted draws is shown above)
  }, 240_000);

  it('--resume without a checkpoint is a usage error', async () => {
    const result = await runMain(['fit', '--data', data, '--out', join(work, 'none'), '--resume']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--resume: there is no checkpoint in .*none \(fit\.checkpoint\)/);
  });
});

describe('fitMmm checkpoints through the centering pilot', () => {
  it('a fit stopped inside its pilot and resumed gives the draws of an uninterrupted one', async () => {
    const settings = { chains: 2, warmup: 200, draws: 40, seed: 4, adaptiveCentering: true } as const;
    const geoData = join(root, 'examples/geo.csv');
    const cfg = { ...(JSON.parse(readFileSync(join(root, 'examples/geo.config.json'), 'utf8')) as Record<string, unknown>), sampler: settings };
    const quiet = { progress: false, verbose: false, workers: 2 } as const;
    const plain = await fitMmm(geoData, cfg, quiet);
    expect(plain.centering.kind).toBe('pilot');
    const file = join(work, 'pilot.checkpoint');
    // stop once the pilot's chains are a few iterations in
    const inPilot = () => /^pilot: .*chain 0 warmup ([5-9]|\d\d)/.test(header(file)?.progress ?? '');
    await expect(fitMmm(geoData, cfg, { ...quiet, checkpoint: { file, seconds: 0.1, shouldStop: inPilot } })).rejects.toThrow(SamplingInterrupted);
    expect(header(file)?.progress).toMatch(/^pilot: /);
    const resumed = await fitMmm(geoData, cfg, { ...quiet, workers: 1, checkpoint: { file, resume: true } });
    expect(resumed.result.samples.draws).toEqual(plain.result.samples.draws);
    expect(resumed.result.samples.stats).toEqual(plain.result.samples.stats);
    // sampling done: a resume recomputes only what follows it
    const again = await fitMmm(geoData, cfg, { ...quiet, checkpoint: { file, resume: true } });
    expect(again.result.samples.draws).toEqual(plain.result.samples.draws);
  }, 240_000);
});
