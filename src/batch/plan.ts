/**
 * A batch plan: the manifest turned into the concrete fits to run. Defaults are merged into each
 * entry (manifest.ts), configs are read, patched (RFC 7396 merge patches, then the sampler
 * options and a series' holdout) and fully parsed, so a bad config stops the batch before any fit
 * starts; rolling-window and backtest entries are expanded into one fit per window / fold from the
 * data's dates after the entry's filter. Each fit gets a fingerprint: the sha256 of its data file
 * and of the canonical JSON of its filter, resolved config and backend. A fit's output is
 * complete only if it was written for that fingerprint (outputState.ts), which is what makes
 * rerunning a manifest resume it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, sep } from 'node:path';
import { ConfigError } from '../config/index.js';
import { readCsv, sha256Hex, type CsvSource } from '../data/index.js';
import { parseRunConfig, type RunConfig } from '../mmm/config.js';
import type { BackendName } from '../tensor/index.js';
import { datesOf, filterRoles, FilterError, filterSource, isEmptyFilter } from './filter.js';
import type { DataFilter, Manifest, ManifestEntry } from './manifest.js';
import { canonicalJson, isJsonObject, mergePatch, type Json } from './mergePatch.js';

/** Where a generated fit sits in its series. */
export interface SeriesInfo {
  /** The manifest entry's id. */
  readonly entry: string;
  readonly kind: 'rolling' | 'backtest';
  /** 1-based position in the series (oldest first). */
  readonly index: number;
  readonly count: number;
  /** First and last date of the fit's data (inclusive). */
  readonly from: string;
  readonly to: string;
  /** Periods held out at the end. */
  readonly holdout: number;
}

/** One fit to run: everything a worker needs, as plain JSON. */
export interface FitTask {
  readonly id: string;
  /** Index of the manifest entry it comes from. */
  readonly entry: number;
  /** Absolute path of the CSV file and the sha256 of its bytes when planned. */
  readonly data: string;
  readonly dataSha256: string;
  readonly filter: DataFilter;
  /** The resolved run config (patches, options and holdout applied). */
  readonly config: RunConfig;
  /** The config file it came from (null for an inline config or none). */
  readonly configFile: string | null;
  readonly backend?: BackendName;
  /** Absolute output directory. */
  readonly out: string;
  readonly retries: number;
  readonly timeoutSeconds?: number;
  readonly series?: SeriesInfo;
  readonly fingerprint: string;
}

export interface BatchPlan {
  readonly manifest: string;
  readonly name: string;
  /** Absolute batch directory. */
  readonly out: string;
  /** Short stable id of the batch (manifest path and batch directory), used for queue job ids. */
  readonly batchId: string;
  readonly tasks: readonly FitTask[];
}

export const DEFAULT_RETRIES = 2;

/** Fingerprint of a fit's inputs (see the module comment). */
export function fitFingerprint(task: Pick<FitTask, 'dataSha256' | 'filter' | 'config' | 'backend'>): string {
  const text = canonicalJson({ format: 1, data: task.dataSha256, filter: task.filter as Json, config: task.config as unknown as Json, backend: task.backend ?? null });
  return createHash('sha256').update(text).digest('hex');
}

interface DataFile {
  readonly bytes: Uint8Array;
  readonly sha256: string;
  source?: CsvSource;
}

function readConfigFile(manifest: Manifest, entry: ManifestEntry, path: string): Json {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(manifest.file, `fits[${entry.index}].config`, `cannot read ${path} (${(error as Error).message})`);
  }
  try {
    return JSON.parse(text.replace(/^\ufeff/, '')) as Json;
  } catch (error) {
    throw new ConfigError(manifest.file, `fits[${entry.index}].config`, `${path} is not valid JSON (${(error as Error).message})`);
  }
}

/** The config JSON of an entry: the file or inline object, then the patches, then the sampler options. */
function configJson(manifest: Manifest, entry: ManifestEntry, cache: Map<string, Json>): Json {
  let json: Json = {};
  if (typeof entry.config === 'string') {
    if (!cache.has(entry.config)) cache.set(entry.config, readConfigFile(manifest, entry, entry.config));
    json = cache.get(entry.config)!;
  } else if (entry.config !== undefined) json = entry.config;
  for (const patch of entry.patches) json = mergePatch(json, patch);
  const { backend: _backend, ...sampler } = entry.options;
  if (Object.keys(sampler).length > 0) json = mergePatch(json, { sampler: sampler as Json });
  if (!isJsonObject(json)) throw new ConfigError(manifest.file, `fits[${entry.index}].config`, 'the config (after patches) is not a JSON object');
  return json;
}

function configLabel(manifest: Manifest, entry: ManifestEntry): string {
  const source = typeof entry.config === 'string' ? `config ${entry.config}` : entry.config ? 'inline config' : 'default config';
  const patched = entry.patches.length > 0 || Object.keys(entry.options).some((k) => k !== 'backend') ? ' with patches and options' : '';
  return `${manifest.file}: fits[${entry.index}] (${source}${patched})`;
}

function readDataFile(manifest: Manifest, entry: ManifestEntry, cache: Map<string, DataFile>): DataFile {
  const path = entry.data!;
  let file = cache.get(path);
  if (!file) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      throw new ConfigError(manifest.file, `fits[${entry.index}].data`, `cannot read ${path} (${(error as Error).message})`);
    }
    const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    file = { bytes: view, sha256: sha256Hex(view) };
    cache.set(path, file);
  }
  return file;
}

function parsedSource(file: DataFile, path: string): CsvSource {
  file.source ??= readCsv(file.bytes, { fileName: basename(path) });
  return file.source;
}

/** The sorted dates of an entry's data after its filter (for series), checking the filter on the way. */
function entryDates(manifest: Manifest, entry: ManifestEntry, config: RunConfig, file: DataFile, where: string): string[] {
  try {
    const source = parsedSource(file, entry.data!);
    const roles = filterRoles(source, config.data);
    filterSource(source, roles, entry.filter);
    return datesOf(source, roles, entry.filter);
  } catch (error) {
    if (error instanceof FilterError || (error as Error).name === 'DataValidationError') throw new ConfigError(manifest.file, where, (error as Error).message);
    throw error;
  }
}

interface Variant {
  readonly id: string;
  readonly out: string;
  readonly filter: DataFilter;
  readonly holdout?: number;
  readonly series?: SeriesInfo;
}

function pad(n: number, count: number): string {
  return String(n).padStart(String(count).length < 2 ? 2 : String(count).length, '0');
}

function expandEntry(manifest: Manifest, entry: ManifestEntry, config: RunConfig, file: DataFile): Variant[] {
  const at = `fits[${entry.index}]`;
  if (entry.rolling) {
    const { window, step, holdout } = entry.rolling;
    const dates = entryDates(manifest, entry, config, file, `${at}.rolling`);
    if (dates.length < window) throw new ConfigError(manifest.file, `${at}.rolling.window`, `the data has ${dates.length} periods (after the filter), fewer than the window ${window}`);
    const starts: number[] = [];
    for (let s = 0; s + window <= dates.length; s += step) starts.push(s);
    return starts.map((s, k) => {
      const series: SeriesInfo = { entry: entry.id, kind: 'rolling', index: k + 1, count: starts.length, from: dates[s], to: dates[s + window - 1], holdout: holdout ?? config.holdout.periods };
      const name = `w${pad(k + 1, starts.length)}`;
      return { id: `${entry.id}/${name}`, out: `${entry.out}${sep}${name}`, filter: { ...entry.filter, from: series.from, to: series.to }, holdout, series };
    });
  }
  if (entry.backtest) {
    const { holdout, folds, step, window } = entry.backtest;
    const dates = entryDates(manifest, entry, config, file, `${at}.backtest`);
    const T = dates.length;
    if (folds > T) throw new ConfigError(manifest.file, `${at}.backtest.folds`, `${folds} folds, but the data has ${T} periods (after the filter): each fold needs its own origin; use fewer folds`);
    return Array.from({ length: folds }, (_, f) => {
      const end = T - 1 - (folds - 1 - f) * step;
      const start = window === undefined ? 0 : end - window + 1;
      const training = end - start + 1 - holdout;
      if (start < 0 || training < 2) {
        throw new ConfigError(manifest.file, `${at}.backtest`, `fold ${f + 1} of ${folds} would fit ${Math.max(0, training)} periods before its holdout: the data has ${T} periods (after the filter); use fewer folds, a smaller step or holdout${window !== undefined ? ', or a shorter window' : ''}`);
      }
      const series: SeriesInfo = { entry: entry.id, kind: 'backtest', index: f + 1, count: folds, from: dates[start], to: dates[end], holdout };
      const name = `f${pad(f + 1, folds)}`;
      return { id: `${entry.id}/${name}`, out: `${entry.out}${sep}${name}`, filter: { ...entry.filter, from: series.from, to: series.to }, holdout, series };
    });
  }
  if (!isEmptyFilter(entry.filter)) entryDates(manifest, entry, config, file, `${at}.filter`);
  return [{ id: entry.id, out: entry.out, filter: entry.filter }];
}

/** No two fits write to the same directory or one inside another's, and none holds the batch directory. */
function checkOutputs(manifest: Manifest, tasks: readonly FitTask[]): void {
  const byOut = new Map<string, FitTask>();
  for (const task of tasks) {
    const other = byOut.get(task.out);
    if (other) throw new ConfigError(manifest.file, `fits[${task.entry}].out`, `fit "${task.id}" writes to ${task.out}, the same directory as fit "${other.id}" (fits[${other.entry}])`);
    byOut.set(task.out, task);
  }
  for (const task of tasks) {
    if (task.out === manifest.out || manifest.out.startsWith(task.out + sep)) {
      throw new ConfigError(manifest.file, `fits[${task.entry}].out`, `fit "${task.id}" would write to ${task.out}, which holds the batch directory ${manifest.out}`);
    }
    for (let dir = dirname(task.out); dir !== dirname(dir); dir = dirname(dir)) {
      const outer = byOut.get(dir);
      if (outer) throw new ConfigError(manifest.file, `fits[${task.entry}].out`, `fit "${task.id}" writes to ${task.out}, inside the directory of fit "${outer.id}" (fits[${outer.entry}])`);
    }
  }
}

/** Plan a batch: read configs and data fingerprints, expand series, fingerprint every fit. */
export function planBatch(manifest: Manifest): BatchPlan {
  const configs = new Map<string, Json>();
  const files = new Map<string, DataFile>();
  const tasks: FitTask[] = [];
  for (const entry of manifest.fits) {
    const baseJson = configJson(manifest, entry, configs);
    const label = configLabel(manifest, entry);
    const baseConfig = parseRunConfig(baseJson, label);
    const file = readDataFile(manifest, entry, files);
    for (const variant of expandEntry(manifest, entry, baseConfig, file)) {
      const config = variant.holdout === undefined ? baseConfig : parseRunConfig(mergePatch(baseJson, { holdout: { periods: variant.holdout } }), label);
      const task = {
        id: variant.id,
        entry: entry.index,
        data: entry.data!,
        dataSha256: file.sha256,
        filter: variant.filter,
        config,
        configFile: typeof entry.config === 'string' ? entry.config : null,
        backend: entry.options.backend,
        out: variant.out,
        retries: entry.retries ?? DEFAULT_RETRIES,
        timeoutSeconds: entry.timeout,
        series: variant.series,
      };
      tasks.push({ ...task, fingerprint: fitFingerprint(task) });
    }
  }
  checkOutputs(manifest, tasks);
  const batchId = createHash('sha256').update(`${manifest.file}\n${manifest.out}`).digest('hex').slice(0, 12);
  return { manifest: manifest.file, name: manifest.name, out: manifest.out, batchId, tasks };
}
