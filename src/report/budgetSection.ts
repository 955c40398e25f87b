/**
 * The report's budget section as HTML (page.ts tables): spend per channel now and proposed with
 * the change, the planning window, the objective, the effectiveness window of time-varying channels, the expected uplift with its 90% interval and
 * P(proposed beats current), and where the allocation came from. The chart beside it is src/charts/budget.ts.
 * With a two-channel trade-off (src/charts/tradeoff.ts), a paragraph on what it holds and where it came from.
 */
import { formatNumber, formatPercent, TEXT, type BudgetAllocation, type TradeoffChart } from '../charts/index.js';
import { escapeHtml } from './escapeHtml.js';
import { htmlTable } from './page.js';

export function budgetHtml(allocation: BudgetAllocation, periods?: number): string {
  const words = TEXT.report.budget;
  const money = (x: number) => formatNumber(x, 4);
  const change = (current: number, proposed: number) => [money(proposed - current), current > 0 ? formatPercent((proposed - current) / current, 1) : ''];
  const rows = allocation.rows.map((r) => [escapeHtml(r.channel), money(r.current), money(r.proposed), ...change(r.current, r.proposed)]);
  const current = allocation.rows.reduce((sum, r) => sum + r.current, 0);
  const proposed = allocation.rows.reduce((sum, r) => sum + r.proposed, 0);
  rows.push([`<b>${escapeHtml(words.total)}</b>`, money(current), money(proposed), ...change(current, proposed)]);
  const lines: string[] = [words.intro];
  const w = allocation.window;
  if (w) lines.push(words.window(w.periods, w.from, w.to, w.level));
  if (allocation.objective) lines.push(words.objective(allocation.objective));
  const e = allocation.effectiveness;
  if (e) lines.push(words.effectiveness(e.channels, e.periods, e.from, e.to));
  if (allocation.uplift) lines.push(words.uplift(allocation.unit, allocation.uplift.mean, allocation.uplift.q05, allocation.uplift.q95));
  if (allocation.pBeatsCurrent !== undefined) lines.push(words.pBeats(allocation.pBeatsCurrent, allocation.draws));
  const notes: string[] = [];
  if (w && periods !== undefined && w.periods !== periods) notes.push(words.curvesNote);
  if (allocation.source) notes.push(words.source(allocation.source));
  return [
    ...lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    htmlTable(words.headers, rows),
    ...notes.map((note) => `<p class="note">${escapeHtml(note)}</p>`),
  ].join('\n');
}

/** The lines above the trade-off chart: the pair and its total, the window, the objective, the source. */
export function tradeoffHtml(tradeoff: TradeoffChart): string {
  const words = TEXT.report.tradeoff;
  const lines = [words.intro(tradeoff.channels[0], tradeoff.channels[1], formatNumber(tradeoff.total, 4))];
  const w = tradeoff.window;
  if (w) lines.push(TEXT.report.budget.window(w.periods, w.from, w.to, w.level));
  if (tradeoff.objectiveDescription) lines.push(words.objective(tradeoff.objectiveDescription, tradeoff.draws));
  const notes = tradeoff.source ? [TEXT.report.budget.source(tradeoff.source)] : [];
  return [...lines.map((line) => `<p>${escapeHtml(line)}</p>`), ...notes.map((note) => `<p class="note">${escapeHtml(note)}</p>`)].join('\n');
}
