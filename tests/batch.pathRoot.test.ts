/**
 * Batch paths confined to a root (src/batch/pathRoot.ts). The confinement function on a small tree
 * with links in and out of the root: `..` escapes, absolute paths elsewhere, a link out (also one
 * whose target does not exist yet, and one reached after `..`), a link that stays inside, a nested
 * folder that does not exist yet, the root itself, a root reached through a link. Then the
 * manifest (`root` option: every key named), the local batch through the CLI (`--root`,
 * `--confine`: refused with the named error and nothing written outside) and the pool's own check
 * of a plan. Last, with redis-server (tests/support/redis.ts; skipped without it), a queue worker
 * given jobs whose paths leave its root: each job fails at once with the named message, nothing is
 * written outside, and the worker stays up for the next job. No fit runs in this file.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config/index.js';
import { loadManifest, parseManifest } from '../src/batch/manifest.js';
import { confinePath, openRoot, PathRootError, realPathOf, type PathUse } from '../src/batch/pathRoot.js';
import { planBatch } from '../src/batch/plan.js';
import { runLocalBatch } from '../src/batch/pool.js';
import { JOB_FORMAT, type FitJobData, type QueueTarget } from '../src/batch/queue.js';
import { startQueueWorker, type QueueWorkerEvent, type QueueWorkerHandle } from '../src/batch/queueWorker.js';
import type { FitOutcome } from '../src/batch/outcome.js';
import { UsageError } from '../src/cli/args.js';
import { run as batchCommand } from '../src/cli/commands/batch.js';
import { run as workerCommand } from '../src/cli/commands/worker.js';
import { findRedis, root as repo, startRedis, until } from './support/redis.js';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'mixwell-path-root-')));
const rootDir = join(base, 'root');
const outside = join(base, 'outside');
afterAll(() => rmSync(base, { recursive: true, force: true }));

mkdirSync(join(rootDir, 'sub'), { recursive: true });
mkdirSync(outside, { recursive: true });
copyFileSync(join(repo, 'examples/national.csv'), join(rootDir, 'national.csv'));
copyFileSync(join(repo, 'examples/national.config.json'), join(rootDir, 'national.config.json'));
writeFileSync(join(outside, 'secret.csv'), 'date,x\n');
symlinkSync(outside, join(rootDir, 'out-link'));
symlinkSync(join(rootDir, 'sub'), join(rootDir, 'in-link'));
symlinkSync(join(outside, 'not-yet'), join(rootDir, 'dangling'));
symlinkSync(base, join(base, 'root-link'));

const use: PathUse = { source: 'm.json', key: 'fits[2].out', fit: 'north', access: 'writes', hint: 'do this' };
const root = openRoot(rootDir);

/** Every file, folder and link under `dir` (relative to it; links not followed), sorted. */
function tree(dir: string, prefix = ''): string[] {
  const names: string[] = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    names.push(name);
    if (entry.isDirectory()) names.push(...tree(dir, name));
  }
  return names.sort();
}

/** What appeared under `dir` since `before`. */
function added(dir: string, before: readonly string[]): string[] {
  return tree(dir).filter((name) => !before.includes(name) && !name.startsWith('redis'));
}

describe('confinePath', () => {
  it('refuses ".." escapes, naming the source, key, fit and root', () => {
    const escape = `${rootDir}/sub/../../outside/x`;
    expect(() => confinePath(root, escape, use)).toThrow(PathRootError);
    expect(() => confinePath(root, escape, use)).toThrow(`m.json: fits[2].out: fit "north" writes to ${escape}, outside the root ${rootDir}: ".." leads out of the root (to ${join(outside, 'x')}); do this`);
    // A manifest's path, resolved against its folder before the check, is named as written.
    expect(() => confinePath(root, join(outside, 'x'), { ...use, written: '../outside/x' })).toThrow(`fit "north" writes to "../outside/x" (${join(outside, 'x')}), outside the root ${rootDir}: ".." leads out of the root`);
    expect(() => confinePath(root, '../outside/x', { ...use, access: 'reads', fit: undefined, key: 'defaults.data' })).toThrow(/^m\.json: defaults\.data: the batch reads \.\.\/outside\/x, outside the root .*: "\.\." leads out/);
  });

  it('refuses an absolute path outside the root', () => {
    expect(() => confinePath(root, join(outside, 'secret.csv'), { ...use, access: 'reads' })).toThrow(/fit "north" reads .*secret\.csv, outside the root .*: an absolute path outside the root; do this$/);
    expect(() => confinePath(root, '/etc/passwd', use)).toThrow(PathRootError);
    // A sibling whose name starts with the root's is not inside it.
    expect(() => confinePath(root, `${rootDir}-other/x`, use)).toThrow(/an absolute path outside the root/);
  });

  it('refuses symbolic links that lead out, also dangling ones and ones reached after ".."', () => {
    expect(() => confinePath(root, join(rootDir, 'out-link/secret.csv'), use)).toThrow(`a symbolic link on the way leads out of the root (to ${join(outside, 'secret.csv')})`);
    expect(() => confinePath(root, join(rootDir, 'out-link/new/deeper'), use)).toThrow(/symbolic link on the way leads out/);
    expect(() => confinePath(root, join(rootDir, 'dangling'), use)).toThrow(`(to ${join(outside, 'not-yet')})`);
    expect(() => confinePath(root, join(rootDir, 'nope/../out-link/x'), use)).toThrow(/symbolic link on the way leads out/);
    // A link loop cannot be checked: refused, as a PathRootError (not retried).
    symlinkSync(join(rootDir, 'loop-b'), join(rootDir, 'loop-a'));
    symlinkSync(join(rootDir, 'loop-a'), join(rootDir, 'loop-b'));
    expect(() => confinePath(root, join(rootDir, 'loop-a/x'), use)).toThrow(new PathRootError('m.json', 'fits[2].out', `fit "north" writes to ${join(rootDir, 'loop-a/x')}, which cannot be resolved to check it stays in the root ${rootDir} (${join(rootDir, 'loop-a/x')}: more than 40 symbolic links on the way (a loop?)); do this`));
    // "link/.." is the link's parent as the kernel sees it: outside, although the text says root/sub.
    expect(() => confinePath(root, join(rootDir, 'out-link') + '/../root-escape', use)).toThrow(PathRootError);
  });

  it('accepts links within the root, nested folders that do not exist yet, and the root itself unless it must be inside', () => {
    expect(confinePath(root, join(rootDir, 'in-link/file.csv'), use)).toBe(join(rootDir, 'sub/file.csv'));
    expect(confinePath(root, join(rootDir, 'new/a/b'), use)).toBe(join(rootDir, 'new/a/b'));
    expect(confinePath(root, 'sub/x.csv', use)).toBe(join(rootDir, 'sub/x.csv'));
    expect(confinePath(root, join(rootDir, 'sub/../sub/./x'), use)).toBe(join(rootDir, 'sub/x'));
    expect(confinePath(root, rootDir, { ...use, inside: false })).toBe(rootDir);
    expect(() => confinePath(root, rootDir + '/sub/..', { ...use, inside: true })).toThrow(`fit "north" writes to ${rootDir}/sub/.., which is the root ${rootDir} itself: an output folder is replaced as a whole, so it must be a folder inside the root; do this`);
  });

  it('takes a root reached through a link, and refuses a root that is not a folder', () => {
    const linked = openRoot(join(base, 'root-link/root'));
    expect(linked).toEqual({ dir: join(base, 'root-link/root'), real: rootDir });
    expect(confinePath(linked, join(base, 'root-link/root/sub/x'), use)).toBe(join(rootDir, 'sub/x'));
    expect(confinePath(linked, join(rootDir, 'sub/x'), use)).toBe(join(rootDir, 'sub/x'));
    expect(() => confinePath(linked, join(outside, 'x'), use)).toThrow(`outside the root ${join(base, 'root-link/root')} (really ${rootDir})`);
    expect(() => openRoot(join(base, 'missing'))).toThrow(/^--root .*missing: no such folder \(ENOENT\); create it or give an existing one$/);
    expect(() => openRoot(join(outside, 'secret.csv'), 'root')).toThrow(/^root .*secret\.csv: not a folder$/);
    expect(realPathOf('/')).toBe(realpathSync('/'));
  });
});

function writeManifest(name: string, json: unknown): string {
  const path = join(rootDir, `${name}.json`);
  writeFileSync(path, JSON.stringify(json));
  return path;
}

const defaults = { data: 'national.csv', config: 'national.config.json', options: { chains: 2, warmup: 30, draws: 30 } };

describe('a manifest with a root', () => {
  it('names the key, the fit and the root of each path outside, before anything is read', () => {
    const parse = (json: object, options = {}) => () => parseManifest({ out: 'runs', defaults, fits: [{ id: 'a' }], ...json }, join(rootDir, 'm.json'), { root: rootDir, ...options });
    expect(parse({})()).toMatchObject({ out: join(rootDir, 'runs'), fits: [{ out: join(rootDir, 'runs/a') }] });
    expect(parse({ fits: [{ id: 'a' }, { id: 'b', data: join(outside, 'secret.csv') }] })).toThrow(ConfigError);
    expect(parse({ fits: [{ id: 'a' }, { id: 'b', data: join(outside, 'secret.csv') }] })).toThrow(
      `${join(rootDir, 'm.json')}: fits[1].data: fit "b" reads ${join(outside, 'secret.csv')}, outside the root ${rootDir}: an absolute path outside the root; keep the manifest's paths under the root, or give a --root that holds them`,
    );
    expect(parse({ defaults: { ...defaults, config: '../outside/c.json' } })).toThrow(`m.json: defaults.config: the batch reads "../outside/c.json" (${join(outside, 'c.json')}), outside the root ${rootDir}: ".." leads out of the root`);
    expect(parse({ fits: [{ id: 'a', out: '../../outside/a' }] })).toThrow(`m.json: fits[0].out: fit "a" writes to "../../outside/a" (${join(outside, 'a')}), outside the root ${rootDir}: ".." leads out of the root; keep`);
    expect(parse({ fits: [{ id: 'a', out: '../out-link/a' }] })).toThrow(/fits\[0\]\.out: .*a symbolic link on the way leads out/);
    expect(parse({ fits: [{ id: 'a', out: '..' }] })).toThrow(/fits\[0\]\.out: fit "a" writes to .*, which is the root .* itself/);
    expect(parse({ out: 'out-link' })).toThrow(`m.json: out: the batch writes to "out-link" (${join(rootDir, 'out-link')}), outside the root ${rootDir}: a symbolic link on the way leads out of the root (to ${outside}); keep`);
    expect(parse({}, { out: outside })).toThrow(/m\.json: out \(--out\): the batch writes to/);
    expect(() => parseManifest({ out: 'runs', defaults, fits: [{ id: 'a' }] }, 'm.json', { root: join(base, 'missing') })).toThrow(/^root .*missing: no such folder/);
  });
});

describe('a local batch with a root', () => {
  const refused = (json: object) => writeManifest('refused', { out: 'runs/refused', defaults, fits: [{ id: 'a' }, { id: 'escape', out: '../../../outside/escaped' }], ...json });

  it('refuses a manifest with a path outside the root, and writes nothing anywhere', async () => {
    const before = tree(base);
    const manifest = refused({});
    await expect(batchCommand([manifest, '--root', rootDir])).rejects.toThrow(`${manifest}: fits[1].out: fit "escape" writes to "../../../outside/escaped" (${join(outside, 'escaped')}), outside the root ${rootDir}: ".." leads out of the root`);
    await expect(batchCommand([manifest, '--confine', '--workers', '1'])).rejects.toThrow(/fits\[1\]\.out: fit "escape" writes to .*, outside the root/);
    expect(added(base, before)).toEqual(['root/refused.json']);
    expect(existsSync(join(outside, 'escaped'))).toBe(false);
  });

  it('checks the root option on the command line', async () => {
    const manifest = refused({});
    await expect(batchCommand([manifest, '--root', join(base, 'missing')])).rejects.toThrow(new UsageError(`--root ${join(base, 'missing')}: no such folder (ENOENT); create it or give an existing one`));
    await expect(batchCommand([manifest, '--root', rootDir, '--confine'])).rejects.toThrow(new UsageError('give either --root DIR or --confine'));
    await expect(batchCommand(['--root', rootDir, '--queue', 'redis://127.0.0.1:1', '--status'])).rejects.toThrow(new UsageError('--root goes with a MANIFEST file'));
    await expect(workerCommand(['--queue', 'redis://127.0.0.1:1'])).rejects.toThrow(new UsageError('worker needs --root DIR'));
    await expect(workerCommand(['--queue', 'redis://127.0.0.1:1', '--root', join(base, 'missing')])).rejects.toThrow(/^--root .*missing: no such folder/);
  });

  it('the pool checks a plan against its root before writing: a journal that is a link out', async () => {
    const manifest = writeManifest('linked', { out: 'runs/linked', defaults, fits: [{ id: 'a' }] });
    const plan = planBatch(loadManifest(manifest, { root: rootDir }));
    mkdirSync(plan.out, { recursive: true });
    symlinkSync(join(outside, 'journal'), join(plan.out, 'batch-journal.ndjson'));
    await expect(runLocalBatch(plan, { root: rootDir })).rejects.toThrow(/linked\.json: out: the batch writes to .*batch-journal\.ndjson, outside the root .*: a symbolic link on the way leads out/);
    expect(readdirSync(plan.out)).toEqual(['batch-journal.ndjson']);
    expect(existsSync(join(outside, 'journal'))).toBe(false);
  });
});

const redisServer = findRedis();
if (!redisServer) process.stderr.write('batch.pathRoot.test.ts: queue test SKIPPED: redis-server is not installed (Debian package redis-server)\n');
const describeWithRedis = redisServer ? describe : describe.skip;

describeWithRedis('a queue worker with a root', () => {
  const redisDir = join(base, 'redis');
  mkdirSync(redisDir, { recursive: true });
  let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
  let target: QueueTarget;
  let queue: Queue<FitJobData, FitOutcome>;
  let worker: QueueWorkerHandle | undefined;
  const events: QueueWorkerEvent[] = [];

  beforeAll(async () => {
    redis = await startRedis(redisServer!, redisDir);
    target = { url: `redis://127.0.0.1:${redis.port}`, name: 'path-root' };
    queue = new Queue<FitJobData, FitOutcome>(target.name, { connection: { url: target.url } });
  }, 30_000);

  afterAll(async () => {
    await worker?.close(true);
    await queue?.close();
    redis?.child.kill('SIGKILL');
  });

  it('fails jobs whose paths leave its root with the named error, writes nothing outside, and goes on', async () => {
    // A job as someone else could submit it: a plan made under no root, then pointed outside.
    const plan = planBatch(loadManifest(writeManifest('queued', { out: 'runs/queued', defaults, fits: [{ id: 'a' }] })));
    const task = plan.tasks[0];
    const job = (out: string, patch: object): FitJobData => ({ format: JOB_FORMAT, batch: { id: plan.batchId, name: plan.name, out, manifest: plan.manifest }, task: { ...task, ...patch } });
    const before = tree(base);
    worker = await startQueueWorker(target, { root: rootDir, onEvent: (event) => events.push(event) });
    expect(events[0]).toMatchObject({ type: 'ready', root: rootDir });

    await queue.add('fit', job(plan.out, { out: `${rootDir}/runs/queued/../../../outside/a` }), { jobId: 'escape-out', attempts: 3 });
    await queue.add('fit', job(join(outside, 'batch'), {}), { jobId: 'escape-journal', attempts: 3 });
    await queue.add('fit', job(plan.out, { data: join(rootDir, 'out-link/secret.csv') }), { jobId: 'link-data', attempts: 3 });
    await until('three failed jobs', async () => (await queue.getJobCounts('failed')).failed === 3, 20_000);

    const failed = Object.fromEntries((await queue.getFailed()).map((j) => [j.id!, j] as const));
    const label = `job %s (batch "queued", manifest ${plan.manifest})`;
    expect(failed['escape-out'].failedReason).toBe(
      `${label.replace('%s', 'escape-out')}: fits[0].out: fit "a" writes to ${rootDir}/runs/queued/../../../outside/a, outside the root ${rootDir}: ".." leads out of the root (to ${join(outside, 'a')}); this worker runs only jobs under its root: submit batches whose data and outputs are there (mixwell batch --root ${rootDir}), or start the worker with a --root that holds them`,
    );
    expect(failed['escape-journal'].failedReason).toMatch(/^job escape-journal .*: out: the batch writes to .*outside\/batch, outside the root .*: an absolute path outside the root; /);
    expect(failed['link-data'].failedReason).toMatch(/^job link-data .*: fits\[0\]\.data: fit "a" reads .*out-link\/secret\.csv, outside the root .*: a symbolic link on the way leads out of the root/);
    // Not retried (bad input), and the worker is still up and idle.
    for (const j of Object.values(failed)) expect(j.attemptsMade).toBe(1);
    expect(events.filter((e) => e.type === 'failed').map((e) => e.type === 'failed' && e.retryable)).toEqual([false, false, false]);
    expect(events.some((e) => e.type === 'start')).toBe(false);
    expect(worker.active()).toBe(0);
    // Nothing outside was written; inside, only the journal lines of the two jobs refused for their fit's paths.
    expect(readdirSync(outside).sort()).toEqual(['secret.csv']);
    expect(added(base, before)).toEqual(['root/runs/queued', 'root/runs/queued/batch-journal.ndjson']);
  }, 60_000);
});
