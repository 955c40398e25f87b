/**
 * Model comparison of fitted run directories on the same data (loo::loo_compare's table; Vehtari,
 * Gelman & Gabry 2017, "Practical Bayesian model evaluation using leave-one-out cross-validation
 * and WAIC"): per run elpd_loo and its se, the difference to the best run with the se
 * of the paired pointwise differences sqrt(n var(elpd_i^a - elpd_i^best)), p_loo, Pareto-k counts
 * (thresholds of Vehtari et al. 2024), the holdout's log pointwise predictive density (with its
 * paired difference to the best holdout) and the holdout WMAPE of fit_metrics.csv.
 *
 * Differences of elpd are only meaningful on the same observations, so the comparison refuses runs
 * whose data fingerprint (provenance.json data.sha256) differs, or whose fitted or held-out cells
 * (geo, date, KPI value) differ, e.g. another holdout length or KPI column. Pointwise values come
 * from loo_pointwise.csv (src/run/looFiles.ts), or are recomputed from the draws for runs written before
 * that file existed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { elpdDifference, paretoKThreshold, PARETO_K_BAD, sumWithSe } from '../diagnostics/index.js';
import { computeLooPointwise, csvNumber, csvToRows, readLooPointwise, readRun, type LooPointwiseRow } from '../run/index.js';

export interface ComparisonRow {
  /** Short name of the run (its directory's base name, or the path when base names repeat). */
  readonly run: string;
  readonly dir: string;
  /** Rank by elpd_loo (1 = best). */
  readonly rank: number;
  readonly elpdLoo: number;
  readonly seElpdLoo: number;
  /** elpd_loo minus the best run's (0 for the best) and the se of that paired difference. */
  readonly elpdDiff: number;
  readonly seElpdDiff: number;
  readonly pLoo: number;
  readonly looic: number;
  readonly draws: number;
  readonly observations: number;
  readonly paretoKThreshold: number;
  readonly paretoKAboveThreshold: number;
  readonly paretoKAbove07: number;
  readonly paretoKAbove1: number;
  readonly holdoutObservations: number;
  /** NaN without a holdout. */
  readonly holdoutLpd: number;
  readonly seHoldoutLpd: number;
  /** Holdout lpd minus the best holdout lpd among the runs, with the se of the paired difference. */
  readonly holdoutLpdDiff: number;
  readonly seHoldoutLpdDiff: number;
  /** From fit_metrics.csv (NaN when absent). */
  readonly holdoutWmape: number;
}

export interface Comparison {
  readonly dataFile: string;
  readonly dataSha256: string;
  readonly observations: number;
  readonly holdoutObservations: number;
  /** Rows sorted by elpd_loo, best first. */
  readonly rows: ComparisonRow[];
}

interface LoadedRun {
  readonly dir: string;
  readonly sha256: string;
  readonly dataFile: string;
  readonly draws: number;
  readonly pointwise: LooPointwiseRow[];
  readonly holdoutWmape: number;
}

function readJson(path: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${path}: cannot read run file (${(error as Error).message}); is this a Mixwell run directory?`);
  }
}

function holdoutWmape(dir: string): number {
  const path = join(dir, 'fit_metrics.csv');
  if (!existsSync(path)) return NaN;
  const row = csvToRows(readFileSync(path, 'utf8'), path).find((r) => r.subset === 'holdout');
  return row ? csvNumber(row.wmape ?? '') : NaN;
}

function loadRun(dir: string): LoadedRun {
  const provenance = readJson(join(dir, 'provenance.json'));
  const data = (provenance.data ?? {}) as { sha256?: unknown; fileName?: unknown };
  if (typeof data.sha256 !== 'string') throw new Error(`${join(dir, 'provenance.json')}: no data fingerprint (data.sha256); cannot check that the runs share their data`);
  const summary = readJson(join(dir, 'summary.json')) as { chains?: number; drawsPerChain?: number };
  let pointwise = readLooPointwise(dir);
  if (!pointwise) {
    const run = readRun(dir);
    pointwise = computeLooPointwise(run.design, run.model, run.posterior);
  }
  return {
    dir,
    sha256: data.sha256,
    dataFile: typeof data.fileName === 'string' ? data.fileName : '',
    draws: (summary.chains ?? NaN) * (summary.drawsPerChain ?? NaN),
    pointwise,
    holdoutWmape: holdoutWmape(dir),
  };
}

function describeCells(rows: readonly LooPointwiseRow[]): string {
  const fit = rows.filter((r) => r.set === 'fit').length;
  return `${fit} fitted and ${rows.length - fit} held-out observations`;
}

/** Throws unless `b` has the same data fingerprint and the same fitted and held-out cells as `a`. */
function checkSameObservations(a: LoadedRun, b: LoadedRun): void {
  if (a.sha256 !== b.sha256) {
    throw new Error(
      `cannot compare ${a.dir} and ${b.dir}: they were fitted to different data (data sha256 ${a.sha256.slice(0, 12)}… of "${a.dataFile}" vs ${b.sha256.slice(0, 12)}… of "${b.dataFile}"); elpd differences are only meaningful on the same observations`,
    );
  }
  const different = (why: string) => new Error(`cannot compare ${a.dir} and ${b.dir}: different observation sets (${why}); elpd differences are only meaningful on the same observations`);
  if (a.pointwise.length !== b.pointwise.length || a.pointwise.filter((r) => r.set === 'fit').length !== b.pointwise.filter((r) => r.set === 'fit').length) {
    throw different(`${describeCells(a.pointwise)} vs ${describeCells(b.pointwise)}`);
  }
  for (let i = 0; i < a.pointwise.length; i++) {
    const x = a.pointwise[i];
    const y = b.pointwise[i];
    const where = `geo ${x.geo}, date ${x.date}`;
    if (x.geo !== y.geo || x.date !== y.date) throw different(`row ${i + 1} is ${where} vs geo ${y.geo}, date ${y.date}`);
    if (x.set !== y.set) throw different(`${where} is ${x.set === 'fit' ? 'fitted' : 'held out'} in one and ${y.set === 'fit' ? 'fitted' : 'held out'} in the other`);
    if (!(Math.abs(x.kpi - y.kpi) <= 1e-9 * Math.max(Math.abs(x.kpi), Math.abs(y.kpi)))) throw different(`KPI at ${where} is ${x.kpi} vs ${y.kpi}`);
  }
}

function runLabels(dirs: readonly string[]): string[] {
  const names = dirs.map((dir) => basename(resolve(dir)));
  return names.map((name, i) => (names.filter((n) => n === name).length > 1 ? dirs[i] : name));
}

/** Compare two or more run directories fitted to the same data. */
export function compareRuns(dirs: readonly string[]): Comparison {
  if (dirs.length < 2) throw new Error(`compare needs at least two run directories, got ${dirs.length}`);
  const resolved = dirs.map((dir) => resolve(dir));
  resolved.forEach((dir, i) => {
    const j = resolved.indexOf(dir);
    if (j !== i) throw new Error(`compare: ${dirs[i]} is given twice (as ${dirs[j]} too)`);
  });
  const runs = dirs.map(loadRun);
  for (let i = 1; i < runs.length; i++) checkSameObservations(runs[0], runs[i]);
  const labels = runLabels(dirs);
  const fitted = runs.map((run) => run.pointwise.filter((r) => r.set === 'fit'));
  const held = runs.map((run) => run.pointwise.filter((r) => r.set === 'holdout'));
  const elpd = fitted.map((rows) => Float64Array.from(rows, (r) => r.elpdLoo));
  const holdoutLpd = held.map((rows) => Float64Array.from(rows, (r) => r.lpd));
  const totals = elpd.map((values) => sumWithSe(values));
  const holdoutTotals = holdoutLpd.map((values) => (values.length > 0 ? sumWithSe(values) : { sum: NaN, se: NaN }));
  const best = totals.reduce((arg, t, i) => (t.sum > totals[arg].sum ? i : arg), 0);
  const bestHoldout = holdoutTotals.reduce((arg, t, i) => (t.sum > holdoutTotals[arg].sum ? i : arg), 0);
  const rows = runs.map((run, i): ComparisonRow => {
    const diff = i === best ? { difference: 0, se: 0 } : elpdDifference(elpd[i], elpd[best]);
    const holdoutDiff = holdoutLpd[i].length === 0 ? { difference: NaN, se: NaN } : i === bestHoldout ? { difference: 0, se: 0 } : elpdDifference(holdoutLpd[i], holdoutLpd[bestHoldout]);
    const k = fitted[i].map((r) => r.paretoK);
    const threshold = paretoKThreshold(run.draws);
    return {
      run: labels[i],
      dir: run.dir,
      rank: 0,
      elpdLoo: totals[i].sum,
      seElpdLoo: totals[i].se,
      elpdDiff: diff.difference,
      seElpdDiff: diff.se,
      pLoo: fitted[i].reduce((sum, r) => sum + r.pLoo, 0),
      looic: -2 * totals[i].sum,
      draws: run.draws,
      observations: fitted[i].length,
      paretoKThreshold: threshold,
      paretoKAboveThreshold: k.filter((x) => !(x <= threshold)).length,
      paretoKAbove07: k.filter((x) => !(x <= PARETO_K_BAD)).length,
      paretoKAbove1: k.filter((x) => !(x <= 1)).length,
      holdoutObservations: held[i].length,
      holdoutLpd: holdoutTotals[i].sum,
      seHoldoutLpd: holdoutTotals[i].se,
      holdoutLpdDiff: holdoutDiff.difference,
      seHoldoutLpdDiff: holdoutDiff.se,
      holdoutWmape: run.holdoutWmape,
    };
  });
  const sorted = rows.map((row, i) => ({ row, i })).sort((a, b) => b.row.elpdLoo - a.row.elpdLoo || a.i - b.i).map(({ row }, r) => ({ ...row, rank: r + 1 }));
  return {
    dataFile: runs[0].dataFile,
    dataSha256: runs[0].sha256,
    observations: fitted[0].length,
    holdoutObservations: held[0].length,
    rows: sorted,
  };
}

function fixed(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '';
}

/** The comparison as a terminal table with a short reading guide. */
export function formatComparison(comparison: Comparison): string {
  const hasHoldout = comparison.holdoutObservations > 0;
  const thresholds = [...new Set(comparison.rows.map((r) => r.paretoKThreshold.toFixed(2)))];
  const header = ['run', 'elpd_loo (se)', 'Δelpd (se)', 'p_loo', `k>${thresholds.length === 1 ? thresholds[0] : 'thr'}`, 'k>0.7', 'k>1'];
  if (hasHoldout) header.push('holdout lpd (se)', 'Δholdout (se)', 'holdout WMAPE');
  const table: string[][] = [header];
  for (const r of comparison.rows) {
    const line = [
      r.run,
      `${fixed(r.elpdLoo, 1)} (${fixed(r.seElpdLoo, 1)})`,
      r.elpdDiff === 0 ? '0' : `${fixed(r.elpdDiff, 1)} (${fixed(r.seElpdDiff, 1)})`,
      fixed(r.pLoo, 1),
      String(r.paretoKAboveThreshold),
      String(r.paretoKAbove07),
      String(r.paretoKAbove1),
    ];
    if (hasHoldout) {
      line.push(
        `${fixed(r.holdoutLpd, 1)} (${fixed(r.seHoldoutLpd, 1)})`,
        r.holdoutLpdDiff === 0 ? '0' : `${fixed(r.holdoutLpdDiff, 1)} (${fixed(r.seHoldoutLpdDiff, 1)})`,
        Number.isFinite(r.holdoutWmape) ? `${(100 * r.holdoutWmape).toFixed(1)}%` : '',
      );
    }
    table.push(line);
  }
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const lines = [
    `Model comparison of ${comparison.rows.length} runs on ${comparison.dataFile || 'the same data'} (sha256 ${comparison.dataSha256.slice(0, 12)}…): ${comparison.observations} fitted observations${hasHoldout ? `, ${comparison.holdoutObservations} held out` : ''}`,
    '',
    ...table.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd()),
    '',
    'Δelpd: difference to the best run by PSIS-LOO, with the se of the paired pointwise differences; a',
    'difference within about 2 se (or under 4 in absolute value) does not tell the models apart.',
  ];
  if (thresholds.length > 1) lines.push(`k>thr: Pareto k above each run's sample-size threshold min(1 - 1/log10(S), 0.7): ${comparison.rows.map((r) => `${r.run} ${r.paretoKThreshold.toFixed(2)}`).join(', ')}.`);
  if (comparison.rows.some((r) => r.paretoKAboveThreshold > 0)) {
    lines.push('Pareto k above the threshold: the run\'s elpd_loo is unreliable for those observations (more draws, or rely on the holdout).');
  }
  if (hasHoldout) lines.push('Δholdout: holdout log predictive density minus the best run\'s (time-ordered holdout, paired se).');
  return lines.join('\n');
}
