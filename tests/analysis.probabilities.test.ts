/**
 * Posterior probability statements (src/analysis/probabilities.ts) on per-draw ROI and mROI with
 * known answers: normal draws with known exceedance probabilities, complementary pairs, the
 * best-channel probabilities summing to one, MCSE equal to the MCSE of the indicator's mean and
 * calibrated against the spread over replicated autocorrelated chains, and the edge cases (every
 * draw agrees, no mROI, thinned draws).
 */
import { describe, expect, it } from 'vitest';
import type { MediaAnalysis } from '../src/analysis/index.js';
import { probabilityStatements, type ProbabilityRow } from '../src/analysis/index.js';
import { mcseMean, normalQuantile } from '../src/diagnostics/index.js';
import { createRng } from '../src/tensor/index.js';

/** A stand-in analysis holding only what probabilityStatements reads. */
function analysis(channelNames: string[], roi: Float64Array, mroi: Float64Array, drawIndices?: Int32Array): MediaAnalysis {
  const D = roi.length / channelNames.length;
  return { channelNames, paid: channelNames.map(() => true), drawIndices: drawIndices ?? Int32Array.from({ length: D }, (_, d) => d), perDraw: { roi, mroi } } as unknown as MediaAnalysis;
}

/** Standard normal cdf by bisection on normalQuantile (accurate to 1e-12). */
function normalCdf(x: number): number {
  let lo = 1e-15;
  let hi = 1 - 1e-15;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (normalQuantile(mid) < x) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const find = (rows: ProbabilityRow[], kind: ProbabilityRow['kind'], channel: string, versus?: string) =>
  rows.find((r) => r.kind === kind && r.channel === channel && (versus === undefined || r.versus === versus))!;

describe('probability statements', () => {
  const channels = ['tv', 'search', 'social'];
  const means = { roi: [1.2, 0.9, 2.0], mroi: [0.8, 1.1, 1.0] };
  const sds = { roi: [0.5, 0.4, 1.0], mroi: [0.3, 0.2, 0.5] };
  const chains = 4;
  const perChain = 1000;
  const D = chains * perChain;
  const rng = createRng(21, 'probabilities-iid');
  const roi = new Float64Array(D * 3);
  const mroi = new Float64Array(D * 3);
  for (let d = 0; d < D; d++) {
    for (let c = 0; c < 3; c++) {
      roi[d * 3 + c] = means.roi[c] + sds.roi[c] * rng.normal();
      mroi[d * 3 + c] = means.mroi[c] + sds.mroi[c] * rng.normal();
    }
  }
  const rows = probabilityStatements(analysis(channels, roi, mroi), { chains, drawsPerChain: perChain }, { mroiTarget: 0.9 });

  it('has every statement, in order', () => {
    expect(rows.map((r) => r.kind)).toEqual([...Array(3).fill('roiAbove'), ...Array(6).fill('roiGreater'), ...Array(3).fill('mroiAbove'), ...Array(3).fill('bestMroi')]);
    expect(find(rows, 'roiAbove', 'tv').statement).toBe('P(ROI[tv] > 1)');
    expect(find(rows, 'mroiAbove', 'social').statement).toBe('P(mROI[social] > 0.9)');
    expect(find(rows, 'roiGreater', 'tv', 'search').statement).toBe('P(ROI[tv] > ROI[search])');
    for (const row of rows) expect(row.draws).toBe(D);
  });

  it('recovers known probabilities within 4 MCSE (independent normal draws)', () => {
    // Binomial sd sqrt(p (1 - p) / 4000) <= 0.008; 4 of it is the tolerance, and the reported MCSE
    // must match that iid value within 15% (the ESS estimate of 4000 iid draws is that precise).
    const check = (row: ProbabilityRow, p: number) => {
      const iid = Math.sqrt((p * (1 - p)) / D);
      expect(Math.abs(row.probability - p)).toBeLessThan(4 * iid);
      expect(row.mcse / iid).toBeGreaterThan(0.85);
      expect(row.mcse / iid).toBeLessThan(1.15);
    };
    channels.forEach((channel, c) => {
      check(find(rows, 'roiAbove', channel), 1 - normalCdf((1 - means.roi[c]) / sds.roi[c]));
      check(find(rows, 'mroiAbove', channel), 1 - normalCdf((0.9 - means.mroi[c]) / sds.mroi[c]));
    });
    // ROI_tv - ROI_search ~ N(0.3, sqrt(0.5^2 + 0.4^2)).
    check(find(rows, 'roiGreater', 'tv', 'search'), 1 - normalCdf(-0.3 / Math.hypot(0.5, 0.4)));
  });

  it('pairs are complementary and the best-channel probabilities sum to one', () => {
    for (const a of channels) {
      for (const b of channels) {
        if (a !== b) expect(find(rows, 'roiGreater', a, b).probability + find(rows, 'roiGreater', b, a).probability).toBeCloseTo(1, 12);
      }
    }
    const best = rows.filter((r) => r.kind === 'bestMroi');
    expect(best.reduce((s, r) => s + r.probability, 0)).toBeCloseTo(1, 12);
    // search has the highest mean mROI.
    expect(find(rows, 'bestMroi', 'search').probability).toBe(Math.max(...best.map((r) => r.probability)));
  });

  it('MCSE is the MCSE of the indicator mean over the chains', () => {
    const indicator = Array.from({ length: chains }, (_, k) => Float64Array.from({ length: perChain }, (_, d) => (roi[(k * perChain + d) * 3] > 1 ? 1 : 0)));
    expect(find(rows, 'roiAbove', 'tv').mcse).toBeCloseTo(mcseMean(indicator), 14);
  });
});

describe('MCSE of a probability with autocorrelated draws', () => {
  it('matches the spread of the estimate over replicated chains', () => {
    // AR(1) chains with phi = 0.8 (ESS about S (1 - phi) / (1 + phi) for the value; the indicator's
    // is somewhat higher). Over 100 replicates the sd of the estimated P(ROI > 1) has a relative
    // sampling error of about 7%; the mean reported MCSE must agree with it within 25%.
    const phi = 0.8;
    const chains = 2;
    const perChain = 500;
    const estimates: number[] = [];
    const mcses: number[] = [];
    for (let replicate = 0; replicate < 100; replicate++) {
      const rng = createRng(8, `probabilities-ar-${replicate}`);
      const roi = new Float64Array(chains * perChain * 2);
      for (let k = 0; k < chains; k++) {
        let x = rng.normal();
        for (let d = 0; d < perChain; d++) {
          x = phi * x + Math.sqrt(1 - phi * phi) * rng.normal();
          roi[(k * perChain + d) * 2] = 1.3 + 0.6 * x;
          roi[(k * perChain + d) * 2 + 1] = 1;
        }
      }
      const row = find(probabilityStatements(analysis(['a', 'b'], roi, new Float64Array(roi.length).fill(NaN)), { chains, drawsPerChain: perChain }), 'roiAbove', 'a');
      estimates.push(row.probability);
      mcses.push(row.mcse);
    }
    const mean = estimates.reduce((a, b) => a + b) / estimates.length;
    const spread = Math.sqrt(estimates.reduce((s, x) => s + (x - mean) ** 2, 0) / (estimates.length - 1));
    const reported = mcses.reduce((a, b) => a + b) / mcses.length;
    expect(reported / spread).toBeGreaterThan(0.75);
    expect(reported / spread).toBeLessThan(1.25);
    // And it is well above the iid formula, which would understate the error.
    expect(reported).toBeGreaterThan(1.5 * Math.sqrt((mean * (1 - mean)) / (chains * perChain)));
  });
});

describe('edge cases', () => {
  it('all draws agree: probability 1 or 0 with undefined MCSE', () => {
    const roi = Float64Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 3 + i / 100 : 0.5));
    const rows = probabilityStatements(analysis(['a', 'b'], roi, Float64Array.from(roi)), { chains: 2, drawsPerChain: 10 });
    const a = find(rows, 'roiAbove', 'a');
    expect(a.probability).toBe(1);
    expect(a.mcse).toBeNaN();
    expect(a.ess).toBeNaN();
    expect(find(rows, 'roiAbove', 'b').probability).toBe(0);
    expect(find(rows, 'bestMroi', 'a').probability).toBe(1);
  });

  it('without mROI (all NaN) only the ROI statements', () => {
    const roi = Float64Array.from({ length: 40 }, (_, i) => i / 10);
    const rows = probabilityStatements(analysis(['a', 'b'], roi, new Float64Array(40).fill(NaN)), { chains: 1, drawsPerChain: 20 });
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['roiAbove', 'roiGreater']));
  });

  it('thinned draws over uneven chains are pooled as one chain', () => {
    const roi = Float64Array.from({ length: 7 * 2 }, (_, i) => (i * 0.37) % 2);
    const rows = probabilityStatements(analysis(['a', 'b'], roi, Float64Array.from(roi), Int32Array.of(0, 3, 6, 9, 12, 15, 18)), { chains: 2, drawsPerChain: 10 });
    expect(rows[0].draws).toBe(7);
    expect(Number.isFinite(rows[0].probability)).toBe(true);
  });

  it('a channel with undefined ROI (no spend) gives NaN, not a silent 0', () => {
    const roi = Float64Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 1.5 + i / 100 : NaN));
    const rows = probabilityStatements(analysis(['a', 'b'], roi, new Float64Array(20).fill(NaN)), { chains: 1, drawsPerChain: 10 });
    expect(find(rows, 'roiAbove', 'b').probability).toBeNaN();
    expect(find(rows, 'roiAbove', 'a').probability).toBe(1);
  });

  it('rejects a non-finite target', () => {
    const roi = new Float64Array(8).fill(1);
    expect(() => probabilityStatements(analysis(['a', 'b'], roi, roi), { chains: 1, drawsPerChain: 4 }, { mroiTarget: NaN })).toThrow(/mroiTarget/);
  });
});
