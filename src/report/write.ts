/**
 * Files of the charts: each chart as a standalone Vega-Lite spec with its data inlined
 * (`<id>.vl.json`) and as SVG rendered in Node (`<id>.svg`), plus the self-contained HTML page:
 * `report.html` in a run directory (`writeReport`, with the budget section of an optimization
 * result and a two-channel trade-off found in the run directory, allocationFile.ts and
 * tradeoffFile.ts), `inspect.html` for a data inspection (`writeInspection`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataChecks } from '../analysis/index.js';
import { renderSvg, type Chart } from '../charts/index.js';
import { readRunFiles } from '../run/index.js';
import { reportBudget, type ReportBudgetOptions } from './allocationFile.js';
import { reportTradeoff, type ReportTradeoffOptions } from './tradeoffFile.js';
import { htmlPage, readEmbedScripts } from './page.js';
import { dataCheckCharts, reportCharts, type ReportChart } from './reportCharts.js';
import { reportData, type ReportDataOptions } from './reportData.js';
import { inspectPage, reportPage } from './reportPage.js';

/** Write `<dir>/<id>.vl.json` and `<dir>/<id>.svg` for every chart; returns the paths written. */
export async function writeCharts(dir: string, charts: readonly Chart[]): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const chart of charts) {
    const specPath = join(dir, `${chart.id}.vl.json`);
    writeFileSync(specPath, JSON.stringify(chart.spec, null, 1) + '\n');
    const svgPath = join(dir, `${chart.id}.svg`);
    writeFileSync(svgPath, await renderSvg(chart.spec));
    written.push(specPath, svgPath);
  }
  return written;
}

export interface WrittenPage {
  /** Path of the HTML file. */
  readonly html: string;
  readonly charts: readonly ReportChart[];
}

export interface WriteReportOptions extends Omit<ReportDataOptions, 'tradeoff'>, ReportBudgetOptions, ReportTradeoffOptions {}

export interface WrittenReport extends WrittenPage {
  /** The allocation.json the budget section was read from, if any. */
  readonly allocation?: string;
  /** The tradeoff.json the trade-off chart was read from, if any. */
  readonly tradeoff?: string;
  /** Things the reader should know (e.g. an allocation older than the run's draws). */
  readonly warnings: readonly string[];
}

/**
 * Read a run directory, recompute the report's rows from its draws and write report.html and
 * charts/, with a budget section when the run holds an optimization result (see `allocation`).
 */
export async function writeReport(dir: string, options: WriteReportOptions = {}): Promise<WrittenReport> {
  const files = readRunFiles(dir);
  const { budget, allocation, warnings } = reportBudget(dir, files.run.design, options);
  const found = reportTradeoff(dir, files.run.design, options);
  const data = reportData(files, { ...options, budget, tradeoff: found.tradeoff });
  const charts = reportCharts(data);
  await writeCharts(join(dir, 'charts'), charts);
  const html = join(dir, 'report.html');
  writeFileSync(html, htmlPage(reportPage(data, charts, new Date().toISOString()), readEmbedScripts()));
  return { html, charts, allocation, tradeoff: found.path, warnings: [...warnings, ...found.warnings] };
}

/** Write inspect.html and charts/ for data checks into `dir`. */
export async function writeInspection(dir: string, checks: DataChecks, file: string): Promise<WrittenPage> {
  const charts = dataCheckCharts(checks);
  await writeCharts(join(dir, 'charts'), charts);
  const html = join(dir, 'inspect.html');
  writeFileSync(html, htmlPage(inspectPage(checks, file, charts, new Date().toISOString()), readEmbedScripts()));
  return { html, charts };
}
