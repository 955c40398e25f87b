/**
 * The numerical extremes of issue 21, each built from the bundled national example
 * (examples/national.csv, 104 weeks, channels tv / search / social, control price, KPI sales) by a
 * plain text transform, so that each goes through the loader like a user's file: the KPI around
 * 1e9 and around 1e-3, spend in cents and in billions, a channel that spends in one week only, a
 * channel with constant spend, a channel duplicated under another name (perfectly collinear),
 * 1,000 weeks; and two beyond what doubles compute with safely (a KPI around 1e303, a spend column
 * around 1e-200), which the loader refuses by name (src/data/magnitude.ts). Used by tests/extremes.test.ts and scripts/extremes.ts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ExtremeCase {
  readonly name: string;
  readonly description: string;
  /** The CSV text (header and rows). */
  readonly csv: string;
  /** The run config's data section. */
  readonly data: Record<string, unknown>;
}

interface Table {
  readonly header: string[];
  readonly rows: string[][];
}

function readExample(): { table: Table; data: Record<string, unknown> } {
  const lines = readFileSync(`${root}/examples/national.csv`, 'utf8').trim().split('\n');
  const [head, ...body] = lines;
  const data = JSON.parse(readFileSync(`${root}/examples/national.config.json`, 'utf8')).data as Record<string, unknown>;
  return { table: { header: head.split(','), rows: body.map((l) => l.split(',')) }, data };
}

function toCsv(table: Table): string {
  return [table.header.join(','), ...table.rows.map((r) => r.join(','))].join('\n') + '\n';
}

/** Number formatting that keeps 1e-3 and 1e13 values exact enough (shortest round-trip form). */
const num = (x: number): string => String(x);

function mapColumns(table: Table, columns: readonly string[], f: (x: number, row: number) => number): Table {
  const idx = columns.map((c) => table.header.indexOf(c));
  if (idx.some((i) => i < 0)) throw new Error(`extreme cases: unknown column in ${columns.join(', ')}`);
  return { header: table.header, rows: table.rows.map((r, row) => r.map((cell, i) => (idx.includes(i) ? num(f(Number(cell), row)) : cell))) };
}

function weeklyDates(start: string, weeks: number): string[] {
  const t0 = Date.parse(`${start}T00:00:00Z`);
  return Array.from({ length: weeks }, (_, w) => new Date(t0 + w * 7 * 86_400_000).toISOString().slice(0, 10));
}

/** The first `weeks` weeks of the example (smaller fits for tests). */
function firstWeeks(table: Table, weeks: number | undefined): Table {
  return weeks === undefined ? table : { header: table.header, rows: table.rows.slice(0, weeks) };
}

/**
 * `weeks` weeks made by cycling through the example's weeks with a small deterministic
 * multiplicative jitter (+-10%) on spend and KPI, so no two cycles are identical; new dates from 2004-01-05.
 */
function longSeries(table: Table, weeks: number): Table {
  const dates = weeklyDates('2004-01-05', weeks);
  let state = 21;
  const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296);
  const numeric = new Set(['tv_spend', 'search_spend', 'social_spend', 'sales']);
  const rows = dates.map((date, w) => {
    const source = table.rows[w % table.rows.length];
    return table.header.map((name, i) => {
      if (name === 'date') return date;
      if (!numeric.has(name)) return source[i];
      return (Number(source[i]) * (0.9 + 0.2 * uniform())).toFixed(2);
    });
  });
  return { header: table.header, rows };
}

export const EXTREME_CASE_NAMES = [
  'baseline',
  'kpi-1e9',
  'kpi-1e-3',
  'spend-cents',
  'spend-billions',
  'one-week-channel',
  'constant-channel',
  'collinear-channels',
  'weeks-1000',
  'kpi-1e303',
  'spend-1e-200',
] as const;
export type ExtremeCaseName = (typeof EXTREME_CASE_NAMES)[number];

export interface CaseOptions {
  /** Cut the example to its first `weeks` weeks (not the 1,000-week case). */
  readonly weeks?: number;
  /** Length of the long case (default 1000). */
  readonly longWeeks?: number;
}

/** One extreme case by name. */
export function extremeCase(name: ExtremeCaseName, options: CaseOptions = {}): ExtremeCase {
  const { table: full, data } = readExample();
  const table = firstWeeks(full, options.weeks);
  const spend = ['tv_spend', 'search_spend', 'social_spend'];
  const make = (description: string, t: Table, d: Record<string, unknown> = data): ExtremeCase => ({ name, description, csv: toCsv(t), data: d });
  switch (name) {
    case 'baseline':
      return make('the example as it is', table);
    case 'kpi-1e9':
      return make('the KPI times 1e4 (around 1e9)', mapColumns(table, ['sales'], (x) => x * 1e4));
    case 'kpi-1e-3':
      return make('the KPI times 1e-8 (around 1e-3)', mapColumns(table, ['sales'], (x) => x * 1e-8));
    case 'spend-cents':
      return make('spend in cents (times 100)', mapColumns(table, spend, (x) => Math.round(x * 100)));
    case 'spend-billions':
      return make('spend times 1e9 (around 1e13)', mapColumns(table, spend, (x) => x * 1e9));
    case 'one-week-channel': {
      // social spends in one week only (its largest week), 0 elsewhere
      const i = table.header.indexOf('social_spend');
      const peak = table.rows.reduce((best, r, k) => (Number(r[i]) > Number(table.rows[best][i]) ? k : best), 0);
      return make('social spends in one week only', mapColumns(table, ['social_spend'], (x, row) => (row === peak ? x : 0)));
    }
    case 'constant-channel':
      return make('search spends the same amount every week', mapColumns(table, ['search_spend'], () => 5000));
    case 'collinear-channels': {
      const i = table.header.indexOf('tv_spend');
      const t: Table = { header: [...table.header, 'tv2_spend'], rows: table.rows.map((r) => [...r, r[i]]) };
      const channels = [...(data.channels as object[]), { name: 'tv2', spend: 'tv2_spend' }];
      return make('tv duplicated as tv2 (perfectly collinear)', t, { ...data, channels });
    }
    case 'kpi-1e303':
      return make('the KPI times 1e298 (around 1e303: sums and squares overflow)', mapColumns(table, ['sales'], (x) => x * 1e298));
    case 'spend-1e-200':
      return make('tv spend times 1e-204 (around 1e-200: squares and ratios underflow)', mapColumns(table, ['tv_spend'], (x) => x * 1e-204));
    case 'weeks-1000':
      return make(`${options.longWeeks ?? 1000} weeks (the example cycled with +-10% jitter)`, longSeries(full, options.longWeeks ?? 1000));
  }
}
