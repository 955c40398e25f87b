/**
 * `npm run extremes`: fit each numerical extreme of scripts/extremes/cases.ts (issue 21) at modest
 * settings and record what happened: fitted (with the health check's warnings, max R-hat,
 * divergences, the ROI of all media) or stopped (the error's first lines), and the CPU seconds.
 * Writes bench/extremes-<date>.json. Cases run one after another in this process, sampling in this
 * thread (workers 1), so the CPU seconds are the fit's and its report's.
 *
 *   npm run extremes                         # every case, 2 chains x (500 warmup + 500 draws)
 *   npm run extremes -- --warmup 200 --draws 200 --chains 4 --seed 7 --out bench/x.json
 *   npm run extremes -- one-week-channel weeks-1000
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fitMmm } from '../src/mmm/fit.js';
import { buildReport } from '../src/mmm/report.js';
import { EXTREME_CASE_NAMES, extremeCase, type ExtremeCaseName } from './extremes/cases.js';
import { gitInfo } from './bench/git.js';
import { forEachFlag } from './flags.js';

const root = fileURLToPath(new URL('..', import.meta.url));

interface CaseOutcome {
  readonly case: ExtremeCaseName;
  readonly description: string;
  readonly outcome: 'fit' | 'error';
  readonly error?: string;
  /** Health-check flags at 'warning' or 'error' level, as "level code: message" (data warnings first). */
  readonly warnings: string[];
  readonly maxRhat?: number;
  readonly minEssBulk?: number;
  readonly divergences?: number;
  readonly roiAllMedia?: number;
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
}

function parseArgs(argv: readonly string[]) {
  const options = { chains: 2, warmup: 500, draws: 500, seed: 21, out: '', cases: [] as ExtremeCaseName[] };
  forEachFlag(argv, (arg, value) => {
    if (arg === '--chains' || arg === '--warmup' || arg === '--draws' || arg === '--seed') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) throw new Error(`${arg} must be a positive integer`);
      options[arg.slice(2) as 'chains' | 'warmup' | 'draws' | 'seed'] = n;
    } else if (arg === '--out') options.out = value();
    else if ((EXTREME_CASE_NAMES as readonly string[]).includes(arg)) options.cases.push(arg as ExtremeCaseName);
    else throw new Error(`unknown argument ${JSON.stringify(arg)} (cases: ${EXTREME_CASE_NAMES.join(', ')})`);
  });
  return options;
}

async function runCase(name: ExtremeCaseName, dir: string, sampler: { chains: number; warmup: number; draws: number; seed: number }): Promise<CaseOutcome> {
  const c = extremeCase(name);
  const file = join(dir, `${name}.csv`);
  writeFileSync(file, c.csv);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const seconds = () => {
    const used = process.cpuUsage(cpu);
    return { cpuSeconds: Number(((used.user + used.system) / 1e6).toFixed(2)), wallSeconds: Number(((performance.now() - started) / 1000).toFixed(2)) };
  };
  try {
    const fit = await fitMmm(file, { data: c.data }, { ...sampler, progress: false, verbose: false, workers: 1 });
    const report = buildReport(fit, { priorDraws: 500 });
    const warnings = [
      ...fit.data.warnings.map((w) => `data: ${w.column ? `${w.column}: ` : ''}${w.message}`),
      ...report.health.filter((f) => f.level !== 'ok').map((f) => `${f.level} ${f.code}: ${f.message}`),
    ];
    const all = report.media.channels.find((r) => r.metric === 'roi' && r.channel === '(all media)');
    const h = fit.result.health;
    return { case: name, description: c.description, outcome: 'fit', warnings, maxRhat: h.maxRhat, minEssBulk: h.minEssBulk, divergences: h.divergences, roiAllMedia: all?.mean, ...seconds() };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { case: name, description: c.description, outcome: 'error', error: message.split('\n').slice(0, 4).join('\n'), warnings: [], ...seconds() };
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const cases = options.cases.length > 0 ? options.cases : [...EXTREME_CASE_NAMES];
  const dir = mkdtempSync(join(os.tmpdir(), 'mixwell-extremes-'));
  const date = new Date().toISOString();
  const out = options.out || join(root, 'bench', `extremes-${date.slice(0, 10)}.json`);
  const started = performance.now();
  const results: CaseOutcome[] = [];
  try {
    for (const name of cases) {
      const result = await runCase(name, dir, options);
      results.push(result);
      const what = result.outcome === 'fit'
        ? `fit, max R-hat ${result.maxRhat?.toFixed(3)}, ${result.divergences} divergences, ROI ${result.roiAllMedia?.toPrecision(3)}, ${result.warnings.length} warnings`
        : `error: ${result.error?.split('\n').slice(0, 2).join(' ')}`;
      process.stderr.write(`${name}: ${what} (${result.cpuSeconds} CPU s)\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const git = gitInfo(root);
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        date,
        commit: git ? `${git.commit.slice(0, 8)}${git.dirty ? '+' : ''}` : null,
        sampler: { chains: options.chains, warmup: options.warmup, draws: options.draws, seed: options.seed, workers: 1 },
        seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
        machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '', node: process.version, loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))) },
        cases: results,
      },
      null,
      2,
    )}\n`,
  );
  process.stderr.write(`wrote ${out}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
