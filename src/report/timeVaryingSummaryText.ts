/**
 * Lines of the run summary for time-varying channels (model.timeVarying; models/mmm
 * components/timeVarying.ts, a centred Hilbert-space GP w_c(t) per channel): which channels vary
 * and, per channel, its effectiveness exp(w_c(t)) (its coefficient at the period over its average)
 * at the first and the last period, median with the 90% interval, and the ROI of the latest period
 * group (quarter by default) with its interval. From the rows summary.json stores
 * (src/analysis/mediaAnalysis.ts `effectiveness` and `byPeriod`); numbers stored as text ("NaN")
 * are read back as numbers.
 */
import type { PeriodGrouping, QuantityRow } from '../analysis/index.js';

/** A number stored in JSON (non-finite numbers are stored as strings such as "NaN"). */
function stored(x: unknown): number {
  return typeof x === 'number' ? x : typeof x === 'string' ? Number(x) : NaN;
}

function fmt(x: unknown, digits = 3): string {
  const v = stored(x);
  return Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : String(x ?? 'n/a');
}

/** "1.12 [0.95, 1.31]": median and 90% interval. */
function interval(row: QuantityRow): string {
  return `${fmt(row.median)} [${fmt(row.q05)}, ${fmt(row.q95)}]`;
}

/**
 * Lines for the time-varying channels (empty without effectiveness rows). `effectiveness`: rows per
 * channel and date in time order; `roiByPeriod`: rows per channel and period in time order.
 */
export function formatTimeVarying(effectiveness: readonly QuantityRow[], roiByPeriod: readonly QuantityRow[], grouping: PeriodGrouping = 'quarter'): string[] {
  if (effectiveness.length === 0) return [];
  const channels = [...new Set(effectiveness.map((r) => r.channel))];
  if (channels.some((c) => typeof c !== 'string')) throw new Error('run summary: an effectiveness row has no channel');
  const lines = [
    `Time-varying channels (model.timeVarying): ${channels.join(', ')}; effectiveness = the coefficient at a period over its average (1 = average), median [90% interval] (effectiveness.csv, roi_by_period.csv):`,
  ];
  for (const channel of channels as string[]) {
    const rows = effectiveness.filter((r) => r.channel === channel);
    const first = rows[0];
    const last = rows[rows.length - 1];
    const parts = [`effectiveness ${interval(first)} at ${first.date} -> ${interval(last)} at ${last.date}`];
    const roi = roiByPeriod.filter((r) => r.channel === channel && r.metric === 'roi');
    if (roi.length > 0) {
      const latest = roi[roi.length - 1];
      parts.push(`ROI in the latest ${grouping} (${latest.period}) ${interval(latest)}`);
    }
    lines.push(`  ${channel}: ${parts.join('; ')}`);
  }
  return lines;
}
