/**
 * `npm run check:package`: the npm package as a user gets it. Packs the repository (`npm pack`, whose
 * prepack builds dist/), installs the tarball with typescript and @types/node into an empty project
 * in the OS temp directory (outside the repository, so nothing resolves to its node_modules), and
 * there runs: `mixwell --version`, `mixwell fit --help`, a small fit of the bundled geo example from
 * node_modules/mixwell/examples on 2 worker threads, `mixwell report` on it, a batch of one tiny fit
 * (forked worker process from the installed package), and a strict ESM TypeScript program that
 * imports the public API from 'mixwell', type-checks (also mixwell's own .d.ts without
 * skipLibCheck), compiles and runs a tiny fit, report, run directory, optimization and chart.
 * Each step prints PASS or FAIL with its time; the exit code is 1 if any step failed.
 *
 *   npm run check:package                 # check, print
 *   npm run check:package -- --record     # also write bench/check-package-<date>.json
 *   MIXWELL_KEEP_CHECK_DIR=1 npm run check:package   # keep the temp project (its path is printed)
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const RECORD = process.argv.includes('--record');
const KEEP = process.env.MIXWELL_KEEP_CHECK_DIR === '1';
const WIN = process.platform === 'win32';

/** What a user's shell would have: no npm-run variables of this repository, no node_modules/.bin of it on PATH, no TypeScript loader. */
function consumerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_(package|lifecycle)_/i.test(key) || /^npm_config_local_prefix$/i.test(key) || key === 'INIT_CWD') continue;
    env[key] = value;
  }
  const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  env[pathKey] = (env[pathKey] ?? '')
    .split(delimiter)
    .filter((dir) => !/node_modules[\\/]\.bin$/.test(dir) && !dir.includes(`${sep}node-gyp-bin`))
    .join(delimiter);
  if (env.NODE_OPTIONS?.includes('tsx')) delete env.NODE_OPTIONS;
  delete env.MIXWELL_WORKERS;
  return env;
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], cwd: string, timeoutSeconds = 900): Run {
  const result: SpawnSyncReturns<string> = spawnSync(command, args, {
    cwd,
    env: consumerEnv(),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: timeoutSeconds * 1000,
    shell: WIN,
  });
  if (result.error) return { code: null, stdout: result.stdout ?? '', stderr: `${result.stderr ?? ''}\n${result.error.message}` };
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The command's output tail, for a failure message. */
function tail(r: Run, lines = 25): string {
  return `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-lines).join('\n');
}

function expectOk(r: Run, what: string): void {
  if (r.code !== 0) throw new Error(`${what} exited with ${r.code}:\n${tail(r)}`);
}

interface StepRecord {
  readonly name: string;
  readonly ok: boolean;
  readonly seconds: number;
  readonly note?: string;
  readonly error?: string;
}

const steps: StepRecord[] = [];
let blocked: string | undefined;

/** Run one step, print PASS/FAIL with its time; a failed `required` step skips the rest. */
function step(name: string, body: () => string | void, required = false): void {
  if (blocked) {
    steps.push({ name, ok: false, seconds: 0, error: `skipped: ${blocked} failed` });
    console.log(`SKIP  ${name} (${blocked} failed)`);
    return;
  }
  const started = performance.now();
  try {
    const note = body() ?? undefined;
    const seconds = (performance.now() - started) / 1000;
    steps.push({ name, ok: true, seconds, ...(note ? { note } : {}) });
    console.log(`PASS  ${name} (${seconds.toFixed(1)} s)${note ? `: ${note}` : ''}`);
  } catch (error) {
    const seconds = (performance.now() - started) / 1000;
    const message = error instanceof Error ? error.message : String(error);
    steps.push({ name, ok: false, seconds, error: message });
    console.log(`FAIL  ${name} (${seconds.toFixed(1)} s): ${message}`);
    if (required) blocked = name;
  }
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const dir = mkdtempSync(join(tmpdir(), 'mixwell-check-package-'));
check(relative(ROOT, dir).startsWith('..') || isAbsolute(relative(ROOT, dir)), `the temp directory ${dir} is inside the repository`);
const project = join(dir, 'project');
mkdirSync(project);
console.log(`check:package: ${PKG.name}@${PKG.version}, temp project ${project}${KEEP ? ' (kept)' : ''}`);

interface PackInfo {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly entryCount: number;
  readonly files: readonly { path: string; size: number; mode: number }[];
}
let pack: PackInfo | undefined;
let buildSeconds: number | undefined;
let tarball = '';
const installed: Record<string, string> = {};
const ALLOWED = [/^dist\/(src|models|samplers)\//, /^examples\//, /^README\.md$/, /^LICENSE$/, /^package\.json$/];
const REQUIRED_FILES = [
  'package.json',
  'README.md',
  'dist/src/index.js',
  'dist/src/index.d.ts',
  'dist/src/cli/bin.js',
  'dist/src/batch/fitProcess.js',
  'dist/src/inference/sampleWorker.js',
  'dist/src/inference/workerBootstrap.mjs',
  'examples/geo.csv',
  'examples/geo.config.json',
  'examples/national.csv',
  'examples/national.config.json',
];

step(
  'npm pack (prepack builds dist/)',
  () => {
    const r = run('npm', ['pack', '--json', '--pack-destination', dir], ROOT);
    expectOk(r, 'npm pack');
    const built = /build: dist\/ in ([\d.]+) s/.exec(r.stderr);
    check(built, 'npm pack did not run the build (prepack)');
    buildSeconds = Number(built[1]);
    // Anything a lifecycle script printed to stdout comes before the JSON array.
    const json = r.stdout.slice(r.stdout.search(/^\[/m));
    pack = (JSON.parse(json) as PackInfo[])[0];
    tarball = join(dir, pack.filename);
    check(existsSync(tarball), `${tarball} was not written`);
    const paths = pack.files.map((f) => f.path);
    const stray = paths.filter((p) => !ALLOWED.some((re) => re.test(p)));
    check(stray.length === 0, `files outside dist/, examples/, README.md, package.json: ${stray.slice(0, 10).join(', ')}`);
    const tests = paths.filter((p) => /(^|\/)(tests?|bench|scripts|notebooks|scratch)\/|\.test\.|\.tsbuildinfo$/.test(p));
    check(tests.length === 0, `tests, bench, scripts or notebooks in the tarball: ${tests.slice(0, 10).join(', ')}`);
    const missing = REQUIRED_FILES.filter((p) => !paths.includes(p));
    check(missing.length === 0, `missing from the tarball: ${missing.join(', ')}`);
    const bin = pack.files.find((f) => f.path === 'dist/src/cli/bin.js')!;
    check((bin.mode & 0o111) !== 0, `dist/src/cli/bin.js is not executable (mode ${bin.mode.toString(8)})`);
    return `${pack.filename}, ${(pack.size / 1e6).toFixed(2)} MB packed, ${(pack.unpackedSize / 1e6).toFixed(2)} MB unpacked, ${pack.entryCount} files (build ${buildSeconds.toFixed(1)} s)`;
  },
  true,
);

step(
  'npm install <tarball> typescript @types/node (empty project)',
  () => {
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'mixwell-consumer', version: '1.0.0', private: true, type: 'module' }, null, 2) + '\n');
    const r = run('npm', ['install', '--no-audit', '--no-fund', tarball, 'typescript', '@types/node'], project);
    expectOk(r, 'npm install');
    for (const name of ['mixwell', 'typescript', '@types/node', 'arquero', '@uwdata/flechette', '@tensorflow/tfjs', '@tensorflow/tfjs-node']) {
      const file = join(project, 'node_modules', name, 'package.json');
      installed[name] = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version : 'absent';
    }
    check(installed.mixwell === PKG.version, `node_modules/mixwell is ${installed.mixwell}, expected ${PKG.version}`);
    check(!existsSync(join(project, 'node_modules', 'tsx')), 'tsx was installed: something in the package still depends on it at run time');
    check(existsSync(join(project, 'node_modules', '.bin', WIN ? 'mixwell.cmd' : 'mixwell')), 'node_modules/.bin/mixwell is missing');
    return Object.entries(installed)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  },
  true,
);

const mixwell = (...args: string[]) => run('npx', ['--no', '--', 'mixwell', ...args], project);
const examples = join('node_modules', 'mixwell', 'examples');

step('npx mixwell --version', () => {
  const r = mixwell('--version');
  expectOk(r, 'mixwell --version');
  check(r.stdout === `mixwell ${PKG.version}\n`, `printed ${JSON.stringify(r.stdout)}, expected "mixwell ${PKG.version}"`);
  return r.stdout.trim();
});

step('npx mixwell fit --help', () => {
  const r = mixwell('fit', '--help');
  expectOk(r, 'mixwell fit --help');
  check(r.stdout.startsWith('usage:\n  mixwell fit --data FILE'), `unexpected usage: ${r.stdout.slice(0, 200)}`);
});

const RUN_FILES = ['config.json', 'provenance.json', 'summary.json', 'roi.csv', 'contributions.csv', 'roi.parquet', 'contributions.parquet', 'health.json', 'draws.arrow', 'variables.json', 'design.json', 'scaling.json', 'log_lik.arrow', 'idata.nc'];

step('mixwell fit: bundled geo example, 2 chains x (150 warmup + 150 draws), 2 worker threads', () => {
  const out = join(dir, 'runs', 'geo');
  const r = mixwell('fit', '--data', join(examples, 'geo.csv'), '--config', join(examples, 'geo.config.json'), '--out', out, '--chains', '2', '--warmup', '150', '--draws', '150', '--workers', '2', '--seed', '1', '--quiet');
  expectOk(r, 'mixwell fit');
  const missing = RUN_FILES.filter((f) => !existsSync(join(out, f)));
  check(missing.length === 0, `run directory lacks ${missing.join(', ')}`);
  const provenance = JSON.parse(readFileSync(join(out, 'provenance.json'), 'utf8')) as { versions?: { mixwell?: string } };
  check(provenance.versions?.mixwell === PKG.version, `provenance.json versions.mixwell is ${provenance.versions?.mixwell}`);
  check(/ROI/.test(r.stdout), 'fit printed no ROI table');
  return `${RUN_FILES.length} run files present`;
});

step('mixwell report on that run', () => {
  const out = join(dir, 'runs', 'geo');
  const r = mixwell('report', out);
  expectOk(r, 'mixwell report');
  check(existsSync(join(out, 'report.html')), 'report.html was not written');
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  check(html.length > 500_000 && html.includes('vegaEmbed'), 'report.html lacks the inlined vega scripts');
  return `report.html ${(html.length / 1e6).toFixed(1)} MB`;
});

step('mixwell batch: 1 tiny fit in a forked worker process', () => {
  const manifest = join(dir, 'batch.json');
  const csv = join(project, examples, 'national.csv');
  const config = join(project, examples, 'national.config.json');
  writeFileSync(manifest, JSON.stringify({ out: 'batch-out', defaults: { data: csv, config, options: { chains: 2, warmup: 50, draws: 50, seed: 3 } }, fits: [{ id: 'tiny' }] }, null, 2));
  const r = mixwell('batch', manifest, '--workers', '1');
  expectOk(r, 'mixwell batch');
  const out = join(dir, 'batch-out');
  const record = JSON.parse(readFileSync(join(out, 'batch.json'), 'utf8')) as { fits: { id: string; status: string }[] };
  check(record.fits.length === 1 && record.fits[0].status === 'done', `batch.json: ${JSON.stringify(record.fits.map((f) => [f.id, f.status]))}`);
  const starts = readFileSync(join(out, 'batch-journal.ndjson'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { event: string; pid?: number })
    .filter((e) => e.event === 'start');
  check(starts.length === 1 && typeof starts[0].pid === 'number', 'the journal has no start of the fit with a worker pid');
  check(existsSync(join(out, 'tiny', 'draws.arrow')) && existsSync(join(out, 'tiny', 'batch-fit.json')), 'batch-out/tiny is incomplete');
  return `fit done in worker process ${starts[0].pid}`;
});

const CONSUMER_TS = `// A user's program: the public API from 'mixwell', strict ESM TypeScript.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildReport, charts, fitMmm, loadRunConfig, optimize, writeRun, type MmmFit, type MmmFitOptions, type MmmReport, type RunConfig } from 'mixwell';

const examples = join(dirname(createRequire(import.meta.url).resolve('mixwell/package.json')), 'examples');
const config: RunConfig = loadRunConfig(join(examples, 'national.config.json'));
// @ts-expect-error chains is a number: the declarations are real types, not any
const wrong: MmmFitOptions = { chains: 'two' };
void wrong;
const fit: MmmFit = await fitMmm(join(examples, 'national.csv'), config, { chains: 2, warmup: 40, draws: 40, seed: 5, workers: 1, progress: false, verbose: false });
const report: MmmReport = buildReport(fit, { priorDraws: 50 });
const out = process.argv[2];
await writeRun(out, fit, report);
const window: optimize.PlanningWindow = optimize.planningWindow(fit.design, { periods: 13 });
const plan: optimize.OptimizationResult = await optimize.optimizeBudget(fit.design, fit.model.config, fit.result.posterior, {
  periods: 13,
  budget: optimize.planTotal(window.current),
  maxDraws: 40,
  decisionDraws: 20,
  seed: 5,
  objective: optimize.MEAN_OBJECTIVE,
});
const spec: charts.ChartSpec = charts.roiSpec(charts.roiIntervalRows(report.media), charts.roiDensityRows(report.media), fit.design.channelNames);
const channels: string[] = fit.design.channelNames.slice();
console.log(JSON.stringify({ channels, draws: fit.result.posterior.chains * fit.result.posterior.drawsPerChain, allocation: optimize.formatAllocation(plan).length > 0, spec: typeof spec === 'object' }));
`;

step('TypeScript program: tsc --noEmit (strict, NodeNext)', () => {
  writeFileSync(join(project, 'main.ts'), CONSUMER_TS);
  const options = { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, types: ['node'], outDir: 'out' };
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, include: ['main.ts'] }, null, 2));
  writeFileSync(join(project, 'tsconfig.libcheck.json'), JSON.stringify({ extends: './tsconfig.json', compilerOptions: { skipLibCheck: false, noEmit: true } }, null, 2));
  const r = run('npx', ['--no', '--', 'tsc', '--noEmit', '-p', 'tsconfig.json'], project);
  expectOk(r, 'tsc --noEmit');
  return `typescript ${installed.typescript}`;
});

step("mixwell's .d.ts under strict lib check (skipLibCheck false)", () => {
  // Other packages' declarations (tfjs, arquero) have errors of their own there; only mixwell's count.
  const r = run('npx', ['--no', '--', 'tsc', '-p', 'tsconfig.libcheck.json'], project);
  // tsc exits 0 (no errors) or 1/2 (errors reported); anything else, or no tsc at all, is a failure.
  check(r.code !== null && r.code <= 2 && !/npm error/.test(r.stderr), `tsc did not run:\n${tail(r)}`);
  const ours = `${r.stdout}\n${r.stderr}`.split('\n').filter((line) => /node_modules[\\/]mixwell[\\/]|^main\.ts/.test(line));
  check(ours.length === 0, `errors in mixwell's declarations or main.ts:\n${ours.slice(0, 20).join('\n')}`);
  const others = `${r.stdout}`.split('\n').filter((line) => /error TS/.test(line)).length;
  return `no errors in mixwell's declarations (${others} in other packages' declarations)`;
});

step('TypeScript program: compile and run (fit, buildReport, writeRun, optimize, charts)', () => {
  const c = run('npx', ['--no', '--', 'tsc', '-p', 'tsconfig.json'], project);
  expectOk(c, 'tsc');
  const out = join(dir, 'runs', 'api');
  const r = run(process.execPath, [join('out', 'main.js'), out], project);
  expectOk(r, 'node out/main.js');
  const line = r.stdout.trim().split('\n').pop() ?? '';
  const result = JSON.parse(line) as { channels: string[]; draws: number; allocation: boolean; spec: boolean };
  check(result.channels.join(',') === 'tv,search,social' && result.draws === 80 && result.allocation && result.spec, `unexpected output ${line}`);
  check(existsSync(join(out, 'summary.json')) && existsSync(join(out, 'draws.arrow')) && existsSync(join(out, 'idata.nc')), 'writeRun wrote no run directory (or no idata.nc)');
  return line;
});

const total = steps.reduce((s, x) => s + x.seconds, 0);
const failed = steps.filter((s) => !s.ok);
console.log(`${failed.length === 0 ? 'PASS' : 'FAIL'}  check:package: ${steps.length - failed.length}/${steps.length} steps passed in ${total.toFixed(1)} s`);

if (RECORD) {
  const date = new Date().toISOString().slice(0, 10);
  const file = join(ROOT, 'bench', `check-package-${date}.json`);
  const commit = run('git', ['rev-parse', '--short=8', 'HEAD'], ROOT).stdout.trim();
  const dirty = run('git', ['status', '--porcelain', '--untracked-files=no'], ROOT).stdout.trim() !== '';
  const record = {
    date: new Date().toISOString(),
    commit: `${commit}${dirty ? '+' : ''}`,
    node: process.version,
    npm: run('npm', ['--version'], ROOT).stdout.trim(),
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
    tarball: pack ? { filename: pack.filename, bytes: pack.size, unpackedBytes: pack.unpackedSize, files: pack.entryCount } : null,
    buildSeconds,
    installed,
    steps: steps.map((s) => ({ ...s, seconds: Math.round(s.seconds * 10) / 10 })),
    totalSeconds: Math.round(total * 10) / 10,
    passed: failed.length === 0,
  };
  writeFileSync(file, JSON.stringify(record, null, 2) + '\n');
  console.log(`recorded ${relative(ROOT, file)}`);
}

if (KEEP) console.log(`kept ${dir}`);
else rmSync(dir, { recursive: true, force: true });
process.exitCode = failed.length === 0 ? 0 : 1;
