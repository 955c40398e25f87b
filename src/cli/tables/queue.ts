/** The queue options `batch` and `worker` share (src/batch/queue.ts). Import-free (spec.ts). */

export const QUEUE = {
  name: 'queue',
  kind: 'string',
  placeholder: 'redis://HOST:PORT',
  description: 'The Redis server of the BullMQ queue: redis://[USER:PASSWORD@]HOST:PORT[/DB], or rediss://... for TLS; the password is shown as *** everywhere.',
} as const;

export const QUEUE_NAME = {
  name: 'queue-name',
  kind: 'string',
  placeholder: 'NAME',
  description: 'The name of the queue on that server (with --queue).',
  default: 'mixwell',
} as const;

export const QUEUE_PREFIX = {
  name: 'queue-prefix',
  kind: 'string',
  placeholder: 'PREFIX',
  description: "The key prefix of the queue on that server (BullMQ's prefix): teams sharing a Redis use different prefixes and never see each other's jobs.",
  default: 'bull',
} as const;

export const TLS_CA = {
  name: 'tls-ca',
  kind: 'string',
  placeholder: 'FILE',
  description: "The CA bundle (PEM) that signed the server's certificate (with a rediss:// queue).",
  default: "the system's CAs",
} as const;

export const TLS_INSECURE = {
  name: 'tls-insecure',
  kind: 'flag',
  description: "Accept any server certificate (rediss://; self-signed test servers only).",
  default: 'off (the certificate is checked)',
} as const;
