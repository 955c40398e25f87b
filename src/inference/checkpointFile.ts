/**
 * The checkpoint file: one line of JSON (what the checkpoint is for, readable with `head -1`), then
 * the state in Node's structured serialization (node:v8 serialize: typed arrays, NaN, infinities and
 * -0 kept exactly, which a resumed run needs to be bit-identical). Written atomically: to a
 * temporary file beside it, flushed to disk (fsync), renamed over the old one, and the folder
 * flushed, so that a kill at any moment leaves either the previous checkpoint or the new one, never
 * half of one.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { deserialize, serialize } from 'node:v8';

/** The first line's `format`; a file of another format is refused. */
export const CHECKPOINT_FORMAT = 'mixwell-checkpoint/1';

export interface CheckpointHeader {
  readonly format: string;
  readonly [key: string]: unknown;
}

/** A checkpoint file that cannot be read (not one, damaged, another format): names the file. */
export class CheckpointFileError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'CheckpointFileError';
  }
}

/** Write `header` and `state` to `file` atomically (module comment); creates the folder. */
export function writeCheckpointFile(file: string, header: Record<string, unknown>, state: unknown): void {
  const folder = dirname(file);
  mkdirSync(folder, { recursive: true });
  const head = Buffer.from(`${JSON.stringify({ format: CHECKPOINT_FORMAT, ...header })}\n`, 'utf8');
  const body = serialize(state);
  const temporary = join(folder, `.${basename(file)}.${process.pid}.tmp`);
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, head);
    writeSync(fd, body);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
  try {
    const dir = openSync(folder, 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // some file systems cannot fsync a folder; the rename is still atomic
  }
}

/** Read a checkpoint file: its header and state. */
export function readCheckpointFile<T>(file: string): { header: CheckpointHeader; state: T } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw unreadable(file, error);
  }
  const newline = bytes.indexOf(0x0a);
  const header = parseHeader(file, bytes, newline);
  try {
    return { header, state: deserialize(bytes.subarray(newline + 1)) as T };
  } catch (error) {
    throw new CheckpointFileError(file, `the checkpoint's state is damaged (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Only the first line of a checkpoint file (what it is for and how far it got), without its state; undefined when there is no file. */
export function readCheckpointHeader(file: string): CheckpointHeader | undefined {
  if (!existsSync(file)) return undefined;
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw unreadable(file, error);
  }
  try {
    const chunks: Buffer[] = [];
    for (let position = 0; ; ) {
      const chunk = Buffer.alloc(4096);
      const n = readSync(fd, chunk, 0, chunk.length, position);
      const newline = chunk.subarray(0, n).indexOf(0x0a);
      chunks.push(chunk.subarray(0, newline < 0 ? n : newline + 1));
      position += n;
      if (newline >= 0 || n === 0) break;
    }
    const bytes = Buffer.concat(chunks);
    return parseHeader(file, bytes, bytes.indexOf(0x0a));
  } finally {
    closeSync(fd);
  }
}

/** The header line of `bytes` (which ends at `newline`, or -1 when it has none), checked to be this format's. */
function parseHeader(file: string, bytes: Buffer, newline: number): CheckpointHeader {
  let header: CheckpointHeader;
  try {
    header = JSON.parse(bytes.subarray(0, newline < 0 ? bytes.length : newline).toString('utf8')) as CheckpointHeader;
  } catch {
    header = { format: '' };
  }
  if (newline < 0 || typeof header !== 'object' || header === null || header.format !== CHECKPOINT_FORMAT) {
    const found = typeof header?.format === 'string' && header.format !== '' ? `format "${header.format}"` : 'not a Mixwell checkpoint';
    throw new CheckpointFileError(file, `${found}; this Mixwell reads ${CHECKPOINT_FORMAT}`);
  }
  return header;
}

function unreadable(file: string, error: unknown): CheckpointFileError {
  const code = (error as NodeJS.ErrnoException).code;
  return new CheckpointFileError(file, code === 'ENOENT' ? 'no such checkpoint file' : `cannot be read (${code ?? String(error)})`);
}

/** Remove a checkpoint file (none there is fine). */
export function removeCheckpointFile(file: string): void {
  rmSync(file, { force: true });
}
