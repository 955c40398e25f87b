/** Run-config parsing: defaults, every option accepted, and clear errors naming file and key. */
import { describe, expect, it } from 'vitest';
import { parseRunConfig, DEFAULT_SAMPLER, samplerOptions, withSamplerOverrides } from '../src/mmm/config.js';
import { DEFAULT_MODEL_CONFIG } from '../models/mmm/config.js';
import { ADSTOCK_TYPES } from '../models/mmm/components/adstock/index.js';
import { channelTransformKinds } from '../models/mmm/components/transformKinds.js';
import { checkModelConfigAgainstData } from '../models/mmm/parseConfig.js';
import { ConfigError } from '../src/config/index.js';
import { fitDesign } from '../src/mmm/fit.js';
import { loadExample } from './support/examples.js';

describe('run config', () => {
  it('fills defaults: the reference model and Stan-like sampler settings', () => {
    const config = parseRunConfig({}, 'c.json');
    expect(config.model).toEqual(DEFAULT_MODEL_CONFIG);
    expect(config.sampler).toEqual(DEFAULT_SAMPLER);
    expect(config.holdout.periods).toBe(0);
    expect(config.scaling.populationScaling).toBe(false);
  });

  it('accepts every model option', () => {
    const config = parseRunConfig(
      {
        model: {
          adstock: { type: 'weibull', maxLag: 12 },
          saturation: { type: 'hill', fixedSlope: 1.2 },
          geo: { intercept: 'centered', media: 'pooled' },
          trend: false,
          seasonality: { order: 3, period: 52.18 },
          likelihood: 'studentT',
          mediaPrior: { type: 'roi', window: { tv: { from: '2024-01-01', to: '2024-02-01' } } },
          priors: { roi: { dist: 'logNormal', mu: { tv: 0.5, search: 0.1 }, sigma: 0.5 }, sigma: { dist: 'halfCauchy', scale: 1 } },
        },
        sampler: { chains: 2, warmup: 10, draws: 20, seed: 5, adaptDelta: 0.9, maxTreeDepth: 8, metric: 'dense', pooledAdaptation: true },
        holdout: { periods: 6 },
        scaling: { populationScaling: true },
        impute: { sales: 'linear' },
      },
      'c.json',
    );
    expect(config.model.adstock).toEqual({ type: 'weibull', maxLag: 12 });
    expect(config.model.mediaPrior).toEqual({ type: 'roi', window: { tv: { from: '2024-01-01', to: '2024-02-01' } } });
    expect(config.sampler.metric).toBe('dense');
    expect(config.holdout.periods).toBe(6);
    expect(config.impute).toEqual({ sales: 'linear' });
  });

  it.each([
    [{ modle: {} }, /c\.json: modle: unknown key/],
    // the registered kinds, in registry order
    [{ model: { adstock: { type: 'exponential' } } }, new RegExp(`c\\.json: model\\.adstock\\.type: expected one of ${ADSTOCK_TYPES.map((t) => `"${t}"`).join(', ')}, got "exponential"`)],
    [{ model: { adstock: { maxLag: 0 } } }, /model\.adstock\.maxLag: expected an integer in \[1, 104\], got 0/],
    [{ model: { saturation: { type: 'logistic', fixedSlope: 2 } } }, /model\.saturation\.fixedSlope: only applies to "hill"/],
    [{ model: { priors: { alpha: { dist: 'beta', a: 2 } } } }, /model\.priors\.alpha\.b: beta needs "b" \(parameters: a, b\)/],
    [{ model: { priors: { alpha: { dist: 'beta', a: 2, b: 2, loc: 1 } } } }, /model\.priors\.alpha\.loc: beta has no parameter "loc"/],
    [{ model: { priors: { alhpa: { dist: 'beta', a: 2, b: 2 } } } }, /model\.priors\.alhpa: unknown key/],
    [{ model: { priors: { alpha: { dist: 'beta', a: '2', b: 2 } } } }, /model\.priors\.alpha\.a: expected a number/],
    [{ model: { priors: { alpha: { dist: 'gaussian', loc: 0 } } } }, /model\.priors\.alpha\.dist: expected one of/],
    [{ model: { mediaPrior: { type: 'roi', window: { tv: { from: '2024-03-01', to: '2024-02-01' } } } } }, /"to" \(2024-02-01\) is before "from"/],
    [{ sampler: { chains: 0 } }, /sampler\.chains: expected an integer >= 1, got 0/],
    [{ sampler: { adaptDelta: 1.2 } }, /sampler\.adaptDelta: expected a number in \(0, 1\)/],
    [{ sampler: { thinning: 2 } }, /sampler\.thinning: unknown key/],
    [{ sampler: { warmupPlan: 'nuts-rs' } }, /sampler\.warmupPlan: expected "stan", "staged" or "nutpie", got "nuts-rs"/],
    [{ sampler: { warmupPlan: 'nutpie' } }, null],
    [{ sampler: { warmupPlan: 'nutpie', metric: 'lowRank' } }, null],
    [{ sampler: { warmupPlan: 'nutpie', metric: 'dense' } }, /sampler\.metric: warmupPlan "nutpie" adapts "diag" \(per chain\) or "lowRank" \(per chain, or pooled across chains with pooledAdaptation\), not "dense"/],
    [{ sampler: { warmupPlan: 'nutpie', pooledAdaptation: true } }, /sampler\.pooledAdaptation: with warmupPlan "nutpie" applies to metric "lowRank" only/],
    [{ sampler: { warmupPlan: 'nutpie', metric: 'lowRank', pooledAdaptation: true } }, null],
    [{ sampler: { metric: 'lowRank' } }, null],
    [{ sampler: { warmupPlan: 'stan', metric: 'lowRank' } }, /sampler\.metric: "lowRank" is the metric of sampler\.warmupPlan "nutpie"/],
    [{ sampler: { warmupPlan: 'staged', metric: 'lowRank' } }, /sampler\.warmupPlan: "staged" adapts a dense metric/],
    [{ sampler: { metric: 'full' } }, /sampler\.metric: expected "diag", "dense" or "lowRank", got "full"/],
    [{ sampler: { warmupPlan: 'staged' } }, /sampler\.warmupPlan: "staged" adapts a dense metric: set sampler\.metric to "dense"/],
    [{ sampler: { warmupPlan: 'staged', metric: 'dense' } }, null],
    [{ sampler: { warmupPlan: 'staged', metric: 'dense', warmup: 700, stagedWarmup: { lengths: { diag: 200, dense: 300, final: 200 }, diagMaxTreeDepth: 7 } } }, null],
    [{ sampler: { warmupPlan: 'staged', metric: 'dense', adaptDelta: 0.98, stagedWarmup: { diagAdaptDelta: 0.8 } } }, null],
    [{ sampler: { warmupPlan: 'staged', metric: 'dense', stagedWarmup: { diagAdaptDelta: 1 } } }, /sampler\.stagedWarmup\.diagAdaptDelta: expected a number in \(0, 1\), got 1/],
    [{ sampler: { warmupPlan: 'staged', metric: 'dense', stagedWarmup: { lengths: { diag: 200, dense: 300, final: 200 } } } }, /sampler\.stagedWarmup\.lengths: staged warmup: the stage lengths 200 \+ 300 \+ 200 = 700 must add up to warmup = 1000/],
    [{ sampler: { warmupPlan: 'staged', metric: 'dense', warmup: 700, stagedWarmup: { lengths: { diag: 200, dense: [100, 200], final: 200 } } } }, null],
    [{ sampler: { warmupPlan: 'staged', metric: 'dense', warmup: 700, stagedWarmup: { lengths: { diag: 200, dense: [100, 'x'], final: 200 } } } }, /sampler\.stagedWarmup\.lengths\.dense\[1\]: expected an integer >= 1, got "x"/],
    [{ sampler: { warmupPlan: 'staged', metric: 'dense', stagedWarmup: { diagMaxTreeDepth: 0 } } }, /sampler\.stagedWarmup\.diagMaxTreeDepth: expected an integer >= 1, got 0/],
    [{ sampler: { warmupPlan: 'staged', metric: 'dense', stagedWarmup: { lengths: { diag: 500, dense: 300 } } } }, /sampler\.stagedWarmup\.lengths\.final: expected an integer >= 1, got nothing/],
    [{ sampler: { warmupPlan: 'staged', metric: 'dense', stagedWarmup: { depth: 7 } } }, /sampler\.stagedWarmup\.depth: unknown key \(allowed: lengths, diagMaxTreeDepth, diagAdaptDelta\)/],
    [{ sampler: { metric: 'dense', stagedWarmup: { diagMaxTreeDepth: 7 } } }, /sampler\.stagedWarmup: only applies with sampler\.warmupPlan "staged"/],
    [{ model: { geo: { media: { tv: 'centred' } } } }, /c\.json: model\.geo\.media\.tv: expected one of "centered", "noncentered", got "centred"/],
    [{ model: { geo: { media: { tv: 'pooled' } } } }, /model\.geo\.media\.tv: expected one of "centered", "noncentered", got "pooled"/],
    [{ model: { geo: { media: 'partial' } } }, /model\.geo\.media: expected one of "centered", "noncentered", "pooled"/],
    [{ model: { geo: { media: { tv: 'centered', search: 'noncentered' } } } }, null],
    [{ holdout: { periods: -1 } }, /holdout\.periods: expected an integer >= 0/],
    [{ impute: { sales: 'median' } }, /impute\.sales: expected "zero", "linear" or "mean"/],
    [{ scaling: { kpi: 'sd' } }, /c\.json: scaling\.kpi: expected "mean" \(divide the KPI by its mean\) or "none" \(use it as it is\), got "sd"/],
    [{ scaling: { kpi: false } }, /c\.json: scaling\.kpi: expected "mean" .* got false/],
    [{ scaling: { kpiScaling: 'none' } }, /c\.json: scaling\.kpiScaling: unknown key \(allowed: populationScaling, kpi\)/],
    [{ scaling: { populationScaling: 'yes' } }, /c\.json: scaling\.populationScaling: expected true or false, got "yes"/],
  ])('rejects %j', (json, message) => {
    if (message === null) expect(() => parseRunConfig(json, 'c.json')).not.toThrow();
    else expect(() => parseRunConfig(json, 'c.json')).toThrow(message);
  });

  it('reads scaling.kpi: absent unless given (the default "mean" keeps configs without it unchanged), "mean" or "none"', () => {
    expect(parseRunConfig({}, 'c.json').scaling).toEqual({ populationScaling: false });
    expect(parseRunConfig({ scaling: { kpi: 'none' } }, 'c.json').scaling).toEqual({ populationScaling: false, kpi: 'none' });
    expect(parseRunConfig({ scaling: { kpi: 'mean', populationScaling: true } }, 'c.json').scaling).toEqual({ populationScaling: true, kpi: 'mean' });
  });

  it('maps the sampler keys to the sampler\'s kernel and warmup strategy', () => {
    const options = (sampler: Record<string, unknown>) => samplerOptions(parseRunConfig({ sampler }, 'c.json').sampler, 'c.json');
    // The default: nutpie's adaptation with a diagonal metric.
    expect(options({})).toEqual({ chains: 4, warmup: 1000, draws: 1000, seed: 20240601, kernel: { algorithm: 'nuts', maxTreeDepth: 10 }, adaptation: { kind: 'nutpie', metric: 'diag', targetAcceptance: 0.8 } });
    // With no warmupPlan, a dense or pooled diagonal metric gets Stan's windows (nutpie has neither).
    expect(options({ metric: 'dense' }).adaptation).toEqual({ kind: 'stan', metric: 'dense', pooled: false, targetAcceptance: 0.8 });
    expect(options({ pooledAdaptation: true }).adaptation).toEqual({ kind: 'stan', metric: 'diag', pooled: true, targetAcceptance: 0.8 });
    expect(options({ warmupPlan: 'stan' }).adaptation).toEqual({ kind: 'stan', metric: 'diag', pooled: false, targetAcceptance: 0.8 });
    expect(options({ metric: 'dense', pooledAdaptation: true, adaptDelta: 0.9, maxTreeDepth: 8 })).toMatchObject({
      kernel: { algorithm: 'nuts', maxTreeDepth: 8 },
      adaptation: { kind: 'stan', metric: 'dense', pooled: true, targetAcceptance: 0.9 },
    });
    expect(options({ warmupPlan: 'staged', metric: 'dense', warmup: 700, adaptDelta: 0.95, stagedWarmup: { lengths: { diag: 200, dense: [100, 200], final: 200 }, diagMaxTreeDepth: 7, diagAdaptDelta: 0.8 } }).adaptation).toEqual({
      kind: 'staged',
      targetAcceptance: 0.95,
      lengths: { diag: 200, dense: [100, 200], final: 200 },
      diagMaxTreeDepth: 7,
      diagTargetAcceptance: 0.8,
    });
    expect(options({ warmupPlan: 'nutpie' }).adaptation).toEqual({ kind: 'nutpie', metric: 'diag', targetAcceptance: 0.8 });
    expect(options({ warmupPlan: 'nutpie', metric: 'lowRank', adaptDelta: 0.9 }).adaptation).toEqual({ kind: 'nutpie', metric: 'lowRank', pooled: false, targetAcceptance: 0.9 });
    expect(options({ metric: 'lowRank', pooledAdaptation: true }).adaptation).toEqual({ kind: 'nutpie', metric: 'lowRank', pooled: true, targetAcceptance: 0.8 });
    // Keys merged after parsing (fit options, batch overrides) are checked by the same mapping.
    const staged = parseRunConfig({ sampler: { warmupPlan: 'staged', metric: 'dense' } }, 'c.json').sampler;
    expect(() => samplerOptions({ ...staged, metric: 'diag' }, 'batch.json')).toThrow(/batch\.json: sampler\.warmupPlan: "staged" adapts a dense metric/);
  });

  it('rejects ROI windows for channels the data does not have', () => {
    const config = parseRunConfig({ model: { mediaPrior: { type: 'roi', window: { radio: { from: '2024-01-01', to: '2024-02-01' } } } } }, 'c.json');
    expect(() => checkModelConfigAgainstData(config.model, ['tv', 'search'], 'c.json')).toThrow(/c\.json: model\.mediaPrior\.window\.radio: unknown channel \(channels: tv, search\)/);
  });

  it('reads geo.media by channel and checks the channels against the data', () => {
    const config = parseRunConfig({ model: { geo: { media: { tv: 'centered', search: 'noncentered' } } } }, 'c.json');
    expect(config.model.geo.media).toEqual({ tv: 'centered', search: 'noncentered' });
    expect(() => checkModelConfigAgainstData(config.model, ['tv', 'search'], 'c.json')).not.toThrow();
    expect(() => checkModelConfigAgainstData(config.model, ['tv', 'radio'], 'c.json')).toThrow(/c\.json: model\.geo\.media\.search: unknown channel \(channels: tv, radio\)/);
    const roi = parseRunConfig({ model: { geo: { media: { tv: 'centered' } }, mediaPrior: { type: 'roi' } } }, 'c.json');
    expect(() => checkModelConfigAgainstData(roi.model, ['tv'], 'c.json')).toThrow(/c\.json: model\.geo\.media: centering channels needs the coefficient prior/);
    // A partial-centering weight in [0, 1].
    const partial = parseRunConfig({ model: { geo: { media: { tv: 'centered', search: 0.6, radio: 0 } } } }, 'c.json');
    expect(partial.model.geo.media).toEqual({ tv: 'centered', search: 0.6, radio: 0 });
    expect(() => parseRunConfig({ model: { geo: { media: { search: 1.5 } } } }, 'c.json')).toThrow(/c\.json: model\.geo\.media\.search: expected a centering weight in \[0, 1\]/);
    const roiPartial = parseRunConfig({ model: { geo: { media: { tv: 0.5 } }, mediaPrior: { type: 'roi' } } }, 'c.json');
    expect(() => checkModelConfigAgainstData(roiPartial.model, ['tv'], 'c.json')).toThrow(/centering channels needs the coefficient prior/);
  });

  it("reads Meridian's media prior types: contribution (with windows), mROI, and the ROI prior from kpiShare", () => {
    const model = (mediaPrior: unknown, priors?: unknown) => parseRunConfig({ model: { mediaPrior, ...(priors ? { priors } : {}) } }, 'c.json').model;
    expect(model({ type: 'contribution' }).mediaPrior).toEqual({ type: 'contribution', window: {} });
    expect(model({ type: 'contribution', window: { tv: { from: '2024-01-01', to: '2024-02-01' } } }).mediaPrior).toEqual({ type: 'contribution', window: { tv: { from: '2024-01-01', to: '2024-02-01' } } });
    expect(model({ type: 'mroi' }).mediaPrior).toEqual({ type: 'mroi' });
    expect(model({ type: 'roi', kpiShare: true }).mediaPrior).toEqual({ type: 'roi', window: {}, kpiShare: { mean: 0.4, sd: 0.2 } });
    expect(model({ type: 'roi', kpiShare: { mean: 0.3 } }).mediaPrior).toEqual({ type: 'roi', window: {}, kpiShare: { mean: 0.3, sd: 0.2 } });
    expect(model({ type: 'roi', kpiShare: { mean: 0.25, sd: 0.1 } }).mediaPrior).toEqual({ type: 'roi', window: {}, kpiShare: { mean: 0.25, sd: 0.1 } });
    // false, like absent: the default ROI prior
    expect(model({ type: 'roi', kpiShare: false }).mediaPrior).toEqual({ type: 'roi', window: {} });
    // their parameters take priors from model.priors
    expect(model({ type: 'contribution' }, { contribution: { dist: 'beta', a: 2, b: 50 } }).priors.contribution).toEqual({ dist: 'beta', a: 2, b: 50 });
    expect(model({ type: 'mroi' }, { mroi: { dist: 'logNormal', mu: { tv: 0.1 }, sigma: 0.3 } }).priors.mroi).toEqual({ dist: 'logNormal', mu: { tv: 0.1 }, sigma: 0.3 });
    // windows are checked against the data's channels for the contribution prior too
    expect(() => checkModelConfigAgainstData(model({ type: 'contribution', window: { radio: { from: '2024-01-01', to: '2024-02-01' } } }), ['tv'], 'c.json')).toThrow(
      /c\.json: model\.mediaPrior\.window\.radio: unknown channel \(channels: tv\)/,
    );
    // m is derived under every prior but the coefficient prior: no centering
    for (const type of ['contribution', 'mroi']) {
      const centered = parseRunConfig({ model: { geo: { media: { tv: 'centered' } }, mediaPrior: { type } } }, 'c.json');
      expect(() => checkModelConfigAgainstData(centered.model, ['tv'], 'c.json')).toThrow(/c\.json: model\.geo\.media: centering channels needs the coefficient prior \(m\); with an? (contribution|mROI) prior m is derived/);
    }
  });

  it.each([
    [{ type: 'share' }, /c\.json: model\.mediaPrior\.type: expected one of "coefficient", "roi", "contribution", "mroi", got "share"/],
    [{ type: 'mroi', window: { tv: { from: '2024-01-01', to: '2024-02-01' } } }, /c\.json: model\.mediaPrior\.window: only applies to types "roi" and "contribution", not "mroi" \(the mROI prior is over the whole period\)/],
    [{ type: 'coefficient', window: {} }, /c\.json: model\.mediaPrior\.window: only applies to types "roi" and "contribution", not "coefficient"/],
    [{ type: 'contribution', window: { tv: { from: '2024-03-01', to: '2024-02-01' } } }, /c\.json: model\.mediaPrior\.window\.tv: "to" \(2024-02-01\) is before "from"/],
    [{ type: 'contribution', kpiShare: true }, /c\.json: model\.mediaPrior\.kpiShare: only applies to type "roi", not "contribution"/],
    [{ type: 'roi', kpiShare: 'yes' }, /c\.json: model\.mediaPrior\.kpiShare: expected true, false or \{"mean": 0\.4, "sd": 0\.2\}, got "yes"/],
    [{ type: 'roi', kpiShare: { mean: 1.2 } }, /c\.json: model\.mediaPrior\.kpiShare\.mean: expected a share in \(0, 1\), got 1\.2/],
    [{ type: 'roi', kpiShare: { sd: 0 } }, /c\.json: model\.mediaPrior\.kpiShare\.sd: expected a number > 0, got 0/],
    [{ type: 'roi', kpiShare: { mean: 0.4, spread: 0.1 } }, /c\.json: model\.mediaPrior\.kpiShare\.spread: unknown key/],
    [{ type: 'roi', kpiShare: true, window: { tv: { from: '2024-01-01', to: '2024-02-01' } } }, /c\.json: model\.mediaPrior\.kpiShare: states the share of the whole period's KPI media explains, so it cannot be combined with ROI windows/],
    [{ type: 'roi', prior: 'x' }, /c\.json: model\.mediaPrior\.prior: unknown key/],
  ])('rejects the media prior %j', (mediaPrior, message) => {
    expect(() => parseRunConfig({ model: { mediaPrior } }, 'c.json')).toThrow(message);
  });

  it('rejects kpiShare together with an explicit ROI prior', () => {
    expect(() => parseRunConfig({ model: { mediaPrior: { type: 'roi', kpiShare: true }, priors: { roi: { dist: 'logNormal', mu: 0, sigma: 1 } } } }, 'c.json')).toThrow(
      /c\.json: model\.mediaPrior\.kpiShare: derives the ROI prior from the share of the KPI media explains, and model\.priors\.roi gives one too: keep one of them/,
    );
  });

  it("reads Meridian's structure options: one sigma per geo, fixed geo intercepts around a baseline geo", () => {
    const config = parseRunConfig({ model: { sigmaByGeo: true, geo: { intercept: 'fixed', baselineGeo: 'west' } } }, 'c.json');
    expect(config.model.sigmaByGeo).toBe(true);
    expect(config.model.geo).toEqual({ intercept: 'fixed', baselineGeo: 'west', media: 'noncentered' });
    // off by default: the defaults stay the reference model
    expect(parseRunConfig({ model: { trend: true } }, 'c.json').model).toEqual(DEFAULT_MODEL_CONFIG);
    expect(parseRunConfig({ model: { geo: { intercept: 'fixed' } } }, 'c.json').model.geo).toEqual({ intercept: 'fixed', media: 'noncentered' });
    expect(() => parseRunConfig({ model: { sigmaByGeo: 'yes' } }, 'c.json')).toThrow(/c\.json: model\.sigmaByGeo: expected true or false, got "yes"/);
    expect(() => parseRunConfig({ model: { geo: { intercept: 'fixd' } } }, 'c.json')).toThrow(/c\.json: model\.geo\.intercept: expected one of "centered", "noncentered", "fixed", got "fixd"/);
    expect(() => parseRunConfig({ model: { geo: { baselineGeo: 'west' } } }, 'c.json')).toThrow(/c\.json: model\.geo\.baselineGeo: only applies to "intercept": "fixed", not "noncentered"/);
    expect(() => parseRunConfig({ model: { geo: { intercept: 'fixed', baselineGeo: 3 } } }, 'c.json')).toThrow(/c\.json: model\.geo\.baselineGeo: expected a geo name, got 3/);
    // the baseline's name against the data's geos
    const data = { geoNames: ['north', 'south', 'east'], dates: ['2024-01-01'] };
    expect(() => checkModelConfigAgainstData(config.model, ['tv'], 'c.json', data)).toThrow(/c\.json: model\.geo\.baselineGeo: unknown geo "west" \(geos: north, south, east\)/);
    expect(() => checkModelConfigAgainstData(config.model, ['tv'], 'c.json', { ...data, geoNames: [...data.geoNames, 'west'] })).not.toThrow();
    // tau_offset takes a prior from model.priors like every other parameter
    expect(parseRunConfig({ model: { priors: { tau_offset: { dist: 'normal', loc: 0, scale: 2 } } } }, 'c.json').model.priors.tau_offset).toEqual({ dist: 'normal', loc: 0, scale: 2 });
  });
});

describe('per-channel transform kinds and order (issue 19)', () => {
  const model = {
    adstock: { type: 'geometric', maxLag: 6, byChannel: { tv: { type: 'weibull' } } },
    saturation: { type: 'hill', byChannel: { search: { type: 'logistic' }, social: { type: 'hill', fixedSlope: 1.5 } } },
    order: { type: 'adstockThenSaturation', byChannel: { tv: 'saturationThenAdstock' } },
  };

  it('reads byChannel overrides and the order (a string for every channel, or type + byChannel)', () => {
    const config = parseRunConfig({ model }, 'c.json');
    expect(config.model.adstock).toEqual({ type: 'geometric', maxLag: 6, byChannel: { tv: { type: 'weibull' } } });
    expect(config.model.saturation).toEqual({ type: 'hill', byChannel: { search: { type: 'logistic' }, social: { type: 'hill', fixedSlope: 1.5 } } });
    expect(config.model.order).toEqual({ type: 'adstockThenSaturation', byChannel: { tv: 'saturationThenAdstock' } });
    expect(parseRunConfig({ model: { order: 'saturationThenAdstock' } }, 'c.json').model.order).toEqual({ type: 'saturationThenAdstock' });
    expect(parseRunConfig({}, 'c.json').model.order).toBeUndefined();
    expect(() => checkModelConfigAgainstData(config.model, ['tv', 'search', 'social'], 'c.json')).not.toThrow();
  });

  it('names the key of a bad override', () => {
    const bad = (m: unknown) => () => parseRunConfig({ model: m }, 'c.json');
    expect(bad({ adstock: { byChannel: { tv: { type: 'spline' } } } })).toThrow(/c\.json: model\.adstock\.byChannel\.tv\.type: expected one of/);
    expect(bad({ adstock: { byChannel: { tv: { type: 'weibull', maxLag: 4 } } } })).toThrow(/c\.json: model\.adstock\.byChannel\.tv/);
    expect(bad({ adstock: { byChannel: { tv: {} } } })).toThrow(/c\.json: model\.adstock\.byChannel\.tv\.type: give the channel's adstock type/);
    expect(bad({ saturation: { byChannel: { tv: { type: 'logistic', fixedSlope: 2 } } } })).toThrow(/c\.json: model\.saturation\.byChannel\.tv\.fixedSlope: only applies to "hill"/);
    expect(bad({ saturation: { byChannel: { tv: { fixedSlope: 2 } } } })).toThrow(/c\.json: model\.saturation\.byChannel\.tv\.type: give the channel's saturation type/);
    expect(bad({ order: 'hillBeforeAdstock' })).toThrow(/c\.json: model\.order: expected one of "adstockThenSaturation", "saturationThenAdstock"/);
    expect(bad({ order: { byChannel: { tv: 'first' } } })).toThrow(/c\.json: model\.order\.byChannel\.tv: expected one of/);
  });

  it('rejects channels the data does not have, naming the key and listing the channels', () => {
    const config = parseRunConfig({ model }, 'c.json');
    expect(() => checkModelConfigAgainstData(config.model, ['search', 'social'], 'c.json')).toThrow(/c\.json: model\.adstock\.byChannel\.tv: unknown channel "tv" \(channels: search, social\)/);
    const onlyOrder = parseRunConfig({ model: { order: { byChannel: { radio: 'saturationThenAdstock' } } } }, 'c.json');
    expect(() => checkModelConfigAgainstData(onlyOrder.model, ['tv'], 'c.json')).toThrow(/c\.json: model\.order\.byChannel\.radio: unknown channel "radio" \(channels: tv\)/);
    const saturation = parseRunConfig({ model: { saturation: { byChannel: { radio: { type: 'logistic' } } } } }, 'c.json');
    expect(() => checkModelConfigAgainstData(saturation.model, ['tv'], 'c.json')).toThrow(/c\.json: model\.saturation\.byChannel\.radio: unknown channel/);
  });
});

// Found by tests/fuzz.config.test.ts (mutated run configs taken on as fitMmm does before it samples).
describe('run config: the fuzzer\'s findings', () => {
  const error = (json: unknown) => {
    try {
      parseRunConfig(json, 'run.json');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  it('checks the data roles\' keys and types (they crashed the data loader, or were ignored)', () => {
    expect(error({ data: { channels: 'sales' } })).toBe('run.json: data.channels: expected an array of channels {"name", "spend", "media"?, "reach"?, "frequency"?}, got "sales"');
    expect(error({ data: { events: 5 } })).toBe('run.json: data.events: expected an array of column names, got 5');
    expect(error({ data: { channels: [null] } })).toBe('run.json: data.channels[0]: expected an object, got null');
    expect(error({ data: { channels: [{ name: 'tv' }] } })).toBe('run.json: data.channels[0].spend: expected a column name, got nothing');
    expect(error({ data: { kpi: '' } })).toBe('run.json: data.kpi: expected a column name, got ""');
    expect(error({ data: { kpii: 'sales' } })).toMatch(/^run\.json: data\.kpii: unknown key \(allowed: geo, date, dateFormat, kpi, /);
    expect(error({ data: { dateFormat: 'DD.MM.YYYY' } })).toMatch(/^run\.json: data\.dateFormat: expected one of "YYYY-MM-DD", /);
    expect(error({ data: { treatments: [{ column: 'promo', baseline: 'median' }] } })).toBe('run.json: data.treatments[0].baseline: expected "min", "max" or a finite number (in the column\'s units), got "median"');
    // valid roles are kept as given (batch fingerprints hash them)
    const data = { geo: null, date: 'week', kpi: 'sales', channels: [{ name: 'tv', spend: 'tv_spend', media: 'tv_imp' }], organic: [{ name: 'news', reach: 'r', frequency: 'f' }], treatments: ['promo', { column: 'price', baseline: 1 }], controls: [], events: ['holiday'] };
    expect(parseRunConfig({ data }, 'run.json').data).toBe(data);
  });

  it('shows an odd key quoted, an absent value as nothing and 1e400 as Infinity', () => {
    expect(error(JSON.parse('{"": 1}'))).toBe('run.json: [""]: unknown key (allowed: data, scaling, model, sampler, holdout, impute)');
    expect(error({ sampler: { 'chains ': 2 } })).toMatch(/^run\.json: sampler\["chains "\]: unknown key/);
    expect(error(JSON.parse('{"holdout": {"periods": 1e400}}'))).toBe('run.json: holdout.periods: expected an integer >= 0, got Infinity');
  });

  it('keeps an impute or ROI window key named "__proto__" (it was dropped silently), then names it as unknown', () => {
    const config = parseRunConfig(JSON.parse('{"impute": {"__proto__": "zero"}, "model": {"mediaPrior": {"type": "roi", "window": {"__proto__": {"from": "2024-01-01", "to": "2024-02-01"}}}}}'), 'run.json');
    expect(Object.keys(config.impute)).toEqual(['__proto__']);
    expect(() => checkModelConfigAgainstData(config.model, ['tv'], 'run.json')).toThrow('run.json: model.mediaPrior.window.__proto__: unknown channel (channels: tv)');
    expect(error({ model: { mediaPrior: { type: 'roi', window: null } } })).toBe('run.json: model.mediaPrior.window: expected an object, got null');
  });

  // found reading the code the fuzzer led to: lookups by channel name found Object.prototype's members
  it('a channel named "constructor" or "toString" takes the config\'s defaults, not Object.prototype\'s members', () => {
    const config = parseRunConfig({ model: { adstock: { byChannel: { tv: { type: 'delayed' } } }, saturation: { byChannel: { tv: { type: 'logistic' } } }, order: { byChannel: { tv: 'saturationThenAdstock' } } } }, 'run.json');
    expect(() => checkModelConfigAgainstData(config.model, ['tv', 'constructor', 'toString'], 'run.json')).not.toThrow();
    const kinds = channelTransformKinds(config.model, ['tv', 'constructor', 'toString']);
    expect(kinds.map((k) => [k.channel, k.adstock.type, k.saturation.type, k.order])).toEqual([
      ['tv', 'delayed', 'logistic', 'saturationThenAdstock'],
      ['constructor', 'geometric', 'hill', 'adstockThenSaturation'],
      ['toString', 'geometric', 'hill', 'adstockThenSaturation'],
    ]);
  });

  it('a date must be a calendar date', () => {
    expect(error({ model: { mediaPrior: { type: 'roi', window: { tv: { from: '2023-02-30', to: '2023-03-30' } } } } })).toBe('run.json: model.mediaPrior.window.tv.from: expected an ISO date YYYY-MM-DD, got "2023-02-30"');
  });

  it('the holdout and the lift tests against the data are ConfigErrors naming the config file', async () => {
    const data = await loadExample('geo');
    const config = (json: Record<string, unknown>) => parseRunConfig(json, 'run.json');
    expect(() => fitDesign(config({ holdout: { periods: 77 } }), data, 'run.json')).toThrow(new ConfigError('run.json', 'holdout.periods', "77 periods held out of the data's 78: at most 76, so that at least 2 periods are fitted"));
    // found by the long campaign: population scaling without a population was "scaleData: populationScaling needs a population column"
    const national = await loadExample('national');
    expect(() => fitDesign(config({ scaling: { populationScaling: true } }), national, 'run.json')).toThrow(new ConfigError('run.json', 'scaling.populationScaling', 'true needs a population per geo, and the data has none: name its column in data.population, or set populationScaling to false'));
    const lift = { channel: 'tv', from: '2023-05-01', to: '2023-05-22', spendDelta: 4000, liftKpi: 30000, liftSe: 6000 };
    expect(() => fitDesign(config({ model: { experiments: [lift] } }), data, 'run.json')).toThrow(/^run\.json: model\.experiments\[0\]\.spendDelta: makes the control spend negative in geo "north" on 2023-05-08/);
  });

  // found by the long campaign (npm run fuzz): the delayed adstock with maxLag 1 failed building the model ("interval: upper bound must exceed lower bound, got (0, 0)")
  it('a maxLag that leaves a transform parameter no room is a ConfigError naming model.adstock.maxLag', () => {
    const config = parseRunConfig({ model: { adstock: { maxLag: 1, byChannel: { tv: { type: 'delayed' } } } } }, 'run.json');
    expect(() => checkModelConfigAgainstData(config.model, ['tv', 'search'], 'run.json')).toThrow(
      new ConfigError('run.json', 'model.adstock.maxLag', '1 leaves no room for theta (lag of the peak effect) of the adstock "delayed" of channel(s) tv, which lies in [0, maxLag - 1]: use a longer maxLag or another kind'),
    );
    expect(() => checkModelConfigAgainstData(parseRunConfig({ model: { adstock: { maxLag: 2, type: 'delayed' } } }, 'run.json').model, ['tv'], 'run.json')).not.toThrow();
  });

  // found by the long campaign (npm run fuzz): a prior's values by name were checked only when the model was built, as "model config: ..."
  it('a prior\'s values by name or per element are checked against the data, naming the config file', async () => {
    const data = await loadExample('geo');
    const roi = (mu: unknown) => parseRunConfig({ model: { mediaPrior: { type: 'roi' }, priors: { roi: { dist: 'logNormal', mu, sigma: 0.5 } } } }, 'run.json');
    expect(() => fitDesign(roi(JSON.parse('{"tv": 0.5, "search": 0.1, "social": 0.2, "__proto__": 13}')), data, 'run.json')).toThrow(new ConfigError('run.json', 'model.priors.roi.mu', 'unknown name "__proto__" (known: tv, search, social)'));
    expect(() => fitDesign(roi({ tv: 0.5, search: 0.1 }), data, 'run.json')).toThrow(new ConfigError('run.json', 'model.priors.roi.mu', 'no value for "social"'));
    expect(() => fitDesign(roi([0.5, 0.1]), data, 'run.json')).toThrow(new ConfigError('run.json', 'model.priors.roi.mu', 'has 2 values, expected one per element (3: tv, search, social)'));
    expect(fitDesign(roi({ tv: 0.5, search: 0.1, social: 0.2 }), data, 'run.json').design.channelNames).toEqual(['tv', 'search', 'social']);
  });
});

describe('sampler overrides (fitMmm options, CLI flags)', () => {
  const base = { data: { geo: 'geo', date: 'date', kpi: 'sales', channels: [{ name: 'tv', spend: 'tv' }] } };
  it('takes only the sampler keys that are set, and moves the default plan with the metric', () => {
    const sampler = parseRunConfig(base).sampler;
    expect(withSamplerOverrides(sampler, { chains: 2, draws: undefined, progress: false })).toEqual({ ...sampler, chains: 2 });
    // Left out of the config, the plan follows the metric: dense -> Stan's windows, as a config saying "dense" would get.
    expect(withSamplerOverrides(sampler, { metric: 'dense' })).toMatchObject({ metric: 'dense', warmupPlan: 'stan' });
    expect(withSamplerOverrides(sampler, { pooledAdaptation: true })).toMatchObject({ metric: 'diag', warmupPlan: 'stan' });
    // A plan the config chose is kept (and an invalid pair is refused when the options are built).
    const staged = parseRunConfig({ ...base, sampler: { metric: 'dense', warmupPlan: 'staged' } }).sampler;
    expect(withSamplerOverrides(staged, { metric: 'diag' }).warmupPlan).toBe('staged');
    expect(withSamplerOverrides(sampler, { metric: 'dense', warmupPlan: 'nutpie' }).warmupPlan).toBe('nutpie');
  });
});
