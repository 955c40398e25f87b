/**
 * The linear baseline terms of the mean: a coefficient vector times fixed features, each with an
 * independent prior per coefficient (Normal by default):
 *   trend        delta tr[t],          tr[t] = (t - 1) / (T - 1)                      (time, shared by geos)
 *   knots        knot . w[t],          piecewise-linear interpolation weights [T, K]  (time; instead of the
 *                                      trend, config `time`: knots.ts, knotSelection.ts)
 *   seasonality  phi . f[t],           Fourier sin/cos of 2 pi s t / period, s = 1..S  (time)
 *   controls     gamma . z[g,t],       standardized controls                           (cell)
 *   events       xi . e[g,t],          event / holiday dummies                         (cell)
 *   treatments   treatment . x[g,t],   standardized non-media treatments (Meridian's)  (cell)
 * Time terms are summed into one per-period series before they are added to every geo's rows. Here:
 * the features, the parameters, the float64 reference per cell and the kernel block: forward
 * s[t] = sum over time terms, then mean[n] += sum over cell terms; backward from the mean's bar:
 * time coefficient bar_j = sum_t (sum_g meanBar[g,t]) x[t,j], cell coefficient bar_k = sum_n meanBar[n] z[n,k].
 * Given the media term they are linear with Gaussian priors, the block a collapsed model integrates out.
 * Past the data (`timeTermRow`): the trend continues its line, the Fourier terms their cycles, and the
 * knots' effect is held at the first knot's value before the first knot and the last's after the last.
 *
 * Hierarchical controls or treatments (config geo.controls / geo.treatments 'hierarchical', more than
 * one geo; Meridian's gamma_gc = gamma_c + xi_c z_gc, google/meridian meridian/model/equations.py):
 * geo g's coefficient is gamma[k] + gamma_sd[k] gamma_dev[g,k] with gamma_dev ~ N(0, 1) (non-centered,
 * as the geo intercepts' v; treatment, treatment_sd, treatment_dev alike). Backward per geo: with
 * bar_gk = sum over geo g's cells of meanBar[n] z[n,k], gamma bar_k = sum_g bar_gk, gamma_sd bar_k =
 * sum_g bar_gk gamma_dev[g,k], gamma_dev bar_gk = gamma_sd[k] bar_gk.
 */
import { fourierFeatures, trendFeature } from '../../../src/data/index.js';
import type { MmmModelConfig } from '../config.js';
import { designDims, type MmmDesign } from '../design.js';
import type { KernelParameters } from '../kernel/parameters.js';
import type { DrawValues } from './coefficients.js';
import { knotWeights, knotWeightsRow } from './knots.js';
import { timeKnots } from './knotSelection.js';
import { POSITIVE, REAL, type MmmParameter, type PriorDeclaration } from './types.js';

export const LINEAR_TERM_PRIORS: readonly PriorDeclaration[] = [
  { name: 'delta', description: 'trend over the whole period (scaled KPI)', support: REAL, defaultPrior: { dist: 'normal', loc: 0, scale: 0.5 } },
  // Normal(0, 0.5) as delta's: a knot value is the time effect's level at its period (a departure from
  // tau0 of the same kind as the trend's total change), on a KPI scaled to mean 1; wider than a Fourier
  // coefficient's 0.3 (one harmonic of a cycle). Meridian's Normal(0, 5) is on a KPI standardized by its
  // sd; on a mean-scaled KPI that width would let dense knots absorb the media's variation over time.
  { name: 'knot', description: "knots' time effect: its value at each knot (scaled KPI)", support: REAL, defaultPrior: { dist: 'normal', loc: 0, scale: 0.5 } },
  { name: 'phi', description: 'Fourier coefficients (sin1, cos1, sin2, ...)', support: REAL, defaultPrior: { dist: 'normal', loc: 0, scale: 0.3 } },
  { name: 'gamma', description: 'control coefficients (standardized controls)', support: REAL, defaultPrior: { dist: 'normal', loc: 0, scale: 0.3 } },
  { name: 'xi', description: 'event coefficients', support: REAL, defaultPrior: { dist: 'normal', loc: 0, scale: 0.3 } },
  { name: 'treatment', description: 'non-media treatment coefficients (standardized treatments)', support: REAL, defaultPrior: { dist: 'normal', loc: 0, scale: 0.3 } },
  { name: 'gamma_sd', description: 'geo sd of the control coefficients (`geo.controls` hierarchical)', support: POSITIVE, defaultPrior: { dist: 'halfNormal', scale: 0.1 } },
  { name: 'treatment_sd', description: 'geo sd of the treatment coefficients (`geo.treatments` hierarchical)', support: POSITIVE, defaultPrior: { dist: 'halfNormal', scale: 0.1 } },
];

/** The cell terms whose coefficients can vary by geo, with their hyperparameters' names. */
const GEO_VARYING = {
  gamma: { sd: 'gamma_sd', dev: 'gamma_dev' },
  treatment: { sd: 'treatment_sd', dev: 'treatment_dev' },
} as const;

export type GeoVaryingParameter = keyof typeof GEO_VARYING;

/** Geo-varying coefficients of a cell term: geo g's coefficient k is values[parameter][k] + values[sd][k] values[dev][g width + k]. */
export interface GeoVarying {
  readonly sd: 'gamma_sd' | 'treatment_sd';
  readonly dev: 'gamma_dev' | 'treatment_dev';
  readonly geos: number;
  readonly periods: number;
}

/** Whether the controls' (gamma) or treatments' (treatment) coefficients vary by geo under this config (hierarchical and more than one geo). */
export function geoVarying(design: MmmDesign, config: MmmModelConfig, parameter: GeoVaryingParameter): boolean {
  const form = parameter === 'gamma' ? config.geo.controls : config.geo.treatments;
  return form === 'hierarchical' && design.geoNames.length > 1;
}

/**
 * The coefficient of control (parameter 'gamma') or non-media treatment ('treatment') k in geo g of
 * one draw: gamma[k] pooled, gamma[k] + gamma_sd[k] gamma_dev[g,k] hierarchical.
 */
export function cellCoefficientHost(design: MmmDesign, config: MmmModelConfig, values: DrawValues, parameter: GeoVaryingParameter, g: number, k: number): number {
  const mean = values[parameter];
  if (!geoVarying(design, config, parameter)) return mean[k];
  const { sd, dev } = GEO_VARYING[parameter];
  return mean[k] + values[sd][k] * values[dev][g * mean.length + k];
}

export interface LinearTerm {
  /** The coefficient parameter. */
  readonly parameter: 'delta' | 'knot' | 'phi' | 'gamma' | 'xi' | 'treatment';
  readonly component: 'trend' | 'knots' | 'seasonality' | 'controls' | 'events' | 'treatments';
  /** 'time': features [T, width] shared by the geos; 'cell': features [N, width] (N = G T, geo-major). */
  readonly scope: 'time' | 'cell';
  readonly width: number;
  readonly columns: Float64Array;
  readonly elementNames: readonly string[];
  /** Cell terms only: the coefficients vary by geo (config geo.controls / geo.treatments 'hierarchical'). */
  readonly geoVarying?: GeoVarying;
}

/** Fourier term names: sin1, cos1, sin2, cos2, ... */
export function fourierNames(order: number): string[] {
  const names: string[] = [];
  for (let s = 1; s <= order; s++) names.push(`sin${s}`, `cos${s}`);
  return names;
}

/** The model's linear terms, in parameter-table order (trend or knots, seasonality, controls, events, treatments; absent ones left out). */
export function linearTerms(design: MmmDesign, config: MmmModelConfig): LinearTerm[] {
  const { geos: G, periods: T, controls: K, events: E, treatments: NT } = designDims(design);
  const S = config.seasonality.order;
  const terms: LinearTerm[] = [];
  const knots = timeKnots(design, config);
  if (knots && config.trend) throw new Error('model config: a linear trend lies in the span of the knots\' time effect (model.time): set model.trend to false');
  const varying = (parameter: GeoVaryingParameter) => (geoVarying(design, config, parameter) ? { geoVarying: { ...GEO_VARYING[parameter], geos: G, periods: T } } : {});
  if (config.trend) terms.push({ parameter: 'delta', component: 'trend', scope: 'time', width: 1, columns: trendFeature(T), elementNames: ['delta'] });
  if (knots) terms.push({ parameter: 'knot', component: 'knots', scope: 'time', width: knots.positions.length, columns: knotWeights(knots.positions, T), elementNames: knots.dates });
  if (S > 0) terms.push({ parameter: 'phi', component: 'seasonality', scope: 'time', width: 2 * S, columns: fourierFeatures(T, S, config.seasonality.period), elementNames: fourierNames(S) });
  if (K > 0) terms.push({ parameter: 'gamma', component: 'controls', scope: 'cell', width: K, columns: Float64Array.from(design.controls), elementNames: design.controlNames, ...varying('gamma') });
  if (E > 0) terms.push({ parameter: 'xi', component: 'events', scope: 'cell', width: E, columns: Float64Array.from(design.events), elementNames: design.eventNames });
  if (NT > 0) {
    terms.push({
      parameter: 'treatment', component: 'treatments', scope: 'cell', width: NT, columns: Float64Array.from(design.treatments as Float64Array), elementNames: design.treatmentNames as readonly string[], ...varying('treatment'),
    });
  }
  return terms;
}

/** The terms' coefficient rows; a geo-varying term adds its geo sd [width] and standardized geo effects [G, width] (`geoNames`). */
export function linearTermParameters(terms: readonly LinearTerm[], prior: (name: string) => MmmParameter['prior'], geoNames: readonly string[] = []): MmmParameter[] {
  return terms.flatMap((term): MmmParameter[] => {
    const row: MmmParameter = {
      name: term.parameter,
      shape: term.parameter === 'delta' ? [] : [term.width],
      support: REAL,
      prior: prior(term.parameter),
      elementNames: term.elementNames,
      component: term.component,
      description: term.geoVarying ? `mean ${term.component} coefficient over the geos` : LINEAR_TERM_PRIORS.find((p) => p.name === term.parameter)?.description ?? term.component,
    };
    const varying = term.geoVarying;
    if (!varying) return [row];
    return [
      row,
      { name: varying.sd, shape: [term.width], support: POSITIVE, prior: prior(varying.sd), elementNames: term.elementNames, component: term.component, description: `geo sd of the ${term.component} coefficients` },
      {
        name: varying.dev,
        shape: [varying.geos, term.width],
        support: REAL,
        prior: { kind: 'standardNormal' },
        elementNames: geoNames.flatMap((geo) => term.elementNames.map((name) => `${geo}:${name}`)),
        component: term.component,
        description: `standardized geo ${term.component} coefficient`,
      },
    ];
  });
}

/**
 * A time term's feature row at period t, also outside the data (t < 0 or t >= T, e.g. a forecast):
 * the trend (t / (T - 1)) continues its line, the Fourier terms their cycles (period t + 1 in
 * src/data's 1-based convention), the knots' weights are held at the end knots (knots.ts), so the
 * time effect stays at the last knot's value after the data. Inside the data it is the term's own row.
 */
export function timeTermRow(term: LinearTerm, design: MmmDesign, config: MmmModelConfig, t: number, out: Float64Array = new Float64Array(term.width)): Float64Array {
  if (term.scope !== 'time') throw new Error(`timeTermRow: ${term.component} is not a time term`);
  const T = design.dates.length;
  if (Number.isInteger(t) && t >= 0 && t < T) {
    for (let j = 0; j < term.width; j++) out[j] = term.columns[t * term.width + j];
    return out;
  }
  if (term.parameter === 'delta') out[0] = t / (T - 1);
  else if (term.parameter === 'knot') knotWeightsRow(t, timeKnots(design, config)?.positions ?? [], out);
  else {
    const period = config.seasonality.period;
    for (let s = 1; 2 * s <= term.width; s++) {
      const angle = (2 * Math.PI * s * (t + 1)) / period;
      out[2 * (s - 1)] = Math.sin(angle);
      out[2 * (s - 1) + 1] = Math.cos(angle);
    }
  }
  return out;
}

/** start + the linear terms at cell n = g T + t of one draw, float64 (added in term order). */
export function linearTermsHost(terms: readonly LinearTerm[], values: DrawValues, n: number, t: number, start = 0): number {
  let total = start;
  for (const term of terms) {
    const row = term.scope === 'time' ? t : n;
    const coefficients = values[term.parameter];
    const varying = term.geoVarying;
    if (varying) {
      const g = Math.floor(n / varying.periods);
      const sd = values[varying.sd];
      const dev = values[varying.dev];
      for (let j = 0; j < term.width; j++) total += (coefficients[j] + sd[j] * dev[g * term.width + j]) * term.columns[row * term.width + j];
    } else for (let j = 0; j < term.width; j++) total += coefficients[j] * term.columns[row * term.width + j];
  }
  return total;
}

interface CellInput {
  readonly term: LinearTerm;
  readonly input: number;
  /** Geo-varying terms: the inputs of the geo sd and the standardized geo effects (-1 otherwise). */
  readonly sd: number;
  readonly dev: number;
}

export class LinearTermsBlock {
  private readonly time: readonly { readonly term: LinearTerm; readonly input: number }[];
  private readonly cell: readonly CellInput[];
  private readonly seasonBar: Float64Array;
  /** The time terms' columns side by side [T, width] and one chain's coefficients [width]. */
  private readonly timeColumns: Float64Array;
  private readonly timeCoefficients: Float64Array;

  constructor(
    readonly terms: readonly LinearTerm[],
    private readonly params: KernelParameters,
    private readonly geos: number,
    private readonly periods: number,
  ) {
    const withInput = terms.map((term) => ({ term, input: params.indexOf(term.parameter) }));
    this.time = withInput.filter((x) => x.term.scope === 'time');
    this.cell = withInput
      .filter((x) => x.term.scope === 'cell')
      .map((x) => ({ ...x, sd: x.term.geoVarying ? params.indexOf(x.term.geoVarying.sd) : -1, dev: x.term.geoVarying ? params.indexOf(x.term.geoVarying.dev) : -1 }));
    this.seasonBar = new Float64Array(periods);
    const width = this.time.reduce((n, { term }) => n + term.width, 0);
    this.timeCoefficients = new Float64Array(width);
    this.timeColumns = new Float64Array(periods * width);
    for (let t = 0; t < periods; t++) {
      let j = 0;
      for (const { term } of this.time) for (let k = 0; k < term.width; k++) this.timeColumns[t * width + j++] = term.columns[t * term.width + k];
    }
  }

  /** season[t] = sum of chain b's time terms. */
  timeSeries(b: number, season: Float64Array): void {
    const coefficients = this.timeCoefficients;
    const columns = this.timeColumns;
    const width = coefficients.length;
    const p = this.params;
    let j = 0;
    for (const { term, input } of this.time) for (let k = 0; k < term.width; k++) coefficients[j++] = p.value(input, b, k);
    for (let t = 0; t < this.periods; t++) {
      let value = 0;
      for (let k = 0; k < width; k++) value += coefficients[k] * columns[t * width + k];
      season[t] = value;
    }
  }

  /** mean[n] += chain b's cell terms. */
  addCells(b: number, mean: Float64Array): void {
    const p = this.params;
    const { geos: G, periods: T } = this;
    const N = G * T;
    for (const { term, input, sd, dev } of this.cell) {
      const width = term.width;
      const columns = term.columns;
      for (let k = 0; k < width; k++) {
        const coefficient = p.value(input, b, k);
        if (sd < 0) for (let n = 0; n < N; n++) mean[n] += coefficient * columns[n * width + k];
        else {
          const scale = p.value(sd, b, k);
          for (let g = 0; g < G; g++) {
            const geoCoefficient = coefficient + scale * p.value(dev, b, g * width + k);
            for (let n = g * T; n < (g + 1) * T; n++) mean[n] += geoCoefficient * columns[n * width + k];
          }
        }
      }
    }
  }

  /** Coefficient gradients of chain b from the mean's bar [N]. */
  backward(b: number, meanBar: Float64Array): void {
    const p = this.params;
    const grad = p.grad;
    const { geos: G, periods: T, seasonBar } = this;
    if (this.time.length > 0) {
      seasonBar.fill(0);
      for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) seasonBar[t] += meanBar[g * T + t];
      for (const { term, input } of this.time) {
        const width = term.width;
        const columns = term.columns;
        for (let j = 0; j < width; j++) {
          let sum = 0;
          for (let t = 0; t < T; t++) sum += seasonBar[t] * columns[t * width + j];
          grad[p.at(input, b, j)] = sum;
        }
      }
    }
    const N = G * T;
    for (const { term, input, sd, dev } of this.cell) {
      const width = term.width;
      const columns = term.columns;
      for (let k = 0; k < width; k++) {
        if (sd < 0) {
          let sum = 0;
          for (let n = 0; n < N; n++) sum += meanBar[n] * columns[n * width + k];
          grad[p.at(input, b, k)] = sum;
          continue;
        }
        const scale = p.value(sd, b, k);
        let total = 0;
        let scaleBar = 0;
        for (let g = 0; g < G; g++) {
          let sum = 0;
          for (let n = g * T; n < (g + 1) * T; n++) sum += meanBar[n] * columns[n * width + k];
          total += sum;
          scaleBar += sum * p.value(dev, b, g * width + k);
          grad[p.at(dev, b, g * width + k)] = scale * sum;
        }
        grad[p.at(input, b, k)] = total;
        grad[p.at(sd, b, k)] = scaleBar;
      }
    }
  }
}
