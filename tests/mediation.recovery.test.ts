/**
 * Recovery of direct, indirect and total effects on data simulated from the mediation model itself
 * (models/mediation/simulate.ts, fixed seed): 104 weeks, tv (flighted) and social drive search;
 * tv and search act on the KPI directly (Michaelis-Menten, no adstock: adstock gradients are
 * covered by tests/mediation.density.test.ts), social only through search (its true direct effect
 * is 0). The true effects come from re-running the simulation with the channel switched off and the
 * same error draws, independently of the analysis code. A tiny fit (2 chains, 150 warmup + 100
 * draws, dense metric).
 *
 * Tolerance: |posterior mean - truth| < 3.5 posterior sd. With a calibrated posterior the truth is
 * within 3.5 sd with probability > 0.999 per quantity; the extra 0.5 sd covers the Monte Carlo error
 * of the mean and sd of 200 draws (MCSE of the mean ~ sd / sqrt(ESS) ~ 0.1 sd at ESS ~ 100).
 * The effect of zero is checked by its 90% interval.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSpec, schemaErrors } from '../src/charts/index.js';
import { readDraws } from '../src/run/drawsFiles.js';
import { writeMediationRun } from '../src/mediation/runDirectory.js';
import { parseMmmData } from '../src/data/index.js';
import { fitMediation, type MediationFit } from '../src/mediation/fit.js';
import { parseMediationConfig } from '../src/mediation/config.js';
import { DEFAULT_MEDIATION_MODEL, type MediationModelConfig } from '../models/mediation/config.js';
import { simulateMediation, type MediationSimulation } from '../models/mediation/simulate.js';
import { channelEffectsForDraw } from '../src/analysis/mediationEffects.js';
import { designFromData } from '../models/mmm/design.js';
import { scaleData } from '../src/data/index.js';
import { resolveStructure } from '../models/mediation/structure.js';

const TRUE_MODEL: MediationModelConfig = {
  ...DEFAULT_MEDIATION_MODEL,
  adstock: { type: 'none' },
  saturation: { type: 'michaelisMenten' },
  mediatorAdstock: { type: 'none' },
  mediatorSaturation: { type: 'none' },
  trend: false,
  seasonality: { order: 0, period: 52 },
  mediators: { search: { drivenBy: ['social', 'tv'] } },
};

// Channel order: tv, social, search. Units of the simulation (channel levels ~1, KPI ~1.5).
const TRUE_VALUES = {
  k: [1, 1, 0.8],
  beta: [0.3, 0, 0.5],
  intercept: [1],
  sigma: [0.04],
  path_coef: [0.8, 0.3],
  med_intercept: [0.3],
  med_sigma: [0.08],
};

const CONFIG_JSON = {
  model: {
    adstock: { type: 'none' },
    saturation: { type: 'michaelisMenten' },
    mediatorAdstock: { type: 'none' },
    mediatorSaturation: { type: 'none' },
    trend: false,
    seasonality: { order: 0 },
    // The half-saturation point trades off against beta (a ridge that costs long trajectories);
    // an informative prior around the truth (1, 1, 0.8) keeps this small fit short. It is not
    // what is being tested: the effects are.
    priors: { k: { dist: 'logNormal', mu: 0, sigma: 0.25 } },
  },
  mediators: { search: { drivenBy: ['social', 'tv'] } },
};

describe('mediation: recovery on data simulated from the model', () => {
  let sim: MediationSimulation;
  let fit: MediationFit;
  beforeAll(async () => {
    sim = simulateMediation({
      seed: 4,
      periods: 104,
      channels: [{ name: 'tv', level: 1, flighted: true }, { name: 'social', level: 1 }, { name: 'search' }],
      config: TRUE_MODEL,
      values: TRUE_VALUES,
    });
    const data = parseMmmData(sim.csv, sim.dataSpec);
    // Dense metric: a mediator is correlated with its drivers by construction, so their direct
    // effects are correlated a posteriori; a diagonal metric needs ~3x longer trajectories.
    fit = await fitMediation(data, CONFIG_JSON, { chains: 2, warmup: 150, draws: 100, seed: 2024, metric: 'dense', maxTreeDepth: 7, progress: false, verbose: false });
  });

  it('the analysis reproduces the simulation truth at the true parameters', () => {
    // Same counterfactual definitions, two implementations: the simulator's re-run with kept errors
    // and the analysis' per-draw propagation. In the fit's scaled units the true parameters are
    // beta_c / kpiMean etc.; instead evaluate on the simulated units (scale factors 1).
    const data = parseMmmData(sim.csv, sim.dataSpec);
    const scaled = scaleData(data);
    const design = { ...designFromData(data, scaled), media: sim.media, kpi: sim.kpi, kpiUnit: Float64Array.of(1), mediaUnit: Float64Array.of(1, 1, 1) };
    const structure = resolveStructure(TRUE_MODEL, data.channelNames);
    const T = data.T;
    for (const [c, truth] of sim.truth.entries()) {
      const got = channelEffectsForDraw({ design, config: TRUE_MODEL, structure }, TRUE_VALUES, c, new Float64Array(T));
      expect(got.total).toBeCloseTo(truth.total, 6);
      expect(got.direct).toBeCloseTo(truth.direct, 6);
    }
  });

  it('recovers direct, indirect and total contributions', () => {
    for (const truth of sim.truth) {
      for (const effect of ['direct', 'indirect', 'total'] as const) {
        const row = fit.effects.effects.find((r) => r.channel === truth.channel && r.effect === effect && r.measure === 'contribution')!;
        const error = Math.abs(row.mean - truth[effect]);
        expect(error, `${effect} ${truth.channel}: truth ${truth[effect].toFixed(2)}, posterior ${row.mean.toFixed(2)} +- ${row.sd.toFixed(2)}`).toBeLessThan(3.5 * row.sd + 1e-9);
      }
    }
    // social acts only through search: its direct effect's 90% interval contains 0, its indirect one does not.
    const socialDirect = fit.effects.effects.find((r) => r.channel === 'social' && r.effect === 'direct' && r.measure === 'contribution')!;
    const socialIndirect = fit.effects.effects.find((r) => r.channel === 'social' && r.effect === 'indirect' && r.measure === 'contribution')!;
    expect(socialDirect.q05).toBeLessThan(0);
    expect(socialDirect.q95).toBeGreaterThan(0);
    expect(socialIndirect.q05).toBeGreaterThan(0);
  });

  it('reports total = direct + indirect per draw, path effects and the marginal measure', () => {
    const draws = fit.effects.draws;
    for (const channel of ['tv', 'social', 'search']) {
      const total = draws[`contribution:total:${channel}`];
      const direct = draws[`contribution:direct:${channel}`];
      const indirect = draws[`contribution:indirect:${channel}`];
      total.forEach((t, i) => expect(t).toBeCloseTo(direct[i] + indirect[i], 9));
    }
    // search is not a driver of any mediator: no indirect effect at all.
    expect(draws['contribution:indirect:search'].every((v) => v === 0)).toBe(true);
    // Linear path without adstock: per-unit path effect = path coefficient in original units (0.8, 0.3).
    for (const [driver, truth] of [['social', 0.8], ['tv', 0.3]] as const) {
      const row = fit.effects.paths.find((p) => p.driver === driver && p.mediator === 'search')!;
      expect(Math.abs(row.mean - truth), `${driver} -> search ${row.mean} +- ${row.sd}`).toBeLessThan(3.5 * row.sd);
    }
    const marginal = fit.effects.effects.filter((r) => r.measure === 'marginal');
    expect(marginal).toHaveLength(9);
    for (const row of marginal) expect(Number.isFinite(row.mean)).toBe(true);
  });

  it('writes a run directory: effects, paths, parameter summary, draws, chart and report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mixwell-mediation-run-'));
    try {
      await writeMediationRun(dir, fit, 'simulated.csv');
      for (const file of ['effects.csv', 'paths.csv', 'summary.csv', 'mediation.json', 'provenance.json', 'draws.arrow', 'draws/chain-1.csv', 'charts/mediation-effects.vl.json', 'charts/mediation-effects.svg', 'report.html']) {
        expect(existsSync(join(dir, file)), file).toBe(true);
      }
      // The draws read back as the fitted posterior.
      const posterior = readDraws(dir);
      expect(posterior.chains).toBe(2);
      expect(posterior.drawsPerChain).toBe(100);
      expect(Array.from(posterior.variable('beta').values)).toEqual(Array.from(fit.result.posterior.variable('beta').values));
      // One summary row per scalar parameter, with convergence diagnostics.
      const summary = readFileSync(join(dir, 'summary.csv'), 'utf8').trim().split('\n');
      expect(summary[0]).toBe('name,mean,sd,q05,q50,q95,rhat,essBulk,essTail,mcseMean');
      expect(summary).toHaveLength(fit.result.summary.length + 1);
      // The chart: schema-valid, compiles without warnings, one row per channel and effect kind.
      const spec = JSON.parse(readFileSync(join(dir, 'charts/mediation-effects.vl.json'), 'utf8'));
      expect(schemaErrors(spec)).toEqual([]);
      expect(compileSpec(spec).warnings).toEqual([]);
      expect(spec.data.values).toHaveLength(3 * 3);
      const html = readFileSync(join(dir, 'report.html'), 'utf8');
      for (const text of ['Direct, indirect and total effects', 'social', 'search', 'Paths', 'R-hat']) expect(html).toContain(text);
      expect(JSON.parse(readFileSync(join(dir, 'mediation.json'), 'utf8')).edges).toEqual(fit.structure.edges.map((e) => e.name));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
