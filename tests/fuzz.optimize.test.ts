/**
 * Fuzzing the optimizer's input files: spend plans (src/optimize/plan.ts readPlanFile, JSON and
 * CSV, then resolvePlan), spend bounds (bounds.ts readBoundsFile, then resolveBounds), both on the
 * geo example's 13-week planning window at channel and geo level, and future periods
 * (future.ts loadFuturePeriods: a CSV of the periods after a run fitted on the geo example's first
 * 65 weeks). Inputs are mutations of valid files: for JSON, wrong types at random keys, unknown and
 * prototype keys ("__proto__", "constructor"), out-of-range amounts, deep nesting, huge arrays,
 * nulls; for CSV, the table and byte mutations of the data fuzzer (tests/support/fuzz.ts).
 *
 * A case passes when, within the time budget, the file resolves (a plan of finite spend >= 0;
 * bounds with 0 <= lower <= upper; future periods) or fails with a named error: the optimizer's
 * Error naming the file and the key path or row, or for future periods a named DataValidationError
 * (tests/support/fuzz.ts `namedErrorProblem`).
 */
import { afterAll, describe, it } from 'vitest';
import fc from 'fast-check';
import {
  byteMutationArb,
  csvCaseKinds,
  csvMutationArb,
  csvEncodingArb,
  encodeCsv,
  EXAMPLES,
  exampleTable,
  FuzzSandbox,
  fuzzProperty,
  fuzzRuns,
  fuzzTimeoutMs,
  jsonCaseKinds,
  jsonMutationArb,
  jsonText,
  mutateBytes,
  mutateJson,
  mutateTable,
  showCsvCase,
  showJson,
  splitCsv,
  type CsvTable,
  type ByteMutation,
  type JsonValue,
} from './support/fuzz.js';

const PLANS: Record<'channel' | 'geo', JsonValue> = {
  channel: {
    periods: 13,
    channels: { tv: '-20%', search: 150000 },
    moves: [
      { from: 'tv', amount: '20%', to: ['search', 'social'] },
      { from: 'social', amount: 5000, to: { search: 1, tv: 0.5 } },
    ],
  },
  geo: { periods: 13, channels: { tv: '+10%', social: 60000 }, geos: { north: { social: '+10%' }, south: { search: 2000, tv: '-5%' } } },
};

const PLAN_CSVS: Record<'channel' | 'geo' | 'proposed', CsvTable> = {
  channel: splitCsv('channel,spend\ntv,-20%\nsearch,150000\nsocial,+5%\n'),
  geo: splitCsv('geo,channel,spend\nnorth,tv,+10%\nsouth,search,2000\neast,social,-10%\nwest,tv,12000\n'),
  proposed: splitCsv('channel,current,proposed,change\ntv,100000,90000,-10%\nsearch,50000,60000,+20%\nsocial,30000,30000,0%\n'),
};

const BOUNDS: Record<'channel' | 'geo', JsonValue> = {
  channel: { default: { lower: '-30%', upper: '+30%' }, channels: { tv: { lower: '-50%', upper: 1e9 }, social: 'fixed', search: { fixed: false, upper: '+100%' } } },
  geo: { default: { lower: '-20%', upper: '+20%' }, channels: { tv: { lower: '-50%', upper: '+50%' }, social: 'fixed' }, geos: { north: { search: { upper: '+10%' } }, south: { tv: { lower: 0, upper: 1e9 } }, east: { social: 'fixed' } } },
};

/** The geo example's periods after its 65th week, without the KPI: the future of the fitted run (tests/support/fuzzTargets.ts). */
const FUTURE: CsvTable = (() => {
  const table = exampleTable('geo', 104);
  const date = table.header.indexOf('date');
  const sales = table.header.indexOf('sales');
  return { header: table.header.filter((_, j) => j !== sales), rows: table.rows.filter((r) => r[date] > '2024-03-25').map((r) => r.filter((_, j) => j !== sales)) };
})();

const levelArb = fc.constantFrom('channel' as const, 'geo' as const);

describe('fuzz: optimizer input files', () => {
  const sandbox = new FuzzSandbox();
  afterAll(() => sandbox.close());
  const path = (name: string) => `${sandbox.dir}/${name}`;

  it('mutated JSON plans resolve or fail with a named error', async () => {
    await fuzzProperty({
      name: 'plan: mutated JSON',
      sandbox,
      arb: fc.record({ level: levelArb, mutations: fc.array(jsonMutationArb, { maxLength: 3 }), bytes: fc.oneof({ arbitrary: fc.constant([] as ByteMutation[]), weight: 5 }, fc.array(byteMutationArb, { minLength: 1, maxLength: 1 })) }),
      runs: fuzzRuns(200),
      prepare: ({ level, mutations, bytes }) => {
        const text = Buffer.from(mutateBytes(new TextEncoder().encode(jsonText(mutateJson(PLANS[level], mutations))), bytes)).toString('utf8');
        return { target: 'plan', payload: { text, name: 'plan.json', level }, kind: 'plan', context: { file: path('plan.json') }, kinds: [...jsonCaseKinds(mutations), ...bytes.map((b) => b.kind), level], show: () => showJson(text), size: text.length };
      },
      checkOk: (value) => ((value as { finite: boolean }).finite ? undefined : 'the plan resolved to non-finite or negative spend'),
      mustSucceed: ({ mutations, bytes }) => mutations.length === 0 && bytes.length === 0,
    });
  }, fuzzTimeoutMs(200));

  it('mutated CSV plans resolve or fail with a named error', async () => {
    await fuzzProperty({
      name: 'plan: mutated CSV',
      sandbox,
      arb: fc.record({
        base: fc.constantFrom('channel' as const, 'geo' as const, 'proposed' as const),
        level: levelArb,
        mutations: fc.array(csvMutationArb, { maxLength: 3 }),
        encoding: csvEncodingArb,
        bytes: fc.oneof({ arbitrary: fc.constant([] as ByteMutation[]), weight: 3 }, fc.array(byteMutationArb, { minLength: 1, maxLength: 2 })),
      }),
      runs: fuzzRuns(200),
      prepare: (c) => {
        const { table } = mutateTable(PLAN_CSVS[c.base], undefined, c.mutations);
        const bytes = mutateBytes(new TextEncoder().encode(encodeCsv(table, c.encoding)), c.bytes);
        const text = Buffer.from(bytes).toString('utf8');
        return {
          target: 'plan',
          payload: { text, name: 'plan.csv', level: c.level },
          kind: 'plan',
          context: { file: path('plan.csv') },
          kinds: [...csvCaseKinds(c).filter((k) => k !== 'unmutated' || c.mutations.length + c.bytes.length === 0), c.level],
          show: () => `${JSON.stringify(c)}\n${JSON.stringify(text)}`,
          size: bytes.length,
        };
      },
      checkOk: (value) => ((value as { finite: boolean }).finite ? undefined : 'the plan resolved to non-finite or negative spend'),
      // any encoding keeps the file valid (a geo-level plan needs a geo-level window)
      mustSucceed: (c) => c.mutations.length === 0 && c.bytes.length === 0 && (c.base !== 'geo' || c.level === 'geo'),
    });
  }, fuzzTimeoutMs(200));

  it('mutated bounds resolve or fail with a named error', async () => {
    await fuzzProperty({
      name: 'bounds: mutated JSON',
      sandbox,
      arb: fc.record({ level: levelArb, mutations: fc.array(jsonMutationArb, { maxLength: 3 }), bytes: fc.oneof({ arbitrary: fc.constant([] as ByteMutation[]), weight: 5 }, fc.array(byteMutationArb, { minLength: 1, maxLength: 1 })) }),
      runs: fuzzRuns(200),
      prepare: ({ level, mutations, bytes }) => {
        const text = Buffer.from(mutateBytes(new TextEncoder().encode(jsonText(mutateJson(BOUNDS[level], mutations))), bytes)).toString('utf8');
        return { target: 'bounds', payload: { text, name: 'bounds.json', level }, kind: 'bounds', context: { file: path('bounds.json') }, kinds: [...jsonCaseKinds(mutations), ...bytes.map((b) => b.kind), level], show: () => showJson(text), size: text.length };
      },
      checkOk: (value) => ((value as { ordered: boolean }).ordered ? undefined : 'the bounds resolved to non-finite, negative or crossed bounds'),
      mustSucceed: ({ mutations, bytes }) => mutations.length === 0 && bytes.length === 0,
    });
  }, fuzzTimeoutMs(200));

  it('mutated future-period files load or fail with a named error', async () => {
    await fuzzProperty({
      name: 'future periods: mutated CSV',
      sandbox,
      arb: fc.record({
        follows: fc.boolean(),
        mutations: fc.array(csvMutationArb, { maxLength: 3 }),
        encoding: fc.oneof({ arbitrary: fc.constant({ eol: '\n' as const, bom: false, quoteAll: false, trailing: '' }), weight: 2 }, csvEncodingArb),
        bytes: fc.oneof({ arbitrary: fc.constant([] as ByteMutation[]), weight: 2 }, fc.array(byteMutationArb, { minLength: 1, maxLength: 2 })),
      }),
      runs: fuzzRuns(200),
      prepare: (c) => {
        const { table } = mutateTable(FUTURE, EXAMPLES.geo.spec, c.mutations);
        const bytes = mutateBytes(new TextEncoder().encode(encodeCsv(table, c.encoding)), c.bytes);
        const kinds = csvCaseKinds(c);
        return { target: 'future', payload: { bytes, name: 'future.csv', follows: c.follows }, kind: 'future', context: { file: 'future.csv' }, kinds: c.follows ? [...kinds, 'follows'] : kinds, show: () => showCsvCase(c, bytes), size: bytes.length };
      },
      // any encoding of the file keeps it valid
      mustSucceed: (c) => c.mutations.length === 0 && c.bytes.length === 0,
    });
  }, fuzzTimeoutMs(200));
});
