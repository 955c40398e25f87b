/** The queue options `batch` and `worker` share (src/batch/queue.ts). Import-free (spec.ts). */

export const QUEUE = {
  name: 'queue',
  kind: 'string',
  placeholder: 'redis://HOST:PORT',
  description: 'The Redis server of the BullMQ queue.',
} as const;

export const QUEUE_NAME = {
  name: 'queue-name',
  kind: 'string',
  placeholder: 'NAME',
  description: 'The name of the queue on that server (with --queue).',
  default: 'mixwell',
} as const;
