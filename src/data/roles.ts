/**
 * Resolving the roles configuration: roles the user names are checked against the file's columns;
 * roles left out are detected from Meridian-style column names (google/meridian simulated data:
 * `geo`, `time`, `Channel0_spend`, `Channel0_impression`, `conversions`, `revenue_per_conversion`,
 * `population`, `*_control`, `Organic_*` organic channels), plus a few common spellings (`date`, `week`, `sales`, `revenue`,
 * `spend_<channel>`, `control_<name>`). Every detection is recorded with the rule that matched.
 * Event / holiday dummies are never detected: they must be named (`events`).
 */
import type { ChannelSpec, DataSpec, DateFormat, OrganicSpec, PartialDataSpec, RoleDetection, TreatmentSpec, ValidationIssue } from './types.js';
import { UNUSABLE_NAME } from './csv.js';
import { IssueCollector } from './errors.js';
import { quoted } from './cells.js';

export const DATE_FORMATS: readonly DateFormat[] = ['YYYY-MM-DD', 'M/D/YYYY', 'D/M/YYYY', 'M/D/YY'];

/** Exact names (after normalization: lower case, runs of space/./- read as "_") per role. */
export const DETECTION_NAMES = {
  geo: ['geo', 'region', 'dma', 'state', 'market', 'division', 'geo_id', 'geo_name'],
  date: ['date', 'time', 'week', 'date_week', 'week_start', 'wk_strt_dt', 'calendar_week', 'ds', 'day', 'period'],
  kpi: ['kpi', 'conversions', 'sales', 'revenue', 'y', 'target'],
  revenuePerKpi: ['revenue_per_conversion', 'revenue_per_kpi', 'revenue_per_unit'],
  population: ['population', 'pop'],
} as const;

const SPEND_SUFFIX = /^(.+?)_*spend$/;
const SPEND_PREFIX = /^spend_+(.+)$/;
const MEDIA_SUFFIX = /^(.+?)_*(?:impressions?|imps?|impr|exposures?)$/;
const MEDIA_PREFIX = /^(?:impressions?|imps?|impr|exposures?)_+(.+)$/;
const CONTROL = /(?:^control_+.+|.+_control)$/;
const ORGANIC = /^organic_+.+$/;
const REACH = /^(.+?)_*reach$/;
const FREQUENCY = /^(.+?)_*frequency$/;

/** Organic channel name from its column: the column without an exposure suffix ("Organic_channel0_impression" -> "Organic_channel0"). */
function organicNameOf(column: string): string {
  const trimmed = column.trim();
  const suffix = /^(.+?)[\s._-]*(?:impressions?|imps?|impr|exposures?)$/i.exec(trimmed);
  return suffix ? suffix[1] : trimmed;
}

/** The file's columns for a message: the first 30, quoted (a file may have thousands). */
function columnList(columns: readonly string[], max = 30): string {
  const shown = columns.slice(0, max).map((c) => quoted(c)).join(', ');
  return columns.length > max ? `${shown}, ... (${columns.length} columns in all)` : shown;
}

/** A spec value as a message shows it (`nothing` for an absent one). */
function given(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/[\s.\-]+/g, '_');
}

function stemOf(normalized: string, patterns: readonly RegExp[]): string | undefined {
  for (const p of patterns) {
    const m = p.exec(normalized);
    if (m) return m[1].replace(/_+$/, '');
  }
  return undefined;
}

/** Channel name from a spend column: the stem as written (e.g. "Channel0_spend" -> "Channel0"). */
function channelNameOf(column: string): string {
  const trimmed = column.trim();
  const suffix = /^(.+?)[\s._-]*spend$/i.exec(trimmed);
  if (suffix) return suffix[1];
  const prefix = /^spend[\s._-]+(.+)$/i.exec(trimmed);
  if (prefix) return prefix[1];
  return trimmed;
}

export interface ResolvedRoles {
  readonly spec: DataSpec;
  readonly detected: readonly RoleDetection[];
  readonly ignoredColumns: readonly string[];
}

/** The channel a column would be the spend of under the detection rules ("<name>_spend", "spend_<name>"), or undefined. */
export function spendColumnChannel(column: string): string | undefined {
  return stemOf(normalizeName(column), [SPEND_SUFFIX, SPEND_PREFIX]) === undefined ? undefined : channelNameOf(column);
}

/**
 * Complete a partial spec against the available columns. Problems (unknown or ambiguous columns,
 * a column in two roles, no KPI / date / channel) go to `issues` as errors. `withoutKpi`: the
 * table has no KPI (data to predict for): the KPI role is left empty (spec.kpi ''), a column the
 * spec names as the KPI is not read (it is listed with the ignored columns).
 */
export function resolveRoles(columns: readonly string[], input: PartialDataSpec, issues: IssueCollector, options: { readonly withoutKpi?: boolean } = {}): ResolvedRoles {
  const available = new Set(columns);
  const detected: RoleDetection[] = [];
  const listColumns = () => columnList(columns);

  const explicit = new Set<string>();
  const addExplicit = (c: string | null | undefined) => {
    if (typeof c === 'string') explicit.add(c);
  };
  addExplicit(input.geo);
  addExplicit(input.date);
  addExplicit(input.kpi);
  addExplicit(input.revenuePerKpi);
  addExplicit(input.population);
  input.channels?.forEach((ch) => {
    addExplicit(ch.spend);
    addExplicit(ch.media);
  });
  input.controls?.forEach(addExplicit);
  input.events?.forEach(addExplicit);
  input.organic?.forEach((o) => {
    addExplicit(o.media);
    addExplicit(o.reach);
    addExplicit(o.frequency);
  });
  const treatments: TreatmentSpec[] = (input.treatments ?? []).map((t, i) => {
    if (typeof t === 'string') return { column: t, name: t, baseline: 'min' };
    if (t === null || typeof t !== 'object' || typeof t.column !== 'string') {
      issues.error(`spec.treatments[${i}] must be a column name or {"column": ..., "name"?: ..., "baseline"?: "min" | "max" | number}, got ${given(t)}`);
      return { column: '', name: '', baseline: 'min' };
    }
    const baseline = t.baseline ?? 'min';
    if (baseline !== 'min' && baseline !== 'max' && !(typeof baseline === 'number' && Number.isFinite(baseline))) {
      issues.error(`spec.treatments[${i}].baseline must be "min", "max" or a finite number, got ${given(t.baseline)}`);
    }
    if (t.name !== undefined && (typeof t.name !== 'string' || t.name === '')) issues.error(`spec.treatments[${i}].name must be a non-empty string`);
    return { column: t.column, name: t.name ?? t.column, baseline };
  });
  treatments.forEach((t) => addExplicit(t.column));
  const candidates = columns.filter((c) => !explicit.has(c));

  const ambiguous = new Set<string>();
  /** A single-column role is detected only when exactly one free column has one of its names. */
  const detectSingle = (role: keyof typeof DETECTION_NAMES): string | undefined => {
    const names: readonly string[] = DETECTION_NAMES[role];
    const hits = candidates.filter((c) => !explicit.has(c) && names.includes(normalizeName(c)));
    if (hits.length > 1) {
      ambiguous.add(role);
      issues.error(
        `cannot detect the ${role} column: ${hits.map((h) => JSON.stringify(h)).join(' and ')} all match; name one in spec.${role}`,
      );
      return undefined;
    }
    if (hits.length === 0) return undefined;
    detected.push({ role, column: hits[0], rule: `name "${normalizeName(hits[0])}"` });
    explicit.add(hits[0]);
    return hits[0];
  };

  // single-column roles
  const geo = input.geo === undefined ? (detectSingle('geo') ?? null) : input.geo;
  const date = input.date ?? detectSingle('date');
  if (date === undefined && !ambiguous.has('date')) {
    issues.error(`no date column: none of ${DETECTION_NAMES.date.join(', ')} found; name it in spec.date (available columns: ${listColumns()})`);
  }
  const kpi = options.withoutKpi ? '' : (input.kpi ?? detectSingle('kpi'));
  if (kpi === undefined && !ambiguous.has('kpi')) {
    issues.error(`no KPI column: none of ${DETECTION_NAMES.kpi.join(', ')} found; name it in spec.kpi (available columns: ${listColumns()})`);
  }
  const revenuePerKpi = input.revenuePerKpi === undefined ? (detectSingle('revenuePerKpi') ?? null) : input.revenuePerKpi;
  const population = input.population === undefined ? (detectSingle('population') ?? null) : input.population;

  // organic channels (before the paid ones: "Organic_x_impression" also looks like an exposure column)
  let organic: OrganicSpec[];
  if (input.organic !== undefined) {
    organic = [...input.organic];
  } else {
    const organicColumns = candidates.filter((c) => !explicit.has(c) && ORGANIC.test(normalizeName(c)));
    // organic reach and frequency: "Organic_<name>_reach" with "Organic_<name>_frequency"
    const rfPairs = organicColumns.flatMap((reach) => {
      const stem = stemOf(normalizeName(reach), [REACH]);
      const frequency = stem === undefined ? undefined : organicColumns.find((c) => stemOf(normalizeName(c), [FREQUENCY]) === stem);
      return frequency === undefined ? [] : [{ stem: stem as string, reach, frequency }];
    });
    const paired = new Set(rfPairs.flatMap((p) => [p.reach, p.frequency]));
    const rfStems = new Set(rfPairs.map((p) => p.stem));
    organic = [];
    for (const c of organicColumns) {
      if (paired.has(c)) continue;
      const stem = stemOf(normalizeName(c), [MEDIA_SUFFIX]);
      if (stem !== undefined && rfStems.has(stem)) {
        explicit.add(c);
        issues.warn(`column ${JSON.stringify(c)} is not used: its organic channel is modelled from its reach and frequency columns`, { column: c });
        continue;
      }
      organic.push({ name: organicNameOf(c), media: c });
    }
    for (const p of rfPairs) organic.push({ name: p.reach.trim().replace(/[\s._-]*reach$/i, ''), reach: p.reach, frequency: p.frequency });
    organic.forEach((o, i) => {
      for (const [role, column] of [['media', o.media], ['reach', o.reach], ['frequency', o.frequency]] as const) {
        if (column === undefined) continue;
        explicit.add(column);
        detected.push({ role: `organic[${i}].${role}`, column, rule: o.reach === undefined ? 'organic channel ("Organic_<name>")' : 'organic reach and frequency ("Organic_<name>_reach", "Organic_<name>_frequency")' });
      }
    });
  }

  // channels
  let channels: ChannelSpec[];
  if (input.channels !== undefined) {
    channels = [...input.channels];
  } else {
    channels = [];
    const free = () => candidates.filter((c) => !explicit.has(c));
    for (const column of free()) {
      if (stemOf(normalizeName(column), [SPEND_SUFFIX, SPEND_PREFIX]) !== undefined) {
        channels.push({ name: channelNameOf(column), spend: column });
        explicit.add(column);
      }
    }
    const mediaColumns = free().filter((c) => stemOf(normalizeName(c), [MEDIA_SUFFIX, MEDIA_PREFIX]) !== undefined);
    const reachColumns = free().filter((c) => stemOf(normalizeName(c), [REACH]) !== undefined);
    const frequencyColumns = free().filter((c) => stemOf(normalizeName(c), [FREQUENCY]) !== undefined);
    channels = channels.map((ch, i) => {
      const stem = stemOf(normalizeName(ch.spend), [SPEND_SUFFIX, SPEND_PREFIX]);
      detected.push({ role: `channels[${i}].spend`, column: ch.spend, rule: 'spend column ("<name>_spend" or "spend_<name>")' });
      const reach = reachColumns.filter((c) => stemOf(normalizeName(c), [REACH]) === stem);
      const frequency = frequencyColumns.filter((c) => stemOf(normalizeName(c), [FREQUENCY]) === stem);
      if (reach.length === 1 && frequency.length === 1) {
        // a reach and frequency channel (Meridian's R&F): its exposure is reach x frequency, an impression column of the same stem is not used
        explicit.add(reach[0]);
        explicit.add(frequency[0]);
        detected.push({ role: `channels[${i}].reach`, column: reach[0], rule: 'reach column with the same stem ("<name>_reach")' });
        detected.push({ role: `channels[${i}].frequency`, column: frequency[0], rule: 'frequency column with the same stem ("<name>_frequency")' });
        for (const m of mediaColumns.filter((c) => stemOf(normalizeName(c), [MEDIA_SUFFIX, MEDIA_PREFIX]) === stem)) {
          explicit.add(m);
          issues.warn(`column ${JSON.stringify(m)} is not used: channel ${JSON.stringify(ch.name)} is a reach and frequency channel, modelled from ${JSON.stringify(reach[0])} and ${JSON.stringify(frequency[0])}`, { column: m });
        }
        return { ...ch, reach: reach[0], frequency: frequency[0] };
      }
      const matches = mediaColumns.filter((m) => stemOf(normalizeName(m), [MEDIA_SUFFIX, MEDIA_PREFIX]) === stem);
      if (matches.length > 1) {
        issues.error(
          `cannot detect the media column of channel ${JSON.stringify(ch.name)}: ${matches.map((m) => JSON.stringify(m)).join(' and ')} both match; name it in spec.channels`,
        );
        return ch;
      }
      if (matches.length === 1) {
        explicit.add(matches[0]);
        detected.push({ role: `channels[${i}].media`, column: matches[0], rule: 'exposure column with the same stem ("<name>_impression")' });
        return { ...ch, media: matches[0] };
      }
      return ch;
    });
    for (const m of mediaColumns) {
      if (!explicit.has(m)) {
        issues.warn(`column ${JSON.stringify(m)} looks like an exposure column but has no matching spend column; it is not used`, {
          column: m,
        });
      }
    }
    if (channels.length === 0) {
      issues.error(
        `no channels: no column is named "<name>_spend" or "spend_<name>"; name them in spec.channels (available columns: ${listColumns()})`,
      );
    }
  }

  // controls
  let controls: string[];
  if (input.controls !== undefined) {
    controls = [...input.controls];
  } else {
    controls = candidates.filter((c) => !explicit.has(c) && CONTROL.test(normalizeName(c)));
    controls.forEach((c, k) => {
      explicit.add(c);
      detected.push({ role: `controls[${k}]`, column: c, rule: 'control column ("<name>_control" or "control_<name>")' });
    });
  }
  const events = input.events !== undefined ? [...input.events] : [];

  // '' is how the resolved spec says "no date / KPI column" (roleColumns skips it): a spec giving '' names none
  if (input.date === '') issues.error('spec.date must name a column, got ""');
  if (input.kpi === '' && !options.withoutKpi) issues.error('spec.kpi must name a column, got ""');

  const dateFormat = input.dateFormat ?? 'YYYY-MM-DD';
  if (!DATE_FORMATS.includes(dateFormat)) {
    issues.error(`unknown dateFormat ${JSON.stringify(dateFormat)}; use one of ${DATE_FORMATS.join(', ')}`);
  }

  const spec: DataSpec = {
    geo,
    date: date ?? '',
    dateFormat,
    kpi: kpi ?? '',
    revenuePerKpi,
    population,
    channels,
    controls,
    events,
    organic,
    treatments,
  };
  checkSpec(spec, available, columns, issues);

  const used = new Set(usedColumns(spec));
  const ignoredColumns = columns.filter((c) => !used.has(c));
  return { spec, detected, ignoredColumns };
}

/** All columns a spec reads, with the role of each. */
export function roleColumns(spec: DataSpec): { role: string; column: string }[] {
  const out: { role: string; column: string }[] = [];
  if (spec.geo !== null) out.push({ role: 'geo', column: spec.geo });
  if (spec.date !== '') out.push({ role: 'date', column: spec.date });
  if (spec.kpi !== '') out.push({ role: 'kpi', column: spec.kpi });
  if (spec.revenuePerKpi !== null) out.push({ role: 'revenuePerKpi', column: spec.revenuePerKpi });
  if (spec.population !== null) out.push({ role: 'population', column: spec.population });
  spec.channels.forEach((ch, i) => {
    out.push({ role: `channels[${i}].spend`, column: ch.spend });
    if (ch.media !== undefined && ch.media !== ch.spend) out.push({ role: `channels[${i}].media`, column: ch.media });
    if (ch.reach !== undefined) out.push({ role: `channels[${i}].reach`, column: ch.reach });
    if (ch.frequency !== undefined) out.push({ role: `channels[${i}].frequency`, column: ch.frequency });
  });
  spec.controls.forEach((c, k) => out.push({ role: `controls[${k}]`, column: c }));
  spec.events.forEach((c, e) => out.push({ role: `events[${e}]`, column: c }));
  spec.organic.forEach((o, i) => {
    if (o.media !== undefined) out.push({ role: `organic[${i}].media`, column: o.media });
    if (o.reach !== undefined) out.push({ role: `organic[${i}].reach`, column: o.reach });
    if (o.frequency !== undefined) out.push({ role: `organic[${i}].frequency`, column: o.frequency });
  });
  spec.treatments.forEach((t, i) => out.push({ role: `treatments[${i}]`, column: t.column }));
  return out;
}

export function usedColumns(spec: DataSpec): string[] {
  return roleColumns(spec).map((r) => r.column);
}

function checkSpec(spec: DataSpec, available: Set<string>, columns: readonly string[], issues: IssueCollector): void {
  const listColumns = columnList(columns);
  // the file's columns by normalized name, built once: a spec may name thousands of unknown columns in a file of thousands
  let byNormalName: Map<string, string[]> | undefined;
  const columnsByNormalName = (): Map<string, string[]> => {
    if (byNormalName) return byNormalName;
    byNormalName = new Map();
    for (const c of columns) {
      const key = normalizeName(c);
      const list = byNormalName.get(key);
      if (list) list.push(c);
      else byNormalName.set(key, [c]);
    }
    return byNormalName;
  };
  const roles = roleColumns(spec);
  const firstRole = new Map<string, string>();
  for (const { role, column } of roles) {
    if (typeof column !== 'string') {
      issues.error(`spec.${role} must be a column name (string), got ${given(column)}`);
      continue;
    }
    if (column === '') {
      issues.error(`spec.${role} must name a column, got ""`);
      continue;
    }
    if (!available.has(column)) {
      const near = columnsByNormalName().get(normalizeName(column)) ?? [];
      const hint = near.length > 0 ? ` (did you mean ${near.map((c) => JSON.stringify(c)).join(' or ')}?)` : '';
      issues.error(`spec.${role} names column ${JSON.stringify(column)}, which is not in the file${hint}; available columns: ${listColumns}`);
      continue;
    }
    const prev = firstRole.get(column);
    if (prev !== undefined) {
      issues.error(`column ${JSON.stringify(column)} is used for two roles: ${prev} and ${role}`, { column });
    } else {
      firstRole.set(column, role);
    }
  }
  const names = new Set<string>();
  const unusable = (name: string, key: string) => {
    if (name === UNUSABLE_NAME) issues.error(`${key} ${JSON.stringify(UNUSABLE_NAME)} cannot be used (JavaScript reads it as an object's prototype); choose another name`);
  };
  spec.channels.forEach((ch, i) => {
    if ((ch.reach === undefined) !== (ch.frequency === undefined)) {
      issues.error(`spec.channels[${i}]: a reach and frequency channel needs both "reach" and "frequency" (got only ${ch.reach !== undefined ? '"reach"' : '"frequency"'})`);
    }
    if (ch.reach !== undefined && ch.media !== undefined) {
      issues.error(`spec.channels[${i}]: a reach and frequency channel's exposure is its reach and frequency; leave "media" out`);
    }
    if (typeof ch.name !== 'string' || ch.name === '') issues.error(`spec.channels[${i}].name must be a non-empty string`);
    else if (names.has(ch.name)) issues.error(`two channels are named ${JSON.stringify(ch.name)}`);
    else unusable(ch.name, `spec.channels[${i}].name`);
    names.add(ch.name);
  });
  spec.organic.forEach((o, i) => {
    const rf = o.reach !== undefined || o.frequency !== undefined;
    if (rf && (o.reach === undefined || o.frequency === undefined)) issues.error(`spec.organic[${i}]: organic reach and frequency needs both "reach" and "frequency"`);
    if (rf === (o.media !== undefined)) issues.error(`spec.organic[${i}]: give either "media" (an exposure column) or "reach" and "frequency", not ${rf ? 'both' : 'neither'}`);
    if (typeof o.name !== 'string' || o.name === '') issues.error(`spec.organic[${i}].name must be a non-empty string`);
    else if (names.has(o.name)) issues.error(`two channels are named ${JSON.stringify(o.name)} (spec.organic[${i}])`);
    else unusable(o.name, `spec.organic[${i}].name`);
    names.add(o.name);
  });
  const treatmentNames = new Set<string>();
  spec.treatments.forEach((t, i) => {
    const name = t.name ?? t.column;
    if (treatmentNames.has(name)) issues.error(`two treatments are named ${JSON.stringify(name)} (spec.treatments[${i}])`);
    else unusable(name, `spec.treatments[${i}].name`);
    treatmentNames.add(name);
  });
}

/**
 * Detect roles for a list of column names without reading any data (e.g. to show a user what
 * would be used). Returns the completed spec and the issues (errors and warnings) found.
 */
export function detectRoles(
  columns: readonly string[],
  spec: PartialDataSpec = {},
  fileName = '<columns>',
): ResolvedRoles & { readonly errors: readonly ValidationIssue[]; readonly warnings: readonly ValidationIssue[] } {
  const issues = new IssueCollector(fileName);
  const resolved = resolveRoles(columns, spec, issues);
  return { ...resolved, errors: issues.errors(), warnings: issues.warnings() };
}
