/**
 * The batch manifest: one JSON file listing many fits (per brand or region group, model variants,
 * rolling-window refits, holdout backtests) with shared defaults. Every key is checked; unknown
 * keys and wrong types are errors naming the manifest file, the entry and the key
 * (`batch.json: fits[2].filter.geos: ...`). Paths are resolved against the manifest's folder
 * (data, config, top-level `out`) or the batch directory (a fit's `out`). With a `root` option
 * every one of them must stay in that folder (pathRoot.ts), checked here before anything is read;
 * without it paths may go anywhere the user can read and write.
 *
 *   {
 *     "name": "brands",                         optional; default: the manifest's file name
 *     "out": "runs/brands",                     batch directory: batch.json, and each fit's default output <out>/<id>
 *     "defaults": { "data": "all.csv", "config": "base.json", "options": {"chains": 4}, "retries": 2 },
 *     "fits": [
 *       { "id": "north", "filter": {"geos": ["north", "east"]} },
 *       { "id": "delayed", "patch": {"model": {"adstock": {"type": "delayed", "maxLag": 8}}} },
 *       { "id": "recent", "filter": {"from": "2023-01-02", "to": "2024-12-30"} },
 *       { "id": "roll", "rolling": {"window": 52, "step": 13} },
 *       { "id": "backtest", "backtest": {"holdout": 13, "folds": 4} }
 *     ]
 *   }
 *
 * Rolling windows (fixed-length refits moved by `step` periods) and backtests (rolling-origin
 * evaluation, Hyndman & Athanasopoulos, "Forecasting: Principles and Practice", 3rd ed., section
 * 5.10 "Time series cross-validation": each fold fits the data up to an origin and scores the
 * next `holdout` periods) are expanded into fits by plan.ts, which needs the data's dates.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { ConfigError, describeValue, keyPath } from '../config/index.js';
import { DEFAULT_SAMPLER } from '../mmm/config.js';
import type { BackendName } from '../tensor/index.js';
import { isJsonObject, type Json } from './mergePatch.js';
import { confinePath, openRoot, type PathRoot } from './pathRoot.js';

/** Rows kept before validation: some geos and / or a date window (inclusive ISO dates). */
export interface DataFilter {
  readonly geos?: readonly string[];
  readonly from?: string;
  readonly to?: string;
}

export interface RollingSpec {
  /** Periods per window. */
  readonly window: number;
  /** Periods between window starts. */
  readonly step: number;
  /** Periods at the end of each window held out and scored (default: the config's holdout). */
  readonly holdout?: number;
}

export interface BacktestSpec {
  /** Periods scored after each origin. */
  readonly holdout: number;
  /** Number of origins (the last fold ends with the data). */
  readonly folds: number;
  /** Periods between origins (default: holdout). */
  readonly step: number;
  /** Periods per fold (training + holdout); default: everything from the first period (expanding window). */
  readonly window?: number;
}

/** Sampler settings and backend for a fit (override the config's `sampler`). */
export interface FitOptions {
  readonly chains?: number;
  readonly warmup?: number;
  readonly draws?: number;
  readonly seed?: number;
  readonly adaptDelta?: number;
  readonly maxTreeDepth?: number;
  readonly metric?: 'diag' | 'dense' | 'lowRank';
  readonly warmupPlan?: 'stan' | 'staged' | 'nutpie';
  readonly pooledAdaptation?: boolean;
  readonly adaptiveCentering?: boolean;
  readonly backend?: BackendName;
}

/** What `defaults` and a fit entry may set. */
export interface FitSettings {
  /** Absolute path of the CSV file. */
  readonly data?: string;
  /** Absolute path of a run config file, or an inline config object. */
  readonly config?: string | Readonly<Record<string, Json>>;
  /** JSON merge patches applied to the config, defaults' first. */
  readonly patches: readonly Readonly<Record<string, Json>>[];
  readonly filter: DataFilter;
  readonly options: FitOptions;
  /** Retries after a failed attempt (crash, killed worker, timeout). */
  readonly retries?: number;
  /** Seconds before an attempt is killed and counted as failed. */
  readonly timeout?: number;
}

export interface ManifestEntry extends FitSettings {
  /** Position in the manifest's `fits` (0-based, as error messages show it). */
  readonly index: number;
  readonly id: string;
  /** Absolute output directory (default <batch out>/<id>). */
  readonly out: string;
  readonly rolling?: RollingSpec;
  readonly backtest?: BacktestSpec;
}

export interface Manifest {
  /** Absolute path of the manifest file (or the label given to an in-memory manifest). */
  readonly file: string;
  readonly name: string;
  /** Absolute batch directory. */
  readonly out: string;
  readonly fits: readonly ManifestEntry[];
}

export interface ManifestOptions {
  /** Batch directory overriding the manifest's `out` (absolute or relative to the working directory). */
  readonly out?: string;
  /** Folder relative paths in the manifest refer to (default: the manifest file's folder). */
  readonly baseDir?: string;
  /**
   * Folder every path (data, config files, the batch directory, each fit's output) must stay in
   * (pathRoot.ts); absolute or relative to the working directory. Default: none (no confinement).
   */
  readonly root?: string;
}

/** What to do about a path outside the manifest's root. */
const ROOT_HINT = 'keep the manifest\'s paths under the root, or give a --root that holds them';

const TOP_KEYS = ['name', 'out', 'defaults', 'fits'];
const SETTING_KEYS = ['data', 'config', 'patch', 'filter', 'options', 'retries', 'timeout'];
const ENTRY_KEYS = ['id', 'out', 'rolling', 'backtest', ...SETTING_KEYS];
const FILTER_KEYS = ['geos', 'from', 'to'];
const BACKENDS: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The longest timeout a timer can take (2^31 - 1 ms), in whole seconds. */
export const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

function fail(file: string, path: string, problem: string): never {
  throw new ConfigError(file, path, problem);
}

function checkKeys(file: string, path: string, value: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(file, keyPath(path, key), `unknown key (allowed: ${allowed.join(', ')})`);
  }
}

function integer(file: string, path: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) fail(file, path, `expected an integer >= ${min}, got ${describeValue(value)}`);
  return value;
}

function isoDate(file: string, path: string, value: unknown): string {
  if (typeof value !== 'string' || !ISO_DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    fail(file, path, `expected an ISO date "YYYY-MM-DD", got ${describeValue(value)}`);
  }
  return value;
}

function parseFilter(file: string, path: string, value: unknown): DataFilter {
  if (!isJsonObject(value)) fail(file, path, 'expected an object {"geos": [...], "from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}');
  checkKeys(file, path, value, FILTER_KEYS);
  const out: { geos?: string[]; from?: string; to?: string } = {};
  if (value.geos !== undefined) {
    const geos = value.geos;
    if (!Array.isArray(geos) || geos.length === 0 || geos.some((g) => typeof g !== 'string' || g === '')) fail(file, `${path}.geos`, `expected a non-empty array of geo names, got ${describeValue(geos)}`);
    const seen = new Set<string>();
    for (const g of geos as string[]) {
      if (seen.has(g)) fail(file, `${path}.geos`, `geo ${JSON.stringify(g)} is listed twice`);
      seen.add(g);
    }
    out.geos = [...(geos as string[])];
  }
  if (value.from !== undefined) out.from = isoDate(file, `${path}.from`, value.from);
  if (value.to !== undefined) out.to = isoDate(file, `${path}.to`, value.to);
  if (out.from !== undefined && out.to !== undefined && out.from > out.to) fail(file, path, `"from" ${out.from} is after "to" ${out.to}`);
  return out;
}

function parseOptions(file: string, path: string, value: unknown): FitOptions {
  if (!isJsonObject(value)) fail(file, path, 'expected an object of sampler settings (chains, warmup, draws, seed, ...) and backend');
  const allowed = [...Object.keys(DEFAULT_SAMPLER).filter((key) => key !== 'stagedWarmup'), 'backend'];
  if (value.stagedWarmup !== undefined) fail(file, `${path}.stagedWarmup`, 'not a fit option: set it in the config\'s "sampler" (or a "patch": {"sampler": {"stagedWarmup": ...}})');
  checkKeys(file, path, value, allowed);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const at = `${path}.${key}`;
    switch (key) {
      case 'chains':
      case 'draws':
      case 'maxTreeDepth':
        out[key] = integer(file, at, v, 1);
        break;
      case 'warmup':
      case 'seed':
        out[key] = integer(file, at, v, 0);
        break;
      case 'adaptDelta':
        if (typeof v !== 'number' || !(v > 0 && v < 1)) fail(file, at, `expected a number in (0, 1), got ${describeValue(v)}`);
        out[key] = v;
        break;
      case 'metric':
        if (v !== 'diag' && v !== 'dense' && v !== 'lowRank') fail(file, at, `expected "diag", "dense" or "lowRank", got ${describeValue(v)}`);
        out[key] = v;
        break;
      case 'warmupPlan':
        if (v !== 'stan' && v !== 'staged' && v !== 'nutpie') fail(file, at, `expected "stan", "staged" or "nutpie", got ${describeValue(v)}`);
        out[key] = v;
        break;
      case 'pooledAdaptation':
      case 'adaptiveCentering':
        if (typeof v !== 'boolean') fail(file, at, `expected true or false, got ${describeValue(v)}`);
        out[key] = v;
        break;
      case 'backend':
        if (!BACKENDS.includes(v as BackendName)) fail(file, at, `expected one of ${BACKENDS.join(', ')}, got ${describeValue(v)}`);
        out[key] = v;
        break;
      default:
        // Every allowed key has its case: an option accepted here and then dropped would change nothing silently.
        fail(file, at, `accepted but not read (a bug in the manifest parser)`);
    }
  }
  return out as FitOptions;
}

function parseSettings(file: string, path: string, value: Record<string, Json>, baseDir: string): FitSettings {
  const at = (key: string) => (path ? `${path}.${key}` : key);
  let data: string | undefined;
  if (value.data !== undefined) {
    if (typeof value.data !== 'string' || value.data === '') fail(file, at('data'), `expected the path of a CSV file, got ${describeValue(value.data)}`);
    data = resolve(baseDir, value.data);
  }
  let config: FitSettings['config'];
  if (value.config !== undefined) {
    if (typeof value.config === 'string' && value.config !== '') config = resolve(baseDir, value.config);
    else if (isJsonObject(value.config)) config = value.config;
    else fail(file, at('config'), `expected the path of a run config file or an inline config object, got ${describeValue(value.config)}`);
  }
  const patches: Record<string, Json>[] = [];
  if (value.patch !== undefined) {
    if (!isJsonObject(value.patch)) fail(file, at('patch'), 'expected an object (a JSON merge patch applied to the config, RFC 7396)');
    patches.push(value.patch);
  }
  const filter = value.filter === undefined ? {} : parseFilter(file, at('filter'), value.filter);
  const options = value.options === undefined ? {} : parseOptions(file, at('options'), value.options);
  const retries = value.retries === undefined ? undefined : integer(file, at('retries'), value.retries, 0);
  let timeout: number | undefined;
  if (value.timeout !== undefined) {
    // a timer takes at most 2^31 - 1 ms: a longer one (or Infinity, from 1e400) would fire after 1 ms and kill every attempt
    if (typeof value.timeout !== 'number' || !(value.timeout > 0 && value.timeout <= MAX_TIMEOUT_SECONDS)) fail(file, at('timeout'), `expected seconds > 0, at most ${MAX_TIMEOUT_SECONDS} (about 24 days), got ${describeValue(value.timeout)}`);
    timeout = value.timeout;
  }
  return { data, config, patches, filter, options, retries, timeout };
}

function parseRolling(file: string, path: string, value: unknown): RollingSpec {
  if (!isJsonObject(value)) fail(file, path, 'expected an object {"window": periods, "step": periods, "holdout": periods}');
  checkKeys(file, path, value, ['window', 'step', 'holdout']);
  if (value.window === undefined) fail(file, `${path}.window`, 'missing (periods per window)');
  if (value.step === undefined) fail(file, `${path}.step`, 'missing (periods between window starts)');
  const window = integer(file, `${path}.window`, value.window, 2);
  const step = integer(file, `${path}.step`, value.step, 1);
  const holdout = value.holdout === undefined ? undefined : integer(file, `${path}.holdout`, value.holdout, 0);
  if (holdout !== undefined && holdout >= window - 1) fail(file, `${path}.holdout`, `must leave at least 2 periods of the window (${window}) to fit, got ${holdout}`);
  return { window, step, holdout };
}

function parseBacktest(file: string, path: string, value: unknown): BacktestSpec {
  if (!isJsonObject(value)) fail(file, path, 'expected an object {"holdout": periods, "folds": n, "step": periods, "window": periods}');
  checkKeys(file, path, value, ['holdout', 'folds', 'step', 'window']);
  if (value.holdout === undefined) fail(file, `${path}.holdout`, 'missing (periods scored after each origin)');
  if (value.folds === undefined) fail(file, `${path}.folds`, 'missing (number of origins)');
  const holdout = integer(file, `${path}.holdout`, value.holdout, 1);
  const folds = integer(file, `${path}.folds`, value.folds, 1);
  const step = value.step === undefined ? holdout : integer(file, `${path}.step`, value.step, 1);
  const window = value.window === undefined ? undefined : integer(file, `${path}.window`, value.window, holdout + 1);
  return { holdout, folds, step, window };
}

/** The data and config file of `defaults` or an entry, checked against the root (both read). */
function confineSettings(root: PathRoot, file: string, path: string, settings: FitSettings, raw: Record<string, Json>, fit?: string): void {
  const at = (key: string) => (path ? `${path}.${key}` : key);
  if (settings.data !== undefined) confinePath(root, settings.data, { source: file, key: at('data'), fit, access: 'reads', hint: ROOT_HINT, written: raw.data as string });
  if (typeof settings.config === 'string') confinePath(root, settings.config, { source: file, key: at('config'), fit, access: 'reads', hint: ROOT_HINT, written: raw.config as string });
}

/** Defaults and an entry merged: the entry's keys win; filters and options merge key by key; patches apply in turn. */
function mergeSettings(defaults: FitSettings, entry: FitSettings): FitSettings {
  return {
    data: entry.data ?? defaults.data,
    config: entry.config ?? defaults.config,
    patches: [...defaults.patches, ...entry.patches],
    filter: { ...defaults.filter, ...entry.filter },
    options: { ...defaults.options, ...entry.options },
    retries: entry.retries ?? defaults.retries,
    timeout: entry.timeout ?? defaults.timeout,
  };
}

/** A manifest from parsed JSON; `file` names it in errors and locates relative paths. */
export function parseManifest(json: unknown, file: string, options: ManifestOptions = {}): Manifest {
  if (!isJsonObject(json)) fail(file, '(top level)', 'expected a JSON object with "fits" (and optionally "name", "out", "defaults")');
  checkKeys(file, '', json, TOP_KEYS);
  const baseDir = options.baseDir ?? dirname(resolve(file));
  const root = options.root === undefined ? undefined : openRoot(options.root, 'root');
  let name = basename(file, extname(file));
  if (json.name !== undefined) {
    if (typeof json.name !== 'string' || !ID.test(json.name)) fail(file, 'name', `expected a name of letters, digits, ".", "_" or "-", got ${describeValue(json.name)}`);
    name = json.name;
  }
  let out: string;
  if (options.out !== undefined) out = resolve(options.out);
  else if (typeof json.out === 'string' && json.out !== '') out = resolve(baseDir, json.out);
  else if (json.out === undefined) fail(file, 'out', 'missing: the batch directory (batch.json and the fits\' outputs); set "out" or pass --out DIR');
  else fail(file, 'out', `expected a directory path, got ${describeValue(json.out)}`);
  if (root) confinePath(root, out, { source: file, key: options.out !== undefined ? 'out (--out)' : 'out', access: 'writes', hint: ROOT_HINT, written: options.out ?? (json.out as string) });

  let defaults: FitSettings = { patches: [], filter: {}, options: {} };
  if (json.defaults !== undefined) {
    if (!isJsonObject(json.defaults)) fail(file, 'defaults', 'expected an object of settings shared by every fit');
    checkKeys(file, 'defaults', json.defaults, SETTING_KEYS);
    defaults = parseSettings(file, 'defaults', json.defaults, baseDir);
    if (root) confineSettings(root, file, 'defaults', defaults, json.defaults);
  }
  if (!Array.isArray(json.fits) || json.fits.length === 0) fail(file, 'fits', json.fits === undefined ? 'missing: the list of fits' : 'expected a non-empty array of fits');

  const ids = new Map<string, number>();
  const fits = (json.fits as unknown[]).map((raw, index): ManifestEntry => {
    const path = `fits[${index}]`;
    if (!isJsonObject(raw)) fail(file, path, 'expected an object with at least "id"');
    checkKeys(file, path, raw, ENTRY_KEYS);
    if (typeof raw.id !== 'string' || !ID.test(raw.id)) {
      fail(file, `${path}.id`, raw.id === undefined ? 'missing: every fit needs an id (letters, digits, ".", "_", "-")' : `expected letters, digits, ".", "_" or "-" (starting with a letter or digit), got ${describeValue(raw.id)}`);
    }
    const id = raw.id;
    const previous = ids.get(id);
    if (previous !== undefined) fail(file, `${path}.id`, `duplicate id ${JSON.stringify(id)} (also fits[${previous}])`);
    ids.set(id, index);
    const own = parseSettings(file, path, raw, baseDir);
    if (root) confineSettings(root, file, path, own, raw, id);
    const settings = mergeSettings(defaults, own);
    if (settings.data === undefined) fail(file, `${path}.data`, 'missing: no data file for this fit (set it here or in "defaults")');
    let entryOut = resolve(out, id);
    if (raw.out !== undefined) {
      if (typeof raw.out !== 'string' || raw.out === '') fail(file, `${path}.out`, `expected a directory path, got ${describeValue(raw.out)}`);
      entryOut = resolve(out, raw.out);
    }
    if (root) confinePath(root, entryOut, { source: file, key: `${path}.out`, fit: id, access: 'writes', inside: true, hint: ROOT_HINT, written: raw.out as string | undefined });
    const rolling = raw.rolling === undefined ? undefined : parseRolling(file, `${path}.rolling`, raw.rolling);
    const backtest = raw.backtest === undefined ? undefined : parseBacktest(file, `${path}.backtest`, raw.backtest);
    if (rolling && backtest) fail(file, path, 'give either "rolling" or "backtest", not both');
    return { index, id, out: entryOut, ...settings, rolling, backtest };
  });
  return { file, name, out, fits };
}

/** Read and parse a manifest file. */
export function loadManifest(path: string, options: ManifestOptions = {}): Manifest {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`${path}: cannot read the batch manifest (${(error as Error).message})`);
  }
  let json: unknown;
  try {
    // a UTF-8 byte order mark (as some editors save files) is not part of the JSON
    json = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${(error as Error).message})`);
  }
  return parseManifest(json, resolve(path), options);
}
