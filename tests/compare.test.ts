/**
 * `mixwell compare` (src/cli/commands/compare.ts, src/report/compareRuns.ts): a tiny real fit of the
 * national example (2 chains, 40 warmup, 40 draws, 8-period holdout) against fixture runs on the
 * same data (tests/fixtures/charts/exampleRun.ts: the perturbed truth, no sampling). Checks the
 * table and files (elpd differences with paired se equal to a direct computation, ranks, holdout
 * lpd and WMAPE), the recomputation for runs without loo_pointwise.csv, and the refusals: other
 * data (fingerprint), other observation sets (holdout length, KPI values), a run given twice, a
 * single run. Sampling quality is not judged here.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../src/cli/args.js';
import { run as compare } from '../src/cli/commands/compare.js';
import { elpdDifference } from '../src/diagnostics/index.js';
import { compareRuns } from '../src/report/compareRuns.js';
import { fitMmm } from '../src/mmm/fit.js';
import { readLooPointwise } from '../src/run/looFiles.js';
import { buildReport } from '../src/mmm/report.js';
import { writeRun } from '../src/run/runDirectory.js';
import { writeExampleRun } from './fixtures/charts/exampleRun.js';

async function captured(argv: string[]): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    await compare(argv);
    return { stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('mixwell compare', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixwell-compare-'));
  const fitted = join(dir, 'fitted');
  const truth = join(dir, 'truth');
  const shortHoldout = join(dir, 'holdout4');
  const geo = join(dir, 'geo');

  beforeAll(async () => {
    const config = { ...JSON.parse(readFileSync('examples/national.config.json', 'utf8')), holdout: { periods: 8 } };
    const fit = await fitMmm('examples/national.csv', config, { chains: 2, warmup: 40, draws: 40, seed: 5, progress: false, verbose: false });
    await writeRun(fitted, fit, buildReport(fit, { priorDraws: 200 }));
    await writeExampleRun(truth, { dataset: 'national', chains: 2, draws: 50, holdout: 8 });
    await writeExampleRun(shortHoldout, { dataset: 'national', chains: 2, draws: 20, holdout: 4 });
    await writeExampleRun(geo, { dataset: 'geo', chains: 1, draws: 10, holdout: 8 });
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the table and writes compare.json and compare.csv', async () => {
    const out = join(dir, 'out');
    const { stdout, stderr } = await captured([fitted, truth, '--out', out]);
    expect(stdout).toMatch(/Model comparison of 2 runs on national\.csv \(sha256 [0-9a-f]{12}…\): 96 fitted observations, 8 held out/);
    expect(stdout).toMatch(/run\s+elpd_loo \(se\)\s+Δelpd \(se\)\s+p_loo\s+k>(0\.\d\d|thr)\s+k>0\.7\s+k>1\s+holdout lpd \(se\)\s+Δholdout \(se\)\s+holdout WMAPE/);
    expect(stderr).toContain('compare.json');
    const json = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8'));
    expect(json.rows.map((r: { rank: number }) => r.rank)).toEqual([1, 2]);
    const csv = readFileSync(join(out, 'compare.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(3);
    expect(csv[0].split(',')).toEqual(expect.arrayContaining(['run', 'elpdLoo', 'seElpdLoo', 'elpdDiff', 'seElpdDiff', 'pLoo', 'paretoKAbove07', 'holdoutLpd', 'holdoutWmape']));
  });

  it('differences and their se are the paired pointwise ones', () => {
    const comparison = compareRuns([fitted, truth]);
    const [best, second] = comparison.rows;
    expect(best.elpdLoo).toBeGreaterThanOrEqual(second.elpdLoo);
    expect(best.elpdDiff).toBe(0);
    const pointwise = (d: string, set: 'fit' | 'holdout', key: 'elpdLoo' | 'lpd') => readLooPointwise(d)!.filter((r) => r.set === set).map((r) => r[key]);
    const direct = elpdDifference(pointwise(second.dir, 'fit', 'elpdLoo'), pointwise(best.dir, 'fit', 'elpdLoo'));
    expect(second.elpdDiff).toBeCloseTo(direct.difference, 10);
    expect(second.seElpdDiff).toBeCloseTo(direct.se, 10);
    expect(second.elpdDiff).toBeLessThanOrEqual(0);
    const stored = JSON.parse(readFileSync(join(best.dir, 'summary.json'), 'utf8'));
    expect(best.elpdLoo).toBeCloseTo(stored.loo.elpdLoo, 9);
    expect(best.pLoo).toBeCloseTo(stored.loo.pLoo, 9);
    expect(best.paretoKAbove07).toBe(stored.loo.paretoKAbove07);
    expect(best.holdoutLpd).toBeCloseTo(stored.holdoutLpd.lpd, 9);
    expect(Math.max(best.holdoutLpdDiff, second.holdoutLpdDiff)).toBe(0);
    expect(best.holdoutWmape).toBeGreaterThan(0);
    expect(comparison.rows.map((r) => r.draws).sort((a, b) => a - b)).toEqual([80, 100]);
  });

  it('recomputes LOO from the draws for a run without loo_pointwise.csv', () => {
    const old = join(dir, 'old');
    cpSync(truth, old, { recursive: true });
    rmSync(join(old, 'loo_pointwise.csv'));
    const a = compareRuns([fitted, truth]).rows.find((r) => r.dir === truth)!;
    const b = compareRuns([fitted, old]).rows.find((r) => r.dir === old)!;
    expect(b.elpdLoo).toBeCloseTo(a.elpdLoo, 9);
    expect(b.holdoutLpd).toBeCloseTo(a.holdoutLpd, 9);
  });

  it('refuses runs fitted to different data or observation sets', () => {
    expect(() => compareRuns([fitted, geo])).toThrow(/fitted to different data \(data sha256 [0-9a-f]{12}… of "national\.csv" vs [0-9a-f]{12}… of "geo\.csv"\)/);
    expect(() => compareRuns([fitted, shortHoldout])).toThrow(/different observation sets \(96 fitted and 8 held-out observations vs 100 fitted and 4 held-out observations\)/);
    const edited = join(dir, 'edited');
    cpSync(truth, edited, { recursive: true });
    const path = join(edited, 'loo_pointwise.csv');
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[3] = lines[3].replace(/,fit,[^,]+,/, ',fit,1,');
    writeFileSync(path, lines.join('\n'));
    expect(() => compareRuns([fitted, edited])).toThrow(/different observation sets \(KPI at geo national, date 2022-01-17 is 128194\.\d+ vs 1\)/);
  });

  it('usage errors: one run, the same run twice, not a run directory', async () => {
    await expect(compare([fitted])).rejects.toBeInstanceOf(UsageError);
    expect(() => compareRuns([fitted, `${fitted}/`])).toThrow(/given twice/);
    expect(() => compareRuns([fitted, join(dir, 'missing')])).toThrow(/provenance\.json: cannot read run file/);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });
});
