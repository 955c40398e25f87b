/**
 * Shared machinery of the fuzz tests (tests/fuzz.*.test.ts): the campaign's settings, a sandbox that
 * runs each case in a worker thread with a time budget, the one definition of a "named error" per
 * input kind, the per-property counts, and the mutators (CSV files, JSON documents) as fast-check
 * arbitraries of mutation recipes: a recipe is plain data, so fast-check prints it (shrunk) when a
 * property fails and a regression test can replay it.
 *
 * Settings (environment):
 * - MIXWELL_FUZZ_RUNS: cases per property (default: each property's own, 100-300; `npm run fuzz`
 *   raises it);
 * - MIXWELL_FUZZ_SEED: the seed (default FUZZ_SEED: every `npm test` runs the same cases);
 * - MIXWELL_FUZZ_BUDGET_MS: time budget of one case (default 2000 ms, for inputs up to a megabyte;
 *   a larger input gets it per megabyte: the size mutations make files of up to 10 MB);
 * - MIXWELL_FUZZ_REPORT: a file the counts are appended to, one JSON line per property
 *   (scripts/fuzz.ts collects them).
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import type { DescribedError, Outcome } from './fuzzTargets.js';

export type { DescribedError, Outcome } from './fuzzTargets.js';

// ---- settings ------------------------------------------------------------------------------------

export const FUZZ_SEED = 20261206;

export function fuzzSeed(): number {
  const given = process.env.MIXWELL_FUZZ_SEED;
  return given === undefined || given === '' ? FUZZ_SEED : Number(given);
}

/** Cases per property: MIXWELL_FUZZ_RUNS when set, else the property's default. */
export function fuzzRuns(defaultRuns: number): number {
  const given = Number(process.env.MIXWELL_FUZZ_RUNS);
  return Number.isInteger(given) && given > 0 ? given : defaultRuns;
}

export function fuzzBudgetMs(): number {
  const given = Number(process.env.MIXWELL_FUZZ_BUDGET_MS);
  return Number.isFinite(given) && given > 0 ? given : 2000;
}

/** Vitest timeout of a property's test: the cases, plus shrinking a failure. */
export function fuzzTimeoutMs(defaultRuns: number, msPerCase = 60): number {
  return 60_000 + fuzzRuns(defaultRuns) * msPerCase;
}

// ---- the sandbox -----------------------------------------------------------------------------------

export type SandboxResult = { readonly outcome: Outcome; readonly ms: number } | { readonly outcome: { readonly status: 'timeout' }; readonly ms: number };

/**
 * A worker thread running the targets of tests/support/fuzzTargets.ts. `run` sends one case and
 * waits at most the budget: a case still running then is a hang, the worker is terminated (a new
 * one starts with the next case) and the result says `timeout`.
 */
export class FuzzSandbox {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, (result: SandboxResult) => void>();
  readonly dir = mkdtempSync(join(tmpdir(), 'mixwell-fuzz-'));

  /** `warmup`: a target run (untimed, up to a minute) whenever a worker starts, e.g. to load the CLI once. */
  constructor(private readonly options: { readonly warmup?: string } = {}) {}

  private start(): Promise<void> {
    const worker = new Worker(new URL('./fuzzSandbox.mjs', import.meta.url), { workerData: { dir: this.dir }, stdout: false, stderr: false });
    this.worker = worker;
    const warmup = this.options.warmup;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: { ready?: true; id?: number; outcome?: Outcome; ms?: number }) => {
        if (message.ready) {
          if (!warmup) return resolve();
          // the warm-up is case 0: its answer resolves `ready`
          this.pending.set(0, (result) => (result.outcome.status === 'ok' ? resolve() : reject(new Error(`fuzz sandbox warm-up ${warmup} failed: ${JSON.stringify(result.outcome)}`))));
          worker.postMessage({ id: 0, target: warmup, payload: {} });
          return;
        }
        const done = this.pending.get(message.id as number);
        this.pending.delete(message.id as number);
        done?.({ outcome: message.outcome as Outcome, ms: message.ms as number });
      });
      worker.on('error', (error) => {
        reject(error);
        // a crash of the worker itself (not a thrown error: those come back as outcomes)
        for (const [id, done] of this.pending) {
          this.pending.delete(id);
          done({ outcome: { status: 'error', error: { className: 'WorkerCrash', message: String(error?.stack ?? error), classes: [] } }, ms: 0 });
        }
        this.worker = undefined;
      });
    });
    return this.ready;
  }

  async run(target: string, payload: unknown, budgetMs = fuzzBudgetMs()): Promise<SandboxResult> {
    if (!this.worker) await this.start();
    else await this.ready;
    const worker = this.worker as Worker;
    const id = this.nextId++;
    const started = performance.now();
    return new Promise<SandboxResult>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.worker = undefined;
        void worker.terminate();
        resolve({ outcome: { status: 'timeout' }, ms: performance.now() - started });
      }, budgetMs);
      this.pending.set(id, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
      worker.postMessage({ id, target, payload });
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// ---- named errors --------------------------------------------------------------------------------

/**
 * The kinds of input, and what a named error is for each: the class the parser throws on purpose,
 * and the file plus a place in it (row / column, or key path) in its message.
 * - data: a DataValidationError; every issue names the file (issue.file) and a row, a column or a
 *   role of the spec (`spec.<role>`), unless it is about the whole file (FILE_LEVEL_DATA);
 * - runConfig: a ConfigError naming the config file and a key path (`<file>: <key path>: ...`); or,
 *   where the config's roles read the data file, a named data error;
 * - runConfigFile: as runConfig, or the file-level error of an unreadable or invalid JSON file
 *   (`<file>: not valid JSON (...)`);
 * - manifest: a ConfigError whose file is the manifest (or starts with it: a fit's config is named
 *   `<manifest>: fits[i] (...)`), or the file-level error of invalid JSON;
 * - plan, bounds: the optimizer's deliberate Error (class Error itself, not a TypeError or another
 *   built-in subclass) whose message starts with the file and then a key path (`.channels.tv`,
 *   `["odd key"]`), a row (`, row 3`) or the problem (`: ...`); the file-level error of invalid
 *   JSON; for a malformed plan CSV, a named data error (it is read by the data layer's reader);
 * - future: a named data error (the run checks are about the whole file) or the plan style above;
 * - cliFit: exit code 1, the message `mixwell: <the parsers' named error for the same input, as
 *   runConfig above>`, and no run directory left behind.
 * Whatever the kind: never a built-in error class, never a message of a crash (RAW_CRASH), no
 * message longer than MAX_MESSAGE characters, and no key added to a built-in prototype (the sandbox
 * checks Object.prototype and others after each case).
 */
export type InputKind = 'data' | 'runConfig' | 'runConfigFile' | 'manifest' | 'plan' | 'bounds' | 'future' | 'cliFit';

/** Data issues about the whole file, which name no row, column or spec key. */
export const FILE_LEVEL_DATA =
  /^(the file is empty|the file is not valid UTF-8 text|the file has a header but no data rows|the table has no data rows|no date column|no KPI column|no channels|cannot detect the \w+ column|\.\.\. and \d+ more|unknown dateFormat|unknown imputation method|imputation asked for column|the run has a value per KPI unit|the file lacks \d+ geo|geo\(s\) .* are not geos of the run|the file's \w+ \(.*\) are not the run's|two (channels|treatments) are named)/;

/** Messages of a crash rather than of a check. */
export const RAW_CRASH =
  /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not defined|is not a constructor|undefined is not|null is not|Maximum call stack|Invalid array length|Invalid typed array length|Invalid string length|Array buffer allocation failed|Cannot convert|\[object Object\]|\b(row|rows|column) (undefined|NaN|null)\b|got undefined\b/;

/** The longest message a person can read (50 issues of a few hundred characters, as the data loader lists at most). */
export const MAX_MESSAGE = 50_000;

const BUILT_IN_ERRORS = new Set(['TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError', 'WorkerCrash', 'PrototypePollution', 'string', 'number', 'undefined', 'Object']);

export interface NamedErrorContext {
  /** The name the file goes by in messages (data: the file name given to the loader; others: the path). */
  readonly file: string;
  /** Other files a message may name instead (e.g. the data file a config's roles read). */
  readonly alsoFiles?: readonly string[];
}

function dataIssueProblem(issue: NonNullable<DescribedError['issues']>[number], files: readonly string[]): string | undefined {
  if (!files.includes(issue.file)) return `issue names file ${JSON.stringify(issue.file)}, expected ${files.map((f) => JSON.stringify(f)).join(' or ')}`;
  if (!issue.message) return 'issue without a message';
  if (RAW_CRASH.test(issue.message)) return `issue message looks like a crash: ${issue.message}`;
  const located = issue.row !== undefined || issue.column !== undefined || /\bspec\.\w/.test(issue.message) || FILE_LEVEL_DATA.test(issue.message);
  if (!located) return `issue names no row, column or spec key: ${issue.message}`;
  if (issue.row !== undefined && !(Number.isInteger(issue.row) && issue.row >= 1)) return `issue row ${issue.row} is not a line of the file`;
  return undefined;
}

function namedDataError(error: DescribedError, files: readonly string[]): string | undefined {
  if (!error.classes.includes('DataValidationError')) return `expected a DataValidationError, got ${error.className}`;
  const issues = error.issues ?? [];
  if (issues.length === 0) return 'DataValidationError without issues';
  for (const issue of issues) {
    const problem = dataIssueProblem(issue, files);
    if (problem) return problem;
  }
  return undefined;
}

function namedConfigError(error: DescribedError, files: readonly string[]): string | undefined {
  if (!error.classes.includes('ConfigError')) return `expected a ConfigError, got ${error.className}`;
  if (!error.file || !files.some((f) => error.file === f || error.file!.startsWith(`${f}: `))) return `ConfigError names file ${JSON.stringify(error.file)}, expected ${files.join(' or ')}`;
  if (!error.path) return 'ConfigError without a key path';
  if (!error.message.startsWith(`${error.file}: ${error.path}: `)) return `ConfigError message does not start with "<file>: <key path>: ": ${error.message}`;
  return undefined;
}

/** The deliberate plain Error of the optimizer's files: `<file>.<key path>: ...`, `<file>, row N...` or `<file>: ...`. */
function namedFileError(error: DescribedError, file: string): string | undefined {
  if (error.className !== 'Error') return `expected the parser's own Error, got ${error.className}`;
  if (!error.message.startsWith(file)) return `message does not start with the file ${file}: ${error.message}`;
  const rest = error.message.slice(file.length);
  if (!/^(\.\S|\[|, row \d+|: \S)/.test(rest)) return `message names no key path or row after the file: ${error.message}`;
  return undefined;
}

/** Invalid JSON or an unreadable file: the readers' file-level errors. */
function namedJsonFileError(error: DescribedError, file: string): string | undefined {
  if (error.className !== 'Error') return `expected the reader's own Error, got ${error.className}`;
  return new RegExp(`^${escapeRegExp(file)}: (not valid JSON|cannot read)`).test(error.message) ? undefined : `not a file-level JSON error naming ${file}: ${error.message}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Why an outcome of `kind` is not a success or a named error (undefined when it is one of those). */
export function namedErrorProblem(kind: InputKind, outcome: Outcome | { status: 'timeout' }, context: NamedErrorContext, budgetMs = fuzzBudgetMs()): string | undefined {
  if (outcome.status === 'timeout') return `did not finish within the time budget of ${budgetMs} ms (a hang)`;
  if (outcome.status === 'ok') return kind === 'cliFit' ? cliProblem(outcome.value as CliResult, context) : undefined;
  const error = outcome.error;
  if (error.message.length > MAX_MESSAGE) return `a message of ${error.message.length} characters (more than ${MAX_MESSAGE}: nobody reads it): ${error.message.slice(0, 500)}...`;
  if (BUILT_IN_ERRORS.has(error.className)) return `raw ${error.className}: ${error.message}\n${error.stack ?? ''}`;
  if (RAW_CRASH.test(error.message)) return `message looks like a crash: ${error.message}\n${error.stack ?? ''}`;
  const files = [context.file, ...(context.alsoFiles ?? [])];
  const firstOf = (...checks: (() => string | undefined)[]): string | undefined => {
    const problems = checks.map((check) => check());
    return problems.some((p) => p === undefined) ? undefined : problems.join('; or ');
  };
  let problem: string | undefined;
  switch (kind) {
    case 'data':
      problem = namedDataError(error, files);
      break;
    case 'runConfig':
      problem = firstOf(() => namedConfigError(error, files), () => namedDataError(error, files));
      break;
    case 'runConfigFile':
      problem = firstOf(() => namedConfigError(error, files), () => namedJsonFileError(error, context.file));
      break;
    case 'manifest':
      problem = firstOf(() => namedConfigError(error, files), () => namedJsonFileError(error, context.file));
      break;
    case 'plan':
    case 'bounds':
      // a plan CSV is read by the data layer's reader: a malformed one is a named data error
      problem = firstOf(() => namedFileError(error, context.file), () => namedJsonFileError(error, context.file), () => namedDataError(error, [context.file]));
      break;
    case 'future':
      problem = firstOf(() => namedDataError(error, files), () => namedFileError(error, context.file));
      break;
    case 'cliFit':
      problem = `the CLI target threw instead of returning its exit code: ${error.className}: ${error.message}`;
      break;
  }
  return problem === undefined ? undefined : `${problem}\n${error.stack ?? ''}`;
}

export interface CliResult {
  readonly ran: boolean;
  readonly exitCode?: number;
  readonly stderr?: string;
  readonly outExists?: boolean;
  /** The error the parsers give for the same input, called directly. */
  readonly expected?: DescribedError;
  readonly dataPath?: string;
  readonly configPath?: string;
}

function cliProblem(result: CliResult, context: NamedErrorContext): string | undefined {
  if (!result.ran) return undefined;
  if (result.outExists) return `the failed fit left its run directory behind (exit code ${result.exitCode})`;
  if (result.exitCode !== 1) return `exit code ${result.exitCode}, expected 1 for bad input; stderr: ${result.stderr}`;
  const stderr = result.stderr ?? '';
  if (!stderr.startsWith('mixwell: ')) return `stderr does not start with "mixwell: ": ${stderr}`;
  if (RAW_CRASH.test(stderr)) return `stderr looks like a crash: ${stderr}`;
  if (stderr.length > MAX_MESSAGE) return `a message of ${stderr.length} characters: ${stderr.slice(0, 500)}...`;
  const files = [context.file, ...(context.alsoFiles ?? [])];
  if (!files.some((f) => stderr.includes(f))) return `stderr names neither ${files.join(' nor ')}: ${stderr}`;
  // what the CLI says is the parsers' named error for the input
  if (result.expected) {
    const outcome = { status: 'error' as const, error: result.expected };
    const named = namedErrorProblem('runConfig', outcome, context) && (result.configPath ? namedErrorProblem('runConfigFile', outcome, { file: result.configPath }) : 'no config file');
    if (named) return `the parsers' error for this input is not named: ${named}`;
    if (!stderr.startsWith(`mixwell: ${result.expected.message}`)) return `stderr is not the parsers' error (${result.expected.message.split('\n')[0]}): ${stderr}`;
  }
  return undefined;
}

/** A short label of an outcome for the counts: ok, timeout, or the error's class. */
export function outcomeLabel(result: SandboxResult): string {
  const outcome = result.outcome;
  if (outcome.status === 'ok') {
    const value = outcome.value as CliResult | undefined;
    if (value && typeof value === 'object' && 'ran' in value) return value.ran ? `exit ${value.exitCode}` : 'valid (not fitted)';
    return 'ok';
  }
  if (outcome.status === 'timeout') return 'timeout';
  const project = outcome.error.classes[0];
  return project ?? outcome.error.className;
}

// ---- counts ----------------------------------------------------------------------------------------

/** Counts of one property: cases, mutation kinds tried, outcomes, time. */
export class FuzzTally {
  cases = 0;
  readonly kinds = new Map<string, number>();
  readonly outcomes = new Map<string, number>();
  totalMs = 0;
  maxMs = 0;
  /** Mutation kinds of the slowest case. */
  slowestKinds: string[] = [];
  failures = 0;
  /** Distinct problems found (explore mode): signature -> count and first example. */
  readonly findings = new Map<string, { count: number; example: string }>();
  private readonly started = performance.now();

  constructor(readonly property: string) {}

  record(kinds: readonly string[], result: SandboxResult, failed: boolean): void {
    this.cases++;
    for (const kind of new Set(kinds)) this.kinds.set(kind, (this.kinds.get(kind) ?? 0) + 1);
    const label = outcomeLabel(result);
    this.outcomes.set(label, (this.outcomes.get(label) ?? 0) + 1);
    this.totalMs += result.ms;
    if (result.ms > this.maxMs) this.slowestKinds = [...kinds];
    this.maxMs = Math.max(this.maxMs, result.ms);
    if (failed) this.failures++;
  }

  line(): string {
    const list = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
    const wall = (performance.now() - this.started) / 1000;
    return `fuzz ${this.property}: ${this.cases} cases in ${wall.toFixed(1)} s (slowest ${this.maxMs.toFixed(0)} ms: ${this.slowestKinds.join('+')}): ${list(this.outcomes)}${this.failures ? `; FAILED ${this.failures}` : ''} | kinds: ${list(this.kinds)}`;
  }

  json(): Record<string, unknown> {
    return {
      property: this.property,
      cases: this.cases,
      seconds: Number(((performance.now() - this.started) / 1000).toFixed(2)),
      slowestMs: Number(this.maxMs.toFixed(1)),
      slowestKinds: this.slowestKinds,
      meanMs: Number((this.totalMs / Math.max(1, this.cases)).toFixed(2)),
      outcomes: Object.fromEntries(this.outcomes),
      kinds: Object.fromEntries(this.kinds),
      failures: this.failures,
      ...(this.findings.size > 0 ? { findings: Object.fromEntries([...this.findings].map(([k, v]) => [k, v.count])) } : {}),
      runs: fuzzRuns(0) || undefined,
      seed: fuzzSeed(),
    };
  }

  /** Print the one-line count (and append it to MIXWELL_FUZZ_REPORT when set). */
  report(): void {
    console.log(this.line());
    const file = process.env.MIXWELL_FUZZ_REPORT;
    if (file) appendFileSync(file, `${JSON.stringify(this.json())}\n`);
  }
}

/**
 * Run a property over `arb` in the sandbox: each case is sent to `target`, its outcome must be a
 * success (and pass `checkOk`) or a named error of `kind`; the first case that is not fails the
 * test with the (shrunk) recipe and what happened. Prints the counts.
 */
export async function fuzzProperty<T>(options: {
  readonly name: string;
  readonly sandbox: FuzzSandbox;
  readonly arb: fc.Arbitrary<T>;
  readonly runs: number;
  /** Target, payload and named-error context of a case. */
  readonly prepare: (input: T) => { target: string; payload: unknown; kind: InputKind; context: NamedErrorContext; kinds: readonly string[]; show?: () => string; size?: number };
  /** Extra checks of a success (invariants); a string is a failure. */
  readonly checkOk?: (value: unknown, input: T) => string | undefined;
  /** Extra checks of any outcome (e.g. an input that must parse). */
  readonly check?: (result: SandboxResult, input: T) => string | undefined | Promise<string | undefined>;
  /** Inputs that must succeed (e.g. the unmutated base, or mutations that keep it valid). */
  readonly mustSucceed?: (input: T) => boolean;
  /** The time budget of a case (default fuzzBudgetMs()). */
  readonly budgetMs?: number;
  /** Print and record the counts (default true; false for the harness's own tests). */
  readonly report?: boolean;
  /** List every distinct problem instead of failing on the first (default: MIXWELL_FUZZ_EXPLORE=1). */
  readonly explore?: boolean;
}): Promise<void> {
  const tally = new FuzzTally(options.name);
  const explore = options.explore ?? exploreMode;
  const budget = options.budgetMs ?? fuzzBudgetMs();
  try {
    await fc.assert(
      fc.asyncProperty(options.arb, async (input) => {
        const prepared = options.prepare(input);
        // the budget holds for inputs up to a megabyte (the examples are 30 KB); a larger one gets it per megabyte
        const caseBudget = budget * Math.max(1, (prepared.size ?? 0) / 1e6);
        const result = await options.sandbox.run(prepared.target, prepared.payload, caseBudget);
        let problem = namedErrorProblem(prepared.kind, result.outcome, prepared.context, caseBudget);
        if (!problem && result.outcome.status === 'ok' && options.checkOk) problem = options.checkOk(result.outcome.value, input);
        if (!problem && options.check) problem = await options.check(result, input);
        if (!problem && options.mustSucceed?.(input) && result.outcome.status !== 'ok') problem = `a valid input (unmutated, or mutated in a way that keeps it valid) did not succeed: ${result.outcome.status === 'error' ? result.outcome.error.message : 'timeout'}`;
        tally.record(prepared.kinds, result, problem !== undefined);
        if (!problem) return;
        const shown = `${problem}\n--- input ---\n${prepared.show ? prepared.show() : fc.stringify(prepared.payload).slice(0, 2000)}`;
        if (explore) {
          // the first line of the problem, numbers and quoted names blurred, is its signature
          const signature = problem.split('\n')[0].replace(/\d+/g, 'N').replace(/"[^"]*"/g, '"…"').slice(0, 160);
          if (!tally.findings.has(signature)) tally.findings.set(signature, { count: 0, example: shown.slice(0, 3000) });
          tally.findings.get(signature)!.count++;
          return;
        }
        throw new Error(shown);
      }),
      { seed: fuzzSeed(), numRuns: options.runs, endOnFailure: false },
    );
  } finally {
    if (options.report ?? true) tally.report();
    if (explore) for (const [signature, { count, example }] of tally.findings) console.log(`FINDING x${count}: ${signature}\n${example}\n`);
  }
}

/** MIXWELL_FUZZ_EXPLORE=1: a failing case does not stop the property; distinct problems are listed at the end (for a bug hunt). */
const exploreMode = process.env.MIXWELL_FUZZ_EXPLORE === '1';

// ---- CSV files -------------------------------------------------------------------------------------

export interface CsvTable {
  readonly header: string[];
  readonly rows: string[][];
}

/** A CSV without quoted fields (the examples) as header and rows of cells. */
export function splitCsv(text: string): CsvTable {
  const lines = text.replace(/\r\n/g, '\n').split('\n').filter((line) => line !== '');
  const [header, ...rows] = lines.map((line) => line.split(','));
  return { header, rows };
}

export const EXAMPLES = {
  geo: {
    text: readFileSync(new URL('../../examples/geo.csv', import.meta.url), 'utf8'),
    spec: JSON.parse(readFileSync(new URL('../../examples/geo.config.json', import.meta.url), 'utf8')).data as Record<string, unknown>,
  },
  national: {
    text: readFileSync(new URL('../../examples/national.csv', import.meta.url), 'utf8'),
    spec: JSON.parse(readFileSync(new URL('../../examples/national.config.json', import.meta.url), 'utf8')).data as Record<string, unknown>,
  },
} as const;

export type ExampleName = keyof typeof EXAMPLES;

/** The example's rows of its first `periods` dates (every geo), header first. */
export function exampleTable(name: ExampleName, periods: number): CsvTable {
  const table = splitCsv(EXAMPLES[name].text);
  const dateColumn = table.header.indexOf('date');
  const dates = [...new Set(table.rows.map((r) => r[dateColumn]))].sort().slice(0, periods);
  const keep = new Set(dates);
  return { header: [...table.header], rows: table.rows.filter((r) => keep.has(r[dateColumn])).map((r) => [...r]) };
}

/** Texts a cell is replaced with: numbers at the edges, non-finite and missing markers, whitespace, dates in other formats, unicode, quoting material. */
export const CELL_TEXTS = {
  number: ['1e308', '-1e308', '1e-308', '5e-324', '-0', '+0', '0.0', '1e309', '-1e309', '1E5', '.5', '5.', '+5', '0x10', '1_000', '1,234.5', '1.234,5', '١٢٣', '１２３', '12abc', '1e', 'e5', '--1', '1e-400', '9'.repeat(400), `0.${'0'.repeat(400)}1`],
  nonFinite: ['NaN', 'nan', 'NAN', '-NaN', 'Inf', '-Inf', 'inf', 'Infinity', '-Infinity', 'infinity', '+infinity', 'INF', '∞', 'NA', 'N/A', 'null', 'None', '#N/A', 'undefined', '#DIV/0!'],
  whitespace: ['', ' ', '  ', '\t', ' \t ', '\u00a0', '\u2003', '\u200b', '\ufeff'],
  date: ['1/9/2023', '9/1/2023', '1/9/23', '2023/01/09', '20230109', '2023-1-9', '2023-01-09T00:00:00Z', '2023-01-09T00:00:00.000', '2023-01-09 00:00', '2023-01-09T12:00', '2023-01-09Z', ' 2023-01-09 ', '2023-02-30', '2023-13-01', '0000-01-01', '9999-12-31', '+002023-01-09', '44935', '09.01.2023', 'Jan 9 2023', '2023-W02'],
  unicode: ['nörth', '北', '🙂', 'Ω', 'a\u0301', '\u202eevil', 'ﬁ', 'İ', 'ß', '\u0000', '\u0007', '\uffff', '\ud83d', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype'],
  quoted: ['"', '""', '"a', 'a"b', 'a,b', 'a\nb', 'a\r\nb', 'a\rb', '"a,b"', '"\n"', ',', '\n', '\r', 'x,y\nz'],
} as const;

export type CellTextKind = keyof typeof CELL_TEXTS;

/** Column names a column is renamed to. */
export const COLUMN_NAMES = ['', ' ', 'date', 'geo', 'sales', 'tv_spend', '__row', '__proto__', 'constructor', 'toString', 'Ünïcødé', '売上', '🙂_spend', 'spend_🙂', 'Organic_x', 'x_control', 'a,b', 'a\nb', '"q"', ' sales ', 'SALES', 'Sales'];

/** Geo names a geo is renamed to (all its rows). */
export const GEO_NAMES = ['Nörth', '北部', '🙂', 'north, east', 'north\nline', '"quoted"', '__proto__', 'constructor', 'toString', 'hasOwnProperty', ' padded ', 'x'.repeat(300), 'national', 'Ω≈ç√'];

export type CsvMutation =
  | { readonly kind: 'cell'; readonly row: number; readonly col: number; readonly text: string; readonly from: CellTextKind | 'random' }
  | { readonly kind: 'renameColumn'; readonly col: number; readonly name: string; readonly inSpec: boolean }
  | { readonly kind: 'renameGeo'; readonly geo: number; readonly name: string }
  | { readonly kind: 'duplicateHeader'; readonly from: number; readonly to: number }
  | { readonly kind: 'dropHeaderCell'; readonly col: number }
  | { readonly kind: 'keepRows'; readonly count: number }
  | { readonly kind: 'oneGeo' }
  | { readonly kind: 'dropRow'; readonly row: number }
  | { readonly kind: 'duplicateRow'; readonly row: number }
  | { readonly kind: 'swapRows'; readonly a: number; readonly b: number }
  | { readonly kind: 'blankLine'; readonly row: number; readonly text: string }
  | { readonly kind: 'dropColumn'; readonly col: number }
  | { readonly kind: 'addColumn'; readonly name: string; readonly fill: string }
  | { readonly kind: 'dateFormat'; readonly format: 'M/D/YYYY' | 'D/M/YYYY' | 'M/D/YY' | 'mixed'; readonly inSpec: boolean }
  | { readonly kind: 'padNumbers'; readonly pad: string }
  | { readonly kind: 'wideHeader'; readonly columns: number; readonly fill: string }
  | { readonly kind: 'longCell'; readonly row: number; readonly col: number; readonly length: number }
  | { readonly kind: 'repeatRows'; readonly times: number };

export interface CsvEncoding {
  readonly eol: '\n' | '\r\n' | '\r';
  readonly bom: boolean;
  /** Quote every cell (valid RFC 4180: the same values). */
  readonly quoteAll: boolean;
  /** Blank lines after the last row (valid: not data). */
  readonly trailing: string;
}

export type ByteMutation =
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'insertBytes'; readonly at: number; readonly bytes: readonly number[] }
  | { readonly kind: 'replaceByte'; readonly at: number; readonly byte: number }
  | { readonly kind: 'deleteBytes'; readonly at: number; readonly length: number }
  | { readonly kind: 'emptyFile' };

export interface CsvCase {
  readonly base: ExampleName;
  readonly periods: number;
  /** Roles: the example config's, or none (detected from the column names). */
  readonly spec: 'config' | 'detect';
  readonly mutations: readonly CsvMutation[];
  readonly encoding: CsvEncoding;
  readonly bytes: readonly ByteMutation[];
}

const pick = <T>(list: readonly T[], i: number): T => list[((i % list.length) + list.length) % list.length];

function columnIndex(table: CsvTable, col: number): number {
  return ((col % table.header.length) + table.header.length) % table.header.length;
}

function reformatDate(iso: string, format: 'M/D/YYYY' | 'D/M/YYYY' | 'M/D/YY'): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  if (format === 'M/D/YYYY') return `${m}/${d}/${y}`;
  if (format === 'D/M/YYYY') return `${d}/${m}/${y}`;
  return `${m}/${d}/${String(y).slice(2)}`;
}

/** Apply table mutations (in order) to a copy of the table and the spec. */
export function mutateTable(table: CsvTable, spec: Record<string, unknown> | undefined, mutations: readonly CsvMutation[]): { table: CsvTable; spec: Record<string, unknown> | undefined } {
  let header = [...table.header];
  let rows = table.rows.map((r) => [...r]);
  let specOut = spec === undefined ? undefined : (JSON.parse(JSON.stringify(spec)) as Record<string, unknown>);
  const renameInSpec = (from: string, to: string) => {
    if (specOut === undefined) return;
    specOut = JSON.parse(JSON.stringify(specOut), (_key, value) => (value === from ? to : value)) as Record<string, unknown>;
  };
  for (const m of mutations) {
    switch (m.kind) {
      case 'cell':
        if (rows.length > 0) pick(rows, m.row)[columnIndex({ header, rows }, m.col)] = m.text;
        break;
      case 'renameColumn': {
        const j = columnIndex({ header, rows }, m.col);
        if (m.inSpec) renameInSpec(header[j], m.name);
        header[j] = m.name;
        break;
      }
      case 'renameGeo': {
        const g = header.indexOf('geo');
        if (g < 0) break;
        const geos = [...new Set(rows.map((r) => r[g]))];
        if (geos.length === 0) break;
        const from = pick(geos, m.geo);
        for (const r of rows) if (r[g] === from) r[g] = m.name;
        break;
      }
      case 'duplicateHeader':
        header[columnIndex({ header, rows }, m.to)] = header[columnIndex({ header, rows }, m.from)];
        break;
      case 'dropHeaderCell':
        header.splice(columnIndex({ header, rows }, m.col), 1);
        break;
      case 'keepRows':
        rows = rows.slice(0, m.count);
        break;
      case 'oneGeo': {
        const g = header.indexOf('geo');
        if (g >= 0 && rows.length > 0) rows = rows.filter((r) => r[g] === rows[0][g]);
        break;
      }
      case 'dropRow':
        if (rows.length > 0) rows.splice(((m.row % rows.length) + rows.length) % rows.length, 1);
        break;
      case 'duplicateRow':
        if (rows.length > 0) rows.splice(((m.row % rows.length) + rows.length) % rows.length, 0, [...pick(rows, m.row)]);
        break;
      case 'swapRows':
        if (rows.length > 1) {
          const a = ((m.a % rows.length) + rows.length) % rows.length;
          const b = ((m.b % rows.length) + rows.length) % rows.length;
          [rows[a], rows[b]] = [rows[b], rows[a]];
        }
        break;
      case 'blankLine':
        // a line of only `text` (spaces or nothing) between rows
        rows.splice(rows.length === 0 ? 0 : ((m.row % rows.length) + rows.length) % rows.length, 0, [m.text]);
        break;
      case 'dropColumn': {
        const j = columnIndex({ header, rows }, m.col);
        header.splice(j, 1);
        for (const r of rows) if (r.length > j) r.splice(j, 1);
        break;
      }
      case 'addColumn':
        header = [...header, m.name];
        for (const r of rows) r.push(m.fill);
        break;
      case 'dateFormat': {
        const d = header.indexOf('date');
        // from ISO dates only (a second dateFormat mutation leaves the first one's dates)
        if (d < 0 || !rows.some((r) => /^\d{4}-\d{2}-\d{2}$/.test(r[d] ?? ''))) break;
        const formats = ['M/D/YYYY', 'D/M/YYYY', 'M/D/YY'] as const;
        rows.forEach((r, i) => {
          if (r.length > d) r[d] = reformatDate(r[d], m.format === 'mixed' ? formats[i % 3] : m.format);
        });
        if (m.inSpec && specOut !== undefined && m.format !== 'mixed') specOut.dateFormat = m.format;
        break;
      }
      case 'wideHeader':
        header = [...header, ...Array.from({ length: m.columns }, (_, k) => `extra${k}`)];
        for (const r of rows) for (let k = 0; k < m.columns; k++) r.push(m.fill);
        break;
      case 'longCell':
        if (rows.length > 0) pick(rows, m.row)[columnIndex({ header, rows }, m.col)] = 'x'.repeat(m.length);
        break;
      case 'repeatRows':
        rows = Array.from({ length: m.times }, () => rows.map((r) => [...r])).flat();
        break;
      case 'padNumbers':
        for (const r of rows) r.forEach((cell, j) => (r[j] = /^-?\d/.test(cell) && !/^\d{4}-/.test(cell) && header[j] !== 'geo' ? `${m.pad}${cell}${m.pad}` : cell));
        break;
    }
  }
  return { table: { header, rows }, spec: specOut };
}

function quoteCell(cell: string, all: boolean): string {
  return all || /[",\r\n]/.test(cell) || cell.startsWith('\ufeff') ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** CSV text of a table: cells quoted where needed (or all), the given line ends, BOM and trailing blank lines. */
export function encodeCsv(table: CsvTable, encoding: CsvEncoding): string {
  // a copied row may have holes (a cell set past its end): empty cells
  const line = (cells: readonly (string | undefined)[]) => Array.from(cells, (c) => quoteCell(c ?? '', encoding.quoteAll)).join(',');
  // a one-cell row of blanks and commas is a `blankLine` mutation: written as it is
  const body = [line(table.header), ...table.rows.map((r) => (r.length === 1 && /^[\s,]*$/.test(r[0]) ? r[0] : line(r)))].join(encoding.eol) + encoding.eol;
  return `${encoding.bom ? '\ufeff' : ''}${body}${encoding.trailing}`;
}

export function mutateBytes(bytes: Uint8Array, mutations: readonly ByteMutation[]): Uint8Array {
  let out = bytes;
  for (const m of mutations) {
    // a position in [0, n] from the mutation's fraction in [0, 1]
    const at = (n: number) => Math.min(n, Math.floor((m as { at: number }).at * (n + 1)));
    switch (m.kind) {
      case 'truncate':
        out = out.slice(0, at(out.length));
        break;
      case 'insertBytes': {
        const i = at(out.length);
        out = Uint8Array.from([...out.subarray(0, i), ...m.bytes, ...out.subarray(i)]);
        break;
      }
      case 'replaceByte':
        if (out.length > 0) {
          out = Uint8Array.from(out);
          out[Math.min(at(out.length), out.length - 1)] = m.byte;
        }
        break;
      case 'deleteBytes': {
        const i = at(out.length);
        out = Uint8Array.from([...out.subarray(0, i), ...out.subarray(i + m.length)]);
        break;
      }
      case 'emptyFile':
        out = new Uint8Array(0);
        break;
    }
  }
  return out;
}

/** The file bytes and roles of a CSV case. */
export function buildCsvCase(c: CsvCase): { bytes: Uint8Array; spec: Record<string, unknown>; text: string } {
  const baseSpec = EXAMPLES[c.base].spec;
  const { table, spec } = mutateTable(exampleTable(c.base, c.periods), c.spec === 'config' ? baseSpec : undefined, c.mutations);
  const text = encodeCsv(table, c.encoding);
  const bytes = mutateBytes(new TextEncoder().encode(text), c.bytes);
  return { bytes, spec: spec ?? {}, text };
}

export function csvCaseKinds(c: Pick<CsvCase, 'mutations' | 'bytes' | 'encoding'> & { readonly spec?: CsvCase['spec'] }): string[] {
  return [
    ...c.mutations.map((m) => (m.kind === 'cell' ? `cell:${m.from}` : m.kind)),
    ...c.bytes.map((m) => m.kind),
    ...(c.encoding.bom ? ['bom'] : []),
    ...(c.encoding.eol !== '\n' ? [c.encoding.eol === '\r\n' ? 'crlf' : 'cr'] : []),
    ...(c.encoding.quoteAll ? ['quoteAll'] : []),
    ...(c.encoding.trailing !== '' ? ['trailingBlank'] : []),
    ...(c.spec === 'detect' ? ['detectRoles'] : []),
    ...(c.mutations.length + c.bytes.length === 0 ? ['unmutated'] : []),
  ];
}

/** The case's text around where it was mutated, for failure messages (bytes shown as text, lossy). */
export function showCsvCase(c: object, bytes: Uint8Array): string {
  const text = new TextDecoder().decode(bytes);
  const shown = text.length > 1500 ? `${text.slice(0, 1200)}\n... (${text.length} characters in all) ...\n${text.slice(-200)}` : text;
  return `${JSON.stringify(c)}\n${JSON.stringify(shown)}`;
}

const cellTextArb: fc.Arbitrary<{ text: string; from: CellTextKind | 'random' }> = fc.oneof(
  ...(Object.keys(CELL_TEXTS) as CellTextKind[]).map((from) => fc.constantFrom(...CELL_TEXTS[from]).map((text) => ({ text, from }))),
  fc.string({ unit: 'binary', maxLength: 12 }).map((text) => ({ text, from: 'random' as const })),
);

export const csvMutationArb: fc.Arbitrary<CsvMutation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('cell' as const), row: fc.nat(400), col: fc.nat(8) }).chain((m) => cellTextArb.map((t) => ({ ...m, ...t }))), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('renameColumn' as const), col: fc.nat(8), name: fc.oneof(fc.constantFrom(...COLUMN_NAMES), fc.string({ unit: 'grapheme', maxLength: 8 })), inSpec: fc.boolean() }), weight: 2 },
  fc.record({ kind: fc.constant('renameGeo' as const), geo: fc.nat(3), name: fc.oneof(fc.constantFrom(...GEO_NAMES), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 })) }),
  fc.record({ kind: fc.constant('duplicateHeader' as const), from: fc.nat(8), to: fc.nat(8) }),
  fc.record({ kind: fc.constant('dropHeaderCell' as const), col: fc.nat(8) }),
  fc.record({ kind: fc.constant('keepRows' as const), count: fc.nat(3) }),
  fc.constant({ kind: 'oneGeo' as const }),
  fc.record({ kind: fc.constant('dropRow' as const), row: fc.nat(400) }),
  fc.record({ kind: fc.constant('duplicateRow' as const), row: fc.nat(400) }),
  fc.record({ kind: fc.constant('swapRows' as const), a: fc.nat(400), b: fc.nat(400) }),
  fc.record({ kind: fc.constant('blankLine' as const), row: fc.nat(400), text: fc.constantFrom('', ' ', '\t', ',,,') }),
  fc.record({ kind: fc.constant('dropColumn' as const), col: fc.nat(8) }),
  fc.record({ kind: fc.constant('addColumn' as const), name: fc.constantFrom(...COLUMN_NAMES), fill: fc.constantFrom('1', '0', '', 'x', '1e308') }),
  fc.record({ kind: fc.constant('dateFormat' as const), format: fc.constantFrom('M/D/YYYY' as const, 'D/M/YYYY' as const, 'M/D/YY' as const, 'mixed' as const), inSpec: fc.boolean() }),
  // size: thousands of columns, a cell of up to a megabyte, the rows many times over
  { arbitrary: fc.record({ kind: fc.constant('wideHeader' as const), columns: fc.constantFrom(100, 2000), fill: fc.constantFrom('1', '') }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('longCell' as const), row: fc.nat(400), col: fc.nat(8), length: fc.constantFrom(1000, 100_000, 1_000_000) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('repeatRows' as const), times: fc.constantFrom(2, 10) }), weight: 1 },
);

export const csvEncodingArb: fc.Arbitrary<CsvEncoding> = fc.record({
  eol: fc.constantFrom('\n' as const, '\r\n' as const, '\r' as const),
  bom: fc.boolean(),
  quoteAll: fc.boolean(),
  trailing: fc.constantFrom('', '', '\n', '\n\n\n', '\r\n\r\n', '  \n', '\t'),
});

export const byteMutationArb: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('insertBytes' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), bytes: fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x22, 0x2c, 0x0a, 0x0d, 0x00, 0xef, 0xbb, 0xbf, 0xff, 0xc3)), { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('replaceByte' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), byte: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x22, 0x2c, 0x0a, 0x0d, 0x80, 0xff)) }),
  fc.record({ kind: fc.constant('deleteBytes' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 64 }) }),
  fc.constant({ kind: 'emptyFile' as const }),
);

const PLAIN: CsvEncoding = { eol: '\n', bom: false, quoteAll: false, trailing: '' };

/** A CSV case: one of the examples (its first 1-all periods), 0-3 table mutations, an encoding, 0-2 byte mutations. */
export function csvCaseArb(options: { readonly bases?: readonly ExampleName[]; readonly maxPeriods?: number; readonly specs?: readonly ('config' | 'detect')[] } = {}): fc.Arbitrary<CsvCase> {
  return fc.record({
    base: fc.constantFrom(...(options.bases ?? (['geo', 'national'] as const))),
    periods: fc.integer({ min: 1, max: options.maxPeriods ?? 104 }),
    spec: fc.constantFrom(...(options.specs ?? (['config', 'config', 'detect'] as const))),
    mutations: fc.array(csvMutationArb, { maxLength: 3 }),
    encoding: fc.oneof({ arbitrary: fc.constant(PLAIN), weight: 2 }, csvEncodingArb),
    bytes: fc.oneof({ arbitrary: fc.constant([] as ByteMutation[]), weight: 2 }, fc.array(byteMutationArb, { minLength: 1, maxLength: 2 })),
  });
}

/** Mutations that keep the data the same: encodings, quoting, padding numbers, renaming a geo or (in the spec too) a column. */
export const preservingCaseArb: fc.Arbitrary<CsvCase> = fc.record({
  base: fc.constantFrom('geo' as const, 'national' as const),
  periods: fc.integer({ min: 26, max: 104 }),
  spec: fc.constant('config' as const),
  mutations: fc.array(
    fc.oneof(
      fc.record({ kind: fc.constant('renameGeo' as const), geo: fc.nat(3), name: fc.constantFrom(...GEO_NAMES.filter((n) => n !== 'national')) }).map((m) => ({ ...m, name: `${m.name}~${m.geo}` })),
      fc.record({ kind: fc.constant('renameColumn' as const), col: fc.nat(5), name: fc.constantFrom('Ünïcødé', '売上', 'a,b', 'a\nb', '"q"', 'ω') }).map((m) => ({ ...m, name: `${m.name}#${m.col}`, inSpec: true })),
      fc.record({ kind: fc.constant('padNumbers' as const), pad: fc.constantFrom(' ', '  ', '\t') }),
      fc.record({ kind: fc.constant('dateFormat' as const), format: fc.constantFrom('M/D/YYYY' as const, 'D/M/YYYY' as const), inSpec: fc.constant(true) }),
    ),
    { maxLength: 3 },
  ),
  encoding: csvEncodingArb,
  bytes: fc.constant([]),
});

// ---- JSON documents --------------------------------------------------------------------------------

/** JSON text that is emitted as it is (numbers JSON.parse reads as Infinity or -0, deep nesting, huge arrays). */
export class RawJson {
  constructor(readonly text: string, readonly label: string) {}
}

export type JsonValue = null | boolean | number | string | RawJson | JsonValue[] | { [key: string]: JsonValue };

/** JSON text of a value; keys such as "__proto__" are written as they are (own keys of the value). */
export function jsonText(value: JsonValue): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') return `{${Object.keys(value).map((k) => `${JSON.stringify(k)}:${jsonText(value[k])}`).join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** Set an own key (also "__proto__", which plain assignment would not create). */
function setKey(object: { [key: string]: JsonValue }, key: string, value: JsonValue): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

type Path = (string | number)[];

function nodes(value: JsonValue, path: Path = [], out: { path: Path; value: JsonValue }[] = []): { path: Path; value: JsonValue }[] {
  out.push({ path, value });
  if (value instanceof RawJson) return out;
  if (Array.isArray(value)) value.forEach((v, i) => nodes(v, [...path, i], out));
  else if (value !== null && typeof value === 'object') for (const k of Object.keys(value)) nodes(value[k], [...path, k], out);
  return out;
}

function clone(value: JsonValue): JsonValue {
  if (value instanceof RawJson || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(clone);
  const out: { [key: string]: JsonValue } = {};
  for (const k of Object.keys(value)) setKey(out, k, clone(value[k]));
  return out;
}

function replaceAt(root: JsonValue, path: Path, replace: (old: JsonValue) => JsonValue | undefined): JsonValue {
  if (path.length === 0) return replace(root) ?? null;
  const parent = path.slice(0, -1).reduce<JsonValue>((node, key) => (node as Record<string, JsonValue>)[key as string], root) as Record<string, JsonValue> | JsonValue[];
  const key = path[path.length - 1];
  const next = replace((parent as Record<string, JsonValue>)[key as string]);
  if (Array.isArray(parent)) {
    if (next === undefined) parent.splice(key as number, 1);
    else parent[key as number] = next;
  } else if (next === undefined) delete parent[key as string];
  else setKey(parent, key as string, next);
  return root;
}

export type JsonMutation =
  | { readonly kind: 'set'; readonly at: number; readonly value: JsonValue; readonly what: string }
  | { readonly kind: 'delete'; readonly at: number }
  | { readonly kind: 'addKey'; readonly at: number; readonly key: string; readonly value: JsonValue }
  | { readonly kind: 'number'; readonly at: number; readonly text: string }
  | { readonly kind: 'deepNest'; readonly at: number; readonly depth: number; readonly as: 'array' | 'object' }
  | { readonly kind: 'hugeArray'; readonly at: number; readonly length: number; readonly item: string }
  | { readonly kind: 'duplicateArrayItem'; readonly at: number };

/** Apply JSON mutations in order to a copy of `base`. `at` picks a node (or an object, for addKey) by index, modulo their count. */
export function mutateJson(base: JsonValue, mutations: readonly JsonMutation[]): JsonValue {
  let root = clone(base);
  for (const m of mutations) {
    const all = nodes(root);
    switch (m.kind) {
      case 'set':
        root = replaceAt(root, pick(all, m.at).path, () => clone(m.value));
        break;
      case 'delete': {
        const target = pick(all, m.at);
        root = replaceAt(root, target.path, () => undefined);
        break;
      }
      case 'addKey': {
        const objects = all.filter((n) => n.value !== null && typeof n.value === 'object' && !Array.isArray(n.value) && !(n.value instanceof RawJson));
        if (objects.length > 0) setKey(pick(objects, m.at).value as { [key: string]: JsonValue }, m.key, clone(m.value));
        break;
      }
      case 'number': {
        const numbers = all.filter((n) => typeof n.value === 'number');
        root = replaceAt(root, pick(numbers.length > 0 ? numbers : all, m.at).path, () => new RawJson(m.text, `number ${m.text}`));
        break;
      }
      case 'deepNest':
        root = replaceAt(root, pick(all, m.at).path, (old) => {
          const leaf = jsonText(old ?? null);
          const text = m.as === 'array' ? `${'['.repeat(m.depth)}${leaf}${']'.repeat(m.depth)}` : `${'{"a":'.repeat(m.depth)}${leaf}${'}'.repeat(m.depth)}`;
          return new RawJson(text, `${m.as} nested ${m.depth} deep`);
        });
        break;
      case 'hugeArray':
        root = replaceAt(root, pick(all, m.at).path, () => new RawJson(`[${Array.from({ length: m.length }, () => m.item).join(',')}]`, `array of ${m.length} ${m.item}`));
        break;
      case 'duplicateArrayItem': {
        const arrays = all.filter((n) => Array.isArray(n.value) && (n.value as JsonValue[]).length > 0);
        if (arrays.length > 0) {
          const list = pick(arrays, m.at).value as JsonValue[];
          list.push(clone(list[0]));
        }
        break;
      }
    }
  }
  return root;
}

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

/** Values of the wrong type or out of range. */
export const jsonValueArb: fc.Arbitrary<{ value: JsonValue; what: string }> = fc.oneof(
  fc.constantFrom<JsonValue>(null, true, false, 0, -1, 1, 0.5, -0.5, 1.5, 2, 3, 13, 52, 104, 105, 1e308, -1e308, 1e-308, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, -(2 ** 53)).map((value) => ({ value, what: `constant ${JSON.stringify(value)}` })),
  fc.constantFrom<JsonValue>('', ' ', 'x', 'tv', 'north', 'fixed', '-20%', '+10%', '100%', '-100%', '-101%', '1e400%', 'NaN', 'Infinity', '2024-01-01', '2023-02-30', '2024-1-1', 'sales', 'date', 'geo', 'diag', 'dense', 'nutpie', 'staged', '__proto__', 'constructor', 'toString').map((value) => ({ value, what: `string ${JSON.stringify(value)}` })),
  fc.constantFrom<JsonValue>([], [null], [1, 2], ['tv', 'tv'], ['north'], {}, { dist: 'normal' }, { from: '2023-03-06', to: '2023-02-27' }, { type: 'knots' }).map((value) => ({ value, what: `structure ${JSON.stringify(value)}` })),
  fc.jsonValue({ maxDepth: 2 }).map((value) => ({ value: value as JsonValue, what: 'random JSON' })),
  fc.string({ unit: 'grapheme', maxLength: 6 }).map((value) => ({ value, what: 'random string' })),
);

export const jsonMutationArb: fc.Arbitrary<JsonMutation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(500) }).chain((m) => jsonValueArb.map((v) => ({ ...m, ...v }))), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat(500) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('addKey' as const), at: fc.nat(200), key: fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.constantFrom('', 'unknown', 'Sampler', 'chain', 'data ', '🙂')), value: jsonValueArb.map((v) => v.value) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('number' as const), at: fc.nat(200), text: fc.constantFrom('1e400', '-1e400', '-0', '1E-400', '0.0000', '1e2', '100.0', '123456789012345678901234567890', '4294967296', '9007199254740993', '-1', '0', '1', '2', '76', '77', '78', '1000', '0.999999', '1.0000001') }), weight: 3 },
  fc.record({ kind: fc.constant('deepNest' as const), at: fc.nat(500), depth: fc.oneof(fc.integer({ min: 2, max: 64 }), fc.constantFrom(1000, 5000)), as: fc.constantFrom('array' as const, 'object' as const) }),
  fc.record({ kind: fc.constant('hugeArray' as const), at: fc.nat(500), length: fc.constantFrom(1000, 20_000, 100_000), item: fc.constantFrom('0', '1', '"tv"', 'null', '{}', '"2024-01-01"') }),
  fc.record({ kind: fc.constant('duplicateArrayItem' as const), at: fc.nat(50) }),
);

export function jsonCaseKinds(mutations: readonly JsonMutation[]): string[] {
  const kinds = mutations.map((m) => (m.kind === 'addKey' && PROTO_KEYS.includes(m.key) ? 'addKey:proto' : m.kind === 'set' && m.value === null ? 'set:null' : m.kind));
  return kinds.length > 0 ? kinds : ['unmutated'];
}

export function showJson(text: string): string {
  return text.length > 2000 ? `${text.slice(0, 1500)} ... (${text.length} characters) ... ${text.slice(-300)}` : text;
}

/** Byte-level mutations of a JSON file's text (invalid JSON, BOM, truncation), as for CSV files. */
export function mutateText(text: string, mutations: readonly ByteMutation[]): string {
  return Buffer.from(mutateBytes(new TextEncoder().encode(text), mutations)).toString('utf8');
}
