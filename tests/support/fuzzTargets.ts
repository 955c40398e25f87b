/**
 * The worker side of the fuzz sandbox (tests/support/fuzz.ts `FuzzSandbox`): runs one input through
 * one parser and answers with what happened, as plain data. Each case runs here, in a worker
 * thread, so that a case that hangs can be stopped (the worker is terminated) and reported with
 * its input instead of blocking the test run. Errors are described here, where `instanceof` against
 * the project's error classes works; the test side decides whether the error counts as named.
 *
 * Targets (the real entry points, as the CLI and the batch runner call them):
 * - data: CSV bytes + roles (JSON text) -> parseMmmData;
 * - runConfig: JSON text -> parseRunConfig, then what fitMmm does before it samples (the data
 *   loaded with the config's roles and imputations, the model config checked against the data,
 *   scaling, design, holdout, knots);
 * - runConfigFile: the same from a config file (loadRunConfig: unreadable or invalid JSON included);
 * - manifest: a batch manifest file -> loadManifest -> planBatch (configs patched and parsed, data
 *   files fingerprinted, series expanded);
 * - plan / bounds: a plan (JSON or CSV) or bounds file -> readPlanFile / readBoundsFile ->
 *   resolvePlan / resolveBounds on the geo example's planning window (channel or geo level);
 * - future: a future-periods CSV -> loadFuturePeriods against the geo example's first 65 weeks;
 * - cliFit: `mixwell fit --data FILE --config FILE --out DIR` when the data or the config is bad
 *   (inputs that would start sampling are not run: their result says so).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import { ConfigError } from '../../src/config/index.js';
import { DataValidationError, parseMmmData, scaleData, type MmmData, type PartialDataSpec } from '../../src/data/index.js';
import { loadRunConfig, parseRunConfig, samplerOptions, withSamplerOverrides, type RunConfig } from '../../src/mmm/config.js';
import { fitDesign } from '../../src/mmm/fit.js';
import { createGeoMmm, DEFAULT_MODEL_CONFIG, designFromData, type MmmDesign } from '../../models/mmm/index.js';
import { loadManifest } from '../../src/batch/manifest.js';
import { planBatch } from '../../src/batch/plan.js';
import { FilterError } from '../../src/batch/filter.js';
import { InputError } from '../../src/batch/runFit.js';
import { UsageError } from '../../src/cli/args.js';
import { readPlanFile, resolvePlan } from '../../src/optimize/plan.js';
import { readBoundsFile, resolveBounds } from '../../src/optimize/bounds.js';
import { loadFuturePeriods } from '../../src/optimize/future.js';
import { planningWindow } from '../../src/optimize/window.js';

const root = new URL('../../', import.meta.url);
const dir: string = (workerData as { dir: string }).dir;
mkdirSync(dir, { recursive: true });

const EXAMPLE_BYTES = new Uint8Array(readFileSync(new URL('examples/geo.csv', root)));
const EXAMPLE_SPEC = JSON.parse(readFileSync(new URL('examples/geo.config.json', root), 'utf8')).data as PartialDataSpec;
export const EXAMPLE_PATH = new URL('examples/geo.csv', root).pathname;

/** An error as data: its class, message and where it says the problem is. */
export interface DescribedError {
  /** Constructor name (TypeError, ConfigError, ...). */
  readonly className: string;
  readonly message: string;
  /** First lines of the stack, to find a crash. */
  readonly stack?: string;
  /** The project's error classes the error is an instance of. */
  readonly classes: readonly string[];
  /** DataValidationError: its issues. */
  readonly issues?: readonly { readonly file: string; readonly row?: number; readonly column?: string; readonly message: string }[];
  /** ConfigError: the file and key path it names. */
  readonly file?: string;
  readonly path?: string;
}

export type Outcome = { readonly status: 'ok'; readonly value: unknown } | { readonly status: 'error'; readonly error: DescribedError };

const PROJECT_ERRORS = { DataValidationError, ConfigError, UsageError, FilterError, InputError } as const;

export function describeError(error: unknown): DescribedError {
  const e = error as { constructor?: { name?: string }; message?: unknown; stack?: unknown } | null | undefined;
  const className = typeof error === 'object' && error !== null ? (e?.constructor?.name ?? 'Object') : typeof error;
  return {
    className,
    message: String(e?.message ?? error),
    ...(typeof e?.stack === 'string' ? { stack: e.stack.split('\n').slice(0, 8).join('\n') } : {}),
    classes: Object.entries(PROJECT_ERRORS)
      .filter(([, type]) => error instanceof type)
      .map(([name]) => name),
    ...(error instanceof DataValidationError ? { issues: error.issues.map((i) => ({ file: i.file, row: i.row, column: i.column, message: i.message })) } : {}),
    ...(error instanceof ConfigError ? { file: error.file, path: error.path } : {}),
  };
}

/** What a successful load gives, for the invariants the tests check (every number finite, counts agree). */
function dataSummary(data: MmmData, withoutKpi = false) {
  const arrays: [string, Float64Array | undefined][] = [
    ['spend', data.spend],
    ['media', data.media],
    ['controls', data.controls],
    ['events', data.events],
    ['treatments', data.treatments],
    ['population', data.population],
    ['revenuePerKpi', data.revenuePerKpi],
    ['rfFrequency', data.rfFrequency],
    ...(withoutKpi ? [] : ([['kpi', data.kpi]] as [string, Float64Array][])),
  ];
  const notFinite = arrays.filter(([, x]) => x !== undefined && x.some((v) => !Number.isFinite(v))).map(([name]) => name);
  const hash = createHash('sha256');
  for (const [, x] of arrays) if (x) hash.update(new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
  return {
    G: data.G,
    T: data.T,
    C: data.C,
    K: data.K,
    rows: data.provenance.rowCount,
    notFinite,
    sizes: { spend: data.spend.length === data.G * data.T * data.C, kpi: data.kpi.length === data.G * data.T, controls: data.controls.length === data.G * data.T * data.K },
    datesAscending: data.dates.every((d, t) => t === 0 || d > data.dates[t - 1]),
    geoNames: data.geoNames,
    digest: hash.digest('hex'),
    warnings: data.warnings.length,
  };
}

/** What fitMmm (src/mmm/fit.ts) does with a config and data before it starts the sampler, minus the backend: fitDesign, the model, the sampler options. */
function beforeSampling(config: RunConfig, data: MmmData, file: string) {
  const { runConfig, design } = fitDesign(config, data, file);
  const built = createGeoMmm(design, runConfig.model);
  built.definition.dispose?.();
  samplerOptions(withSamplerOverrides(runConfig.sampler, {}), file);
  return { G: data.G, T: data.T, C: data.C };
}

/** The geo example split like tests/optimize.future.test.ts: a fitted run on its first 65 weeks. */
const FITTED_WEEKS = 65;
let fittedRun: Parameters<typeof loadFuturePeriods>[1] | undefined;
function fitted(): NonNullable<typeof fittedRun> {
  if (fittedRun) return fittedRun;
  const data = parseMmmData(EXAMPLE_BYTES, EXAMPLE_SPEC, { fileName: 'geo.csv' });
  const scaled = scaleData(data);
  const whole = designFromData(data, scaled);
  const G = whole.geoNames.length;
  const T = whole.dates.length;
  const slice = (x: Float64Array, width: number) => {
    const out = new Float64Array(G * FITTED_WEEKS * width);
    for (let g = 0; g < G; g++) out.set(x.subarray(g * T * width, (g * T + FITTED_WEEKS) * width), g * FITTED_WEEKS * width);
    return out;
  };
  const design: MmmDesign = {
    ...whole,
    dates: whole.dates.slice(0, FITTED_WEEKS),
    media: slice(whole.media, whole.channelNames.length),
    spend: slice(whole.spend, whole.channelNames.length),
    controls: slice(whole.controls, whole.controlNames.length),
    events: slice(whole.events, whole.eventNames.length),
    kpi: slice(whole.kpi, 1),
    ...(whole.treatments ? { treatments: slice(whole.treatments, whole.treatmentNames?.length ?? 0) } : {}),
  };
  fittedRun = { design, model: DEFAULT_MODEL_CONFIG, spec: EXAMPLE_SPEC, scaling: scaled.scaling };
  return fittedRun;
}

let wholeDesign: MmmDesign | undefined;
function exampleDesign(): MmmDesign {
  if (wholeDesign) return wholeDesign;
  const data = parseMmmData(EXAMPLE_BYTES, EXAMPLE_SPEC, { fileName: 'geo.csv' });
  wholeDesign = designFromData(data, scaleData(data));
  return wholeDesign;
}

function writeCase(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

let cliMain: ((argv: readonly string[]) => Promise<number>) | undefined;

const targets: Record<string, (payload: never) => unknown> = {
  data(p: { bytes: Uint8Array; spec: string; fileName: string; withoutKpi?: boolean }) {
    const data = parseMmmData(p.bytes, JSON.parse(p.spec) as PartialDataSpec, { fileName: p.fileName, withoutKpi: p.withoutKpi });
    return dataSummary(data, p.withoutKpi);
  },
  runConfig(p: { text: string; file: string }) {
    const config = parseRunConfig(JSON.parse(p.text), p.file);
    const data = parseMmmData(EXAMPLE_BYTES, config.data, { fileName: 'geo.csv', impute: config.impute });
    return beforeSampling(config, data, p.file);
  },
  runConfigFile(p: { text: string; name: string }) {
    const path = writeCase(p.name, p.text);
    const config = loadRunConfig(path);
    return { holdout: config.holdout.periods };
  },
  manifest(p: { text: string; name: string }) {
    const path = writeCase(p.name, p.text);
    const plan = planBatch(loadManifest(path));
    return { tasks: plan.tasks.length };
  },
  plan(p: { text: string; name: string; level: 'channel' | 'geo' }) {
    const path = writeCase(p.name, p.text);
    const spec = readPlanFile(path);
    const window = planningWindow(exampleDesign(), { periods: 13, level: p.level });
    const plan = resolvePlan(window, spec, path);
    return { entries: plan.length, finite: plan.every((v) => Number.isFinite(v) && v >= 0) };
  },
  bounds(p: { text: string; name: string; level: 'channel' | 'geo' }) {
    const path = writeCase(p.name, p.text);
    const spec = readBoundsFile(path);
    const window = planningWindow(exampleDesign(), { periods: 13, level: p.level });
    const { lower, upper } = resolveBounds(window, spec, path);
    return { entries: lower.length, ordered: lower.every((l, i) => Number.isFinite(l) && Number.isFinite(upper[i]) && l >= 0 && l <= upper[i]) };
  },
  async future(p: { bytes: Uint8Array; name: string; follows: boolean }) {
    const path = writeCase(p.name, p.bytes);
    const future = await loadFuturePeriods(path, fitted(), { follows: p.follows });
    return { periods: future.dates.length, warnings: future.warnings.length };
  },
  /** A case that never finishes (the hang guard's own test, tests/fuzz.data.test.ts). */
  spin() {
    for (;;);
  },
  /** Load the CLI and the tensor backend, and run one bad fit, so that the budget of a case is not spent on loading code. */
  async warmCli() {
    const { initBackend } = await import('../../src/tensor/index.js');
    const backend = (await initBackend()).name;
    await targets.cliFit({ bytes: new TextEncoder().encode('date,x_spend,sales\n2024-01-01,1,\n'), config: '{}', name: 'warm.csv' } as never);
    return { backend };
  },
  async cliFit(p: { bytes: Uint8Array; config: string; name: string }) {
    const dataPath = writeCase(p.name, p.bytes);
    const configPath = writeCase('config.json', p.config);
    const out = join(dir, 'run-out');
    rmSync(out, { recursive: true, force: true });
    // Inputs fitMmm would accept go on to sample: not run here (see the module comment).
    let expected: DescribedError;
    try {
      const config = loadRunConfig(configPath);
      beforeSampling(config, parseMmmData(p.bytes, config.data, { fileName: p.name, impute: config.impute }), configPath);
      return { ran: false };
    } catch (error) {
      // a bad input: the CLI must say what the parsers say, and leave no run directory
      expected = describeError(error);
    }
    cliMain ??= (await import('../../src/cli/main.js')).main;
    const written: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string | Uint8Array) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof process.stderr.write;
    let exitCode: number;
    try {
      exitCode = await cliMain(['fit', '--data', dataPath, '--config', configPath, '--out', out, '--quiet', '--chains', '1', '--warmup', '10', '--draws', '10']);
    } finally {
      process.stderr.write = write;
    }
    return { ran: true, exitCode, stderr: written.join(''), outExists: existsSync(out), expected, dataPath, configPath };
  },
};

/** The built-in prototypes a parser could pollute (a `__proto__` key assigned as a property); checked after every case. */
const PROTOTYPES: [string, object][] = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
];
const pristine = new Map(PROTOTYPES.map(([name, proto]) => [name, new Set(Reflect.ownKeys(proto))]));

/** Keys added to a built-in prototype by the last case (removed again, so the next case starts clean). */
function pollution(): string[] {
  const added: string[] = [];
  for (const [name, proto] of PROTOTYPES) {
    for (const key of Reflect.ownKeys(proto)) {
      if (pristine.get(name)!.has(key)) continue;
      added.push(`${name}.${String(key)}`);
      delete (proto as Record<PropertyKey, unknown>)[key];
    }
  }
  return added;
}

parentPort!.on('message', async (message: { id: number; target: string; payload: unknown }) => {
  const started = performance.now();
  let outcome: Outcome;
  try {
    const target = targets[message.target];
    if (!target) throw new Error(`fuzz sandbox: unknown target ${message.target}`);
    outcome = { status: 'ok', value: await target(message.payload as never) };
  } catch (error) {
    outcome = { status: 'error', error: describeError(error) };
  }
  const polluted = pollution();
  if (polluted.length > 0) {
    const after = outcome.status === 'ok' ? 'succeeded' : `failed with ${outcome.error.className}: ${outcome.error.message}`;
    outcome = { status: 'error', error: { className: 'PrototypePollution', message: `the case added ${polluted.join(', ')} (and then ${after})`, classes: [] } };
  }
  parentPort!.postMessage({ id: message.id, outcome, ms: performance.now() - started });
});
parentPort!.postMessage({ ready: true });
