/** `mixwell batch`: its option table (spec.ts; parsed by src/cli/commands/batch.ts). */
import type { CommandSpec } from './spec.js';
import { QUEUE, QUEUE_NAME, QUEUE_PREFIX, TLS_CA, TLS_INSECURE } from './queue.js';

export const BATCH = {
  name: 'batch',
  summary: "Run a batch manifest's fits on a local pool or a Redis queue.",
  description:
    'Run a batch manifest (many fits: brands, model variants, rolling windows, backtests) on this ' +
    'machine with a pool of fit worker processes, or enqueue it on a BullMQ/Redis queue worked by ' +
    'mixwell worker. Rerunning a manifest skips fits whose output is complete. Progress goes to ' +
    'stderr; the per-fit table and the rolling-window stability reports to stdout. Exits 1 when a ' +
    'fit failed.',
  positionals: [
    {
      name: 'MANIFEST',
      description: "The batch manifest (JSON); not needed for the queue's job counts (--queue ... --status).",
      count: 'optional',
      missing: 'batch needs a MANIFEST file',
    },
  ],
  options: [
    {
      name: 'out',
      kind: 'string',
      placeholder: 'DIR',
      description: 'The batch directory (batch.json, journal, stability/, default fit outputs), instead of the manifest\'s "out".',
      default: 'the manifest\'s "out", relative to the manifest',
    },
    {
      name: 'root',
      kind: 'string',
      placeholder: 'DIR',
      description:
        "Refuse the batch if any path in it (data, config files, the batch directory, fit outputs; symbolic links followed) leaves this folder, before anything is read. For a queue it checks the batch before enqueueing; the workers check again against their own --root.",
      default: 'none (paths may go anywhere)',
    },
    {
      name: 'confine',
      kind: 'flag',
      description: "The same as --root with the manifest's folder.",
      default: 'off',
    },
    {
      name: 'workers',
      kind: 'integer',
      placeholder: 'N',
      min: 1,
      description: 'Fit worker processes running at once (local pool).',
      default: 'one per core, at most one per fit',
    },
    {
      name: 'retries',
      kind: 'integer',
      placeholder: 'N',
      min: 0,
      description: 'Retries of every fit after a crash, a killed worker or a timeout (bad input is never retried).',
      default: 'each fit\'s "retries" in the manifest, else 2',
    },
    {
      name: 'fits-per-worker',
      kind: 'integer',
      placeholder: 'N',
      min: 1,
      description: 'Fits a worker process runs before it is replaced (local pool).',
      default: '1 (a fresh process per fit)',
    },
    {
      name: 'checkpoint-every',
      kind: 'number',
      placeholder: 'SECONDS',
      min: 0.05,
      description: 'Each fit writes a checkpoint beside its output (<out>.checkpoint) at most this often while sampling; a retried or rerun fit continues from it.',
      default: '60',
    },
    {
      name: 'force',
      kind: 'flag',
      description: 'Redo the fits whose output is complete.',
      default: 'off (complete fits are skipped)',
    },
    {
      name: 'stability',
      kind: 'flag',
      description: 'Only (re)write the rolling-window stability reports from the outputs; run no fit.',
      default: 'off',
    },
    {
      ...QUEUE,
      description: 'Enqueue the fits on this BullMQ/Redis queue instead of running them here; mixwell worker runs them. redis://[USER:PASSWORD@]HOST:PORT[/DB], or rediss://... for TLS; the password is shown as *** everywhere.',
      default: 'none (a local process pool)',
    },
    {
      name: 'wait',
      kind: 'flag',
      description: 'After enqueueing, follow the batch until every fit is done, then print the table.',
      default: 'off (enqueue and return)',
    },
    {
      name: 'status',
      kind: 'flag',
      description: "Print the per-fit table of a queued batch and write batch.json; without MANIFEST, the queue's job counts.",
      default: 'off',
    },
    QUEUE_NAME,
    QUEUE_PREFIX,
    TLS_CA,
    TLS_INSECURE,
  ],
  rules: [
    { options: ['status', 'wait'], requires: 'queue', message: '--status and --wait need --queue redis://HOST:PORT' },
    { oneOf: ['wait', 'status'], message: 'give either --status or --wait' },
    { oneOf: ['root', 'confine'], message: 'give either --root DIR or --confine' },
  ],
} as const satisfies CommandSpec;
