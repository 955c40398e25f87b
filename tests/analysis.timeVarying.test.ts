/**
 * The analysis layer and the optimizer with time-varying channels (models/mmm components/
 * timeVarying.ts, issue 22): contributions carry each period's effectiveness (contributions +
 * baseline = meanKpiHost x KPI unit per draw), the ROI and mROI per quarter add up to the whole
 * period's (sum_q ROI_q spend_q = ROI spend, exactly: both are sums over the same cells), the
 * effectiveness rows are exp(w) per date, geo ROI and the spend response at multiplier 1 agree with
 * the contributions, and the optimizer plans a time-varying channel with its mean effectiveness
 * over the latest fitted periods.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeMedia, geoRoiRows, periodGroups, spendResponseCurves, spendTotals } from '../src/analysis/index.js';
import { windowDraws } from '../src/optimize/windowDraws.js';
import { planningWindow } from '../src/optimize/window.js';
import { DEFAULT_MODEL_CONFIG, type MmmModelConfig } from '../models/mmm/config.js';
import type { MmmDesign } from '../models/mmm/design.js';
import { meanKpiHost, mediaCoefficientsHost, mediaEffectivenessHost, saturatedMediaHost } from '../models/mmm/hostModel.js';
import { timeVaryingLayout } from '../models/mmm/components/timeVarying.js';
import { loadGeoDesign, posteriorAround, readGeoTruth, truthShapes, truthValues, type GeoTruth } from './fixtures/analysis/examplePosterior.js';
import { findRow, rel } from './support/rows.js';

const find = findRow;

let design: MmmDesign;
let truth: GeoTruth;
let G: number;
let T: number;
let C: number;
const config: MmmModelConfig = { ...DEFAULT_MODEL_CONFIG, timeVarying: { channels: ['tv', 'search'] } };

/** The truth plus time-varying parameters with a visible effect (amplitude 0.3, length scale 20 periods, fixed weights). */
function tvValues(): Record<string, Float64Array> {
  const m = timeVaryingLayout(design, config)?.m ?? 0;
  return {
    ...truthValues(truth),
    tv_amplitude: Float64Array.of(0.3, 0.2),
    tv_length_scale: Float64Array.of(20, 30),
    tv_z: Float64Array.from({ length: 2 * m }, (_, j) => Math.sin(1.7 * j + 0.3)),
  };
}
const tvShapes = () => ({ ...truthShapes(G, C), tv_z: [2, timeVaryingLayout(design, config)?.m ?? 0] });

beforeAll(async () => {
  design = await loadGeoDesign();
  truth = readGeoTruth();
  G = design.geoNames.length;
  T = design.dates.length;
  C = design.channelNames.length;
});

describe('media analysis with time-varying channels', () => {
  it('contributions + baseline = prediction = meanKpiHost x KPI unit, per draw', () => {
    const posterior = posteriorAround(tvValues(), tvShapes(), 2, 3, 0.1);
    const analysis = analyzeMedia(design, config, posterior, { byGeoDate: false, byDate: false });
    for (let d = 0; d < 6; d++) {
      const values = posterior.drawValues(Math.floor(d / 3), d % 3);
      const mu = meanKpiHost(design, config, values);
      let total = 0;
      for (let n = 0; n < G * T; n++) total += mu[n] * design.kpiUnit[Math.floor(n / T)];
      let media = 0;
      for (let c = 0; c < C; c++) media += analysis.perDraw.contribution[d * C + c];
      expect(rel(analysis.perDraw.baseline[d] + media, total)).toBeLessThan(1e-12);
    }
    // the effectiveness is not 1: the static analysis of the same draws differs
    const staticAnalysis = analyzeMedia(design, DEFAULT_MODEL_CONFIG, posterior, { byGeoDate: false, byDate: false });
    expect(rel(analysis.perDraw.contribution[0], staticAnalysis.perDraw.contribution[0])).toBeGreaterThan(1e-3);
  });

  it('ROI and mROI per quarter add up to the whole period (sum_q ROI_q spend_q = ROI spend); static fits have none unless asked', () => {
    const posterior = posteriorAround(tvValues(), tvShapes(), 1, 4, 0.1);
    const analysis = analyzeMedia(design, config, posterior, { byGeoDate: false, byDate: false });
    expect(analysis.periodGrouping).toBe('quarter');
    const groups = periodGroups(design.dates, 'quarter');
    expect(groups.labels[0]).toBe('2023-Q1');
    const spend = spendTotals(design);
    for (const [c, channel] of design.channelNames.entries()) {
      for (const metric of ['roi', 'mroi'] as const) {
        let weighted = 0;
        for (const [q, period] of groups.labels.entries()) {
          let quarterSpend = 0;
          for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) if (groups.groupOf[t] === q) quarterSpend += design.spend[(g * T + t) * C + c];
          if (quarterSpend > 0) weighted += find(analysis.byPeriod, { channel, period, metric }).mean * quarterSpend;
        }
        // the means are linear in the draws: float64 rounding only
        expect(rel(weighted, find(analysis.channels, { channel, metric }).mean * spend[c])).toBeLessThan(1e-10);
      }
    }
    expect(analyzeMedia(design, DEFAULT_MODEL_CONFIG, posterior, { byGeoDate: false, byDate: false }).byPeriod).toEqual([]);
    expect(analyzeMedia(design, DEFAULT_MODEL_CONFIG, posterior, { byGeoDate: false, byDate: false, periodRoi: 'year' }).byPeriod.map((r) => r.period)).toContain('2024');
  });

  it('effectiveness rows are exp(w) per date of each time-varying channel; geo ROI and the spend response agree with the contributions', () => {
    const values = tvValues();
    const posterior = posteriorAround(values, tvShapes(), 1, 1);
    const analysis = analyzeMedia(design, config, posterior);
    expect(analysis.effectiveness.length).toBe(2 * T);
    const effectiveness = mediaEffectivenessHost(design, config, values) as Float64Array;
    for (const t of [0, 20, T - 1]) {
      expect(find(analysis.effectiveness, { channel: 'tv', date: design.dates[t] }).median).toBeCloseTo(effectiveness[t * C], 12);
      expect(find(analysis.effectiveness, { channel: 'search', date: design.dates[t] }).median).toBeCloseTo(effectiveness[t * C + 1], 12);
    }
    const spend = spendTotals(design);
    const geoRows = geoRoiRows(design, config, posterior);
    const curves = spendResponseCurves(design, config, posterior, { multipliers: [1] });
    for (const [c, channel] of design.channelNames.entries()) {
      const roi = find(analysis.channels, { channel, metric: 'roi' }).mean;
      const byGeo = geoRows.filter((r) => r.channel === channel).reduce((sum, r) => sum + r.median * r.spend, 0);
      expect(rel(byGeo, roi * spend[c])).toBeLessThan(1e-10);
      const unit = design.kpiValue ? 'revenue' : 'kpi';
      const response = curves.find((r) => r.channel === channel && r.unit === unit)?.mean ?? NaN;
      expect(rel(response, roi * spend[c])).toBeLessThan(1e-10);
    }
  });
});

describe('the optimizer with time-varying channels', () => {
  it('plans a time-varying channel with its mean effectiveness over the latest fitted periods (13 by default, or as asked)', () => {
    const values = tvValues();
    const posterior = posteriorAround(values, tvShapes(), 1, 1);
    const window = planningWindow(design, { periods: 8 });
    const beta = mediaCoefficientsHost(design, config, values, saturatedMediaHost(design, config, values));
    const effectiveness = mediaEffectivenessHost(design, config, values) as Float64Array;
    for (const latest of [13, 4]) {
      const draws = windowDraws(design, config, posterior, window, { effectivenessPeriods: latest === 13 ? undefined : latest });
      expect(draws.effectiveness).toEqual({ channels: ['tv', 'search'], periods: latest, from: design.dates[T - latest], to: design.dates[T - 1] });
      for (let c = 0; c < C; c++) {
        let mean = 0;
        for (let t = T - latest; t < T; t++) mean += effectiveness[t * C + c] / latest;
        const expected = c < 2 ? mean : 1; // social is static
        for (let g = 0; g < G; g++) expect(rel(draws.scale[g * C + c], beta[g * C + c] * design.kpiUnit[g] * expected)).toBeLessThan(1e-12);
      }
    }
    expect(windowDraws(design, DEFAULT_MODEL_CONFIG, posterior, window).effectiveness).toBeUndefined();
    expect(() => windowDraws(design, config, posterior, window, { effectivenessPeriods: T + 1 })).toThrow(/effectivenessPeriods must be an integer in \[1, 78\]/);
  });
});
