/**
 * The rolling-window stability report of a batch: for every window series in the plan (rolling or
 * backtest entries) whose windows have complete outputs, the rows and across-window summary
 * (stability.ts) as CSV, a text table with a one-line conclusion per metric, and the Vega-Lite chart
 * (src/charts/stability.ts) as spec and SVG, in `<batch dir>/stability/<entry id>/`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSvg } from '../charts/render.js';
import { stabilitySpec } from '../charts/stability.js';
import type { ChartSpec } from '../charts/spec.js';
import { rowsToCsv } from '../run/index.js';
import { outputState } from './outputState.js';
import type { BatchPlan } from './plan.js';
import { METRIC_LABELS, stabilityRows, stabilitySummary, type SeriesWindow, type StabilityMetric, type StabilityRow, type StabilitySummaryRow } from './stability.js';

export interface SeriesWindows {
  readonly entry: string;
  readonly kind: 'rolling' | 'backtest';
  /** Windows planned. */
  readonly planned: number;
  /** Windows with a complete output. */
  readonly windows: readonly SeriesWindow[];
  readonly missing: readonly string[];
}

export interface StabilityReport {
  readonly series: SeriesWindows;
  readonly rows: readonly StabilityRow[];
  readonly summary: readonly StabilitySummaryRow[];
  readonly spec: ChartSpec;
  readonly text: string;
  /** Files written (empty when not written). */
  readonly files: readonly string[];
}

/** The plan's window series with their complete windows. */
export function planSeries(plan: BatchPlan): SeriesWindows[] {
  const out = new Map<string, { kind: 'rolling' | 'backtest'; planned: number; windows: SeriesWindow[]; missing: string[] }>();
  for (const task of plan.tasks) {
    if (!task.series) continue;
    const entry = out.get(task.series.entry) ?? { kind: task.series.kind, planned: 0, windows: [], missing: [] };
    out.set(task.series.entry, entry);
    entry.planned++;
    if (outputState(task).complete) entry.windows.push({ series: task.series, dir: task.out });
    else entry.missing.push(task.id);
  }
  return [...out].map(([entry, s]) => ({ entry, ...s }));
}

const fmt = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

function table(header: readonly string[], rows: readonly (readonly string[])[], right: readonly boolean[]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => (right[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

/** The report's text: the summary table, the per-window table of each metric, and a conclusion. */
export function formatStability(series: SeriesWindows, rows: readonly StabilityRow[], summary: readonly StabilitySummaryRow[]): string {
  const lines: string[] = [];
  const windows = [...series.windows].sort((a, b) => a.series.index - b.series.index);
  const span = windows.length ? `${windows[0].series.from} .. ${windows[0].series.to} to ${windows[windows.length - 1].series.from} .. ${windows[windows.length - 1].series.to}` : 'none';
  lines.push(`${series.kind === 'rolling' ? 'Rolling-window' : 'Backtest'} stability of "${series.entry}": ${windows.length} of ${series.planned} windows complete (${span})`);
  if (series.missing.length) lines.push(`not complete (left out): ${series.missing.join(', ')}`);
  if (windows.length < 2) {
    lines.push('fewer than 2 complete windows: nothing to compare');
    return lines.join('\n') + '\n';
  }
  lines.push('');
  lines.push(
    ...table(
      ['metric', 'channel', 'windows', 'mean', 'window means', 'between sd', 'within sd', 'ratio', '90% CIs overlap', 'verdict'],
      summary.map((s) => [METRIC_LABELS[s.metric], s.channel, String(s.windows), fmt(s.meanOfMeans), `${fmt(s.minMean)} .. ${fmt(s.maxMean)}`, fmt(s.betweenSd), fmt(s.withinSd), fmt(s.ratio, 2), s.intervalsOverlap ? 'yes' : 'no', s.verdict]),
      [false, false, true, true, true, true, true, true, false, false],
    ),
  );
  const metrics = [...new Set(rows.map((r) => r.metric))];
  const channels = [...new Set(rows.map((r) => r.channel))];
  for (const metric of metrics) {
    const metricChannels = channels.filter((c) => rows.some((r) => r.metric === metric && r.channel === c));
    lines.push('', `${METRIC_LABELS[metric]} per window (median [90% interval]):`);
    const body = windows.map((w) => [
      String(w.series.index),
      w.series.from,
      w.series.to,
      ...metricChannels.map((c) => {
        const r = rows.find((x) => x.metric === metric && x.channel === c && x.window === w.series.index);
        return r ? `${fmt(r.median, 2)} [${fmt(r.q05, 2)}, ${fmt(r.q95, 2)}]` : '-';
      }),
    ]);
    lines.push(...table(['window', 'from', 'to', ...metricChannels], body, [true, false, false, ...metricChannels.map(() => false)]));
  }
  lines.push('');
  for (const metric of metrics) {
    const group = summary.filter((s) => s.metric === metric);
    const by = (v: string) => group.filter((s) => s.verdict === v).map((s) => s.channel);
    const parts = (['stable', 'check', 'drifting'] as const).filter((v) => by(v).length).map((v) => `${v} for ${by(v).join(', ')}`);
    lines.push(`${METRIC_LABELS[metric as StabilityMetric]}: ${parts.join('; ')} over ${windows.length} windows.`);
  }
  lines.push('(stable: all 90% intervals share a value and window means vary no more than one posterior sd; drifting: two windows\' 90% intervals do not overlap; check: in between)');
  return lines.join('\n') + '\n';
}

/** Build (and unless `write` is false, write) the stability report of each window series of the plan. */
export async function stabilityReports(plan: BatchPlan, options: { readonly entries?: readonly string[]; readonly write?: boolean } = {}): Promise<StabilityReport[]> {
  const reports: StabilityReport[] = [];
  for (const series of planSeries(plan)) {
    if (options.entries && !options.entries.includes(series.entry)) continue;
    const rows = stabilityRows(series.windows);
    const summary = stabilitySummary(rows);
    const channelNames = [...new Set(rows.map((r) => r.channel))];
    const spec = stabilitySpec(series.entry, rows, summary, METRIC_LABELS, channelNames);
    const text = formatStability(series, rows, summary);
    const files: string[] = [];
    if (options.write ?? true) {
      const dir = join(plan.out, 'stability', series.entry);
      mkdirSync(dir, { recursive: true });
      const write = (name: string, content: string) => {
        writeFileSync(join(dir, name), content);
        files.push(join(dir, name));
      };
      write('windows.csv', rowsToCsv(rows, ['series', 'window', 'from', 'to', 'metric', 'channel', 'mean', 'sd', 'median', 'q05', 'q95']));
      write('summary.csv', rowsToCsv(summary, ['series', 'metric', 'channel', 'windows', 'meanOfMeans', 'minMean', 'maxMean', 'betweenSd', 'withinSd', 'ratio', 'intervalsOverlap', 'verdict']));
      write('stability.txt', text);
      write('stability.vl.json', JSON.stringify(spec, null, 1) + '\n');
      if (rows.length > 0) write('stability.svg', await renderSvg(spec));
    }
    reports.push({ series, rows, summary, spec, text, files });
  }
  return reports;
}
