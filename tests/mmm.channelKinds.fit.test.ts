/**
 * Per-channel adstock and saturation kinds and the saturation-first order end to end (issue 19): a
 * short fit of the geo example (2 chains, 40 warmup, 30 draws) with tv on Weibull adstock saturating
 * before its adstock, search on logistic saturation and social on Michaelis-Menten, then the report
 * (contributions, ROI, mROI, response curves, prior vs posterior) and a budget optimization (the
 * host gradient, which saturation-first channels need). Finishes, reports every channel, keeps the
 * parameter rows per kind; sampling quality is not judged here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitMmm } from '../src/mmm/fit.js';
import { buildReport } from '../src/mmm/report.js';
import { optimizeBudget } from '../src/optimize/index.js';

describe('per-channel transform kinds, end to end', () => {
  it('fits the geo example with mixed kinds and tv saturating first, reports and optimizes', async () => {
    const config = {
      ...JSON.parse(readFileSync('examples/geo.config.json', 'utf8')),
      model: {
        adstock: { type: 'geometric', maxLag: 6, byChannel: { tv: { type: 'weibull' } } },
        saturation: { type: 'hill', byChannel: { search: { type: 'logistic' }, social: { type: 'michaelisMenten' } } },
        order: { type: 'adstockThenSaturation', byChannel: { tv: 'saturationThenAdstock' } },
      },
    };
    const fit = await fitMmm('examples/geo.csv', config, { chains: 2, warmup: 40, draws: 30, seed: 3, progress: false, verbose: false, workers: 1 });
    const table = fit.model.table.filter((row) => row.component === 'adstock' || row.component === 'saturation');
    expect(table.map((row) => [row.name, row.elementNames])).toEqual([
      ['weibullShape', ['tv']],
      ['weibullScale', ['tv']],
      ['alpha', ['search', 'social']],
      ['k', ['tv', 'social']],
      ['s', ['tv']],
      ['lambda', ['search']],
    ]);
    const posterior = fit.result.posterior;
    expect(posterior.variable('k').shape).toEqual([2]);
    const report = buildReport(fit, { priorDraws: 100 });
    for (const channel of ['tv', 'search', 'social']) {
      const roi = report.media.channels.find((row) => row.metric === 'roi' && row.channel === channel);
      expect(Number.isFinite(roi?.mean)).toBe(true);
      const mroi = report.media.channels.find((row) => row.metric === 'mroi' && row.channel === channel);
      expect(Number.isFinite(mroi?.mean)).toBe(true);
    }
    const result = await optimizeBudget(fit.design, fit.model.config, posterior, { periods: 8, maxDraws: 20 });
    expect(result.convergence.gradient).toBe('host');
    expect(result.plan.reduce((a, b) => a + b, 0)).toBeCloseTo(result.budget, 3);
    await expect(optimizeBudget(fit.design, fit.model.config, posterior, { periods: 8, maxDraws: 20, gradient: 'tensor' })).rejects.toThrow(/saturation-first or reach and frequency channels \(tv\)/);
  }, 600_000);
});
