/**
 * The run directory's tidy tables as Parquet (roi.parquet, contributions.parquet,
 * contributions_by_date.parquet): the same rows and columns, in the same order, as the CSV files
 * written next to them (csvWrite.ts `rowsToCsv`), written with hyparquet-writer and its defaults
 * (Snappy compression; row groups of 1,000 rows, then 100,000).
 *
 * Column types: numbers are DOUBLE (float64, exactly the values the CSV prints at full precision);
 * text columns (channel, metric, unit, geo, date) are STRING (BYTE_ARRAY annotated UTF8). Dates stay
 * the CSV's text (as the data's date column, e.g. "2024-01-01"), not DATE, so they read back the same
 * in every reader whatever the data's date format. Every column is OPTIONAL (nullable).
 *
 * Nothing is coerced: a NaN number (e.g. the ROI of an organic channel) is stored as the IEEE NaN,
 * as the CSV writes "NaN", and ±Infinity as themselves (CSV "Inf"/"-Inf"); an absent value (the CSV's
 * empty cell, e.g. `channel` of baseline and prediction rows) is a null. A column must hold only
 * numbers or only strings (besides absent values): anything else is an error, not a conversion.
 */
import { writeFileSync } from 'node:fs';
import { parquetWriteBuffer } from 'hyparquet-writer';

type ColumnType = 'DOUBLE' | 'STRING';

/** One column of a tidy table: its values with absent ones as null, and its Parquet type. */
export interface ParquetColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly data: (number | string | null)[];
}

/**
 * Columns of tidy rows (a row's missing key, undefined or null is null). A column of only absent
 * values is STRING. Throws on a column mixing numbers and strings or holding another type.
 */
export function rowsToColumns(rows: readonly object[], columns: readonly string[], source = 'table'): ParquetColumn[] {
  return columns.map((name) => {
    const data: (number | string | null)[] = new Array(rows.length);
    let type: ColumnType | undefined;
    rows.forEach((row, i) => {
      const value = (row as Record<string, unknown>)[name];
      if (value === undefined || value === null) {
        data[i] = null;
        return;
      }
      const kind: ColumnType | undefined = typeof value === 'number' ? 'DOUBLE' : typeof value === 'string' ? 'STRING' : undefined;
      if (!kind) throw new Error(`${source}: column ${JSON.stringify(name)} row ${i}: a ${typeof value} is neither a number nor a string`);
      if (type && type !== kind) throw new Error(`${source}: column ${JSON.stringify(name)} mixes numbers and strings (row ${i})`);
      type = kind;
      data[i] = value as number | string;
    });
    return { name, type: type ?? 'STRING', data };
  });
}

/** Parquet bytes of tidy rows with the given columns (in that order). */
export function rowsToParquet(rows: readonly object[], columns: readonly string[], source = 'table'): Uint8Array {
  const columnData = rowsToColumns(rows, columns, source).map((column) => ({ name: column.name, type: column.type, data: column.data, nullable: true }));
  return new Uint8Array(parquetWriteBuffer({ columnData, createdBy: 'mixwell' }));
}

/** Write tidy rows to a .parquet file. */
export function writeParquetTable(path: string, rows: readonly object[], columns: readonly string[]): void {
  writeFileSync(path, rowsToParquet(rows, columns, path));
}
