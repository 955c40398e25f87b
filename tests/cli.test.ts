/**
 * The CLI end to end on the bundled national example with a tiny sampler budget: `mixwell fit`
 * writes a complete run directory whose draws read back exactly, `mixwell summary` prints the ROI
 * table and health check, and bad input fails with a clear message and exit code. (Sampling quality
 * is not judged here: tiny runs are flagged by the health check, which is part of what is tested.)
 * Without a TTY a fit prints progress lines on stderr (checked on bin/mixwell.js with piped stdio),
 * and --quiet prints nothing there.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from './support/cliMain.js';
import { readRun } from '../src/run/runDirectory.js';
import { tableFromIPC } from 'apache-arrow';

const run = runMain;

describe('mixwell CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixwell-cli-'));
  const out = join(dir, 'run');
  let fitResult: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    fitResult = await run(['fit', '--data', 'examples/national.csv', '--config', 'examples/national.config.json', '--out', out, '--chains', '2', '--warmup', '60', '--draws', '40', '--seed', '3']);
  }, 900_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fit writes a complete run directory and prints the ROI table', () => {
    expect(fitResult.code, fitResult.stderr).toBe(0);
    expect(fitResult.stderr).toMatch(/mixwell: tfjs backend (wasm|tensorflow|cpu)/);
    for (const file of ['config.json', 'provenance.json', 'summary.json', 'roi.csv', 'contributions.csv', 'contributions_by_date.csv', 'roi.parquet', 'contributions.parquet', 'contributions_by_date.parquet', 'fit_metrics.csv', 'health.json', 'design.json', 'draws.arrow', 'draws/chain-1.csv', 'draws/chain-2.csv']) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    expect(fitResult.stdout).toMatch(/channel\s+ROI mean/);
    for (const channel of ['tv', 'search', 'social']) expect(fitResult.stdout).toContain(channel);
    expect(fitResult.stdout).toMatch(/Health check:/);
    const provenance = JSON.parse(readFileSync(join(out, 'provenance.json'), 'utf8'));
    expect(provenance.data.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(provenance.seed).toBe(3);
  });

  it('stores draws that read back exactly, in Arrow and CmdStan CSV layouts', () => {
    const stored = readRun(out);
    expect(stored.posterior.chains).toBe(2);
    expect(stored.posterior.drawsPerChain).toBe(40);
    const table = tableFromIPC(readFileSync(join(out, 'draws.arrow')));
    expect(table.numRows).toBe(80);
    const alpha1 = table.getChild('alpha[1]')!.toArray() as Float64Array;
    expect(Array.from(stored.posterior.pooled('alpha[1]'))).toEqual(Array.from(alpha1));
    const csv = readFileSync(join(out, 'draws', 'chain-1.csv'), 'utf8').split('\n').filter((line) => line && !line.startsWith('#'));
    expect(csv[0].split(',').slice(0, 8)).toEqual(['lp__', 'accept_stat__', 'stepsize__', 'treedepth__', 'n_leapfrog__', 'divergent__', 'energy__', 'alpha.1']);
    expect(csv).toHaveLength(41);
    expect(Number(csv[1].split(',')[7])).toBeCloseTo(alpha1[0], 6);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const names = summary.parameters.map((row: { name: string }) => row.name);
    expect(names).toEqual(expect.arrayContaining(['alpha[1]', 'k[3]', 's[2]', 'm[1]', 'tau0', 'delta', 'phi[4]', 'gamma[1]', 'sigma']));
    expect(summary.roi.map((row: { name: string }) => row.name)).toEqual(['ROI[1]', 'ROI[2]', 'ROI[3]', 'mROI[1]', 'mROI[2]', 'mROI[3]']);
    for (const key of ['mean', 'sd', 'q05', 'q50', 'q95', 'rhat', 'essBulk', 'essTail']) expect(summary.parameters[0]).toHaveProperty(key);
  });

  it('summary reprints the run', async () => {
    const result = await run(['summary', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/2 chains x 40 draws/);
  });

  it('reports bad input clearly', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'date,tv_spend,sales\n2024-01-01,10,100\n2024-01-08,-5,110\n2024-01-15,abc,120\n');
    const result = await run(['fit', '--data', bad, '--out', join(dir, 'x')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad\.csv, row 3, column "tv_spend": spend of channel "tv" is negative/);
    expect(result.stderr).toMatch(/bad\.csv, row 4, column "tv_spend": not a number: "abc"/);
    const usage = await run(['fit', '--data', bad]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/fit needs --out DIR/);
    expect((await run(['fitt'])).stderr).toMatch(/unknown command "fitt"/);
    // --help after a command prints that command's usage and succeeds.
    const help = await run(['fit', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage:\n {2}mixwell fit --data FILE/);
    expect(help.stderr).toBe('');
    expect((await run(['fit', '--data', bad, '--out', 'x', '--chains', 'two'])).stderr).toMatch(/--chains must be an integer >= 1, got two/);
    expect((await run(['summary', join(dir, 'nowhere')])).stderr).toMatch(/cannot read run file/);
  });

  it('a missing data file, a directory for a file and an unreadable run name the path and what to do, without a stack trace', async () => {
    const missing = await run(['fit', '--data', join(dir, 'nope.csv'), '--out', join(dir, 'y')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`mixwell: ${join(dir, 'nope.csv')}: no such file or directory (check the path; relative paths are from ${process.cwd()})\n`);
    const directory = await run(['fit', '--data', dir, '--out', join(dir, 'y')]);
    expect(directory.stderr).toBe(`mixwell: ${dir}: is a directory, where a file was expected\n`);
    expect(existsSync(join(dir, 'y'))).toBe(false);
  });

  it('without a TTY, fit prints a progress line per 10% on stderr; --quiet prints nothing there', async () => {
    // --no-checkpoint keeps this one-chain fit in this thread, which reports every iteration (worker threads, which
    // checkpoints use, report at most every 200 ms: this 1-second fit would cross few 10% marks)
    const tiny = ['--data', 'examples/national.csv', '--config', 'examples/national.config.json', '--chains', '1', '--warmup', '20', '--draws', '10', '--seed', '1', '--workers', '1', '--no-checkpoint'];
    // bin/mixwell.js with piped stdio: stderr is certainly not a TTY
    const spawned = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['bin/mixwell.js', 'fit', ...tiny, '--out', join(dir, 'progress')], (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
    });
    expect(spawned.code, spawned.stderr).toBe(0);
    const lines = spawned.stderr.split('\n').filter((line) => line.startsWith('progress: '));
    expect(lines.length, spawned.stderr).toBeGreaterThanOrEqual(10);
    expect(lines[0]).toMatch(/^progress: \d+% warmup, iteration \d+ of 30 per chain \(1 chain\), divergences \d+ \(warmup \d+\), [\d,]+ grad\/s, \d+ s elapsed, ETA /);
    expect(lines[lines.length - 1]).toMatch(/^progress: 100% sampling, iteration 30 of 30 per chain/);
    expect(spawned.stderr).not.toContain('\r');
    expect(spawned.stderr).toMatch(/^mixwell: fit done in /m);
    expect(spawned.stdout).toMatch(/channel\s+ROI mean/);
    const quiet = await run(['fit', ...tiny, '--out', join(dir, 'quiet'), '--quiet']);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toMatch(/channel\s+ROI mean/);
  }, 120_000);

  it('help, version and usage errors: help <command> and -h print that command, a usage error prints the failing command\'s usage only', async () => {
    const version = JSON.parse(readFileSync('package.json', 'utf8')).version as string;
    for (const flag of ['--version', '-V']) expect(await run([flag])).toEqual({ code: 0, stdout: `mixwell ${version}\n`, stderr: '' });
    const help = await run(['help', 'optimize']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage:\n {2}mixwell optimize DIR/);
    expect(help.stdout).not.toMatch(/^ {2}mixwell fit/m);
    expect((await run(['fit', '-h'])).stdout).toMatch(/^usage:\n {2}mixwell fit --data FILE/);
    const list = await run(['-h']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ {2}fit +\S[\s\S]*^ {2}worker +\S/m);
    expect((await run(['toString'])).stderr).toMatch(/^mixwell: unknown command "toString"/);
    const unknown = await run(['help', 'fitt']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/help: unknown command "fitt"/);
    const usageError = await run(['fit', '--data', 'examples/national.csv']);
    expect(usageError.code).toBe(2);
    expect(usageError.stderr).toMatch(/fit needs --out DIR\nusage:\n {2}mixwell fit --data FILE/);
    expect(usageError.stderr).not.toMatch(/mixwell summary/);
  });
});
