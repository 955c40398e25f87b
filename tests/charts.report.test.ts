/**
 * `mixwell report DIR` and `mixwell inspect` end to end, without sampling: a run directory of the
 * geo example written by the real writer from a hand-made posterior (tests/fixtures/charts), the
 * report read back from its stored draws: one self-contained report.html (scripts inlined, no
 * network), charts/*.vl.json that validate and *.svg that render, tables and provenance. Where
 * Chromium is installed (/usr/bin/chromium, or $CHROMIUM), the page is opened headless: no console
 * errors and every chart drawn (scripts/report-screenshot.ts); elsewhere that test is skipped.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { schemaErrors, TEXT, type ChartSpec } from '../src/charts/index.js';
import { readRunFiles } from '../src/run/index.js';
import { escapeHtml, reportCharts, reportData } from '../src/report/index.js';
import { UsageError } from '../src/cli/args.js';
import { run as inspect } from '../src/cli/commands/inspect.js';
import { run as report } from '../src/cli/commands/report.js';
import { findChromium, screenshotPage } from '../scripts/report-screenshot.js';
import { writeExampleRun } from './fixtures/charts/exampleRun.js';

async function capture(action: () => Promise<void>): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    await action();
    return { stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const EXPECTED_CHARTS = [
  'model-fit',
  'model-fit-by-geo',
  'time-effect',
  'contributions-over-time',
  'contribution-waterfall',
  'roi-mroi',
  'response-curves',
  'adstock',
  'saturation',
  'geo-roi',
  'prior-posterior',
  'convergence',
  'sampler',
  'data-spend-kpi',
  'data-zero-spend',
  'data-spend-share',
  'data-correlation',
  'data-vif',
  'data-seasonality',
];

const tmp = mkdtempSync(join(tmpdir(), 'mixwell-charts-'));
const runDir = join(tmp, 'run');
let html = '';
let reportOutput: { stdout: string; stderr: string };

beforeAll(async () => {
  await writeExampleRun(runDir, { chains: 2, draws: 100 });
  reportOutput = await capture(() => report([runDir, '--max-draws', '120']));
  html = readFileSync(join(runDir, 'report.html'), 'utf8');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A plain boolean (a failing toContain on the 1.5 MB page would print all of it). */
function has(text: string): boolean {
  return html.includes(text);
}

function embeddedSpecs(page: string): Record<string, ChartSpec> {
  const match = /<script type="application\/json" id="mixwell-specs">([\s\S]*?)<\/script>/.exec(page);
  if (!match) throw new Error('no spec block');
  return JSON.parse(match[1]);
}

describe('mixwell report', () => {
  it('writes one self-contained report.html with every chart, inlining vega, vega-lite and vega-embed', () => {
    expect(reportOutput.stderr).toContain('report.html');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    // no external resources: scripts inline, no links, no remote src/href
    expect(/<script[^>]*\ssrc=/i.test(html)).toBe(false);
    expect(/<link\b/i.test(html)).toBe(false);
    expect(/\s(src|href)="(https?:)?\/\//i.test(html)).toBe(false);
    expect(has('vegaEmbed')).toBe(true);
    expect(html).toContain('"6.4.3"'); // the vega-lite build's version string
    const specs = embeddedSpecs(html);
    expect(Object.keys(specs)).toEqual(EXPECTED_CHARTS);
    for (const id of EXPECTED_CHARTS) expect(has(`id="chart-${id}"`)).toBe(true);
    for (const heading of ['health', 'roi', 'fit', 'data', 'config', 'provenance'] as const) expect(has(`<h2>${TEXT.report.sections[heading]}</h2>`)).toBe(true);
  });

  it('writes each chart as a standalone Vega-Lite spec (valid, data inlined) and an SVG', () => {
    const files = readdirSync(join(runDir, 'charts')).sort();
    expect(files).toEqual(EXPECTED_CHARTS.flatMap((id) => [`${id}.svg`, `${id}.vl.json`]).sort());
    const specs = embeddedSpecs(html);
    for (const id of EXPECTED_CHARTS) {
      const spec = JSON.parse(readFileSync(join(runDir, 'charts', `${id}.vl.json`), 'utf8')) as ChartSpec;
      expect(spec).toEqual(specs[id]);
      expect(schemaErrors(spec), id).toEqual([]);
      expect(Array.isArray((spec.data as { values: unknown[] }).values), id).toBe(true);
      const svg = readFileSync(join(runDir, 'charts', `${id}.svg`), 'utf8');
      expect(svg.startsWith('<svg'), id).toBe(true);
    }
  });

  it('shows the stored tables: ROI, health check, fit metrics, config and provenance', () => {
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
    const health = JSON.parse(readFileSync(join(runDir, 'health.json'), 'utf8')) as { message: string }[];
    const provenance = JSON.parse(readFileSync(join(runDir, 'provenance.json'), 'utf8'));
    for (const header of TEXT.report.roiHeaders) expect(has(`<th>${header}</th>`)).toBe(true);
    for (const flag of health) expect(has(escapeHtml(flag.message)), flag.message).toBe(true);
    expect(has(provenance.data.sha256)).toBe(true);
    expect(has('&quot;maxLag&quot;: 8')).toBe(true);
    const roiTv = summary.media.find((r: { metric: string; channel: string }) => r.metric === 'roi' && r.channel === 'tv');
    expect(has(`<td>${Number(roiTv.mean.toPrecision(3)).toLocaleString('en-US')}</td>`)).toBe(true);
    expect(has(TEXT.report.fitSubsets.holdout)).toBe(true);
  });

  it('recomputes chart rows from the stored draws, consistent with the stored summaries', () => {
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
    const spec = JSON.parse(readFileSync(join(runDir, 'charts', 'roi-mroi.vl.json'), 'utf8')) as ChartSpec;
    const intervals = (spec.data as { values: { kind: string; metric: string; channel: string; median: number }[] }).values.filter((r) => r.kind === 'interval');
    ['tv', 'search', 'social'].forEach((channel, c) => {
      const chart = intervals.find((r) => r.metric === 'roi' && r.channel === channel)!;
      const stored = summary.roi.find((r: { name: string }) => r.name === `ROI[${c + 1}]`);
      // 120 of the 200 stored draws: the medians differ by Monte Carlo error only (posterior sd is
      // ~5% of the value, the median's MC error well under 1%); 3% is a loose bound.
      expect(Math.abs(chart.median - stored.q50) / stored.q50).toBeLessThan(0.03);
    });
    const sampler = JSON.parse(readFileSync(join(runDir, 'charts', 'sampler.vl.json'), 'utf8')) as ChartSpec;
    const counts = (sampler.data as { values: { chain: number; kind: string; count: number }[] }).values;
    expect(counts.filter((r) => r.kind === TEXT.labels.divergences).map((r) => r.count)).toEqual([0, 2]);
    expect(counts.filter((r) => r.kind === TEXT.labels.treeDepthHits).map((r) => r.count)).toEqual([0, 1]);
    const fit = JSON.parse(readFileSync(join(runDir, 'charts', 'model-fit.vl.json'), 'utf8')) as ChartSpec;
    expect((fit.data as { values: { holdout: boolean }[] }).values.filter((r) => r.holdout)).toHaveLength(8);
  });

  it('a national run (one geo, no holdout) gets no per-geo charts', async () => {
    const dir = join(tmp, 'national');
    await writeExampleRun(dir, { dataset: 'national', holdout: 0, chains: 2, draws: 60 });
    const data = reportData(readRunFiles(dir), { maxDraws: 60, priorDraws: 200, replicates: 40 });
    const charts = reportCharts(data);
    expect(charts.map((c) => c.id)).toEqual(EXPECTED_CHARTS.filter((id) => id !== 'model-fit-by-geo' && id !== 'geo-roi'));
    for (const c of charts) expect(schemaErrors(c.spec), c.id).toEqual([]);
    expect(data.modelFit.some((r) => r.holdout)).toBe(false);
    expect(charts[0].description).not.toContain(TEXT.charts.modelFit.holdoutNote);
    expect(new Set(data.priorPosterior.map((r) => r.parameter)).has('eta[tv]')).toBe(false);
  });

  it('rejects bad arguments with a usage error', async () => {
    await expect(report([])).rejects.toBeInstanceOf(UsageError);
    await expect(report([runDir, '--bogus', '1'])).rejects.toBeInstanceOf(UsageError);
    await expect(report([join(tmp, 'missing')])).rejects.toThrow(/cannot read run file/);
  });
});

describe('mixwell inspect', () => {
  it('prints the data checks and, with --out, writes inspect.html and the data charts', async () => {
    const out = join(tmp, 'inspect');
    const { stdout, stderr } = await capture(() => inspect(['--data', 'examples/national.csv', '--config', 'examples/national.config.json', '--out', out]));
    expect(stdout).toContain('national.csv: 1 geo x 104 weekly periods, 3 channels, 1 control');
    expect(stdout).toMatch(/tv\s+1,231,000\s+56\.8%\s+53\.8%/);
    expect(stdout).toContain(TEXT.inspect.noFlags);
    expect(stderr).toContain(TEXT.inspect.wroteCharts(out, 6));
    const page = readFileSync(join(out, 'inspect.html'), 'utf8');
    expect(Object.keys(embeddedSpecs(page))).toEqual(EXPECTED_CHARTS.filter((id) => id.startsWith('data-')));
    expect(readdirSync(join(out, 'charts'))).toHaveLength(12);
    await expect(inspect([])).rejects.toBeInstanceOf(UsageError);
  });
});

const chromium = findChromium();
const browserTest = chromium
  ? 'report.html opens in headless Chromium with no console errors and every chart drawn'
  : `report.html in headless Chromium: SKIPPED, Chromium not found at ${process.env.CHROMIUM ?? '/usr/bin/chromium'} (Debian: apt-get install chromium)`;

describe('report in a browser', () => {
  it.skipIf(!chromium)(browserTest, async () => {
    const png = join(tmp, 'report.png');
    const result = await screenshotPage(join(runDir, 'report.html'), png, { chromium });
    expect(result.consoleErrors).toEqual([]);
    expect(result.failed).toEqual([]);
    expect(result.chartContainers).toBe(EXPECTED_CHARTS.length);
    expect(result.rendered).toBe(EXPECTED_CHARTS.length);
    expect(result.chartsDrawn).toBe(EXPECTED_CHARTS.length);
    expect(existsSync(png)).toBe(true);
    expect(readFileSync(png).subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});
