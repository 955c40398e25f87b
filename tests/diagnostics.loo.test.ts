/**
 * PSIS and PSIS-LOO (src/diagnostics/psis.ts, loo.ts) against known answers:
 * - R's loo 2.5.1 on a fixed log-likelihood matrix (deterministic draws, so both sides see the same
 *   numbers): elpd_loo, p_loo, looic and their se, pointwise elpd and Pareto k, and `gpdfit` on
 *   fixed exceedances, to 1e-10;
 * - the generalized Pareto fit on simulated GPD draws with known shape k;
 * - elpd_loo and p_loo of a conjugate normal model, where exact leave-one-out is analytic;
 * - thresholds, tail lengths and the paired elpd difference;
 * - the relative efficiency of each observation from the chains (loo::relative_eff).
 */
import { describe, expect, it } from 'vitest';
import {
  elpdDifference,
  essOfChains,
  pointwiseRelativeEfficiency,
  fitGeneralizedPareto,
  generalizedParetoQuantile,
  normalQuantile,
  paretoKThreshold,
  psis,
  psisLoo,
  psisTailLength,
  sumWithSe,
} from '../src/diagnostics/index.js';
import { createRng } from '../src/tensor/index.js';

const normalLogPdf = (x: number, mean: number, variance: number) => -0.5 * Math.log(2 * Math.PI * variance) - (0.5 * (x - mean) ** 2) / variance;

describe('PSIS-LOO matches R loo 2.5.1', () => {
  // R:  y <- c(0.3, -1.2, 0.8, 2.1, -0.4, 1.5, 0.0, 6.5); S <- 500
  //     mu <- 0.4 + 0.35 * qnorm(((1:S) - 0.5) / S)
  //     ll <- sapply(y, function(yi) dnorm(yi, mu, 1, log = TRUE)); loo(ll, r_eff = rep(1, 8))
  const y = [0.3, -1.2, 0.8, 2.1, -0.4, 1.5, 0.0, 6.5];
  const S = 500;
  const mu = Float64Array.from({ length: S }, (_, s) => 0.4 + 0.35 * normalQuantile((s + 0.5) / S));
  const values = new Float64Array(y.length * S);
  y.forEach((yi, i) => mu.forEach((m, s) => (values[i * S + s] = normalLogPdf(yi, m, 1))));
  const loo = psisLoo({ observations: y.length, draws: S, values });

  it('estimates and their se', () => {
    const e = loo.estimates;
    expect(e.elpdLoo).toBeCloseTo(-33.20381389059165, 10);
    expect(e.seElpdLoo).toBeCloseTo(20.43715133121816, 10);
    expect(e.pLoo).toBeCloseTo(5.37766172754893, 10);
    expect(e.sePLoo).toBeCloseTo(4.24903579965444, 10);
    expect(e.looic).toBeCloseTo(66.40762778118331, 10);
    expect(e.seLooic).toBeCloseTo(40.87430266243631, 10);
  });

  it('pointwise elpd_loo and Pareto k, and the k counts', () => {
    const elpd = [-0.989836092617953, -2.443115641992404, -1.075541525242155, -2.630936576130198, -1.349354302238162, -1.674259587627383, -1.075541525242152, -21.965228639501248];
    const k = [0.209717383256347, 0.285152953858238, 0.198562773788662, 0.295647482204254, 0.214283861733912, 0.237216456752261, 0.198562773788663, 0.846908099931644];
    elpd.forEach((x, i) => expect(loo.pointwise.elpdLoo[i]).toBeCloseTo(x, 10));
    k.forEach((x, i) => expect(loo.pointwise.paretoK[i]).toBeCloseTo(x, 10));
    expect(loo.estimates.paretoKThreshold).toBeCloseTo(1 - 1 / Math.log10(500), 12);
    expect(loo.estimates.paretoKAboveThreshold).toBe(1);
    expect(loo.estimates.paretoKAbove07).toBe(1);
    expect(loo.estimates.paretoKAbove1).toBe(0);
    expect(loo.estimates.maxParetoK).toBeCloseTo(0.846908099931644, 10);
  });

  it('gpdfit on fixed exceedances, with and without the weakly informative prior', () => {
    // R: x <- sort((1 - ((1:200) - 0.5) / 200)^(-0.6) - 1) / 0.6; gpdfit(x); gpdfit(x, wip = FALSE)
    const x = Float64Array.from({ length: 200 }, (_, i) => (Math.pow(1 - (i + 0.5) / 200, -0.6) - 1) / 0.6).sort();
    const withPrior = fitGeneralizedPareto(x);
    const without = fitGeneralizedPareto(x, false);
    expect(withPrior.k).toBeCloseTo(0.595763673195231, 10);
    expect(without.k).toBeCloseTo(0.600551856854993, 10);
    expect(withPrior.sigma).toBeCloseTo(0.99668625252134, 10);
    expect(without.sigma).toBeCloseTo(0.99668625252134, 10);
  });
});

describe('generalized Pareto fit on simulated draws', () => {
  // The estimate's sd is close to the MLE's asymptotic (1 + k) / sqrt(n) (measured over 50 seeds:
  // 0.033, 0.042, 0.054 for k = 0.2, 0.5, 0.9 at n = 1000, vs 0.038, 0.047, 0.060). Each fit must be
  // within 4 such sd, and the mean of 20 fits within 4 sd of a mean (the estimator's small bias,
  // about -0.01 here, fits well inside).
  const n = 1000;
  for (const k of [0.2, 0.5, 0.9]) {
    it(`recovers k = ${k}`, () => {
      const sd = (1 + k) / Math.sqrt(n);
      const estimates: number[] = [];
      for (let replicate = 0; replicate < 20; replicate++) {
        const rng = createRng(17, `gpd-${k}-${replicate}`);
        const x = Float64Array.from({ length: n }, () => generalizedParetoQuantile(rng.uniform(), k, 1.5)).sort();
        const fit = fitGeneralizedPareto(x, false);
        expect(Math.abs(fit.k - k)).toBeLessThan(4 * sd);
        // The prior only shrinks towards 0.5 with weight 10 / (n + 10).
        expect(fitGeneralizedPareto(x).k).toBeCloseTo((fit.k * n + 5) / (n + 10), 12);
        estimates.push(fit.k);
      }
      const average = estimates.reduce((a, b) => a + b) / estimates.length;
      expect(Math.abs(average - k)).toBeLessThan((4 * sd) / Math.sqrt(estimates.length));
    });
  }

  it('PSIS reads the tail shape of heavy-tailed importance ratios', () => {
    // Ratios drawn from a GPD(k = 0.5 or 1.2): the tail above any threshold is GPD with the same k.
    // S = 20000 gives a tail of M = 3 sqrt(S) = 425 draws, sd of k-hat about (1 + k) / sqrt(425) <= 0.11.
    for (const k of [0.5, 1.2]) {
      const rng = createRng(5, `psis-tail-${k}`);
      const S = 20_000;
      const logRatios = Float64Array.from({ length: S }, () => Math.log(generalizedParetoQuantile(rng.uniform(), k, 1)));
      const result = psis(logRatios);
      expect(result.tailLength).toBe(425);
      expect(Math.abs(result.paretoK - k)).toBeLessThan(4 * ((1 + k) / Math.sqrt(425)));
      let total = 0;
      for (const w of result.logWeights) total += Math.exp(w);
      expect(total).toBeCloseTo(1, 12);
    }
  });
});

describe('PSIS-LOO on a conjugate normal model (exact LOO is analytic)', () => {
  // y_i ~ N(mu, 1), mu ~ N(0, 10^2). Without y_i the posterior is N(m_-i, v_-i) and
  // p(y_i | y_-i) = N(y_i | m_-i, v_-i + 1); the posterior predictive density is N(y_i | m, v + 1).
  // 4000 exact posterior draws. Over 30 seeds the PSIS error of elpd_loo had sd 0.020 (clean data)
  // and 0.035 (one outlier), bias under 0.013: tolerances of 0.1 and 0.16 are about 4-5 sd.
  function conjugateCase(outlier: boolean, seed: number) {
    const rng = createRng(1, 'conjugate-data');
    const n = 30;
    const y = Float64Array.from({ length: n }, () => 1 + rng.normal());
    if (outlier) y[0] = 7;
    const priorVariance = 100;
    const sum = y.reduce((a, b) => a + b, 0);
    const precision = 1 / priorVariance + n;
    const exactPointwise = Array.from(y, (yi) => {
      const p = precision - 1;
      return normalLogPdf(yi, (sum - yi) / p, 1 / p + 1);
    });
    const exactLpd = Array.from(y, (yi) => normalLogPdf(yi, sum / precision, 1 / precision + 1));
    const S = 4000;
    const draws = createRng(seed, 'conjugate-draws');
    const mu = Float64Array.from({ length: S }, () => sum / precision + Math.sqrt(1 / precision) * draws.normal());
    const values = new Float64Array(n * S);
    y.forEach((yi, i) => mu.forEach((m, s) => (values[i * S + s] = normalLogPdf(yi, m, 1))));
    return { loo: psisLoo({ observations: n, draws: S, values }), exactPointwise, exactLpd };
  }

  it('elpd_loo and p_loo match the exact values (clean data)', () => {
    const { loo, exactPointwise, exactLpd } = conjugateCase(false, 3);
    const exact = exactPointwise.reduce((a, b) => a + b);
    const exactPLoo = exactLpd.reduce((a, b) => a + b) - exact;
    expect(Math.abs(loo.estimates.elpdLoo - exact)).toBeLessThan(0.1);
    expect(Math.abs(loo.estimates.pLoo - exactPLoo)).toBeLessThan(0.1);
    expect(loo.estimates.paretoKAbove07).toBe(0);
    expect(loo.estimates.maxParetoK).toBeLessThan(0.5);
  });

  it('with an outlier: still close, and the outlier has the largest k', () => {
    const { loo, exactPointwise } = conjugateCase(true, 4);
    const exact = exactPointwise.reduce((a, b) => a + b);
    expect(Math.abs(loo.estimates.elpdLoo - exact)).toBeLessThan(0.16);
    expect(Math.abs(loo.pointwise.elpdLoo[0] - exactPointwise[0])).toBeLessThan(0.16);
    const k = Array.from(loo.pointwise.paretoK);
    expect(k.indexOf(Math.max(...k))).toBe(0);
  });
});

describe('PSIS details', () => {
  it('tail length and the k threshold', () => {
    expect(psisTailLength(100)).toBe(20);
    expect(psisTailLength(4000)).toBe(190);
    expect(psisTailLength(4000, 0.25)).toBe(380);
    expect(paretoKThreshold(80)).toBeCloseTo(1 - 1 / Math.log10(80), 12);
    expect(paretoKThreshold(100_000)).toBe(0.7);
  });

  it('equal ratios leave the weights uniform, with k = Inf (no tail to fit)', () => {
    const result = psis(new Float64Array(100).fill(-3));
    expect(result.paretoK).toBe(Infinity);
    for (const w of result.logWeights) expect(w).toBeCloseTo(-Math.log(100), 12);
  });

  it('a single draw: weight 1, k = Inf', () => {
    const result = psis([2.5]);
    expect(Array.from(result.logWeights)).toEqual([0]);
    expect(result.paretoK).toBe(Infinity);
  });

  it('rejects NaN and infinite log-likelihoods', () => {
    expect(() => psis([0, NaN, 1, 2, 3])).toThrow(/NaN/);
    expect(() => psisLoo({ observations: 1, draws: 3, values: Float64Array.of(0, Infinity, 1) })).toThrow(/observation 1, draw 2/);
    expect(() => psisLoo({ observations: 2, draws: 3, values: new Float64Array(5) })).toThrow(/5 values/);
  });

  it('paired differences: se of the pointwise differences, sum and se of sums', () => {
    const a = [1, 2, 3, 4];
    const b = [0.5, 2.5, 2, 4];
    const d = elpdDifference(a, b);
    expect(d.difference).toBeCloseTo(1, 12);
    const diffs = [0.5, -0.5, 1, 0];
    const mean = 0.25;
    const variance = diffs.reduce((s, x) => s + (x - mean) ** 2, 0) / 3;
    expect(d.se).toBeCloseTo(Math.sqrt(4 * variance), 12);
    expect(sumWithSe([2]).se).toBeNaN();
  });
});

describe('relative efficiency from the chains (loo::relative_eff)', () => {
  // y_i ~ N(mu, 1); the posterior of mu is N(m, 1/30); the 4 chains of 1000 draws are AR(1) with
  // autocorrelation rho, each started from the stationary distribution.
  const y = [0.2, 1.0, 1.7, -0.5, 3.0];
  const m = 0.9;
  const sd = Math.sqrt(1 / 30);
  function logLik(rho: number, seed: number) {
    const rng = createRng(seed, 'ar1-chains');
    const chains = 4;
    const perChain = 1000;
    const S = chains * perChain;
    const mu = new Float64Array(S);
    for (let c = 0; c < chains; c++) {
      let a = rng.normal();
      for (let d = 0; d < perChain; d++) {
        if (d > 0) a = rho * a + Math.sqrt(1 - rho * rho) * rng.normal();
        mu[c * perChain + d] = m + sd * a;
      }
    }
    const values = new Float64Array(y.length * S);
    y.forEach((yi, i) => mu.forEach((value, s) => (values[i * S + s] = normalLogPdf(yi, value, 1))));
    return { values, S, chains };
  }

  it('is the ESS of the likelihood values over the chains, divided by S', () => {
    const { values, S, chains } = logLik(0.6, 5);
    const rEff = pointwiseRelativeEfficiency(values, y.length, S, chains);
    const i = 3;
    const row = values.subarray(i * S, (i + 1) * S);
    const max = Math.max(...row);
    const perChain = S / chains;
    const likelihood = Array.from({ length: chains }, (_, c) => Float64Array.from(row.subarray(c * perChain, (c + 1) * perChain), (v) => Math.exp(v - max)));
    expect(rEff[i]).toBe(essOfChains(likelihood) / S);
  });

  it('is about 1 for independent draws and well below 1 for autocorrelated ones', () => {
    // Independent draws: ESS/S estimates 1 with sd about 0.03 at S = 4000 (Geyer's truncation), so
    // [0.85, 1.15] is 5 sd. AR(1) with rho = 0.8: exp(log p) is a smooth function of mu whose lag-1
    // autocorrelation lies between rho^2 and rho, so r_eff lies between (1-0.8)/(1+0.8) = 0.11 and
    // (1-0.64)/(1+0.64) = 0.22; [0.06, 0.35] leaves room for the ESS estimate's own error.
    const iid = logLik(0, 7);
    for (const r of pointwiseRelativeEfficiency(iid.values, y.length, iid.S, iid.chains)) expect(r).toBeGreaterThan(0.85), expect(r).toBeLessThan(1.15);
    const ar = logLik(0.8, 7);
    for (const r of pointwiseRelativeEfficiency(ar.values, y.length, ar.S, ar.chains)) expect(r).toBeGreaterThan(0.06), expect(r).toBeLessThan(0.35);
  });

  it('psisLoo uses it when the matrix names its chains, and 1 otherwise', () => {
    const { values, S, chains } = logLik(0.8, 9);
    const withChains = psisLoo({ observations: y.length, draws: S, values, chains });
    const without = psisLoo({ observations: y.length, draws: S, values });
    expect(Array.from(withChains.pointwise.relativeEfficiency)).toEqual(Array.from(pointwiseRelativeEfficiency(values, y.length, S, chains)));
    expect(Array.from(without.pointwise.relativeEfficiency)).toEqual(y.map(() => 1));
    // Exact LOO of this model: p(y_i | y_-i) = N(y_i | m_-i, v_-i + 1) with the posterior of mu
    // N(m, 1/30) treated as 30 unit observations with mean m; PSIS with 4000 draws of ESS ~ 500 is
    // within 0.05 per observation here (the draws are close to the posterior, k-hat < 0.5).
    y.forEach((yi, i) => {
      const precisionWithout = 30 - 1;
      const meanWithout = (30 * m - yi) / precisionWithout;
      expect(withChains.pointwise.elpdLoo[i]).toBeCloseTo(normalLogPdf(yi, meanWithout, 1 / precisionWithout + 1), 1);
    });
  });

  it('needs draws that split into equal chains', () => {
    expect(() => pointwiseRelativeEfficiency(new Float64Array(10), 2, 5, 2)).toThrow(/do not split into 2 equal chains/);
  });
});
