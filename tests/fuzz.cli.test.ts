/**
 * Fuzzing the command-line path of a fit: `mixwell fit --data FILE --config FILE --out DIR`
 * (src/cli/main.ts) with a mutated data file (the data fuzzer's mutations of examples/geo.csv)
 * and, in some cases, a mutated run config (examples/geo.config.json with the config fuzzer's
 * mutations). Only bad inputs are run through the CLI: an input that passes every check before
 * sampling would start a fit, and is counted as "valid (not fitted)".
 *
 * A case passes when, within the time budget, the CLI exits with code 1, its message starts with
 * "mixwell: ", names the data file or the config file and reads as a check's message (no crash),
 * and no run directory (complete or partial) is left at --out (tests/support/fuzz.ts
 * `namedErrorProblem`, kind cliFit).
 */
import { afterAll, describe, it } from 'vitest';
import fc from 'fast-check';
import { buildCsvCase, csvCaseArb, csvCaseKinds, EXAMPLES, FuzzSandbox, fuzzProperty, fuzzRuns, fuzzTimeoutMs, jsonCaseKinds, jsonMutationArb, jsonText, mutateJson, showCsvCase, showJson, type JsonValue } from './support/fuzz.js';

describe('fuzz: mixwell fit on bad input', () => {
  const sandbox = new FuzzSandbox({ warmup: 'warmCli' });
  afterAll(() => sandbox.close());

  it('fails with a named error and leaves no run directory', async () => {
    await fuzzProperty({
      name: 'cli fit: mutated data and config',
      sandbox,
      arb: fc.record({
        data: csvCaseArb({ bases: ['geo'], specs: ['config'] }),
        config: fc.oneof({ arbitrary: fc.constant([]), weight: 4 }, fc.array(jsonMutationArb, { minLength: 1, maxLength: 2 })),
      }),
      runs: fuzzRuns(100),
      prepare: ({ data, config }) => {
        const { bytes } = buildCsvCase(data);
        const configText = jsonText(mutateJson({ data: EXAMPLES.geo.spec as JsonValue, sampler: { chains: 1, warmup: 10, draws: 10 } }, config));
        return {
          target: 'cliFit',
          payload: { bytes, config: configText, name: 'geo.csv' },
          kind: 'cliFit',
          context: { file: 'geo.csv', alsoFiles: [`${sandbox.dir}/config.json`] },
          kinds: [...csvCaseKinds(data), ...(config.length > 0 ? jsonCaseKinds(config).map((k) => `config:${k}`) : [])],
          show: () => `${showCsvCase(data, bytes)}\nconfig: ${showJson(configText)}`,
          size: bytes.length + configText.length,
        };
      },
    });
  }, fuzzTimeoutMs(100, 200));
});
