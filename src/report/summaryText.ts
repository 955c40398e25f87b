/**
 * Plain-text summary of a run for the terminal: the ROI table, posterior probability statements
 * (with their Monte Carlo standard errors), time-varying channels' effectiveness and latest quarter's
 * ROI (timeVaryingSummaryText.ts), sampler diagnostics, the knots of the time effect when
 * the model has them, PSIS-LOO and holdout scores, and the health check.
 */
import type { OptimalFrequencyRow, ProbabilityRow } from '../analysis/index.js';
import type { StoredRun } from '../run/index.js';
import { formatLiftTests } from './liftSummaryText.js';
import { formatTimeVarying } from './timeVaryingSummaryText.js';
import { describeKnots } from '../../models/mmm/index.js';
import { isPaidKind } from '../data/index.js';

function fmt(x: unknown, digits = 3): string {
  return typeof x === 'number' && Number.isFinite(x) ? x.toPrecision(digits) : String(x ?? '');
}

/** A number stored in JSON (non-finite numbers are stored as strings such as "NaN"). */
function stored(x: unknown): number {
  return typeof x === 'number' ? x : typeof x === 'string' ? Number(x) : NaN;
}

function alignTable(table: readonly string[][]): string[] {
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  return table.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd());
}

/** "0.93 ± 0.02"; "1 (all draws)" / "0 (no draw)" when every draw agrees. */
function probabilityText(row: ProbabilityRow | undefined): string {
  if (!row) return '';
  const p = stored(row.probability);
  const mcse = stored(row.mcse);
  if (Number.isNaN(p)) return 'n/a';
  if (Number.isFinite(mcse)) return `${p.toFixed(2)} ± ${mcse < 0.005 ? mcse.toPrecision(1) : mcse.toFixed(2)}`;
  return p === 1 ? '1 (all draws)' : p === 0 ? '0 (no draw)' : p.toFixed(2);
}

/** The probability statements: per channel P(ROI > t), P(mROI > target), P(best mROI); then P(ROI row > ROI column). */
export function formatProbabilities(channels: readonly string[], rows: readonly ProbabilityRow[]): string[] {
  if (rows.length === 0) return [];
  const find = (kind: ProbabilityRow['kind'], channel: string, versus?: string) =>
    rows.find((r) => r.kind === kind && r.channel === channel && (versus === undefined || r.versus === versus));
  const roiThreshold = rows.find((r) => r.kind === 'roiAbove')?.threshold ?? 1;
  const mroiTarget = rows.find((r) => r.kind === 'mroiAbove')?.threshold;
  const header = ['channel', `P(ROI > ${roiThreshold})`];
  if (mroiTarget !== undefined) header.push(`P(mROI > ${mroiTarget})`, 'P(best mROI)');
  const table: string[][] = [header];
  for (const channel of channels) {
    const line = [channel, probabilityText(find('roiAbove', channel))];
    if (mroiTarget !== undefined) line.push(probabilityText(find('mroiAbove', channel)), probabilityText(find('bestMroi', channel)));
    table.push(line);
  }
  const draws = rows[0].draws;
  const lines = [`Posterior probabilities (share of ${draws} draws ± Monte Carlo standard error):`, ...alignTable(table).map((l) => `  ${l}`)];
  if (channels.length > 1) {
    const pairs: string[][] = [['P(ROI row > ROI column)', ...channels]];
    for (const a of channels) {
      pairs.push([a, ...channels.map((b) => {
        if (a === b) return '-';
        const row = find('roiGreater', a, b);
        return row && Number.isFinite(stored(row.probability)) ? stored(row.probability).toFixed(2) : '';
      })]);
    }
    lines.push(...alignTable(pairs).map((l) => `  ${l}`));
  }
  return lines;
}

/** PSIS-LOO and holdout lines (empty for runs stored without them). */
export function formatModelComparison(run: StoredRun): string[] {
  const loo = run.summary.loo;
  if (!loo) return [];
  const lines = [
    `PSIS-LOO (${stored(loo.observations)} fitted observations): elpd_loo ${fmt(stored(loo.elpdLoo), 5)} (se ${fmt(stored(loo.seElpdLoo))}), p_loo ${fmt(stored(loo.pLoo))}, looic ${fmt(stored(loo.looic), 5)}`,
    `  Pareto k: ${stored(loo.paretoKAboveThreshold)} above ${stored(loo.paretoKThreshold).toFixed(2)} (the threshold for ${stored(loo.draws)} draws), ${stored(loo.paretoKAbove07)} above 0.7, ${stored(loo.paretoKAbove1)} above 1; max ${fmt(stored(loo.maxParetoK))}`,
  ];
  if (stored(loo.paretoKAboveThreshold) > 0) lines.push('  (elpd_loo is unreliable where k is above the threshold: more draws, or judge the model by the holdout)');
  const holdout = run.summary.holdoutLpd;
  if (holdout) lines.push(`Holdout (${holdout.observations} observations): lpd ${fmt(stored(holdout.lpd), 5)} (se ${fmt(stored(holdout.se))}), ${fmt(stored(holdout.lpdPerObservation))} per observation`);
  return lines;
}

export interface RunSummaryOptions {
  /** Probability statements to show instead of the stored ones (e.g. runProbabilities.ts with another target). */
  readonly probabilities?: readonly ProbabilityRow[];
}

export function formatRunSummary(run: StoredRun, options: RunSummaryOptions = {}): string {
  const lines: string[] = [];
  const channels = run.design.channelNames;
  const media = run.summary.media as { metric: string; channel?: string; unit: string; mean: number; q05: number; q95: number }[];
  const pick = (metric: string, channel: string) => media.find((row) => row.metric === metric && row.channel === channel);
  const roiDiag = new Map(run.summary.roi.map((row) => [row.name, row]));
  lines.push(`Run ${run.dir}: ${run.design.geoNames.length} geo(s) x ${run.design.dates.length} periods x ${channels.length} channels; ${run.posterior.chains} chains x ${run.posterior.drawsPerChain} draws`);
  lines.push('');
  const header = ['channel', 'ROI mean', 'ROI 90% CI', 'mROI mean', 'mROI 90% CI', 'share', 'R-hat', 'ESS bulk'];
  const table: string[][] = [header];
  channels.forEach((channel, c) => {
    const roi = pick('roi', channel);
    const mroi = pick('mroi', channel);
    const share = pick('share', channel);
    const diag = roiDiag.get(`ROI[${c + 1}]`);
    table.push([
      channel,
      fmt(roi?.mean),
      roi ? `[${fmt(roi.q05)}, ${fmt(roi.q95)}]` : '',
      fmt(mroi?.mean),
      mroi ? `[${fmt(mroi.q05)}, ${fmt(mroi.q95)}]` : '',
      share ? `${(100 * share.mean).toFixed(1)}%` : '',
      fmt(diag?.rhat, 4),
      diag ? diag.essBulk.toFixed(0) : '',
    ]);
  });
  for (const treatment of run.design.treatmentNames ?? []) {
    const share = pick('share', treatment);
    table.push([`${treatment} (treatment)`, '', '', '', '', share ? `${(100 * share.mean).toFixed(1)}%` : '', '', '']);
  }
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i].length)));
  for (const row of table) lines.push(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
  // channels with spend (paid, and reach and frequency)
  const paidChannels = channels.filter((_, c) => isPaidKind(run.design.channelKinds?.[c]));
  const probabilities = formatProbabilities(paidChannels, options.probabilities ?? run.summary.probabilities ?? []);
  if (probabilities.length > 0) lines.push('', ...probabilities);
  const optimal = (run.summary as { optimalFrequency?: readonly OptimalFrequencyRow[] }).optimalFrequency ?? [];
  if (optimal.length > 0) {
    lines.push('', 'Optimal frequency (reach and frequency channels; ROI at fixed impressions, optimal_frequency.csv):');
    for (const row of optimal) {
      lines.push(
        `  ${row.channel}: f* ${fmt(row.optimalFrequency)} [${fmt(row.q05)}, ${fmt(row.q95)}], ROI ${fmt(row.roiAtOptimal)} at f* against ${fmt(row.roiAtCurrent)} at the data's frequency (average ${fmt(row.currentFrequency)})`,
      );
    }
  }
  const timeVarying = formatTimeVarying(run.summary.effectiveness ?? [], run.summary.roiByPeriod ?? [], run.summary.periodGrouping);
  if (timeVarying.length > 0) lines.push('', ...timeVarying);
  const liftTests = formatLiftTests(run.summary.liftTests ?? []);
  if (liftTests.length > 0) lines.push('', ...liftTests);
  const sampler = run.summary.sampler as { divergences: number; maxRhat: number; minEssBulk: number; treeDepthSaturated: number };
  lines.push('');
  lines.push(`Sampler: max R-hat ${fmt(sampler.maxRhat, 4)}, min bulk ESS ${fmt(sampler.minEssBulk, 4)}, divergences ${sampler.divergences}, max tree depth hits ${sampler.treeDepthSaturated}`);
  if (run.summary.timeKnots) lines.push(`${describeKnots(run.summary.timeKnots).replace(/^time effect/, 'Time effect')} (time_effect.csv)`);
  const comparison = formatModelComparison(run);
  if (comparison.length > 0) lines.push('', ...comparison);
  lines.push('');
  lines.push('Health check:');
  for (const flag of run.health) lines.push(`  [${flag.level}] ${flag.code}: ${flag.message}`);
  return lines.join('\n');
}
