/**
 * Rows of the contribution charts, from `analyzeMedia` (mediaAnalysis.ts): per period the posterior mean
 * baseline and contribution of each channel and non-media treatment (summed over geos, KPI units),
 * and the totals over the whole period that the waterfall adds up.
 */
import type { MediaAnalysis } from './mediaAnalysis.js';
import { ALL_MEDIA } from './rows.js';

export interface ContributionRow {
  readonly date: string;
  /** A channel name, or BASELINE. */
  readonly component: string;
  readonly value: number;
}

export interface ComponentTotal {
  /** A channel name, or BASELINE. */
  readonly component: string;
  readonly value: number;
}

/** The component name of the baseline in contribution rows. */
export const BASELINE = '(baseline)';

export function contributionRows(media: MediaAnalysis): ContributionRow[] {
  const rows: ContributionRow[] = [];
  for (const r of media.byDate) {
    if (r.unit !== 'kpi' || r.date === undefined) continue;
    if (r.metric === 'baseline') rows.push({ date: r.date, component: BASELINE, value: r.mean });
    else if (r.metric === 'contribution' && r.channel !== undefined && r.channel !== ALL_MEDIA) rows.push({ date: r.date, component: r.channel, value: r.mean });
  }
  return rows;
}

/** Baseline, then each channel and treatment, posterior means over the whole period (KPI units). */
export function contributionTotals(media: MediaAnalysis): ComponentTotal[] {
  const baseline = media.totals.find((r) => r.metric === 'baseline' && r.unit === 'kpi');
  if (!baseline) throw new Error('contributionTotals: the analysis has no baseline total');
  const out: ComponentTotal[] = [{ component: BASELINE, value: baseline.mean }];
  for (const channel of [...media.channelNames, ...media.treatmentNames]) {
    const r = media.channels.find((q) => q.metric === 'contribution' && q.unit === 'kpi' && q.channel === channel);
    if (r) out.push({ component: channel, value: r.mean });
  }
  return out;
}
