/**
 * Future periods to plan over (Meridian's `new_data`): a data file with the fitted data's layout
 * but no KPI, whose periods follow the fitted data's last date. The scenarios and the optimizer
 * then plan over these periods instead of the last N fitted ones (window.ts `future`).
 *
 * - Loading: the data layer with the run's stored roles (config.json `data`) and no KPI role
 *   (src/data/build.ts `withoutKpi`); a column the run reads as its KPI is not used (a warning
 *   says so), so a file of actuals can be fed as it is.
 * - Controls the file lacks (Meridian's future files carry none: the incremental KPI does not
 *   depend on them) are held at their fitted mean (0 standardized) over the future periods, and a
 *   warning says so: this sets the level of the predicted KPI, not the uplift of a plan or the
 *   allocation.
 * - Checks against the run (errors name the file, and the column where there is one): the same
 *   geos (any row order), the same channels, organic channels, controls, events and treatments
 *   (the roles the run reads; a spend or "Organic_" column the run does not know is an error, so a
 *   new channel is never dropped silently), the fitted frequency, and a first date exactly one
 *   period after the fitted data's last date: no gap and no overlap (adstock carryover and the
 *   trend count periods from the fitted data's end) — unless `follows` is set: then the file's
 *   periods, whatever their dates (e.g. Meridian's hypothetical flighting files, whose dates need
 *   not continue the fitted data), are taken as the F periods right after the fitted data's end,
 *   in their order, and a warning names the file's dates and the dates they stand for —, and the
 *   population of each geo equal to the
 *   fitted one (relative difference 1e-9: the fit's per-capita scaling and intercepts belong to it).
 * - Scaling: the fit's own constants (scaling.json of the run, src/data/scaling.ts `scaleWith`),
 *   never the future data's means. A run without scaling.json (written before it was stored) can
 *   still be used when the model has no controls or treatments (the media means and population are
 *   in design.json); otherwise it is an error asking for a refit.
 * - The result is the fitted design extended by the future periods (arrays [G, T + F, ...], the
 *   KPI NaN and unobserved there): adstock carries the fitted data's last periods into the future
 *   as it carries any period into the next, and the future window is the last F periods of the
 *   extended design. Time effects past the fitted periods follow src/analysis/baseline.ts
 *   `timeFeatures` (recorded as `timeEffects`).
 */
import { buildMmmData, loadCsvSource, scaleWith, spendColumnChannel, DataValidationError, type ImputeMethod, type MmmData, type PartialDataSpec, type Scaling, type ValidationIssue, isReachFrequencyKind } from '../data/index.js';
import { designDims, type MmmDesign, type MmmModelConfig } from '../../models/mmm/index.js';
import { timeExtrapolation, type TimeExtrapolation } from '../analysis/index.js';

export interface FuturePeriods {
  /** The future data file (as named to the loader). */
  readonly source: string;
  /** The future periods' dates (ISO): the file's, or with `follows` the periods after the fitted data's end. */
  readonly dates: readonly string[];
  /** With `follows`: the file's own first and last dates, which the dates above stand for. */
  readonly fileDates?: { readonly from: string; readonly to: string };
  /** Periods of the fitted data T, and its last date. */
  readonly fittedPeriods: number;
  readonly fittedTo: string;
  /** The fitted design followed by the future periods: [G, T + F, ...]. */
  readonly design: MmmDesign;
  /** How each time effect of the model is carried into the future periods. */
  readonly timeEffects: readonly TimeExtrapolation[];
  readonly warnings: readonly string[];
}

/** What a fitted run provides to read its future (src/run `readRun` gives each). */
export interface FittedRun {
  readonly design: MmmDesign;
  readonly model: MmmModelConfig;
  /** The run's data roles (config.json `data`). */
  readonly spec: PartialDataSpec;
  /** The fit's scaling constants (scaling.json); see the module comment when absent. */
  readonly scaling?: Scaling;
  /** The run's imputation per column (applied to the future file's columns too). */
  readonly impute?: Readonly<Record<string, ImputeMethod>>;
}

const DAY = 86400000;
const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;
const isoOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

/** Read a future data file against a fitted run (see the module comment). Throws DataValidationError. */
export async function loadFuturePeriods(path: string, run: FittedRun, options: { readonly follows?: boolean } = {}): Promise<FuturePeriods> {
  const spec: PartialDataSpec = { ...run.spec, organic: run.spec.organic ?? [], treatments: run.spec.treatments ?? [], events: run.spec.events ?? [], controls: run.spec.controls ?? [] };
  const source = await loadCsvSource(path);
  const columns = new Set(source.table.columnNames());
  const heldControls = (spec.controls ?? []).filter((column) => !columns.has(column));
  const impute = Object.fromEntries(Object.entries(run.impute ?? {}).filter(([column]) => column !== run.spec.kpi && !heldControls.includes(column)));
  const data = buildMmmData(source, { ...spec, controls: (spec.controls ?? []).filter((column) => columns.has(column)) }, { withoutKpi: true, impute });
  return futurePeriods(run.design, run.model, data, { scaling: run.scaling, kpiColumn: run.spec.kpi, source: path, follows: options.follows });
}

/** The scaling of a run without scaling.json, from its design (media means and population only). */
function scalingFromDesign(design: MmmDesign, file: string): Scaling {
  const { geos: G, periods: T, controls: K, treatments: NT } = designDims(design);
  if (K > 0 || NT > 0) {
    throw new Error(`${file}: the run has no scaling.json (it was written before the scaling constants were stored), so its controls and treatments cannot be put on the fit's scale; refit the run to plan on future periods`);
  }
  const population = design.population;
  return {
    G,
    T,
    populationScaling: population !== undefined,
    ...(population ? { population } : {}),
    kpiScaling: 'mean',
    kpiMean: design.kpiUnit[0] / (population ? population[0] : 1),
    spendMean: new Float64Array(design.channelNames.length),
    mediaMean: Float64Array.from(design.mediaUnit),
    controlMean: new Float64Array(0),
    controlSd: new Float64Array(0),
    treatmentMean: new Float64Array(0),
    treatmentSd: new Float64Array(0),
  };
}

/** The future file's frequency [G, F, C]; an error when the run has reach and frequency channels and the file has no frequency for them. */
function futureFrequency(data: MmmData, design: MmmDesign, file: string): Float64Array {
  const missing = design.channelNames.filter((name, c) => isReachFrequencyKind(design.channelKinds?.[c]) && !isReachFrequencyKind(data.channelKinds[data.channelNames.indexOf(name)]));
  if (!data.rfFrequency || missing.length > 0) {
    throw new Error(`${file}: the run's reach and frequency channel(s) ${(missing.length > 0 ? missing : design.channelNames.filter((_, c) => isReachFrequencyKind(design.channelKinds?.[c]))).join(', ')} need their <x>_reach and <x>_frequency columns in the future file`);
  }
  return data.rfFrequency;
}

/** `data` with its geos in `order` (order[g] = data's index of geo g). */
function reorderGeos(data: MmmData, order: readonly number[]): MmmData {
  const { T } = data;
  const blocks = (x: Float64Array, width: number) => {
    const out = new Float64Array(x.length);
    order.forEach((from, g) => out.set(x.subarray(from * T * width, (from + 1) * T * width), g * T * width));
    return out;
  };
  return {
    ...data,
    geoNames: order.map((from) => data.geoNames[from]),
    spend: blocks(data.spend, data.C),
    media: blocks(data.media, data.C),
    ...(data.rfFrequency ? { rfFrequency: blocks(data.rfFrequency, data.C) } : {}),
    controls: blocks(data.controls, data.K),
    events: blocks(data.events, data.E),
    treatments: blocks(data.treatments, data.treatmentNames.length),
    kpi: blocks(data.kpi, 1),
    ...(data.population ? { population: Float64Array.from(order, (from) => (data.population as Float64Array)[from]) } : {}),
    ...(data.revenuePerKpi ? { revenuePerKpi: blocks(data.revenuePerKpi, 1) } : {}),
  };
}

/** `data` with the controls `names` (a superset of its own, in that order), the missing ones at the scaling's mean. */
function withHeldControls(data: MmmData, names: readonly string[], scaling: Scaling): MmmData {
  if (names.length === data.K) return data;
  const K = names.length;
  const N = data.G * data.T;
  const controls = new Float64Array(N * K);
  names.forEach((name, k) => {
    const own = data.controlNames.indexOf(name);
    for (let n = 0; n < N; n++) controls[n * K + k] = own >= 0 ? data.controls[n * data.K + own] : scaling.controlMean[k];
  });
  return { ...data, K, controlNames: [...names], controls };
}

/** [G, T1 + T2, width] from [G, T1, width] and [G, T2, width]. */
function concatPeriods(a: Float64Array, T1: number, b: Float64Array, T2: number, G: number, width: number): Float64Array {
  const out = new Float64Array(G * (T1 + T2) * width);
  for (let g = 0; g < G; g++) {
    out.set(a.subarray(g * T1 * width, (g + 1) * T1 * width), g * (T1 + T2) * width);
    out.set(b.subarray(g * T2 * width, (g + 1) * T2 * width), (g * (T1 + T2) + T1) * width);
  }
  return out;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const list = (names: readonly string[]) => (names.length === 0 ? '(none)' : names.join(', '));

export interface FuturePeriodsOptions {
  /** The fit's scaling constants (see the module comment when absent). */
  readonly scaling?: Scaling;
  /** The run's KPI column (a warning says it is not used when the file has it). */
  readonly kpiColumn?: string;
  /** The file as reported with the results (default the data's file name). */
  readonly source?: string;
  /** Take the file's periods as the ones right after the fitted data, whatever their dates (module comment). */
  readonly follows?: boolean;
}

/**
 * Check validated future data against the fitted design, scale it with the fit's constants and
 * extend the design by it (see the module comment).
 */
export function futurePeriods(design: MmmDesign, config: MmmModelConfig, data: MmmData, options: FuturePeriodsOptions = {}): FuturePeriods {
  const { scaling, kpiColumn } = options;
  const file = data.provenance.fileName;
  const issues: ValidationIssue[] = [];
  const error = (message: string, column?: string) => issues.push({ severity: 'error', file, ...(column !== undefined ? { column } : {}), message });
  const { geos: G, periods: T, channels: C, controls: K, events: E, treatments: NT } = designDims(design);
  const spec = data.spec;

  // Geos: the same set, any order.
  const missingGeos = design.geoNames.filter((g) => !data.geoNames.includes(g));
  const extraGeos = data.geoNames.filter((g) => !design.geoNames.includes(g));
  if (missingGeos.length > 0) error(`the file lacks ${missingGeos.length} geo(s) of the run: ${list(missingGeos)} (every fitted geo needs its future periods)`, spec.geo ?? undefined);
  if (extraGeos.length > 0) error(`geo(s) ${list(extraGeos)} are not geos of the run (run geos: ${list(design.geoNames)})`, spec.geo ?? undefined);

  // Channels and the other roles: the same as the run's (they come from the run's roles, so this catches an inconsistent run).
  const heldControls = design.controlNames.filter((name) => !data.controlNames.includes(name));
  const roles: [string, readonly string[], readonly string[]][] = [
    ['channels', data.channelNames, design.channelNames],
    ['controls', data.controlNames, design.controlNames.filter((name) => !heldControls.includes(name))],
    ['events', data.eventNames, design.eventNames],
    ['treatments', data.treatmentNames, design.treatmentNames ?? []],
  ];
  for (const [role, got, want] of roles) if (!sameList(got, want)) error(`the file's ${role} (${list(got)}) are not the run's (${list(want)})`);
  for (const column of data.provenance.ignoredColumns) {
    const channel = spendColumnChannel(column);
    if (channel !== undefined && !design.channelNames.includes(channel)) {
      error(`column looks like the spend of channel "${channel}", which the run does not have (run channels: ${list(design.channelNames)}); a channel the model was not fitted on cannot be planned`, column);
    } else if (/^organic[\s._-]+/i.test(column.trim())) {
      error(`column looks like an organic channel the run does not have (run channels: ${list(design.channelNames)})`, column);
    }
  }
  const warnings: string[] = [];
  if (kpiColumn && data.provenance.ignoredColumns.includes(kpiColumn)) warnings.push(`${file}: column "${kpiColumn}" (the run's KPI) is not used: the KPI over the future periods is predicted`);

  // Dates: the fitted frequency, starting one period after the fitted data's end.
  const step = dayOf(design.dates[T - 1]) - dayOf(design.dates[T - 2]);
  const frequency = step === 1 ? 'daily' : 'weekly';
  if (data.dates.length >= 2 && data.frequency !== frequency) error(`the file is ${data.frequency}, the fitted data ${frequency}`, spec.date);
  const expected = isoOf(dayOf(design.dates[T - 1]) + step);
  const first = data.dates[0];
  const relabel = options.follows === true && first !== expected;
  if (first !== expected && !relabel) {
    const periods = (dayOf(first) - dayOf(expected)) / step;
    const what =
      dayOf(first) <= dayOf(design.dates[T - 1])
        ? `it overlaps the fitted data (${design.dates[0]} .. ${design.dates[T - 1]})`
        : `a gap of ${Number.isInteger(periods) ? `${periods} period(s)` : `${dayOf(first) - dayOf(expected)} days`}; gaps are not allowed: the carryover and the trend count periods from the fitted data's end`;
    error(`the future periods must start one period after the fitted data's last date ${design.dates[T - 1]}, i.e. on ${expected}; the first date is ${first} (${what}); to plan on the file's flighting as the periods after the fitted data anyway, pass --future-follows`, spec.date);
  }

  // Population: the fitted one per geo.
  const fittedPopulation = design.geoPopulation ?? design.population;
  if (fittedPopulation && data.population && missingGeos.length === 0 && extraGeos.length === 0) {
    design.geoNames.forEach((geo, g) => {
      const value = (data.population as Float64Array)[data.geoNames.indexOf(geo)];
      if (Math.abs(value - fittedPopulation[g]) > 1e-9 * Math.abs(fittedPopulation[g])) {
        error(`the population of geo "${geo}" is ${value}, the fitted data's ${fittedPopulation[g]}; it must be the same (the fit's scaling and intercepts are per geo)`, spec.population ?? undefined);
      }
    });
  }
  if (design.kpiValue && !data.revenuePerKpi) error('the run has a value per KPI unit (revenue per KPI), the file none');
  if (issues.length > 0) throw new DataValidationError(issues);

  // Controls the file lacks at their fitted mean; then scale with the fit's constants and extend the design.
  const fitScaling = scaling ?? scalingFromDesign(design, file);
  const ordered = reorderGeos(withHeldControls(data, design.controlNames, fitScaling), design.geoNames.map((geo) => data.geoNames.indexOf(geo)));
  if (heldControls.length > 0) {
    warnings.push(`${file}: control(s) ${list(heldControls)} are not in the file; they are held at their fitted mean over the future periods (this sets the level of the predicted KPI, not the uplift of a plan or the allocation)`);
  }
  const scaled = scaleWith(ordered, fitScaling);
  const F = ordered.T;
  const futureDates = relabel ? Array.from({ length: F }, (_, j) => isoOf(dayOf(design.dates[T - 1]) + (j + 1) * step)) : ordered.dates;
  if (relabel) {
    warnings.push(
      `${file}: its ${F} periods (${ordered.dates[0]} .. ${ordered.dates[F - 1]}) are taken as the ${F} periods after the fitted data (${futureDates[0]} .. ${futureDates[F - 1]}), in their order (--future-follows): carryover from the fitted data's last weeks and the time effects are those of these periods`,
    );
  }
  const observed = design.observed ?? new Float64Array(G * T).fill(1);
  const extended: MmmDesign = {
    ...design,
    dates: [...design.dates, ...futureDates],
    media: concatPeriods(design.media, T, scaled.media, F, G, C),
    spend: concatPeriods(design.spend, T, ordered.spend, F, G, C),
    // reach and frequency channels: the future's frequency (unscaled; its reach is the media)
    ...(design.rfFrequency ? { rfFrequency: concatPeriods(design.rfFrequency, T, futureFrequency(ordered, design, file), F, G, C) } : {}),
    controls: concatPeriods(design.controls, T, scaled.controls, F, G, K),
    events: concatPeriods(design.events, T, scaled.events, F, G, E),
    ...(NT > 0 ? { treatments: concatPeriods(design.treatments as Float64Array, T, scaled.treatments, F, G, NT) } : {}),
    kpi: concatPeriods(design.kpi, T, new Float64Array(G * F).fill(NaN), F, G, 1),
    ...(design.kpiValue ? { kpiValue: concatPeriods(design.kpiValue, T, ordered.revenuePerKpi as Float64Array, F, G, 1) } : {}),
    observed: concatPeriods(observed, T, new Float64Array(G * F), F, G, 1),
  };
  for (const issue of data.warnings) warnings.push(`${issue.file}${issue.column ? `, column "${issue.column}"` : ''}: ${issue.message}`);
  return {
    source: options.source ?? file,
    dates: futureDates,
    ...(relabel ? { fileDates: { from: ordered.dates[0], to: ordered.dates[F - 1] } } : {}),
    fittedPeriods: T,
    fittedTo: design.dates[T - 1],
    design: extended,
    timeEffects: timeExtrapolation(config),
    warnings,
  };
}
