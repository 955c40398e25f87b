/**
 * `idata.nc`: a fit as ArviZ InferenceData, one netCDF-4 file (netcdf4.ts) whose groups follow the
 * InferenceData schema (https://python.arviz.org/en/stable/schema/schema.html), so that
 * `az.from_netcdf("run/idata.nc")` or `xr.open_dataset("run/idata.nc", group="posterior")` reads it:
 *
 *   posterior             every posterior variable (sampled parameters and the integrated-out linear
 *                         block) over (chain, draw, ...) with named dimensions: geo, channel, control,
 *                         event, treatment where its elements are all of them, `<name>_<dim>` (e.g.
 *                         roi_channel, tau_offset_geo) where they are some, fourier_mode and knot_date for
 *                         seasonality and knots, else `<name>_dim_<k>` with the element labels (or
 *                         0..n-1); and derived per draw: ROI, mROI and media_contribution (chain, draw,
 *                         channel), ROI_by_geo and media_contribution_by_geo (chain, draw, geo, channel)
 *                         when there are several geos, treatment_contribution (chain, draw, treatment),
 *                         and with time-varying channels (model.timeVarying) effectiveness (chain, draw,
 *                         tv_channel, time) = exp(w_c(t)), each such channel's coefficient at the period
 *                         over its average (models/mmm components/timeVarying.ts `mediaEffectivenessHost`)
 *   sample_stats          lp, acceptance_rate, step_size, tree_depth, n_steps, diverging (bool), energy
 *   log_likelihood        kpi (chain, draw, geo, time) over the cells that entered the likelihood (the
 *                         holdout's periods are left out of `time` here, so `az.loo` scores what
 *                         loo_pointwise.csv scores); absent with `logLik: false` (`--no-log-lik`)
 *   posterior_predictive  kpi (chain, draw, geo, time): the KPI replicated per draw, every period, in
 *                         KPI units: the replicates of the report's posterior predictive check
 *                         (analysis/posteriorPredictive.ts, seeded streams from the fit's seed)
 *   observed_data         kpi (geo, time) in KPI units, every period
 *   constant_data         spend and media (geo, time, channel), controls, events, treatments (geo, time,
 *                         ...), frequency of reach and frequency channels, population (geo), revenue
 *                         per KPI (geo, time), in_likelihood (geo, time; with a holdout), as in the data
 *
 * chain and draw are 0-based (ArviZ's), where draws.arrow counts from 1; time holds the dates as
 * YYYY-MM-DD strings. Values are float64 except the two [chain, draw, geo, time] arrays,
 * log_likelihood and posterior_predictive, which are float32 as in log_lik.arrow: they are the large
 * ones (40 geos x 104 weeks x 4000 draws: 67 MB each in float32) and float32's relative 6e-8 is far
 * below the Monte Carlo and noise scale of either. Contributions are kept per channel and per geo and
 * channel, not per period: a [chain, draw, geo, time, channel] array would be 1.3 GB in float64 on
 * that run (the per-period posterior summaries are contributions.csv).
 *
 * Attributes: the root and every group have created_at, inference_library ("mixwell") and
 * inference_library_version (as ArviZ writes them); the root adds created_by, seed, backend and
 * config_sha256 (sha256 of the run's config.json text); posterior and sample_stats have
 * sampling_time (seconds) and tuning_steps (warmup iterations per chain).
 */
import { actualKpi, analyzeMedia, kpiLogLikelihood, posteriorPredictiveCheck, type KpiLogLikelihood, type PerDrawMetrics } from '../analysis/index.js';
import type { Posterior, PosteriorVariable } from '../ppl/index.js';
import { mediaEffectivenessHost, mmmParameters, timeVaryingChannels, type MmmDesign, type MmmParameter } from '../../models/mmm/index.js';
import type { MmmFit } from '../mmm/fit.js';
import type { MmmReport } from '../mmm/report.js';
import { writeNetcdf4, type NcAttributes, type NcDimension, type NcFile, type NcGroup, type NcValues, type NcVariable } from './netcdf4.js';
import { versions } from './versions.js';

export const IDATA_FILE = 'idata.nc';

export interface InferenceDataOptions {
  /** Write the log_likelihood group (default true). */
  readonly logLik?: boolean;
  /** ISO time of writing (default now). */
  readonly createdAt?: string;
  /** sha256 (hex) of the run's config.json text; the root attribute config_sha256 (left out when absent). */
  readonly configSha256?: string;
}

/** One group under construction: dimensions with their coordinates and the variables over them. */
class GroupBuilder {
  private readonly dimensions = new Map<string, NcDimension>();
  private readonly variables: NcVariable[] = [];

  constructor(
    readonly name: string,
    private readonly attrs: NcAttributes,
  ) {}

  /** Declare a dimension; false when the name is taken by other coordinates. */
  dimension(name: string, values: readonly string[] | BigInt64Array): boolean {
    const known = this.dimensions.get(name);
    if (known) {
      const current = known.values as ArrayLike<string | bigint | number>;
      return current.length === values.length && Array.from({ length: values.length }, (_, i) => current[i] === values[i]).every(Boolean);
    }
    if (this.variables.some((v) => v.name === name)) return false;
    this.dimensions.set(name, { name, values });
    return true;
  }

  variable(name: string, dims: readonly string[], values: NcValues, attrs?: NcAttributes): void {
    this.variables.push({ name, dims, values, ...(attrs ? { attrs } : {}) });
  }

  has(name: string): boolean {
    return this.dimensions.has(name) || this.variables.some((v) => v.name === name);
  }

  build(): NcGroup {
    return { name: this.name, dimensions: [...this.dimensions.values()], variables: this.variables, attrs: this.attrs };
  }
}

function indexCoordinate(length: number): BigInt64Array {
  return BigInt64Array.from({ length }, (_, i) => BigInt(i));
}

function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Labels of a generated quantity that has no row in the parameter table (models/mmm/model.ts
 * `generatedShapes`: the other parameterization's geo effects v, tau [G] and u [G, C], and a
 * geo-varying term's per-geo coefficients `<term>_geo` [G, width]), or undefined.
 */
function generatedLabels(variable: PosteriorVariable, table: readonly MmmParameter[], design: MmmDesign): (readonly string[] | undefined)[] | undefined {
  const G = design.geoNames.length;
  const shape = variable.shape;
  if ((variable.name === 'v' || variable.name === 'tau') && sameShape(shape, [G])) return [design.geoNames];
  if (variable.name === 'u' && sameShape(shape, [G, design.channelNames.length])) return [design.geoNames, design.channelNames];
  const base = variable.name.endsWith('_geo') ? table.find((r) => r.name === variable.name.slice(0, -4)) : undefined;
  if (base && base.shape.length === 1 && sameShape(shape, [G, base.shape[0]])) return [design.geoNames, base.elementNames];
  return undefined;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Per axis of a posterior variable: its element labels from the parameter table, where they can be read. */
function axisLabels(variable: PosteriorVariable, row: MmmParameter | undefined, table: readonly MmmParameter[], design: MmmDesign): (readonly string[] | undefined)[] {
  const shape = variable.shape;
  const geoNames = design.geoNames;
  const names = row && sameShape(row.shape, shape) && row.elementNames.length === shape.reduce((a, b) => a * b, 1) ? row.elementNames : undefined;
  if (!names) return generatedLabels(variable, table, design) ?? shape.map(() => undefined);
  if (shape.length === 1) return [names];
  if (shape.length === 2 && shape[0] === geoNames.length) {
    // [G, X] rows name their elements "geo:label" (coefficients.ts, linearTerms.ts)
    const width = shape[1];
    const labels = names.slice(0, width).map((name) => name.slice(geoNames[0].length + 1));
    const consistent = geoNames.every((geo, g) => labels.every((label, j) => names[g * width + j] === `${geo}:${label}`));
    return consistent ? [geoNames, labels] : [undefined, undefined];
  }
  return shape.map(() => undefined);
}

const COMPONENT_DIMENSIONS: Readonly<Record<string, string>> = { seasonality: 'fourier_mode', knots: 'knot_date' };

/** The dimension names of a posterior variable, declared in the group (module comment). */
function posteriorDims(group: GroupBuilder, variable: PosteriorVariable, table: readonly MmmParameter[], design: MmmDesign, reserved: ReadonlySet<string>): string[] {
  const row = table.find((r) => r.name === variable.name);
  const known: [string, readonly string[]][] = [
    ['geo', design.geoNames],
    ['channel', design.channelNames],
    ['control', design.controlNames],
    ['event', design.eventNames],
    ['treatment', design.treatmentNames ?? []],
  ];
  const labels = axisLabels(variable, row, table, design);
  return variable.shape.map((length, axis) => {
    const fallback = `${variable.name}_dim_${axis}`;
    const own = labels[axis];
    if (!own) {
      group.dimension(fallback, indexCoordinate(length));
      return fallback;
    }
    const candidates: string[] = [];
    for (const [name, values] of known) if (values.length > 0 && sameLabels(own, values)) candidates.push(name);
    for (const [name, values] of known) if (values.length > 0 && own.every((label) => values.includes(label))) candidates.push(`${variable.name}_${name}`);
    const byComponent = row ? COMPONENT_DIMENSIONS[row.component] : undefined;
    if (byComponent) candidates.push(byComponent);
    // a dimension never takes a variable's name (netCDF would read it as that dimension's coordinate)
    for (const name of candidates) if (!reserved.has(name) && group.dimension(name, own)) return name;
    if (!group.dimension(fallback, own)) throw new Error(`idata: no free dimension name for ${variable.name} axis ${axis}`);
    return fallback;
  });
}

/** Rearrange per-draw values [draws (in `drawIndices` order, every draw), size] into [chain, draw, size]. */
function chainMajor(values: Float64Array, drawIndices: Int32Array, total: number, size: number): Float64Array {
  const out = new Float64Array(total * size);
  drawIndices.forEach((index, d) => out.set(values.subarray(d * size, (d + 1) * size), index * size));
  return out;
}

const DERIVED_NAMES = ['ROI', 'mROI', 'media_contribution', 'ROI_by_geo', 'media_contribution_by_geo', 'treatment_contribution', 'effectiveness'];

function posteriorGroup(fit: MmmFit, report: MmmReport, attrs: NcAttributes): NcGroup {
  const { design } = fit;
  const posterior = fit.result.posterior;
  const group = new GroupBuilder('posterior', attrs);
  group.dimension('chain', indexCoordinate(posterior.chains));
  group.dimension('draw', indexCoordinate(posterior.drawsPerChain));
  const table = (fit.model as Partial<MmmFit['model']>).table ?? mmmParameters(design, fit.model.config);
  const reserved = new Set([...posterior.variables.map((v) => v.name), ...DERIVED_NAMES]);
  for (const variable of posterior.variables) {
    const row = table.find((r) => r.name === variable.name);
    const dims = posteriorDims(group, variable, table, design, reserved);
    group.variable(variable.name, ['chain', 'draw', ...dims], variable.values, row ? { long_name: row.description } : undefined);
  }
  const total = posterior.chains * posterior.drawsPerChain;
  // the report's per-draw media metrics when they cover every draw, else computed here
  const perDraw: PerDrawMetrics =
    report.media.drawIndices.length === total
      ? report.media.perDraw
      : analyzeMedia(design, fit.model.config, posterior, { byDate: false, byGeoDate: false }).perDraw;
  const drawIndices = report.media.drawIndices.length === total ? report.media.drawIndices : Int32Array.from({ length: total }, (_, i) => i);
  const G = design.geoNames.length;
  const C = design.channelNames.length;
  const NT = design.treatmentNames?.length ?? 0;
  const roiUnit = design.kpiValue ? 'revenue per unit of spend' : 'KPI per unit of spend';
  const derived = (name: string, dims: string[], values: Float64Array, size: number, description: string, units: string) => {
    if (group.has(name)) return; // a model parameter of that name (none today) wins
    group.variable(name, ['chain', 'draw', ...dims], chainMajor(values, drawIndices, total, size), { long_name: description, units });
  };
  group.dimension('channel', design.channelNames);
  derived('ROI', ['channel'], perDraw.roi, C, 'return on investment over the whole period (NaN for organic channels)', roiUnit);
  derived('mROI', ['channel'], perDraw.mroi, C, 'marginal ROI: +1% media over the whole period (NaN for organic channels)', roiUnit);
  derived('media_contribution', ['channel'], perDraw.contribution, C, 'contribution over all geos and periods', 'KPI');
  if (G > 1) {
    group.dimension('geo', design.geoNames);
    derived('ROI_by_geo', ['geo', 'channel'], perDraw.geoRoi, G * C, 'return on investment per geo (NaN for organic channels and geos without spend)', roiUnit);
    derived('media_contribution_by_geo', ['geo', 'channel'], perDraw.geoContribution, G * C, 'contribution per geo over all periods', 'KPI');
  }
  if (NT > 0) {
    // the treatment coefficients are the variable `treatment`, so their axis is `treatment_treatment`
    // (posteriorDims: a dimension never takes a variable's name); the contributions share that axis
    const names = design.treatmentNames as readonly string[];
    const dim = ['treatment', 'treatment_treatment', 'treatment_name'].find((name) => !reserved.has(name) && group.dimension(name, names));
    if (!dim) throw new Error('idata: no free dimension name for the treatments');
    derived('treatment_contribution', [dim], perDraw.treatment, NT, 'contribution of the non-media treatment over all geos and periods', 'KPI');
  }
  const effectiveness = effectivenessDraws(design, fit.model.config, posterior);
  if (effectiveness && !group.has('effectiveness')) {
    if (!group.dimension('tv_channel', effectiveness.channels)) throw new Error('idata: the dimension name tv_channel is taken');
    if (!group.dimension('time', design.dates)) throw new Error('idata: the dimension name time is taken in the posterior group');
    group.variable('effectiveness', ['chain', 'draw', 'tv_channel', 'time'], effectiveness.values, {
      long_name: "time-varying channel's effectiveness exp(w_c(t)): its coefficient at the period over its average (1 = average)",
      units: 'multiplier',
    });
  }
  return group.build();
}

/**
 * exp(w_c(t)) of the time-varying channels per draw, [chain, draw, tv_channel, time] (pooled draws
 * in chain-major order), or undefined when no channel varies.
 */
function effectivenessDraws(design: MmmDesign, config: MmmFit['model']['config'], posterior: Posterior): { channels: string[]; values: Float64Array } | undefined {
  const channels = timeVaryingChannels(config, design.channelNames);
  if (channels.length === 0) return undefined;
  const indices = channels.map((name) => design.channelNames.indexOf(name));
  const T = design.dates.length;
  const C = design.channelNames.length;
  const K = channels.length;
  const values = new Float64Array(posterior.chains * posterior.drawsPerChain * K * T);
  for (let chain = 0; chain < posterior.chains; chain++) {
    for (let draw = 0; draw < posterior.drawsPerChain; draw++) {
      const e = mediaEffectivenessHost(design, config, posterior.drawValues(chain, draw));
      if (!e) throw new Error('idata: model.timeVarying names channels but the draw has no effectiveness');
      const at = (chain * posterior.drawsPerChain + draw) * K * T;
      indices.forEach((c, k) => {
        for (let t = 0; t < T; t++) values[at + k * T + t] = e[t * C + c];
      });
    }
  }
  return { channels, values };
}

function sampleStatsGroup(fit: MmmFit, attrs: NcAttributes): NcGroup {
  const samples = fit.result.samples;
  const C = samples.chains;
  const D = samples.numDraws;
  const group = new GroupBuilder('sample_stats', attrs);
  group.dimension('chain', indexCoordinate(C));
  group.dimension('draw', indexCoordinate(D));
  const gather = <A extends NcValues>(make: (n: number) => A, pick: (c: number) => ArrayLike<number>): A => {
    const out = make(C * D);
    for (let c = 0; c < C; c++) {
      const source = pick(c);
      for (let d = 0; d < D; d++) out[c * D + d] = source[d];
    }
    return out;
  };
  const f64 = (n: number) => new Float64Array(n);
  const i32 = (n: number) => new Int32Array(n);
  const dims = ['chain', 'draw'];
  group.variable('lp', dims, gather(f64, (c) => samples.stats[c].logDensity), { long_name: 'log density of the model (up to a constant), constrained space' });
  group.variable('acceptance_rate', dims, gather(f64, (c) => samples.stats[c].acceptStat), { long_name: 'mean Metropolis acceptance probability over the trajectory' });
  group.variable('step_size', dims, gather(f64, (c) => samples.stats[c].stepSize));
  group.variable('tree_depth', dims, gather(i32, (c) => samples.stats[c].treeDepth));
  group.variable('n_steps', dims, gather(i32, (c) => samples.stats[c].nLeapfrog), { long_name: 'leapfrog steps' });
  group.variable('diverging', dims, gather((n) => new Int8Array(n), (c) => samples.stats[c].divergent), { dtype: 'bool' });
  group.variable('energy', dims, gather(f64, (c) => samples.stats[c].energy), { long_name: 'Hamiltonian energy' });
  return group.build();
}

/** [chain, draw, geo, time] float32 from a [cells, draws] matrix over some cells; periods without cells are left out. */
function cellsByDraw(design: MmmDesign, posterior: Posterior, cells: Int32Array, values: ArrayLike<number>, drawIndices: Int32Array): { periods: number[]; values: Float32Array } {
  const T = design.dates.length;
  const G = design.geoNames.length;
  const S = drawIndices.length;
  const periods = [...new Set(Array.from(cells, (n) => n % T))].sort((a, b) => a - b);
  const position = new Map(periods.map((t, i) => [t, i]));
  const P = periods.length;
  const out = new Float32Array(posterior.chains * posterior.drawsPerChain * G * P).fill(NaN);
  cells.forEach((n, row) => {
    const g = Math.floor(n / T);
    const p = position.get(n % T) as number;
    for (let s = 0; s < S; s++) out[(drawIndices[s] * G + g) * P + p] = values[row * S + s];
  });
  return { periods, values: out };
}

function logLikelihoodGroup(fit: MmmFit, logLik: KpiLogLikelihood, attrs: NcAttributes): NcGroup {
  const { design } = fit;
  const posterior = fit.result.posterior;
  const group = new GroupBuilder('log_likelihood', attrs);
  const { periods, values } = cellsByDraw(design, posterior, logLik.fitted.cells, logLik.fitted.matrix.values, logLik.drawIndices);
  group.dimension('chain', indexCoordinate(posterior.chains));
  group.dimension('draw', indexCoordinate(posterior.drawsPerChain));
  group.dimension('geo', design.geoNames);
  group.dimension('time', periods.map((t) => design.dates[t]));
  group.variable('kpi', ['chain', 'draw', 'geo', 'time'], values, {
    long_name: `pointwise log-likelihood of the KPI (${logLik.likelihood}), original units, fitted periods only`,
  });
  return group.build();
}

function posteriorPredictiveGroup(fit: MmmFit, attrs: NcAttributes): NcGroup {
  const { design } = fit;
  const posterior = fit.result.posterior;
  const G = design.geoNames.length;
  const T = design.dates.length;
  const total = posterior.chains * posterior.drawsPerChain;
  // the same seeded streams as the report's check (buildReport: seed = the fit's seed), all draws in
  // pooled (chain-major) order, written straight into the float32 array: no float64 copy of
  // [draws, G, T] beside it
  const values = new Float32Array(total * G * T);
  posteriorPredictiveCheck(design, fit.model.config, posterior, { seed: fit.sampler.seed, keepReplicates: total, replicatesInto: values });
  const group = new GroupBuilder('posterior_predictive', attrs);
  group.dimension('chain', indexCoordinate(posterior.chains));
  group.dimension('draw', indexCoordinate(posterior.drawsPerChain));
  group.dimension('geo', design.geoNames);
  group.dimension('time', design.dates);
  group.variable('kpi', ['chain', 'draw', 'geo', 'time'], values, { long_name: `KPI replicated from the likelihood (${fit.model.config.likelihood}) per draw`, units: 'KPI' });
  return group.build();
}

function observedDataGroup(fit: MmmFit, attrs: NcAttributes): NcGroup {
  const { design } = fit;
  const group = new GroupBuilder('observed_data', attrs);
  group.dimension('geo', design.geoNames);
  group.dimension('time', design.dates);
  group.variable('kpi', ['geo', 'time'], actualKpi(design), { long_name: `the KPI (${fit.data.spec.kpi}), every period`, units: 'KPI' });
  return group.build();
}

function constantDataGroup(fit: MmmFit, attrs: NcAttributes): NcGroup {
  const { design, data } = fit;
  const group = new GroupBuilder('constant_data', attrs);
  group.dimension('geo', design.geoNames);
  group.dimension('time', design.dates);
  group.dimension('channel', design.channelNames);
  group.variable('spend', ['geo', 'time', 'channel'], Float64Array.from(data.spend), { long_name: 'spend (0 for organic channels)' });
  group.variable('media', ['geo', 'time', 'channel'], Float64Array.from(data.media), { long_name: 'media input: impressions where given, reach for reach and frequency channels, else the spend' });
  if (data.rfFrequency) group.variable('frequency', ['geo', 'time', 'channel'], Float64Array.from(data.rfFrequency), { long_name: 'average frequency of reach and frequency channels (0 elsewhere)' });
  const cellTerm = (name: string, dim: string, names: readonly string[], values: Float64Array, description: string) => {
    if (names.length === 0) return;
    group.dimension(dim, names);
    group.variable(name, ['geo', 'time', dim], Float64Array.from(values), { long_name: description });
  };
  cellTerm('controls', 'control', data.controlNames, data.controls, 'controls as in the data (unscaled)');
  cellTerm('events', 'event', data.eventNames, data.events, 'event dummies');
  cellTerm('treatments', 'treatment', data.treatmentNames, data.treatments, 'non-media treatments as in the data (unscaled)');
  if (data.population) group.variable('population', ['geo'], Float64Array.from(data.population));
  if (data.revenuePerKpi) group.variable('revenue_per_kpi', ['geo', 'time'], Float64Array.from(data.revenuePerKpi));
  if (design.observed) group.variable('in_likelihood', ['geo', 'time'], Int8Array.from(design.observed), { dtype: 'bool', long_name: 'the cell entered the likelihood (false: held out)' });
  return group.build();
}

/** The InferenceData groups of a fit (module comment), ready for writeNetcdf4. */
export function inferenceData(fit: MmmFit, report: MmmReport, options: InferenceDataOptions = {}): NcFile {
  const version = versions().mixwell;
  const createdAt = options.createdAt ?? new Date().toISOString();
  const groupAttrs: NcAttributes = { created_at: createdAt, inference_library: 'mixwell', inference_library_version: version };
  const sampling: NcAttributes = { ...groupAttrs, sampling_time: fit.result.seconds.sampling, tuning_steps: fit.sampler.warmup };
  const posterior = fit.result.posterior;
  const total = posterior.chains * posterior.drawsPerChain;
  const groups: NcGroup[] = [posteriorGroup(fit, report, sampling), sampleStatsGroup(fit, sampling)];
  if (options.logLik ?? true) {
    const logLik = report.logLik.drawIndices.length === total ? report.logLik : kpiLogLikelihood(fit.design, fit.model.config, posterior);
    groups.push(logLikelihoodGroup(fit, logLik, groupAttrs));
  }
  groups.push(posteriorPredictiveGroup(fit, groupAttrs), observedDataGroup(fit, groupAttrs), constantDataGroup(fit, groupAttrs));
  return {
    attrs: {
      ...groupAttrs,
      created_by: `mixwell ${version}`,
      seed: fit.sampler.seed,
      backend: fit.backend.name,
      ...(options.configSha256 ? { config_sha256: options.configSha256 } : {}),
    },
    groups,
  };
}

/** Write idata.nc (module comment) to `path`. */
export async function writeInferenceData(path: string, fit: MmmFit, report: MmmReport, options: InferenceDataOptions = {}): Promise<void> {
  await writeNetcdf4(path, inferenceData(fit, report, options));
}
