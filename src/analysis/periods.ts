/**
 * Calendar groups of a design's periods (quarter, month or year of each ISO date), for quantities
 * reported per period group: a time-varying channel's ROI and marginal ROI per quarter
 * (mediaAnalysis.ts). A period belongs to the group of its own date (a week starting on 2023-03-27
 * is in 2023-Q1); a group is the consecutive run of periods with one label.
 */

export type PeriodGrouping = 'quarter' | 'month' | 'year';

export const PERIOD_GROUPINGS: readonly PeriodGrouping[] = ['quarter', 'month', 'year'];

export interface PeriodGroups {
  readonly grouping: PeriodGrouping;
  /** Group labels in time order: "2023-Q1", "2023-01" or "2023". */
  readonly labels: readonly string[];
  /** [T] the group of each period. */
  readonly groupOf: Int32Array;
  /** First and last date of each group's periods. */
  readonly from: readonly string[];
  readonly to: readonly string[];
}

const ISO = /^(\d{4})-(\d{2})-\d{2}$/;

/** The label of an ISO date's group. */
export function periodLabel(date: string, grouping: PeriodGrouping): string {
  const match = ISO.exec(date);
  if (!match) throw new Error(`period groups: "${date}" is not an ISO date (YYYY-MM-DD)`);
  const [, year, month] = match;
  if (grouping === 'year') return year;
  if (grouping === 'month') return `${year}-${month}`;
  return `${year}-Q${Math.floor((Number(month) - 1) / 3) + 1}`;
}

/** The groups of `dates` (in time order, as a design's). */
export function periodGroups(dates: readonly string[], grouping: PeriodGrouping): PeriodGroups {
  const labels: string[] = [];
  const from: string[] = [];
  const to: string[] = [];
  const groupOf = new Int32Array(dates.length);
  dates.forEach((date, t) => {
    const label = periodLabel(date, grouping);
    if (labels[labels.length - 1] !== label) {
      labels.push(label);
      from.push(date);
      to.push(date);
    }
    groupOf[t] = labels.length - 1;
    to[labels.length - 1] = date;
  });
  return { grouping, labels, groupOf, from, to };
}
