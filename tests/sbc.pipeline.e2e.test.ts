/**
 * `npm run sbc` end to end on a small case (scripts/sbc/): 20 replicates of 2 geos x 26 weeks x 2
 * channels + 1 control, 2 chains x 150 warmup + 50 draws each, through the local batch pool. What
 * is checked is the pipeline, not calibration (20 short fits say little about that; the full run
 * is the npm script): the template is already in the model's units; the simulated data read back
 * bit for bit; every fit ran the default model with the KPI unscaled and saw exactly the simulated
 * KPI; every scalar parameter (the integrated linear block's too) and the log-likelihood get a rank
 * in 0..L per replicate; the chart is written; rerunning resumes (every fit skipped) with the same
 * ranks.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_CONFIG } from '../models/mmm/index.js';
import { parseRunConfig } from '../src/mmm/config.js';
import { DEFAULT_SBC_SETTINGS, runSbc, sbcConfigJson, type SbcResult, type SbcSettings } from '../scripts/sbc/run.js';
import { LOG_LIK, simulateReplicates } from '../scripts/sbc/simulate.js';
import { sbcTemplate } from '../scripts/sbc/template.js';

const dir = mkdtempSync(join(tmpdir(), 'mixwell-sbc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const settings: SbcSettings = {
  ...DEFAULT_SBC_SETTINGS,
  replicates: 20,
  seed: 3,
  out: join(dir, 'sbc'),
  concurrency: 2,
  size: { geos: 2, periods: 26, channels: 2, controls: 1 },
  warmup: 150,
  draws: 50,
  rankedDraws: 19,
  bins: 4,
  fitsPerWorker: 10,
};

describe('the SBC template and simulation', () => {
  const template = sbcTemplate(settings.size, settings.seed);
  const config = parseRunConfig(sbcConfigJson(settings, template.spec), 'sbc config');

  it('puts media at channel mean 1 and controls at mean 0, sample sd 1, so the pipeline\'s rescaling is the identity up to rounding', () => {
    const { geos: G, periods: T, channels: C } = settings.size;
    for (let c = 0; c < C; c++) {
      let sum = 0;
      for (let n = 0; n < G * T; n++) sum += template.media[n * C + c];
      expect(Math.abs(sum / (G * T) - 1)).toBeLessThan(1e-15);
    }
    const z = Array.from(template.controls);
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    expect(Math.abs(mean)).toBeLessThan(1e-15);
    expect(Math.abs(Math.sqrt(z.reduce((a, x) => a + (x - mean) ** 2, 0) / (z.length - 1)) - 1)).toBeLessThan(1e-14);
    const simulation = simulateReplicates(template, config, 3, settings.seed);
    expect(simulation.rescalingDifference.media).toBeLessThan(1e-14);
    expect(simulation.rescalingDifference.controls).toBeLessThan(1e-14);
  });

  it('draws every parameter from the prior and keeps only data sets the validation accepts (KPI >= 0), the same for the same seed', () => {
    const a = simulateReplicates(template, config, 5, settings.seed);
    const b = simulateReplicates(template, config, 5, settings.seed);
    expect(a.parameters).toEqual(['alpha[1]', 'alpha[2]', 'k[1]', 'k[2]', 's[1]', 's[2]', 'm[1]', 'm[2]', 'eta[1]', 'eta[2]', 'u[1,1]', 'u[1,2]', 'u[2,1]', 'u[2,2]', 'tau0', 'sigma_tau', 'v[1]', 'v[2]', 'delta', 'phi[1]', 'phi[2]', 'phi[3]', 'phi[4]', 'gamma[1]', 'sigma']);
    for (const [i, r] of a.replicates.entries()) {
      expect(Math.min(...r.kpi)).toBeGreaterThanOrEqual(0);
      expect(r.csv).toBe(b.replicates[i].csv);
      expect(r.truth).toEqual(b.replicates[i].truth);
      expect(Number.isFinite(r.truth[LOG_LIK])).toBe(true);
    }
    expect(() => simulateReplicates(template, parseRunConfig({ data: template.spec }, 'c'), 1, 1)).toThrow('the run config must leave the KPI unscaled');
  });
});

describe('npm run sbc on 20 small replicates', () => {
  let result: SbcResult;

  it('fits every replicate through the batch pool with the default model and the KPI unscaled, and ranks every quantity', async () => {
    result = await runSbc(settings);
    expect(result.fits.map((f) => f.status)).toEqual(Array(20).fill('done'));
    expect(result.quantities).toEqual(expect.arrayContaining(['tau0', 'v[1]', 'v[2]', 'delta', 'phi[4]', 'gamma[1]', 'sigma_tau', 'u[2,2]', LOG_LIK]));
    expect(result.quantities).toHaveLength(26);
    for (const fit of result.fits) {
      for (const quantity of result.quantities) {
        const rank = fit.ranks![quantity];
        expect(Number.isInteger(rank) && rank >= 0 && rank <= 19, `${fit.id} ${quantity}: rank ${rank}`).toBe(true);
      }
    }
    // Each fit ran the default model on the KPI as simulated: scaling.kpi "none", the design's KPI bit for bit.
    for (const [i, record] of result.batch.fits.entries()) {
      const config = JSON.parse(readFileSync(join(record.out, 'config.json'), 'utf8'));
      expect(config.scaling).toEqual({ populationScaling: false, kpi: 'none' });
      expect(config.model).toEqual(JSON.parse(JSON.stringify(DEFAULT_MODEL_CONFIG)));
      expect(config.sampler).toMatchObject({ chains: 2, warmup: 150, draws: 50, ...{ warmupPlan: settings.warmupPlan, metric: settings.metric } });
      const design = JSON.parse(readFileSync(join(record.out, 'design.json'), 'utf8'));
      expect(design.kpi).toEqual(Array.from(result.simulation.replicates[i].kpi));
      expect(design.kpiUnit).toEqual([1, 1]);
    }
    expect(result.rows.quantities).toHaveLength(26);
    expect(result.rows.band.points).toBe(20);
    expect(result.rows.quantities.every((q) => q.replicates === 20 && q.binCounts.reduce((a, b) => a + b, 0) === 20)).toBe(true);
    expect(readFileSync(result.files.chartSvg, 'utf8')).toMatch(/^<svg/);
    expect(existsSync(result.files.chartSpec)).toBe(true);
    expect(result.invocations).toHaveLength(1);
    expect(result.invocations[0].fitsRun).toBe(20);
  }, 120_000);

  it('resumes: a second run skips every fit and gives the same ranks', async () => {
    const again = await runSbc(settings);
    expect(again.fits.map((f) => f.status)).toEqual(Array(20).fill('skipped'));
    expect(again.fits.map((f) => f.ranks)).toEqual(result.fits.map((f) => f.ranks));
    expect(again.invocations).toHaveLength(1);
  }, 60_000);
});
