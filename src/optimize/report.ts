/**
 * Tidy rows, JSON objects and a text table for allocation and scenario results (written by the
 * `mixwell optimize` and `mixwell scenario` commands as allocation.csv / allocation.json,
 * tradeoff.json and scenario.csv / scenario.json). Nothing here computes; it only lays results out.
 */
import type { DrawSummary } from '../analysis/index.js';
import type { FlexibleBudgetInfo } from './flexibleBudget.js';
import type { OptimizationResult } from './optimize.js';
import type { PlanComparison, WindowSummary } from './scenario.js';
import type { TradeoffResult } from './tradeoff.js';
import { planTotal } from './window.js';
import type { EffectivenessWindow } from './windowDraws.js';

export type TableRow = Record<string, string | number | undefined>;

const summaryJson = (s: DrawSummary) => ({ mean: s.mean, sd: s.sd, median: s.median, q05: s.q05, q95: s.q95 });

/** How a future window's time effects were extrapolated, in one phrase ("none" without time effects). */
export function describeTimeEffects(window: WindowSummary): string {
  const effects = window.future?.timeEffects ?? [];
  return effects.length === 0 ? 'no time effects in the model' : effects.map((e) => e.description).join('; ');
}

/** The columns that mark rows of a future window (none for a window of the fitted data). */
function futureColumns(window: WindowSummary): TableRow {
  if (!window.future) return {};
  return { future_file: window.future.source, period_from: window.from, period_to: window.to, time_effects: describeTimeEffects(window) };
}

function comparisonRows(comparison: PlanComparison, proposedName: string): TableRow[] {
  const currentTotal = planTotal(comparison.current);
  const planTotalValue = planTotal(comparison.plan);
  const future = futureColumns(comparison.window);
  return comparison.rows.map((row) => ({
    channel: row.channel,
    geo: row.geo,
    current: row.current,
    [proposedName]: row.plan,
    change: row.plan - row.current,
    change_pct: row.current > 0 ? (100 * (row.plan - row.current)) / row.current : undefined,
    current_share: currentTotal > 0 ? row.current / currentTotal : undefined,
    [`${proposedName}_share`]: planTotalValue > 0 ? row.plan / planTotalValue : undefined,
    outcome_current_mean: row.outcomeCurrent.mean,
    outcome_current_q05: row.outcomeCurrent.q05,
    outcome_current_q95: row.outcomeCurrent.q95,
    [`outcome_${proposedName}_mean`]: row.outcomePlan.mean,
    [`outcome_${proposedName}_q05`]: row.outcomePlan.q05,
    [`outcome_${proposedName}_q95`]: row.outcomePlan.q95,
    mroi_current_mean: row.mroiCurrent.mean,
    mroi_current_q05: row.mroiCurrent.q05,
    mroi_current_q95: row.mroiCurrent.q95,
    [`mroi_${proposedName}_mean`]: row.mroiPlan.mean,
    [`mroi_${proposedName}_q05`]: row.mroiPlan.q05,
    [`mroi_${proposedName}_q95`]: row.mroiPlan.q95,
    ...future,
  }));
}

/** One row per plan entry: spend (current, proposed, bounds), shares, optimal-share interval, outcome and mROI. */
export function allocationRows(result: OptimizationResult): TableRow[] {
  const base = comparisonRows(result.comparison, 'proposed');
  return base.flatMap((row, p) => {
    if (result.comparison.rows[p].organic) return [];
    const share = result.optimalShares?.[p];
    return {
      channel: row.channel,
      geo: row.geo,
      current: row.current,
      proposed: row.proposed,
      lower: result.lower[p],
      upper: result.upper[p],
      ...Object.fromEntries(Object.entries(row).filter(([key]) => !['channel', 'geo', 'current', 'proposed'].includes(key))),
      optimal_share_median: share?.optimalShare.median,
      optimal_share_q05: share?.optimalShare.q05,
      optimal_share_q95: share?.optimalShare.q95,
      probability_increase: share?.probabilityIncrease,
      ...futureColumns(result.comparison.window),
    };
  });
}

/**
 * Channel totals now and proposed, the uplift's 90% interval and P(beats current): the shape the
 * budget chart takes (src/charts/budget.ts `BudgetAllocation`); geo-level plans are summed by channel.
 */
export function budgetChartData(comparison: PlanComparison): {
  rows: { channel: string; current: number; proposed: number }[];
  uplift: { mean: number; q05: number; q95: number };
  pBeatsCurrent: number;
} {
  const rows: { channel: string; current: number; proposed: number }[] = [];
  for (const row of comparison.rows) {
    let target = rows.find((r) => r.channel === row.channel);
    if (!target) rows.push((target = { channel: row.channel, current: 0, proposed: 0 }));
    target.current += row.current;
    target.proposed += row.plan;
  }
  const { mean, q05, q95 } = comparison.uplift;
  return { rows, uplift: { mean, q05, q95 }, pBeatsCurrent: comparison.probabilityBeatsCurrent };
}

export function scenarioRows(comparison: PlanComparison): TableRow[] {
  return comparisonRows(comparison, 'plan').filter((_, p) => !comparison.rows[p].organic);
}

function comparisonJson(comparison: PlanComparison) {
  return {
    window: comparison.window,
    unit: comparison.unit,
    draws: comparison.draws,
    kpi: { current: summaryJson(comparison.kpi.current), plan: summaryJson(comparison.kpi.plan) },
    uplift: summaryJson(comparison.uplift),
    probabilityBeatsCurrent: comparison.probabilityBeatsCurrent,
    entries: comparison.rows.map((row) => ({
      channel: row.channel,
      ...(row.geo !== undefined ? { geo: row.geo } : {}),
      ...(row.organic ? { organic: true } : {}),
      current: row.current,
      plan: row.plan,
      outcomeCurrent: summaryJson(row.outcomeCurrent),
      outcomePlan: summaryJson(row.outcomePlan),
      mroiCurrent: summaryJson(row.mroiCurrent),
      mroiPlan: summaryJson(row.mroiPlan),
    })),
  };
}

export function scenarioJson(comparison: PlanComparison): Record<string, unknown> {
  return { ...comparisonJson(comparison), warnings: comparison.warnings };
}

const spendList = (result: OptimizationResult, values: Float64Array) =>
  result.entries.map((entry, p) => ({ channel: entry.channel, ...(entry.geo !== undefined ? { geo: entry.geo } : {}), spend: values[p] }));

/** allocation.json: the plan, the current plan, bounds, KPI and uplift intervals, P(beats current), and the rest. */
export function allocationJson(result: OptimizationResult & { readonly flexible?: FlexibleBudgetInfo }): Record<string, unknown> {
  const comparison = comparisonJson(result.comparison);
  return {
    window: comparison.window,
    unit: comparison.unit,
    draws: comparison.draws,
    objective: { ...result.objective, description: result.objectiveDescription },
    budget: result.budget,
    currentTotal: planTotal(result.current),
    plan: spendList(result, result.plan),
    currentPlan: spendList(result, result.current),
    bounds: result.entries.map((entry, p) => ({ channel: entry.channel, ...(entry.geo !== undefined ? { geo: entry.geo } : {}), lower: result.lower[p], upper: result.upper[p] })),
    objectiveValue: result.objectiveValue,
    kpi: comparison.kpi,
    uplift: comparison.uplift,
    probabilityBeatsCurrent: comparison.probabilityBeatsCurrent,
    ...(result.sameBudget
      ? { sameBudget: { reference: spendList(result, result.sameBudget.reference), uplift: summaryJson(result.sameBudget.uplift), probabilityBeats: result.sameBudget.probabilityBeats } }
      : {}),
    entries: comparison.entries,
    ...(result.optimalShares
      ? { optimalShares: result.optimalShares.map((row) => ({ ...row, optimalShare: summaryJson(row.optimalShare) })) }
      : {}),
    ...(result.curves
      ? {
          responseCurves: result.curves.rows.map((row) => ({ channel: row.channel, spend: row.spend, multiplier: row.multiplier, unit: row.unit, ...summaryJson(row) })),
          curvePoints: result.curves.points.map((row) => ({ ...row, outcome: summaryJson(row.outcome), mroi: summaryJson(row.mroi) })),
        }
      : {}),
    ...(result.flexible ? { flexible: result.flexible } : {}),
    ...(result.effectiveness ? { effectiveness: result.effectiveness } : {}),
    convergence: result.convergence,
    warnings: result.warnings,
  };
}

function num(x: number | undefined, digits = 4): string {
  if (x === undefined || !Number.isFinite(x)) return '-';
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
  return Number(x.toPrecision(digits)).toString();
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

const interval = (s: DrawSummary) => `${num(s.mean)} [${num(s.q05)}, ${num(s.q95)}]`;

function kpiLines(comparison: PlanComparison, name: string): string[] {
  const what = comparison.unit === 'revenue' ? 'Revenue' : 'KPI';
  return [
    `${what} over the window, mean [90% interval]: current ${interval(comparison.kpi.current)}; ${name} ${interval(comparison.kpi.plan)}`,
    `Uplift (${name} - current): ${interval(comparison.uplift)}`,
    `P(${name} beats current) = ${comparison.probabilityBeatsCurrent.toFixed(3)} (${comparison.draws} paired draws)`,
  ];
}

function windowLine(comparison: PlanComparison): string {
  const w = comparison.window;
  return `${w.periods} ${w.future ? 'future ' : ''}periods (${w.from} .. ${w.to}), ${w.level}-level plan`;
}

/** For a future window: where its periods come from and how the time effects were extrapolated. */
function futureLines(w: WindowSummary): string[] {
  if (!w.future) return [];
  const taken = w.future.fileDates ? `; the file's periods ${w.future.fileDates.from} .. ${w.future.fileDates.to} taken as the periods after it` : '';
  return [`Future periods from ${w.future.source} (the fitted data ends ${w.future.fittedTo}${taken}); time effects: ${describeTimeEffects(w)}`];
}

const label = (row: { channel: string; geo?: string }) => (row.geo !== undefined ? `${row.geo}/${row.channel}` : row.channel);

export function formatAllocation(result: OptimizationResult & { readonly flexible?: FlexibleBudgetInfo }): string {
  const c = result.comparison;
  const rows = c.rows.flatMap((row, p) => {
    if (row.organic) return [];
    const share = result.optimalShares?.[p];
    return [[
      label(row),
      num(row.current),
      num(row.plan),
      row.current > 0 ? `${(100 * (row.plan - row.current) / row.current).toFixed(1)}%` : '-',
      share ? `${num(share.optimalShare.median, 3)} [${num(share.optimalShare.q05, 3)}, ${num(share.optimalShare.q95, 3)}]` : '-',
      `${num(row.mroiCurrent.mean, 3)} -> ${num(row.mroiPlan.mean, 3)}`,
    ]];
  });
  const lines = [
    `Budget allocation over ${windowLine(c)}`,
    ...futureLines(c.window),
    `Objective: ${result.objectiveDescription}; budget ${num(result.budget)} (current ${num(planTotal(result.current))})`,
    ...(result.effectiveness ? [describeEffectivenessWindow(result.effectiveness)] : []),
    ...(result.flexible
      ? [`Flexible budget (${result.flexible.kind}): target ${num(result.flexible.target)}, achieved ${num(result.flexible.achieved)}${result.flexible.limitedBy ? `, limited by the ${result.flexible.limitedBy === 'upperBounds' ? 'upper' : 'lower'} bounds` : ''}`]
      : []),
    '',
    table(['entry', 'current', 'proposed', 'change', 'optimal share [90%]', 'mROI current -> proposed'], rows),
    '',
    ...kpiLines(c, 'proposed'),
  ];
  if (result.sameBudget) lines.push(`Uplift over the current split scaled to the budget: ${interval(result.sameBudget.uplift)}; P(beats it) = ${result.sameBudget.probabilityBeats.toFixed(3)}`);
  lines.push(`Optimizer: ${result.convergence.draws} draws, ${result.convergence.starts} starts, ${result.convergence.iterations} iterations, ${result.convergence.status}, ${result.convergence.gradient} gradients`);
  for (const warning of result.warnings) lines.push(`warning: ${warning}`);
  return lines.join('\n');
}

/** The line that says which periods' effectiveness planned the time-varying channels. */
export function describeEffectivenessWindow(window: EffectivenessWindow): string {
  return `Time-varying ${window.channels.length === 1 ? 'channel' : 'channels'} ${window.channels.join(', ')} planned with ${window.channels.length === 1 ? 'its' : 'their'} mean effectiveness over the latest ${window.periods} fitted periods (${window.from} to ${window.to}; --effectiveness-periods)`;
}

export function formatScenario(comparison: PlanComparison): string {
  const rows = comparison.rows.filter((row) => !row.organic).map((row) => [
    label(row),
    num(row.current),
    num(row.plan),
    row.current > 0 ? `${(100 * (row.plan - row.current) / row.current).toFixed(1)}%` : '-',
    `${interval(row.outcomeCurrent)} -> ${interval(row.outcomePlan)}`,
    `${num(row.mroiCurrent.mean, 3)} -> ${num(row.mroiPlan.mean, 3)}`,
  ]);
  const lines = [
    `Scenario over ${windowLine(comparison)}`,
    ...futureLines(comparison.window),
    '',
    table(['entry', 'current', 'plan', 'change', 'incremental outcome current -> plan', 'mROI current -> plan'], rows),
    '',
    ...kpiLines(comparison, 'plan'),
  ];
  for (const warning of comparison.warnings) lines.push(`warning: ${warning}`);
  return lines.join('\n');
}

/**
 * tradeoff.json: the pair, its total, the current and optimum splits, the allowed range, window,
 * unit, draws, objective and the rows (the shape src/report reads back for the report's chart).
 */
export function tradeoffJson(result: TradeoffResult): Record<string, unknown> {
  return {
    channels: result.channels,
    total: result.total,
    currentShare: result.currentShare,
    shareRange: result.shareRange,
    bounded: result.bounded,
    optimum: result.optimum,
    window: result.window,
    unit: result.unit,
    draws: result.draws,
    objective: { ...result.objective, description: result.objectiveDescription },
    rows: result.rows,
    warnings: result.warnings,
  };
}

export function formatTradeoff(result: TradeoffResult): string {
  const [a, b] = result.channels;
  const current = result.rows.find((r) => r.isCurrent)!;
  const optimum = result.rows.find((r) => r.isOptimum)!;
  const what = result.unit === 'revenue' ? 'revenue' : 'KPI';
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const lines = [
    `Trade-off ${a} vs ${b} over ${result.window.periods} ${result.window.future ? 'future ' : ''}periods (${result.window.from} .. ${result.window.to}): ${a} + ${b} = ${num(result.total)}, other channels at the current plan`,
    ...futureLines(result.window),
    `Splits to ${a}: ${pct(result.shareRange.lower)} to ${pct(result.shareRange.upper)}${result.bounded ? ' (within the bounds)' : ''}, ${result.rows.length} rows; objective: ${result.objectiveDescription}`,
    `Current: ${pct(result.currentShare)} to ${a} (${num(current.spendA)} / ${num(current.spendB)}), ${what} ${num(current.kpiMean)} [${num(current.kpiQ05)}, ${num(current.kpiQ95)}]`,
    `Optimum: ${pct(optimum.share)} to ${a} (${num(optimum.spendA)} / ${num(optimum.spendB)}), uplift ${num(optimum.upliftMean)} [${num(optimum.upliftQ05)}, ${num(optimum.upliftQ95)}], P(beats current) = ${optimum.pBeatsCurrent.toFixed(3)} (${result.draws} paired draws)`,
  ];
  for (const warning of result.warnings) lines.push(`warning: ${warning}`);
  return lines.join('\n');
}
