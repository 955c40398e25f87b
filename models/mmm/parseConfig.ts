/**
 * Reading the model part of a JSON config: every key is checked (unknown keys, wrong types and
 * out-of-range values are errors naming the file and the key path); absent keys take the defaults
 * of config.ts. Nothing is coerced silently.
 */
import { ConfigError, describeValue, keyPath, Reader } from '../../src/config/index.js';
import {
  centeringWeight, DEFAULT_KPI_SHARE, DEFAULT_MODEL_CONFIG, mediaPriorWindows, PRIOR_PARAMETERS, TRANSFORM_ORDERS,
  type KpiShare, type LiftExperiment, type MediaPrior, type MmmModelConfig, type PriorName, type PriorSpec, type RoiPriorWindow, type SaturationSpec, type SaturationType, type TimeVaryingConfig,
} from './config.js';
import { mediaPriorLabel } from './components/coefficients.js';
import { ADSTOCK_TYPES } from './components/adstock/index.js';
import { SATURATION_TYPES } from './components/saturation/index.js';
import { mmmParameters, priorNames } from './parameters.js';
import { resolvePrior } from '../../src/distributions/index.js';
import type { MmmDesign } from './design.js';
import { channelTransformKinds, rfConfigProblem, transformRows } from './components/transformKinds.js';


type Json = unknown;

/**
 * model.geo.media: "centered" | "noncentered" | "pooled", or {channel: "centered" | "noncentered" | w}
 * with w in [0, 1] a partial-centering weight (0 = non-centered, 1 = centered). Channel names are
 * checked against the data when the model is built.
 */
function parseGeoMedia(reader: Reader, value: Json): MmmModelConfig['geo']['media'] {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const byChannel = reader.object(value, 'model.geo.media');
    return Object.fromEntries(
      Object.entries(byChannel).map(([channel, form]) => [
        channel,
        typeof form === 'number'
          ? reader.number(form, keyPath('model.geo.media', channel), (w) => w >= 0 && w <= 1, 'a centering weight in [0, 1] (0 = non-centered, 1 = centered)')
          : reader.oneOf(form, keyPath('model.geo.media', channel), ['centered', 'noncentered'] as const),
      ]),
    );
  }
  return reader.oneOf(value, 'model.geo.media', ['centered', 'noncentered', 'pooled'] as const);
}

/**
 * The lift experiments' names and dates against the data: known channel and geos, dates that are
 * periods of the data, and one measurement per measured period when given by week.
 */
export function checkExperiments(
  config: MmmModelConfig,
  data: { readonly channelNames: readonly string[]; readonly geoNames: readonly string[]; readonly dates: readonly string[] },
  file = 'config',
): void {
  (config.experiments ?? []).forEach((e, i) => {
    const path = `model.experiments[${i}]`;
    if (!data.channelNames.includes(e.channel)) throw new ConfigError(file, `${path}.channel`, `unknown channel "${e.channel}" (channels: ${data.channelNames.join(', ')})`);
    if (e.geos !== 'all') {
      e.geos.forEach((g, j) => {
        if (!data.geoNames.includes(g)) throw new ConfigError(file, `${path}.geos[${j}]`, `unknown geo "${g}" (geos: ${listSome(data.geoNames)})`);
      });
    }
    for (const key of ['from', 'to', 'measuredFrom', 'measuredTo'] as const) {
      if (!data.dates.includes(e[key])) {
        throw new ConfigError(file, `${path}.${key}`, `${e[key]} is not a period of the data (periods ${data.dates[0]} to ${data.dates[data.dates.length - 1]}, e.g. ${listSome(data.dates)})`);
      }
    }
    if (e.liftKpiByWeek) {
      const periods = data.dates.filter((d) => d >= e.measuredFrom && d <= e.measuredTo).length;
      if (e.liftKpiByWeek.length !== periods) {
        throw new ConfigError(file, `${path}.liftKpiByWeek`, `has ${e.liftKpiByWeek.length} values, but the measured window ${e.measuredFrom}..${e.measuredTo} has ${periods} periods: give one per period`);
      }
    }
  });
}

function listSome(names: readonly string[]): string {
  return names.length <= 8 ? names.join(', ') : `${names.slice(0, 8).join(', ')}, ... (${names.length} in all)`;
}

/** A prior {dist, ...parameters}: the parameters its distribution needs (PRIOR_PARAMETERS), numbers, arrays or objects by name. */
export function parsePrior(reader: Reader, value: Json, path: string): PriorSpec {
  const record = reader.object(value, path, ['dist', 'loc', 'scale', 'mu', 'sigma', 'a', 'b', 'shape', 'rate', 'df', 'lower', 'upper']);
  const dist = reader.oneOf(record.dist, `${path}.dist`, Object.keys(PRIOR_PARAMETERS) as PriorSpec['dist'][]);
  const expected = PRIOR_PARAMETERS[dist];
  for (const key of expected) if (record[key] === undefined) reader.fail(`${path}.${key}`, `${dist} needs "${key}" (parameters: ${expected.join(', ')})`);
  for (const [key, v] of Object.entries(record)) {
    if (key === 'dist') continue;
    if (!expected.includes(key)) reader.fail(`${path}.${key}`, `${dist} has no parameter "${key}" (parameters: ${expected.join(', ')})`);
    const ok =
      (typeof v === 'number' && Number.isFinite(v)) ||
      (Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x))) ||
      (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'number' && Number.isFinite(x)));
    if (!ok) reader.fail(`${path}.${key}`, `expected a number, an array of numbers (one per element) or an object of numbers by name, got ${describeValue(v)}`);
  }
  return record as unknown as PriorSpec;
}

/** A saturation spec {type, fixedSlope} at `path` (type absent: `fallback`). */
function parseSaturationSpec(reader: Reader, s: Record<string, Json>, path: string, fallback: SaturationType): SaturationSpec {
  const type = s.type === undefined ? fallback : reader.oneOf(s.type, `${path}.type`, SATURATION_TYPES);
  if (s.fixedSlope !== undefined && type !== 'hill') reader.fail(`${path}.fixedSlope`, `only applies to "hill" saturation, not "${type}"`);
  return s.fixedSlope === undefined ? { type } : { type, fixedSlope: reader.number(s.fixedSlope, `${path}.fixedSlope`, (x) => x > 0, 'a number > 0') };
}

/** {channel: value} of a `byChannel` key; channel names are checked against the data when the model is built. */
function parseByChannel<V>(reader: Reader, value: Json, path: string, parse: (v: Json, path: string) => V): Record<string, V> {
  const record = reader.object(value, path, typeof value === 'object' && value !== null ? Object.keys(value) : []);
  return Object.fromEntries(Object.entries(record).map(([channel, v]) => [channel, parse(v, keyPath(path, channel))]));
}

/** The model config from the `model` key of a JSON config (undefined gives the defaults). */
export function parseModelConfig(value: Json, file = 'config'): MmmModelConfig {
  if (value === undefined) return DEFAULT_MODEL_CONFIG;
  const reader = new Reader(file);
  const d = DEFAULT_MODEL_CONFIG;
  const root = reader.object(value, 'model', ['adstock', 'saturation', 'order', 'geo', 'trend', 'seasonality', 'time', 'likelihood', 'sigmaByGeo', 'mediaPrior', 'priors', 'experiments', 'linearBlock', 'timeVarying']);

  let adstock: MmmModelConfig['adstock'] = d.adstock;
  if (root.adstock !== undefined) {
    const a = reader.object(root.adstock, 'model.adstock', ['type', 'maxLag', 'byChannel']);
    const byChannel = a.byChannel === undefined ? undefined : parseByChannel(reader, a.byChannel, 'model.adstock.byChannel', (v, path) => {
      const o = reader.object(v, path, ['type']);
      if (o.type === undefined) reader.fail(`${path}.type`, `give the channel's adstock type (${ADSTOCK_TYPES.join(', ')}); maxLag is one for all channels`);
      return { type: reader.oneOf(o.type, `${path}.type`, ADSTOCK_TYPES) };
    });
    adstock = {
      type: a.type === undefined ? d.adstock.type : reader.oneOf(a.type, 'model.adstock.type', ADSTOCK_TYPES),
      maxLag: a.maxLag === undefined ? d.adstock.maxLag : reader.integer(a.maxLag, 'model.adstock.maxLag', 1, 104),
      ...(byChannel === undefined ? {} : { byChannel }),
    };
  }
  let saturation: MmmModelConfig['saturation'] = d.saturation;
  if (root.saturation !== undefined) {
    const s = reader.object(root.saturation, 'model.saturation', ['type', 'fixedSlope', 'byChannel']);
    const spec = parseSaturationSpec(reader, s, 'model.saturation', d.saturation.type);
    const byChannel = s.byChannel === undefined ? undefined : parseByChannel(reader, s.byChannel, 'model.saturation.byChannel', (v, path) => {
      const o = reader.object(v, path, ['type', 'fixedSlope']);
      if (o.type === undefined) reader.fail(`${path}.type`, `give the channel's saturation type (${SATURATION_TYPES.join(', ')}): an override is a whole spec, nothing is inherited`);
      return parseSaturationSpec(reader, o, path, d.saturation.type);
    });
    saturation = byChannel === undefined ? spec : { ...spec, byChannel };
  }
  let order: MmmModelConfig['order'];
  if (root.order !== undefined) {
    if (typeof root.order === 'string') order = { type: reader.oneOf(root.order, 'model.order', TRANSFORM_ORDERS) };
    else {
      const o = reader.object(root.order, 'model.order', ['type', 'byChannel']);
      const byChannel = o.byChannel === undefined ? undefined : parseByChannel(reader, o.byChannel, 'model.order.byChannel', (v, path) => reader.oneOf(v, path, TRANSFORM_ORDERS));
      order = { type: o.type === undefined ? 'adstockThenSaturation' : reader.oneOf(o.type, 'model.order.type', TRANSFORM_ORDERS), ...(byChannel === undefined ? {} : { byChannel }) };
    }
  }
  let geo = d.geo;
  if (root.geo !== undefined) {
    const g = reader.object(root.geo, 'model.geo', ['intercept', 'baselineGeo', 'media', 'controls', 'treatments']);
    const intercept = g.intercept === undefined ? d.geo.intercept : reader.oneOf(g.intercept, 'model.geo.intercept', ['centered', 'noncentered', 'fixed'] as const);
    let baselineGeo: string | undefined;
    if (g.baselineGeo !== undefined) {
      if (intercept !== 'fixed') reader.fail('model.geo.baselineGeo', `only applies to "intercept": "fixed", not "${intercept}"`);
      const name = g.baselineGeo;
      baselineGeo = typeof name === 'string' && name.trim() !== '' ? name : reader.fail('model.geo.baselineGeo', `expected a geo name, got ${describeValue(name)}`);
    }
    const controls = g.controls === undefined ? undefined : reader.oneOf(g.controls, 'model.geo.controls', ['pooled', 'hierarchical'] as const);
    const treatments = g.treatments === undefined ? undefined : reader.oneOf(g.treatments, 'model.geo.treatments', ['pooled', 'hierarchical'] as const);
    geo = {
      intercept,
      ...(baselineGeo === undefined ? {} : { baselineGeo }),
      media: g.media === undefined ? d.geo.media : parseGeoMedia(reader, g.media),
      ...(controls === undefined ? {} : { controls }),
      ...(treatments === undefined ? {} : { treatments }),
    };
  }
  const time = root.time === undefined ? undefined : parseTime(reader, root.time);
  const trend = root.trend === undefined ? (time ? false : d.trend) : reader.boolean(root.trend, 'model.trend');
  if (time && trend) {
    reader.fail('model.trend', 'a linear trend lies in the span of the knots\' piecewise-linear time effect (model.time): leave "trend" out (knots switch it off) or set it to false');
  }
  // With knots the time effect is theirs: no Fourier terms unless model.seasonality asks for them.
  let seasonality = time ? { ...d.seasonality, order: 0 } : d.seasonality;
  if (root.seasonality !== undefined) {
    const s = reader.object(root.seasonality, 'model.seasonality', ['order', 'period']);
    seasonality = {
      order: s.order === undefined ? d.seasonality.order : reader.integer(s.order, 'model.seasonality.order', 0, 26),
      period: s.period === undefined ? d.seasonality.period : reader.number(s.period, 'model.seasonality.period', (x) => x > 1, 'a number > 1 (periods per cycle)'),
    };
  }
  const likelihood = root.likelihood === undefined ? d.likelihood : reader.oneOf(root.likelihood, 'model.likelihood', ['normal', 'studentT'] as const);
  const sigmaByGeo = root.sigmaByGeo === undefined ? undefined : reader.boolean(root.sigmaByGeo, 'model.sigmaByGeo');
  const mediaPrior = root.mediaPrior === undefined ? d.mediaPrior : parseMediaPrior(reader, root.mediaPrior);
  const priors: Record<PriorName, PriorSpec> = {};
  if (root.priors !== undefined) {
    const p = reader.object(root.priors, 'model.priors', priorNames());
    for (const [name, spec] of Object.entries(p)) priors[name] = parsePrior(reader, spec, `model.priors.${name}`);
  }
  if (mediaPrior.type === 'roi' && mediaPrior.kpiShare && priors.roi) {
    reader.fail('model.mediaPrior.kpiShare', 'derives the ROI prior from the share of the KPI media explains, and model.priors.roi gives one too: keep one of them');
  }
  const linearBlock = root.linearBlock === undefined ? undefined : reader.oneOf(root.linearBlock, 'model.linearBlock', ['auto', 'integrate', 'sample'] as const);
  if (time?.knots === 'all' && seasonality.order > 0) {
    reader.fail('model.seasonality', 'a knot at every period ("knots": "all") spans every time effect, Fourier seasonality included: leave "seasonality" out or use fewer knots');
  }
  const timeVarying = root.timeVarying === undefined ? undefined : parseTimeVarying(reader, root.timeVarying);
  const parsed: MmmModelConfig = {
    adstock, saturation, ...(order === undefined ? {} : { order }), geo, trend, seasonality, ...(time ? { time } : {}), likelihood, ...(sigmaByGeo === undefined ? {} : { sigmaByGeo }), mediaPrior, priors, ...(linearBlock === undefined ? {} : { linearBlock }),
    ...(timeVarying === undefined ? {} : { timeVarying }),
  };
  return root.experiments === undefined ? parsed : { ...parsed, experiments: parseExperiments(reader, root.experiments) };
}

/**
 * `model.timeVarying`: {channels: [names] | "all", method? ("hsgp" | "randomWalk"), gridPeriods?
 * (randomWalk: integer >= 2), boundary? (hsgp: > 1), minLengthScale? (hsgp: periods, > 0),
 * basisFunctions? (hsgp: integer >= 1)} (config.ts TimeVaryingConfig; names are checked against the data later).
 */
function parseTimeVarying(reader: Reader, value: Json): TimeVaryingConfig {
  const o = reader.object(value, 'model.timeVarying', ['channels', 'method', 'gridPeriods', 'boundary', 'minLengthScale', 'basisFunctions']);
  let channels: TimeVaryingConfig['channels'];
  if (o.channels === 'all') channels = 'all';
  else if (Array.isArray(o.channels) && o.channels.length > 0) {
    channels = o.channels.map((name, i) => (typeof name === 'string' && name.trim() !== '' ? name : reader.fail(`model.timeVarying.channels[${i}]`, `expected a channel name, got ${describeValue(name)}`)));
    const seen = new Set<string>();
    channels.forEach((name, i) => {
      if (seen.has(name)) reader.fail(`model.timeVarying.channels[${i}]`, `"${name}" is listed twice`);
      seen.add(name);
    });
  } else {
    return reader.fail('model.timeVarying.channels', `expected a non-empty array of channel names or "all", got ${describeValue(o.channels)}`);
  }
  const method = o.method === undefined ? undefined : reader.oneOf(o.method, 'model.timeVarying.method', ['hsgp', 'randomWalk'] as const);
  if (method === 'randomWalk') {
    for (const key of ['boundary', 'minLengthScale', 'basisFunctions'] as const) {
      if (o[key] !== undefined) reader.fail(`model.timeVarying.${key}`, 'only applies to method "hsgp" (the random walk\'s grid is gridPeriods)');
    }
  } else if (o.gridPeriods !== undefined) {
    reader.fail('model.timeVarying.gridPeriods', 'only applies to method "randomWalk"');
  }
  const gridPeriods = o.gridPeriods === undefined ? undefined : reader.integer(o.gridPeriods, 'model.timeVarying.gridPeriods', 2);
  if (o.basisFunctions !== undefined && o.minLengthScale !== undefined) {
    reader.fail('model.timeVarying.basisFunctions', 'gives the basis count, and minLengthScale chooses one: keep one of them');
  }
  const boundary = o.boundary === undefined ? undefined : reader.number(o.boundary, 'model.timeVarying.boundary', (x) => x > 1, 'a boundary factor > 1 (1.5 is the default)');
  const minLengthScale = o.minLengthScale === undefined ? undefined : reader.number(o.minLengthScale, 'model.timeVarying.minLengthScale', (x) => x > 0, 'a length scale in periods > 0');
  const basisFunctions = o.basisFunctions === undefined ? undefined : reader.integer(o.basisFunctions, 'model.timeVarying.basisFunctions', 1, 200);
  return {
    channels,
    ...(method === undefined ? {} : { method }),
    ...(gridPeriods === undefined ? {} : { gridPeriods }),
    ...(boundary === undefined ? {} : { boundary }),
    ...(minLengthScale === undefined ? {} : { minLengthScale }),
    ...(basisFunctions === undefined ? {} : { basisFunctions }),
  };
}

/**
 * `model.time`: {"type": "trend"} (the default: trend and seasonality as their keys say; gives
 * undefined) or {"type": "knots", "knots": K | [period indices] | "all" | "auto"} (config.ts
 * TimeConfig; positions are checked against the data's periods later).
 */
function parseTime(reader: Reader, value: Json): MmmModelConfig['time'] {
  const t = reader.object(value, 'model.time', ['type', 'knots']);
  const type = reader.oneOf(t.type, 'model.time.type', ['trend', 'knots'] as const);
  if (type === 'trend') {
    if (t.knots !== undefined) reader.fail('model.time.knots', 'only applies to "type": "knots"');
    return undefined;
  }
  const k = t.knots;
  if (k === undefined) return { type };
  if (k === 'all' || k === 'auto') return { type, knots: k };
  if (typeof k === 'number') return { type, knots: reader.integer(k, 'model.time.knots', 2) };
  if (Array.isArray(k)) {
    const positions = k.map((p, i) => reader.integer(p, `model.time.knots[${i}]`, 0));
    if (positions.length < 2) reader.fail('model.time.knots', `needs at least 2 knot positions (a single knot is a constant, which the intercept already is), got ${positions.length}`);
    positions.forEach((p, i) => {
      if (i > 0 && p <= positions[i - 1]) reader.fail(`model.time.knots[${i}]`, `knot positions (period indices, 0 = the first period) must increase strictly: ${p} follows ${positions[i - 1]}`);
    });
    return { type, knots: positions };
  }
  return reader.fail('model.time.knots', `expected a number of knots (>= 2), an array of period indices (0 = the first period), "all" or "auto", got ${describeValue(k)}`);
}

const MEDIA_PRIOR_TYPES = ['coefficient', 'roi', 'contribution', 'mroi'] as const;

/**
 * `model.mediaPrior`: {type, window? (roi, contribution), kpiShare? (roi: true for Meridian's 0.4 +- 0.2,
 * or {mean, sd}; false or absent: none)}. Window channels are checked against the data later.
 */
function parseMediaPrior(reader: Reader, value: Json): MediaPrior {
  const m = reader.object(value, 'model.mediaPrior', ['type', 'window', 'kpiShare']);
  const type = reader.oneOf(m.type, 'model.mediaPrior.type', MEDIA_PRIOR_TYPES);
  if (m.window !== undefined && type !== 'roi' && type !== 'contribution') {
    reader.fail('model.mediaPrior.window', `only applies to types "roi" and "contribution", not "${type}"${type === 'mroi' ? ' (the mROI prior is over the whole period)' : ''}`);
  }
  if (m.kpiShare !== undefined && type !== 'roi') reader.fail('model.mediaPrior.kpiShare', `only applies to type "roi", not "${type}"`);
  if (type === 'coefficient' || type === 'mroi') return { type };
  const entries: [string, RoiPriorWindow][] = [];
  if (m.window !== undefined) {
    for (const [channel, w] of Object.entries(reader.object(m.window, 'model.mediaPrior.window'))) {
      const path = keyPath('model.mediaPrior.window', channel);
      const range = reader.object(w, path, ['from', 'to']);
      const from = reader.isoDate(range.from, `${path}.from`);
      const to = reader.isoDate(range.to, `${path}.to`);
      if (to < from) reader.fail(path, `"to" (${to}) is before "from" (${from})`);
      entries.push([channel, { from, to }]);
    }
  }
  // own keys whatever the channel is called (an assignment to windows["__proto__"] would set the prototype)
  const windows: Record<string, RoiPriorWindow> = Object.fromEntries(entries);
  if (type === 'contribution') return { type, window: windows };
  const kpiShare = m.kpiShare === undefined || m.kpiShare === false ? undefined : parseKpiShare(reader, m.kpiShare);
  if (kpiShare && Object.keys(windows).length > 0) {
    reader.fail('model.mediaPrior.kpiShare', 'states the share of the whole period\'s KPI media explains, so it cannot be combined with ROI windows (model.mediaPrior.window): give model.priors.roi instead');
  }
  return kpiShare ? { type, window: windows, kpiShare } : { type, window: windows };
}

/** `model.mediaPrior.kpiShare`: true (Meridian's 0.4 +- 0.2) or {mean in (0, 1), sd > 0}, each defaulting to Meridian's. */
function parseKpiShare(reader: Reader, value: Json): KpiShare {
  if (value === true) return DEFAULT_KPI_SHARE;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    reader.fail('model.mediaPrior.kpiShare', `expected true, false or {"mean": 0.4, "sd": 0.2}, got ${describeValue(value)}`);
  }
  const share = reader.object(value, 'model.mediaPrior.kpiShare', ['mean', 'sd']);
  return {
    mean: share.mean === undefined ? DEFAULT_KPI_SHARE.mean : reader.number(share.mean, 'model.mediaPrior.kpiShare.mean', (x) => x > 0 && x < 1, 'a share in (0, 1)'),
    sd: share.sd === undefined ? DEFAULT_KPI_SHARE.sd : reader.number(share.sd, 'model.mediaPrior.kpiShare.sd', (x) => x > 0, 'a number > 0'),
  };
}

const EXPERIMENT_KEYS = [
  'name', 'channel', 'geos', 'from', 'to', 'spendDelta', 'spendMultiplier', 'dataIncludesTest', 'measuredFrom', 'measuredTo',
  'liftKpi', 'liftSe', 'liftKpiByWeek', 'liftSeByWeek', 'likelihood', 'df',
];

/** `model.experiments`: lift tests (config.ts LiftExperiment); names and dates are checked against the data later. */
function parseExperiments(reader: Reader, value: Json): LiftExperiment[] {
  if (!Array.isArray(value)) reader.fail('model.experiments', `expected an array of experiments, got ${describeValue(value)}`);
  return value.map((item, i) => {
    const path = `model.experiments[${i}]`;
    const e = reader.object(item, path, EXPERIMENT_KEYS);
    const text = (v: Json, key: string): string => {
      if (typeof v !== 'string' || v.trim() === '') reader.fail(`${path}.${key}`, `expected a non-empty string, got ${describeValue(v)}`);
      return v;
    };
    const name = e.name === undefined ? undefined : text(e.name, 'name');
    const channel = text(e.channel, 'channel');
    let geos: readonly string[] | 'all' = 'all';
    if (e.geos !== undefined && e.geos !== 'all') {
      if (!Array.isArray(e.geos) || e.geos.length === 0) reader.fail(`${path}.geos`, `expected "all" or a non-empty array of geo names, got ${describeValue(e.geos)}`);
      geos = e.geos.map((g, j) => text(g, `geos[${j}]`));
      const seen = new Set<string>();
      geos.forEach((g, j) => {
        if (seen.has(g)) reader.fail(`${path}.geos[${j}]`, `geo "${g}" is listed twice`);
        seen.add(g);
      });
    }
    const from = reader.isoDate(e.from, `${path}.from`);
    const to = reader.isoDate(e.to, `${path}.to`);
    if (to < from) reader.fail(`${path}.to`, `"to" (${to}) is before "from" (${from})`);
    if ((e.spendDelta === undefined) === (e.spendMultiplier === undefined)) {
      reader.fail(path, 'give exactly one of "spendDelta" (change per geo and period, currency) and "spendMultiplier" (test spend / control spend)');
    }
    const dataIncludesTest = e.dataIncludesTest === undefined ? true : reader.boolean(e.dataIncludesTest, `${path}.dataIncludesTest`);
    const change: { spendDelta?: number; spendMultiplier?: number } = {};
    if (e.spendDelta !== undefined) change.spendDelta = reader.number(e.spendDelta, `${path}.spendDelta`, (x) => x !== 0, 'a finite non-zero number');
    else {
      const multiplier = reader.number(e.spendMultiplier, `${path}.spendMultiplier`, (x) => x >= 0 && x !== 1, 'a finite number >= 0 other than 1');
      if (multiplier === 0 && dataIncludesTest) {
        reader.fail(
          `${path}.spendMultiplier`,
          'a go-dark test (multiplier 0) whose test condition is in the data leaves the control spend unknown: give "spendDelta": -(the usual spend per geo and period) instead, or "dataIncludesTest": false if the data holds the usual spend',
        );
      }
      change.spendMultiplier = multiplier;
    }
    const measuredFrom = e.measuredFrom === undefined ? from : reader.isoDate(e.measuredFrom, `${path}.measuredFrom`);
    const measuredTo = e.measuredTo === undefined ? to : reader.isoDate(e.measuredTo, `${path}.measuredTo`);
    if (measuredTo < measuredFrom) reader.fail(`${path}.measuredTo`, `"measuredTo" (${measuredTo}) is before "measuredFrom" (${measuredFrom})`);
    if (measuredTo < from) reader.fail(`${path}.measuredTo`, `"measuredTo" (${measuredTo}) is before the test starts ("from" ${from}): nothing to measure`);
    const total = e.liftKpi !== undefined || e.liftSe !== undefined;
    const byWeek = e.liftKpiByWeek !== undefined || e.liftSeByWeek !== undefined;
    if (total === byWeek) reader.fail(path, 'give either "liftKpi" and "liftSe" (total over the measured periods) or "liftKpiByWeek" and "liftSeByWeek" (one per measured period)');
    const measurement: { liftKpi?: number; liftSe?: number; liftKpiByWeek?: number[]; liftSeByWeek?: number[] } = {};
    if (total) {
      measurement.liftKpi = reader.number(e.liftKpi, `${path}.liftKpi`);
      measurement.liftSe = reader.number(e.liftSe, `${path}.liftSe`, (x) => x > 0, 'a number > 0');
    } else {
      const numbers = (v: Json, key: string, positive: boolean): number[] => {
        if (!Array.isArray(v) || v.length === 0) reader.fail(`${path}.${key}`, `expected a non-empty array of numbers, got ${describeValue(v)}`);
        return v.map((x, j) => (positive ? reader.number(x, `${path}.${key}[${j}]`, (y) => y > 0, 'a number > 0') : reader.number(x, `${path}.${key}[${j}]`)));
      };
      measurement.liftKpiByWeek = numbers(e.liftKpiByWeek, 'liftKpiByWeek', false);
      measurement.liftSeByWeek = numbers(e.liftSeByWeek, 'liftSeByWeek', true);
      if (measurement.liftSeByWeek.length !== measurement.liftKpiByWeek.length) {
        reader.fail(`${path}.liftSeByWeek`, `has ${measurement.liftSeByWeek.length} values, "liftKpiByWeek" has ${measurement.liftKpiByWeek.length}: give one standard error per measured period`);
      }
    }
    const likelihood = e.likelihood === undefined ? 'normal' : reader.oneOf(e.likelihood, `${path}.likelihood`, ['normal', 'studentT'] as const);
    if (e.df !== undefined && likelihood !== 'studentT') reader.fail(`${path}.df`, 'only applies to "likelihood": "studentT"');
    const df = likelihood === 'studentT' ? (e.df === undefined ? 5 : reader.number(e.df, `${path}.df`, (x) => x > 0, 'a number > 0')) : undefined;
    return {
      ...(name === undefined ? {} : { name }),
      channel,
      geos,
      from,
      to,
      ...change,
      dataIncludesTest,
      measuredFrom,
      measuredTo,
      ...measurement,
      likelihood,
      ...(df === undefined ? {} : { df }),
    };
  });
}

/**
 * Check names in the config against the data (ROI windows must name channels). With `data`, the
 * lift experiments' channels, geos and dates are checked too (liftTests.ts `checkExperiments`).
 */
export function checkModelConfigAgainstData(
  config: MmmModelConfig,
  channelNames: readonly string[],
  file = 'config',
  data?: { readonly geoNames: readonly string[]; readonly dates: readonly string[]; readonly holdoutPeriods?: number; readonly controlNames?: readonly string[]; readonly treatmentNames?: readonly string[] },
): void {
  for (const channel of Object.keys(mediaPriorWindows(config.mediaPrior))) {
    if (!channelNames.includes(channel)) throw new ConfigError(file, keyPath('model.mediaPrior.window', channel), `unknown channel (channels: ${channelNames.join(', ')})`);
  }
  const overrides: [string, object | undefined][] = [
    ['model.adstock.byChannel', config.adstock.byChannel],
    ['model.saturation.byChannel', config.saturation.byChannel],
    ['model.order.byChannel', config.order?.byChannel],
  ];
  for (const [key, byChannel] of overrides) {
    for (const channel of Object.keys(byChannel ?? {})) {
      if (!channelNames.includes(channel)) throw new ConfigError(file, keyPath(key, channel), `unknown channel "${channel}" (channels: ${channelNames.join(', ')})`);
    }
  }
  const rf = rfConfigProblem(config);
  if (rf) throw new ConfigError(file, rf.key, rf.message);
  let rows: ReturnType<typeof transformRows>;
  try {
    rows = transformRows(config, channelNames);
  } catch (error) {
    throw new ConfigError(file, 'model.adstock.byChannel / model.saturation.byChannel', (error as Error).message);
  }
  // a support that depends on maxLag must not be empty (the delayed adstock's peak lag lies in [0, maxLag - 1])
  const maxLag = config.adstock.maxLag;
  for (const row of rows) {
    const support = row.parameter.support(maxLag);
    if (support.kind === 'interval' && !(support.upper > support.lower)) {
      throw new ConfigError(
        file,
        'model.adstock.maxLag',
        `${maxLag} leaves no room for ${row.parameter.name} (${row.parameter.description}) of the ${row.component} "${channelTransformKinds(config, [row.channels[0]])[0][row.component].type}" of channel(s) ${row.channels.join(', ')}, which lies in ${row.parameter.maxLagDependent?.support ?? `[${support.lower}, ${support.upper}]`}: use a longer maxLag or another kind`,
      );
    }
  }
  const varying = config.timeVarying?.channels;
  if (Array.isArray(varying)) {
    varying.forEach((channel, i) => {
      if (!channelNames.includes(channel)) throw new ConfigError(file, `model.timeVarying.channels[${i}]`, `unknown channel "${channel}" (channels: ${channelNames.join(', ')})`);
    });
  }
  const media = config.geo.media;
  if (typeof media === 'object') {
    for (const channel of Object.keys(media)) {
      if (!channelNames.includes(channel)) throw new ConfigError(file, keyPath('model.geo.media', channel), `unknown channel (channels: ${channelNames.join(', ')})`);
    }
    if (config.mediaPrior.type !== 'coefficient' && Object.values(media).some((form) => centeringWeight(form) > 0)) {
      throw new ConfigError(file, 'model.geo.media', `centering channels needs the coefficient prior (m); with ${mediaPriorLabel(config.mediaPrior.type)} m is derived: use non-centered or pooled media effects`);
    }
  }
  if (data) {
    if (config.geo.controls === 'hierarchical' && data.controlNames !== undefined && data.controlNames.length === 0) {
      throw new ConfigError(file, 'model.geo.controls', '"hierarchical" needs controls, and the data have none (name them in data.controls, or leave the key out)');
    }
    if (config.geo.treatments === 'hierarchical' && data.treatmentNames !== undefined && data.treatmentNames.length === 0) {
      throw new ConfigError(file, 'model.geo.treatments', '"hierarchical" needs non-media treatments, and the data have none (name them in data.treatments, or leave the key out)');
    }
    const baseline = config.geo.baselineGeo;
    if (baseline !== undefined && !data.geoNames.includes(baseline)) {
      throw new ConfigError(file, 'model.geo.baselineGeo', `unknown geo "${baseline}" (geos: ${listSome(data.geoNames)})`);
    }
    checkExperiments(config, { channelNames, geoNames: data.geoNames, dates: data.dates }, file);
    checkKnots(config, data.dates.length, data.geoNames.length, file, data.holdoutPeriods ?? 0);
  }
}

/**
 * The knots against the data's T periods and G geos: counts up to the fitted periods (T minus a
 * holdout's; counts and "all" span those, knotSelection.ts), positions inside [0, T - 1], no Fourier
 * terms with a knot at every fitted period (absent knots are one per period with more than one geo).
 */
export function checkKnots(config: MmmModelConfig, periods: number, geos: number, file = 'config', holdoutPeriods = 0): void {
  if (config.time?.type !== 'knots') return;
  const knots = config.time.knots ?? (geos > 1 ? 'all' : 'auto');
  const fitted = periods - holdoutPeriods;
  if (typeof knots === 'number' && knots > fitted) {
    const what = holdoutPeriods > 0 ? `the fit has ${fitted} periods (${periods} less the ${holdoutPeriods}-period holdout)` : `the data has ${periods} periods`;
    throw new ConfigError(file, 'model.time.knots', `${knots} knots, but ${what}: at most one knot per period`);
  }
  if (Array.isArray(knots)) {
    knots.forEach((p, i) => {
      if (p > periods - 1) throw new ConfigError(file, `model.time.knots[${i}]`, `${p} is not a period index of the data (0 to ${periods - 1})`);
    });
  }
  const count = knots === 'all' ? fitted : typeof knots === 'number' ? knots : Array.isArray(knots) ? knots.filter((p) => p < fitted).length : undefined;
  if (count === fitted && config.seasonality.order > 0) {
    const given = config.time.knots === undefined ? 'the default knots (one per period with more than one geo)' : `${count} knots on ${fitted} fitted periods`;
    throw new ConfigError(file, 'model.seasonality', `${given} put a knot at every period, which spans every time effect, Fourier seasonality included: leave "seasonality" out or give fewer knots`);
  }
}

/**
 * The priors of the config against the design's elements: a parameter given by name (`"mu": {"tv":
 * 0.5}`) must name the parameter's elements (channels, geos, controls, ...), a list must have one
 * value per element. A ConfigError naming the file and the key (the model's own check, when it is
 * built, names no file).
 */
export function checkPriors(design: MmmDesign, config: MmmModelConfig, file = 'config'): void {
  for (const row of mmmParameters(design, config)) {
    if (row.prior.kind !== 'config') continue;
    const where = `model.priors.${row.name}`;
    try {
      resolvePrior(row.prior.spec, row.elementNames, where);
    } catch (error) {
      // "<where>.<key>: <problem>" -> key path and problem
      const message = (error as Error).message;
      const split = message.startsWith(where) ? message.indexOf(': ', where.length) : -1;
      throw split < 0 ? new ConfigError(file, where, message) : new ConfigError(file, message.slice(0, split), message.slice(split + 2));
    }
  }
}
