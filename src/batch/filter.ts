/**
 * A batch fit's data filter, applied to the file's raw rows before validation (so a geo subset or
 * a date window is validated on its own, and issues still name the file's row numbers: the
 * `__row` column survives). Geo names must exist in the file; a row whose date cell cannot be read
 * is kept, so that validation reports it rather than the filter dropping it silently.
 */
import { table as aqTable } from 'arquero';
import { parseDateCell } from '../data/cells.js';
import { detectRoles, type CsvSource, type DataSpec, type PartialDataSpec } from '../data/index.js';
import type { DataFilter } from './manifest.js';

export class FilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterError';
  }
}

export function isEmptyFilter(filter: DataFilter): boolean {
  return filter.geos === undefined && filter.from === undefined && filter.to === undefined;
}

/** The geo, date and date-format roles of a file (given or detected), or an error listing the problems. */
export function filterRoles(source: CsvSource, spec: PartialDataSpec): Pick<DataSpec, 'geo' | 'date' | 'dateFormat'> {
  const columns = source.table.columnNames().filter((c) => c !== '__row');
  const roles = detectRoles(columns, spec, source.fileName);
  const dateProblems = roles.errors.filter((issue) => /date|geo/i.test(issue.message));
  if (dateProblems.length > 0 || !roles.spec.date) {
    throw new FilterError(`${source.fileName}: cannot find the geo and date columns to filter on: ${(dateProblems.length ? dateProblems : roles.errors).map((i) => i.message).join('; ')}`);
  }
  return { geo: roles.spec.geo, date: roles.spec.date, dateFormat: roles.spec.dateFormat };
}

/** Distinct geo names of a file in first-seen order (empty for national data). */
export function geoNamesOf(source: CsvSource, geoColumn: string | null): string[] {
  if (geoColumn === null) return [];
  const values = source.table.array(geoColumn) as ArrayLike<unknown>;
  const seen = new Set<string>();
  for (let r = 0; r < values.length; r++) if (values[r] !== null && values[r] !== undefined && String(values[r]).trim() !== '') seen.add(String(values[r]));
  return [...seen];
}

/** Distinct ISO dates of the rows a filter keeps, ascending (rows with unreadable dates are skipped here). */
export function datesOf(source: CsvSource, roles: Pick<DataSpec, 'geo' | 'date' | 'dateFormat'>, filter: DataFilter = {}): string[] {
  const kept = keptRows(source, roles, filter);
  const raw = source.table.array(roles.date) as ArrayLike<unknown>;
  const dates = new Set<string>();
  for (let r = 0; r < raw.length; r++) {
    if (!kept[r]) continue;
    const cell = parseDateCell(raw[r], roles.dateFormat);
    if (cell.kind === 'date') dates.add(cell.iso);
  }
  return [...dates].sort();
}

function keptRows(source: CsvSource, roles: Pick<DataSpec, 'geo' | 'date' | 'dateFormat'>, filter: DataFilter): Uint8Array {
  const table = source.table;
  const N = table.numRows();
  const keep = new Uint8Array(N).fill(1);
  if (filter.geos !== undefined) {
    if (roles.geo === null) throw new FilterError(`${source.fileName}: the filter names geos (${filter.geos.join(', ')}) but the data is national (no geo column)`);
    const available = geoNamesOf(source, roles.geo);
    const unknown = filter.geos.filter((g) => !available.includes(g));
    if (unknown.length > 0) throw new FilterError(`${source.fileName}: geo${unknown.length > 1 ? 's' : ''} ${unknown.map((g) => JSON.stringify(g)).join(', ')} not in column "${roles.geo}" (geos: ${available.join(', ')})`);
    const wanted = new Set(filter.geos);
    const geo = table.array(roles.geo) as ArrayLike<unknown>;
    for (let r = 0; r < N; r++) {
      const value = geo[r];
      // A missing geo cell is kept so that validation reports it.
      if (value !== null && value !== undefined && String(value).trim() !== '' && !wanted.has(String(value))) keep[r] = 0;
    }
  }
  if (filter.from !== undefined || filter.to !== undefined) {
    const date = table.array(roles.date) as ArrayLike<unknown>;
    for (let r = 0; r < N; r++) {
      if (!keep[r]) continue;
      const cell = parseDateCell(date[r], roles.dateFormat);
      if (cell.kind !== 'date') continue;
      if ((filter.from !== undefined && cell.iso < filter.from) || (filter.to !== undefined && cell.iso > filter.to)) keep[r] = 0;
    }
  }
  return keep;
}

/**
 * The source restricted to the rows the filter keeps (same file name, fingerprint and file row
 * count, so provenance shows the data was filtered: rowCount < fileRowCount).
 */
export function filterSource(source: CsvSource, roles: Pick<DataSpec, 'geo' | 'date' | 'dateFormat'>, filter: DataFilter): CsvSource {
  if (isEmptyFilter(filter)) return source;
  const keep = keptRows(source, roles, filter);
  const kept: number[] = [];
  for (let r = 0; r < keep.length; r++) if (keep[r]) kept.push(r);
  if (kept.length === 0) {
    const what = [filter.geos ? `geos ${filter.geos.join(', ')}` : '', filter.from ? `from ${filter.from}` : '', filter.to ? `to ${filter.to}` : ''].filter(Boolean).join(', ');
    throw new FilterError(`${source.fileName}: the filter (${what}) keeps no rows`);
  }
  const columns: Record<string, unknown[]> = {};
  for (const name of source.table.columnNames()) {
    const values = source.table.array(name) as ArrayLike<unknown>;
    columns[name] = kept.map((r) => values[r]);
  }
  return { ...source, table: aqTable(columns) };
}
