/**
 * Plain-text table of the lift-test check (src/analysis/liftCheck.ts) for the run summary: per
 * experiment and measured number, the measured lift with its standard error next to the lift the
 * fitted model implies (mean and 90% interval) and their standardized difference z.
 */
import type { LiftCheckRow } from '../analysis/index.js';

/** 3 significant digits; whole numbers from 1000 up (KPI counts), no exponent. */
function fmt(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 10 ** digits ? Math.round(x).toString() : Number(x.toPrecision(digits)).toString();
}

/** Lines of the lift-test table (empty without experiments). Per-period rows are shown when there are at most `maxPeriodRows` of them. */
export function formatLiftTests(rows: readonly LiftCheckRow[], maxPeriodRows = 12): string[] {
  if (rows.length === 0) return [];
  const periodRows = rows.filter((r) => r.inLikelihood && r.observation !== 'total').length;
  const shown = periodRows > maxPeriodRows ? rows.filter((r) => !r.inLikelihood || r.observation === 'total') : rows;
  const table: string[][] = [['experiment', 'channel', 'measured', 'periods', 'lift measured ± se', 'model-implied mean', '90% interval', 'z']];
  for (const r of shown) {
    table.push([
      r.name,
      r.channel,
      r.observation,
      r.from === r.to ? r.from : `${r.from}..${r.to}`,
      `${fmt(r.measured)} ± ${fmt(r.measuredSe, 2)}`,
      fmt(r.implied.mean),
      `[${fmt(r.implied.q05)}, ${fmt(r.implied.q95)}]`,
      fmt(r.z, 2),
    ]);
  }
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const lines = ['Lift tests (measured vs model-implied incremental KPI; |z| > 2: model and experiment disagree):'];
  for (const row of table) lines.push(`  ${row.map((cell, i) => (i < 4 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd()}`);
  if (shown.length < rows.length) lines.push(`  (${periodRows} per-period rows in summary.json)`);
  return lines;
}
