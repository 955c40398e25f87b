/**
 * The outputs of a fit with time-varying channels (model.timeVarying, issue 22) end to end: a tiny
 * real fit of the bundled geo example with tv and search varying (2 chains x 30 warmup + 20 draws,
 * fixed seed; sampling quality is not judged) written by `writeRun`, optimized by `mixwell optimize`
 * and reported by `writeReport`:
 * - the run directory has roi_by_period.csv (ROI and mROI per paid channel and quarter) and
 *   effectiveness.csv (per time-varying channel and date; positive, q05 <= median <= q95);
 * - report.html holds the effectiveness and ROI-per-quarter charts (valid Vega-Lite) and the budget
 *   section names the effectiveness window that planned the time-varying channels;
 * - the run summary (`mixwell fit` / `mixwell summary`) has a line per time-varying channel;
 * - idata.nc's posterior has `effectiveness` (chain, draw, tv_channel, time), read back with xarray,
 *   equal to models/mmm `mediaEffectivenessHost` at a draw (skipped without python3, xarray, netCDF4).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { periodLabel } from '../src/analysis/index.js';
import { schemaErrors, TEXT, type ChartSpec } from '../src/charts/index.js';
import { run as optimize } from '../src/cli/commands/optimize.js';
import { fitMmm, type MmmFit } from '../src/mmm/fit.js';
import { buildReport } from '../src/mmm/report.js';
import { allocationMismatch, budgetAllocationFromJson, budgetHtml, escapeHtml, formatRunSummary, writeReport } from '../src/report/index.js';
import { readRun, writeRun } from '../src/run/runDirectory.js';
import { mediaEffectivenessHost } from '../models/mmm/index.js';

const TV_CHANNELS = ['tv', 'search'];
const dir = mkdtempSync(join(tmpdir(), 'mixwell-tv-report-'));
const run = join(dir, 'run');
let fit: MmmFit;
let html = '';

/** A CSV of plain cells (no quotes or commas inside: dates, names and numbers) as records. */
function readCsv(path: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const columns = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i], cell])));
}

function embeddedSpecs(page: string): Record<string, ChartSpec> {
  const match = /<script type="application\/json" id="mixwell-specs">([\s\S]*?)<\/script>/.exec(page);
  if (!match) throw new Error('no spec block');
  return JSON.parse(match[1]);
}

beforeAll(async () => {
  const config = { ...JSON.parse(readFileSync('examples/geo.config.json', 'utf8')), model: { timeVarying: { channels: TV_CHANNELS } } };
  fit = await fitMmm('examples/geo.csv', config, { chains: 2, warmup: 30, draws: 20, seed: 11, progress: false, verbose: false });
  await writeRun(run, fit, buildReport(fit, { priorDraws: 100 }));
  const quiet = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const quietErr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    // the current spend over the last 13 periods, reallocated
    const { design } = fit;
    const [G, T, C] = [design.geoNames.length, design.dates.length, design.channelNames.length];
    let budget = 0;
    for (let g = 0; g < G; g++) for (let t = T - 13; t < T; t++) for (let c = 0; c < C; c++) budget += design.spend[(g * T + t) * C + c];
    await optimize([run, '--budget', String(Math.round(budget)), '--periods', '13', '--decision-draws', '0', '--max-draws', '40', '--seed', '1']);
  } finally {
    quiet.mockRestore();
    quietErr.mockRestore();
  }
  await writeReport(run, { maxDraws: 40, priorDraws: 100, replicates: 40 });
  html = readFileSync(join(run, 'report.html'), 'utf8');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a run with time-varying channels', () => {
  it('writes effectiveness.csv (per time-varying channel and date; positive, q05 <= median <= q95) and roi_by_period.csv (per paid channel and quarter)', () => {
    const T = fit.design.dates.length;
    const effectiveness = readCsv(join(run, 'effectiveness.csv'));
    expect(effectiveness).toHaveLength(TV_CHANNELS.length * T);
    expect([...new Set(effectiveness.map((r) => r.channel))]).toEqual(TV_CHANNELS);
    for (const r of effectiveness) {
      expect(r.metric).toBe('effectiveness');
      expect(r.unit).toBe('multiplier');
      const [q05, median, q95] = [Number(r.q05), Number(r.median), Number(r.q95)];
      expect(q05).toBeGreaterThan(0);
      expect(q05).toBeLessThanOrEqual(median);
      expect(median).toBeLessThanOrEqual(q95);
      expect(Number.isFinite(q95)).toBe(true);
    }
    const byPeriod = readCsv(join(run, 'roi_by_period.csv'));
    const quarters = [...new Set(byPeriod.map((r) => r.period))];
    expect(quarters[0]).toBe('2023-Q1');
    for (const q of quarters) expect(q).toMatch(/^\d{4}-Q[1-4]$/);
    for (const channel of fit.design.channelNames) {
      for (const metric of ['roi', 'mroi']) expect(byPeriod.filter((r) => r.channel === channel && r.metric === metric)).toHaveLength(quarters.length);
    }
    for (const r of byPeriod) expect(Number(r.q05) <= Number(r.median) && Number(r.median) <= Number(r.q95)).toBe(true);
  });

  it('report.html has the effectiveness and ROI-per-quarter charts, and the budget section names the effectiveness window', () => {
    const specs = embeddedSpecs(html);
    for (const id of ['effectiveness', 'roi-by-period']) {
      expect(specs[id]).toBeDefined();
      expect(schemaErrors(specs[id])).toEqual([]);
      expect(html.includes(`id="chart-${id}"`)).toBe(true);
    }
    expect(html.includes(escapeHtml(TEXT.charts.effectiveness.description))).toBe(true);
    expect(html.includes(escapeHtml(TEXT.charts.periodRoi.description('quarter')))).toBe(true);
    const ids = Object.keys(specs);
    expect(ids.indexOf('effectiveness')).toBe(ids.indexOf('roi-mroi') + 1);
    const allocation = budgetAllocationFromJson(JSON.parse(readFileSync(join(run, 'optimize', 'allocation.json'), 'utf8')));
    const T = fit.design.dates.length;
    expect(allocation.effectiveness).toEqual({ channels: TV_CHANNELS, periods: 13, from: fit.design.dates[T - 13], to: fit.design.dates[T - 1] });
    const line = TEXT.report.budget.effectiveness(TV_CHANNELS, 13, fit.design.dates[T - 13], fit.design.dates[T - 1]);
    expect(html.includes(line)).toBe(true);
  });

  it('allocation.json\'s effectiveness is read and checked: malformed or foreign windows are errors naming the file and the field', () => {
    const json = JSON.parse(readFileSync(join(run, 'optimize', 'allocation.json'), 'utf8'));
    const bad = (effectiveness: unknown) => () => budgetAllocationFromJson({ ...json, effectiveness }, 'a.json');
    expect(bad([])).toThrow(/^a\.json: effectiveness must be an object \{channels, periods, from, to\}/);
    expect(bad({ ...json.effectiveness, channels: [] })).toThrow(/a\.json: effectiveness\.channels must be a non-empty list/);
    expect(bad({ ...json.effectiveness, channels: ['tv', 3] })).toThrow(/a\.json: effectiveness\.channels\[1\] must be a non-empty string, got 3/);
    expect(bad({ ...json.effectiveness, periods: 2.5 })).toThrow(/a\.json: effectiveness\.periods must be a positive integer, got 2\.5/);
    expect(bad({ ...json.effectiveness, from: undefined })).toThrow(/a\.json: effectiveness\.from must be a non-empty string/);
    const { design } = fit;
    const foreign = (effectiveness: object) => allocationMismatch(budgetAllocationFromJson({ ...json, effectiveness }, 'a.json'), design.channelNames, design.dates);
    expect(foreign(json.effectiveness)).toEqual([]);
    expect(foreign({ ...json.effectiveness, channels: ['radio'] })).toEqual([expect.stringMatching(/a\.json: effectiveness\.channels names "radio", not a channel of the run/)]);
    expect(foreign({ ...json.effectiveness, periods: 12 })).toEqual([expect.stringMatching(/is not 12 consecutive periods of the run/)]);
    expect(foreign({ ...json.effectiveness, to: '2031-01-06' })).toEqual([expect.stringMatching(/the effectiveness window .* is not 13 consecutive periods/)]);
    // without the field, nothing is said
    const { effectiveness: _, ...without } = json;
    expect(budgetAllocationFromJson(without).effectiveness).toBeUndefined();
    expect(budgetHtml(budgetAllocationFromJson(without))).not.toContain('Time-varying');
  });

  it('the run summary says which channels vary, their first and last effectiveness and the latest quarter ROI', () => {
    const text = formatRunSummary(readRun(run));
    expect(text).toContain('Time-varying channels (model.timeVarying): tv, search');
    const dates = fit.design.dates;
    for (const channel of TV_CHANNELS) {
      const line = text.split('\n').find((l) => l.startsWith(`  ${channel}: effectiveness`));
      expect(line).toBeDefined();
      expect(line).toContain(`at ${dates[0]} -> `);
      expect(line).toContain(`at ${dates[dates.length - 1]}; ROI in the latest quarter (${periodLabel(dates[dates.length - 1], 'quarter')})`);
    }
    expect(text).not.toMatch(/^ {2}social: effectiveness/m);
  });
});

/** A Python with xarray and netCDF4, or undefined (the idata test then skips). */
const PYTHON = ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['-c', 'import xarray, netCDF4'], { encoding: 'utf8' }).status === 0);

describe.skipIf(!PYTHON)('idata.nc with time-varying channels (read back by xarray)', () => {
  it('has posterior effectiveness (chain, draw, tv_channel, time) equal to mediaEffectivenessHost per draw', () => {
    const script = `
import json, sys, xarray as xr
with xr.open_dataset(sys.argv[1], group='posterior') as ds:
    v = ds['effectiveness']
    print(json.dumps({'dims': list(v.dims), 'shape': list(v.shape), 'tv_channel': [str(x) for x in ds['tv_channel'].values], 'time': [str(x) for x in ds['time'].values], 'units': v.attrs.get('units'), 'at': v.isel(chain=1, draw=7).values.tolist()}))
`;
    const result = spawnSync(PYTHON as string, ['-c', script, join(run, 'idata.nc')], { encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(result.stderr).toBe('');
    const read = JSON.parse(result.stdout) as { dims: string[]; shape: number[]; tv_channel: string[]; time: string[]; units: string; at: number[][] };
    const { design } = fit;
    const T = design.dates.length;
    const C = design.channelNames.length;
    expect(read.dims).toEqual(['chain', 'draw', 'tv_channel', 'time']);
    expect(read.shape).toEqual([2, 20, TV_CHANNELS.length, T]);
    expect(read.tv_channel).toEqual(TV_CHANNELS);
    expect(read.time).toEqual(design.dates);
    expect(read.units).toBe('multiplier');
    const expected = mediaEffectivenessHost(design, fit.model.config, fit.result.posterior.drawValues(1, 7)) as Float64Array;
    TV_CHANNELS.forEach((channel, k) => {
      const c = design.channelNames.indexOf(channel);
      for (let t = 0; t < T; t++) expect(read.at[k][t]).toBe(expected[t * C + c]);
    });
  });
});
