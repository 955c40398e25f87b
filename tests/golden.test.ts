/**
 * Golden outputs recorded at ceed01c (before the MMM component layer and the warmup-strategy
 * refactor; issue 17): refactors must not change behaviour, so on the host path the log density
 * and gradient of every config case, the draws of short fits under every warmup plan, the prior
 * predictive draws, the mediation kernel and the analysis numbers are compared with what that commit
 * computed. Exact quantities are compared as SHA-256 hashes of their float64 bytes (bit-identical);
 * the analysis numbers are compared to 1e-12 relative (they may be summed in another order).
 *
 * `MIXWELL_RECORD_GOLDEN=1 npx vitest run tests/golden.test.ts` rewrites the fixture; only do that
 * on purpose, for a change that is meant to change the numbers, and say why in the commit.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMmmData, scaleData, type MmmData } from '../src/data/index.js';
import { compile } from '../src/ppl/index.js';
import { createRng, initBackend } from '../src/tensor/index.js';
import { fitMmm } from '../src/mmm/fit.js';
import { buildReport } from '../src/mmm/report.js';
import { DEFAULT_MODEL_CONFIG, type LiftExperiment, type MmmModelConfig } from '../models/mmm/config.js';
import { designFromData, withHoldout, type MmmDesign } from '../models/mmm/design.js';
import { createGeoMmm } from '../models/mmm/model.js';
import { samplePriorPredictive } from '../models/mmm/priorPredictive.js';
import { DEFAULT_MEDIATION_MODEL, type MediationModelConfig } from '../models/mediation/config.js';
import { createMediationModel } from '../models/mediation/model.js';
import { resolveStructure } from '../models/mediation/structure.js';
import { simulateMediation } from '../models/mediation/simulate.js';
import { cases as densityCases } from './support/mmmDensity.js';
import { loadExample } from './support/examples.js';

/** ceed01c sampled the linear block with the rest: the joint model, which these outputs pin. */
const JOINT: MmmModelConfig = { ...DEFAULT_MODEL_CONFIG, linearBlock: 'sample' };

/** The density cases that existed at ceed01c (later ones have no recorded outputs). */
const cases = densityCases.slice(0, 5);

const FIXTURE = new URL('./fixtures/golden/golden.json', import.meta.url);
const RECORD = process.env.MIXWELL_RECORD_GOLDEN === '1';
const recorded: Record<string, unknown> = RECORD || !existsSync(FIXTURE) ? {} : JSON.parse(readFileSync(FIXTURE, 'utf8'));
const fresh: Record<string, unknown> = {};

function hash(...arrays: readonly ArrayLike<number>[]): string {
  const h = createHash('sha256');
  for (const a of arrays) h.update(Buffer.from(Float64Array.from(a).buffer));
  return h.digest('hex').slice(0, 32);
}

/** Count, sum, sum of |x| and sum of x^2 of every finite number in a JSON-like value (for large tables). */
function digest(value: unknown): { count: number; sum: number; sumAbs: number; sumSquares: number } {
  const out = { count: 0, sum: 0, sumAbs: 0, sumSquares: 0 };
  const walk = (x: unknown): void => {
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) return;
      out.count++;
      out.sum += x;
      out.sumAbs += Math.abs(x);
      out.sumSquares += x * x;
    } else if (Array.isArray(x) || ArrayBuffer.isView(x)) for (const y of x as ArrayLike<unknown> & Iterable<unknown>) walk(y);
    else if (x !== null && typeof x === 'object') for (const y of Object.values(x)) walk(y);
  };
  walk(value);
  return out;
}

/** Compare with the recorded value (or record it). */
function golden(key: string, value: unknown, compare: 'exact' | 'close' = 'exact'): void {
  fresh[key] = value;
  if (RECORD) return;
  expect(recorded[key], `golden fixture has no "${key}"; record it on purpose (module comment)`).toBeDefined();
  if (compare === 'exact') expect(value, key).toEqual(recorded[key]);
  else expectClose(value, recorded[key], key);
}

function expectClose(actual: unknown, expected: unknown, path: string): void {
  if (typeof expected === 'number') {
    expect(typeof actual, path).toBe('number');
    const a = actual as number;
    if (Number.isFinite(expected)) expect(Math.abs(a - expected), `${path}: ${a} vs ${expected}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
    else expect(a, path).toEqual(expected);
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, path).toBe(expected.length);
    expected.forEach((e, i) => expectClose((actual as unknown[])[i], e, `${path}[${i}]`));
  } else if (expected !== null && typeof expected === 'object') {
    expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
    for (const [k, e] of Object.entries(expected)) expectClose((actual as Record<string, unknown>)[k], e, `${path}.${k}`);
  } else {
    expect(actual, path).toEqual(expected);
  }
}

function experiment(fields: Partial<LiftExperiment> & Pick<LiftExperiment, 'channel' | 'from' | 'to'>): LiftExperiment {
  return { geos: 'all', dataIncludesTest: true, measuredFrom: fields.from, measuredTo: fields.to, likelihood: 'normal', ...fields };
}

/** Config cases beyond the density tests': lift tests, per-channel and partial centering. */
const extraCases = (which: 'geo' | 'national'): [string, Partial<MmmModelConfig>][] => [
  [
    'lift tests (total Normal, per-week multiplier, Student-t)',
    {
      experiments: [
        experiment({ channel: 'tv', geos: which === 'geo' ? ['north', 'east'] : 'all', from: '2023-05-01', to: '2023-05-22', measuredTo: '2023-07-10', spendDelta: 4000, dataIncludesTest: false, liftKpi: 30000, liftSe: 6000 }),
        experiment({ channel: 'search', from: '2023-03-06', to: '2023-03-27', measuredTo: '2023-04-10', spendMultiplier: 1.5, liftKpiByWeek: [800, 700, 600, 500, 300, 200], liftSeByWeek: [400, 400, 450, 450, 500, 500] }),
        experiment({ channel: 'social', from: '2023-09-04', to: '2023-09-18', measuredFrom: '2023-09-11', measuredTo: '2023-10-16', spendDelta: -1000, liftKpi: -2500, liftSe: 1500, likelihood: 'studentT', df: 3 }),
      ],
    },
  ],
  ['lift test with delayed adstock and logistic saturation', { adstock: { type: 'delayed', maxLag: 6 }, saturation: { type: 'logistic' }, experiments: [experiment({ channel: 'tv', from: '2023-05-01', to: '2023-05-22', spendMultiplier: 0.5, liftKpi: -20000, liftSe: 8000 })] }],
  ['media centering by channel, partial weight', { geo: { intercept: 'noncentered', media: { tv: 'centered', search: 0.5 } } }],
];

describe('golden outputs (recorded at ceed01c)', () => {
  let geo: MmmData;
  let national: MmmData;
  beforeAll(async () => {
    await initBackend();
    geo = await loadExample('geo');
    national = await loadExample('national');
  });

  const designOf = (which: 'geo' | 'national', label: string): MmmDesign => {
    const data = which === 'geo' ? geo : national;
    const full = designFromData(data, scaleData(data));
    return label.startsWith('ROI') ? withHoldout(full, 8) : full;
  };

  it('host-path log density and gradient of every config case', () => {
    for (const which of ['geo', 'national'] as const) {
      for (const [label, overrides] of [...cases, ...extraCases(which)]) {
        const design = designOf(which, label);
        const config: MmmModelConfig = { ...JOINT, ...overrides };
        const model = compile(createGeoMmm(design, config).definition);
        expect(model.path).toBe('host');
        const rng = createRng(17, `golden:${label}:${which}`);
        const chains = 3;
        const positions = Float64Array.from({ length: chains * model.dim }, () => 1.6 * rng.uniform() - 0.8);
        const { logDensity, gradient } = model.evaluate(positions, chains);
        golden(`density:${which}:${label}`, { dim: model.dim, names: model.layout.map((p) => p.name), hash: hash(logDensity, gradient), first: logDensity[0] });
        model.dispose();
      }
    }
  });

  it('prior predictive draws', () => {
    for (const [label, overrides] of cases) {
      const design = designOf('geo', label);
      const prior = samplePriorPredictive(design, { ...DEFAULT_MODEL_CONFIG, ...overrides }, { draws: 12, chains: 2, seed: 4 });
      // Parameters bit for bit; the derived y_rep = mean + noise to 1e-12 (the per-draw mean, hostModel.ts, takes the
      // adstock weights from the adstock kind since the component layer: alpha^l by repeated multiplication, as the
      // kernel, where the old reference used Math.pow).
      golden(`prior:${label}`, prior.variables.filter((v) => v.kind === 'parameter').map((v) => ({ name: v.name, shape: v.shape, kind: v.kind, hash: hash(v.values) })));
      golden(`prior-derived:${label}`, prior.variables.filter((v) => v.kind === 'derived').map((v) => ({ name: v.name, shape: v.shape, digest: digest(v.values) })), 'close');
    }
  });

  const fitCases: [string, 'geo' | 'national', Record<string, unknown>][] = [
    // Stan's windows were the default warmup when the fixture was recorded; nutpie's is now (sampler.warmupPlan).
    ['stan diag (the default until nutpie)', 'geo', { chains: 2, warmup: 40, draws: 20, seed: 3, warmupPlan: 'stan' }],
    ['stan diag (the default until nutpie)', 'national', { chains: 2, warmup: 80, draws: 25, seed: 3, warmupPlan: 'stan' }],
    ['stan dense', 'national', { chains: 2, warmup: 80, draws: 20, seed: 5, metric: 'dense' }],
    ['staged', 'national', { chains: 2, warmup: 100, draws: 20, seed: 6, metric: 'dense', warmupPlan: 'staged' }],
    ['staged with lengths and stage-1 caps', 'national', { chains: 2, warmup: 120, draws: 15, seed: 7, metric: 'dense', warmupPlan: 'staged', adaptDelta: 0.9, stagedWarmup: { lengths: { diag: 50, dense: [30, 20], final: 20 }, diagMaxTreeDepth: 6, diagAdaptDelta: 0.7 } }],
    ['pooled adaptation', 'national', { chains: 3, warmup: 80, draws: 20, seed: 8, pooledAdaptation: true }],
  ];

  for (const [label, which, sampler] of fitCases) {
    it(`fit draws: ${label} (${which})`, async () => {
      const file = `examples/${which}.csv`;
      const configFile = JSON.parse(readFileSync(`examples/${which}.config.json`, 'utf8'));
      const fit = await fitMmm(file, { ...configFile, model: { linearBlock: 'sample' }, sampler }, { progress: false, verbose: false, workers: 1 });
      const s = fit.result.samples;
      golden(`fit:${which}:${label}`, {
        dim: s.dim,
        draws: hash(...s.draws),
        stats: hash(...s.stats.flatMap((x) => [x.treeDepth, x.nLeapfrog, x.divergent, x.energy, x.acceptStat, x.stepSize, x.logDensity])),
        stepSize: hash(s.warmup.stepSize),
        inverseMetric: hash(...s.warmup.inverseMetric),
        gradientEvaluations: s.gradientEvaluations,
        evaluateCalls: s.evaluateCalls,
        divergences: s.divergences,
        posterior: hash(...fit.result.posterior.variables.map((v) => v.values)),
      });
      if (label === 'stan diag (the default until nutpie)') {
        const report = buildReport(fit);
        const plain = (x: unknown) => JSON.parse(JSON.stringify(x));
        const media = report.media;
        golden(`report:${which}`, plain({ channels: media.channels, totals: media.totals, byDate: digest(media.byDate), byGeoDate: digest(media.byGeoDate), perDraw: digest(recordedPerDraw(media.perDraw)), mean: digest(media.mean), roiSummary: report.roiSummary, fitMetrics: report.fitMetrics, priorRoi: report.priorRoi, probabilities: report.probabilities, loo: report.loo.estimates, liftTests: report.liftTests }), 'close');
      }
    });
  }

  it('static HMC and explicit sampler options through sampleModel', async () => {
    const { sampleModel } = await import('../src/inference/index.js');
    const design = designOf('national', '');
    const definition = createGeoMmm(design, JOINT).definition;
    for (const [label, options] of [
      ['hmc path length', { kernel: { algorithm: 'hmc', pathLength: 1.5 } }],
      ['hmc steps, jitter, thin', { kernel: { algorithm: 'hmc', steps: 7, stepSizeJitter: 0.3 }, thin: 2 }],
      ['nuts no adapt, step size', { kernel: { algorithm: 'nuts', maxTreeDepth: 6 }, adaptation: { kind: 'none', stepSize: 0.05 } }],
      ['nuts saveWarmup, adaptation windows', { saveWarmup: true, adaptation: { kind: 'stan', windows: { initBuffer: 20, termBuffer: 10, baseWindow: 15 }, targetAcceptance: 0.9 } }],
    ] as const) {
      const fit = sampleModel(definition, { chains: 2, warmup: 70, draws: 15, seed: 11, ...options });
      const s = fit.samples;
      golden(`sample:${label}`, {
        draws: hash(...s.draws),
        stats: hash(...s.stats.flatMap((x) => [x.treeDepth, x.nLeapfrog, x.divergent, x.energy, x.acceptStat, x.stepSize, x.logDensity])),
        warmupDraws: s.warmup.draws ? hash(...s.warmup.draws) : null,
        gradientEvaluations: s.gradientEvaluations,
      });
    }
    definition.dispose?.();
  });

  it('mediation kernel (host path) and a short mediation fit', async () => {
    const design = designFromData(national, scaleData(national));
    const configs: [string, MediationModelConfig][] = [
      ['geometric hill', { ...DEFAULT_MEDIATION_MODEL, adstock: { type: 'geometric', maxLag: 4 }, mediatorAdstock: { type: 'geometric', maxLag: 3 }, trendKnots: 3, mediatorTrendKnots: 2, seasonality: { order: 1, period: 52 }, mediators: { search: { drivenBy: ['social', 'tv'] } } }],
      ['mm ar1', { ...DEFAULT_MEDIATION_MODEL, adstock: { type: 'none' }, saturation: { type: 'michaelisMenten' }, mediatorAdstock: { type: 'none' }, mediatorSaturation: { type: 'hill', fixedSlope: 1.5 }, trend: false, seasonality: { order: 0, period: 52 }, errors: 'ar1', priors: { beta: { dist: 'halfNormal', scale: 0.5 } }, mediators: { search: { drivenBy: ['social'] } } }],
    ];
    for (const [label, config] of configs) {
      const mediation = createMediationModel(design, config, resolveStructure(config, national.channelNames));
      const model = compile(mediation.definition);
      const rng = createRng(19, `golden:mediation:${label}`);
      const positions = Float64Array.from({ length: 2 * model.dim }, () => 1.6 * rng.uniform() - 0.8);
      const { logDensity, gradient } = model.evaluate(positions, 2);
      // Since the component layer the mediation model runs on the host path (float64 bijectors; at ceed01c its
      // fused op ran among float32 tensor bijectors), so these were recorded after that change.
      expect(model.path).toBe('host');
      golden(`mediation(host):${label}`, { dim: model.dim, hash: hash(logDensity, gradient) });
      model.dispose();
    }
    // simulate is used by the chained-mediator tests; keep its output fixed too
    const sim = simulateMediation({
      seed: 3,
      periods: 20,
      channels: [{ name: 'a', level: 1 }, { name: 'm1' }],
      config: { ...DEFAULT_MEDIATION_MODEL, adstock: { type: 'none' }, mediatorAdstock: { type: 'none' }, trend: false, seasonality: { order: 0, period: 52 }, mediators: { m1: { drivenBy: ['a'] } } },
      values: { k: [1, 1], s: [1, 1], beta: [0.2, 0.1], intercept: [1], sigma: [0.05], path_coef: [0.5], med_intercept: [1], med_sigma: [0.05] },
    });
    const parsed = parseMmmData(sim.csv, sim.dataSpec);
    golden('mediation:simulate', hash(parsed.kpi, parsed.spend));
  });

  it('writes the fixture when recording', () => {
    if (!RECORD) return;
    const merged = { ...JSON.parse(existsSync(FIXTURE) ? readFileSync(FIXTURE, 'utf8') : '{}'), ...fresh };
    writeFileSync(FIXTURE, `${JSON.stringify(merged, null, 1)}\n`);
  });
});

/**
 * The per-draw metrics the golden file was recorded with: the per-geo arrays added later for
 * idata.nc (geoContribution, geoRoi) are left out here and tested in tests/idata.test.ts.
 */
function recordedPerDraw(perDraw: object): object {
  const { geoContribution: _geoContribution, geoRoi: _geoRoi, ...recorded } = perDraw as Record<string, unknown>;
  return recorded;
}
