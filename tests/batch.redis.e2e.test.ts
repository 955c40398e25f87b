/**
 * The distributed batch on a real Redis: the test starts its own redis-server (Debian package
 * `redis-server`; skipped with a message when it is not installed) on a free loopback port with a
 * temporary directory (tests/support/redis.ts), enqueues two tiny fits (national example, 2 chains, 30 warmup, 30 draws)
 * with BullMQ, and starts two `mixwell worker` processes (confined to the test's folder with
 * --root, where the data was copied) with short locks (2 s, stalled check every 1 s). The worker running fit "a" is killed (SIGKILL) mid-fit: its fit process stops by
 * itself, the job's lock expires, the other worker's stalled-job check puts it back in the queue
 * and that worker finishes it, continuing from the checkpoint the killed attempt left beside the
 * fit's output (workers checkpoint every 0.2 s here). Checked: both jobs completed and none failed, fit "a" finished by
 * the surviving worker from the checkpoint, each fit committed exactly once (the batch journal), outputs complete,
 * the summary stored on the jobs, and `queueStatus` / batch.json agree.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBatchRecord } from '../src/batch/batchRecord.js';
import { readJournal } from '../src/batch/journal.js';
import { loadManifest } from '../src/batch/manifest.js';
import { outputState } from '../src/batch/outputState.js';
import { planBatch } from '../src/batch/plan.js';
import { checkpointPath } from '../src/batch/runFit.js';
import { enqueueBatch, fitJobId, queueStatus, type FitJobData, type QueueTarget } from '../src/batch/queue.js';
import type { FitOutcome } from '../src/batch/outcome.js';
import { alive } from './support/processes.js';
import { findRedis, root, startRedis, until } from './support/redis.js';

const redisServer = findRedis();
if (!redisServer) process.stderr.write('batch.redis.e2e.test.ts: SKIPPED: redis-server is not installed (Debian package redis-server; .ci/run installs it)\n');


interface WorkerProc {
  readonly child: ChildProcess;
  readonly id: string;
  output: string;
}

const describeWithRedis = redisServer ? describe : describe.skip;

describeWithRedis('batch on a BullMQ/Redis queue', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixwell-batch-redis-'));
  const processes: ChildProcess[] = [];
  let target: QueueTarget;
  let queue: Queue<FitJobData, FitOutcome>;

  beforeAll(async () => {
    const { child: redis, port } = await startRedis(redisServer!, dir);
    processes.push(redis);
    target = { url: `redis://127.0.0.1:${port}`, name: `mixwell-test-${process.pid}` };
    queue = new Queue<FitJobData, FitOutcome>(target.name, { connection: { url: target.url } });
  }, 30_000);

  afterAll(async () => {
    await queue?.close();
    for (const child of processes.reverse()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('finishes a killed worker\'s fit on the other worker, with no job lost or done twice', async () => {
    const manifestPath = join(dir, 'manifest.json');
    // Workers are confined to --root: the data and the outputs live under dir.
    for (const name of ['national.csv', 'national.config.json']) copyFileSync(join(root, 'examples', name), join(dir, name));
    writeFileSync(
      manifestPath,
      JSON.stringify({
        out: 'out',
        defaults: { data: 'national.csv', config: 'national.config.json', options: { chains: 2, warmup: 30, draws: 30 }, retries: 1 },
        // "a" samples long enough for a few checkpoints before its worker is killed
        fits: [{ id: 'a', options: { seed: 1, warmup: 300, draws: 300 } }, { id: 'b', options: { seed: 2 } }],
      }),
    );
    const plan = planBatch(loadManifest(manifestPath));
    const enqueued = await enqueueBatch(plan, target);
    expect(enqueued).toMatchObject({ added: 2, alreadyQueued: 0, skipped: 0 });
    expect(readBatchRecord(plan.out).counts.queued).toBe(2);
    // Enqueueing again adds nothing.
    expect((await enqueueBatch(plan, target)).alreadyQueued).toBe(2);

    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const command = pathToFileURL(join(root, 'src/cli/commands/worker.ts')).href;
    const startWorker = (): WorkerProc => {
      const child = spawn(
        process.execPath,
        ['--import', tsx, '--input-type=module', '-e', `const m = await import(${JSON.stringify(command)}); await m.run(process.argv.slice(1));`, '--', '--queue', target.url, '--queue-name', target.name, '--lock-ms', '2000', '--stalled-ms', '1000', '--root', dir, '--checkpoint-every', '0.2'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      processes.push(child);
      const worker: WorkerProc = { child, id: `${hostname()}:${child.pid}`, output: '' };
      child.stdout!.on('data', (chunk: Buffer) => (worker.output += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (worker.output += chunk.toString()));
      return worker;
    };
    const workers = [startWorker(), startWorker()];
    const waitFor = (what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number) =>
      until(what, condition, timeoutMs).catch((error: Error) => {
        throw new Error(`${error.message}\n${workers.map((w, k) => `worker ${k + 1} (${w.id}) output:\n${w.output}`).join('\n')}`);
      });

    // Kill the worker that runs fit "a" once its sampler is under way.
    const jobA = fitJobId(plan, 'a');
    let victim: WorkerProc | undefined;
    await waitFor('a worker to start fit "a"', () => (victim = workers.find((w) => / start a \(job /.test(w.output))) !== undefined, 90_000);
    await waitFor('fit "a" to be sampling, with a checkpoint', async () => {
      const progress = (await queue.getJob(jobA))?.progress as { fraction?: number } | undefined;
      return typeof progress === 'object' && (progress?.fraction ?? 0) > 0.05 && existsSync(checkpointPath(plan.tasks[0].out));
    }, 90_000);
    const fitPid = Number(/ start a \(job [^,]+, attempt 1, process (\d+)\)/.exec(victim!.output)![1]);
    victim!.child.kill('SIGKILL');
    const survivor = workers.find((w) => w !== victim)!;

    await waitFor('both jobs to complete', async () => (await queue.getJobCounts('completed')).completed === 2, 150_000);
    expect(await queue.getJobCounts('completed', 'failed', 'active', 'waiting', 'delayed')).toEqual({ completed: 2, failed: 0, active: 0, waiting: 0, delayed: 0 });
    expect(alive(fitPid)).toBe(false);
    expect(survivor.output).toMatch(/stalled job .*-a: its worker stopped renewing the lock; back in the queue/);

    const a = (await queue.getJob(jobA))!;
    expect(a.returnvalue.worker.id).toBe(survivor.id);
    // from a chain's checkpoint, or, when the killed attempt had finished sampling, from that (sampling is then skipped)
    expect(a.returnvalue.worker.resumedFrom).toMatch(/^(main: stage 0, chain \d+ (warmup|sampling) \d+|sampling done$)/);
    expect(existsSync(checkpointPath(plan.tasks[0].out))).toBe(false);
    expect(a.returnvalue.id).toBe('a');
    const journal = readJournal(join(plan.out, 'batch-journal.ndjson'));
    expect(journal.filter((e) => e.event === 'start' && e.fit === 'a').map((e) => e.worker)).toEqual([victim!.id, survivor.id]);
    const committed = journal.filter((e) => e.event === 'committed');
    expect(committed.map((e) => e.fit).sort()).toEqual(['a', 'b']);
    expect(committed.find((e) => e.fit === 'a')!.worker).toBe(survivor.id);
    for (const task of plan.tasks) expect(outputState(task).complete).toBe(true);

    const record = await queueStatus(plan, target);
    expect(record.counts).toMatchObject({ done: 2, failed: 0, queued: 0, running: 0 });
    expect(record.fits[0].roi!.map((r) => r.channel)).toEqual(['tv', 'search', 'social', '(all media)']);
    expect(readBatchRecord(plan.out).counts.done).toBe(2);
    // Enqueueing a finished batch again adds nothing: its outputs are complete.
    expect(await enqueueBatch(plan, target)).toMatchObject({ added: 0, skipped: 2, alreadyQueued: 0 });

    survivor.child.kill('SIGTERM');
    await waitFor('the surviving worker to exit on SIGTERM', () => survivor.child.exitCode !== null, 30_000);
    expect(survivor.output).toMatch(/SIGTERM: finishing 0 running fit\(s\), then exiting/);
    expect(survivor.child.exitCode).toBe(0);
  }, 300_000);
});

if (!redisServer) {
  describe('batch on a BullMQ/Redis queue', () => {
    it.skip('SKIPPED: redis-server is not installed (Debian package redis-server; .ci/run installs it)', () => {});
  });
}
