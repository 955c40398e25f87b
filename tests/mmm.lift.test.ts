/**
 * Lift tests as a likelihood term (models/mmm/liftTests.ts): the config is parsed strictly and
 * checked against the data; the implied lift equals the difference of the model's mean KPI with the
 * test and the control media; and for configs with experiments (Normal and Student-t, totals and
 * per-period measurements, every adstock and saturation, ROI prior, pooled and centered media) every
 * density path (the float64 host path, and the same kernel as one op among tensor bijectors) has the float64
 * reference density's value (referenceDensity.ts) and its gradient matches central differences of
 * it; the kernel's lift VJP matches central differences of its own float64 forward.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { scaleData, type MmmData } from '../src/data/index.js';
import { parseRunConfig } from '../src/mmm/config.js';
import { compile } from '../src/ppl/index.js';
import { createRng, initBackend, liveTensorCount } from '../src/tensor/index.js';
import { DEFAULT_MODEL_CONFIG, type LiftExperiment, type MmmModelConfig } from '../models/mmm/config.js';
import { designFromData, withHoldout } from '../models/mmm/design.js';
import { createMmmKernel } from '../models/mmm/kernel/kernel.js';
import { createGeoMmm } from '../models/mmm/model.js';
import { mmmParameters } from '../models/mmm/parameters.js';
import { meanKpiHost } from '../models/mmm/hostModel.js';
import { impliedLiftHost, liftCells, liftLogLikelihoodHost, resolveLiftTests } from '../models/mmm/liftTests.js';
import { checkModelConfigAgainstData } from '../models/mmm/parseConfig.js';
import { referenceLogDensity, referenceMarginalLogDensity } from '../models/mmm/referenceDensity.js';

import { hostUnconstrained } from './support/mmmDensity.js';
import { expectKernelVjp } from './support/vjp.js';
import { loadExample } from './support/examples.js';

type Which = 'geo' | 'national';

/** An experiment as parsed (defaults filled). */
function experiment(fields: Partial<LiftExperiment> & Pick<LiftExperiment, 'channel' | 'from' | 'to'>): LiftExperiment {
  return { geos: 'all', dataIncludesTest: true, measuredFrom: fields.from, measuredTo: fields.to, likelihood: 'normal', ...fields };
}

/** Periods from..to inclusive (weekly, both example data sets are on Mondays). */
function weeks(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / (7 * 86400e3)) + 1;
}

const perWeek = (from: string, to: string, value: number, se: number) => ({
  liftKpiByWeek: Array.from({ length: weeks(from, to) }, (_, i) => value * (i < 4 ? 1 : 0.5 ** (i - 3))),
  liftSeByWeek: Array.from({ length: weeks(from, to) }, (_, i) => se * (1 + 0.1 * i)),
});

/** Config cases with experiments; the dates lie in both example data sets (2023). */
const liftCases: [string, (which: Which) => Partial<MmmModelConfig>][] = [
  [
    'reference + total lift (spend delta, data holds control), Normal',
    (which) => ({
      experiments: [
        experiment({ channel: 'tv', geos: which === 'geo' ? ['north', 'east'] : 'all', from: '2023-05-01', to: '2023-05-22', measuredTo: '2023-07-10', spendDelta: 4000, dataIncludesTest: false, liftKpi: 30000, liftSe: 6000 }),
      ],
    }),
  ],
  [
    'per-week lift (multiplier, data holds test) + Student-t total on another channel',
    (which) => ({
      experiments: [
        experiment({ channel: 'search', geos: which === 'geo' ? ['south'] : 'all', from: '2023-03-06', to: '2023-03-27', measuredTo: '2023-05-15', spendMultiplier: 1.5, ...perWeek('2023-03-06', '2023-05-15', 800, 400) }),
        experiment({ channel: 'social', from: '2023-09-04', to: '2023-09-18', measuredFrom: '2023-09-11', measuredTo: '2023-10-16', spendDelta: -1000, liftKpi: -2500, liftSe: 1500, likelihood: 'studentT', df: 3 }),
      ],
    }),
  ],
  [
    'ROI prior with a window, fixed Hill slope, holdout, lift on the windowed channel',
    () => ({
      mediaPrior: { type: 'roi', window: { tv: { from: '2023-03-01', to: '2023-09-30' } } },
      saturation: { type: 'hill', fixedSlope: 1.5 },
      experiments: [experiment({ channel: 'tv', from: '2023-06-05', to: '2023-06-26', measuredTo: '2023-08-14', spendMultiplier: 0, dataIncludesTest: false, ...perWeek('2023-06-05', '2023-08-14', -3000, 1500) })],
    }),
  ],
  [
    'ROI-like priors: contribution prior with a window, holdout, lift on the windowed channel',
    () => ({
      mediaPrior: { type: 'contribution', window: { tv: { from: '2023-03-01', to: '2023-09-30' } } },
      experiments: [experiment({ channel: 'tv', from: '2023-06-05', to: '2023-06-26', measuredTo: '2023-08-14', spendMultiplier: 0, dataIncludesTest: false, ...perWeek('2023-06-05', '2023-08-14', -3000, 1500) })],
    }),
  ],
  [
    'mROI prior, logistic saturation, lifts on two channels',
    (which) => ({
      mediaPrior: { type: 'mroi' },
      saturation: { type: 'logistic' },
      experiments: [
        experiment({ channel: 'tv', geos: which === 'geo' ? ['north', 'east'] : 'all', from: '2023-05-01', to: '2023-05-22', measuredTo: '2023-07-10', spendDelta: 4000, dataIncludesTest: false, liftKpi: 30000, liftSe: 6000 }),
        experiment({ channel: 'search', from: '2023-10-02', to: '2023-10-16', spendMultiplier: 0.5, liftKpi: -4000, liftSe: 2000 }),
      ],
    }),
  ],
  [
    'pooled media, delayed adstock, logistic saturation, Student-t per week',
    (which) => ({
      geo: { intercept: 'noncentered', media: 'pooled' },
      adstock: { type: 'delayed', maxLag: 8 },
      saturation: { type: 'logistic' },
      trend: false,
      experiments: [experiment({ channel: 'tv', geos: which === 'geo' ? ['west', 'north'] : 'all', from: '2023-05-01', to: '2023-05-15', measuredTo: '2023-06-26', spendDelta: 2500, dataIncludesTest: false, likelihood: 'studentT', ...perWeek('2023-05-01', '2023-06-26', 2000, 900) })],
    }),
  ],
  [
    'centered media, weibull adstock, Michaelis-Menten, two experiments',
    (which) => ({
      geo: { intercept: 'centered', media: 'centered' },
      adstock: { type: 'weibull', maxLag: 6 },
      saturation: { type: 'michaelisMenten' },
      seasonality: { order: 1, period: 52 },
      experiments: [
        experiment({ channel: 'tv', geos: which === 'geo' ? ['east'] : 'all', from: '2023-05-01', to: '2023-05-22', measuredTo: '2023-06-19', spendDelta: 3000, dataIncludesTest: false, liftKpi: 9000, liftSe: 3000 }),
        experiment({ channel: 'search', from: '2023-10-02', to: '2023-10-16', spendMultiplier: 0.5, liftKpi: -4000, liftSe: 2000 }),
      ],
    }),
  ],
  [
    'per-channel kinds: tv saturation then adstock (weibull), search logistic, social Michaelis-Menten, ROI prior',
    (which) => ({
      adstock: { type: 'geometric', maxLag: 6, byChannel: { tv: { type: 'weibull' } } },
      saturation: { type: 'hill', byChannel: { search: { type: 'logistic' }, social: { type: 'michaelisMenten' } } },
      order: { type: 'adstockThenSaturation', byChannel: { tv: 'saturationThenAdstock' } },
      mediaPrior: { type: 'roi' },
      experiments: [
        experiment({ channel: 'tv', geos: which === 'geo' ? ['north', 'east'] : 'all', from: '2023-05-01', to: '2023-05-22', measuredTo: '2023-07-10', spendDelta: 4000, dataIncludesTest: false, liftKpi: 30000, liftSe: 6000 }),
        experiment({ channel: 'search', from: '2023-10-02', to: '2023-10-16', spendMultiplier: 0.5, ...perWeek('2023-10-02', '2023-10-16', -1500, 800) }),
      ],
    }),
  ],
];

describe('lift tests', () => {
  let geo: MmmData;
  let national: MmmData;
  beforeAll(async () => {
    await initBackend();
    geo = await loadExample('geo');
    national = await loadExample('national');
  });

  const setup = (label: string, which: Which, overrides: (which: Which) => Partial<MmmModelConfig>) => {
    const data = which === 'geo' ? geo : national;
    const full = designFromData(data, scaleData(data));
    const design = label.startsWith('ROI') ? withHoldout(full, 8) : full;
    const config: MmmModelConfig = { ...DEFAULT_MODEL_CONFIG, ...overrides(which) };
    return { design, config };
  };

  describe('config', () => {
    const base = { channel: 'tv', from: '2023-05-01', to: '2023-05-22', spendDelta: 1000, liftKpi: 10, liftSe: 2 };
    it('fills defaults and keeps every given key', () => {
      const config = parseRunConfig({ model: { experiments: [base, { ...base, name: 'x', geos: ['north'], spendDelta: undefined, spendMultiplier: 2, dataIncludesTest: false, measuredTo: '2023-06-26', liftKpi: undefined, liftSe: undefined, liftKpiByWeek: [1, 2], liftSeByWeek: [1, 1], likelihood: 'studentT' }] } }, 'c.json');
      expect(config.model.experiments).toEqual([
        { channel: 'tv', geos: 'all', from: '2023-05-01', to: '2023-05-22', spendDelta: 1000, dataIncludesTest: true, measuredFrom: '2023-05-01', measuredTo: '2023-05-22', liftKpi: 10, liftSe: 2, likelihood: 'normal' },
        { name: 'x', channel: 'tv', geos: ['north'], from: '2023-05-01', to: '2023-05-22', spendMultiplier: 2, dataIncludesTest: false, measuredFrom: '2023-05-01', measuredTo: '2023-06-26', liftKpiByWeek: [1, 2], liftSeByWeek: [1, 1], likelihood: 'studentT', df: 5 },
      ]);
      expect(parseRunConfig({ model: {} }, 'c.json').model.experiments).toBeUndefined();
    });

    it.each([
      [{ experiments: {} }, /c\.json: model\.experiments: expected an array/],
      [{ experiments: [{ ...base, chanel: 'tv' }] }, /model\.experiments\[0\]\.chanel: unknown key/],
      [{ experiments: [{ ...base, channel: '' }] }, /model\.experiments\[0\]\.channel: expected a non-empty string/],
      [{ experiments: [{ ...base, geos: [] }] }, /model\.experiments\[0\]\.geos: expected "all" or a non-empty array/],
      [{ experiments: [{ ...base, geos: ['a', 'a'] }] }, /model\.experiments\[0\]\.geos\[1\]: geo "a" is listed twice/],
      [{ experiments: [base, { ...base, from: '2023-5-1' }] }, /model\.experiments\[1\]\.from: expected an ISO date/],
      [{ experiments: [{ ...base, to: '2023-04-01' }] }, /model\.experiments\[0\]\.to: "to" \(2023-04-01\) is before "from"/],
      [{ experiments: [{ ...base, spendMultiplier: 2 }] }, /model\.experiments\[0\]: give exactly one of "spendDelta"/],
      [{ experiments: [{ ...base, spendDelta: 0 }] }, /model\.experiments\[0\]\.spendDelta: expected a finite non-zero number/],
      [{ experiments: [{ ...base, spendDelta: undefined, spendMultiplier: 0 }] }, /spendMultiplier: a go-dark test \(multiplier 0\)/],
      [{ experiments: [{ ...base, spendDelta: undefined, spendMultiplier: 1 }] }, /spendMultiplier: expected a finite number >= 0 other than 1/],
      [{ experiments: [{ ...base, measuredTo: '2023-04-24' }] }, /measuredTo: "measuredTo" \(2023-04-24\) is before "measuredFrom"/],
      [{ experiments: [{ ...base, liftSe: 0 }] }, /model\.experiments\[0\]\.liftSe: expected a number > 0/],
      [{ experiments: [{ ...base, liftKpiByWeek: [1] }] }, /model\.experiments\[0\]: give either "liftKpi" and "liftSe"/],
      [{ experiments: [{ ...base, liftKpi: undefined, liftSe: undefined, liftKpiByWeek: [1, 2], liftSeByWeek: [1] }] }, /liftSeByWeek: has 1 values, "liftKpiByWeek" has 2/],
      [{ experiments: [{ ...base, liftKpi: undefined, liftSe: undefined, liftKpiByWeek: [1], liftSeByWeek: [-1] }] }, /liftSeByWeek\[0\]: expected a number > 0/],
      [{ experiments: [{ ...base, likelihood: 'cauchy' }] }, /likelihood: expected one of "normal", "studentT"/],
      [{ experiments: [{ ...base, df: 3 }] }, /model\.experiments\[0\]\.df: only applies to "likelihood": "studentT"/],
      [{ experiments: [{ ...base, likelihood: 'studentT', df: -1 }] }, /model\.experiments\[0\]\.df: expected a number > 0/],
    ])('rejects %j', (model, message) => {
      expect(() => parseRunConfig({ model }, 'c.json')).toThrow(message);
    });

    it.each([
      [{ channel: 'radio' }, /c\.json: model\.experiments\[0\]\.channel: unknown channel "radio" \(channels: tv, search, social\)/],
      [{ geos: ['north', 'mars'] }, /model\.experiments\[0\]\.geos\[1\]: unknown geo "mars" \(geos: .*north/],
      [{ from: '2023-05-02' }, /model\.experiments\[0\]\.from: 2023-05-02 is not a period of the data/],
      [{ measuredTo: '2030-01-07' }, /model\.experiments\[0\]\.measuredTo: 2030-01-07 is not a period of the data/],
      [{ liftKpi: undefined, liftSe: undefined, liftKpiByWeek: [1, 2], liftSeByWeek: [1, 1] }, /liftKpiByWeek: has 2 values, but the measured window 2023-05-01\.\.2023-05-22 has 4 periods/],
    ])('checks %j against the data', (change, message) => {
      const config = parseRunConfig({ model: { experiments: [{ ...base, ...change }] } }, 'c.json');
      expect(() => checkModelConfigAgainstData(config.model, geo.channelNames, 'c.json', geo)).toThrow(message);
    });

    it('rejects a spend change that makes a condition negative, naming geo and date', () => {
      const design = designFromData(geo, scaleData(geo));
      const config: MmmModelConfig = { ...DEFAULT_MODEL_CONFIG, experiments: [experiment({ channel: 'search', geos: ['north'], from: '2023-05-01', to: '2023-05-08', spendDelta: 1e9, liftKpi: 1, liftSe: 1 })] };
      expect(() => resolveLiftTests(design, config)).toThrow(/model\.experiments\[0\]\.spendDelta: makes the control spend negative in geo "north" on 2023-05-01/);
    });
  });

  it('test and control media follow the experiment; cells cover the window and its carryover only', () => {
    const design = designFromData(geo, scaleData(geo));
    const T = design.dates.length;
    const C = design.channelNames.length;
    const config: MmmModelConfig = {
      ...DEFAULT_MODEL_CONFIG,
      experiments: [
        experiment({ channel: 'search', geos: ['west'], from: '2023-05-01', to: '2023-05-22', measuredFrom: '2023-04-17', measuredTo: '2023-09-04', spendMultiplier: 2, liftKpi: 1, liftSe: 1 }),
        experiment({ channel: 'social', geos: ['east', 'south'], from: '2023-05-01', to: '2023-05-01', spendDelta: 500, dataIncludesTest: false, liftKpi: 1, liftSe: 1 }),
      ],
    };
    const tests = resolveLiftTests(design, config)!;
    const [first, second] = tests.experiments;
    const start = design.dates.indexOf('2023-05-01');
    const west = design.geoNames.indexOf('west');
    for (let t = 0; t < T; t++) {
      const data = design.media[(west * T + t) * C + 1];
      expect(first.testMedia[t]).toBe(data);
      expect(first.controlMedia[t]).toBeCloseTo(t >= start && t < start + 4 ? data / 2 : data, 12);
    }
    // spend channel: media per unit spend is 1 / the channel's mean spend
    const east = design.geoNames.indexOf('east');
    const perSpend = design.media[(east * T + start) * C + 2] / design.spend[(east * T + start) * C + 2];
    expect(second.testMedia[start] - second.controlMedia[start]).toBeCloseTo(500 * perSpend, 12);
    const cells = liftCells(design, tests, 8);
    // first: 4 test weeks + 7 weeks of carryover in one geo (the 2 measured weeks before the test add nothing);
    // second: 1 week, measured that week only, in two geos
    expect(cells.cellCount).toBe(11 + 2);
    expect(tests.observations.map((o) => o.label)).toEqual(['total', 'total']);
  });

  it('the implied lift is the difference of the mean KPI with test and control media, summed over the measured cells', () => {
    for (const which of ['geo', 'national'] as const) {
      // the joint model: the mean KPI below needs every parameter
      const { design, config } = setup('', which, (w) => ({ ...liftCases[1][1](w), linearBlock: 'sample' }));
      const tests = resolveLiftTests(design, config)!;
      const mmm = createGeoMmm(design, config);
      const model = compile(mmm.definition);
      const rng = createRng(3, which);
      const values = model.constrain(Float64Array.from({ length: model.dim }, () => rng.uniform() - 0.5), 1);
      model.dispose();
      const implied = impliedLiftHost(design, config, values, tests);
      const T = design.dates.length;
      const C = design.channelNames.length;
      for (const e of tests.experiments) {
        const withMedia = (series: Float64Array) => {
          const media = Float64Array.from(design.media);
          e.geos.forEach((g, j) => {
            for (let t = 0; t < T; t++) media[(g * T + t) * C + e.channel] = series[j * T + t];
          });
          return meanKpiHost({ ...design, media }, config, values);
        };
        const test = withMedia(e.testMedia);
        const control = withMedia(e.controlMedia);
        for (const o of e.observations) {
          const observation = tests.observations[o];
          let expected = 0;
          for (const g of e.geos) for (let t = observation.from; t <= observation.to; t++) expected += design.kpiUnit[g] * (test[g * T + t] - control[g * T + t]);
          expect(Math.abs(implied[o] - expected)).toBeLessThan(1e-9 * Math.abs(expected) + 1e-9);
        }
      }
      expect(implied.some((v) => v !== 0)).toBe(true);
    }
  });

  for (const [label, overrides] of liftCases) {
    for (const which of ['geo', 'national'] as const) {
      it(`${label} (${which}): every density path matches the float64 reference, value and gradient`, () => {
        const { design, config } = setup(label, which, overrides);
        const before = liveTensorCount();
        const variants = [
          { what: 'host path', model: compile(createGeoMmm(design, config).definition) },
          { what: 'kernel op among tensor bijectors', model: compile(createGeoMmm(design, config).definition, { path: 'tensor' }) },
        ];
        expect(variants[0].model.path).toBe('host');
        const dim = variants[0].model.dim;
        const rng = createRng(7, label + which);
        const chains = 2;
        const positions = Float64Array.from({ length: chains * dim }, () => 1.6 * rng.uniform() - 0.8);
        const results = variants.map(({ model }) => model.evaluate(positions, chains));
        const reference = variants[0].model;
        for (let c = 0; c < chains; c++) {
          const position = positions.subarray(c * dim, (c + 1) * dim);
          const host = hostUnconstrained(design, config, reference, position);
          const draw = reference.constrain(position, 1);
          const liftTerm = liftLogLikelihoodHost(design, config, draw);
          expect(liftTerm).not.toBe(0);
          const numeric = Float64Array.from({ length: dim }, (_, d) => {
            const h = 1e-5;
            const up = Float64Array.from(position);
            const down = Float64Array.from(position);
            up[d] += h;
            down[d] -= h;
            return (hostUnconstrained(design, config, reference, up) - hostUnconstrained(design, config, reference, down)) / (2 * h);
          });
          variants.forEach(({ what, model }, v) => {
            const got = results[v];
            if (model.path === 'host') {
              // float64 throughout: as mmm.kernel.test.ts's host path.
              expect(Math.abs(got.logDensity[c] - host), what).toBeLessThan(1e-9 * Math.abs(host) + 1e-9);
              numeric.forEach((n, d) => expect(Math.abs(got.gradient[c * dim + d] - n), `${what} d=${d} got ${got.gradient[c * dim + d]} numeric ${n}`).toBeLessThan(1e-5 * Math.abs(n) + 1e-5));
            } else {
              // float32 parameters and partial sums: the budget of mmm.density.test.ts (the lift term's
              // z^2 can be large at random points, hence relative to |log density| plus its own size).
              expect(Math.abs(got.logDensity[c] - host), what).toBeLessThan(2e-5 * (Math.abs(host) + Math.abs(liftTerm)) + 1e-2);
              numeric.forEach((n, d) => expect(Math.abs(got.gradient[c * dim + d] - n), `${what} d=${d} got ${got.gradient[c * dim + d]} numeric ${n}`).toBeLessThan(2e-3 * Math.abs(n) + 2e-2));
            }
          });
        }
        variants.forEach(({ model }) => model.dispose());
        expect(liveTensorCount()).toBe(before);
      });

      it(`${label} (${which}): the kernel's VJP with lift tests matches central differences of its float64 forward`, () => {
        const { design, config } = setup(label, which, overrides);
        {
          const host = createMmmKernel(design, config, mmmParameters(design, config));
          // likelihood columns (G per-geo, or one marginal with the block integrated out), priors, lift
          expect(host.liftColumn).toBe((host.linearBlock ? 1 : design.geoNames.length) + 1);
          expect(host.outputWidth).toBe(host.liftColumn + 1);
          const model = compile(createGeoMmm(design, config).definition);
          const rng = createRng(11, label + which);
          const chains = 2;
          const width = host.outputWidth;
          const positions = Float64Array.from({ length: chains * model.dim }, () => 1.6 * rng.uniform() - 0.8);
          const constrained = model.constrain(positions, chains);
          model.dispose();
          const values = host.inputNames.map((name) => Float64Array.from(constrained[name]));
          const forward = host.forward(values, chains);
          for (let b = 0; b < chains; b++) {
            // every parameter (the likelihood-only kernel does not read m under centered media effects)
            const draw = Object.fromEntries(Object.entries(constrained).map(([name, all]) => [name, all.subarray((b * all.length) / chains, ((b + 1) * all.length) / chains)]));
            const lift = liftLogLikelihoodHost(design, config, draw);
            expect(Math.abs(forward[b * width + host.liftColumn] - lift)).toBeLessThan(1e-9 * Math.abs(lift) + 1e-9);
            let total = 0;
            for (let j = 0; j < width; j++) total += forward[b * width + j];
            const reference = (host.linearBlock ? referenceMarginalLogDensity : referenceLogDensity)(design, config, draw);
            expect(Math.abs(total - reference)).toBeLessThan(1e-9 * Math.abs(reference) + 1e-9);
          }
          // Upstream only on the lift column, then on all columns.
          for (const onlyLift of [true, false]) {
            const dy = Float64Array.from({ length: chains * width }, (_, j) => (!onlyLift || j % width === host.liftColumn ? rng.normal() : 0));
            expectKernelVjp(host, values, chains, dy);
          }
        }
      });
    }
  }
});
