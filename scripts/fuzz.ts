/**
 * `npm run fuzz`: a longer fuzzing campaign of the input parsers. Runs the fuzz tests
 * (tests/fuzz.*.test.ts: data CSV files, run configs, batch manifests, plan, bounds and
 * future-period files, `mixwell fit` on bad input) with many more cases per property than
 * `npm test` (MIXWELL_FUZZ_RUNS, default 5000), collects each property's counts (cases, outcomes,
 * mutation kinds, slowest case; tests/support/fuzz.ts FuzzTally) and prints them, and writes
 * bench/fuzz-<date>.json unless --no-write. A failing property stops with its shrunk input (as in
 * `npm test`); --explore lists every distinct problem instead (no shrinking), for a bug hunt.
 *
 *   npm run fuzz                                 5000 cases per property, the fixed seed
 *   npm run fuzz -- --runs 20000 --seed 7        another campaign
 *   npm run fuzz -- --runs 500 --only data --no-write
 *   npm run fuzz -- --explore --no-write         every distinct problem, not the first
 *
 * A recorded file keeps the `findings` key of an earlier file of the same name (the bugs found,
 * written by hand; bench/README.md "Fuzzing").
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forEachFlag } from './flags.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const FILES = ['data', 'config', 'optimize', 'cli'] as const;

interface Flags {
  runs: number;
  /** Absent: the tests' fixed seed (tests/support/fuzz.ts FUZZ_SEED). */
  seed?: number;
  only: readonly string[];
  explore: boolean;
  write: boolean;
  out?: string;
}

function parseFlags(argv: readonly string[]): Flags {
  const flags: Flags = { runs: 5000, only: FILES, explore: false, write: true };
  forEachFlag(argv, (arg, value) => {
    if (arg === '--runs') flags.runs = Number(value());
    else if (arg === '--seed') flags.seed = Number(value());
    else if (arg === '--only') flags.only = value().split(',');
    else if (arg === '--explore') flags.explore = true;
    else if (arg === '--no-write') flags.write = false;
    else if (arg === '--out') flags.out = value();
    else throw new Error(`unknown option ${arg} (use --runs N, --seed S, --only ${FILES.join(',')}, --explore, --out FILE, --no-write)`);
  });
  if (!Number.isInteger(flags.runs) || flags.runs < 1) throw new Error('--runs must be an integer >= 1');
  if (flags.seed !== undefined && !Number.isInteger(flags.seed)) throw new Error('--seed must be an integer');
  for (const name of flags.only) if (!(FILES as readonly string[]).includes(name)) throw new Error(`unknown fuzz file ${name} (${FILES.join(', ')})`);
  return flags;
}

interface PropertyCounts {
  readonly property: string;
  readonly cases: number;
  readonly seconds: number;
  readonly slowestMs: number;
  readonly slowestKinds: readonly string[];
  readonly meanMs: number;
  readonly outcomes: Record<string, number>;
  readonly kinds: Record<string, number>;
  readonly failures: number;
  readonly findings?: Record<string, number>;
  readonly seed: number;
}

function main(): number {
  const flags = parseFlags(process.argv.slice(2));
  const dir = mkdtempSync(join(os.tmpdir(), 'mixwell-fuzz-campaign-'));
  const report = join(dir, 'counts.jsonl');
  const started = new Date();
  const files = flags.only.map((name) => `tests/fuzz.${name}.test.ts`);
  console.log(`fuzz campaign: ${flags.runs} cases per property, seed ${flags.seed ?? 'fixed (the tests\')'}, ${files.join(' ')}${flags.explore ? ' (explore)' : ''}`);
  const run = spawnSync(join(root, 'node_modules/.bin/vitest'), ['run', ...files], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      MIXWELL_FUZZ_RUNS: String(flags.runs),
      ...(flags.seed !== undefined ? { MIXWELL_FUZZ_SEED: String(flags.seed) } : {}),
      MIXWELL_FUZZ_REPORT: report,
      ...(flags.explore ? { MIXWELL_FUZZ_EXPLORE: '1' } : {}),
    },
  });
  const seconds = (Date.now() - started.getTime()) / 1000;
  const properties: PropertyCounts[] = existsSync(report) ? readFileSync(report, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as PropertyCounts) : [];
  rmSync(dir, { recursive: true, force: true });
  const passed = run.status === 0;

  console.log(`\nfuzz campaign: ${passed ? 'passed' : `FAILED (vitest exit code ${run.status})`} in ${seconds.toFixed(0)} s`);
  console.log('| property | cases | outcomes | slowest ms | s |\n| --- | ---: | --- | ---: | ---: |');
  for (const p of properties) {
    const outcomes = Object.entries(p.outcomes).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
    console.log(`| ${p.property} | ${p.cases} | ${outcomes}${p.failures ? `; failed ${p.failures}` : ''} | ${p.slowestMs} | ${p.seconds} |`);
  }
  const total = properties.reduce((sum, p) => sum + p.cases, 0);
  console.log(`${total} cases in all`);

  if (flags.write) {
    const out = flags.out ?? join(root, 'bench', `fuzz-${started.toISOString().slice(0, 10)}.json`);
    const previous = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
    const commit = spawnSync('git', ['rev-parse', '--short=8', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
    const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' }).stdout.trim() !== '';
    const record = {
      date: started.toISOString(),
      commit: `${commit}${dirty ? '+' : ''}`,
      runsPerProperty: flags.runs,
      seed: properties[0]?.seed ?? flags.seed,
      explore: flags.explore,
      budgetMs: Number(process.env.MIXWELL_FUZZ_BUDGET_MS) || 2000,
      passed,
      seconds: Number(seconds.toFixed(1)),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))) },
      totalCases: total,
      properties,
      ...('findings' in previous ? { findings: previous.findings } : {}),
    };
    writeFileSync(out, `${JSON.stringify(record, null, 2)}\n`);
    console.log(`wrote ${out}`);
  }
  return passed ? 0 : 1;
}

process.exitCode = main();
