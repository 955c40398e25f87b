/**
 * The health check (src/analysis/healthCheck.ts): every flag fires on a constructed case and stays
 * 'ok' on a healthy one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SummaryRow } from '../src/diagnostics/index.js';
import type { SamplerHealth } from '../src/inference/index.js';
import { analyzeMedia, healthCheck, priorRoiRanges, type HealthFlag, type PValueRow, type LiftCheckRow } from '../src/analysis/index.js';
import { DEFAULT_MODEL_CONFIG, type MmmModelConfig } from '../models/mmm/config.js';
import type { MmmDesign } from '../models/mmm/design.js';
import { loadGeoDesign, posteriorAround, readGeoTruth, truthShapes, truthValues, type GeoTruth } from './fixtures/analysis/examplePosterior.js';

const healthy: SamplerHealth = {
  divergences: 0,
  divergenceFraction: 0,
  treeDepthSaturated: 0,
  maxTreeDepth: 10,
  ebfmi: [0.9, 0.85, 1.0, 0.95],
  lowEbfmiChains: [],
  maxRhat: 1.003,
  minEssBulk: 1200,
  minEssTail: 900,
  warnings: [],
};

function summaryRow(name: string, rhat: number, essBulk: number, essTail: number): SummaryRow {
  return { name, mean: 0, sd: 1, q05: -1.6, q50: 0, q95: 1.6, rhat, essBulk, essTail, essBasic: essBulk, mcseMean: 0.03, mcseSd: 0.02 };
}

const byCode = (flags: readonly HealthFlag[], code: HealthFlag['code']) => {
  const found = flags.filter((f) => f.code === code);
  expect(found.length).toBe(1);
  return found[0];
};

describe('health check: sampler flags', () => {
  it('all ok for a healthy fit', () => {
    const flags = healthCheck({ health: healthy, summary: [summaryRow('m[1]', 1.002, 1500, 1100), summaryRow('tau0', 1.004, 800, 700)] });
    expect(flags.map((f) => f.code).sort()).toEqual(['divergences', 'ebfmi', 'essBulk', 'essTail', 'rhat', 'treeDepth']);
    expect(flags.every((f) => f.level === 'ok')).toBe(true);
  });

  it('R-hat and ESS: warnings and errors naming the worst quantities', () => {
    const summary = [
      summaryRow('m[1]', 1.002, 1500, 1100),
      summaryRow('v[3]', 1.03, 350, 800),
      summaryRow('tau0', 1.015, 600, 50),
    ];
    const flags = healthCheck({ health: healthy, summary });
    const rhat = byCode(flags, 'rhat');
    expect(rhat.level).toBe('warning');
    expect(rhat.subjects).toEqual(['v[3]', 'tau0']);
    expect(rhat.message).toMatch(/2 quantities/);
    expect(byCode(flags, 'essBulk').level).toBe('warning');
    expect(byCode(flags, 'essBulk').subjects).toEqual(['v[3]']);
    expect(byCode(flags, 'essTail').level).toBe('error');
    expect(byCode(flags, 'essTail').subjects).toEqual(['tau0']);
    const bad = healthCheck({ summary: [summaryRow('sigma', 1.2, 30, 30)] });
    expect(byCode(bad, 'rhat').level).toBe('error');
    expect(byCode(bad, 'essBulk').level).toBe('error');
    // without summary rows the health record's extremes are used
    const fromHealth = healthCheck({ health: { ...healthy, maxRhat: 1.02, minEssBulk: 300 } });
    expect(byCode(fromHealth, 'rhat').level).toBe('warning');
    expect(byCode(fromHealth, 'essBulk').level).toBe('warning');
    expect(byCode(fromHealth, 'essTail').level).toBe('ok');
  });

  it('divergences, tree depth and E-BFMI', () => {
    const few = healthCheck({ health: { ...healthy, divergences: 3, divergenceFraction: 3 / 4000 } });
    expect(byCode(few, 'divergences').level).toBe('warning');
    expect(byCode(few, 'divergences').message).toMatch(/^3 divergent/);
    const many = healthCheck({ health: { ...healthy, divergences: 229, divergenceFraction: 229 / 4000 } });
    expect(byCode(many, 'divergences').level).toBe('error');
    const deep = healthCheck({ health: { ...healthy, treeDepthSaturated: 5 } });
    expect(byCode(deep, 'treeDepth').level).toBe('warning');
    const energy = healthCheck({ health: { ...healthy, ebfmi: [0.2, 0.8, 0.25, 0.9] } });
    expect(byCode(energy, 'ebfmi').level).toBe('warning');
    expect(byCode(energy, 'ebfmi').subjects).toEqual(['chain 0', 'chain 2']);
  });

  it('posterior predictive p-values outside [0.05, 0.95]', () => {
    const rows: PValueRow[] = [
      { discrepancy: 'sumOfSquares', pValue: 0.4, observedMean: 300, replicatedMean: 310, draws: 1000 },
      { discrepancy: 'residualLag1Autocorrelation', pValue: 0.01, observedMean: 0.3, replicatedMean: 0, draws: 1000 },
    ];
    const flag = byCode(healthCheck({ predictive: rows }), 'posteriorPredictive');
    expect(flag.level).toBe('warning');
    expect(flag.subjects).toEqual(['residualLag1Autocorrelation']);
    expect(byCode(healthCheck({ predictive: [{ ...rows[0], pValue: 0.97 }] }), 'posteriorPredictive').level).toBe('warning');
    expect(byCode(healthCheck({ predictive: [rows[0]] }), 'posteriorPredictive').level).toBe('ok');
  });

  it('lift tests more than 2 sd from the model, worst first', () => {
    const implied = { mean: 100, sd: 10, median: 100, q05: 84, q95: 116 };
    const row = (name: string, measured: number, z: number): LiftCheckRow =>
      ({ experiment: 0, name, channel: 'tv', observation: 'total', from: '2024-01-01', to: '2024-02-01', measured, measuredSe: 20, implied, z, inLikelihood: true }) as LiftCheckRow;
    const none = healthCheck({});
    expect(none.some((f) => f.code === 'liftTest')).toBe(false);
    expect(byCode(healthCheck({ liftTests: [row('spring', 130, 1.34)] }), 'liftTest').level).toBe('ok');
    const flag = byCode(healthCheck({ liftTests: [row('spring', 130, 1.34), row('autumn', 160, 2.68), row('winter', 40, -3.1)] }), 'liftTest');
    expect(flag.level).toBe('warning');
    expect(flag.subjects).toEqual(['winter (tv, total)', 'autumn (tv, total)']);
    expect(flag.message).toContain('winter (tv, total) z -3.10');
  });
});

describe('health check: model flags on the geo example', () => {
  let design: MmmDesign;
  let truth: GeoTruth;
  beforeAll(async () => {
    design = await loadGeoDesign();
    truth = readGeoTruth();
  });
  const shapes = () => truthShapes(design.geoNames.length, design.channelNames.length);

  it('negative baseline: how many geo-periods and where', () => {
    const ok = analyzeMedia(design, DEFAULT_MODEL_CONFIG, posteriorAround(truthValues(truth), shapes(), 1, 2, 0.01), { byGeoDate: false, byDate: false });
    expect(byCode(healthCheck({ media: ok }), 'negativeBaseline').level).toBe('ok');
    // an intercept far too low: the baseline goes negative in many cells
    const low = { ...truthValues(truth), tau0: Float64Array.of(-0.45) };
    const media = analyzeMedia(design, DEFAULT_MODEL_CONFIG, posteriorAround(low, shapes(), 1, 2, 0.01), { byGeoDate: false, byDate: false });
    const negative = media.mean.baseline.filter((b) => b < 0).length;
    expect(negative).toBeGreaterThan(0);
    expect(negative).toBeLessThan(media.mean.baseline.length);
    const flag = byCode(healthCheck({ media }), 'negativeBaseline');
    expect(flag.level).toBe('warning');
    expect(flag.subjects.length).toBe(negative);
    expect(flag.message).toContain(`in ${negative} of ${media.mean.baseline.length} geo-periods`);
    // subjects are "geo date", lowest baseline first
    const [geo, date] = flag.subjects[0].split(' ');
    const g = design.geoNames.indexOf(geo);
    const t = design.dates.indexOf(date);
    expect(media.mean.baseline[g * design.dates.length + t]).toBe(Math.min(...media.mean.baseline));
  });

  it('ROI outside the prior 1%-99% range (coefficient prior by simulation; a narrow ROI prior)', () => {
    const media = analyzeMedia(design, DEFAULT_MODEL_CONFIG, posteriorAround(truthValues(truth), shapes(), 1, 5, 0.02), { byGeoDate: false, byDate: false });
    const wide = priorRoiRanges(design, DEFAULT_MODEL_CONFIG, { draws: 400, seed: 3 });
    expect(byCode(healthCheck({ media, priorRoi: wide }), 'roiOutsidePrior').level).toBe('ok');
    // a prior that says TV's ROI is about 0.2 (log-sd 0.1), while the truth is 1.5
    const narrow: MmmModelConfig = {
      ...DEFAULT_MODEL_CONFIG,
      mediaPrior: { type: 'roi' },
      priors: { roi: { dist: 'logNormal', mu: { tv: Math.log(0.2), search: 1, social: 0.7 }, sigma: { tv: 0.1, search: 0.5, social: 0.5 } } },
    };
    const priorRoi = priorRoiRanges(design, narrow, { draws: 400, seed: 3 });
    const flag = byCode(healthCheck({ media, priorRoi }), 'roiOutsidePrior');
    expect(flag.level).toBe('warning');
    expect(flag.subjects).toEqual(['tv']);
    expect(flag.message).toMatch(/tv 1\.5\d vs prior \[0\.1\d, 0\.2\d\]/);
  });
});
