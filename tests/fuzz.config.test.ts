/**
 * Fuzzing the configuration parsers: the run config (src/mmm/config.ts parseRunConfig with the
 * model config parser it uses, models/mmm/parseConfig.ts) and the batch manifest (src/batch
 * manifest.ts loadManifest, then plan.ts planBatch, which patches and parses each fit's config and
 * expands rolling windows and backtests from the data's dates). Inputs are mutations of valid
 * documents: wrong types at random keys, unknown keys, out-of-range numbers (also 1e400, which
 * JSON.parse reads as Infinity), deep nesting, huge arrays, prototype keys ("__proto__",
 * "constructor", "toString"), nulls, deleted keys; and for files, byte mutations (truncation,
 * random bytes, a BOM).
 *
 * A run config case goes on as fitMmm does before it samples (src/mmm/fit.ts): the example data
 * loaded with the config's roles and imputations, the model config checked against the data, the
 * design with its holdout, the knots, the model built. A case passes when, within the time budget,
 * that all succeeds or it fails with a named error: a ConfigError naming the config file and the
 * key path, a named DataValidationError where the roles read the data, the file-level error of an
 * invalid JSON file; for manifests a ConfigError naming the manifest (tests/support/fuzz.ts
 * `namedErrorProblem`).
 */
import { afterAll, describe, it } from 'vitest';
import fc from 'fast-check';
import {
  byteMutationArb,
  EXAMPLES,
  FuzzSandbox,
  fuzzProperty,
  fuzzRuns,
  fuzzTimeoutMs,
  jsonCaseKinds,
  jsonMutationArb,
  jsonText,
  mutateJson,
  mutateText,
  showJson,
  type ByteMutation,
  type JsonValue,
} from './support/fuzz.js';

const GEO_CSV = new URL('../examples/geo.csv', import.meta.url).pathname;

/** A valid run config for the geo example using most keys. */
const RUN_CONFIG: JsonValue = {
  data: EXAMPLES.geo.spec as JsonValue,
  scaling: { populationScaling: true, kpi: 'mean' },
  model: {
    adstock: { type: 'geometric', maxLag: 8, byChannel: { tv: { type: 'delayed' } } },
    saturation: { type: 'hill', byChannel: { search: { type: 'michaelisMenten' } } },
    order: { type: 'adstockThenSaturation', byChannel: { social: 'saturationThenAdstock' } },
    geo: { intercept: 'noncentered', media: 'noncentered', controls: 'pooled' },
    trend: true,
    seasonality: { order: 2, period: 52 },
    likelihood: 'studentT',
    sigmaByGeo: true,
    mediaPrior: { type: 'roi', window: { tv: { from: '2023-03-06', to: '2023-09-25' } } },
    priors: { roi: { dist: 'logNormal', mu: { tv: 0.5, search: 0.1, social: 0.2 }, sigma: 0.5 }, sigma: { dist: 'halfCauchy', scale: 1 } },
    experiments: [
      { name: 'tv test', channel: 'tv', geos: ['north', 'east'], from: '2023-05-01', to: '2023-05-22', measuredTo: '2023-07-10', spendDelta: 4000, dataIncludesTest: false, liftKpi: 30000, liftSe: 6000 },
      { channel: 'search', geos: 'all', from: '2023-03-06', to: '2023-03-27', spendMultiplier: 1.5, liftKpiByWeek: [800, 900, 700, 600], liftSeByWeek: [400, 400, 400, 400], likelihood: 'studentT', df: 3 },
    ],
    linearBlock: 'auto',
  },
  sampler: { chains: 2, warmup: 100, draws: 100, seed: 7, adaptDelta: 0.85, maxTreeDepth: 8, metric: 'diag', warmupPlan: 'nutpie', pooledAdaptation: false, adaptiveCentering: false },
  holdout: { periods: 4 },
  impute: { temperature: 'linear' },
};

/** A knots variant (model.time), which the mutations then take apart. */
const KNOTS_CONFIG: JsonValue = {
  data: EXAMPLES.geo.spec as JsonValue,
  model: { time: { type: 'knots', knots: [0, 20, 40, 77] }, seasonality: { order: 1, period: 52 }, mediaPrior: { type: 'coefficient' }, geo: { intercept: 'fixed', baselineGeo: 'north', media: { tv: 0.5, search: 'centered' } } },
  sampler: { metric: 'dense', warmupPlan: 'staged', warmup: 700, stagedWarmup: { lengths: { diag: 200, dense: [150, 150], final: 200 }, diagMaxTreeDepth: 7, diagAdaptDelta: 0.7 } },
};

/** A valid manifest over the geo example: defaults, filters, patches, a rolling series and a backtest. */
const MANIFEST: JsonValue = {
  name: 'fuzz',
  out: 'runs',
  defaults: { data: GEO_CSV, config: { data: EXAMPLES.geo.spec as JsonValue, sampler: { chains: 1, draws: 10, warmup: 10 } }, options: { chains: 1, seed: 3 }, retries: 1, timeout: 600 },
  fits: [
    { id: 'all' },
    { id: 'north-east', filter: { geos: ['north', 'east'] } },
    { id: 'recent', filter: { from: '2023-07-03', to: '2024-06-24' }, patch: { model: { adstock: { type: 'delayed', maxLag: 6 } }, holdout: { periods: 4 } } },
    { id: 'roll', rolling: { window: 52, step: 13, holdout: 4 } },
    { id: 'bt', backtest: { holdout: 4, folds: 3, step: 8, window: 40 }, options: { backend: 'cpu', metric: 'dense' } },
    { id: 'other-out', out: 'elsewhere/x', config: { data: EXAMPLES.geo.spec as JsonValue }, patch: { holdout: null } },
  ],
};

const jsonCaseArb = <B extends string>(bases: readonly B[]) => fc.record({ base: fc.constantFrom(...bases), mutations: fc.array(jsonMutationArb, { maxLength: 3 }) });

describe('fuzz: configuration files', () => {
  const sandbox = new FuzzSandbox();
  afterAll(() => sandbox.close());

  it('mutated run configs parse and pass the checks before sampling, or fail with a named error', async () => {
    const bases = { rich: RUN_CONFIG, knots: KNOTS_CONFIG, empty: {} as JsonValue };
    await fuzzProperty({
      name: 'run config: mutated JSON values',
      sandbox,
      arb: jsonCaseArb(['rich', 'rich', 'knots', 'empty'] as const),
      runs: fuzzRuns(300),
      prepare: ({ base, mutations }) => {
        const text = jsonText(mutateJson(bases[base], mutations));
        return { target: 'runConfig', payload: { text, file: 'run.json' }, kind: 'runConfig', context: { file: 'run.json', alsoFiles: ['geo.csv'] }, kinds: jsonCaseKinds(mutations), show: () => showJson(text), size: text.length };
      },
      mustSucceed: ({ mutations }) => mutations.length === 0,
    });
  }, fuzzTimeoutMs(300, 150));

  it('mutated run config files load or fail with a named error', async () => {
    await fuzzProperty({
      name: 'run config: mutated file bytes',
      sandbox,
      arb: fc.record({ mutations: fc.array(jsonMutationArb, { maxLength: 2 }), bytes: fc.oneof(fc.constant([] as ByteMutation[]), fc.array(byteMutationArb, { minLength: 1, maxLength: 2 })), bom: fc.boolean() }),
      runs: fuzzRuns(100),
      prepare: ({ mutations, bytes, bom }) => {
        const text = mutateText(`${bom ? '\ufeff' : ''}${jsonText(mutateJson(RUN_CONFIG, mutations))}`, bytes);
        return { target: 'runConfigFile', payload: { text, name: 'run.json' }, kind: 'runConfigFile', context: { file: `${sandbox.dir}/run.json` }, kinds: [...jsonCaseKinds(mutations), ...bytes.map((b) => b.kind), ...(bom ? ['bom'] : [])], show: () => showJson(text), size: text.length };
      },
      // a byte order mark keeps the file valid
      mustSucceed: ({ mutations, bytes }) => mutations.length === 0 && bytes.length === 0,
    });
  }, fuzzTimeoutMs(100));

  it('mutated batch manifests plan or fail with a named error', async () => {
    await fuzzProperty({
      name: 'batch manifest: mutated JSON values',
      sandbox,
      arb: fc.record({ mutations: fc.array(jsonMutationArb, { maxLength: 3 }), bytes: fc.oneof({ arbitrary: fc.constant([] as ByteMutation[]), weight: 4 }, fc.array(byteMutationArb, { minLength: 1, maxLength: 1 })) }),
      runs: fuzzRuns(200),
      prepare: ({ mutations, bytes }) => {
        const text = mutateText(jsonText(mutateJson(MANIFEST, mutations)), bytes);
        return { target: 'manifest', payload: { text, name: 'batch.json' }, kind: 'manifest', context: { file: `${sandbox.dir}/batch.json` }, kinds: [...jsonCaseKinds(mutations), ...bytes.map((b) => b.kind)], show: () => showJson(text), size: text.length };
      },
      mustSucceed: ({ mutations, bytes }) => mutations.length === 0 && bytes.length === 0,
    });
  }, fuzzTimeoutMs(200, 150));
});
