/**
 * Queue URLs (`--queue redis://[user:password@]host:port[/db]` or `rediss://...` for TLS): the one
 * place they are parsed into ioredis connection options and redacted for display. The URL is
 * parsed with the WHATWG URL parser and the user, password, database and TLS setting are passed to
 * ioredis explicitly (not the URL string), so what is checked here is what connects. A URL that
 * is shown anywhere (messages, worker log lines, errors, batch.json) goes through `redactUrl`
 * first: the password becomes `***` (`redis://alice:***@host:6379`); the user name stays, as it
 * helps tell an ACL mistake from a password one. Query parameters are not supported (ioredis
 * would read them as connection options); rejected rather than silently ignored.
 */
import type { RedisOptions } from 'ioredis';

/** TLS settings for a rediss:// URL. */
export interface QueueTls {
  /** CA bundle (PEM text) that signs the server's certificate, instead of the system's CAs. */
  readonly ca?: string;
  /** Accept any server certificate (self-signed test servers only). */
  readonly insecure?: boolean;
}

/** The URL with any password replaced by `***`; also for text that is not a valid URL. */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    // Not a URL: hide whatever sits between "user:" and "@" after the scheme.
    return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
  }
}

/** Replace every occurrence of the URL's password in a message (an error from a lower layer). */
export function redactIn(message: string, text: string): string {
  let out = message.split(text).join(redactUrl(text));
  try {
    const url = new URL(text);
    for (const secret of new Set([url.password, url.password ? decodeURIComponent(url.password) : ''])) if (secret.length >= 3) out = out.split(secret).join('***');
  } catch {
    // not a URL: nothing more to hide
  }
  return out;
}

/** Check a queue URL (redis:// or rediss://, a host); messages show it redacted. */
export function parseQueueUrl(text: string, option = '--queue'): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${option}: not a URL: ${JSON.stringify(redactUrl(text))} (expected redis://[USER:PASSWORD@]HOST:PORT[/DB])`);
  }
  const shown = JSON.stringify(redactUrl(text));
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new Error(`${option}: expected redis://HOST:PORT or rediss://HOST:PORT, got ${shown}`);
  if (!url.hostname) throw new Error(`${option}: no host in ${shown}`);
  if (url.search) throw new Error(`${option}: query parameters are not supported in ${shown}`);
  if (url.pathname && url.pathname !== '/' && !/^\/\d+$/.test(url.pathname)) throw new Error(`${option}: the path of ${shown} must be a database number (/0, /1, ...)`);
  return text;
}

/** ioredis options from a queue URL (checked by parseQueueUrl) and the TLS settings. */
export function redisOptions(text: string, tls: QueueTls = {}): RedisOptions {
  const url = new URL(parseQueueUrl(text));
  const options: RedisOptions = {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : 6379,
  };
  // redis://:password@host (requirepass) has no user name; ioredis then sends AUTH password.
  if (url.username) options.username = decodeURIComponent(url.username);
  if (url.password) options.password = decodeURIComponent(url.password);
  if (url.pathname.length > 1) options.db = Number(url.pathname.slice(1));
  if (url.protocol === 'rediss:') {
    options.tls = { ...(tls.ca !== undefined ? { ca: tls.ca } : {}), ...(tls.insecure ? { rejectUnauthorized: false } : {}) };
  } else if (tls.ca !== undefined || tls.insecure) {
    throw new Error(`--tls-ca and --tls-insecure need a rediss:// URL, got ${JSON.stringify(redactUrl(text))}`);
  }
  return options;
}

/** A connection error (ioredis's message) in words, with the URL redacted. */
export function describeConnectionError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const shown = redactUrl(text).replace(/\/$/, '');
  if (/NOAUTH/.test(message) && !new URL(text).password) return `authentication required by ${shown}: give the user and password in the URL (redis://USER:PASSWORD@HOST:PORT)`;
  if (/WRONGPASS|NOAUTH|invalid password|invalid username-password|ERR AUTH/i.test(message)) return `authentication failed for ${shown}: check the user and password`;
  if (/NOPERM/i.test(message)) return `the user of ${shown} lacks a permission the queue needs (${redactIn(message, text)}): check its ACL`;
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|timeout|Connection is closed|max retries/i.test(message)) return `cannot reach Redis at ${shown} (${redactIn(message, text)})`;
  if (/certificate|SSL|TLS|self.signed|wrong version number|EPROTO/i.test(message)) return `TLS connection to ${shown} failed (${redactIn(message, text)}): check --tls-ca (or --tls-insecure for a test server)`;
  return `Redis at ${shown}: ${redactIn(message, text)}`;
}
