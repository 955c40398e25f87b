/**
 * Memory at scale (issue 21): the computations that bound their memory by working through the draws
 * in pieces give exactly what the whole computation gives, on a small fit of the bundled geo example
 * (fixed seed): constraining and deriving in chunks of draws (constrainDraws' chunkSize), and idata.nc's
 * posterior_predictive written straight into float32 (no float64 [draws, G, T] copy beside it).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { posteriorPredictiveCheck } from '../src/analysis/index.js';
import { constrainDraws } from '../src/inference/index.js';
import { fitMmm, type MmmFit } from '../src/mmm/fit.js';
import { buildReport } from '../src/mmm/report.js';
import { compile } from '../src/ppl/index.js';
import { inferenceData } from '../src/run/index.js';
import { createGeoMmm } from '../models/mmm/index.js';

let fit: MmmFit;

beforeAll(async () => {
  fit = await fitMmm('examples/geo.csv', 'examples/geo.config.json', { chains: 2, warmup: 40, draws: 25, seed: 11, progress: false, verbose: false, workers: 1 });
}, 120_000);

describe('chunked over draws = whole', () => {
  it('constrainDraws: the same parameters and derived quantities (random streams included) for every chunk size', () => {
    const model = compile(createGeoMmm(fit.design, fit.model.config).definition);
    const whole = constrainDraws(model, fit.result.samples, 500, fit.sampler.seed);
    expect(whole.variables.some((v) => v.kind === 'derived')).toBe(true);
    for (const chunkSize of [1, 7, 24]) {
      const chunked = constrainDraws(model, fit.result.samples, chunkSize, fit.sampler.seed);
      expect(chunked.variables.map((v) => v.name)).toEqual(whole.variables.map((v) => v.name));
      chunked.variables.forEach((v, i) => expect(v.values).toEqual(whole.variables[i].values));
    }
    // and the fit's own posterior is that one
    fit.result.posterior.variables.forEach((v, i) => expect(v.values).toEqual(whole.variables[i].values));
  });

  it('posterior predictive replicates written into float32 equal the float64 replicates rounded once', () => {
    const { design, posterior } = { design: fit.design, posterior: fit.result.posterior };
    const total = posterior.chains * posterior.drawsPerChain;
    const cells = design.geoNames.length * design.dates.length;
    const wide = posteriorPredictiveCheck(design, fit.model.config, posterior, { seed: fit.sampler.seed, keepReplicates: total });
    const into = new Float32Array(total * cells);
    const narrow = posteriorPredictiveCheck(design, fit.model.config, posterior, { seed: fit.sampler.seed, keepReplicates: total, replicatesInto: into });
    expect(narrow.replicates).toBe(into);
    expect(into).toEqual(Float32Array.from(wide.replicates));
    expect(narrow.pValues).toEqual(wide.pValues);
    expect(() => posteriorPredictiveCheck(design, fit.model.config, posterior, { keepReplicates: total, replicatesInto: new Float32Array(3) })).toThrow(/replicatesInto has 3 values/);
  });

  it("idata.nc's posterior_predictive is the float64 check's replicates as float32, in pooled draw order", () => {
    const report = buildReport(fit);
    const group = inferenceData(fit, report).groups.find((g) => g.name === 'posterior_predictive')!;
    const kpi = group.variables.find((v) => v.name === 'kpi')!;
    const posterior = fit.result.posterior;
    const total = posterior.chains * posterior.drawsPerChain;
    const wide = posteriorPredictiveCheck(fit.design, fit.model.config, posterior, { seed: fit.sampler.seed, keepReplicates: total });
    expect(Array.from(wide.replicateDrawIndices)).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(kpi.values).toBeInstanceOf(Float32Array);
    expect(kpi.values).toEqual(Float32Array.from(wide.replicates));
  });
});
