/**
 * A private redis-server for the queue tests (Debian package `redis-server`; the tests skip with a
 * message when it is not installed): on a free loopback port, in a temporary directory, with no
 * persistence, and extra arguments (a password, ACL users, TLS). Also the mixwell CLI run from
 * source as a child process, with its output collected.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer, Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { pathToFileURL } from 'node:url';
import { until } from './processes.js';

export const root = resolve(import.meta.dirname, '../..');

export function findRedis(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** Whether a Redis server answers on the port (PONG, or NOAUTH when it wants a password); over TLS when `tls`. */
export function ping(port: number, tls = false): Promise<boolean> {
  return new Promise((resolvePing) => {
    const socket = tls ? tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false }) : new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolvePing(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    if (tls) socket.once('secureConnect', () => socket.write('PING\r\n'));
    else (socket as Socket).connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(/^(\+PONG|-NOAUTH)/.test(data.toString())));
  });
}

export { until };

/** Start redis-server on a free port in `dir` with extra arguments; resolves once it answers. */
export async function startRedis(redisServer: string, dir: string, extra: readonly string[] = [], options: { readonly tls?: boolean } = {}): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const portArgs = options.tls ? ['--port', '0', '--tls-port', String(port)] : ['--port', String(port)];
  const child = spawn(redisServer, [...portArgs, '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', ...extra], { stdio: 'ignore' });
  await until(`redis-server to answer on port ${port}`, () => child.exitCode === null && ping(port, options.tls), 20_000).catch((error: Error) => {
    child.kill('SIGKILL');
    throw error;
  });
  return { child, port };
}

export interface CliProcess {
  readonly child: ChildProcess;
  output: string;
  stdout: string;
  stderr: string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number>;
}

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Start a mixwell command from source (src/cli/commands/NAME.ts) through main(), in a child process. */
export function startCli(args: readonly string[]): CliProcess {
  const main = pathToFileURL(join(root, 'src/cli/main.ts')).href;
  const child = spawn(process.execPath, ['--import', tsx, '--input-type=module', '-e', `const m = await import(${JSON.stringify(main)}); process.exitCode = await m.main(process.argv.slice(1));`, '--', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const proc: CliProcess = {
    child,
    output: '',
    stdout: '',
    stderr: '',
    exited: new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit(code ?? (signal ? 128 : 1)))),
  };
  child.stdout!.on('data', (chunk: Buffer) => ((proc.stdout += chunk.toString()), (proc.output += chunk.toString())));
  child.stderr!.on('data', (chunk: Buffer) => ((proc.stderr += chunk.toString()), (proc.output += chunk.toString())));
  return proc;
}

/** Run a mixwell command to the end (killed after `timeoutMs`). */
export async function runCli(args: readonly string[], timeoutMs = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
  const proc = startCli(args);
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), timeoutMs);
  const code = await proc.exited;
  clearTimeout(timer);
  await new Promise((r) => setImmediate(r));
  return { code, stdout: proc.stdout, stderr: proc.stderr };
}
