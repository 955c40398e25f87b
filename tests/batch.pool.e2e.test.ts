/**
 * The local batch pool end to end on tiny fits (national example, 2 chains, 30 warmup, 30 draws;
 * sampling quality is not judged): a rolling-window entry (2 windows), a fit with bad data and a
 * fit with a 1 s timeout and no retries.
 *
 * 1. Two worker processes at a time. The first window's worker process is killed (SIGKILL)
 *    mid-fit: the attempt is recorded as a crash and retried, and the fit finishes. The bad-data
 *    fit fails at once (bad input is not retried) with the file, row and column named; the slow
 *    fit is killed at its timeout and fails; neither stops the others. batch.json holds status,
 *    timing, health and ROI per fit; the journal shows each fit committed exactly once.
 * 2. The second window's output is damaged, and the batch is rerun by the CLI in a child process,
 *    which is killed (SIGKILL) while it refits that window: its fit process stops by itself,
 *    nothing is committed, and batch.json stays readable.
 * 3. The batch is rerun: the complete window is skipped (its files untouched), the damaged one
 *    redone (a partial directory left by a killed commit is removed), the failed ones fail again;
 *    the stability report is written.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readBatchRecord, type BatchRecord } from '../src/batch/batchRecord.js';
import { readJournal } from '../src/batch/journal.js';
import { loadManifest } from '../src/batch/manifest.js';
import { outputState } from '../src/batch/outputState.js';
import { planBatch } from '../src/batch/plan.js';
import { runLocalBatch, type BatchEvent } from '../src/batch/pool.js';
import { run as batchCommand } from '../src/cli/commands/batch.js';
import { alive, until as waitUntil } from './support/processes.js';

const root = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'mixwell-batch-pool-'));
const manifestPath = join(dir, 'manifest.json');
const badCsv = join(dir, 'bad.csv');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

// Row 5 of the file (the 4th week) gets a non-number spend.
const lines = readFileSync(join(root, 'examples/national.csv'), 'utf8').split('\n');
lines[4] = lines[4].replace(/^([^,]*),[^,]*/, '$1,abc');
writeFileSync(badCsv, lines.join('\n'));
writeFileSync(
  manifestPath,
  JSON.stringify({
    out: 'out',
    defaults: { data: join(root, 'examples/national.csv'), config: join(root, 'examples/national.config.json'), options: { chains: 2, warmup: 30, draws: 30, seed: 7 }, retries: 1 },
    fits: [
      { id: 'roll', rolling: { window: 91, step: 13 } },
      { id: 'bad', data: 'bad.csv' },
      { id: 'slow', timeout: 1, retries: 0 },
    ],
  }),
);
const plan = planBatch(loadManifest(manifestPath));
const [w1, w2] = plan.tasks;

const until = (what: string, condition: () => boolean, timeoutMs: number) => waitUntil(what, condition, timeoutMs, 100);

describe('local batch pool', () => {
  let first: BatchRecord;
  const events: BatchEvent[] = [];
  let killedPid = 0;

  it('runs the fits, retries a killed worker and reports bad data without stopping the others', async () => {
    expect(plan.tasks.map((t) => t.id)).toEqual(['roll/w01', 'roll/w02', 'bad', 'slow']);
    first = await runLocalBatch(plan, {
      concurrency: 2,
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'progress' && event.task.id === w1.id && event.attempt === 1 && !killedPid && event.progress.completed / event.progress.total > 0.1) {
          killedPid = (events.find((e) => e.type === 'start' && e.task.id === w1.id) as Extract<BatchEvent, { type: 'start' }>).pid;
          process.kill(killedPid, 'SIGKILL');
        }
      },
    });
    expect(killedPid).toBeGreaterThan(0);
    expect(alive(killedPid)).toBe(false);
    const [r1, r2, rBad, rSlow] = first.fits;
    expect(first.counts).toMatchObject({ done: 2, failed: 2, skipped: 0, pending: 0, running: 0 });
    expect(r1).toMatchObject({ id: 'roll/w01', status: 'done', attempts: 2 });
    expect(r1.errors).toEqual([{ attempt: 1, kind: 'crash', message: expect.stringMatching(`worker process ${killedPid} was killed by SIGKILL during the fit`) }]);
    expect(r2).toMatchObject({ id: 'roll/w02', status: 'done', attempts: 1, errors: [] });
    expect(rBad).toMatchObject({ id: 'bad', status: 'failed', attempts: 1, note: 'bad input: not retried' });
    expect(rBad.errors[0].message).toContain('bad.csv, row 5, column "tv_spend": not a number: "abc"');
    expect(rSlow).toMatchObject({ id: 'slow', status: 'failed', attempts: 1, note: 'failed after 1 attempt' });
    expect(rSlow.errors).toEqual([{ attempt: 1, kind: 'timeout', message: expect.stringMatching(/^timed out after 1 s \(worker process \d+ killed\)$/) }]);
    for (const r of [r1, r2]) {
      expect(r.series).toMatchObject({ entry: 'roll', kind: 'rolling' });
      expect(r.seconds!.total).toBeGreaterThan(0);
      expect(r.health!.level).toMatch(/^(ok|warning|error)$/);
      expect(r.roi!.map((x) => x.channel)).toEqual(['tv', 'search', 'social', '(all media)']);
      for (const x of r.roi!) expect(x.q05).toBeLessThanOrEqual(x.q95);
      expect(r.worker!.peakRssMb).toBeGreaterThan(r.worker!.rssMb * 0.5);
    }
    expect(outputState(w1).complete).toBe(true);
    expect(outputState(w2).complete).toBe(true);
    expect(readBatchRecord(plan.out)).toEqual(JSON.parse(JSON.stringify(first)));
    const journal = readJournal(join(plan.out, 'batch-journal.ndjson'));
    expect(journal.filter((e) => e.event === 'start' && e.fit === w1.id)).toHaveLength(2);
    expect(journal.filter((e) => e.event === 'committed').map((e) => e.fit).sort()).toEqual([w1.id, w2.id]);
    expect(events.some((e) => e.type === 'retry' && e.task.id === w1.id)).toBe(true);
  }, 240_000);

  it('loses nothing when the batch process is killed mid-batch', async () => {
    const marker1 = statSync(join(w1.out, 'batch-fit.json')).mtimeMs;
    unlinkSync(join(w2.out, 'draws.arrow'));
    expect(outputState(w2)).toMatchObject({ complete: false, reason: 'draws.arrow is missing or empty' });
    const journalFile = join(plan.out, 'batch-journal.ndjson');
    const startsBefore = readJournal(journalFile).length;
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const command = pathToFileURL(join(root, 'src/cli/commands/batch.ts')).href;
    const child = spawn(process.execPath, ['--import', tsx, '--input-type=module', '-e', `const m = await import(${JSON.stringify(command)}); await m.run(process.argv.slice(1));`, '--', manifestPath, '--workers', '1'], { stdio: 'ignore' });
    children.push(child);
    await until('the rerun to start refitting roll/w02', () => readJournal(journalFile).slice(startsBefore).some((e) => e.event === 'start' && e.fit === w2.id), 90_000);
    const start = readJournal(journalFile).slice(startsBefore).find((e) => e.event === 'start' && e.fit === w2.id)!;
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGKILL');
    await until('the orphaned fit process to stop', () => !alive(start.pid!), 60_000);
    expect(readJournal(journalFile).slice(startsBefore).filter((e) => e.event === 'committed')).toEqual([]);
    const record = readBatchRecord(plan.out);
    expect(record.fits.find((f) => f.id === w1.id)!.status).toBe('skipped');
    expect(record.fits.find((f) => f.id === w2.id)!.status).toBe('running');
    expect(outputState(w1).complete).toBe(true);
    expect(outputState(w2).complete).toBe(false);
    expect(statSync(join(w1.out, 'batch-fit.json')).mtimeMs).toBe(marker1);
  }, 180_000);

  it('resumes: skips complete fits, redoes the rest and writes the stability report', async () => {
    const marker1 = readFileSync(join(w1.out, 'batch-fit.json'), 'utf8');
    // What an attempt killed while committing would leave behind; the rerun removes it.
    mkdirSync(join(plan.out, 'roll', 'w02.partial-host-1-2'));
    let stdout = '';
    let stderr = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
    let error: unknown;
    try {
      await batchCommand([manifestPath, '--workers', '2']);
    } catch (e) {
      error = e;
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    expect((error as Error)?.message).toMatch(/2 of 4 fits failed \(see .*batch\.json\)/);
    const record = readBatchRecord(plan.out);
    expect(record.fits.map((f) => [f.id, f.status, f.attempts])).toEqual([
      ['roll/w01', 'skipped', 0],
      ['roll/w02', 'done', 1],
      ['bad', 'failed', 1],
      ['slow', 'failed', 1],
    ]);
    expect(record.fits[0].roi).toEqual(first.fits[0].roi);
    expect(readFileSync(join(w1.out, 'batch-fit.json'), 'utf8')).toBe(marker1);
    expect(outputState(w2).complete).toBe(true);
    expect(existsSync(join(plan.out, 'roll'))).toBe(true);
    expect(readdirSync(join(plan.out, 'roll')).sort()).toEqual(['w01', 'w02']);
    expect(stderr).toMatch(/skip +roll\/w01 +output complete/);
    expect(stdout).toMatch(/roll\/w01 +skipped +0/);
    expect(stdout).toMatch(/roll\/w02 +done +1/);
    expect(stdout).toMatch(/bad +failed +1 .*bad\.csv, row 5, column "tv_spend"/);
    expect(stdout).toContain('Rolling-window stability of "roll": 2 of 2 windows complete');
    expect(stdout).toMatch(/ROI: .* over 2 windows\./);
    const stability = join(plan.out, 'stability', 'roll');
    for (const name of ['windows.csv', 'summary.csv', 'stability.txt', 'stability.vl.json', 'stability.svg']) expect(existsSync(join(stability, name)), name).toBe(true);
    expect(readFileSync(join(stability, 'windows.csv'), 'utf8').split('\n')[0]).toBe('series,window,from,to,metric,channel,mean,sd,median,q05,q95');
  }, 240_000);
});
