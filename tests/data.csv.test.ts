import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { from as aqFrom } from 'arquero';
import { readCsv, tableSource, ROW_COLUMN, DataValidationError, buildMmmData, type ValidationIssue } from '../src/data/index.js';

const fixture = (name: string) => new URL(`./fixtures/data/${name}`, import.meta.url);

function issuesOf(fn: () => unknown): ValidationIssue[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof DataValidationError) return [...e.issues];
    throw e;
  }
  throw new Error('expected a DataValidationError');
}

describe('readCsv', () => {
  it('keeps cells as exact text and numbers rows as in the file (header = row 1)', () => {
    const src = readCsv('a,b\n1, 2\n,x\n', { fileName: 'f.csv' });
    expect(src.table.columnNames()).toEqual(['a', 'b', ROW_COLUMN]);
    expect(src.table.array('a')).toEqual(['1', '']);
    expect(src.table.array('b')).toEqual([' 2', 'x']);
    expect(Array.from(src.table.array(ROW_COLUMN) as Int32Array)).toEqual([2, 3]);
    expect(src.fileRowCount).toBe(2);
    expect(src.fileName).toBe('f.csv');
  });

  it('handles a BOM, CRLF, quoted headers, quoted commas, "" escapes and multi-line fields', () => {
    const bytes = readFileSync(fixture('quoted_crlf.csv'));
    const src = readCsv(new Uint8Array(bytes), { fileName: 'quoted_crlf.csv' });
    expect(src.table.columnNames()).toEqual(['region', 'week', 'tv_spend', 'note', 'sales', ROW_COLUMN]);
    expect(src.table.array('region')).toEqual(['North, East', 'North, East', 'North, East', 'South', 'South', 'South']);
    expect(src.table.array('note')).toEqual(['plain', 'two\r\nlines', 'say "hi"', '', '', '']);
    // the third record spans lines 3-4, so the ones after it start one line later
    expect(Array.from(src.table.array(ROW_COLUMN) as Int32Array)).toEqual([2, 3, 5, 6, 7, 8]);
    // fingerprint is of the file bytes
    expect(src.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('rejects ragged rows, blank lines inside the data, duplicate headers and unclosed quotes, all at once', () => {
    const issues = issuesOf(() => readCsv('a,b,a\n1,2,3\n4,5\n\n6,7,8,9\n', { fileName: 'bad.csv' }));
    const text = issues.map((i) => `${i.row}:${i.message}`);
    expect(text).toContain('1:duplicate column name "a" (columns 1 and 3)');
    expect(text).toContain('3:row has 2 fields but the header has 3');
    expect(text).toContain('4:blank line between data rows');
    expect(text).toContain('5:row has 4 fields but the header has 3');
    expect(issues.every((i) => i.file === 'bad.csv' && i.severity === 'error')).toBe(true);

    const unclosed = issuesOf(() => readCsv('a,b\n1,"oops\n2,3\n'));
    expect(unclosed[0].message).toMatch(/quoted field is not closed/);
    expect(unclosed[0].row).toBe(2);
  });

  it('rejects empty files, header-only files and invalid UTF-8', () => {
    expect(issuesOf(() => readCsv(''))[0].message).toMatch(/empty/);
    expect(issuesOf(() => readCsv('a,b\n'))[0].message).toMatch(/no data rows/);
    expect(issuesOf(() => readCsv(new Uint8Array([0x61, 0x0a, 0xff, 0x0a])))[0].message).toMatch(/UTF-8/);
  });

  it('ignores trailing blank lines only', () => {
    const src = readCsv('a,b\n1,2\n\n\n');
    expect(src.fileRowCount).toBe(1);
  });

  // found by tests/fuzz.data.test.ts: a trailing "\t" or "  " line was "row has 1 fields but the header has 2"
  it('a line of only spaces or tabs is blank: not data at the end, an error between rows; a quoted one is a field', () => {
    expect(readCsv('a,b\n1,2\n\t\n  \n\n').fileRowCount).toBe(1);
    expect(readCsv('a,b\r\n1,2\r\n \r\n').fileRowCount).toBe(1);
    expect(issuesOf(() => readCsv('a,b\n1,2\n \t\n3,4\n', { fileName: 'f.csv' }))).toEqual([
      { severity: 'error', file: 'f.csv', row: 3, message: 'blank line between data rows (only spaces or tabs)' },
    ]);
    expect(issuesOf(() => readCsv('a,b\n1,2\n"  "\n'))[0]).toMatchObject({ row: 3, message: 'row has 1 fields but the header has 2' });
    // one column: a line of spaces is a (missing) value
    expect(readCsv('a\n1\n  \n').fileRowCount).toBe(2);
  });

  // found by tests/fuzz.data.test.ts: arquero cannot hold a column named "__proto__" (the table had no rows, so a file whose geo column had that name loaded as no data at all)
  it('rejects a column named "__proto__" naming its place', () => {
    expect(issuesOf(() => readCsv('geo,__proto__\nnorth,1\n', { fileName: 'f.csv' }))).toEqual([
      { severity: 'error', file: 'f.csv', row: 1, message: 'column name "__proto__" cannot be used (column 2; JavaScript reads it as an object\'s prototype); rename the column' },
    ]);
  });
});

describe('arquero tables as input', () => {
  it('row numbers survive an explicit arquero filter, so issues still point into the file', () => {
    const text = 'geo,date,x_spend,sales\nA,2024-01-01,1,10\nA,2024-01-08,2,11\nB,2024-01-01,3,NA\nB,2024-01-08,4,12\nZ,2024-01-01,5,13\n';
    const src = readCsv(text, { fileName: 'f.csv' });
    const withoutZ = { ...src, table: src.table.filter((d: Record<string, unknown>) => d.geo !== 'Z') };
    const issues = issuesOf(() => buildMmmData(withoutZ, {}));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ row: 4, column: 'sales' });
    expect(issues[0].message).toMatch(/missing value/);
  });

  it('tableSource accepts numbers, strings, null and UTC-midnight Dates; fingerprints the CSV serialization', () => {
    const t = aqFrom([
      { date: new Date(Date.UTC(2024, 0, 1)), tv_spend: 10, sales: 100 },
      { date: new Date(Date.UTC(2024, 0, 8)), tv_spend: '12.5', sales: 110 },
      { date: new Date(Date.UTC(2024, 0, 15)), tv_spend: 0, sales: 105 },
    ]);
    const src = tableSource(t, 'memory');
    expect(src.sha256).toMatch(/^[0-9a-f]{64}$/);
    const data = buildMmmData(src, {});
    expect(data.dates).toEqual(['2024-01-01', '2024-01-08', '2024-01-15']);
    expect(Array.from(data.spend)).toEqual([10, 12.5, 0]);
    expect(data.provenance.fileName).toBe('memory');

    const withNull = aqFrom([
      { date: '2024-01-01', tv_spend: 1, sales: 100 },
      { date: '2024-01-08', tv_spend: null, sales: 110 },
    ]);
    const issues = issuesOf(() => buildMmmData(tableSource(withNull), {}));
    expect(issues[0]).toMatchObject({ row: 3, column: 'tv_spend' });
  });
});
