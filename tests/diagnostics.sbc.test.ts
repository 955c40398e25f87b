/**
 * The statistics of simulation-based calibration: rank statistic and thinning, the chi-square test
 * of binned ranks, simultaneous ECDF bands.
 *
 * Reference numbers: tests/fixtures/diagnostics/sbc-expected.json, written by
 * scripts/reference/sbc.R in base R (pchisq; qbinom, dbinom and its own forward recursion and
 * bisection for the bands), R 4.2.2. Tolerances: chi-square tail probabilities 1e-12 relative (R
 * prints 15 significant digits; our series / continued fraction are accurate to about 1e-14); band
 * bounds exactly equal (integers); coverage 1e-10 relative (the same sum in another order); the
 * adjusted gamma 1e-9 relative (both bisect to 1e-14 of the step's edge). The band's coverage is
 * also checked by simulation, and the whole test on a conjugate normal model where the exact
 * posterior is known: calibrated draws pass, too narrow or shifted ones fail.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  binomialCdf,
  binomialQuantile,
  chiSquareSurvival,
  ecdfBand,
  ecdfInBand,
  rankEcdfCounts,
  rankStatistic,
  rankUniformityTest,
  thinnedIndices,
} from '../src/diagnostics/index.js';
import { createRng } from '../src/tensor/index.js';

interface Expected {
  chi_square: { x: number; df: number; p: number }[];
  bands: { samples: number; points: number; level: number; gamma: number; coverage: number; lower: number[]; upper: number[]; coverage_at_pointwise_level: number; gamma_optimize: number }[];
}
const expected = JSON.parse(readFileSync(new URL('./fixtures/diagnostics/sbc-expected.json', import.meta.url), 'utf8')) as Expected;
const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('rank statistic and thinning', () => {
  it('counts the draws strictly below the true value', () => {
    expect(rankStatistic(0.5, [0.1, 0.9, 0.4, 0.5, 0.7])).toBe(2);
    expect(rankStatistic(-1, [0, 1])).toBe(0);
    expect(rankStatistic(2, [0, 1])).toBe(2);
    expect(() => rankStatistic(NaN, [0])).toThrow('rankStatistic: the true value must be finite, got NaN');
    expect(() => rankStatistic(0, [0, Infinity])).toThrow('rankStatistic: draw 1 is not finite (Infinity)');
  });

  it('keeps L draws evenly spaced over all chains', () => {
    expect(Array.from(thinnedIndices(500, 100))).toEqual(Array.from({ length: 100 }, (_, i) => 5 * i + 2));
    expect(Array.from(thinnedIndices(10, 3))).toEqual([1, 5, 8]);
    expect(Array.from(thinnedIndices(4, 4))).toEqual([0, 1, 2, 3]);
    expect(() => thinnedIndices(10, 11)).toThrow('thinnedIndices: keep must be an integer in [1, total = 10], got 11');
  });
});

describe('chi-square test of binned ranks', () => {
  it('upper tail probabilities agree with R pchisq', () => {
    for (const { x, df, p } of expected.chi_square) expect(relative(chiSquareSurvival(x, df), p), `x ${x}, df ${df}`).toBeLessThan(1e-12);
    expect(chiSquareSurvival(0, 3)).toBe(1);
    expect(() => chiSquareSurvival(1, 0)).toThrow('chiSquareSurvival: df must be > 0, got 0');
  });

  it('bins ranks, expects counts by bin size, and computes Pearson\'s statistic (hand example)', () => {
    // maxRank 10: 11 values; 3 bins hold ranks 0-3, 4-7 and 8-10 (sizes 4, 4, 3).
    const test = rankUniformityTest([0, 1, 3, 3, 4, 8, 9, 10, 10, 10, 2], 10, 3);
    expect(test.counts).toEqual([5, 1, 5]);
    expect(test.expected).toEqual([4, 4, 3]);
    const statistic = 1 / 4 + 9 / 4 + 4 / 3;
    expect(test.statistic).toBeCloseTo(statistic, 14);
    expect(test.df).toBe(2);
    expect(test.pValue).toBeCloseTo(Math.exp(-statistic / 2), 14); // chi^2 with 2 df: P(X > x) = exp(-x / 2)
    expect(() => rankUniformityTest([11], 10, 3)).toThrow('rankUniformityTest: rank 0 is 11, not an integer in [0, 10]');
    expect(() => rankUniformityTest([1], 10, 12)).toThrow('rankUniformityTest: bins must be an integer in [2, maxRank + 1 = 11], got 12');
  });
});

describe('simultaneous ECDF bands (Säilynoja, Bürkner & Vehtari 2022)', () => {
  it('binomial quantiles follow R\'s definition, the smallest k with P(X <= k) >= q', () => {
    for (const [n, p] of [[20, 0.3], [200, 0.01], [200, 0.5]]) {
      for (const q of [0.001, 0.025, 0.5, 0.975, 0.999]) {
        const k = binomialQuantile(q, n, p);
        expect(binomialCdf(k, n, p)).toBeGreaterThanOrEqual(q * (1 - 1e-12));
        if (k > 0) expect(binomialCdf(k - 1, n, p)).toBeLessThan(q);
      }
    }
  });

  it('agree with the base-R reference: band, coverage and adjusted level', () => {
    for (const reference of expected.bands) {
      const band = ecdfBand(reference.samples, reference.points, reference.level);
      const label = `N ${reference.samples}, K ${reference.points}, level ${reference.level}`;
      expect(Array.from(band.lower), label).toEqual(reference.lower);
      expect(Array.from(band.upper), label).toEqual(reference.upper);
      expect(relative(band.coverage, reference.coverage), label).toBeLessThan(1e-10);
      expect(relative(band.gamma, reference.gamma), label).toBeLessThan(1e-9);
      expect(band.coverage).toBeGreaterThanOrEqual(reference.level);
      // The unadjusted pointwise band covers far less than its level: what the adjustment is for.
      expect(reference.coverage_at_pointwise_level).toBeLessThan(reference.level - 0.04);
    }
  });

  it('cover uniform ranks with the probability they claim (4000 simulated sets of 200 ranks)', () => {
    const maxRank = 99;
    const band = ecdfBand(200, 100, 0.95);
    const rng = createRng(18, 'ecdf-band-coverage');
    const sets = 4000;
    let inside = 0;
    for (let s = 0; s < sets; s++) {
      const ranks = Array.from({ length: 200 }, () => Math.floor(rng.uniform() * (maxRank + 1)));
      if (ecdfInBand(rankEcdfCounts(ranks, maxRank, 100), band)) inside++;
    }
    // Binomial sd of the fraction: sqrt(0.95 * 0.05 / 4000) = 0.0034; allow 4 sd.
    expect(Math.abs(inside / sets - band.coverage)).toBeLessThan(4 * Math.sqrt((0.95 * 0.05) / sets));
  });

  it('count the ECDF of discrete ranks at z_i = i / K, K dividing maxRank + 1', () => {
    expect(Array.from(rankEcdfCounts([0, 0, 3, 9, 5], 9, 10))).toEqual([0, 2, 2, 2, 3, 3, 4, 4, 4, 4, 5]);
    expect(Array.from(rankEcdfCounts([0, 0, 3, 9, 5], 9, 5))).toEqual([0, 2, 3, 4, 4, 5]);
    expect(() => rankEcdfCounts([0], 9, 3)).toThrow('rankEcdfCounts: points must divide maxRank + 1 = 10 (so the band is exact for discrete ranks), got 3');
  });
});

describe('the whole test on a conjugate normal model with a known posterior', () => {
  // theta ~ N(0, 1), y_1..5 ~ N(theta, 1): posterior N(sum y / 6, 1 / 6). 400 replicates, 99 independent draws each.
  const sbc = (distort: { sdFactor: number; shift: number }) => {
    const rng = createRng(2018, 'conjugate-sbc');
    const ranks: number[] = [];
    for (let r = 0; r < 400; r++) {
      const theta = rng.normal();
      let sum = 0;
      for (let j = 0; j < 5; j++) sum += theta + rng.normal();
      const sd = Math.sqrt(1 / 6);
      const draws = Array.from({ length: 99 }, () => sum / 6 + distort.shift * sd + distort.sdFactor * sd * rng.normal());
      ranks.push(rankStatistic(theta, draws));
    }
    const band = ecdfBand(400, 100, 0.95);
    return { chiSquare: rankUniformityTest(ranks, 99, 10), inBand: ecdfInBand(rankEcdfCounts(ranks, 99, 100), band) };
  };

  it('passes exact posterior draws', () => {
    const result = sbc({ sdFactor: 1, shift: 0 });
    expect(result.chiSquare.pValue).toBeGreaterThan(0.05);
    expect(result.inBand).toBe(true);
  });

  it('fails draws that are too narrow (sd x 0.6) or shifted by half a posterior sd', () => {
    const narrow = sbc({ sdFactor: 0.6, shift: 0 });
    expect(narrow.chiSquare.pValue).toBeLessThan(1e-6);
    expect(narrow.inBand).toBe(false);
    const shifted = sbc({ sdFactor: 1, shift: 0.5 });
    expect(shifted.chiSquare.pValue).toBeLessThan(1e-6);
    expect(shifted.inBand).toBe(false);
  });
});
