/**
 * A batch fit killed mid-sampling is retried from its checkpoint (src/batch/runFit.ts): the local
 * pool runs one fit (national example, 2 chains, 150 warmup, 500 draws) checkpointing every 0.2 s;
 * its fit process is killed (SIGKILL) once the checkpoint shows sampling (500 draws: long enough for a few
 * checkpoints on an idle machine); the retry continues from
 * the checkpoint (its outcome says from where), writes the draws of an uninterrupted fit of the
 * same task byte for byte, and removes the checkpoint at the commit.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifest } from '../src/batch/manifest.js';
import { planBatch } from '../src/batch/plan.js';
import { runLocalBatch, type BatchEvent } from '../src/batch/pool.js';
import { checkpointPath } from '../src/batch/runFit.js';
import { readCheckpointHeader } from '../src/inference/checkpointFile.js';

const root = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'mixwell-batch-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function manifest(name: string): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      out: name,
      defaults: { data: join(root, 'examples/national.csv'), config: join(root, 'examples/national.config.json'), options: { chains: 2, warmup: 150, draws: 500, seed: 31 }, retries: 1 },
      fits: [{ id: 'national' }],
    }),
  );
  return file;
}

const progress = (file: string) => readCheckpointHeader(file)?.progress as string | undefined;

describe('batch fits resume from their checkpoints', () => {
  it('a fit process killed in sampling is retried from its checkpoint and writes the draws of an uninterrupted fit', async () => {
    const killedPlan = planBatch(loadManifest(manifest('killed')));
    const referencePlan = planBatch(loadManifest(manifest('reference')));
    const task = killedPlan.tasks[0];
    const checkpoint = checkpointPath(task.out);
    let killed = false;
    const onEvent = (event: BatchEvent) => {
      if (event.type !== 'start' || event.attempt !== 1) return;
      const timer = setInterval(() => {
        if (!/chain 0 sampling ([5-9]|\d\d)/.test(progress(checkpoint) ?? '')) return;
        clearInterval(timer);
        process.kill(event.pid, 'SIGKILL');
        killed = true;
      }, 50);
    };
    const [record, reference] = await Promise.all([
      runLocalBatch(killedPlan, { concurrency: 1, checkpointSeconds: 0.2, onEvent }),
      runLocalBatch(referencePlan, { concurrency: 1, checkpointSeconds: 0.2 }),
    ]);
    expect(killed).toBe(true);
    const fit = record.fits[0];
    expect(fit.status, JSON.stringify(fit.errors)).toBe('done');
    expect(fit.attempts).toBe(2);
    expect(fit.worker?.resumedFrom).toMatch(/^main: stage 0, chain 0 sampling \d+/);
    expect(reference.fits[0].status).toBe('done');
    expect(reference.fits[0].worker?.resumedFrom).toBeUndefined();
    const draws = (plan: typeof killedPlan) => readFileSync(join(plan.tasks[0].out, 'draws.arrow'));
    expect(draws(killedPlan).equals(draws(referencePlan))).toBe(true);
    expect(existsSync(checkpoint)).toBe(false);
  }, 240_000);
});
