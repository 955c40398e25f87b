/**
 * Recovery under Meridian's contribution and mROI priors (issue 19) on the bundled national example
 * (examples/national.csv, simulated from the reference model with examples/national.truth.json), as
 * tests/mmm.recovery.test.ts: a short fit (4 chains x 150 warmup + 150 draws, fixed seed) per prior,
 * whose 90% intervals must cover each channel's true outcome share and true marginal ROI.
 *
 * True share of channel c: its contribution over the total KPI, ROI_c x total spend_c / sum of the
 * KPI (no revenue per KPI, so contribution = ROI x spend), from the truth's ROI and spend totals.
 * The parameters p_c and mroi_c are the quantities themselves (m is derived from them per draw), so
 * their summary rows are the intervals.
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

function interval(fit: MmmFit, name: string): { q05: number; q95: number } {
  const row = fit.result.summary.find((r) => r.name === name);
  if (!row) throw new Error(`no summary row ${name}`);
  return row;
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

  it('cover every channel\'s true outcome share (contribution prior) and true mROI (mROI prior) with their 90% intervals', () => {
    truth.channels.forEach((channel, c) => {
      const share = (truth.derived.roi[channel] * truth.data_summary.spend_total[c]) / totalKpi;
      const p = interval(contribution, `contribution[${c + 1}]`);
      expect(share, `share ${channel} in [${p.q05}, ${p.q95}]`).toBeGreaterThanOrEqual(p.q05);
      expect(share, `share ${channel} in [${p.q05}, ${p.q95}]`).toBeLessThanOrEqual(p.q95);
      const mroi = interval(marginal, `mroi[${c + 1}]`);
      expect(truth.derived.mroi[channel], `mROI ${channel} in [${mroi.q05}, ${mroi.q95}]`).toBeGreaterThanOrEqual(mroi.q05);
      expect(truth.derived.mroi[channel], `mROI ${channel} in [${mroi.q05}, ${mroi.q95}]`).toBeLessThanOrEqual(mroi.q95);
    });
  });
});
