/**
 * Fuzzing the data loader: src/data parseMmmData (readCsv's tokenizer, role detection, every cell
 * and structure check of buildMmmData) on mutations of the bundled examples (examples/geo.csv with
 * examples/geo.config.json, examples/national.csv with its config, or with no roles so they are
 * detected): truncation and random bytes, a BOM, CRLF or CR line ends, quoted cells with commas and
 * newlines, duplicated and missing headers, numbers at the edges of the doubles (1e308, 1e-308, -0,
 * 1e309), NaN / Inf / "nan" / "infinity", other and mixed date formats, unicode column and geo
 * names, one row, one geo, header only, no rows, an empty file, trailing blank lines,
 * whitespace-only cells, rows dropped, duplicated or swapped.
 *
 * A case passes when, within the time budget, it loads (and then every number of the data is
 * finite, the sizes agree, the dates ascend) or fails with a named DataValidationError (every issue
 * names the file and a row, a column or a spec key; tests/support/fuzz.ts `namedErrorProblem`).
 * A second property: mutations that keep the data (encodings, quoting, padded numbers, a renamed
 * geo, a column renamed in the file and the roles, another date format declared) load to the very
 * same numbers.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildCsvCase, csvCaseArb, csvCaseKinds, FuzzSandbox, fuzzProperty, fuzzRuns, fuzzTimeoutMs, preservingCaseArb, showCsvCase, type CsvCase } from './support/fuzz.js';

const FILE = { geo: 'geo.csv', national: 'national.csv' } as const;

interface DataSummary {
  readonly G: number;
  readonly T: number;
  readonly C: number;
  readonly rows: number;
  readonly notFinite: readonly string[];
  readonly sizes: Record<string, boolean>;
  readonly datesAscending: boolean;
  readonly digest: string;
}

function dataInvariants(value: unknown): string | undefined {
  const s = value as DataSummary;
  if (s.notFinite.length > 0) return `loaded, but ${s.notFinite.join(', ')} hold non-finite numbers`;
  if (Object.values(s.sizes).some((ok) => !ok)) return `loaded, but array sizes disagree with G, T, C: ${JSON.stringify(s.sizes)}`;
  if (s.rows !== s.G * s.T) return `loaded ${s.rows} rows into ${s.G} geos x ${s.T} periods`;
  if (!s.datesAscending) return 'loaded, but the dates do not ascend';
  return undefined;
}

const prepare = (c: CsvCase) => {
  const { bytes, spec } = buildCsvCase(c);
  return {
    target: 'data',
    payload: { bytes, spec: JSON.stringify(spec), fileName: FILE[c.base] },
    kind: 'data' as const,
    context: { file: FILE[c.base] },
    kinds: csvCaseKinds(c),
    show: () => showCsvCase(c, bytes),
    size: bytes.length,
  };
};

describe('fuzz: data CSV files', () => {
  const sandbox = new FuzzSandbox();
  afterAll(() => sandbox.close());

  it('mutated example files load, or fail with a named data error, within the budget', async () => {
    await fuzzProperty({
      name: 'data: mutated CSV',
      sandbox,
      arb: csvCaseArb(),
      runs: fuzzRuns(300),
      prepare,
      checkOk: dataInvariants,
      // the examples load from 26 periods on (before, a channel has no spend yet), whatever the encoding
      mustSucceed: (c) => c.mutations.length === 0 && c.bytes.length === 0 && c.periods >= 26,
    });
  }, fuzzTimeoutMs(300));

  it('the hang guard stops a case that does not finish, fails the property with its input, and the next case runs', async () => {
    const failure = fuzzProperty({
      name: 'hang guard (a case that spins)',
      sandbox,
      arb: fc.constant({ spin: 'forever' }),
      runs: 1,
      budgetMs: 300,
      report: false,
      explore: false,
      prepare: (input) => ({ target: 'spin', payload: input, kind: 'data', context: { file: 'spin.csv' }, kinds: ['spin'] }),
    });
    const error = (await failure.then(() => undefined, (e: unknown) => e)) as Error & { cause?: Error };
    expect(error.message).toMatch(/Counterexample: \[\{"spin":"forever"\}\]/);
    expect(error.cause?.message).toBe('did not finish within the time budget of 300 ms (a hang)\n--- input ---\n{"spin":"forever"}');
    const next = prepare({ base: 'national', periods: 52, spec: 'config', mutations: [], encoding: { eol: '\n', bom: false, quoteAll: false, trailing: '' }, bytes: [] });
    expect((await sandbox.run(next.target, next.payload)).outcome.status).toBe('ok');
  }, 60_000);

  it('encodings, quoting, padding and consistent renames load to the same numbers', async () => {
    const reference = new Map<string, string>();
    /** The digest of the unmutated base (its first `periods` dates). */
    const expected = async (c: CsvCase): Promise<string | undefined> => {
      const key = `${c.base}:${c.periods}`;
      if (!reference.has(key)) {
        const base = prepare({ ...c, mutations: [], encoding: { eol: '\n', bom: false, quoteAll: false, trailing: '' } });
        const result = await sandbox.run(base.target, base.payload);
        if (result.outcome.status === 'ok') reference.set(key, (result.outcome.value as DataSummary).digest);
      }
      return reference.get(key);
    };
    await fuzzProperty({
      name: 'data: value-preserving mutations',
      sandbox,
      arb: preservingCaseArb,
      runs: fuzzRuns(100),
      prepare,
      check: async (result, c) => {
        if (result.outcome.status !== 'ok') return `a mutation that keeps the data failed to load (${result.outcome.status === 'error' ? result.outcome.error.message : 'timeout'})`;
        const digest = (result.outcome.value as DataSummary).digest;
        const want = await expected(c);
        if (want === undefined) return undefined; // the base itself does not load (too few periods): nothing to compare
        return digest === want ? undefined : 'loaded to other numbers than the unmutated file';
      },
    });
  }, fuzzTimeoutMs(100));
});
