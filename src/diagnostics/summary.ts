/**
 * Per-parameter posterior summary in the style of `posterior::summarise_draws` (Vehtari, Gelman,
 * Simpson, Carpenter & Bürkner 2021, "Rank-normalization, folding, and localization: an improved
 * R-hat", section 4: report rank-normalized R-hat with bulk and tail ESS, and MCSEs), plus a
 * plain-text table formatter.
 */
import type { ChainDraws } from './chainDraws.js';
import { validateChainDraws } from './chainDraws.js';
import { essBasic, essBulk, essTail } from './ess.js';
import { mcseMean, mcseSd } from './mcse.js';
import { pooledMean, pooledSd } from './moments.js';
import { pooledQuantiles } from './quantile.js';
import { rhat } from './rhat.js';

/** One row of the summary. All statistics are over all chains' draws pooled. */
export interface SummaryRow {
  readonly name: string;
  readonly mean: number;
  /** Standard deviation, denominator n - 1. */
  readonly sd: number;
  /** Type-7 quantiles. */
  readonly q05: number;
  readonly q50: number;
  readonly q95: number;
  /** Rank-normalized split R-hat (max of bulk and tail). */
  readonly rhat: number;
  readonly essBulk: number;
  readonly essTail: number;
  /** ESS of the raw draws (split chains): the ESS behind mcseMean. */
  readonly essBasic: number;
  /** sd / sqrt(essBasic) (posterior convention, no cap). */
  readonly mcseMean: number;
  /** Delta-method MCSE of sd (no cap). */
  readonly mcseSd: number;
}

/** Where the summary gets each parameter's draws. */
export type DrawsSource =
  | ((name: string) => ChainDraws)
  | ReadonlyMap<string, ChainDraws>
  | Readonly<Record<string, ChainDraws>>;

function lookup(source: DrawsSource, name: string): ChainDraws {
  let draws: ChainDraws | undefined;
  if (typeof source === 'function') draws = source(name);
  else if (source instanceof Map) draws = source.get(name);
  else draws = Object.prototype.hasOwnProperty.call(source, name) ? (source as Readonly<Record<string, ChainDraws>>)[name] : undefined;
  if (draws === undefined) throw new Error(`summarize: no draws for "${name}"`);
  return draws;
}

/** Summary statistics of one quantity. */
export function summarizeDraws(name: string, chains: ChainDraws): SummaryRow {
  validateChainDraws(chains, name);
  const [q05, q50, q95] = pooledQuantiles(chains, [0.05, 0.5, 0.95]);
  return {
    name,
    mean: pooledMean(chains),
    sd: pooledSd(chains),
    q05,
    q50,
    q95,
    rhat: rhat(chains),
    essBulk: essBulk(chains),
    essTail: essTail(chains),
    essBasic: essBasic(chains),
    mcseMean: mcseMean(chains),
    mcseSd: mcseSd(chains),
  };
}

/** Summary rows for `names`, in that order. */
export function summarize(names: readonly string[], draws: DrawsSource): SummaryRow[] {
  return names.map((name) => summarizeDraws(name, lookup(draws, name)));
}

function formatSignificant(value: number, digits: number): string {
  if (Number.isNaN(value)) return 'NA';
  if (!Number.isFinite(value)) return value > 0 ? 'Inf' : '-Inf';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e6) {
    const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(magnitude)));
    return value.toFixed(Math.min(decimals, 20));
  }
  return value.toExponential(digits - 1);
}

export interface TableOptions {
  /** Significant digits for mean, sd, quantiles (default 3). */
  readonly digits?: number;
  /** Columns to show, in order (default: the SummaryRow fields of `summarize` minus essBasic and mcseSd). */
  readonly columns?: readonly (keyof SummaryRow)[];
}

const DEFAULT_COLUMNS: readonly (keyof SummaryRow)[] = [
  'name',
  'mean',
  'sd',
  'q05',
  'q50',
  'q95',
  'rhat',
  'essBulk',
  'essTail',
  'mcseMean',
];

function formatCell(column: keyof SummaryRow, row: SummaryRow, digits: number): string {
  const value = row[column];
  if (typeof value === 'string') return value;
  switch (column) {
    case 'rhat':
      return Number.isFinite(value) ? value.toFixed(3) : formatSignificant(value, digits);
    case 'essBulk':
    case 'essTail':
    case 'essBasic':
      return Number.isFinite(value) ? Math.round(value).toString() : formatSignificant(value, digits);
    case 'mcseMean':
    case 'mcseSd':
      return formatSignificant(value, 2);
    default:
      return formatSignificant(value, digits);
  }
}

/** Plain-text table: a header line and one line per row; names left-aligned, numbers right-aligned. */
export function formatSummaryTable(rows: readonly SummaryRow[], options: TableOptions = {}): string {
  const digits = options.digits ?? 3;
  const columns = options.columns ?? DEFAULT_COLUMNS;
  const cells = rows.map((row) => columns.map((column) => formatCell(column, row, digits)));
  const header = columns.map((column) => String(column));
  const widths = columns.map((_, j) => Math.max(header[j].length, ...cells.map((line) => line[j].length)));
  const render = (line: readonly string[]): string =>
    line
      .map((cell, j) => (columns[j] === 'name' ? cell.padEnd(widths[j]) : cell.padStart(widths[j])))
      .join('  ')
      .trimEnd();
  return [render(header), ...cells.map(render)].join('\n');
}
