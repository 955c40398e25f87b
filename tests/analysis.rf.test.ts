/**
 * Reach and frequency channels in the analysis layer, on the geo example with tv as a reach and
 * frequency channel (tests/support/examples.ts withRfChannel) and draws around known values
 * (tests/fixtures/analysis/examplePosterior.ts): the channel's ROI is linear in its spend (spend
 * scales the reach at fixed frequency, Meridian's convention), so its mROI equals its ROI; its
 * saturation curve is over the frequency; the optimal-frequency rows equal an independent
 * computation that rebuilds the design at each grid frequency (reach = impressions / f) and runs the
 * model's float64 host transform; and configs that give an rf channel another saturation or order
 * are refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { scaleData, type MmmData } from '../src/data/index.js';
import { ConfigError } from '../src/config/index.js';
import { analyzeMedia, drawAt, optimalFrequency, saturationCurves, selectDraws, frequencyGrid } from '../src/analysis/index.js';
import { DEFAULT_MODEL_CONFIG, type MmmModelConfig } from '../models/mmm/config.js';
import { designFromData, type MmmDesign } from '../models/mmm/design.js';
import { mediaCoefficientsHost, saturatedMediaHost } from '../models/mmm/hostModel.js';
import { checkModelConfigAgainstData, parseModelConfig } from '../models/mmm/parseConfig.js';
import { withRfChannels } from '../models/mmm/components/transformKinds.js';
import { createGeoMmm } from '../models/mmm/model.js';
import { posteriorAround, readGeoTruth, truthShapes, truthValues } from './fixtures/analysis/examplePosterior.js';
import { loadExample, withRfChannel } from './support/examples.js';
import type { Posterior } from '../src/ppl/index.js';

describe('reach and frequency channels in the analysis', () => {
  let data: MmmData;
  let design: MmmDesign;
  let config: MmmModelConfig;
  let posterior: Posterior;
  const TV = 0;
  beforeAll(async () => {
    data = withRfChannel(await loadExample('geo'), 'tv');
    design = designFromData(data, scaleData(data));
    config = withRfChannels(DEFAULT_MODEL_CONFIG, design.channelNames, design.channelKinds);
    const values = truthValues(readGeoTruth());
    // tv's Hill is on the frequency: k_rf, s_rf (an S-shaped curve, so f* is inside the grid)
    values.k = values.k.slice(1);
    values.s = values.s.slice(1);
    values.k_rf = Float64Array.of(2.2);
    values.s_rf = Float64Array.of(2.5);
    posterior = posteriorAround(values, truthShapes(design.geoNames.length, design.channelNames.length), 2, 20, 0.1, 5);
  });

  it('lays out k_rf and s_rf over the rf channel only', () => {
    expect(design.channelKinds?.[TV]).toBe('rf');
    const model = createGeoMmm(design, config);
    expect(model.definition.parameters.k_rf.shape).toEqual([1]);
    expect(model.definition.parameters.k.shape).toEqual([2]);
    model.definition.dispose?.();
  });

  it('a config without the data\'s rf channels is refused by the model', () => {
    expect(() => createGeoMmm(design, DEFAULT_MODEL_CONFIG)).toThrow(/reach and frequency channels/);
  });

  it('the rf channel\'s mROI equals its ROI (linear in reach), the other channels\' does not', () => {
    const analysis = analyzeMedia(design, config, posterior, { maxDraws: 10 });
    const D = analysis.drawIndices.length;
    const C = design.channelNames.length;
    for (let d = 0; d < D; d++) {
      const { roi, mroi } = analysis.perDraw;
      // float64 sums of the same terms times 1.01 - 1: rounding ~1e-12 relative
      expect(Math.abs(mroi[d * C + TV] - roi[d * C + TV])).toBeLessThan(1e-8 * Math.abs(roi[d * C + TV]));
      expect(mroi[d * C + 1]).toBeLessThan(roi[d * C + 1]);
    }
  });

  it('the rf channel\'s saturation curve is over its frequency', () => {
    const rows = saturationCurves(design, config, posterior, { maxDraws: 5, points: 5 }).filter((r) => r.channel === 'tv');
    let largest = 0;
    design.rfFrequency?.forEach((f) => (largest = Math.max(largest, f)));
    expect(rows.every((r) => r.input === 'frequency')).toBe(true);
    expect(rows[4].scaledMedia).toBeCloseTo(1.2 * largest, 12);
    expect(rows[4].media).toBe(rows[4].scaledMedia);
  });

  it('optimal frequency: the ROI over the grid equals the model rebuilt at each frequency with reach = impressions / f', () => {
    const grid = [1, 1.5, 2, 3, 4, 6];
    const result = optimalFrequency(design, config, posterior, { grid, maxDraws: 8 });
    expect(result.optimal.map((r) => r.channel)).toEqual(['tv']);
    expect(result.curve).toHaveLength(grid.length);
    const drawIndices = selectDraws(posterior, 8);
    const D = drawIndices.length;
    const G = design.geoNames.length;
    const T = design.dates.length;
    const C = design.channelNames.length;
    let spend = 0;
    for (let n = 0; n < G * T; n++) spend += design.spend[n * C + TV];
    const roi = grid.map(() => new Float64Array(D));
    for (let d = 0; d < D; d++) {
      const values = drawAt(posterior, drawIndices[d]);
      const beta = mediaCoefficientsHost(design, config, values, saturatedMediaHost(design, config, values));
      grid.forEach((f, j) => {
        const media = Float64Array.from(design.media);
        const frequency = Float64Array.from(design.rfFrequency as Float64Array);
        for (let n = 0; n < G * T; n++) {
          const impressions = design.media[n * C + TV] * (design.rfFrequency as Float64Array)[n * C + TV];
          media[n * C + TV] = impressions / f;
          frequency[n * C + TV] = impressions > 0 ? f : 0;
        }
        const h = saturatedMediaHost({ ...design, media, rfFrequency: frequency }, config, values);
        let total = 0;
        for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) total += beta[g * C + TV] * design.kpiUnit[g] * h[(g * T + t) * C + TV];
        roi[j][d] = total / spend;
      });
    }
    const means = roi.map((r) => r.reduce((a, b) => a + b, 0) / D);
    // the same sums in another order: 1e-10 relative
    result.curve.forEach((row, j) => expect(Math.abs(row.mean - means[j])).toBeLessThan(1e-10 * Math.abs(means[j])));
    const best = means.indexOf(Math.max(...means));
    expect(result.optimal[0].optimalFrequency).toBe(grid[best]);
    expect(result.curve.filter((r) => r.optimal).map((r) => r.frequency)).toEqual([grid[best]]);
    const argmax = Array.from({ length: D }, (_, d) => grid[roi.reduce((b, r, j) => (r[d] > roi[b][d] ? j : b), 0)]).sort((a, b) => a - b);
    expect(result.optimal[0].q05).toBeGreaterThanOrEqual(argmax[0]);
    expect(result.optimal[0].q95).toBeLessThanOrEqual(argmax[D - 1]);
    // an S-shaped Hill (s_rf 2.5, k_rf 2.2): f* inside the grid
    expect(grid[best]).toBeGreaterThan(1);
    expect(grid[best]).toBeLessThan(6);
  });

  it('the default grid runs from 1 in steps of 0.1 up to the largest frequency', () => {
    expect(frequencyGrid(1.55)).toEqual([1, 1.1, 1.2, 1.3, 1.4, 1.5]);
    expect(frequencyGrid(0.5)).toEqual([1]);
  });

  it('refuses a saturation or order override on an rf channel', () => {
    const file = 'rf.json';
    for (const model of [{ saturation: { type: 'hill', byChannel: { tv: { type: 'logistic' } } } }, { order: { type: 'adstockThenSaturation', byChannel: { tv: 'adstockThenSaturation' } } }]) {
      const parsed = withRfChannels(parseModelConfig(model, file), design.channelNames, design.channelKinds);
      expect(() => checkModelConfigAgainstData(parsed, design.channelNames, file)).toThrow(ConfigError);
      expect(() => checkModelConfigAgainstData(parsed, design.channelNames, file)).toThrow(/reach and frequency channel/);
    }
    // k_rf and s_rf priors are configurable
    const priors = parseModelConfig({ priors: { k_rf: { dist: 'logNormal', mu: 1, sigma: 0.3 }, s_rf: { dist: 'gamma', shape: 2, rate: 1 } } }, file);
    expect(priors.priors.k_rf).toEqual({ dist: 'logNormal', mu: 1, sigma: 0.3 });
  });
});
