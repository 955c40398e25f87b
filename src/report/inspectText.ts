/**
 * The data checks as plain text for the terminal (`mixwell inspect`): a line about the data, a
 * table per channel (spend, share, zero-spend share, mean spend, VIF) and per control, the KPI
 * summary, the loader's warnings and the findings. Wording from src/charts/text.ts.
 */
import type { ValidationIssue } from '../data/index.js';
import { ALL_GEOS, type DataChecks } from '../analysis/index.js';
import { findingText, formatNumber, formatPercent, TEXT } from '../charts/index.js';

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd());
}

const vifText = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '' : Number.isFinite(x) ? x.toFixed(1) : 'inf');

export function formatDataChecks(checks: DataChecks, file: string, warnings: readonly ValidationIssue[] = []): string {
  const words = TEXT.inspect;
  const d = checks.data;
  const vif = new Map(checks.vif.map((v) => [`${v.kind}:${v.variable}`, v.vif]));
  const zero = new Map(checks.zeroSpend.filter((z) => z.geo === ALL_GEOS).map((z) => [z.channel, z.zeroShare]));
  const lines = [words.dataLine(file, d.geoNames.length, d.dates.length, words.units[d.frequency] ?? d.frequency, d.channelNames.length, d.controlNames.length), ''];
  lines.push(
    ...table([
      [...words.channelHeaders],
      ...checks.spendShare.map((s) => [s.channel, formatNumber(s.spend, 4), formatPercent(s.share, 1), formatPercent(zero.get(s.channel) ?? NaN, 1), formatNumber(s.meanSpend, 4), vifText(vif.get(`media:${s.channel}`))]),
    ]),
  );
  if (checks.controls.length > 0) {
    lines.push('', ...table([[...words.controlHeaders], ...checks.controls.map((c) => [c.control, formatNumber(c.mean), formatNumber(c.sd), vifText(vif.get(`control:${c.control}`))])]));
  }
  lines.push('', words.kpiLine(checks.kpi.mean, checks.kpi.min, checks.kpi.max, checks.kpi.cv));
  if (warnings.length > 0) {
    lines.push('', words.warningsHeading);
    for (const w of warnings) lines.push(`  ${w.column ? `${w.column}: ` : ''}${w.message}`);
  }
  lines.push('');
  if (checks.findings.length === 0) lines.push(words.noFlags);
  else {
    lines.push(words.flagsHeading);
    for (const f of checks.findings) lines.push(`  - ${findingText(f)}`);
  }
  return lines.join('\n');
}
