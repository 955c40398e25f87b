/** Plain-text summary of a run for the terminal: the ROI table, sampler diagnostics and the health check. */
import type { StoredRun } from './runDirectory.js';

function fmt(x: unknown, digits = 3): string {
  return typeof x === 'number' && Number.isFinite(x) ? x.toPrecision(digits) : String(x ?? '');
}

export function formatRunSummary(run: StoredRun): string {
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
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i].length)));
  for (const row of table) lines.push(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
  const sampler = run.summary.sampler as { divergences: number; maxRhat: number; minEssBulk: number; treeDepthSaturated: number };
  lines.push('');
  lines.push(`Sampler: max R-hat ${fmt(sampler.maxRhat, 4)}, min bulk ESS ${fmt(sampler.minEssBulk, 4)}, divergences ${sampler.divergences}, max tree depth hits ${sampler.treeDepthSaturated}`);
  lines.push('');
  lines.push('Health check:');
  for (const flag of run.health) lines.push(`  [${flag.level}] ${flag.code}: ${flag.message}`);
  return lines.join('\n');
}
