/**
 * Reading a CSV file into an arquero table of raw strings, keeping each record's line number.
 *
 * The tokenizer follows RFC 4180 (quoted fields, "" escapes, CRLF or LF line ends, a UTF-8 BOM is
 * skipped). It is our own rather than arquero's `fromCSV` because that reader silently drops
 * fields beyond the header's count and cannot say on which line a record started; both would
 * break the data layer's rules (nothing is dropped silently; issues name the row as in the file).
 * No value is converted here: every cell stays the exact text of the file, so validation can quote
 * it. The arquero table gets an extra column `__row` with the 1-based line number of each record
 * (header = row 1); it survives arquero filters and reorders, so issues keep pointing at the file.
 * Blank lines (empty, or only spaces and tabs) after the last row are not data; between rows they
 * are an error. A column may not be named `__row` (reserved) or `__proto__` (arquero cannot hold it).
 */
import { createHash } from 'node:crypto';
import { table as aqTable } from 'arquero';
import type { ColumnTable } from 'arquero';
import { IssueCollector, DEFAULT_MAX_ISSUES } from './errors.js';

/** Name of the column that carries file row numbers. */
export const ROW_COLUMN = '__row';

/**
 * The one name no column, geo, channel or treatment may have: JavaScript objects take "__proto__"
 * as their prototype, not as a key, so arquero would lose such a column and Vega's grouping would
 * drop such a geo or channel from the charts. Every other name, whatever its characters, is kept
 * exactly as written.
 */
export const UNUSABLE_NAME = '__proto__';

/** A parsed file: raw string cells plus what provenance needs. */
export interface CsvSource {
  /** Columns of the file as strings (exact text, '' for empty) plus `__row` (file row numbers). */
  readonly table: ColumnTable;
  readonly fileName: string;
  /** sha256 (hex) of the file bytes. */
  readonly sha256: string;
  /** Data rows in the file (header excluded). */
  readonly fileRowCount: number;
}

export interface ReadCsvOptions {
  /** Name used in issues and provenance. Default "<input>". */
  readonly fileName?: string;
  /** Single-character field delimiter. Default ",". */
  readonly delimiter?: string;
  readonly maxIssues?: number;
}

interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
  /** Some field of the record was quoted. */
  readonly quoted: boolean;
}

/** A line with nothing but spaces or tabs (unquoted): blank, as an empty line is (with more than one column). */
function isBlank(record: CsvRecord): boolean {
  return record.fields.length === 1 && !record.quoted && /^[ \t]*$/.test(record.fields[0]);
}

/** Column names arquero cannot hold (a table with one has no rows), besides the reserved ROW_COLUMN. */

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Split CSV text into records (RFC 4180); each record knows the line it starts on. */
function tokenize(text: string, delimiter: string, issues: IssueCollector): CsvRecord[] {
  const records: CsvRecord[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  let fields: string[] = [];
  let recordLine = 1;
  let field = '';
  let quoted = false;
  const delimCode = delimiter.charCodeAt(0);
  const QUOTE = 34;
  const LF = 10;
  const CR = 13;

  const endRecord = () => {
    fields.push(field);
    records.push({ fields, line: recordLine, quoted });
    fields = [];
    field = '';
    quoted = false;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE && field === '') {
      // quoted field
      const startLine = line;
      quoted = true;
      i++;
      let closed = false;
      while (i < n) {
        // the text up to the next quote belongs to the field (taken in one piece: a field may be megabytes long)
        let j = text.indexOf('"', i);
        if (j < 0) j = n;
        for (let k = i; k < j; k++) {
          const q = text.charCodeAt(k);
          if (q === LF) line++;
          else if (q === CR && !(k + 1 < n && text.charCodeAt(k + 1) === LF)) line++;
        }
        field += text.slice(i, j);
        i = j;
        if (i >= n) break;
        if (i + 1 < n && text.charCodeAt(i + 1) === QUOTE) {
          field += '"';
          i += 2;
          continue;
        }
        closed = true;
        i++;
        break;
      }
      if (!closed) {
        issues.error('quoted field is not closed before the end of the file', { row: startLine });
        endRecord();
        return records;
      }
      if (i < n) {
        const after = text.charCodeAt(i);
        if (after !== delimCode && after !== LF && after !== CR) {
          issues.error(`unexpected character ${JSON.stringify(text[i])} after a closing quote`, { row: line });
          // skip to the next delimiter or line end
          while (i < n && text.charCodeAt(i) !== delimCode && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
        }
      }
      continue;
    }
    if (c === delimCode) {
      fields.push(field);
      field = '';
      i++;
      continue;
    }
    if (c === LF || c === CR) {
      endRecord();
      if (c === CR && i + 1 < n && text.charCodeAt(i + 1) === LF) i++;
      i++;
      line++;
      recordLine = line;
      continue;
    }
    // an unquoted field runs to the next delimiter or line end (a quote inside it is an ordinary character)
    let j = i + 1;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d === delimCode || d === LF || d === CR) break;
      j++;
    }
    field += text.slice(i, j);
    i = j;
  }
  // last record without a line end
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

/**
 * Parse CSV bytes or text into a `CsvSource`. Throws `DataValidationError` for malformed files:
 * unclosed quotes, rows whose field count differs from the header's, blank lines between data
 * rows, duplicate header names, no data rows.
 */
export function readCsv(input: string | Uint8Array, options: ReadCsvOptions = {}): CsvSource {
  const fileName = options.fileName ?? '<input>';
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new Error(`readCsv: delimiter must be one character other than a quote or line end, got ${JSON.stringify(delimiter)}`);
  }
  const issues = new IssueCollector(fileName, options.maxIssues ?? DEFAULT_MAX_ISSUES);
  let bytes: Uint8Array;
  let text: string;
  if (typeof input === 'string') {
    text = input;
    bytes = new TextEncoder().encode(input);
  } else {
    bytes = input;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      issues.error('the file is not valid UTF-8 text');
      issues.throwIfErrors();
      throw new Error('unreachable');
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  const records = tokenize(text, delimiter, issues);
  // trailing blank lines (empty, or only spaces and tabs) are not data
  while (records.length > 0) {
    const last = records[records.length - 1];
    if (isBlank(last) && (records.length === 1 || records[0].fields.length > 1 || last.fields[0] === '')) records.pop();
    else break;
  }
  if (records.length === 0) {
    issues.error('the file is empty (no header row)');
    issues.throwIfErrors();
  }
  const header = records[0].fields;
  const seen = new Map<string, number>();
  header.forEach((name, j) => {
    if (name === ROW_COLUMN) issues.error(`column name ${JSON.stringify(ROW_COLUMN)} is reserved`, { row: 1 });
    else if (name === UNUSABLE_NAME) issues.error(`column name ${JSON.stringify(UNUSABLE_NAME)} cannot be used (column ${j + 1}; JavaScript reads it as an object's prototype); rename the column`, { row: 1 });
    const first = seen.get(name);
    if (first !== undefined) {
      issues.error(`duplicate column name ${JSON.stringify(name)} (columns ${first + 1} and ${j + 1})`, { row: 1 });
    } else {
      seen.set(name, j);
    }
  });
  const dataRecords = records.slice(1);
  if (dataRecords.length === 0) issues.error('the file has a header but no data rows');
  for (const rec of dataRecords) {
    if (isBlank(rec) && header.length > 1) {
      issues.error(`blank line between data rows${rec.fields[0] === '' ? '' : ' (only spaces or tabs)'}`, { row: rec.line });
    } else if (rec.fields.length !== header.length) {
      issues.error(`row has ${rec.fields.length} fields but the header has ${header.length}`, { row: rec.line });
    }
  }
  issues.throwIfErrors();

  const columns: Record<string, string[] | Int32Array> = {};
  header.forEach((name, j) => {
    columns[name] = dataRecords.map((rec) => rec.fields[j]);
  });
  columns[ROW_COLUMN] = Int32Array.from(dataRecords, (rec) => rec.line);
  return {
    table: aqTable(columns, [...header, ROW_COLUMN]),
    fileName,
    sha256: sha256Hex(bytes),
    fileRowCount: dataRecords.length,
  };
}

/**
 * Wrap an in-memory arquero table (e.g. one the caller built or filtered) as a source. Cells may
 * be strings, numbers, null/undefined (missing) or, for the date column, Date objects at UTC
 * midnight. Without a `__row` column, row numbers are counted as in a CSV file (first row = 2).
 * The fingerprint is the sha256 of the table's CSV serialization.
 */
export function tableSource(table: ColumnTable, fileName = '<table>'): CsvSource {
  let t = table;
  if (!t.columnNames().includes(ROW_COLUMN)) {
    const rows = Int32Array.from({ length: t.numRows() }, (_, r) => r + 2);
    t = t.reify().assign(aqTable({ [ROW_COLUMN]: rows }));
  }
  const csv = table.toCSV();
  return { table: t, fileName, sha256: sha256Hex(new TextEncoder().encode(csv)), fileRowCount: table.numRows() };
}
