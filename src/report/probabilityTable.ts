/**
 * The report's tables of posterior probability statements (analysis/probabilities.ts: P(ROI > 1),
 * P(mROI > target), P(best marginal investment), P(ROI_a > ROI_b)) and of the model-comparison
 * scores (PSIS-LOO with Pareto-k counts, holdout log predictive density; diagnostics/loo.ts), as
 * HTML fragments for reportPage.ts. Rows come from summary.json, where non-finite numbers are
 * stored as strings ("NaN").
 */
import type { ProbabilityRow } from '../analysis/index.js';
import type { LooEstimates } from '../diagnostics/index.js';
import { formatNumber } from '../charts/index.js';
import { escapeHtml } from './escapeHtml.js';
import { htmlTable } from './page.js';

const stored = (x: unknown): number => (typeof x === 'number' ? x : typeof x === 'string' ? Number(x) : NaN);

function probabilityCell(row: ProbabilityRow | undefined): string {
  if (!row) return '';
  const p = stored(row.probability);
  const mcse = stored(row.mcse);
  if (Number.isNaN(p)) return 'n/a';
  if (Number.isFinite(mcse)) return `${p.toFixed(2)} ± ${mcse < 0.005 ? mcse.toPrecision(1) : mcse.toFixed(2)}`;
  return p === 1 ? '1 (all draws)' : p === 0 ? '0 (no draw)' : p.toFixed(2);
}

/** Per-channel probabilities and the pairwise P(ROI row > ROI column) matrix; '' without rows. */
export function probabilitiesHtml(channelNames: readonly string[], rows: readonly ProbabilityRow[] | undefined): string {
  if (!rows || rows.length === 0) return '';
  const find = (kind: ProbabilityRow['kind'], channel: string, versus?: string) =>
    rows.find((r) => r.kind === kind && r.channel === channel && (versus === undefined || r.versus === versus));
  const roiThreshold = rows.find((r) => r.kind === 'roiAbove')?.threshold ?? 1;
  const mroiTarget = rows.find((r) => r.kind === 'mroiAbove')?.threshold;
  const headers = ['Channel', `P(ROI > ${roiThreshold})`, ...(mroiTarget !== undefined ? [`P(mROI > ${mroiTarget})`, 'P(highest mROI)'] : [])];
  const perChannel = channelNames.map((channel) => [
    escapeHtml(channel),
    probabilityCell(find('roiAbove', channel)),
    ...(mroiTarget !== undefined ? [probabilityCell(find('mroiAbove', channel)), probabilityCell(find('bestMroi', channel))] : []),
  ]);
  const parts = [
    `<h3>Posterior probabilities</h3>\n<p class="note">Share of the ${rows[0].draws} posterior draws in which the statement holds, ± its Monte Carlo standard error; the Bayesian counterpart of a significance test. "Highest mROI": the channel where the next unit of spend returns most.</p>`,
    htmlTable(headers, perChannel),
  ];
  if (channelNames.length > 1) {
    const matrix = channelNames.map((a) => [
      escapeHtml(a),
      ...channelNames.map((b) => {
        if (a === b) return '–';
        const p = stored(find('roiGreater', a, b)?.probability);
        return Number.isFinite(p) ? p.toFixed(2) : '';
      }),
    ]);
    parts.push(htmlTable(['P(ROI row > ROI column)', ...channelNames], matrix));
  }
  return parts.join('\n');
}

export interface StoredHoldoutScore {
  readonly observations: number;
  readonly lpd: number;
  readonly se: number;
  readonly lpdPerObservation: number;
}

/** PSIS-LOO and holdout scores; '' for runs stored without them. */
export function modelComparisonHtml(loo: LooEstimates | undefined, holdout: StoredHoldoutScore | null | undefined): string {
  if (!loo) return '';
  const rows = [
    ['elpd_loo (se)', `${formatNumber(stored(loo.elpdLoo), 5)} (${formatNumber(stored(loo.seElpdLoo), 3)})`],
    ['p_loo', formatNumber(stored(loo.pLoo), 3)],
    ['looic', formatNumber(stored(loo.looic), 5)],
    [`Pareto k > ${stored(loo.paretoKThreshold).toFixed(2)} (threshold for ${stored(loo.draws)} draws) / > 0.7 / > 1`, `${stored(loo.paretoKAboveThreshold)} / ${stored(loo.paretoKAbove07)} / ${stored(loo.paretoKAbove1)} of ${stored(loo.observations)}`],
  ];
  if (holdout) rows.push([`Holdout lpd, ${holdout.observations} observations (se)`, `${formatNumber(stored(holdout.lpd), 5)} (${formatNumber(stored(holdout.se), 3)})`]);
  const note = stored(loo.paretoKAboveThreshold) > 0
    ? ' Where Pareto k is above the threshold the importance sampling is unreliable for that observation: more draws, or judge the model by the holdout.'
    : '';
  return [
    `<h3>Predictive accuracy</h3>\n<p class="note">Expected log predictive density by Pareto-smoothed importance-sampling leave-one-out cross-validation (KPI in original units; higher is better). Compare models fitted to the same data with <code>mixwell compare</code>.${escapeHtml(note)}</p>`,
    htmlTable(['Score', 'Value'], rows.map(([a, b]) => [escapeHtml(a), escapeHtml(b)]), 'text'),
  ].join('\n');
}
