import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import {
  loadMmmData,
  scaleData,
  scaleWith,
  kpiToOriginal,
  kpiToScaled,
  spendToOriginal,
  spendToScaled,
  mediaToOriginal,
  controlToOriginal,
  controlToScaled,
  kpiTensorToOriginal,
  kpiUnit,
  fourierFeatures,
  trendFeature,
} from '../src/data/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/data/${name}`, import.meta.url));

// national.csv columns, typed out by hand
const TV = [1000, 0, 0, 1500, 1500, 0, 0, 800, 800, 0, 0, 1200];
const SEARCH = [200, 250, 240, 260, 210, 220, 230, 240, 250, 260, 270, 280];
const PRICE = [1.0, 1.02, 0.98, 1.0, 1.01, 0.99, 1.03, 1.0, 0.97, 1.0, 1.02, 1.0];
const SALES = [5000, 5200, 4900, 6100, 6000, 5300, 5100, 5600, 5800, 5400, 5000, 6200];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('scaleData (reference-model conventions)', () => {
  it('spend / channel mean, KPI / overall mean, controls standardized with the sample sd, events untouched', async () => {
    const data = await loadMmmData(fixture('national.csv'), { controls: ['price'], events: ['holiday'] });
    const s = scaleData(data);
    // hand values: mean tv = 6800/12, mean sales = 65600/12
    expect(s.scaling.spendMean[0]).toBeCloseTo(6800 / 12, 12);
    expect(s.scaling.spendMean[1]).toBeCloseTo(mean(SEARCH), 12);
    expect(s.scaling.kpiMean).toBeCloseTo(65600 / 12, 10);
    expect(s.spend[3 * 2 + 0]).toBeCloseTo(1500 / (6800 / 12), 14);
    expect(s.kpi[3]).toBeCloseTo(6100 / (65600 / 12), 14);
    // media = spend without impressions, so identical scaling
    expect(Array.from(s.media)).toEqual(Array.from(s.spend));
    const pm = mean(PRICE);
    const sampleSd = Math.sqrt(PRICE.reduce((a, x) => a + (x - pm) ** 2, 0) / (PRICE.length - 1));
    expect(s.scaling.controlMean[0]).toBeCloseTo(pm, 14);
    expect(s.scaling.controlSd[0]).toBeCloseTo(sampleSd, 14);
    expect(s.controls[6]).toBeCloseTo((1.03 - pm) / sampleSd, 12);
    // standardized controls: mean 0, sample sd 1
    const zs = Array.from(s.controls);
    expect(mean(zs)).toBeCloseTo(0, 14);
    expect(Math.sqrt(zs.reduce((a, z) => a + z * z, 0) / (zs.length - 1))).toBeCloseTo(1, 14);
    // each scaled channel and the KPI have mean 1
    expect(mean(Array.from({ length: 12 }, (_, t) => s.spend[t * 2]))).toBeCloseTo(1, 14);
    expect(mean(Array.from(s.kpi))).toBeCloseTo(1, 14);
    expect(Array.from(s.events)).toEqual(Array.from(data.events));
    expect(s.scaling.populationScaling).toBe(false);
    // the unscaled data are not modified
    expect(Array.from({ length: 12 }, (_, t) => data.spend[t * 2])).toEqual(TV);
    expect(Array.from(data.kpi)).toEqual(SALES);
  });

  it('reverse functions undo the scaling', async () => {
    const data = await loadMmmData(fixture('national.csv'), { controls: ['price'] });
    const { scaling, spend, kpi, controls } = scaleData(data);
    expect(kpiToOriginal(scaling, kpi[5])).toBeCloseTo(5300, 9);
    expect(kpiToScaled(scaling, 5300)).toBeCloseTo(kpi[5], 14);
    expect(spendToOriginal(scaling, 1, spend[5 * 2 + 1])).toBeCloseTo(220, 10);
    expect(spendToScaled(scaling, 1, 220)).toBeCloseTo(spend[5 * 2 + 1], 14);
    expect(mediaToOriginal(scaling, 0, 1)).toBeCloseTo(6800 / 12, 10);
    expect(controlToOriginal(scaling, 0, controls[6])).toBeCloseTo(1.03, 14);
    expect(controlToScaled(scaling, 0, 1.03)).toBeCloseTo(controls[6], 12);
    expect(Array.from(kpiTensorToOriginal(scaling, kpi)).map((v) => Math.round(v * 1e6) / 1e6)).toEqual(SALES);
    expect(() => spendToOriginal(scaling, 2, 1)).toThrow(/outside \[0, 2\)/);
  });

  it('population scaling (opt-in): per-capita media, spend and KPI before the mean scaling; controls untouched', async () => {
    const data = await loadMmmData(fixture('geo_interleaved.csv'));
    const plain = scaleData(data);
    const pc = scaleData(data, { populationScaling: true });
    const { G, T, C } = data;
    const pop = data.population!;
    let kpiPerCapita = 0;
    for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) kpiPerCapita += data.kpi[g * T + t] / pop[g];
    kpiPerCapita /= G * T;
    expect(pc.scaling.kpiMean).toBeCloseTo(kpiPerCapita, 14);
    // GeoB (g = 1), t = 2: 2200 conversions, population 120000
    expect(pc.kpi[1 * T + 2]).toBeCloseTo(2200 / 120000 / kpiPerCapita, 12);
    let impPerCapita = 0;
    for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) impPerCapita += data.media[(g * T + t) * C] / pop[g];
    impPerCapita /= G * T;
    expect(pc.scaling.mediaMean[0]).toBeCloseTo(impPerCapita, 10);
    expect(pc.media[(2 * T + 1) * C]).toBeCloseTo(5000 / 30000 / impPerCapita, 12);
    expect(Array.from(pc.controls)).toEqual(Array.from(plain.controls));
    // back to original units needs the geo
    expect(() => kpiToOriginal(pc.scaling, 1)).toThrow(/geo index/);
    expect(kpiUnit(pc.scaling, 1)).toBeCloseTo(kpiPerCapita * 120000, 8);
    const back = kpiTensorToOriginal(pc.scaling, pc.kpi);
    for (let n = 0; n < G * T; n++) expect(back[n]).toBeCloseTo(data.kpi[n], 8);
    expect(spendToOriginal(pc.scaling, 0, pc.spend[(2 * T + 1) * C], 2)).toBeCloseTo(50, 10);
  });

  it('kpi "none": the KPI is used as it is (kpiMean 1, so reported numbers are the KPI\'s own), media and controls scaled as before', async () => {
    const data = await loadMmmData(fixture('national.csv'), { controls: ['price'] });
    const scaled = scaleData(data);
    const unscaled = scaleData(data, { kpi: 'none' });
    expect(unscaled.scaling.kpiScaling).toBe('none');
    expect(scaled.scaling.kpiScaling).toBe('mean');
    expect(unscaled.scaling.kpiMean).toBe(1);
    expect(Array.from(unscaled.kpi)).toEqual(SALES);
    expect(Array.from(unscaled.media)).toEqual(Array.from(scaled.media));
    expect(Array.from(unscaled.controls)).toEqual(Array.from(scaled.controls));
    expect(kpiToOriginal(unscaled.scaling, 5300)).toBe(5300);
    expect(Array.from(kpiTensorToOriginal(unscaled.scaling, unscaled.kpi))).toEqual(SALES);
    // with population scaling the KPI is per capita, still not divided by its mean
    const geo = await loadMmmData(fixture('geo_interleaved.csv'));
    const perCapita = scaleData(geo, { populationScaling: true, kpi: 'none' });
    expect(perCapita.kpi[1 * geo.T + 2]).toBe(2200 / 120000);
    expect(kpiUnit(perCapita.scaling, 1)).toBe(120000);
    expect(() => scaleData(data, { kpi: 'median' as never })).toThrow('scaleData: kpi must be "mean" or "none", got "median"');
  });

  it('scaleWith: data scaled with its own constants is scaleData; other data keeps the given constants', async () => {
    const geo = await loadMmmData(fixture('geo_interleaved.csv'));
    for (const populationScaling of [false, true]) {
      const own = scaleData(geo, { populationScaling });
      const again = scaleWith(geo, own.scaling);
      for (const key of ['spend', 'media', 'controls', 'treatments', 'kpi', 'events'] as const) {
        again[key].forEach((x, i) => expect(x).toBeCloseTo(own[key][i], 12));
      }
      expect(again.scaling).toBe(own.scaling);
    }
    // Doubled spend and KPI on the first scaling: twice the scaled values, not the data's own mean scaling (1 on average).
    const doubled = { ...geo, spend: geo.spend.map((x) => 2 * x), media: geo.media.map((x) => 2 * x), kpi: geo.kpi.map((x) => 2 * x) };
    const first = scaleData(geo, { populationScaling: true });
    const scaled = scaleWith(doubled, first.scaling);
    scaled.media.forEach((x, i) => expect(x).toBeCloseTo(2 * first.media[i], 12));
    scaled.kpi.forEach((x, i) => expect(x).toBeCloseTo(2 * first.kpi[i], 12));
    expect(() => scaleWith({ ...geo, G: 1 }, first.scaling)).toThrow(/the data has 1 geos, the scaling 3/);
  });

  it('population scaling without a population column is refused', async () => {
    const data = await loadMmmData(fixture('national.csv'));
    expect(() => scaleData(data, { populationScaling: true })).toThrow(/population column/);
  });
});

describe('time features', () => {
  it('Fourier columns in the Stan order [sin(2πt/52), cos(2πt/52), sin(4πt/52), cos(4πt/52)], t = 1..T', () => {
    const f = fourierFeatures(104, 2);
    expect(f.length).toBe(104 * 4);
    const w = 2 * Math.PI / 52;
    expect(f[0]).toBeCloseTo(Math.sin(w), 15);
    expect(f[1]).toBeCloseTo(Math.cos(w), 15);
    expect(f[2]).toBeCloseTo(Math.sin(2 * w), 15);
    expect(f[3]).toBeCloseTo(Math.cos(2 * w), 15);
    // t = 52 closes a full cycle; t = 53 repeats t = 1
    expect(f[51 * 4 + 1]).toBeCloseTo(1, 14);
    expect(f[51 * 4]).toBeCloseTo(0, 14);
    for (let j = 0; j < 4; j++) expect(f[52 * 4 + j]).toBeCloseTo(f[j], 13);
    const daily = fourierFeatures(3, 1, 365.25);
    expect(daily[2]).toBeCloseTo(Math.sin((2 * Math.PI * 2) / 365.25), 15);
    expect(fourierFeatures(5, 0).length).toBe(0);
  });

  it('trend (t - 1)/(T - 1)', () => {
    expect(Array.from(trendFeature(5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(() => trendFeature(1)).toThrow(/T must be an integer >= 2/);
  });
});
