/**
 * `mixwell worker --queue redis://HOST:PORT`: take fit jobs from a BullMQ/Redis queue filled by
 * `mixwell batch MANIFEST --queue ...` and run them (src/batch/queueWorker.ts), until stopped
 * (SIGTERM / Ctrl-C: finish the running fits, then exit; a second signal kills them, and their
 * jobs go back to the queue for other workers) or, with --idle-exit, after that many seconds
 * without work. One line per event on stdout. --root is required: the worker reads and writes
 * only under it and fails jobs whose paths leave it (src/batch/pathRoot.ts). Options:
 * ../tables/worker.ts.
 */
import { displayUrl } from '../../batch/queue.js';
import { startQueueWorker, type QueueWorkerEvent } from '../../batch/queueWorker.js';
import { openRoot } from '../../batch/pathRoot.js';
import { parseCommand, UsageError } from '../args.js';
import { queueTarget } from '../queueTarget.js';
import { WORKER } from '../tables/worker.js';

function describe(event: QueueWorkerEvent): string {
  switch (event.type) {
    case 'ready':
      return `worker ${event.worker} ready, confined to ${event.root}`;
    case 'start':
      return `start ${event.fit} (job ${event.jobId}, attempt ${event.attempt}, process ${event.pid})`;
    case 'done':
      return `done ${event.fit} in ${event.seconds.toFixed(1)} s (job ${event.jobId})`;
    case 'failed':
      return `failed ${event.fit} (job ${event.jobId}${event.retryable ? '' : ', bad input: not retried'}): ${event.message.split('\n').join(' | ')}`;
    case 'stalled':
      return `stalled job ${event.jobId}: its worker stopped renewing the lock; back in the queue`;
    case 'error':
      return `error: ${event.message}`;
    case 'closed':
      return `worker ${event.worker} closed`;
    case 'chain':
      return event.line;
  }
}

export async function run(argv: readonly string[]): Promise<void> {
  const { options } = parseCommand(WORKER, argv);
  const target = queueTarget({ queue: options.queue, 'queue-name': options['queue-name'], 'queue-prefix': options['queue-prefix'], 'tls-ca': options['tls-ca'], 'tls-insecure': options['tls-insecure'] })!;
  try {
    openRoot(options.root, '--root');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const idleExit = options['idle-exit'];
  const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  let lastBusy = Date.now();
  const worker = await startQueueWorker(target, {
    root: options.root,
    concurrency: options.concurrency,
    lockDurationMs: options['lock-ms'],
    stalledIntervalMs: options['stalled-ms'],
    maxStalledCount: options['max-stalled'],
    ...(options['checkpoint-every'] !== undefined ? { checkpointSeconds: options['checkpoint-every'] } : {}),
    onEvent: (event) => {
      if (event.type === 'start' || event.type === 'done' || event.type === 'failed' || event.type === 'chain') lastBusy = Date.now();
      log(describe(event));
    },
  });
  log(`worker ${worker.id} on queue "${target.name}"${target.prefix !== undefined ? ` (prefix ${target.prefix})` : ''} at ${displayUrl(target.url)}${idleExit ? `, exits after ${idleExit} s idle` : ''}`);

  await new Promise<void>((resolve) => {
    let closing = false;
    let idleTimer: NodeJS.Timeout | undefined;
    const done = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve();
    };
    const close = (force: boolean) => {
      if (idleTimer) clearInterval(idleTimer);
      worker.close(force).then(done, (error: Error) => {
        log(`error while closing: ${error.message}`);
        done();
      });
    };
    const onSignal = (signal: NodeJS.Signals) => {
      if (!closing) {
        closing = true;
        log(`${signal}: finishing ${worker.active()} running fit(s), then exiting (send it again to stop now)`);
        close(false);
      } else {
        log(`${signal}: stopping now; running fits go back to the queue`);
        close(true);
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    if (idleExit) {
      idleTimer = setInterval(() => {
        if (worker.active() > 0) lastBusy = Date.now();
        else if (!closing && Date.now() - lastBusy > idleExit * 1000) {
          closing = true;
          log(`idle for ${idleExit} s: exiting`);
          close(false);
        }
      }, 500);
    }
  });
}
