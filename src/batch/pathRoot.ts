/**
 * The path root of a batch: the folder every file a batch reads (data, config files) or writes
 * (the batch directory, its journal, each fit's output folder) must stay in. Jobs on a shared
 * queue carry file paths that a worker then reads and writes, so a job submitted by someone else
 * must not make a worker read or write outside its root; a local batch can be held to a root too.
 *
 * A path is resolved the way the kernel would: component by component from `/`, every symbolic
 * link on the way followed (also one whose target does not exist yet), `..` taken after the links
 * before it; from the first component that does not exist on, the rest is appended as written, so
 * a folder that is yet to be created is judged by its nearest existing ancestor. The result (the
 * real path) must be the root's real path or inside it: `..` escapes, absolute paths elsewhere and
 * links that lead out are refused, links that stay inside are fine. A fit's output folder must be
 * strictly inside the root (it is removed and replaced as a whole, and its partial sibling is
 * written next to it). The errors are ConfigErrors naming the manifest or the job, the key
 * (`fits[2].out`), the fit id and the root, and say what to do; they are never retried.
 *
 * Who checks what: the manifest parser (manifest.ts, `root` option) before anything is read, so a
 * local batch or a submitter with `--root` stops before planning; the local pool (pool.ts) again
 * before it writes (a plan built by hand, a journal that is a link); a queue worker
 * (queueWorker.ts) every job before it runs it, and it runs the job with the real paths it checked.
 *
 * Defaults: a queue worker has no default root, it must be given one (`mixwell worker --root`;
 * `/` allows anything), since the working directory of a service is often `/` and a silent default
 * would confine nothing. A local batch is not confined unless asked (`mixwell batch --root DIR`, or
 * `--confine` for the manifest's folder): the manifest is the user's own and runs with their
 * rights, and manifests that read shared data next to their folder (`../data/all.csv`) are common.
 *
 * Limits: the root is the whole defence only as far as nobody swaps a checked folder for a link
 * while the fit runs (a check-then-use race that needs write access inside the root); files the
 * batch creates inside a checked folder (batch.json's temporary file, the run files) are not each
 * checked for a link planted in advance, except the journal, which is appended to; POSIX paths.
 */
import { lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { ConfigError } from '../config/index.js';
import type { FitTask } from './plan.js';
import { JOURNAL_FILE } from './journal.js';

/** A root folder, as given (absolute) and as its real path. */
export interface PathRoot {
  readonly dir: string;
  readonly real: string;
}

/** A path outside the root: `<manifest or job>: <key>: <problem>`; bad input, never retried. */
export class PathRootError extends ConfigError {
  constructor(source: string, key: string, problem: string) {
    super(source, key, problem);
    this.name = 'PathRootError';
  }
}

/** How a path is used, for the error: where it comes from, its key, the fit, and what to do. */
export interface PathUse {
  /** The manifest file, or the job (`job ID (batch "NAME", manifest FILE)`). */
  readonly source: string;
  /** The key of the path (`fits[2].out`, `defaults.data`, `out`). */
  readonly key: string;
  readonly fit?: string;
  readonly access: 'reads' | 'writes';
  /** Must be strictly inside the root (a fit's output folder), not the root itself. */
  readonly inside?: boolean;
  /** What to do about it (one clause). */
  readonly hint: string;
  /** The path as written (in a manifest, before it was resolved against its folder), for the error. */
  readonly written?: string;
}

/** Open a root: it must be an existing folder. `label` names it in the error (`--root`). */
export function openRoot(dir: string, label = '--root'): PathRoot {
  if (dir === '') throw new Error(`${label}: expected a folder, got ""`);
  const absolute = resolve(dir);
  let real: string;
  try {
    real = realpathSync.native(absolute);
  } catch (error) {
    throw new Error(`${label} ${dir}: no such folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); create it or give an existing one`);
  }
  if (!statSync(real).isDirectory()) throw new Error(`${label} ${dir}: not a folder`);
  return { dir: absolute, real };
}

const MAX_LINKS = 40;

/**
 * The real path of an absolute path as the kernel would reach it (see the module comment):
 * existing components with every link resolved, then the components that do not exist yet.
 */
export function realPathOf(path: string): string {
  if (!isAbsolute(path)) throw new Error(`realPathOf: expected an absolute path, got ${JSON.stringify(path)}`);
  const pending = path.split(/[\\/]/).reverse();
  let current = realpathSync.native(sep);
  const missing: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.pop()!;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (missing.length > 0) missing.pop();
      else current = dirname(current);
      continue;
    }
    if (missing.length > 0) {
      missing.push(part);
      continue;
    }
    const next = join(current, part);
    let stat;
    try {
      stat = lstatSync(next);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      missing.push(part);
      continue;
    }
    if (stat.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw new Error(`${path}: more than ${MAX_LINKS} symbolic links on the way (a loop?)`);
      const target = readlinkSync(next);
      if (isAbsolute(target)) current = realpathSync.native(sep);
      pending.push(...target.split(/[\\/]/).reverse());
      continue;
    }
    current = next;
  }
  return missing.length > 0 ? join(current, ...missing) : current;
}

function within(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

export function describeRoot(root: PathRoot): string {
  return root.real === root.dir ? root.dir : `${root.dir} (really ${root.real})`;
}

/**
 * The real path of `path` (absolute, or relative to the root) if it stays in the root; otherwise a
 * PathRootError saying which way it leaves (`..`, an absolute path, a symbolic link).
 */
export function confinePath(root: PathRoot, path: string, use: PathUse): string {
  const written = use.written !== undefined && use.written !== path ? `${JSON.stringify(use.written)} (${path})` : path;
  const who = `${use.fit !== undefined ? `fit "${use.fit}"` : 'the batch'} ${use.access === 'reads' ? 'reads' : 'writes to'} ${written}`;
  if (typeof path !== 'string' || path === '') throw new PathRootError(use.source, use.key, `expected a path, got ${JSON.stringify(path)}; ${use.hint}`);
  const absolute = isAbsolute(path) ? path : `${root.real}${sep}${path}`;
  let real: string;
  try {
    real = realPathOf(absolute);
  } catch (error) {
    // A link loop, or a folder on the way this process may not look into: it cannot be checked, so it is refused.
    throw new PathRootError(use.source, use.key, `${who}, which cannot be resolved to check it stays in the root ${describeRoot(root)} (${(error as Error).message}); ${use.hint}`);
  }
  if (within(real, root.real)) {
    if (use.inside && real === root.real) {
      throw new PathRootError(use.source, use.key, `${who}, which is the root ${describeRoot(root)} itself: an output folder is replaced as a whole, so it must be a folder inside the root; ${use.hint}`);
    }
    return real;
  }
  const lexical = resolve(absolute);
  let how: string;
  if (within(lexical, root.dir) || within(lexical, root.real)) how = `a symbolic link on the way leads out of the root (to ${real})`;
  else if ((use.written ?? path).split(/[\\/]/).includes('..')) how = `".." leads out of the root${written === path ? ` (to ${lexical})` : ''}`;
  else how = 'an absolute path outside the root';
  throw new PathRootError(use.source, use.key, `${who}, outside the root ${describeRoot(root)}: ${how}; ${use.hint}`);
}

/** The key of a task's path in its manifest: `fits[2].out`. */
export function taskKey(task: Pick<FitTask, 'entry'>, field: 'data' | 'out'): string {
  return Number.isInteger(task.entry) ? `fits[${task.entry}].${field}` : field;
}

/** A batch directory and its journal file, checked (both written); their real paths. */
export function confineBatchDir(root: PathRoot, out: string, source: string, hint: string): { readonly out: string; readonly journal: string } {
  const realOut = confinePath(root, out, { source, key: 'out', access: 'writes', hint });
  const journal = confinePath(root, typeof out === 'string' ? join(out, JOURNAL_FILE) : out, { source, key: 'out', access: 'writes', hint });
  return { out: realOut, journal };
}

/** A fit's data file (read) and output folder (written, strictly inside), checked; the task with their real paths. */
export function confineTask(root: PathRoot, task: FitTask, source: string, hint: string): FitTask {
  const data = confinePath(root, task.data, { source, key: taskKey(task, 'data'), fit: task.id, access: 'reads', hint });
  const out = confinePath(root, task.out, { source, key: taskKey(task, 'out'), fit: task.id, access: 'writes', inside: true, hint });
  return { ...task, data, out };
}
