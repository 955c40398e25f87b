/**
 * The mediation run config and graph: strict parsing (unknown keys, wrong types and bad values are
 * errors naming the key path), defaults, the mediation graph's checks (unknown channels, self-loops,
 * repeated drivers, cycles) and topological order; and the `mixwell mediation` command end to end
 * on a tiny simulated file (a few seconds: 1 chain, 20 warmup + 10 draws).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parseMediationConfig } from '../src/mediation/config.js';
import { DEFAULT_MEDIATION_MODEL, type MediationModelConfig } from '../models/mediation/config.js';
import { resolveStructure } from '../models/mediation/structure.js';
import { simulateMediation } from '../models/mediation/simulate.js';
import { run as runMediationCommand } from '../src/cli/commands/mediation.js';

const base = { mediators: { search: { drivenBy: ['social'] } } };

describe('mediation config', () => {
  it('parses a minimal config with defaults', () => {
    const config = parseMediationConfig(base, 'c.json');
    expect(config.model.mediators).toEqual({ search: { drivenBy: ['social'] } });
    expect(config.model.adstock).toEqual({ type: 'geometric', maxLag: 8 });
    expect(config.model.saturation).toEqual({ type: 'hill' });
    expect(config.model.mediatorSaturation).toEqual({ type: 'none' });
    expect(config.model.errors).toBe('iid');
    expect(config.effects).toEqual({ marginalStep: 0.01 });
    expect(config.sampler.chains).toBe(4);
  });

  it('parses every option', () => {
    const config = parseMediationConfig(
      {
        ...base,
        model: {
          adstock: { type: 'none' },
          saturation: { type: 'hill', fixedSlope: 2 },
          mediatorAdstock: { type: 'geometric', maxLag: 3 },
          mediatorSaturation: { type: 'logistic' },
          trend: true,
          trendKnots: 4,
          seasonality: { order: 1, period: 365.25 },
          errors: 'ar1',
          priors: { pathCoefficient: { dist: 'halfNormal', scale: 0.5 } },
        },
        effects: { maxDraws: 200, marginalStep: 0.05 },
        sampler: { chains: 2 },
      },
      'c.json',
    );
    expect(config.model.mediatorAdstock).toEqual({ type: 'geometric', maxLag: 3 });
    expect(config.model.trendKnots).toBe(4);
    expect(config.model.saturation).toEqual({ type: 'hill', fixedSlope: 2 });
    expect(config.model.priors.pathCoefficient).toEqual({ dist: 'halfNormal', scale: 0.5 });
    expect(config.effects).toEqual({ maxDraws: 200, marginalStep: 0.05 });
    expect(config.sampler.chains).toBe(2);
  });

  const bad: [string, unknown, RegExp][] = [
    ['no mediators', {}, /c\.json: mediators: required/],
    ['empty mediators', { mediators: {} }, /mediators: at least one mediator/],
    ['drivenBy not an array', { mediators: { search: { drivenBy: 'social' } } }, /mediators\.search\.drivenBy: expected a non-empty array/],
    ['unknown mediator key', { mediators: { search: { drivenBy: ['social'], lag: 2 } } }, /mediators\.search\.lag: unknown key/],
    ['unknown top key', { ...base, mediator: {} }, /c\.json: mediator: unknown key/],
    ['unknown model key', { ...base, model: { trends: true } }, /model\.trends: unknown key/],
    ['saturation none on the KPI', { ...base, model: { saturation: { type: 'none' } } }, /model\.saturation\.type: expected one of "hill", "michaelisMenten", "logistic"/],
    ['maxLag with no adstock', { ...base, model: { mediatorAdstock: { type: 'none', maxLag: 2 } } }, /model\.mediatorAdstock\.maxLag: only applies/],
    ['knots without a trend', { ...base, model: { trend: false, trendKnots: 2 } }, /model\.trendKnots: needs "trend": true/],
    ['bad errors', { ...base, model: { errors: 'ar2' } }, /model\.errors: expected one of "iid", "ar1"/],
    ['unknown prior', { ...base, model: { priors: { m: { dist: 'normal', loc: 0, scale: 1 } } } }, /model\.priors\.m: unknown key/],
    ['prior missing a parameter', { ...base, model: { priors: { beta: { dist: 'normal', loc: 0 } } } }, /model\.priors\.beta\.scale: normal needs "scale"/],
    ['bad effects', { ...base, effects: { marginalStep: 0 } }, /effects\.marginalStep: expected a number in \(0, 1\]/],
    ['bad sampler', { ...base, sampler: { chains: 0 } }, /sampler\.chains: expected an integer >= 1/],
  ];
  for (const [label, json, message] of bad) {
    it(`rejects ${label}`, () => {
      expect(() => parseMediationConfig(json, 'c.json')).toThrow(message);
    });
  }

  // the run configs' fuzz finding (a "__proto__" key assigned as the prototype, dropped) in the mediators
  it('keeps a mediator named "__proto__", which the graph then names as an unknown channel', () => {
    const config = parseMediationConfig(JSON.parse('{"mediators": {"__proto__": {"drivenBy": ["tv"]}}}'), 'c.json');
    expect(Object.keys(config.model.mediators)).toEqual(['__proto__']);
    expect(() => resolveStructure(config.model, ['tv', 'search'], 'c.json')).toThrow(/c\.json: mediators\.__proto__: unknown channel "__proto__"/);
  });
});

describe('mediation graph', () => {
  const channels = ['tv', 'social', 'search', 'display'];
  const model = (mediators: MediationModelConfig['mediators']): MediationModelConfig => ({ ...DEFAULT_MEDIATION_MODEL, mediators });

  it('orders mediators so that drivers come first and lists the edges', () => {
    const structure = resolveStructure(model({ search: { drivenBy: ['display', 'tv'] }, display: { drivenBy: ['social'] } }), channels);
    expect(structure.mediatorNames).toEqual(['display', 'search']);
    expect(structure.mediators).toEqual([3, 2]);
    expect(structure.edges.map((e) => e.name)).toEqual(['social->display', 'display->search', 'tv->search']);
  });

  it('rejects unknown channels, self-loops, repeated drivers and cycles', () => {
    expect(() => resolveStructure(model({ radio: { drivenBy: ['tv'] } }), channels, 'c.json')).toThrow(/c\.json: mediators\.radio: unknown channel "radio" \(channels: tv, social, search, display\)/);
    expect(() => resolveStructure(model({ search: { drivenBy: ['tv', 'radio'] } }), channels)).toThrow(/mediators\.search\.drivenBy\[1\]: unknown channel "radio"/);
    expect(() => resolveStructure(model({ search: { drivenBy: ['search'] } }), channels)).toThrow(/drivenBy\[0\]: a channel cannot drive itself/);
    expect(() => resolveStructure(model({ search: { drivenBy: ['tv', 'tv'] } }), channels)).toThrow(/drivenBy\[1\]: "tv" is listed twice/);
    expect(() => resolveStructure(model({ search: { drivenBy: ['display'] }, display: { drivenBy: ['search'] } }), channels)).toThrow(/mediators: the mediators form a cycle \(search, display\)/);
  });
});

describe('mixwell mediation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixwell-mediation-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fits, prints the effects table and writes effects.csv, paths.csv and mediation.json', async () => {
    const modelConfig: MediationModelConfig = {
      ...DEFAULT_MEDIATION_MODEL,
      adstock: { type: 'none' },
      saturation: { type: 'michaelisMenten' },
      mediatorAdstock: { type: 'none' },
      trend: false,
      seasonality: { order: 0, period: 52 },
      mediators: { search: { drivenBy: ['social'] } },
    };
    const sim = simulateMediation({
      seed: 9,
      periods: 40,
      channels: [{ name: 'social', level: 1 }, { name: 'search' }],
      config: modelConfig,
      values: { k: [1, 1], beta: [0, 0.4], intercept: [1], sigma: [0.05], path_coef: [0.7], med_intercept: [0.3], med_sigma: [0.05] },
    });
    writeFileSync(join(dir, 'data.csv'), sim.csv);
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        data: sim.dataSpec,
        model: { adstock: { type: 'none' }, saturation: { type: 'michaelisMenten' }, mediatorAdstock: { type: 'none' }, trend: false, seasonality: { order: 0 } },
        mediators: { search: { drivenBy: ['social'] } },
        sampler: { chains: 1, warmup: 20, draws: 10, seed: 1, maxTreeDepth: 5 },
      }),
    );
    const out: string[] = [];
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await runMediationCommand(['--data', join(dir, 'data.csv'), '--config', join(dir, 'config.json'), '--out', join(dir, 'run')]);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
    const text = out.join('');
    expect(text).toMatch(/Effects on the KPI, channel switched off/);
    expect(text).toMatch(/social\s+indirect/);
    expect(text).toMatch(/Paths/);
    const effects = readFileSync(join(dir, 'run', 'effects.csv'), 'utf8').trim().split('\n');
    expect(effects[0]).toBe('channel,effect,measure,unit,mean,sd,median,q05,q95,probabilityPositive');
    expect(effects).toHaveLength(1 + 2 * 3 * 2);
    const paths = readFileSync(join(dir, 'run', 'paths.csv'), 'utf8').trim().split('\n');
    expect(paths).toHaveLength(2);
    const summary = JSON.parse(readFileSync(join(dir, 'run', 'mediation.json'), 'utf8'));
    expect(summary.edges).toEqual(['social->search']);
  });
});
