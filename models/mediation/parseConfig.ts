/**
 * Reading the mediation model from JSON: the `model` object (every key optional, defaults in
 * config.ts) and the `mediators` object ({"search": {"drivenBy": ["social", "tv"]}}). Every key is
 * checked: unknown keys, wrong types and out-of-range values are ConfigErrors naming the file and
 * the key path. Nothing is coerced silently.
 */
import { parsePrior, type PriorSpec } from '../mmm/index.js';
import { describeValue, keyPath, Reader } from '../../src/config/index.js';
import {
  DEFAULT_MEDIATION_MODEL,
  MEDIATION_PRIOR_NAMES,
  type MediationAdstock,
  type MediationModelConfig,
  type MediationPriorName,
  type MediationSaturation,
  type MediatorSpec,
} from './config.js';

type Json = unknown;

function parseAdstock(reader: Reader, value: Json, path: string, fallback: MediationAdstock): MediationAdstock {
  if (value === undefined) return fallback;
  const a = reader.object(value, path, ['type', 'maxLag']);
  const type = reader.oneOf(a.type, `${path}.type`, ['geometric', 'none'] as const);
  if (type === 'none') {
    if (a.maxLag !== undefined) reader.fail(`${path}.maxLag`, 'only applies to type "geometric"');
    return { type };
  }
  const fallbackLag = fallback.type === 'geometric' ? fallback.maxLag : 8;
  return { type, maxLag: a.maxLag === undefined ? fallbackLag : reader.integer(a.maxLag, `${path}.maxLag`, 1, 104) };
}

function parseSaturation(reader: Reader, value: Json, path: string, allowNone: boolean, fallback: MediationSaturation): MediationSaturation {
  if (value === undefined) return fallback;
  const s = reader.object(value, path, ['type', 'fixedSlope']);
  const types = allowNone ? (['hill', 'michaelisMenten', 'logistic', 'none'] as const) : (['hill', 'michaelisMenten', 'logistic'] as const);
  const type = reader.oneOf(s.type, `${path}.type`, types);
  if (s.fixedSlope !== undefined && type !== 'hill') reader.fail(`${path}.fixedSlope`, `only applies to "hill" saturation, not "${type}"`);
  if (type === 'hill') return s.fixedSlope === undefined ? { type } : { type, fixedSlope: reader.positive(s.fixedSlope, `${path}.fixedSlope`) };
  return { type };
}


function parseMediators(reader: Reader, value: Json): Record<string, MediatorSpec> {
  if (value === undefined) reader.fail('mediators', 'required: an object {"<mediator channel>": {"drivenBy": ["<channel>", ...]}}');
  const root = reader.object(value, 'mediators');
  if (Object.keys(root).length === 0) reader.fail('mediators', 'at least one mediator is needed');
  const out: [string, MediatorSpec][] = [];
  for (const [name, spec] of Object.entries(root)) {
    const path = keyPath('mediators', name);
    const record = reader.object(spec, path, ['drivenBy']);
    const drivenBy = record.drivenBy;
    if (!Array.isArray(drivenBy) || drivenBy.length === 0) reader.fail(`${path}.drivenBy`, `expected a non-empty array of channel names, got ${describeValue(drivenBy)}`);
    drivenBy.forEach((d, i) => {
      if (typeof d !== 'string' || d === '') reader.fail(`${path}.drivenBy[${i}]`, `expected a channel name, got ${describeValue(d)}`);
    });
    out.push([name, { drivenBy: drivenBy as string[] }]);
  }
  // own keys whatever the mediator is called (an assignment to out["__proto__"] would set the prototype and drop it)
  return Object.fromEntries(out);
}

/** The mediation model from the `model` and `mediators` values of a JSON config. */
export function parseMediationModel(model: Json, mediators: Json, file = 'config'): MediationModelConfig {
  const reader = new Reader(file);
  const d = DEFAULT_MEDIATION_MODEL;
  const root = model === undefined ? {} : reader.object(model, 'model', [
    'adstock', 'saturation', 'mediatorAdstock', 'mediatorSaturation', 'trend', 'trendKnots', 'mediatorTrendKnots', 'seasonality', 'errors', 'priors',
  ]);
  const adstock = parseAdstock(reader, root.adstock, 'model.adstock', d.adstock);
  const saturation = parseSaturation(reader, root.saturation, 'model.saturation', false, d.saturation) as MediationModelConfig['saturation'];
  const mediatorAdstock = parseAdstock(reader, root.mediatorAdstock, 'model.mediatorAdstock', d.mediatorAdstock);
  const mediatorSaturation = parseSaturation(reader, root.mediatorSaturation, 'model.mediatorSaturation', true, d.mediatorSaturation);
  const trend = root.trend === undefined ? d.trend : reader.boolean(root.trend, 'model.trend');
  const trendKnots = root.trendKnots === undefined ? d.trendKnots : reader.integer(root.trendKnots, 'model.trendKnots', 0, 100);
  if (trendKnots > 0 && !trend) reader.fail('model.trendKnots', 'needs "trend": true');
  const mediatorTrendKnots = root.mediatorTrendKnots === undefined ? d.mediatorTrendKnots : reader.integer(root.mediatorTrendKnots, 'model.mediatorTrendKnots', 0, 100);
  if (mediatorTrendKnots > 0 && !trend) reader.fail('model.mediatorTrendKnots', 'needs "trend": true');
  let seasonality = d.seasonality;
  if (root.seasonality !== undefined) {
    const s = reader.object(root.seasonality, 'model.seasonality', ['order', 'period']);
    seasonality = {
      order: s.order === undefined ? d.seasonality.order : reader.integer(s.order, 'model.seasonality.order', 0, 26),
      period: s.period === undefined ? d.seasonality.period : reader.positive(s.period, 'model.seasonality.period', 1),
    };
  }
  const errors = root.errors === undefined ? d.errors : reader.oneOf(root.errors, 'model.errors', ['iid', 'ar1'] as const);
  const priors: Partial<Record<MediationPriorName, PriorSpec>> = {};
  if (root.priors !== undefined) {
    const p = reader.object(root.priors, 'model.priors', MEDIATION_PRIOR_NAMES);
    for (const [name, spec] of Object.entries(p)) priors[name as MediationPriorName] = parsePrior(reader, spec, `model.priors.${name}`);
  }
  return { adstock, saturation, mediatorAdstock, mediatorSaturation, trend, trendKnots, mediatorTrendKnots, seasonality, errors, mediators: parseMediators(reader, mediators), priors };
}
