/**
 * Time-varying media effectiveness is recovered on simulated data (a small version of section
 * `tv-recovery` of `npm run validate`, scripts/validate/sections/timeVarying.ts): 4 geos x 104
 * weeks from scripts/validate/sections/timeVaryingSimulation.ts, "rising" whose effectiveness grows
 * by half over the series (true w from -0.22 to +0.19, sd over periods 0.118) and "flat" (static),
 * fitted once with both channels time-varying (model.timeVarying, issue 22) through the public API.
 *
 * One tiny fit (2 chains x 300 warmup + 300 draws, fixed seeds) of one data set, so the bounds are
 * wide of both the Monte Carlo error and the data set's luck:
 * - "rising": the 90% band of w (5% and 95% quantiles per period over draws) covers the truth at
 *   >= 85% of the 104 periods. The band's ends carry the Monte Carlo error of 5% and 95% quantiles
 *   at a bulk ESS of ~100, a small fraction of the band's width (~0.13), so only periods where the
 *   truth sits at the band's edge can flip; tiny fits covered 100% of the periods on this and three
 *   other simulated data sets, while a band that missed the rise (around w = 0) would cover only the
 *   middle periods.
 * - "flat": the posterior median of the sd over periods of w (per draw; the variation the data
 *   identify) is below half of rising's true sd (0.059), and the amplitude's posterior median is
 *   below the prior median (half-normal(0.2): 0.135), the criteria of the validate section, argued
 *   there (upper quantiles are not fair bounds: the amplitude's tail is not identified at long
 *   length scales, and sd_t(w)'s q90 ranged 0.05-0.09 over four simulated data sets). On this data
 *   set (seed 5, the least flat of those four) the medians were 0.037 and 0.082-0.092 over fit seeds
 *   11 and 12 and at 1000 draws, margins of 1.5x; a median's Monte Carlo error at the bulk ESS of
 *   ~100 is a few thousandths. The 90% band of "flat" covers 0 at >= 85% of periods (100% seen).
 *   The rising channel, fitted alongside, is the contrast: its sd_t(w) median is 0.10-0.11.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMmmData } from '../src/data/index.js';
import { parseRunConfig } from '../src/mmm/config.js';
import { fitMmm, type MmmFit } from '../src/mmm/fit.js';
import { bandCoverage, logEffectivenessBand, logEffectivenessSdDraws, rootMeanSquare } from '../scripts/validate/sections/timeVaryingBands.js';
import { simulateTimeVaryingData } from '../scripts/validate/sections/timeVaryingSimulation.js';

const sim = simulateTimeVaryingData({ seed: 5, geos: 4 });
// geo.media "pooled": the simulation's media coefficients are the same in every geo
const config = parseRunConfig({ data: sim.dataSpec, model: { geo: { media: 'pooled' }, timeVarying: { channels: 'all' } } }, 'time-varying simulation');
/** Median of the half-normal(0.2) prior of tv_amplitude. */
const AMPLITUDE_PRIOR_MEDIAN = 0.2 * 0.6744897501960817;

function quantile(values: Float64Array, p: number): number {
  const sorted = Float64Array.from(values).sort();
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]);
}

describe('time-varying effectiveness on simulated data (tiny fit)', () => {
  let fit: MmmFit;
  beforeAll(async () => {
    const data = parseMmmData(sim.csv, sim.dataSpec);
    fit = await fitMmm(data, config, { chains: 2, warmup: 300, draws: 300, seed: 11, maxTreeDepth: 8, progress: false, verbose: false });
  }, 120_000);

  it('the simulator centres the true w over the periods', () => {
    const rising = sim.truth.logEffectiveness.rising;
    expect(rising.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
    expect(rising[rising.length - 1] - rising[0]).toBeCloseTo(Math.log(1.5), 12);
    expect(sim.truth.logEffectiveness.flat.every((w) => w === 0)).toBe(true);
  });

  it("covers rising's true w with the 90% band at >= 85% of periods", () => {
    const band = logEffectivenessBand(fit, 'rising');
    const coverage = bandCoverage(band, sim.truth.logEffectiveness.rising);
    expect(coverage, `coverage ${coverage}, max R-hat ${fit.result.health.maxRhat}`).toBeGreaterThanOrEqual(0.85);
  });

  it("keeps flat's w near 0 (sd over periods and amplitude), unlike rising's", () => {
    const [risingSd, flatSd] = logEffectivenessSdDraws(fit);
    const half = rootMeanSquare(sim.truth.logEffectiveness.rising) / 2;
    const flatAmplitude = quantile(fit.result.posterior.pooled('tv_amplitude[2]'), 0.5);
    expect(quantile(flatSd, 0.5), 'flat sd_t(w) median').toBeLessThan(half);
    expect(flatAmplitude, 'flat amplitude median').toBeLessThan(AMPLITUDE_PRIOR_MEDIAN);
    expect(quantile(risingSd, 0.5), 'rising sd_t(w) median').toBeGreaterThan(half);
    expect(bandCoverage(logEffectivenessBand(fit, 'flat'), new Float64Array(sim.dates.length))).toBeGreaterThanOrEqual(0.85);
  });
});
