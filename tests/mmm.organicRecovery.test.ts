/**
 * Organic channels and non-media treatments (Meridian's organic media and non_media_treatments),
 * recovered on data simulated from the model: the bundled national example (examples/national.csv,
 * generated from the reference model with examples/national.truth.json) read with social as an
 * organic channel (its spend column as the exposure) and price as a non-media treatment. Both roles
 * give the same mean as before (a channel's media input is its spend either way; a treatment is
 * standardized as the control was, so its coefficient is the control's gamma), so the true
 * organic contribution and treatment contribution follow from the truth file.
 *
 * Rule: a short fit (4 chains x 150 warmup + 150 draws, fixed seed) covers the true organic
 * contribution, the true treatment contribution (against the treatment's minimum) and the true
 * treatment coefficient with its 90% intervals, and the two paid channels' ROI. Five 90% intervals
 * all cover with probability ~0.9^5 = 0.59 if independent, but they are not a random test: the seed
 * is fixed and the same fit covered all of them; a wrong sign, scale or baseline moves a
 * contribution by far more than its interval width (checked below: the interval excludes the
 * contribution measured against the maximum instead).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { scaleData, type MmmData } from '../src/data/index.js';
import { fitMmm, type MmmFit } from '../src/mmm/fit.js';
import { buildReport, type MmmReport } from '../src/mmm/report.js';
import { analyzeMedia } from '../src/analysis/index.js';
import { Posterior } from '../src/ppl/index.js';
import { DEFAULT_MODEL_CONFIG, type MmmModelConfig } from '../models/mmm/config.js';
import { designFromData } from '../models/mmm/design.js';
import { mmmParameters } from '../models/mmm/parameters.js';
import { loadExampleWith } from './support/examples.js';
import { evaluateScenario, planningWindow, resolvePlan, scenarioRows } from '../src/optimize/index.js';

interface Truth {
  params: Record<string, number | number[]>;
  derived: { roi: Record<string, number> };
}

const truth = JSON.parse(readFileSync('examples/national.truth.json', 'utf8')) as Truth;

function organicData(baseline: 'min' | 'max' = 'min'): Promise<MmmData> {
  return loadExampleWith('national', (spec) => ({
    ...spec,
    channels: spec.channels?.filter((ch) => ch.name !== 'social'),
    organic: [{ name: 'social', media: 'social_spend' }],
    controls: [],
    treatments: [{ column: 'price', baseline }],
  }));
}

/** The truth as a one-draw posterior of the organic + treatment model (gamma is the treatment's coefficient). */
function truthPosterior(): Posterior {
  const { gamma, ...rest } = truth.params;
  const values = { ...rest, treatment: gamma };
  return new Posterior(1, 1, Object.entries(values).map(([name, value]) => {
    const flat = Array.isArray(value) ? value : [value];
    return { name, shape: Array.isArray(value) ? [flat.length] : [], kind: 'parameter' as const, values: Float64Array.from(flat) };
  }));
}

describe('organic channel and non-media treatment (national example, social organic, price a treatment)', () => {
  let data: MmmData;
  let fit: MmmFit;
  let report: MmmReport;

  beforeAll(async () => {
    data = await organicData();
    fit = await fitMmm(data, { model: {} }, { chains: 4, warmup: 150, draws: 150, seed: 20240104, progress: false, verbose: false });
    report = buildReport(fit, { priorDraws: 200 });
  }, 900_000);

  it('loads with the roles as named: social organic with spend 0, price a treatment measured from its minimum', () => {
    expect(data.channelNames).toEqual(['tv', 'search', 'social']);
    expect(data.channelKinds).toEqual(['paid', 'paid', 'organic']);
    expect(data.controlNames).toEqual([]);
    expect(data.treatmentNames).toEqual(['price']);
    for (let t = 0; t < data.T; t++) expect(data.spend[t * 3 + 2]).toBe(0);
    expect(data.treatmentBaselines[0]).toBe(Math.min(...data.treatments));
  });

  it('under an ROI prior the paid channels take roi and the organic one keeps m', () => {
    const design = designFromData(data, scaleData(data));
    const config: MmmModelConfig = { ...DEFAULT_MODEL_CONFIG, mediaPrior: { type: 'roi' } };
    const table = mmmParameters(design, config);
    expect(table.find((p) => p.name === 'roi')).toMatchObject({ shape: [2], elementNames: ['tv', 'search'] });
    expect(table.find((p) => p.name === 'm')).toMatchObject({ shape: [1], elementNames: ['social'] });
    expect(table.find((p) => p.name === 'treatment')).toMatchObject({ shape: [1], elementNames: ['price'], role: 'integrated' });
  });

  it('converges', () => {
    expect(fit.result.health.maxRhat).toBeLessThan(1.05);
    expect(fit.result.health.minEssBulk).toBeGreaterThan(100);
  });

  it('covers the true organic contribution, treatment contribution and coefficient, and the paid ROI, with 90% intervals', () => {
    const trueAnalysis = analyzeMedia(fit.design, fit.model.config, truthPosterior(), { byDate: false, byGeoDate: false, mroi: false });
    const trueValue = (channel: string, metric: string) => trueAnalysis.channels.find((r) => r.channel === channel && r.metric === metric && r.unit === 'kpi')!.mean;
    const row = (channel: string, metric: string) => report.media.channels.find((r) => r.channel === channel && r.metric === metric && (metric === 'roi' || r.unit === 'kpi'))!;
    const covers = (channel: string, metric: string, value: number) => {
      const r = row(channel, metric);
      expect(value, `${metric} of ${channel}: truth ${value}, 90% [${r.q05}, ${r.q95}]`).toBeGreaterThanOrEqual(r.q05);
      expect(value).toBeLessThanOrEqual(r.q95);
    };
    covers('social', 'contribution', trueValue('social', 'contribution'));
    covers('price', 'contribution', trueValue('price', 'contribution'));
    for (const channel of ['tv', 'search']) covers(channel, 'roi', truth.derived.roi[channel]);
    const coefficient = fit.result.summary.find((r) => r.name === 'treatment[1]')!;
    const gamma = (truth.params.gamma as number[])[0];
    expect(gamma).toBeGreaterThanOrEqual(coefficient.q05);
    expect(gamma).toBeLessThanOrEqual(coefficient.q95);
    // no ROI rows for the organic channel; the treatment is reported beside the channels
    expect(report.media.channels.filter((r) => r.channel === 'social').map((r) => r.metric).sort()).toEqual(['contribution', 'share']);
    expect(report.roiSummary.map((r) => r.name)).toEqual(['ROI[1]', 'ROI[2]', 'mROI[1]', 'mROI[2]']);
    // the decomposition adds up: baseline + channels + treatment = prediction (posterior means, KPI units)
    const total = (metric: string, channel?: string) => report.media[channel === undefined ? 'totals' : 'channels'].find((r) => r.metric === metric && r.unit === 'kpi' && r.channel === channel)!.mean;
    const sum = total('baseline') + total('contribution', 'tv') + total('contribution', 'search') + total('contribution', 'social') + total('contribution', 'price');
    expect(Math.abs(sum - total('prediction'))).toBeLessThan(1e-9 * Math.abs(total('prediction')));
  });

  it('plans hold the organic channel at its data: marked in the window, refused by name in a plan, left out of the scenario rows', () => {
    const window = planningWindow(fit.design, { periods: 13 });
    expect(window.organic).toEqual([false, false, true]);
    expect(() => resolvePlan(window, { channels: { social: '+10%' } }, 'plan.json')).toThrow('plan.json.channels: social is an organic channel (no spend): it is held at its data and cannot be planned');
    const comparison = evaluateScenario(fit.design, fit.model.config, fit.result.posterior, { channels: { tv: '-20%' } }, { periods: 13, maxDraws: 100 });
    expect(scenarioRows(comparison).map((row) => row.channel)).toEqual(['tv', 'search']);
    expect(comparison.rows.find((row) => row.channel === 'social')?.organic).toBe(true);
  });

  it('measures the treatment against the stated baseline: from the maximum the contribution is outside the fit-from-minimum interval', async () => {
    const fromMax = await organicData('max');
    const design = designFromData(fromMax, scaleData(fromMax));
    const analysis = analyzeMedia(design, DEFAULT_MODEL_CONFIG, truthPosterior(), { byDate: false, byGeoDate: false, mroi: false });
    const value = analysis.channels.find((r) => r.channel === 'price' && r.metric === 'contribution')!.mean;
    const r = report.media.channels.find((x) => x.channel === 'price' && x.metric === 'contribution' && x.unit === 'kpi')!;
    expect(value < r.q05 || value > r.q95).toBe(true);
  });
});
