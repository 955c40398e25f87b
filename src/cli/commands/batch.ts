/**
 * `mixwell batch MANIFEST`: run a batch manifest (src/batch/manifest.ts) on this machine with a
 * pool of fit worker processes, or on a BullMQ/Redis queue (`--queue redis://HOST:PORT`, worked by
 * `mixwell worker`); `--status` shows a queued batch's progress, `--stability` writes the
 * rolling-window stability reports from the outputs. Rerunning a manifest skips fits whose output
 * is complete. Progress goes to stderr; the per-fit table and stability reports to stdout.
 * `--root DIR` (or `--confine`: the manifest's folder) refuses a manifest with a path outside that
 * folder before anything is read (src/batch/pathRoot.ts); without either, paths are not confined,
 * as before: the user runs their own manifest with their own rights. Queue workers check jobs
 * against their own --root whatever the submitter gave. Options: ../tables/batch.ts.
 */
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { batchFilePath, type BatchRecord } from '../../batch/batchRecord.js';
import { loadManifest } from '../../batch/manifest.js';
import { formatHealth, formatRoi } from '../../batch/outcome.js';
import { openRoot } from '../../batch/pathRoot.js';
import { planBatch, type BatchPlan } from '../../batch/plan.js';
import { runLocalBatch } from '../../batch/pool.js';
import { createProgressView } from '../../batch/progressView.js';
import { checkConnection, displayUrl, enqueueBatch, queueCounts, queueStatus, waitForBatch } from '../../batch/queue.js';
import { parseCommand, UsageError } from '../args.js';
import { queueArguments, queueTarget } from '../queueTarget.js';
import { BATCH } from '../tables/batch.js';

/** The per-fit table printed at the end (and by --status). */
export function formatBatchTable(record: BatchRecord): string {
  const rows = record.fits.map((fit) => {
    const error = fit.errors.length ? fit.errors[fit.errors.length - 1].message.split('\n').slice(0, 2).join(' ') : '';
    const detail = fit.roi?.length ? `ROI ${formatRoi(fit.roi)}` : fit.status === 'failed' ? error : fit.status === 'running' && fit.progress ? `${Math.floor(100 * fit.progress.fraction)}% ${fit.progress.phase}${fit.note ? ` ${fit.note}` : ''}` : (fit.note ?? '');
    return [fit.id, fit.status, String(fit.attempts), fit.seconds ? fit.seconds.total.toFixed(1) : '', fit.health ? formatHealth(fit.health) : '', detail];
  });
  const header = ['fit', 'status', 'attempts', 'seconds', 'health', 'ROI median [90% CI] / note'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => (c === 2 || c === 3 ? cell.padStart(widths[c]) : c === cells.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ');
  const counts = Object.entries(record.counts).filter(([, n]) => n > 0).map(([status, n]) => `${status} ${n}`).join(', ');
  return [`Batch "${record.name}" (${record.mode}${record.queue ? ` ${record.queue.url} queue "${record.queue.name}"` : ''}): ${record.fits.length} fits: ${counts}; ${record.seconds.toFixed(1)} s`, '', line(header), ...rows.map(line), '', `batch record: ${batchFilePath(record.out)}`].join('\n');
}

async function writeStability(plan: BatchPlan, onlyIfComplete: boolean): Promise<void> {
  if (!plan.tasks.some((t) => t.series)) {
    if (!onlyIfComplete) process.stdout.write('no rolling-window or backtest series in this manifest\n');
    return;
  }
  const { stabilityReports } = await import('../../batch/stabilityReport.js');
  for (const report of await stabilityReports(plan)) {
    if (onlyIfComplete && report.series.windows.length < 2) continue;
    process.stdout.write(`\n${report.text}`);
    if (report.files.length) process.stdout.write(`wrote ${report.files.length} files to ${report.files[0].replace(/[/\\][^/\\]+$/, '')}\n`);
  }
}

function failIfFailed(record: BatchRecord): void {
  const failed = record.counts.failed;
  if (failed > 0) throw new Error(`${failed} of ${record.fits.length} fits failed (see ${batchFilePath(record.out)})`);
}

export async function run(argv: readonly string[]): Promise<void> {
  // --status and --wait go with --queue, and not together: the table's rules
  const { options, positionals } = parseCommand(BATCH, argv);
  const manifestPath = positionals[0];
  const target = queueTarget({ queue: options.queue, 'queue-name': options['queue-name'], 'queue-prefix': options['queue-prefix'], 'tls-ca': options['tls-ca'], 'tls-insecure': options['tls-insecure'] });

  if (!manifestPath && (options.root !== undefined || options.confine)) throw new UsageError(`--${options.confine ? 'confine' : 'root'} goes with a MANIFEST file`);
  if (options.status && !manifestPath) {
    await checkConnection(target!);
    const counts = await queueCounts(target!);
    process.stdout.write(`queue "${target!.name}"${target!.prefix !== undefined ? ` (prefix ${target!.prefix})` : ''} at ${displayUrl(target!.url)}: ${Object.entries(counts).map(([state, n]) => `${state} ${n}`).join(', ')}\n`);
    return;
  }
  if (!manifestPath) throw new UsageError('batch needs a MANIFEST file');
  const root = options.root ?? (options.confine ? dirname(resolve(manifestPath)) : undefined);
  if (root !== undefined) {
    try {
      openRoot(root, options.confine ? "--confine (the manifest's folder)" : '--root');
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const plan = planBatch(loadManifest(manifestPath, { out: options.out, root }));
  const retries = options.retries;

  if (options.stability) {
    await writeStability(plan, false);
    return;
  }

  if (target) {
    await checkConnection(target);
    if (options.status) {
      const record = await queueStatus(plan, target);
      process.stdout.write(formatBatchTable(record) + '\n');
      return;
    }
    const enqueued = await enqueueBatch(plan, target, { force: options.force === true, retries });
    process.stderr.write(
      `mixwell: batch "${plan.name}": ${enqueued.added} fits added to queue "${target.name}"${target.prefix !== undefined ? ` (prefix ${target.prefix})` : ''} at ${displayUrl(target.url)}, ${enqueued.alreadyQueued} already queued, ${enqueued.skipped} complete\n`,
    );
    if (!options.wait) {
      process.stderr.write(`mixwell: run \`mixwell worker ${queueArguments(target, displayUrl(target.url))} --root ${root === undefined ? 'DIR' : resolve(root)}\` on any machines that see ${plan.out}${root === undefined ? ' (DIR: a folder holding the data and outputs)' : ''}; follow with \`mixwell batch ${manifestPath} --queue ... --status\`\n`);
      return;
    }
    const view = createProgressView(process.stderr);
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    try {
      const record = await waitForBatch(plan, target, { onEvent: (event) => view.handle(event), signal: controller.signal });
      view.close();
      process.stdout.write(formatBatchTable(record) + '\n');
      await writeStability(plan, true);
      failIfFailed(record);
    } finally {
      process.off('SIGINT', stop);
    }
    return;
  }

  const workers = options.workers ?? availableParallelism();
  const view = createProgressView(process.stderr);
  const controller = new AbortController();
  const stop = () => {
    process.stderr.write('\nmixwell: stopping the batch (running fits are killed and redone next time)\n');
    controller.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const record = await runLocalBatch(plan, {
      concurrency: workers,
      retries,
      fitsPerWorker: options['fits-per-worker'],
      ...(options['checkpoint-every'] !== undefined ? { checkpointSeconds: options['checkpoint-every'] } : {}),
      force: options.force === true,
      root,
      signal: controller.signal,
      onEvent: (event) => view.handle(event),
    });
    view.close();
    process.stdout.write(formatBatchTable(record) + '\n');
    if (controller.signal.aborted) throw new Error(`batch stopped; rerun \`mixwell batch ${manifestPath}\` to resume`);
    await writeStability(plan, true);
    failIfFailed(record);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
