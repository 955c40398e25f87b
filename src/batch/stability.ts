/**
 * Rolling-window stability of a batch's window series (manifest `rolling`, or `backtest` folds):
 * per window and channel the posterior of the ROI, of the media coefficient m (log median media
 * effect, in each window's own scaling, so it moves with the data's scale as well) and of the
 * geometric adstock rate alpha (when the model has it), as tidy rows read from each window's
 * summary.json; then per channel and metric a summary across windows:
 *
 * - the mean of the window posterior means and their standard deviation across windows
 *   (between-window sd), against the root mean square of the window posterior sds (within-window
 *   sd). If the quantity is the same in every window, the window means differ only through the
 *   data each window sees, which their posterior sd already measures (and overlapping windows share
 *   data, which shrinks the spread further), so a ratio between / within above 1 points to a
 *   change over time rather than noise;
 * - whether all windows' 90% intervals share a common value (max q05 <= min q95).
 *
 * Verdict: "stable" when the intervals share a value and the ratio is <= 1; "drifting" when two
 * windows' 90% intervals do not overlap; "check" otherwise. This is Mixwell's own screening rule
 * of thumb (a comparison of between-window and within-window variation, as in a one-way random
 * effects decomposition), not a test with a stated error rate: look at the chart
 * (src/charts/stability.ts) too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SeriesInfo } from './plan.js';

export type StabilityMetric = 'roi' | 'coefficient' | 'adstock';
export type StabilityVerdict = 'stable' | 'check' | 'drifting';

export const METRIC_LABELS: Readonly<Record<StabilityMetric, string>> = {
  roi: 'ROI',
  coefficient: 'coefficient m',
  adstock: 'adstock alpha',
};

export interface StabilityRow {
  readonly series: string;
  readonly window: number;
  readonly from: string;
  readonly to: string;
  readonly channel: string;
  readonly metric: StabilityMetric;
  readonly mean: number;
  readonly sd: number;
  readonly median: number;
  readonly q05: number;
  readonly q95: number;
}

export interface StabilitySummaryRow {
  readonly series: string;
  readonly channel: string;
  readonly metric: StabilityMetric;
  readonly windows: number;
  readonly meanOfMeans: number;
  readonly minMean: number;
  readonly maxMean: number;
  readonly betweenSd: number;
  readonly withinSd: number;
  /** betweenSd / withinSd. */
  readonly ratio: number;
  readonly intervalsOverlap: boolean;
  readonly verdict: StabilityVerdict;
}

/** One window of a series: where it is and its run directory. */
export interface SeriesWindow {
  readonly series: SeriesInfo;
  readonly dir: string;
}

interface SummaryFile {
  readonly parameters: readonly { name: string; mean: number; sd: number; q05: number; q50: number; q95: number }[];
  readonly media: readonly { metric: string; channel?: string; mean: number; sd: number; median: number; q05: number; q95: number }[];
}

const ALL_MEDIA = '(all media)';

function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

/** Rows of one window from its run directory's summary.json. */
export function windowRows(window: SeriesWindow): StabilityRow[] {
  const path = join(window.dir, 'summary.json');
  let summary: SummaryFile;
  try {
    summary = JSON.parse(readFileSync(path, 'utf8')) as SummaryFile;
  } catch (error) {
    throw new Error(`${path}: cannot read the window's summary (${(error as Error).message})`);
  }
  const base = { series: window.series.entry, window: window.series.index, from: window.series.from, to: window.series.to };
  const rows: StabilityRow[] = [];
  const roiRows = summary.media.filter((r) => r.metric === 'roi' && r.channel !== undefined);
  for (const r of roiRows) rows.push({ ...base, channel: r.channel!, metric: 'roi', mean: num(r.mean), sd: num(r.sd), median: num(r.median), q05: num(r.q05), q95: num(r.q95) });
  const channels = roiRows.map((r) => r.channel!).filter((c) => c !== ALL_MEDIA);
  for (const [metric, name] of [['coefficient', 'm'], ['adstock', 'alpha']] as const) {
    // a row over only some channels (per-channel adstock kinds: alpha covers the channels whose kind has it)
    // cannot be matched to channels by position: no rows then
    if (summary.parameters.filter((row) => row.name.startsWith(`${name}[`)).length !== channels.length) continue;
    channels.forEach((channel, c) => {
      const p = summary.parameters.find((row) => row.name === `${name}[${c + 1}]`);
      if (p) rows.push({ ...base, channel, metric, mean: num(p.mean), sd: num(p.sd), median: num(p.q50), q05: num(p.q05), q95: num(p.q95) });
    });
  }
  return rows;
}

/** Rows of every window, oldest first. */
export function stabilityRows(windows: readonly SeriesWindow[]): StabilityRow[] {
  return [...windows].sort((a, b) => a.series.index - b.series.index).flatMap(windowRows);
}

function sd(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
}

export function verdictOf(intervalsOverlap: boolean, ratio: number): StabilityVerdict {
  if (!intervalsOverlap) return 'drifting';
  return ratio <= 1 ? 'stable' : 'check';
}

/** The across-window summary per series, channel and metric (see the module comment). */
export function stabilitySummary(rows: readonly StabilityRow[]): StabilitySummaryRow[] {
  const groups = new Map<string, StabilityRow[]>();
  for (const row of rows) {
    const key = JSON.stringify([row.series, row.metric, row.channel]);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(row);
  }
  const out: StabilitySummaryRow[] = [];
  for (const group of groups.values()) {
    const means = group.map((r) => r.mean);
    const betweenSd = sd(means);
    const withinSd = Math.sqrt(group.reduce((a, r) => a + r.sd ** 2, 0) / group.length);
    const ratio = withinSd > 0 ? betweenSd / withinSd : betweenSd === 0 ? 0 : Infinity;
    const intervalsOverlap = Math.max(...group.map((r) => r.q05)) <= Math.min(...group.map((r) => r.q95));
    out.push({
      series: group[0].series,
      channel: group[0].channel,
      metric: group[0].metric,
      windows: group.length,
      meanOfMeans: means.reduce((a, b) => a + b, 0) / means.length,
      minMean: Math.min(...means),
      maxMean: Math.max(...means),
      betweenSd,
      withinSd,
      ratio,
      intervalsOverlap,
      verdict: verdictOf(intervalsOverlap, ratio),
    });
  }
  return out;
}
