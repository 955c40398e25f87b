/**
 * The whole run config of an MMM fit, as one JSON file: data roles (src/data), scaling, model
 * options (models/mmm/config.ts), sampler settings and a time-ordered holdout. Every key is
 * checked; unknown keys and wrong types are errors naming the file and the key path.
 */
import { parseModelConfig, type MmmModelConfig } from '../../models/mmm/index.js';
import { ConfigError, describeValue, keyPath, Reader, readJsonConfig } from '../config/index.js';
import { DATE_FORMATS, type KpiScaling, type PartialDataSpec } from '../data/index.js';
import {
  stagedWarmupLengths,
  type AdaptationOptions,
  type NutsSampleOptions,
  type StagedAdaptationOptions,
  type StagedWarmupLengths,
} from '../../samplers/index.js';

/** `sampler.stagedWarmup`: the staged plan's stage lengths and stage-1 caps (samplers/staged.ts). */
export interface StagedWarmupConfig {
  readonly lengths?: StagedWarmupLengths;
  readonly diagMaxTreeDepth?: number;
  readonly diagAdaptDelta?: number;
}

export interface SamplerConfig {
  readonly chains: number;
  readonly warmup: number;
  readonly draws: number;
  readonly seed: number;
  readonly adaptDelta: number;
  readonly maxTreeDepth: number;
  /** 'diag' | 'dense'; 'lowRank' with warmupPlan 'nutpie'. */
  readonly metric: 'diag' | 'dense' | 'lowRank';
  /**
   * 'stan': Stan's windows per chain; 'staged': the staged dense warmup (metric 'dense';
   * samplers/staged.ts); 'nutpie': nutpie's adaptation, metric 'diag' (per chain) or 'lowRank'
   * (per chain as nutpie, or pooled across chains with pooledAdaptation; samplers/adaptation/nutpieAdapter.ts).
   * Left out of a config: 'nutpie', or 'stan' for metric 'dense' or a pooled 'diag' (defaultWarmupPlan).
   */
  readonly warmupPlan: 'stan' | 'staged' | 'nutpie';
  readonly pooledAdaptation: boolean;
  /** With warmupPlan 'staged': explicit stage lengths, stage 1's maximum tree depth and target acceptance (samplers/staged.ts). */
  readonly stagedWarmup: StagedWarmupConfig | undefined;
  /**
   * Choose each channel's partial-centering weight for the geo media effects from a pilot run, the
   * first 25% of the warmup (src/inference/centeringPilot.ts), where the model leaves the choice open
   * (model.geo.media "noncentered", the coefficient prior, more than one geo). Default false: on
   * simulated data it raised the ESS per gradient 1.2-3.1x on most data sets but left one chain with
   * 45-57 divergences on one (bench/README.md finding 20), a risk the default does not take.
   */
  readonly adaptiveCentering: boolean;
}

export interface RunConfig {
  readonly data: PartialDataSpec;
  readonly scaling: {
    readonly populationScaling: boolean;
    /**
     * How the KPI is scaled (src/data/scaling.ts): absent means "mean" (divided by its mean, the
     * reference model); "none" leaves it as it is (a KPI already in the model's units). Absent
     * rather than "mean" when not given, so configs without the key keep their batch fingerprints.
     */
    readonly kpi?: KpiScaling;
  };
  readonly model: MmmModelConfig;
  readonly sampler: SamplerConfig;
  /** Periods at the end left out of the likelihood and scored as a holdout. */
  readonly holdout: { readonly periods: number };
  /** Explicit imputation per column ('zero' | 'linear' | 'mean'); recorded in the run's provenance. */
  readonly impute: Readonly<Record<string, 'zero' | 'linear' | 'mean'>>;
}

/** What a run's sampler config gives `sampleModel` (besides progress). */
export type SamplerOptions = Pick<NutsSampleOptions, 'chains' | 'warmup' | 'draws' | 'seed'> & Required<Pick<NutsSampleOptions, 'kernel' | 'adaptation'>>;

/**
 * The sampler options of a run's sampler config: the flat config keys mapped to the sampler's
 * kernel and warmup strategy. Keys that do not make one strategy together (a staged plan without
 * the dense metric, stage lengths without the staged plan, ...) are a ConfigError naming the key.
 */
export function samplerOptions(sampler: SamplerConfig, file = 'config'): SamplerOptions {
  return {
    chains: sampler.chains,
    warmup: sampler.warmup,
    draws: sampler.draws,
    seed: sampler.seed,
    kernel: { algorithm: 'nuts', maxTreeDepth: sampler.maxTreeDepth },
    adaptation: warmupStrategy(sampler, file),
  };
}

function warmupStrategy(sampler: SamplerConfig, file: string): AdaptationOptions {
  const plan = sampler.warmupPlan;
  if (sampler.stagedWarmup !== undefined && plan !== 'staged') throw new ConfigError(file, 'sampler.stagedWarmup', 'only applies with sampler.warmupPlan "staged"');
  switch (plan) {
    case 'stan':
      if (sampler.metric === 'lowRank') throw new ConfigError(file, 'sampler.metric', '"lowRank" is the metric of sampler.warmupPlan "nutpie"; Stan\'s windows adapt "diag" or "dense"');
      return { kind: 'stan', metric: sampler.metric, pooled: sampler.pooledAdaptation, targetAcceptance: sampler.adaptDelta };
    case 'nutpie':
      if (sampler.metric === 'dense') throw new ConfigError(file, 'sampler.metric', 'warmupPlan "nutpie" adapts "diag" (per chain) or "lowRank" (per chain, or pooled across chains with pooledAdaptation), not "dense"');
      if (sampler.pooledAdaptation && sampler.metric !== 'lowRank') {
        throw new ConfigError(file, 'sampler.pooledAdaptation', 'with warmupPlan "nutpie" applies to metric "lowRank" only: the "diag" metric adapts per chain');
      }
      return sampler.metric === 'lowRank'
        ? { kind: 'nutpie', metric: 'lowRank', pooled: sampler.pooledAdaptation, targetAcceptance: sampler.adaptDelta }
        : { kind: 'nutpie', metric: 'diag', targetAcceptance: sampler.adaptDelta };
    case 'staged': {
      if (sampler.metric !== 'dense') throw new ConfigError(file, 'sampler.warmupPlan', '"staged" adapts a dense metric: set sampler.metric to "dense"');
      if (sampler.pooledAdaptation) throw new ConfigError(file, 'sampler.warmupPlan', '"staged" already pools the chains: leave sampler.pooledAdaptation false');
      const staged = sampler.stagedWarmup ?? {};
      try {
        stagedWarmupLengths(sampler.warmup, staged.lengths);
      } catch (error) {
        throw new ConfigError(file, 'sampler.stagedWarmup.lengths', (error as Error).message);
      }
      const adaptation: StagedAdaptationOptions = {
        kind: 'staged',
        targetAcceptance: sampler.adaptDelta,
        ...(staged.lengths !== undefined ? { lengths: staged.lengths } : {}),
        ...(staged.diagMaxTreeDepth !== undefined ? { diagMaxTreeDepth: staged.diagMaxTreeDepth } : {}),
        ...(staged.diagAdaptDelta !== undefined ? { diagTargetAcceptance: staged.diagAdaptDelta } : {}),
      };
      return adaptation;
    }
    default:
      throw new ConfigError(file, 'sampler.warmupPlan', `expected "stan", "staged" or "nutpie", got ${describeValue(plan)}`);
  }
}

export const DEFAULT_SAMPLER: SamplerConfig = {
  chains: 4,
  warmup: 1000,
  draws: 1000,
  seed: 20240601,
  adaptDelta: 0.8,
  maxTreeDepth: 10,
  metric: 'diag',
  warmupPlan: 'nutpie',
  pooledAdaptation: false,
  stagedWarmup: undefined,
  adaptiveCentering: false,
};

const TOP_KEYS = ['data', 'scaling', 'model', 'sampler', 'holdout', 'impute'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The warmup plan when the config names none: 'nutpie' (the default) unless the metric is dense or a diagonal metric is pooled. */
export function defaultWarmupPlan(metric: SamplerConfig['metric'], pooledAdaptation: boolean): SamplerConfig['warmupPlan'] {
  return metric === 'dense' || (metric === 'diag' && pooledAdaptation) ? 'stan' : 'nutpie';
}

/**
 * A config's sampler settings with a caller's overrides (fitMmm's and fitMediation's options, the
 * CLI's flags): only the sampler's own keys, undefined ones ignored. An override of the metric or of
 * pooledAdaptation without one of warmupPlan moves the plan with it where the config had the default
 * plan for its own metric (so `{ metric: 'dense' }` runs Stan's windows, as a config saying so would).
 */
export function withSamplerOverrides(sampler: SamplerConfig, overrides: object): SamplerConfig {
  const given = Object.fromEntries(Object.entries(overrides).filter(([key, v]) => v !== undefined && key in sampler)) as Partial<SamplerConfig>;
  const out: SamplerConfig = { ...sampler, ...given };
  const planFollows = given.warmupPlan === undefined && (given.metric !== undefined || given.pooledAdaptation !== undefined);
  if (planFollows && sampler.warmupPlan === defaultWarmupPlan(sampler.metric, sampler.pooledAdaptation)) {
    return { ...out, warmupPlan: defaultWarmupPlan(out.metric, out.pooledAdaptation) };
  }
  return out;
}

function parseSampler(value: unknown, file: string): SamplerConfig {
  if (value === undefined) return DEFAULT_SAMPLER;
  if (!isObject(value)) throw new ConfigError(file, 'sampler', 'expected an object');
  const out: Record<string, unknown> = { ...DEFAULT_SAMPLER };
  for (const [key, v] of Object.entries(value)) {
    const path = keyPath('sampler', key);
    switch (key) {
      case 'chains':
      case 'warmup':
      case 'draws':
      case 'maxTreeDepth':
      case 'seed': {
        const min = key === 'chains' || key === 'maxTreeDepth' || key === 'draws' ? 1 : 0;
        if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ConfigError(file, path, `expected an integer >= ${min}, got ${describeValue(v)}`);
        out[key] = v;
        break;
      }
      case 'adaptDelta':
        if (typeof v !== 'number' || !(v > 0 && v < 1)) throw new ConfigError(file, path, `expected a number in (0, 1), got ${describeValue(v)}`);
        out[key] = v;
        break;
      case 'metric':
        if (v !== 'diag' && v !== 'dense' && v !== 'lowRank') throw new ConfigError(file, path, `expected "diag", "dense" or "lowRank", got ${describeValue(v)}`);
        out[key] = v;
        break;
      case 'warmupPlan':
        if (v !== 'stan' && v !== 'staged' && v !== 'nutpie') throw new ConfigError(file, path, `expected "stan", "staged" or "nutpie", got ${describeValue(v)}`);
        out[key] = v;
        break;
      case 'pooledAdaptation':
      case 'adaptiveCentering':
        if (typeof v !== 'boolean') throw new ConfigError(file, path, `expected true or false, got ${describeValue(v)}`);
        out[key] = v;
        break;
      case 'stagedWarmup':
        out[key] = parseStagedWarmup(v, file, path);
        break;
      default:
        throw new ConfigError(file, path, `unknown key (allowed: ${Object.keys(DEFAULT_SAMPLER).join(', ')})`);
    }
  }
  // warmupPlan left out: nutpie's adaptation where it applies, Stan's windows for a dense metric or a
  // pooled diagonal one (the plans nutpie has no counterpart for).
  if (!('warmupPlan' in value)) out.warmupPlan = defaultWarmupPlan(out.metric as SamplerConfig['metric'], out.pooledAdaptation as boolean);
  const sampler = out as unknown as SamplerConfig;
  // The keys must make one warmup strategy together.
  samplerOptions(sampler, file);
  return sampler;
}

/** `sampler.stagedWarmup`: { lengths?: { diag, dense (one window or a list), final }, diagMaxTreeDepth?, diagAdaptDelta? }. */
function parseStagedWarmup(value: unknown, file: string, path: string): StagedWarmupConfig {
  if (!isObject(value)) throw new ConfigError(file, path, 'expected an object { lengths?: { diag, dense, final }, diagMaxTreeDepth?, diagAdaptDelta? }');
  const positiveInteger = (v: unknown, at: string): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ConfigError(file, at, `expected an integer >= 1, got ${describeValue(v)}`);
    return v;
  };
  let lengths: StagedWarmupConfig['lengths'];
  let diagMaxTreeDepth: number | undefined;
  let diagAdaptDelta: number | undefined;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'diagMaxTreeDepth') diagMaxTreeDepth = positiveInteger(v, `${path}.${key}`);
    else if (key === 'diagAdaptDelta') {
      if (typeof v !== 'number' || !(v > 0 && v < 1)) throw new ConfigError(file, keyPath(path, key), `expected a number in (0, 1), got ${describeValue(v)}`);
      diagAdaptDelta = v;
    } else if (key === 'lengths') {
      if (!isObject(v)) throw new ConfigError(file, `${path}.lengths`, 'expected an object { diag, dense, final } of iterations');
      for (const k of Object.keys(v)) {
        if (k !== 'diag' && k !== 'dense' && k !== 'final') throw new ConfigError(file, keyPath(`${path}.lengths`, k), 'unknown key (allowed: diag, dense, final)');
      }
      lengths = {
        diag: positiveInteger(v.diag, `${path}.lengths.diag`),
        dense: Array.isArray(v.dense) ? v.dense.map((w, i) => positiveInteger(w, `${path}.lengths.dense[${i}]`)) : positiveInteger(v.dense, `${path}.lengths.dense`),
        final: positiveInteger(v.final, `${path}.lengths.final`),
      };
    } else throw new ConfigError(file, keyPath(path, key), 'unknown key (allowed: lengths, diagMaxTreeDepth, diagAdaptDelta)');
  }
  return {
    ...(lengths ? { lengths } : {}),
    ...(diagMaxTreeDepth !== undefined ? { diagMaxTreeDepth } : {}),
    ...(diagAdaptDelta !== undefined ? { diagAdaptDelta } : {}),
  };
}

/** A run config from parsed JSON. */
export function parseRunConfig(json: unknown, file = 'config'): RunConfig {
  if (!isObject(json)) throw new ConfigError(file, '(top level)', 'expected a JSON object');
  for (const key of Object.keys(json)) {
    if (!TOP_KEYS.includes(key)) throw new ConfigError(file, keyPath('', key), `unknown key (allowed: ${TOP_KEYS.join(', ')})`);
  }
  let populationScaling = false;
  let kpiScaling: KpiScaling | undefined;
  if (json.scaling !== undefined) {
    if (!isObject(json.scaling)) throw new ConfigError(file, 'scaling', 'expected an object');
    for (const [key, v] of Object.entries(json.scaling)) {
      if (key === 'populationScaling') {
        if (typeof v !== 'boolean') throw new ConfigError(file, 'scaling.populationScaling', `expected true or false, got ${describeValue(v)}`);
        populationScaling = v;
      } else if (key === 'kpi') {
        if (v !== 'mean' && v !== 'none') throw new ConfigError(file, 'scaling.kpi', `expected "mean" (divide the KPI by its mean) or "none" (use it as it is), got ${describeValue(v)}`);
        kpiScaling = v;
      } else throw new ConfigError(file, keyPath('scaling', key), 'unknown key (allowed: populationScaling, kpi)');
    }
  }
  let holdoutPeriods = 0;
  if (json.holdout !== undefined) {
    if (!isObject(json.holdout)) throw new ConfigError(file, 'holdout', 'expected an object');
    for (const [key, v] of Object.entries(json.holdout)) {
      if (key !== 'periods') throw new ConfigError(file, keyPath('holdout', key), 'unknown key (allowed: periods)');
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new ConfigError(file, 'holdout.periods', `expected an integer >= 0, got ${describeValue(v)}`);
      holdoutPeriods = v;
    }
  }
  const impute: [string, 'zero' | 'linear' | 'mean'][] = [];
  if (json.impute !== undefined) {
    if (!isObject(json.impute)) throw new ConfigError(file, 'impute', 'expected an object {column: "zero" | "linear" | "mean"}');
    for (const [column, method] of Object.entries(json.impute)) {
      if (method !== 'zero' && method !== 'linear' && method !== 'mean') throw new ConfigError(file, keyPath('impute', column), `expected "zero", "linear" or "mean", got ${describeValue(method)}`);
      impute.push([column, method]);
    }
  }
  return {
    data: parseDataSpec(json.data, file),
    scaling: { populationScaling, ...(kpiScaling !== undefined ? { kpi: kpiScaling } : {}) },
    model: parseModelConfig(json.model, file),
    sampler: parseSampler(json.sampler, file),
    holdout: { periods: holdoutPeriods },
    // own keys whatever the column is called (an assignment to impute["__proto__"] would set the prototype)
    impute: Object.fromEntries(impute),
  };
}

const DATA_KEYS = ['geo', 'date', 'dateFormat', 'kpi', 'revenuePerKpi', 'population', 'channels', 'controls', 'events', 'organic', 'treatments'];

/**
 * `data`: the column roles (src/data types.ts PartialDataSpec). Keys and types are checked here,
 * with the file and key path; whether the columns exist, and the rules between roles, are checked
 * against the data file when it is read (src/data roles.ts). Returned as given.
 */
export function parseDataSpec(value: unknown, file = 'config'): PartialDataSpec {
  if (value === undefined) return {};
  if (!isObject(value)) throw new ConfigError(file, 'data', `expected an object of column roles, got ${describeValue(value)}`);
  const reader: Reader = new Reader(file);
  const data = reader.object(value, 'data', DATA_KEYS);
  const column = (v: unknown, path: string): void => {
    if (typeof v !== 'string' || v === '') reader.fail(path, `expected a column name, got ${describeValue(v)}`);
  };
  const name = (v: unknown, path: string): void => {
    if (typeof v !== 'string' || v.trim() === '') reader.fail(path, `expected a non-empty name, got ${describeValue(v)}`);
  };
  const list = (key: string, what: string, item: (v: unknown, path: string) => void): void => {
    const v = data[key];
    if (v === undefined) return;
    if (!Array.isArray(v)) reader.fail(`data.${key}`, `expected an array of ${what}, got ${describeValue(v)}`);
    v.forEach((x, i) => item(x, `data.${key}[${i}]`));
  };
  for (const key of ['date', 'kpi']) if (data[key] !== undefined) column(data[key], `data.${key}`);
  // null: there is none (do not detect one)
  for (const key of ['geo', 'revenuePerKpi', 'population']) if (data[key] !== undefined && data[key] !== null) column(data[key], `data.${key}`);
  if (data.dateFormat !== undefined) reader.oneOf(data.dateFormat, 'data.dateFormat', DATE_FORMATS);
  list('controls', 'column names', column);
  list('events', 'column names', column);
  list('channels', 'channels {"name", "spend", "media"?, "reach"?, "frequency"?}', (v, path) => {
    const ch = reader.object(v, path, ['name', 'spend', 'media', 'reach', 'frequency']);
    name(ch.name, `${path}.name`);
    column(ch.spend, `${path}.spend`);
    for (const key of ['media', 'reach', 'frequency']) if (ch[key] !== undefined) column(ch[key], `${path}.${key}`);
  });
  list('organic', 'organic channels {"name", "media" or "reach" and "frequency"}', (v, path) => {
    const o = reader.object(v, path, ['name', 'media', 'reach', 'frequency']);
    name(o.name, `${path}.name`);
    for (const key of ['media', 'reach', 'frequency']) if (o[key] !== undefined) column(o[key], `${path}.${key}`);
  });
  list('treatments', 'column names or {"column", "name"?, "baseline"?}', (v, path) => {
    if (typeof v === 'string') return column(v, path);
    const t = reader.object(v, path, ['column', 'name', 'baseline']);
    column(t.column, `${path}.column`);
    if (t.name !== undefined) name(t.name, `${path}.name`);
    const baseline = t.baseline;
    if (baseline !== undefined && baseline !== 'min' && baseline !== 'max' && !(typeof baseline === 'number' && Number.isFinite(baseline))) {
      reader.fail(`${path}.baseline`, `expected "min", "max" or a finite number (in the column's units), got ${describeValue(baseline)}`);
    }
  });
  return value as PartialDataSpec;
}

/** Read and parse a run config file. */
export function loadRunConfig(path: string): RunConfig {
  return parseRunConfig(readJsonConfig(path), path);
}
