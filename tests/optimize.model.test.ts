/**
 * The planning window and response models of src/optimize on the bundled geo example with
 * "posteriors" made of the true parameters and small perturbations (no sampling):
 * - the window's current plan reproduces the design's media, and the host model at the current
 *   plan equals the model's mean KPI (models/mmm/hostModel.ts meanKpiHost) summed over the window;
 * - at other plans it equals meanKpiHost on a design whose window media is rescaled (adstock
 *   linearity and the carryover from before the window, checked against an independent route);
 * - the analytic float64 gradient matches central finite differences, and the tfjs autodiff
 *   gradient matches it to float32 precision, for shared and per-draw plans.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_CONFIG, type MmmModelConfig } from '../models/mmm/config.js';
import type { MmmDesign } from '../models/mmm/design.js';
import { meanKpiHost } from '../models/mmm/hostModel.js';
import { drawAt } from '../src/analysis/index.js';
import type { Posterior } from '../src/ppl/index.js';
import {
  hostResponseModel,
  planningWindow,
  subsetWindowDraws,
  tensorResponseModel,
  windowDraws,
  type HostResponseModel,
  type PlanningWindow,
} from '../src/optimize/index.js';
import { initBackend, liveTensorCount } from '../src/tensor/index.js';
import { scaleData } from '../src/data/index.js';
import { designFromData } from '../models/mmm/design.js';
import { withRfChannels } from '../models/mmm/components/transformKinds.js';
import { loadExample, withRfChannel } from './support/examples.js';
import { loadGeoDesign, posteriorAround, readGeoTruth, truthShapes, truthValues, type GeoTruth } from './fixtures/analysis/examplePosterior.js';

let design: MmmDesign;
let truth: GeoTruth;
let posterior: Posterior;
let G: number;
let T: number;
let C: number;

const relativeError = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

beforeAll(async () => {
  design = await loadGeoDesign();
  truth = readGeoTruth();
  G = design.geoNames.length;
  T = design.dates.length;
  C = design.channelNames.length;
  posterior = posteriorAround(truthValues(truth), truthShapes(G, C), 2, 3, 0.1, 7);
});

/** The window's KPI (or revenue) of one draw from meanKpiHost on a design. */
function windowKpi(d: MmmDesign, config: MmmModelConfig, values: Record<string, Float64Array>, N: number, revenue = false): number {
  const mean = meanKpiHost(d, config, values);
  let total = 0;
  for (let g = 0; g < G; g++) for (let t = T - N; t < T; t++) total += mean[g * T + t] * d.kpiUnit[g] * (revenue && d.kpiValue ? d.kpiValue[g * T + t] : 1);
  return total;
}

/** The design with window media and spend of each plan entry multiplied by plan / current. */
function rescaledDesign(window: PlanningWindow, plan: Float64Array, base: MmmDesign = design): MmmDesign {
  const media = Float64Array.from(base.media);
  const spend = Float64Array.from(base.spend);
  for (let g = 0; g < G; g++) {
    for (let c = 0; c < C; c++) {
      const p = window.entryOfCell[g * C + c];
      const factor = plan[p] / window.current[p];
      for (let t = window.start; t < T; t++) {
        media[(g * T + t) * C + c] *= factor;
        spend[(g * T + t) * C + c] *= factor;
      }
    }
  }
  return { ...base, media, spend };
}

const planFor = (model: HostResponseModel) => model.data.window.current.map((x, p) => x * (0.7 + 0.15 * (p % 4)));
const weightsFor = (model: HostResponseModel) => Float64Array.from({ length: model.drawCount }, (_, d) => 0.5 + d / 3);

/** The model's analytic gradient of the weighted draws' KPI at a fixed plan against central differences. */
function expectGradientMatchesDifferences(model: HostResponseModel): void {
  const plan = planFor(model);
  const weights = weightsFor(model);
  const gradient = model.gradient(plan, weights);
  const weighted = (x: Float64Array) => model.evaluate(x).reduce((sum, y, d) => sum + weights[d] * y, 0);
  const scale = Math.max(...gradient.map(Math.abs));
  for (let p = 0; p < plan.length; p++) {
    const h = 1e-4 * Math.max(plan[p], 1);
    const up = Float64Array.from(plan);
    const down = Float64Array.from(plan);
    up[p] += h;
    down[p] -= h;
    const numeric = (weighted(up) - weighted(down)) / (2 * h);
    // Central differences: error O(h^2) plus rounding of ~1e-16 x KPI / h; both far below 1e-6 of the scale.
    expect(Math.abs(numeric - gradient[p]) / scale).toBeLessThan(1e-6);
  }
}

describe('planning window', () => {
  it('holds the observed window spend as the current plan and reproduces the media from it', () => {
    for (const level of ['channel', 'geo'] as const) {
      const window = planningWindow(design, { periods: 13, level });
      expect(window.dates).toEqual(design.dates.slice(T - 13));
      expect(window.entries).toHaveLength(level === 'channel' ? C : G * C);
      for (let g = 0; g < G; g++) {
        for (let c = 0; c < C; c++) {
          const p = window.entryOfCell[g * C + c];
          for (let j = 0; j < 13; j++) {
            const media = design.media[(g * T + T - 13 + j) * C + c];
            expect(window.mediaPerSpend[(g * C + c) * 13 + j] * window.current[p]).toBeCloseTo(media, 12);
          }
        }
      }
      let total = 0;
      for (let n = 0; n < G * T; n++) if (n % T >= T - 13) for (let c = 0; c < C; c++) total += design.spend[n * C + c];
      expect(window.current.reduce((a, b) => a + b, 0)).toBeCloseTo(total, 6);
    }
  });

  it('spreads spend evenly over the window for an entry with no spend there, and says so', () => {
    const spend = Float64Array.from(design.spend);
    const media = Float64Array.from(design.media);
    for (let g = 0; g < G; g++) for (let t = T - 4; t < T; t++) {
      spend[(g * T + t) * C] = 0;
      media[(g * T + t) * C] = 0;
    }
    const dark = { ...design, spend, media };
    const window = planningWindow(dark, { periods: 4 });
    expect(window.current[0]).toBe(0);
    expect(window.warnings.join('\n')).toMatch(/tv has no spend in the planning window .* spread evenly/);
    // Media per currency: the channel's whole-data rate, periods equal, geos by their share of tv spend.
    let totalSpend = 0;
    let totalMedia = 0;
    for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) {
      totalSpend += spend[(g * T + t) * C];
      totalMedia += media[(g * T + t) * C];
    }
    let perCurrency = 0;
    for (let g = 0; g < G; g++) for (let j = 0; j < 4; j++) perCurrency += window.mediaPerSpend[(g * C) * 4 + j];
    expect(perCurrency).toBeCloseTo(totalMedia / totalSpend, 12);
    expect(window.mediaPerSpend[0]).toBeCloseTo(window.mediaPerSpend[1], 15);
  });

  it('rejects a window longer than the data', () => {
    expect(() => planningWindow(design, { periods: T + 1 })).toThrow(/periods must be an integer in \[1, 78\]/);
    expect(() => planningWindow(design, { periods: 0 })).toThrow(/periods must be an integer/);
  });
});

/** Per-channel kinds (tv Weibull adstock, search logistic saturation) with search saturating before its adstock. */
const mixedConfig: MmmModelConfig = {
  ...DEFAULT_MODEL_CONFIG,
  adstock: { type: 'geometric', maxLag: 6, byChannel: { tv: { type: 'weibull' } } },
  saturation: { type: 'hill', byChannel: { search: { type: 'logistic' } } },
  order: { type: 'adstockThenSaturation', byChannel: { search: 'saturationThenAdstock' } },
};

describe('host response model', () => {
  const roiConfig: MmmModelConfig = { ...DEFAULT_MODEL_CONFIG, mediaPrior: { type: 'roi' } };
  const variants: [string, MmmModelConfig][] = [
    ['reference', DEFAULT_MODEL_CONFIG],
    ['ROI prior', roiConfig],
    ['logistic, Weibull', { ...DEFAULT_MODEL_CONFIG, saturation: { type: 'logistic' }, adstock: { type: 'weibull', maxLag: 6 } }],
    ['per-channel kinds, search saturation first', mixedConfig],
    ['saturation first, ROI prior', { ...roiConfig, order: { type: 'saturationThenAdstock' } }],
  ];
  const posteriorFor = (config: MmmModelConfig) => {
    const values = { ...truthValues(truth), lambda: Float64Array.of(1.2, 0.7, 2), weibullShape: Float64Array.of(1.5, 0.8, 2), weibullScale: Float64Array.of(2, 1, 3) };
    if (config.mediaPrior.type === 'roi') Object.assign(values, { roi: Float64Array.from(truth.channels.map((c) => truth.derived.roi[c])) });
    return posteriorAround(values, truthShapes(G, C), 2, 2, 0.1, 3);
  };

  for (const [label, config] of variants) {
    it(`at the current plan equals meanKpiHost summed over the window (${label})`, () => {
      const post = posteriorFor(config);
      for (const level of ['channel', 'geo'] as const) {
        const window = planningWindow(design, { periods: 10, level });
        const model = hostResponseModel(windowDraws(design, config, post, window));
        const values = model.evaluate(window.current);
        for (let d = 0; d < 4; d++) expect(relativeError(values[d], windowKpi(design, config, drawAt(post, d), 10))).toBeLessThan(1e-12);
      }
    });
  }

  it('at other plans equals meanKpiHost with the window media rescaled (carryover from before the window included)', () => {
    // (not under an ROI prior: beta stays the actual data's there, while meanKpiHost would derive it from the rescaled media)
    const allFirst: MmmModelConfig = { ...DEFAULT_MODEL_CONFIG, order: { type: 'saturationThenAdstock' } };
    for (const config of [DEFAULT_MODEL_CONFIG, variants[2][1], variants[3][1], allFirst]) {
      const post = posteriorFor(config);
      for (const level of ['channel', 'geo'] as const) {
        const window = planningWindow(design, { periods: 6, level });
        const model = hostResponseModel(windowDraws(design, config, post, window));
        const plan = window.current.map((x, p) => x * (0.4 + 0.3 * (p % 5)));
        const values = model.evaluate(plan);
        const scaled = rescaledDesign(window, plan);
        for (let d = 0; d < 4; d++) expect(relativeError(values[d], windowKpi(scaled, config, drawAt(post, d), 6))).toBeLessThan(1e-12);
        // Zero window spend: only the baseline and the carryover from before the window remain.
        const zero = model.evaluate(new Float64Array(window.entries.length));
        const dark = rescaledDesign(window, new Float64Array(window.entries.length));
        for (let d = 0; d < 4; d++) expect(relativeError(zero[d], windowKpi(dark, config, drawAt(post, d), 6))).toBeLessThan(1e-12);
      }
    }
  });

  it('reports revenue with a value per KPI unit', () => {
    const kpiValue = Float64Array.from({ length: G * T }, (_, n) => 2 + (n % 7) / 10);
    const valued = { ...design, kpiValue };
    const window = planningWindow(valued, { periods: 8 });
    const model = hostResponseModel(windowDraws(valued, DEFAULT_MODEL_CONFIG, posterior, window));
    expect(model.data.unit).toBe('revenue');
    const values = model.evaluate(window.current);
    expect(relativeError(values[0], windowKpi(valued, DEFAULT_MODEL_CONFIG, drawAt(posterior, 0), 8, true))).toBeLessThan(1e-12);
    const kpiModel = hostResponseModel(windowDraws(valued, DEFAULT_MODEL_CONFIG, posterior, window, { unit: 'kpi' }));
    expect(relativeError(kpiModel.evaluate(window.current)[0], windowKpi(valued, DEFAULT_MODEL_CONFIG, drawAt(posterior, 0), 8))).toBeLessThan(1e-12);
    expect(() => windowDraws(design, DEFAULT_MODEL_CONFIG, posterior, window, { unit: 'revenue' })).toThrow(/needs a value per KPI unit/);
  });

  it('entry outcomes add up to the media part of the KPI', () => {
    const window = planningWindow(design, { periods: 10, level: 'geo' });
    const model = hostResponseModel(windowDraws(design, DEFAULT_MODEL_CONFIG, posterior, window));
    const entries = model.entryOutcomes(window.current);
    const values = model.evaluate(window.current);
    const P = window.entries.length;
    for (let d = 0; d < model.drawCount; d++) {
      let media = 0;
      for (let p = 0; p < P; p++) media += entries[d * P + p];
      expect(relativeError(model.data.baseline[d] + media, values[d])).toBeLessThan(1e-13);
    }
  });
});

describe('gradients', () => {
  let channelModel: HostResponseModel;
  let geoModel: HostResponseModel;
  let logisticModel: HostResponseModel;
  let mixedModel: HostResponseModel;
  let mixedFirstModel: HostResponseModel;

  beforeAll(() => {
    channelModel = hostResponseModel(windowDraws(design, DEFAULT_MODEL_CONFIG, posterior, planningWindow(design, { periods: 13 })));
    geoModel = hostResponseModel(windowDraws(design, DEFAULT_MODEL_CONFIG, posterior, planningWindow(design, { periods: 13, level: 'geo' })));
    const logistic = { ...DEFAULT_MODEL_CONFIG, saturation: { type: 'logistic' as const } };
    const values = { ...truthValues(truth), lambda: Float64Array.of(1.2, 0.7, 2) };
    logisticModel = hostResponseModel(windowDraws(design, logistic, posteriorAround(values, truthShapes(G, C), 2, 3, 0.1, 2), planningWindow(design, { periods: 13 })));
    const mixedValues = { ...values, weibullShape: Float64Array.of(1.5, 0.8, 2), weibullScale: Float64Array.of(2, 1, 3) };
    const mixed: MmmModelConfig = { ...mixedConfig, order: undefined };
    mixedModel = hostResponseModel(windowDraws(design, mixed, posteriorAround(mixedValues, truthShapes(G, C), 2, 3, 0.1, 2), planningWindow(design, { periods: 13, level: 'geo' })));
    mixedFirstModel = hostResponseModel(windowDraws(design, mixedConfig, posteriorAround(mixedValues, truthShapes(G, C), 2, 3, 0.1, 2), planningWindow(design, { periods: 13, level: 'geo' })));
  });


  it('the analytic float64 gradient matches central finite differences', () => {
    for (const model of [channelModel, geoModel, logisticModel, mixedModel, mixedFirstModel]) {
      expectGradientMatchesDifferences(model);
    }
  });

  it('marginal returns are the per-draw gradients', () => {
    const plan = planFor(geoModel);
    const P = plan.length;
    const marginal = geoModel.marginalReturns(plan);
    for (let d = 0; d < geoModel.drawCount; d++) {
      const weights = new Float64Array(geoModel.drawCount);
      weights[d] = 1;
      const gradient = geoModel.gradient(plan, weights);
      for (let p = 0; p < P; p++) expect(marginal[d * P + p]).toBeCloseTo(gradient[p], 18);
    }
  });

  it('tfjs autodiff gradients and values match the float64 host model to float32 precision', async () => {
    await initBackend();
    const before = liveTensorCount();
    await expect(tensorResponseModel(mixedFirstModel.data)).rejects.toThrow(/tensor gradient does not handle saturation-first or reach and frequency channels \(search\)/);
    for (const host of [channelModel, geoModel, logisticModel, mixedModel]) {
      const tensor = await tensorResponseModel(host.data);
      const plan = planFor(host);
      const weights = weightsFor(host);
      const hostValues = host.evaluate(plan);
      tensor.evaluate(plan).forEach((y, d) => expect(relativeError(y, hostValues[d])).toBeLessThan(1e-5));
      const hostGradient = host.gradient(plan, weights);
      const tensorGradient = tensor.gradient(plan, weights);
      const scale = Math.max(...hostGradient.map(Math.abs));
      // float32: about 1e-7 relative per operation, sums over up to G x N = 52 cells per entry.
      hostGradient.forEach((g, p) => expect(Math.abs(tensorGradient[p] - g) / scale).toBeLessThan(2e-5));
      // Per-draw plans: row d is weight_d x the gradient of draw d at its own plan.
      const D = host.drawCount;
      const P = plan.length;
      const perDraw = new Float64Array(D * P);
      for (let d = 0; d < D; d++) for (let p = 0; p < P; p++) perDraw[d * P + p] = plan[p] * (1 + 0.1 * d);
      const hostRows = host.gradient(perDraw, weights);
      const tensorRows = tensor.gradient(perDraw, weights);
      const rowScale = Math.max(...hostRows.map(Math.abs));
      hostRows.forEach((g, i) => expect(Math.abs(tensorRows[i] - g) / rowScale).toBeLessThan(2e-5));
      const perDrawValues = host.evaluate(perDraw);
      tensor.evaluate(perDraw).forEach((y, d) => expect(relativeError(y, perDrawValues[d])).toBeLessThan(1e-5));
      tensor.dispose();
    }
    expect(liveTensorCount()).toBe(before);
  });

  it('a subset of draws gives the same per-draw values as the full set', () => {
    const subset = hostResponseModel(subsetWindowDraws(channelModel.data, [4, 1]));
    const plan = planFor(channelModel);
    const all = channelModel.evaluate(plan);
    const some = subset.evaluate(plan);
    expect(some[0]).toBe(all[4]);
    expect(some[1]).toBe(all[1]);
    expect(Array.from(subset.data.drawIndices)).toEqual([channelModel.data.drawIndices[4], channelModel.data.drawIndices[1]]);
  });
});

describe('reach and frequency channels (tv) planned at fixed frequency', () => {
  let rfDesign: MmmDesign;
  let rfConfig: MmmModelConfig;
  let rfPosterior: Posterior;
  beforeAll(async () => {
    const data = withRfChannel(await loadExample('geo'), 'tv');
    rfDesign = designFromData(data, scaleData(data));
    rfConfig = withRfChannels({ ...DEFAULT_MODEL_CONFIG, adstock: { type: 'geometric', maxLag: 6 } }, rfDesign.channelNames, rfDesign.channelKinds);
    const values = { ...truthValues(truth), k: truthValues(truth).k.slice(1), s: truthValues(truth).s.slice(1), k_rf: Float64Array.of(2.2), s_rf: Float64Array.of(2.5) };
    rfPosterior = posteriorAround(values, truthShapes(G, C), 2, 2, 0.1, 9);
  });

  it('equals meanKpiHost with the window reach rescaled (spend scales the reach, the frequency held), with a gradient matching finite differences', () => {
    for (const level of ['channel', 'geo'] as const) {
      const window = planningWindow(rfDesign, { periods: 6, level });
      const model = hostResponseModel(windowDraws(rfDesign, rfConfig, rfPosterior, window));
      expect(model.data.rf).toEqual([true, false, false]);
      for (const plan of [window.current, window.current.map((x, p) => x * (0.4 + 0.3 * (p % 5)))]) {
        const values = model.evaluate(plan);
        const scaled = rescaledDesign(window, plan, rfDesign);
        for (let d = 0; d < 4; d++) expect(relativeError(values[d], windowKpi(scaled, rfConfig, drawAt(rfPosterior, d), 6))).toBeLessThan(1e-12);
      }
      expectGradientMatchesDifferences(model);
    }
  });

  it('at a fixed frequency f equals meanKpiHost with the window cells at f and reach = impressions / f', () => {
    const window = planningWindow(rfDesign, { periods: 6, level: 'channel' });
    const f = 2.5;
    const model = hostResponseModel(windowDraws(rfDesign, rfConfig, rfPosterior, window, { atFrequency: { tv: f } }));
    const plan = window.current.map((x, p) => x * (0.6 + 0.3 * p));
    const scaled = rescaledDesign(window, plan, rfDesign);
    const media = Float64Array.from(scaled.media);
    const frequency = Float64Array.from(rfDesign.rfFrequency as Float64Array);
    for (let g = 0; g < G; g++) {
      for (let t = window.start; t < T; t++) {
        const n = (g * T + t) * C;
        if (!(media[n] > 0)) continue;
        media[n] = (media[n] * frequency[n]) / f;
        frequency[n] = f;
      }
    }
    const values = model.evaluate(plan);
    for (let d = 0; d < 4; d++) expect(relativeError(values[d], windowKpi({ ...scaled, media, rfFrequency: frequency }, rfConfig, drawAt(rfPosterior, d), 6))).toBeLessThan(1e-12);
    expect(() => windowDraws(rfDesign, rfConfig, rfPosterior, window, { atFrequency: { search: 2 } })).toThrow(/not a reach and frequency channel/);
  });

  it('the tensor gradient refuses reach and frequency channels', async () => {
    await initBackend();
    const model = hostResponseModel(windowDraws(rfDesign, rfConfig, rfPosterior, planningWindow(rfDesign, { periods: 6 })));
    await expect(tensorResponseModel(model.data)).rejects.toThrow(/reach and frequency channels \(tv\)/);
  });
});
