/**
 * One fit's chains across machines (`mixwell fit --queue`, src/batch/chainQueue.ts and
 * chainJob.ts) on a real Redis (the test's own redis-server; skipped with a message without it):
 * two `mixwell worker` processes (confined to the test's folder, short locks) take the fit's chain
 * jobs; the worker running chain 0 is killed (SIGKILL) once the chain has a checkpoint; the other
 * worker's stalled-job check puts the job back and continues the chain from its checkpoint; the fit
 * writes a draws.arrow byte-identical to a local fit's with the same seed and settings.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findRedis, root, startRedis, until } from './support/redis.js';

const redisServer = findRedis();
if (!redisServer) process.stderr.write('fit.queue.e2e.test.ts: SKIPPED: redis-server is not installed (Debian package redis-server; .ci/run installs it)\n');
const describeWithRedis = redisServer ? describe : describe.skip;

describeWithRedis('mixwell fit --queue', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixwell-fit-queue-'));
  const processes: ChildProcess[] = [];
  afterAll(() => {
    for (const child of processes.reverse()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const mixwell = (args: readonly string[]) => {
    const child = spawn(process.execPath, [join(root, 'bin/mixwell.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    processes.push(child);
    const proc = { child, output: '' };
    child.stdout!.on('data', (chunk: Buffer) => (proc.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (proc.output += chunk.toString()));
    return proc;
  };
  const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', (code) => resolve(code))));

  it('runs the chains on the workers, recovers a killed worker\'s chain from its checkpoint, and writes the draws of a local fit', async () => {
    const { child: redis, port } = await startRedis(redisServer!, dir);
    processes.push(redis);
    const url = `redis://127.0.0.1:${port}`;
    for (const name of ['national.csv', 'national.config.json']) copyFileSync(join(root, 'examples', name), join(dir, name));
    const fitArgs = ['--data', join(dir, 'national.csv'), '--config', join(dir, 'national.config.json'), '--chains', '2', '--warmup', '300', '--draws', '300', '--seed', '9', '--no-idata', '--no-parquet', '--no-log-lik', '--quiet'];
    const local = mixwell(['fit', ...fitArgs, '--out', join(dir, 'local'), '--workers', '2', '--no-checkpoint']);

    const workers = [0, 1].map(() => mixwell(['worker', '--queue', url, '--root', dir, '--lock-ms', '2000', '--stalled-ms', '1000']));
    await until('the workers to be ready', () => workers.every((w) => /ready, confined to/.test(w.output)), 60_000);
    const out = join(dir, 'queued');
    const fit = mixwell(['fit', ...fitArgs, '--out', out, '--queue', url, '--checkpoint-every', '0.2']);

    // the worker that took chain 0, killed once the chain has a checkpoint
    const checkpoint = join(out, '.chains', 's0-c0.checkpoint');
    await until('chain 0 to have a checkpoint', () => existsSync(checkpoint), 90_000);
    const victim = workers.find((w) => /start chain job \S+-s0-c0 /.test(w.output));
    expect(victim, workers.map((w) => w.output).join('\n')).toBeDefined();
    victim!.child.kill('SIGKILL');
    const survivor = workers.find((w) => w !== victim)!;

    expect(await exited(fit.child), fit.output).toBe(0);
    expect(await exited(local.child), local.output).toBe(0);
    expect(survivor.output).toMatch(/stalled job \S+-s0-c0: its worker stopped renewing the lock/);
    expect(survivor.output).toMatch(/start chain job \S+-s0-c0 \(fit \S+, stage 0, chains 0, attempt 2\)/);
    expect(survivor.output).toMatch(/-s0-c0 \(fit \S+, stage 0, chains 0\): continuing from its checkpoint \(chain 0 (warmup|sampling) \d+\)/);
    expect(readFileSync(join(out, 'draws.arrow')).equals(readFileSync(join(dir, 'local', 'draws.arrow')))).toBe(true);
    expect(existsSync(checkpoint)).toBe(false);
  }, 240_000);
});

if (!redisServer) {
  describe('mixwell fit --queue', () => {
    it.skip('SKIPPED: redis-server is not installed (Debian package redis-server; .ci/run installs it)', () => {});
  });
}
