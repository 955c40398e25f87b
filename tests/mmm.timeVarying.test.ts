/**
 * Time-varying media effectiveness (models/mmm/components/timeVarying.ts, issue 22): the config
 * (`model.timeVarying`) and its errors, the parameter table, the centred basis (w sums to zero over
 * the periods; at z = 0 the model is the static one), and the production kernel with time-varying
 * channels against the float64 reference density and its finite differences, under each media
 * prior, with a lift test, saturation first, a holdout and centered media, as tests/mmm.kernel.test.ts
 * does for the static model.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { scaleData, type MmmData } from '../src/data/index.js';
import { compile } from '../src/ppl/index.js';
import { createRng, initBackend } from '../src/tensor/index.js';
import { DEFAULT_MODEL_CONFIG, type MmmModelConfig } from '../models/mmm/config.js';
import { designFromData, withHoldout } from '../models/mmm/design.js';
import { createGeoMmm } from '../models/mmm/model.js';
import { mmmParameters } from '../models/mmm/parameters.js';
import { parseModelConfig, checkModelConfigAgainstData } from '../models/mmm/parseConfig.js';
import { meanKpiHost, mediaCoefficientsHost, saturatedMediaHost } from '../models/mmm/hostModel.js';
import { logEffectivenessHost, mediaEffectivenessHost, randomWalkKnots, timeVaryingLayout } from '../models/mmm/components/timeVarying.js';
import { expectGradientMatchesReference, expectKernelMatchesReference, hostUnconstrained } from './support/mmmDensity.js';
import { loadExample } from './support/examples.js';

const LIFT = { channel: 'tv', geos: ['north', 'east'], from: '2023-05-01', to: '2023-05-22', measuredFrom: '2023-05-01', measuredTo: '2023-07-10', spendDelta: 4000, dataIncludesTest: false, likelihood: 'normal', liftKpi: 30000, liftSe: 6000 } as const;

const CASES: [string, 'geo' | 'national', Partial<MmmModelConfig>][] = [
  ['tv and search time-varying, coefficient prior', 'geo', { timeVarying: { channels: ['tv', 'search'] } }],
  ['tv and search time-varying, coefficient prior', 'national', { timeVarying: { channels: ['tv', 'search'] } }],
  ['every channel time-varying, ROI prior with a window, lift test on tv', 'geo', { timeVarying: { channels: 'all' }, mediaPrior: { type: 'roi', window: { tv: { from: '2023-03-01', to: '2023-09-30' } } }, experiments: [LIFT] }],
  ['tv time-varying, mROI prior, 10 basis functions', 'geo', { timeVarying: { channels: ['tv'], basisFunctions: 10 }, mediaPrior: { type: 'mroi' } }],
  ['search time-varying, contribution prior, saturation first, 8-period holdout', 'geo', { timeVarying: { channels: ['search'] }, mediaPrior: { type: 'contribution' }, order: { type: 'saturationThenAdstock' } }],
  ['tv and social as random walks (quarterly grid), ROI prior, lift test on tv', 'geo', { timeVarying: { channels: ['tv', 'social'], method: 'randomWalk' }, mediaPrior: { type: 'roi' }, experiments: [LIFT] }],
  ['search as a random walk (8-period grid), mROI prior', 'national', { timeVarying: { channels: ['search'], method: 'randomWalk', gridPeriods: 8 }, mediaPrior: { type: 'mroi' } }],
  ['tv time-varying, centered media, Student-t, lift test', 'geo', { timeVarying: { channels: ['tv'] }, geo: { intercept: 'noncentered', media: 'centered' }, likelihood: 'studentT', experiments: [LIFT] }],
];

describe('time-varying media effectiveness', () => {
  let geo: MmmData;
  let national: MmmData;
  beforeAll(async () => {
    await initBackend();
    geo = await loadExample('geo');
    national = await loadExample('national');
  });

  const setup = (label: string, which: 'geo' | 'national', overrides: Partial<MmmModelConfig>) => {
    const data = which === 'geo' ? geo : national;
    const full = designFromData(data, scaleData(data));
    const design = label.includes('8-period holdout') ? withHoldout(full, 8) : full;
    return { design, config: { ...DEFAULT_MODEL_CONFIG, ...overrides } as MmmModelConfig };
  };

  it('parses model.timeVarying and names the key of a bad value', () => {
    expect(parseModelConfig({ timeVarying: { channels: ['tv'], boundary: 2, minLengthScale: 12 } }).timeVarying).toEqual({ channels: ['tv'], boundary: 2, minLengthScale: 12 });
    expect(parseModelConfig({ timeVarying: { channels: 'all' } }).timeVarying).toEqual({ channels: 'all' });
    expect(() => parseModelConfig({ timeVarying: { channels: [] } }, 'my.json')).toThrow(/my\.json.*model\.timeVarying\.channels.*non-empty array/);
    expect(() => parseModelConfig({ timeVarying: { channels: ['tv', 'tv'] } })).toThrow(/model\.timeVarying\.channels\[1\].*listed twice/);
    expect(() => parseModelConfig({ timeVarying: { channels: ['tv'], boundary: 1 } })).toThrow(/model\.timeVarying\.boundary.*> 1/);
    expect(() => parseModelConfig({ timeVarying: { channels: ['tv'], basisFunctions: 10, minLengthScale: 8 } })).toThrow(/model\.timeVarying\.basisFunctions.*keep one/);
    expect(() => parseModelConfig({ timeVarying: { channels: ['tv'], ls: 3 } })).toThrow(/model\.timeVarying.*ls/);
    expect(parseModelConfig({ timeVarying: { channels: ['tv'], method: 'randomWalk', gridPeriods: 8 } }).timeVarying).toEqual({ channels: ['tv'], method: 'randomWalk', gridPeriods: 8 });
    expect(() => parseModelConfig({ timeVarying: { channels: ['tv'], method: 'randomWalk', boundary: 2 } })).toThrow(/model\.timeVarying\.boundary.*only applies to method "hsgp"/);
    expect(() => parseModelConfig({ timeVarying: { channels: ['tv'], gridPeriods: 8 } })).toThrow(/model\.timeVarying\.gridPeriods.*only applies to method "randomWalk"/);
    expect(() => parseModelConfig({ timeVarying: { channels: ['tv'], method: 'spline' } })).toThrow(/model\.timeVarying\.method/);
    const config = parseModelConfig({ timeVarying: { channels: ['tv', 'radio'] } }, 'my.json');
    expect(() => checkModelConfigAgainstData(config, ['tv', 'search'], 'my.json')).toThrow(/my\.json.*model\.timeVarying\.channels\[1\].*unknown channel "radio"/);
  });

  it('adds amplitude, length scale and basis weights per time-varying channel; the basis count follows the rule', () => {
    const { design, config } = setup('', 'geo', { timeVarying: { channels: ['search', 'tv'] } });
    const table = mmmParameters(design, config);
    const layout = timeVaryingLayout(design, config);
    // 78 weekly periods: half range 38.5, 8-period smallest length scale, c = 1.5: m = ceil(1.75 x 1.5 x 38.5 / 8) = 13
    expect(layout?.m).toBe(13);
    // data order, not the config's
    expect(table.find((p) => p.name === 'tv_amplitude')?.elementNames).toEqual(['tv', 'search']);
    expect(table.find((p) => p.name === 'tv_z')?.shape).toEqual([2, 13]);
    expect(table.find((p) => p.name === 'tv_length_scale')?.prior).toEqual({ kind: 'config', spec: { dist: 'logNormal', mu: 3.2581, sigma: 0.5 } });
    expect(mmmParameters(design, DEFAULT_MODEL_CONFIG).some((p) => p.component === 'timeVarying')).toBe(false);
  });

  it('the random walk: knots every 13 periods and the last; w interpolates a walk between them, centred', () => {
    expect(randomWalkKnots(78, 13)).toEqual([0, 13, 26, 39, 52, 65, 77]);
    expect(randomWalkKnots(80, 13)).toEqual([0, 13, 26, 39, 52, 65, 79]);
    expect(randomWalkKnots(85, 13)).toEqual([0, 13, 26, 39, 52, 65, 84]);
    expect(randomWalkKnots(86, 13)).toEqual([0, 13, 26, 39, 52, 65, 78, 85]);
    const { design, config } = setup('', 'geo', { timeVarying: { channels: ['tv'], method: 'randomWalk' } });
    const table = mmmParameters(design, config);
    expect(table.filter((p) => p.component === 'timeVarying').map((p) => [p.name, p.shape])).toEqual([['tv_step', [1]], ['tv_z', [1, 6]]]);
    const layout = timeVaryingLayout(design, config);
    if (!layout) throw new Error('no layout');
    // one step of 1 at knot 2 (z_2 = 1): the walk is 0 up to period 13, rises linearly to 1 at period 26 and stays; then centred
    const z = new Float64Array(6);
    z[1] = 1;
    const w = logEffectivenessHost(layout, { tv_step: [1], tv_z: z }, 0);
    const raw = Array.from({ length: 78 }, (_, t) => (t <= 13 ? 0 : t >= 26 ? 1 : (t - 13) / 13));
    const mean = raw.reduce((a, b) => a + b, 0) / 78;
    raw.forEach((x, t) => expect(w[t]).toBeCloseTo(x - mean, 12));
  });

  it('w is centred over the periods; at z = 0 the time-varying model is the static one', () => {
    const { design, config } = setup('', 'geo', { timeVarying: { channels: 'all' }, mediaPrior: { type: 'roi' }, linearBlock: 'sample' });
    const layout = timeVaryingLayout(design, config);
    if (!layout) throw new Error('no layout');
    const K = layout.channels.length;
    const rng = createRng(3, 'tv');
    const values: Record<string, Float64Array> = {};
    const model = compile(createGeoMmm(design, config).definition);
    const constrained = model.constrain(Float64Array.from({ length: model.dim }, () => 1.6 * rng.uniform() - 0.8), 1);
    model.dispose();
    for (const [name, v] of Object.entries(constrained)) values[name] = Float64Array.from(v);
    for (let k = 0; k < K; k++) {
      const w = logEffectivenessHost(layout, values, k);
      expect(Math.abs(w.reduce((a, b) => a + b, 0))).toBeLessThan(1e-10);
      expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(1e-3);
    }
    values.tv_z = new Float64Array(values.tv_z.length);
    const staticConfig = { ...config, timeVarying: undefined };
    expect(Array.from(mediaEffectivenessHost(design, config, values) ?? [])).toEqual(new Array(78 * 3).fill(1));
    const a = meanKpiHost(design, config, values);
    const b = meanKpiHost(design, staticConfig, values);
    a.forEach((x, i) => expect(x).toBeCloseTo(b[i], 12));
    const beta = mediaCoefficientsHost(design, config, values, saturatedMediaHost(design, config, values));
    const staticBeta = mediaCoefficientsHost(design, staticConfig, values, saturatedMediaHost(design, staticConfig, values));
    beta.forEach((x, i) => expect(x).toBeCloseTo(staticBeta[i], 12));
  });

  for (const [label, which, overrides] of CASES) {
    for (const linearBlock of ['auto', 'sample'] as const) {
      const name = `${label}${linearBlock === 'sample' ? ', linear block sampled' : ''} (${which})`;
      it(`${name}: the host kernel matches the float64 reference and its finite differences`, () => {
        const { design, config } = setup(label, which, { ...overrides, linearBlock });
        const host = compile(createGeoMmm(design, config).definition);
        expect(host.path).toBe('host');
        const dim = host.dim;
        const rng = createRng(7, name);
        const chains = 2;
        const positions = Float64Array.from({ length: chains * dim }, () => 1.6 * rng.uniform() - 0.8);
        const result = host.evaluate(positions, chains);
        for (let c = 0; c < chains; c++) {
          const position = positions.subarray(c * dim, (c + 1) * dim);
          const reference = hostUnconstrained(design, config, host, position);
          // float64 throughout: 1e-9 relative on the value.
          expect(Math.abs(result.logDensity[c] - reference)).toBeLessThan(1e-9 * Math.abs(reference) + 1e-9);
          expectGradientMatchesReference(design, config, host, position, [{ label: 'host', gradient: result.gradient.subarray(c * dim, (c + 1) * dim) }]);
        }
        host.dispose();
      });

      it(`${name}: the kernel's VJP matches central differences of its forward; its outputs sum to the reference`, () => {
        const { design, config } = setup(label, which, { ...overrides, linearBlock });
        expectKernelMatchesReference(design, config, name);
      });
    }
  }
});
