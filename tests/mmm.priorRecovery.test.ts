/**
 * Recovery under Meridian's contribution and mROI priors (issue 19) on the bundled national example
 * (examples/national.csv, simulated from the reference model with examples/national.truth.json), as
 * tests/mmm.recovery.test.ts: a short fit (4 chains x 150 warmup + 150 draws, fixed seed) per prior,
 * whose intervals must cover each channel's true outcome share and true marginal ROI.
 *
 * Rule: every truth inside its 98% interval, and at least five of the six inside their 90% intervals.
 * Six roughly independent 90% intervals all cover the truth only about half the time (0.9^6 = 0.53)
 * under a correct posterior, so "all six in the 90% intervals" would test the seed more than the
 * model. In this realization tv's true mROI (0.956) is at the upper edge of what the data say under
 * any prior: the reference model's coefficient prior, 4 x 500, gives tv's mROI a 90% interval of
 * [0.51, 0.93], and the mROI prior [0.56, 0.97] (4 x 500) or [0.55, 0.95] (this fit, 4 x 150).
 *
 * True share of channel c: its contribution over the total KPI, ROI_c x total spend_c / sum of the
 * KPI (no revenue per KPI, so contribution = ROI x spend), from the truth's ROI and spend totals.
 * The parameters p_c and mroi_c are the quantities themselves (m is derived from them per draw), so
 * the intervals are their draws' quantiles.
 *
 * Priors: the mROI prior is Meridian's default LogNormal(0, 0.5) (the true mROI, 0.96-1.39, sit near
 * its median). The contribution prior is Beta(1, 4) (mean 0.2) rather than Meridian's default
 * Beta(1, 99): that default has mean 0.01 and puts P(p > 0.1) at 3e-5, while this data's true
 * shares are 0.06-0.16, so under it the posterior is pulled far below the truth, which is the
 * prior doing its job, not a recovery failure (measured with this seed: search's and social's 90%
 * intervals [0.001, 0.030] and [0.001, 0.035] against true shares 0.109 and 0.064; tv's, whose data
 * are strong, [0.114, 0.167] still covers its 0.159).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { quantileOfSorted } from '../src/diagnostics/index.js';
import { fitMmm, type MmmFit } from '../src/mmm/fit.js';

interface Truth {
  channels: string[];
  derived: { roi: Record<string, number>; mroi: Record<string, number> };
  data_summary: { spend_total: number[] };
}

const truth = JSON.parse(readFileSync('examples/national.truth.json', 'utf8')) as Truth;
const baseConfig = JSON.parse(readFileSync('examples/national.config.json', 'utf8')) as Record<string, unknown>;
const totalKpi = readFileSync('examples/national.csv', 'utf8').trim().split('\n').slice(1).reduce((sum, line) => sum + Number(line.split(',')[5]), 0);

function fitWith(model: Record<string, unknown>): Promise<MmmFit> {
  return fitMmm('examples/national.csv', { ...baseConfig, model }, { chains: 4, warmup: 150, draws: 150, seed: 20240104, progress: false, verbose: false });
}

/** 1%, 5%, 95% and 99% quantiles of a scalar's pooled draws. */
function interval(fit: MmmFit, name: string): { q01: number; q05: number; q95: number; q99: number } {
  const sorted = Float64Array.from(fit.result.posterior.pooled(name)).sort();
  const q = (p: number) => quantileOfSorted(sorted, p);
  return { q01: q(0.01), q05: q(0.05), q95: q(0.95), q99: q(0.99) };
}

describe('recovery under the contribution and mROI priors (national example)', () => {
  let contribution: MmmFit;
  let marginal: MmmFit;

  beforeAll(async () => {
    contribution = await fitWith({ mediaPrior: { type: 'contribution' }, priors: { contribution: { dist: 'beta', a: 1, b: 4 } } });
    marginal = await fitWith({ mediaPrior: { type: 'mroi' } });
  }, 900_000);

  it('converge', () => {
    for (const fit of [contribution, marginal]) {
      expect(fit.result.health.maxRhat).toBeLessThan(1.05);
      expect(fit.result.health.minEssBulk).toBeGreaterThan(100);
    }
  });

  it('cover every channel\'s true outcome share (contribution prior) and true mROI (mROI prior) at about the nominal rate', () => {
    const checks = truth.channels.flatMap((channel, c) => [
      { name: `share ${channel}`, truth: (truth.derived.roi[channel] * truth.data_summary.spend_total[c]) / totalKpi, ...interval(contribution, `contribution[${c + 1}]`) },
      { name: `mROI ${channel}`, truth: truth.derived.mroi[channel], ...interval(marginal, `mroi[${c + 1}]`) },
    ]);
    const describe = (c: (typeof checks)[number]) => `${c.name} ${c.truth.toFixed(3)}: 90% [${c.q05.toFixed(3)}, ${c.q95.toFixed(3)}], 98% [${c.q01.toFixed(3)}, ${c.q99.toFixed(3)}]`;
    for (const check of checks) {
      expect(check.truth, describe(check)).toBeGreaterThanOrEqual(check.q01);
      expect(check.truth, describe(check)).toBeLessThanOrEqual(check.q99);
    }
    const missed = checks.filter((c) => c.truth < c.q05 || c.truth > c.q95);
    expect(missed.length, missed.map(describe).join('; ')).toBeLessThanOrEqual(1);
  });
});
