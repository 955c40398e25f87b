/**
 * A secured queue on a real Redis (tests/support/redis.ts; skipped with a message without
 * redis-server): a server with `requirepass` and an ACL user, a tiny batch (one fit: national
 * example, 2 chains, 30 warmup, 30 draws) enqueued and worked through the CLI with the user and
 * password in the URL under one key prefix, and checked: the fit done, the password in no output
 * and not in batch.json, a wrong password exits 1 with the redacted "authentication failed"
 * message and no stack trace, an ACL user limited to one prefix's keys is refused another's with a
 * named NOPERM, and a second team's prefix sees none of the first team's jobs (nor
 * the first team the second's). Then, when redis-server takes `--tls-port` and openssl is
 * installed, the same tiny batch through a TLS server with a self-signed certificate (--tls-ca);
 * otherwise that test skips with a message.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBatchRecord } from '../src/batch/batchRecord.js';
import { displayUrl } from '../src/batch/queue.js';
import { redactUrl, redisOptions } from '../src/batch/redisUrl.js';
import { UsageError } from '../src/cli/args.js';
import { queueTarget } from '../src/cli/queueTarget.js';
import { findRedis, root, runCli, startRedis } from './support/redis.js';

const redisServer = findRedis();
if (!redisServer) process.stderr.write('batch.redisSecure.e2e.test.ts: SKIPPED: redis-server is not installed (Debian package redis-server; .ci/run installs it)\n');

describe('queue URLs: parsed and redacted in one place', () => {
  it('passes the user, password, database and TLS to ioredis, and hides the password', () => {
    expect(redisOptions('redis://alice:p%40ss@db.example:6380/2')).toEqual({ host: 'db.example', port: 6380, username: 'alice', password: 'p@ss', db: 2 });
    expect(redisOptions('redis://:secret@h')).toEqual({ host: 'h', port: 6379, password: 'secret' });
    expect(redisOptions('rediss://h:1', { insecure: true })).toMatchObject({ tls: { rejectUnauthorized: false } });
    expect(() => redisOptions('redis://h:1', { ca: 'PEM' })).toThrow(/need a rediss:\/\/ URL/);
    expect(displayUrl('redis://alice:pw@h:6379')).toBe('redis://alice:***@h:6379');
    expect(displayUrl('redis://:pw@h:6379/1')).toBe('redis://:***@h:6379/1');
    expect(redactUrl('redis://alice:p w@h:x')).toBe('redis://alice:***@h:x');
    expect(() => redisOptions('redis://alice:Hidden-1@h/x')).toThrow(/redis:\/\/alice:\*\*\*@h\/x/);
  });

  it('builds the CLI target: prefix, TLS file, and TLS or prefix options only with --queue', () => {
    expect(queueTarget({ queue: 'redis://:pw@h:1', 'queue-prefix': 'team-a' })).toEqual({ url: 'redis://:pw@h:1', name: 'mixwell', prefix: 'team-a' });
    expect(() => queueTarget({ 'tls-insecure': true })).toThrow(new UsageError('--tls-insecure needs --queue redis://HOST:PORT'));
    expect(() => queueTarget({ queue: 'redis://h:1', 'queue-prefix': 'a:b' })).toThrow(UsageError);
    expect(() => queueTarget({ queue: 'redis://h:1', 'tls-insecure': true })).toThrow(new UsageError('--tls-ca and --tls-insecure need a rediss:// URL, got "redis://h:1"'));
    expect(() => queueTarget({ queue: 'http://u:Hidden-2@h' })).toThrow(/http:\/\/u:\*\*\*@h/);
  });
});

const describeWithRedis = redisServer ? describe : describe.skip;

const PASSWORD = 'Alice-S3cret-pw';
const REQUIREPASS = 'Req-S3cret-42';

/** A one-fit manifest in `dir`, with its data and config copied there (workers are confined to `--root dir`). */
function manifest(dir: string, name: string, seed: number): string {
  const path = join(dir, `${name}.json`);
  for (const file of ['national.csv', 'national.config.json']) copyFileSync(join(root, 'examples', file), join(dir, file));
  writeFileSync(
    path,
    JSON.stringify({
      name,
      out: `out-${name}`,
      defaults: { data: 'national.csv', config: 'national.config.json', options: { chains: 2, warmup: 30, draws: 30 }, retries: 0 },
      fits: [{ id: 'a', options: { seed } }],
    }),
  );
  return path;
}

describeWithRedis('a secured queue: password, ACL user, key prefixes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixwell-batch-redis-secure-'));
  const processes: ChildProcess[] = [];
  let port = 0;

  beforeAll(async () => {
    const redis = await startRedis(redisServer!, dir, ['--requirepass', REQUIREPASS, '--user', 'alice', 'on', `>${PASSWORD}`, '~*', '&*', '+@all', '--user', 'bob', 'on', '>Bob-pw-9', '~teamB:*', '&*', '+@all']);
    processes.push(redis.child);
    port = redis.port;
  }, 30_000);

  afterAll(() => {
    for (const child of processes.reverse()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a batch with the password in the URL, never shows it, and keeps two prefixes apart', async () => {
    const alice = `redis://alice:${PASSWORD}@127.0.0.1:${port}`;
    const team = `redis://:${REQUIREPASS}@127.0.0.1:${port}/0`;
    const outputs: string[] = [];
    const cli = async (args: string[]) => {
      const result = await runCli(args);
      outputs.push(result.stdout, result.stderr);
      return result;
    };

    // Team A (the ACL user) enqueues and works its batch under prefix teamA.
    const a = manifest(dir, 'team-a', 1);
    const enqueued = await cli(['batch', a, '--queue', alice, '--queue-prefix', 'teamA', '--root', dir]);
    expect(enqueued.code, enqueued.stderr).toBe(0);
    expect(enqueued.stderr).toContain(`1 fits added to queue "mixwell" (prefix teamA) at redis://alice:***@127.0.0.1:${port}`);
    expect(enqueued.stderr).toContain(`mixwell worker --queue redis://alice:***@127.0.0.1:${port} --queue-prefix teamA --root ${dir}\``);
    // Team B (requirepass) enqueues under prefix teamB; no worker runs it.
    const b = manifest(dir, 'team-b', 2);
    expect((await cli(['batch', b, '--queue', team, '--queue-prefix', 'teamB'])).code).toBe(0);

    const worker = await cli(['worker', '--queue', alice, '--queue-prefix', 'teamA', '--idle-exit', '2', '--root', dir]);
    expect(worker.code, worker.stderr).toBe(0);
    expect(worker.stdout).toMatch(/ done a in /);
    expect(worker.stdout).toContain(`ready, confined to ${dir}\n`);
    expect(worker.stdout).toContain(`(prefix teamA) at redis://alice:***@127.0.0.1:${port}`);

    const statusA = await cli(['batch', a, '--queue', alice, '--queue-prefix', 'teamA', '--status']);
    expect(statusA.code, statusA.stderr).toBe(0);
    expect(readBatchRecord(join(dir, 'out-team-a'))).toMatchObject({ counts: { done: 1 }, queue: { url: `redis://alice:***@127.0.0.1:${port}`, prefix: 'teamA' } });
    // The prefixes never see each other's jobs.
    const countsA = await cli(['batch', '--queue', alice, '--queue-prefix', 'teamA', '--status']);
    expect(countsA.stdout).toMatch(/waiting 0, .*completed 1, failed 0/);
    const countsB = await cli(['batch', '--queue', team, '--queue-prefix', 'teamB', '--status']);
    expect(countsB.stdout).toMatch(/waiting 1, .*completed 0, failed 0/);
    const bUnderA = await cli(['batch', b, '--queue', alice, '--queue-prefix', 'teamA', '--status']);
    expect(bUnderA.stdout).toMatch(/pending/);
    // An ACL user limited to team B's keys sees team B's queue, and is refused team A's.
    const bob = `redis://bob:Bob-pw-9@127.0.0.1:${port}`;
    expect((await cli(['batch', '--queue', bob, '--queue-prefix', 'teamB', '--status'])).stdout).toMatch(/waiting 1, /);
    const refused = await cli(['batch', '--queue', bob, '--queue-prefix', 'teamA', '--status']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^mixwell: the user of redis:\/\/bob:\*\*\*@127\.0\.0\.1:\d+ lacks a permission the queue needs \(NOPERM .*\): check its ACL \(keys under the prefix "teamA:"\)\n$/);
    const countsDefault = await cli(['batch', '--queue', alice, '--status']);
    expect(countsDefault.stdout).toMatch(/active 0, waiting 0, delayed 0, prioritized 0, completed 0, failed 0/);

    // A wrong password: exit 1, the redacted message, no stack trace.
    const wrong = `redis://alice:Wrong-Pass-77@127.0.0.1:${port}`;
    for (const args of [['batch', a, '--queue', wrong, '--status'], ['worker', '--queue', wrong, '--idle-exit', '1', '--root', dir]]) {
      const failed = await cli(args);
      expect(failed.code).toBe(1);
      expect(failed.stderr.trim()).toBe(`mixwell: authentication failed for redis://alice:***@127.0.0.1:${port}: check the user and password`);
      expect(failed.stderr + failed.stdout).not.toContain('Wrong-Pass-77');
    }
    // No password at all on a server that wants one.
    const none = await cli(['batch', '--queue', `redis://127.0.0.1:${port}`, '--status']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/authentication required by redis:\/\/127\.0\.0\.1:\d+: give the user and password in the URL/);

    const files = [join(dir, 'out-team-a', 'batch.json'), join(dir, 'out-team-b', 'batch.json')].map((f) => readFileSync(f, 'utf8'));
    for (const text of [...outputs, ...files]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(REQUIREPASS);
      expect(text).not.toContain('Bob-pw-9');
      expect(text).not.toMatch(/\n\s+at /);
    }
  }, 240_000);
});

function findOpenssl(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v openssl'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

describeWithRedis('a TLS queue (rediss://) with a self-signed certificate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixwell-batch-redis-tls-'));
  const processes: ChildProcess[] = [];
  let port = 0;
  let skipped: string | undefined;

  beforeAll(async () => {
    if (!findOpenssl()) {
      skipped = 'openssl is not installed';
      return;
    }
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    try {
      const redis = await startRedis(redisServer!, dir, ['--tls-cert-file', join(dir, 'cert.pem'), '--tls-key-file', join(dir, 'key.pem'), '--tls-auth-clients', 'no', '--requirepass', REQUIREPASS], { tls: true });
      processes.push(redis.child);
      port = redis.port;
    } catch (error) {
      skipped = `redis-server does not serve TLS here (${(error as Error).message})`;
    }
    if (skipped) process.stderr.write(`batch.redisSecure.e2e.test.ts: TLS test SKIPPED: ${skipped}\n`);
  }, 30_000);

  afterAll(() => {
    for (const child of processes.reverse()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a tiny batch through TLS with --tls-ca, and names a certificate it cannot check', async (context) => {
    if (skipped) context.skip();
    const url = `rediss://:${REQUIREPASS}@127.0.0.1:${port}`;
    const ca = join(dir, 'cert.pem');
    const unchecked = await runCli(['batch', '--queue', url, '--status']);
    expect(unchecked.code).toBe(1);
    expect(unchecked.stderr).toMatch(/TLS connection to rediss:\/\/:\*\*\*@127\.0\.0\.1:\d+ failed \(self-signed certificate\): check --tls-ca/);

    const m = manifest(dir, 'tls', 3);
    const enqueued = await runCli(['batch', m, '--queue', url, '--tls-ca', ca]);
    expect(enqueued.code, enqueued.stderr).toBe(0);
    const worker = await runCli(['worker', '--queue', url, '--tls-insecure', '--idle-exit', '2', '--root', dir]);
    expect(worker.code, worker.stderr).toBe(0);
    expect(worker.stdout).toMatch(/ done a in /);
    const status = await runCli(['batch', m, '--queue', url, '--tls-ca', ca, '--status']);
    expect(status.code, status.stderr).toBe(0);
    expect(readBatchRecord(join(dir, 'out-tls')).counts.done).toBe(1);
    for (const text of [enqueued.stderr, worker.stdout, worker.stderr, status.stdout, status.stderr, readFileSync(join(dir, 'out-tls', 'batch.json'), 'utf8')]) expect(text).not.toContain(REQUIREPASS);
  }, 180_000);
});

if (!redisServer) {
  describe('a secured queue', () => {
    it.skip('SKIPPED: redis-server is not installed (Debian package redis-server; .ci/run installs it)', () => {});
  });
}
