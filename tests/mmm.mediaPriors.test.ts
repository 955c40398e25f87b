/**
 * Meridian's media prior types beyond the ROI prior (issue 19; components/coefficients.ts): the
 * parameter table under the contribution and mROI priors; the ROI prior derived from kpiShare
 * against a hand computation from the CSV (Meridian's prior_distribution.py
 * `_get_total_media_contribution_prior`); and, through prior predictive draws, that the derived m
 * makes the analysis layer's own outcome share and marginal ROI (src/analysis/mediaAnalysis.ts,
 * computed independently from whole series) equal the drawn parameter. The kernel's value and
 * gradient are checked in tests/mmm.kernel.test.ts.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeMedia, healthCheck, priorRoiRanges, type MediaAnalysis } from '../src/analysis/index.js';
import { scaleData } from '../src/data/index.js';
import { DEFAULT_MODEL_CONFIG, type MmmModelConfig } from '../models/mmm/config.js';
import { describeMediaPrior, kpiSharePrior, totalOutcome } from '../models/mmm/components/coefficients.js';
import { designFromData, type MmmDesign } from '../models/mmm/design.js';
import { mediaCoefficientsHost, saturatedMediaHost } from '../models/mmm/hostModel.js';
import { mmmParameters } from '../models/mmm/parameters.js';
import { samplePriorPredictive } from '../models/mmm/priorPredictive.js';
import { initBackend } from '../src/tensor/index.js';
import { loadExample, loadExampleWith } from './support/examples.js';

let geo: MmmDesign;
let national: MmmDesign;
let organic: MmmDesign;
/** The geo example with a value per KPI unit (revenue per KPI) varying by geo and period. */
let revenue: MmmDesign;

beforeAll(async () => {
  await initBackend();
  const design = async (which: 'geo' | 'national') => {
    const data = await loadExample(which);
    return designFromData(data, scaleData(data));
  };
  geo = await design('geo');
  national = await design('national');
  const organicData = await loadExampleWith('geo', (spec) => ({ ...spec, channels: spec.channels?.filter((ch) => ch.name !== 'social'), organic: [{ name: 'social', media: 'social_spend' }] }));
  organic = designFromData(organicData, scaleData(organicData));
  revenue = { ...geo, kpiValue: Float64Array.from({ length: geo.kpi.length }, (_, n) => 2 + Math.sin(n / 7)) };
});

const withPrior = (mediaPrior: MmmModelConfig['mediaPrior'], extra: Partial<MmmModelConfig> = {}): MmmModelConfig => ({ ...DEFAULT_MODEL_CONFIG, mediaPrior, ...extra });

describe('parameter table', () => {
  it('contribution: every channel (organic ones too) takes p in (0, 1) with Meridian\'s Beta(1, 99); no m', () => {
    for (const design of [geo, organic]) {
      const table = mmmParameters(design, withPrior({ type: 'contribution' }));
      const row = table.find((r) => r.name === 'contribution')!;
      expect(row.shape).toEqual([3]);
      expect(row.elementNames).toEqual(design.channelNames);
      expect(row.support).toEqual({ kind: 'unit' });
      expect(row.prior).toEqual({ kind: 'config', spec: { dist: 'beta', a: 1, b: 99 } });
      expect(table.some((r) => r.name === 'm' || r.name === 'roi' || r.name === 'mroi')).toBe(false);
    }
  });

  it('mROI: paid channels take mroi > 0 with Meridian\'s LogNormal(0, 0.5); organic channels keep m', () => {
    const table = mmmParameters(organic, withPrior({ type: 'mroi' }));
    const row = table.find((r) => r.name === 'mroi')!;
    expect(row.elementNames).toEqual(['tv', 'search']);
    expect(row.support).toEqual({ kind: 'positive' });
    expect(row.prior).toEqual({ kind: 'config', spec: { dist: 'logNormal', mu: 0, sigma: 0.5 } });
    expect(table.find((r) => r.name === 'm')!.elementNames).toEqual(['social']);
  });
});

describe('ROI prior from kpiShare (Meridian: media explains p_mean +- p_sd of the KPI)', () => {
  it('matches a hand computation from the CSV, and its draws give media that explain 0.4 +- 0.2 of the KPI', () => {
    // independent: read the national example's columns directly
    const [header, ...lines] = readFileSync('examples/national.csv', 'utf8').trim().split('\n');
    const columns = header.split(',');
    const column = (name: string) => lines.map((line) => Number(line.split(',')[columns.indexOf(name)]));
    const kpi = column('sales').reduce((a, b) => a + b, 0);
    const spends = ['tv_spend', 'search_spend', 'social_spend'].map((name) => column(name).reduce((a, b) => a + b, 0));
    const roiMean = (0.4 * kpi) / (spends[0] + spends[1] + spends[2]);
    const roiSd = (0.2 * kpi) / Math.sqrt(spends[0] ** 2 + spends[1] ** 2 + spends[2] ** 2);
    const sigma = Math.sqrt(Math.log(roiSd ** 2 / roiMean ** 2 + 1));
    const mu = Math.log(roiMean) - sigma ** 2 / 2;

    const config = withPrior({ type: 'roi', kpiShare: { mean: 0.4, sd: 0.2 } });
    const spec = kpiSharePrior(national, { mean: 0.4, sd: 0.2 });
    // the KPI total goes through the scaling and back: rounding only
    expect(Math.abs(spec.mu - mu)).toBeLessThan(1e-12 * Math.abs(mu) + 1e-13);
    expect(Math.abs(spec.sigma / sigma - 1)).toBeLessThan(1e-12);
    expect(Math.abs(totalOutcome(national) / kpi - 1)).toBeLessThan(1e-12);
    expect(mmmParameters(national, config).find((r) => r.name === 'roi')!.prior).toEqual({ kind: 'config', spec: { dist: 'logNormal', mu: spec.mu, sigma: spec.sigma } });
    expect(describeMediaPrior(national, config)).toMatch(/^media prior: ROI, one logNormal\(.+\) for every paid channel from media explaining 0\.4 \+- 0\.2 of the total KPI/);

    // Meridian's construction: sum_c roi_c S_c / KPI has mean 0.4 and sd 0.2 under the prior
    const n = 4000;
    const prior = samplePriorPredictive(national, config, { draws: n, seed: 3, kpi: false });
    const roi = prior.variable('roi').values;
    const share = Float64Array.from({ length: n }, (_, d) => (roi[d * 3] * spends[0] + roi[d * 3 + 1] * spends[1] + roi[d * 3 + 2] * spends[2]) / kpi);
    const mean = share.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(share.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    // 4 Monte Carlo standard errors of the mean (sd 0.2); the sample sd of this skewed sum within 15%
    expect(Math.abs(mean - 0.4)).toBeLessThan((4 * 0.2) / Math.sqrt(n));
    expect(Math.abs(sd / 0.2 - 1)).toBeLessThan(0.15);
  });

  it('is applied only when asked: the default ROI prior stays, and the fit\'s log line says what Meridian would do', () => {
    const config = withPrior({ type: 'roi' });
    expect(mmmParameters(national, config).find((r) => r.name === 'roi')!.prior).toEqual({ kind: 'config', spec: { dist: 'logNormal', mu: 0.2, sigma: 0.9 } });
    expect(describeMediaPrior(national, config)).toMatch(/default logNormal\(0\.2, 0\.9\) per paid channel on a KPI without revenue .* set model\.mediaPrior\.kpiShare to true/);
    expect(describeMediaPrior(revenue, config)).toBe('media prior: ROI (roi), m derived per draw');
    expect(describeMediaPrior(national, DEFAULT_MODEL_CONFIG)).toBeUndefined();
  });
});

describe('the derived m gives the analysis layer\'s quantities back', () => {
  it('contribution: channel contribution (x value) / total outcome = p, over the whole period and over a window', () => {
    const window = { from: '2023-03-01', to: '2023-09-30' };
    for (const design of [geo, revenue, organic]) {
      const config = withPrior({ type: 'contribution' });
      const prior = samplePriorPredictive(design, config, { draws: 40, seed: 5, kpi: false });
      const analysis = analyzeMedia(design, config, prior, { byDate: false, byGeoDate: false, mroi: false });
      const C = design.channelNames.length;
      const outcome = totalOutcome(design);
      analysis.drawIndices.forEach((index, d) => {
        const p = prior.drawValues(0, index).contribution;
        for (let c = 0; c < C; c++) {
          const contribution = (analysis.perDraw.revenue ?? analysis.perDraw.contribution)[d * C + c];
          expect(Math.abs(contribution / outcome / p[c] - 1)).toBeLessThan(1e-12);
        }
      });
      // a window on tv: tv's share of the outcome within the window is p; the others' over the whole period
      const windowed = withPrior({ type: 'contribution', window: { tv: window } });
      const windowDraws = samplePriorPredictive(design, windowed, { draws: 5, seed: 6, kpi: false });
      const G = design.geoNames.length;
      const T = design.dates.length;
      for (let d = 0; d < 5; d++) {
        const values = windowDraws.drawValues(0, d);
        const saturated = saturatedMediaHost(design, windowed, values);
        const beta = mediaCoefficientsHost(design, windowed, values, saturated);
        let contribution = 0;
        let outcomeInWindow = 0;
        for (let g = 0; g < G; g++) {
          for (let t = 0; t < T; t++) {
            if (design.dates[t] < window.from || design.dates[t] > window.to) continue;
            const n = g * T + t;
            const value = design.kpiValue ? design.kpiValue[n] : 1;
            contribution += beta[g * C] * saturated[n * C] * design.kpiUnit[g] * value;
            outcomeInWindow += design.kpi[n] * design.kpiUnit[g] * value;
          }
        }
        expect(Math.abs(contribution / outcomeInWindow / values.contribution[0] - 1)).toBeLessThan(1e-12);
      }
    }
  });

  it('mROI: the analyzed marginal ROI (+1% media, beta at the data) = mroi; organic channels have none', () => {
    for (const design of [geo, revenue, organic]) {
      for (const extra of [{}, { saturation: { type: 'logistic' as const }, adstock: { type: 'weibull' as const, maxLag: 6 } }]) {
        const config = withPrior({ type: 'mroi' }, extra);
        const prior = samplePriorPredictive(design, config, { draws: 30, seed: 9, kpi: false });
        const analysis = analyzeMedia(design, config, prior, { byDate: false, byGeoDate: false });
        const C = design.channelNames.length;
        analysis.drawIndices.forEach((index, d) => {
          const mroi = prior.drawValues(0, index).mroi;
          let slot = 0;
          for (let c = 0; c < C; c++) {
            const value = analysis.perDraw.mroi[d * C + c];
            if (!analysis.paid[c]) {
              expect(value).toBeNaN();
              continue;
            }
            // a difference of saturation values (1% apart) over a sum: ~1e-13 relative
            expect(Math.abs(value / mroi[slot++] - 1)).toBeLessThan(1e-9);
          }
        });
      }
    }
  });
});

describe('prior ranges and the health check under an mROI prior', () => {
  it('priorRoiRanges adds the prior mROI (reproducing LogNormal(0, 0.5)) to the prior ROI', () => {
    const draws = 1500;
    const rows = priorRoiRanges(geo, withPrior({ type: 'mroi' }), { draws, seed: 4 });
    expect(rows.filter((r) => r.metric === 'roi').length).toBe(3);
    const marginal = rows.filter((r) => r.metric === 'mroi');
    expect(marginal.map((r) => r.channel)).toEqual(geo.channelNames);
    // SE of the sample median of log mROI: sqrt(0.25 / n) / density at the median (1 / (0.5 sqrt(2 pi)))
    const se = Math.sqrt(0.25 / draws) * 0.5 * Math.sqrt(2 * Math.PI);
    for (const row of marginal) expect(Math.abs(Math.log(row.median))).toBeLessThan(4 * se);
  });

  it('flags a posterior median mROI outside its prior 1%-99% range', () => {
    const media = { channels: [
      { metric: 'roi', unit: 'kpiPerSpend', channel: 'tv', median: 1 },
      { metric: 'mroi', unit: 'kpiPerSpend', channel: 'tv', median: 5 },
    ] } as unknown as MediaAnalysis;
    const priorRoi = [
      { channel: 'tv', metric: 'roi' as const, q01: 0.2, median: 1, q99: 4, draws: 100 },
      { channel: 'tv', metric: 'mroi' as const, q01: 0.3, median: 1, q99: 3, draws: 100 },
    ];
    const flag = healthCheck({ media: { ...media, geoNames: [], dates: [], mean: { baseline: new Float64Array(0) } } as unknown as MediaAnalysis, priorRoi }).find((f) => f.code === 'roiOutsidePrior')!;
    expect(flag.level).toBe('warning');
    expect(flag.message).toMatch(/posterior median ROI and mROI outside the prior 1%-99% range for tv mROI 5\.00 vs prior \[0\.30, 3\.00\]/);
    expect(flag.subjects).toEqual(['tv']);
  });
});
