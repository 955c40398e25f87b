/** `mixwell worker`: its option table (spec.ts; parsed by src/cli/commands/worker.ts). */
import type { CommandSpec } from './spec.js';
import { QUEUE, QUEUE_NAME, QUEUE_PREFIX, TLS_CA, TLS_INSECURE } from './queue.js';

export const WORKER = {
  name: 'worker',
  summary: 'Run fit jobs from a Redis queue filled by mixwell batch --queue.',
  description:
    'Take fit jobs from a BullMQ/Redis queue filled by mixwell batch MANIFEST --queue ... and run ' +
    'them, each in a fresh fit process, until stopped (SIGTERM or Ctrl-C: finish the running fits, ' +
    'then exit; a second signal stops them, and their jobs go back to the queue) or, with ' +
    '--idle-exit, after that many seconds without work. One line per event on stdout. The fits\' ' +
    'outputs go to the paths in the jobs: the same storage on every machine. The worker reads and ' +
    'writes only under --root: a job whose data, batch directory or output folder leaves it ' +
    '(.., an absolute path elsewhere, a symbolic link out) fails at once, naming the job, the key ' +
    'and the root, and the worker goes on.',
  positionals: [],
  options: [
    { ...QUEUE, required: true },
    {
      name: 'root',
      kind: 'string',
      placeholder: 'DIR',
      required: true,
      description:
        "The folder the jobs' data, batch directories and outputs must be in (symbolic links followed); jobs with a path outside fail, not retried. Required: anyone who can add jobs chooses their paths, and the working directory of a service is often /. --root / allows any path.",
    },
    QUEUE_NAME,
    QUEUE_PREFIX,
    TLS_CA,
    TLS_INSECURE,
    {
      name: 'concurrency',
      kind: 'integer',
      placeholder: 'N',
      min: 1,
      description: 'Fits this worker runs at once.',
      default: '1',
    },
    {
      name: 'idle-exit',
      kind: 'integer',
      placeholder: 'SECONDS',
      min: 1,
      description: 'Exit after this many seconds without a running fit.',
      default: 'none (run until stopped)',
    },
    {
      name: 'lock-ms',
      kind: 'integer',
      placeholder: 'MS',
      min: 100,
      description: "How long a job's lock lasts without renewal (milliseconds); a dead worker's jobs are requeued after it.",
      default: '30000',
    },
    {
      name: 'stalled-ms',
      kind: 'integer',
      placeholder: 'MS',
      min: 100,
      description: 'How often this worker looks for stalled jobs to requeue (milliseconds).',
      default: '30000',
    },
    {
      name: 'max-stalled',
      kind: 'integer',
      placeholder: 'N',
      min: 0,
      description: 'How many times a job may stall (its worker died) before it fails.',
      default: '2',
    },
    {
      name: 'checkpoint-every',
      kind: 'number',
      placeholder: 'SECONDS',
      min: 0.05,
      description: 'Each fit writes a checkpoint beside its output (<out>.checkpoint) at most this often while sampling; a job retried here or by another worker on the same file system continues from it.',
      default: '60',
    },
  ],
  rules: [],
} as const satisfies CommandSpec;
