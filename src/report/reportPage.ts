/**
 * The report's and the inspection's pages (page.ts) from their rows and charts: sections in a
 * fixed order, the health check, ROI and fit tables, data-check findings, the model configuration
 * and provenance. Wording from src/charts/text.ts.
 */
import { ALL_GEOS, ALL_MEDIA, type DataChecks, type QuantityRow } from '../analysis/index.js';
import { findingText, formatNumber, formatPercent, TEXT } from '../charts/index.js';
import { budgetHtml, tradeoffHtml } from './budgetSection.js';
import { escapeHtml } from './escapeHtml.js';
import { htmlTable, type PageInput, type PageSection } from './page.js';
import { modelComparisonHtml, probabilitiesHtml } from './probabilityTable.js';
import type { ReportData } from './reportData.js';
import type { ReportChart, SectionKey } from './reportCharts.js';

const SECTION_ORDER: readonly SectionKey[] = ['summary', 'health', 'roi', 'fit', 'contributions', 'returns', 'curves', 'geo', 'budget', 'priors', 'diagnostics', 'data', 'config', 'provenance'];

const interval = (row: QuantityRow | undefined) => (row ? `${formatNumber(row.q05)} to ${formatNumber(row.q95)}` : '');
const value = (row: QuantityRow | undefined, digits = 3) => (row ? formatNumber(row.mean, digits) : '');

function healthHtml(data: ReportData): string {
  const rows = data.health.map((flag) => [
    `<span class="level-${escapeHtml(flag.level)}">${escapeHtml(TEXT.report.healthLevels[flag.level] ?? flag.level)}</span>`,
    escapeHtml(flag.code),
    escapeHtml(flag.message),
  ]);
  const errors = data.health.filter((f) => f.level === 'error').length;
  const warnings = data.health.filter((f) => f.level === 'warning').length;
  return `<p>${escapeHtml(TEXT.report.healthSummary(errors, warnings))}</p>\n${htmlTable(TEXT.report.healthHeaders, rows, 'text')}`;
}

function roiHtml(data: ReportData): string {
  const rows = data.roiTable.map((r) => [
    escapeHtml(r.channel === ALL_MEDIA ? TEXT.labels.allMedia : r.channel),
    value(r.roi),
    interval(r.roi),
    value(r.mroi),
    interval(r.mroi),
    value(r.contribution, 4),
    r.share ? formatPercent(r.share.mean, 1) : '',
    value(r.costPerKpi),
    r.rhat !== undefined && Number.isFinite(r.rhat) ? r.rhat.toFixed(3) : '',
    r.essBulk !== undefined && Number.isFinite(r.essBulk) ? Math.round(r.essBulk).toString() : '',
  ]);
  return `${htmlTable(TEXT.report.roiHeaders, rows)}\n<p class="note">${escapeHtml(TEXT.report.roiUnit(data.roiUnit))}</p>`;
}

function fitHtml(data: ReportData): string {
  const rows = data.fitMetrics.map((m) => [
    escapeHtml(TEXT.report.fitSubsets[m.subset] ?? m.subset),
    String(m.n),
    Number.isFinite(m.r2) ? m.r2.toFixed(3) : '',
    formatPercent(m.mape, 1),
    formatPercent(m.wmape, 1),
    formatNumber(m.rmse, 4),
  ]);
  return htmlTable(TEXT.report.fitHeaders, rows);
}

/** Findings of the data checks as a list. */
export function findingsHtml(checks: DataChecks): string {
  if (checks.findings.length === 0) return `<p>${escapeHtml(TEXT.inspect.noFlags)}</p>`;
  return `<p>${escapeHtml(TEXT.inspect.flagsHeading)}</p><ul class="findings">${checks.findings.map((f) => `<li>${escapeHtml(findingText(f))}</li>`).join('')}</ul>`;
}

/** The per-channel and per-control table of the data checks. */
export function dataTablesHtml(checks: DataChecks): string {
  const vif = new Map(checks.vif.map((v) => [`${v.kind}:${v.variable}`, v.vif]));
  const zero = new Map(checks.zeroSpend.filter((z) => z.geo === ALL_GEOS).map((z) => [z.channel, z.zeroShare]));
  const vifText = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '' : Number.isFinite(x) ? x.toFixed(1) : '∞');
  const channels = checks.spendShare.map((s) => [
    escapeHtml(s.channel),
    formatNumber(s.spend, 4),
    formatPercent(s.share, 1),
    formatPercent(zero.get(s.channel) ?? NaN, 1),
    formatNumber(s.meanSpend, 4),
    vifText(vif.get(`media:${s.channel}`)),
  ]);
  const controls = checks.controls.map((c) => [escapeHtml(c.control), formatNumber(c.mean), formatNumber(c.sd), vifText(vif.get(`control:${c.control}`))]);
  const k = checks.kpi;
  return [
    htmlTable(TEXT.inspect.channelHeaders, channels),
    controls.length > 0 ? htmlTable(TEXT.inspect.controlHeaders, controls) : '',
    `<p class="note">${escapeHtml(TEXT.inspect.kpiLine(k.mean, k.min, k.max, k.cv))}</p>`,
  ].join('\n');
}

function keyValueHtml(record: Readonly<Record<string, unknown>>): string {
  const rows = Object.entries(record).map(([key, v]) => [
    escapeHtml(key),
    typeof v === 'object' && v !== null ? `<pre>${escapeHtml(JSON.stringify(v, null, 1))}</pre>` : escapeHtml(String(v)),
  ]);
  return htmlTable([TEXT.labels.parameter, TEXT.labels.value], rows, 'text');
}

export function reportPage(data: ReportData, charts: readonly ReportChart[], created: string): PageInput {
  const words = TEXT.report;
  const html: Partial<Record<SectionKey, string>> = {
    summary: `<p>${escapeHtml(words.runLine(data.dir, data.geoNames.length, data.periods, data.channelNames.length, data.chains, data.drawsPerChain))}</p>`,
    health: healthHtml(data),
    roi: [roiHtml(data), probabilitiesHtml(data.paidChannelNames, data.probabilities)].filter(Boolean).join('\n'),
    fit: [fitHtml(data), modelComparisonHtml(data.loo, data.holdoutLpd)].filter(Boolean).join('\n'),
    budget: data.budget || data.tradeoff ? [data.budget ? budgetHtml(data.budget, data.periods) : '', data.tradeoff ? tradeoffHtml(data.tradeoff) : ''].filter(Boolean).join('\n') : undefined,
    data: `<p>${escapeHtml(words.dataIntro)}</p>\n${findingsHtml(data.dataChecks)}\n${dataTablesHtml(data.dataChecks)}`,
    config: `<p>${escapeHtml(words.configIntro)}</p><pre>${escapeHtml(JSON.stringify(data.config, null, 2))}</pre>`,
    provenance: `<p>${escapeHtml(words.provenanceIntro)}</p>${keyValueHtml(data.provenance)}`,
  };
  const sections: PageSection[] = [];
  for (const key of SECTION_ORDER) {
    const sectionCharts = charts.filter((c) => c.section === key);
    if (sectionCharts.length === 0 && html[key] === undefined) continue;
    sections.push({ id: key, heading: words.sections[key], html: html[key], charts: sectionCharts });
  }
  return { title: words.pageTitle(data.dir), heading: words.heading, lines: [words.generated(created)], sections };
}

export function inspectPage(checks: DataChecks, file: string, charts: readonly ReportChart[], created: string): PageInput {
  const d = checks.data;
  const words = TEXT.inspect;
  return {
    title: words.pageTitle(file),
    heading: words.heading,
    lines: [words.dataLine(file, d.geoNames.length, d.dates.length, words.units[d.frequency] ?? d.frequency, d.channelNames.length, d.controlNames.length), TEXT.report.generated(created)],
    sections: [{ id: 'data', heading: TEXT.report.sections.data, html: `${findingsHtml(checks)}\n${dataTablesHtml(checks)}`, charts }],
  };
}
