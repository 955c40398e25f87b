/**
 * `npm run sbc`: simulation-based calibration of the default geo MMM (Talts, Betancourt, Simpson,
 * Vehtari & Gelman 2018; ECDF bands of Säilynoja, Bürkner & Vehtari 2022) on small data simulated
 * from its prior (scripts/sbc/: template, simulation, ranks, the run, the record). Fits go through
 * the local batch pool; rerunning with the same --out resumes (finished fits are skipped).
 *
 *   npm run sbc                                   200 replicates of 4 geos x 52 weeks x 3 channels + 2 controls
 *   npm run sbc -- --replicates 40 --no-write     a shorter run, nothing written to bench/
 *   npm run sbc -- --seed 5 --out runs/sbc-5 --concurrency 2
 *
 * Flags: --replicates N (200), --seed S (18), --out DIR (runs/sbc), --concurrency N (cores),
 * --geos, --periods, --channels, --controls (4, 52, 3, 2), --chains (2), --warmup (the default's),
 * --draws per chain (250), --ranked-draws L (99), --bins (10), --level (0.95), --warmup-plan,
 * --metric, --fits-per-worker (10), --force (refit), --no-write (no bench/ record).
 * Writes bench/sbc-<date>.json and the chart bench/sbc-<date>.vl.json / .svg (unless --no-write;
 * bench/sbc-<date>-seed<S>.* with another --seed),
 * and <out>/sbc.vl.json, <out>/sbc.svg; prints the per-quantity table.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gitInfo } from './bench/git.js';
import { formatSbcSummary, sbcRecord } from './sbc/record.js';
import { DEFAULT_SBC_SETTINGS, runSbc, type SbcSettings } from './sbc/run.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function integer(value: string | undefined, flag: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) throw new Error(`--${flag} must be an integer >= ${min}, got "${value}"`);
  return parsed;
}

function parseFlags(argv: readonly string[]): { settings: SbcSettings; write: boolean } {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      replicates: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      concurrency: { type: 'string' },
      geos: { type: 'string' },
      periods: { type: 'string' },
      channels: { type: 'string' },
      controls: { type: 'string' },
      chains: { type: 'string' },
      warmup: { type: 'string' },
      draws: { type: 'string' },
      'ranked-draws': { type: 'string' },
      bins: { type: 'string' },
      level: { type: 'string' },
      'warmup-plan': { type: 'string' },
      metric: { type: 'string' },
      'fits-per-worker': { type: 'string' },
      force: { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const d = DEFAULT_SBC_SETTINGS;
  const level = values.level === undefined ? d.level : Number(values.level);
  if (!(level > 0 && level < 1)) throw new Error(`--level must be a number in (0, 1), got "${values.level}"`);
  const warmupPlan = (values['warmup-plan'] ?? d.warmupPlan) as SbcSettings['warmupPlan'];
  if (!['stan', 'nutpie', 'staged'].includes(warmupPlan)) throw new Error(`--warmup-plan must be stan, nutpie or staged, got "${warmupPlan}"`);
  const metric = (values.metric ?? d.metric) as SbcSettings['metric'];
  if (!['diag', 'dense', 'lowRank'].includes(metric)) throw new Error(`--metric must be diag, dense or lowRank, got "${metric}"`);
  const settings: SbcSettings = {
    replicates: integer(values.replicates, 'replicates', d.replicates, 2),
    seed: integer(values.seed, 'seed', d.seed, 0),
    out: values.out ?? join(root, d.out),
    concurrency: integer(values.concurrency, 'concurrency', d.concurrency),
    size: {
      geos: integer(values.geos, 'geos', d.size.geos),
      periods: integer(values.periods, 'periods', d.size.periods, 10),
      channels: integer(values.channels, 'channels', d.size.channels),
      controls: integer(values.controls, 'controls', d.size.controls, 0),
    },
    chains: integer(values.chains, 'chains', d.chains),
    warmup: integer(values.warmup, 'warmup', d.warmup, 0),
    draws: integer(values.draws, 'draws', d.draws),
    rankedDraws: integer(values['ranked-draws'], 'ranked-draws', d.rankedDraws),
    bins: integer(values.bins, 'bins', d.bins, 2),
    level,
    warmupPlan,
    metric,
    fitsPerWorker: integer(values['fits-per-worker'], 'fits-per-worker', d.fitsPerWorker),
    force: values.force ?? false,
  };
  return { settings, write: !values['no-write'] };
}

async function main(): Promise<void> {
  const { settings, write } = parseFlags(process.argv.slice(2));
  const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
  const loadStart = load();
  process.stderr.write(
    `sbc: ${settings.replicates} replicates of ${settings.size.geos} geos x ${settings.size.periods} periods x ${settings.size.channels} channels + ${settings.size.controls} controls; ` +
      `${settings.chains} chains x ${settings.warmup} warmup + ${settings.draws} draws (warmup plan ${settings.warmupPlan}, metric ${settings.metric}), ranks among ${settings.rankedDraws}; ${settings.concurrency} fit processes; out ${settings.out}\n`,
  );
  let done = 0;
  const result = await runSbc(settings, (event) => {
    if (event.type === 'plan') process.stderr.write(`sbc: ${event.toRun} fits to run, ${event.skipped} already complete\n`);
    else if (event.type === 'done' || event.type === 'skipped') {
      done++;
      if (event.type === 'done' && (done % 10 === 0 || done === settings.replicates)) process.stderr.write(`sbc: ${done} of ${settings.replicates} fits finished\n`);
    } else if (event.type === 'failed') process.stderr.write(`sbc: ${event.task.id} FAILED: ${event.record.errors.map((e) => e.message).join('; ')}\n`);
  });
  process.stdout.write(formatSbcSummary(result) + '\n');
  process.stdout.write(`chart: ${result.files.chartSpec}, ${result.files.chartSvg}\n`);
  if (!write) return;
  const created = new Date().toISOString();
  const record = sbcRecord(result, { created, commit: gitInfo(root), loadAverage: { start: loadStart, end: load() } });
  const stem = join(root, 'bench', `sbc-${created.slice(0, 10)}${settings.seed === DEFAULT_SBC_SETTINGS.seed ? '' : `-seed${settings.seed}`}`);
  mkdirSync(join(root, 'bench'), { recursive: true });
  writeFileSync(`${stem}.json`, JSON.stringify(record, null, 1) + '\n');
  copyFileSync(result.files.chartSpec, `${stem}.vl.json`);
  copyFileSync(result.files.chartSvg, `${stem}.svg`);
  process.stdout.write(`wrote ${stem}.json, ${stem}.vl.json, ${stem}.svg\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`sbc: ${error.message}\n`);
  process.exitCode = 1;
});
