/**
 * The queue target of `mixwell batch --queue` and `mixwell worker` from their shared options
 * (tables/queue.ts): the URL (checked; shown redacted, src/batch/redisUrl.ts), queue name, key
 * prefix and TLS settings (the --tls-ca file is read here).
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_QUEUE_NAME, parseQueueUrl, type QueueTarget } from '../batch/queue.js';
import { redisOptions } from '../batch/redisUrl.js';
import { UsageError } from './args.js';

export interface QueueTargetOptions {
  readonly queue?: string;
  readonly 'queue-name'?: string;
  readonly 'queue-prefix'?: string;
  readonly 'tls-ca'?: string;
  readonly 'tls-insecure'?: boolean;
}

export function queueTarget(options: QueueTargetOptions): QueueTarget | undefined {
  if (options.queue === undefined) {
    // Not a table rule: it would nest these options inside --queue's brackets in the usage line, too long to wrap.
    const stray = (['queue-prefix', 'tls-ca', 'tls-insecure'] as const).filter((name) => options[name] !== undefined);
    if (stray.length) throw new UsageError(`${stray.map((name) => `--${name}`).join(', ')} need${stray.length === 1 ? 's' : ''} --queue redis://HOST:PORT`);
    return undefined;
  }
  let url: string;
  try {
    url = parseQueueUrl(options.queue);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const prefix = options['queue-prefix'];
  if (prefix !== undefined && !/^[A-Za-z0-9._-]+$/.test(prefix)) throw new UsageError(`--queue-prefix: letters, digits, ".", "_" and "-" only, got ${JSON.stringify(prefix)}`);
  const tls = { ...(options['tls-ca'] !== undefined ? { ca: readFileSync(options['tls-ca'], 'utf8') } : {}), ...(options['tls-insecure'] ? { insecure: true } : {}) };
  try {
    redisOptions(url, tls);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return { url, name: options['queue-name'] ?? DEFAULT_QUEUE_NAME, ...(prefix !== undefined ? { prefix } : {}), ...(Object.keys(tls).length ? { tls } : {}) };
}

/** The options that name this target again (for a hint to run a worker), with the URL redacted. */
export function queueArguments(target: QueueTarget, shownUrl: string): string {
  return [`--queue ${shownUrl}`, target.name !== DEFAULT_QUEUE_NAME ? `--queue-name ${target.name}` : '', target.prefix !== undefined ? `--queue-prefix ${target.prefix}` : '', target.tls?.insecure ? '--tls-insecure' : '', target.tls?.ca !== undefined ? '--tls-ca FILE' : ''].filter(Boolean).join(' ');
}
