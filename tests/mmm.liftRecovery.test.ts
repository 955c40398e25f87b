/**
 * The lift-test likelihood moves the posterior the right way on simulated data (a small version of
 * section `lift` of `npm run validate`, scripts/validate/sections/lift.ts): geo data where tv's decay
 * and ROI are weakly identified from the series (4 geos x 78 weeks), fitted without and with an
 * 8-week go-dark experiment on tv measured per week over the test and its recovery
 * (scripts/validate/sections/liftSimulation.ts).
 *
 * Tiny fits (2 chains x 250 warmup + 150 draws, fixed seeds), so only directions are asserted, with
 * margins well beyond their Monte Carlo error. The bulk ESS of alpha[tv] and ROI[tv] is 70-270 here
 * (the geo intercepts mix worse, which does not matter for these), so a posterior sd carries a
 * relative Monte Carlo error of about 1 / sqrt(2 ESS) <= 9%; the sd ratios with / without the test
 * are 0.38-0.49 (fit seeds 11 and 12), so the bound 0.85 is more than 4 such errors away while a
 * lift term that did nothing would give about 1. The implied total lift moves from 12-18k away from
 * the measurement to 4-5k (its Monte Carlo error ~1k). The validate section has the full-length
 * figures and the coverage of the truths.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { liftTestCheck } from '../src/analysis/index.js';
import { parseMmmData, scaleData } from '../src/data/index.js';
import { parseRunConfig } from '../src/mmm/config.js';
import { fitMmm, type MmmFit } from '../src/mmm/fit.js';
import { formatLiftTests } from '../src/report/liftSummaryText.js';
import { buildReport, type MmmReport } from '../src/mmm/report.js';
import { designFromData } from '../models/mmm/design.js';
import { impliedLiftHost, resolveLiftTests } from '../models/mmm/liftTests.js';
import { LIFT_SIMULATION_TRUTH, simulateLiftData } from '../scripts/validate/sections/liftSimulation.js';

const sim = simulateLiftData({ seed: 7, geos: 4, periods: 78, testGeos: 4, testStart: 45, testWeeks: 8, measuredWeeks: 16 });
const withConfig = parseRunConfig({ data: sim.dataSpec, model: { experiments: [sim.experiment] } }, 'lift simulation');
const withoutConfig = parseRunConfig({ data: sim.dataSpec }, 'lift simulation');

function sd(values: Float64Array): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
}

describe('lift test on simulated data (tiny fits)', () => {
  const fits: { without?: MmmFit; with?: MmmFit } = {};
  const reports: { without?: MmmReport; with?: MmmReport } = {};
  beforeAll(async () => {
    const data = parseMmmData(sim.csv, sim.dataSpec);
    const settings = { chains: 2, warmup: 250, draws: 150, seed: 11, maxTreeDepth: 7, progress: false, verbose: false };
    fits.without = await fitMmm(data, withoutConfig, settings);
    fits.with = await fitMmm(data, withConfig, settings);
    reports.without = buildReport(fits.without, { priorDraws: 50 });
    reports.with = buildReport(fits.with, { priorDraws: 50 });
  }, 300_000);

  it("the model's implied lift at the true parameters is the simulator's true lift", () => {
    const data = parseMmmData(sim.csv, sim.dataSpec);
    const design = designFromData(data, scaleData(data));
    const C = design.channelNames.length;
    // beta[g,c] = exp(m_c + eta_c u[g,c]) with m = 0, eta = 1: u carries the true coefficient on the model's KPI scale
    const u = Float64Array.from(sim.truth.beta, (b, i) => Math.log((b * sim.truth.nominalKpi) / design.kpiUnit[Math.floor(i / C)]));
    const values = { alpha: LIFT_SIMULATION_TRUTH.alpha, k: LIFT_SIMULATION_TRUTH.k, s: LIFT_SIMULATION_TRUTH.s, m: [0, 0], eta: [1, 1], u };
    const implied = impliedLiftHost(design, withConfig.model, values, resolveLiftTests(design, withConfig.model)!);
    sim.truth.liftByWeek.forEach((lift, w) => expect(Math.abs(implied[w] - lift)).toBeLessThan(1e-9 * Math.abs(sim.truth.liftTotal)));
  });

  it('tightens the decay and the ROI of the tested channel', () => {
    const alpha = (fit: MmmFit) => sd(fit.result.posterior.pooled('alpha[1]'));
    const roi = (report: MmmReport) => report.media.channels.find((r) => r.metric === 'roi' && r.channel === 'tv')!.sd;
    const alphaRatio = alpha(fits.with!) / alpha(fits.without!);
    const roiRatio = roi(reports.with!) / roi(reports.without!);
    expect(alphaRatio, `alpha sd ratio ${alphaRatio}`).toBeLessThan(0.85);
    expect(roiRatio, `ROI sd ratio ${roiRatio}`).toBeLessThan(0.85);
  });

  it('moves the implied lift towards the measurement and reports it', () => {
    const measured = (sim.experiment.liftKpiByWeek as number[]).reduce((a, b) => a + b, 0);
    const withRows = reports.with!.liftTests;
    expect(withRows.map((r) => r.observation)).toEqual([...sim.dates.slice(45, 61), 'sum of periods']);
    const withTotal = withRows.find((r) => r.observation === 'sum of periods')!;
    expect(withTotal.measured).toBeCloseTo(measured, 6);
    expect(reports.without!.liftTests).toEqual([]);
    const withoutTotal = liftTestCheck(fits.without!.design, { ...fits.without!.model.config, experiments: withConfig.model.experiments }, fits.without!.result.posterior).find(
      (r) => r.observation === 'sum of periods',
    )!;
    expect(Math.abs(withTotal.implied.mean - measured)).toBeLessThan(Math.abs(withoutTotal.implied.mean - measured));
    expect(withTotal.implied.sd).toBeLessThan(withoutTotal.implied.sd);
    // the run summary's table: 16 weekly rows are folded into their sum
    const text = formatLiftTests(withRows);
    expect(text[0]).toMatch(/^Lift tests/);
    expect(text.join('\n')).toMatch(/tv go-dark\s+tv\s+sum of periods/);
    expect(text.join('\n')).toMatch(/16 per-period rows in summary\.json/);
    expect(formatLiftTests(withRows, 20).length).toBe(1 + 1 + 17);
  });
});
