/**
 * roi.parquet, contributions.parquet and contributions_by_date.parquet (src/run/parquetTables.ts),
 * read back with hyparquet (an independent reader by the writer's authors; Python cannot check them
 * here: pandas is installed but neither pyarrow nor fastparquet). A tiny real fit of the bundled geo
 * example with social as an organic channel and 2 chains x 30 warmup + 20
 * draws (fixed seed; sampling quality is not judged) is written by `writeRun`. For each table:
 * - the columns are the CSV header's, in order, numbers DOUBLE and text BYTE_ARRAY/UTF8, all OPTIONAL;
 * - every row and cell equals the CSV's: numbers exactly as float64 (the CSV prints them at full
 *   precision; "NaN"/"Inf"/"-Inf" as NaN/±Infinity), text the same, an empty CSV cell a null;
 * - every value is the report's own (Object.is, so NaN for NaN and the sign of zero);
 * - the organic channel has contribution and share rows but no ROI rows (analysis/mediaAnalysis.ts
 *   emits none), in both files alike;
 * - NaN, ±Infinity and -0 put into the report's rows are written as themselves (NaN stays NaN, not
 *   null; the CSV has "NaN", "Inf", "-Inf" and "0").
 * Also: `parquet: false` writes no .parquet files (and removes those of an earlier write), and a
 * column mixing numbers and strings is refused.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitMmm, type MmmFit } from '../src/mmm/fit.js';
import { buildReport, type MmmReport } from '../src/mmm/report.js';
import { csvToRows } from '../src/run/csvRead.js';
import { rowsToColumns, rowsToParquet } from '../src/run/parquetTables.js';
import { writeRun } from '../src/run/runDirectory.js';

const TABLES = ['roi', 'contributions', 'contributions_by_date'] as const;

function arrayBuffer(path: string): ArrayBuffer {
  const bytes = readFileSync(path);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** A CSV number cell (csvWrite.ts) back to the number. */
function csvNumber(cell: string): number {
  if (cell === 'NaN') return NaN;
  if (cell === 'Inf') return Infinity;
  if (cell === '-Inf') return -Infinity;
  return Number(cell);
}

const NUMERIC = new Set(['mean', 'median', 'q05', 'q95', 'sd']);

function tableRows(report: MmmReport, table: (typeof TABLES)[number]): readonly object[] {
  return table === 'roi' ? report.media.channels : table === 'contributions' ? report.media.byGeoDate : report.media.byDate;
}

/**
 * <table>.parquet in dir against <table>.csv and the rows written: the CSV header as the columns (numbers
 * DOUBLE, text UTF8, all OPTIONAL), the same rows, every number exactly the CSV's and the row's
 * (Object.is: NaN is NaN, the sign of zero kept; the CSV prints -0 as 0), an empty CSV cell a null.
 */
async function expectSameTable(dir: string, table: string, source: readonly object[]): Promise<void> {
  const csvText = readFileSync(join(dir, `${table}.csv`), 'utf8');
  const csvRows = csvToRows(csvText, `${table}.csv`);
  const header = csvText.slice(0, csvText.indexOf('\n')).split(',');
  const file = arrayBuffer(join(dir, `${table}.parquet`));

  const schema = parquetMetadata(file).schema.slice(1);
  expect(schema.map((s) => s.name)).toEqual(header);
  for (const element of schema) {
    expect(element.repetition_type).toBe('OPTIONAL');
    if (NUMERIC.has(element.name)) expect(element.type, element.name).toBe('DOUBLE');
    else expect([element.type, element.converted_type], element.name).toEqual(['BYTE_ARRAY', 'UTF8']);
  }

  const rows = (await parquetReadObjects({ file })) as Record<string, unknown>[];
  expect(rows.length).toBe(csvRows.length);
  expect(rows.length).toBe(source.length);
  expect(rows.length).toBeGreaterThan(0);
  rows.forEach((row, i) => {
    expect(Object.keys(row)).toEqual(header);
    for (const column of header) {
      const value = row[column];
      const cell = csvRows[i][column];
      const original = (source[i] as Record<string, unknown>)[column];
      const where = `${table} row ${i} ${column}`;
      if (NUMERIC.has(column)) {
        expect(typeof value, where).toBe('number');
        expect(Object.is(value, csvNumber(cell)) || (value === 0 && cell === '0'), where).toBe(true);
        expect(Object.is(value, original), where).toBe(true);
      } else if (cell === '') {
        expect(value, where).toBeNull();
        expect(original ?? null, where).toBeNull();
      } else {
        expect(value, where).toBe(cell);
        expect(value, where).toBe(original);
      }
    }
  });
}

describe('tidy tables as Parquet', () => {
  let dir: string;
  let fit: MmmFit;
  let report: MmmReport;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mixwell-parquet-'));
    const config = JSON.parse(readFileSync('examples/geo.config.json', 'utf8'));
    config.data = { ...config.data, channels: config.data.channels.filter((ch: { name: string }) => ch.name !== 'social'), organic: [{ name: 'social', media: 'social_spend' }] };
    fit = await fitMmm('examples/geo.csv', config, { chains: 2, warmup: 30, draws: 20, seed: 11, progress: false, verbose: false });
    report = buildReport(fit);
    const started = performance.now();
    await writeRun(dir, fit, report, { idata: false });
    const seconds = (performance.now() - started) / 1000;
    const sizes = TABLES.map((t) => `${t}.parquet ${statSync(join(dir, `${t}.parquet`)).size} B (csv ${statSync(join(dir, `${t}.csv`)).size} B)`);
    const encodeStart = performance.now();
    for (const table of TABLES) rowsToParquet(tableRows(report, table), Object.keys(tableRows(report, table)[0]));
    const encodeSeconds = (performance.now() - encodeStart) / 1000;
    const counts = TABLES.map((t) => `${t} ${tableRows(report, t).length} rows`).join(', ');
    console.log(`writeRun without idata.nc: ${seconds.toFixed(2)} s (Parquet encoding of the three tables ${encodeSeconds.toFixed(3)} s); ${counts}; ${sizes.join(', ')}`);
  }, 600_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(TABLES)('%s.parquet: the CSV header as typed columns, every row and cell equal to the CSV and the report', async (table) => {
    await expectSameTable(dir, table, tableRows(report, table));
  });

  it('the organic channel: contribution and share rows, no ROI rows, in roi.csv and roi.parquet alike', async () => {
    const rows = (await parquetReadObjects({ file: arrayBuffer(join(dir, 'roi.parquet')) })) as Record<string, unknown>[];
    const csv = csvToRows(readFileSync(join(dir, 'roi.csv'), 'utf8'));
    const metrics = (list: readonly Record<string, unknown>[]) => list.filter((r) => r.channel === 'social').map((r) => r.metric);
    expect(metrics(rows)).toEqual(['contribution', 'share']);
    expect(metrics(csv)).toEqual(['contribution', 'share']);
  });

  it('NaN, Infinity and -Infinity in the report round-trip as themselves (CSV "NaN", "Inf", "-Inf"), absent text as null', async () => {
    const special = [NaN, Infinity, -Infinity, -0];
    const channels = report.media.channels.map((row, i) => (i < special.length ? { ...row, mean: special[i], sd: NaN } : row));
    const byDate = report.media.byDate.map((row, i) => (i === 0 ? { ...row, q05: NaN, q95: Infinity } : row));
    const altered = { ...report, media: { ...report.media, channels, byDate } } as MmmReport;
    const other = mkdtempSync(join(tmpdir(), 'mixwell-parquet-special-'));
    try {
      await writeRun(other, fit, altered, { idata: false, logLik: false });
      await expectSameTable(other, 'roi', channels);
      await expectSameTable(other, 'contributions_by_date', byDate);
      const rows = (await parquetReadObjects({ file: arrayBuffer(join(other, 'roi.parquet')) })) as Record<string, unknown>[];
      expect(rows.slice(0, 4).map((r) => r.mean)).toEqual([NaN, Infinity, -Infinity, -0]);
      expect(Object.is(rows[3].mean, -0)).toBe(true);
      expect(rows.slice(0, 4).every((r) => Number.isNaN(r.sd))).toBe(true);
      expect(readFileSync(join(other, 'roi.csv'), 'utf8').split('\n')[1]).toMatch(/,NaN,.*,NaN$/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  }, 120_000);

  it('parquet: false writes none (and removes those of an earlier write)', async () => {
    await writeRun(dir, fit, report, { idata: false, parquet: false });
    for (const table of TABLES) {
      expect(existsSync(join(dir, `${table}.csv`))).toBe(true);
      expect(existsSync(join(dir, `${table}.parquet`))).toBe(false);
    }
  }, 120_000);

  it('refuses a column mixing numbers and strings, or holding another type', () => {
    expect(() => rowsToColumns([{ a: 1 }, { a: 'x' }], ['a'])).toThrow(/mixes numbers and strings/);
    expect(() => rowsToColumns([{ a: true }], ['a'])).toThrow(/neither a number nor a string/);
    expect(rowsToColumns([{ a: 1 }, {}, { a: NaN }], ['a', 'b'])).toEqual([
      { name: 'a', type: 'DOUBLE', data: [1, null, NaN] },
      { name: 'b', type: 'STRING', data: [null, null, null] },
    ]);
  });
});
