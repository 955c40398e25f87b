/**
 * The mediation model's whole log density but the bijectors (likelihood of every equation and every
 * prior) as one host kernel (src/ppl/hostKernel.ts): float64 host loops with the hand-derived
 * gradient (reverse mode), built on the MMM's components: the adstock kind's weights and their
 * vector-Jacobian product (models/mmm/components/adstock), the saturation kind's scalar curve and
 * backward (models/mmm/components/saturation; 'none' is a linear path), and the host prior
 * densities of src/distributions/hostPrior.ts. Same model as referenceDensity.ts, which it is
 * tested against (tests/mediation.density.test.ts). Likelihood derivatives:
 *
 * - iid Normal errors: l = -1/2 sum r^2 / s^2 - T log s - T log sqrt(2 pi), r = observed - mean;
 *   dl/dmean_t = r_t / s^2, dl/ds = sum r^2 / s^3 - T / s.
 * - AR(1) errors (Prais & Winsten 1954): with e_t = r_t - rho r_{t-1},
 *   SS = (1 - rho^2) r_0^2 + sum_{t>=1} e_t^2, l = -SS / (2 s^2) - T log s - T log sqrt(2 pi) + log(1 - rho^2) / 2;
 *   dSS/dr_0 = 2 (1 - rho^2) r_0 - 2 rho e_1, dSS/dr_t = 2 e_t - 2 rho e_{t+1} (e_T = 0),
 *   dSS/drho = -2 rho r_0^2 - 2 sum e_t r_{t-1}, dl/drho = -dSS/drho / (2 s^2) - rho / (1 - rho^2).
 */
import { priorDerivative, priorLogDensity, resolvePrior, type PriorSpec, type ResolvedPrior } from '../../src/distributions/index.js';
import { fourierFeatures } from '../../src/data/index.js';
import type { HostKernel } from '../../src/ppl/index.js';
import { geometric, saturationKind, type AdstockKind, type MmmDesign, type SaturationKind, type SaturationOptions } from '../mmm/index.js';
import { trendColumns, type MediationAdstock, type MediationModelConfig, type MediationSaturation } from './config.js';
import type { MediationStructure } from './structure.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** One input of the kernel: a parameter of the model with its prior. */
export interface MediationInput {
  readonly name: string;
  readonly size: number;
  readonly prior: PriorSpec;
  /** For error messages: the `model.priors` key. */
  readonly priorName: string;
  /** Names of the elements (for per-element prior values). */
  readonly elementNames: readonly string[];
}

/** The adstock kind of an equation's inputs, or undefined for none (lag 0 only). */
function adstockOf(adstock: MediationAdstock): AdstockKind | undefined {
  return adstock.type === 'geometric' && adstock.maxLag > 1 ? geometric : undefined;
}

/** The saturation kind of an equation's inputs, or undefined for a linear path. */
function saturationOf(saturation: MediationSaturation): SaturationKind | undefined {
  return saturation.type === 'none' ? undefined : saturationKind(saturation.type);
}

/** A saturation config's options for its kind (Hill's fixed slope). */
export function saturationOptions(saturation: MediationSaturation): SaturationOptions {
  return saturation.type === 'hill' && saturation.fixedSlope !== undefined ? { fixedSlope: saturation.fixedSlope } : {};
}

/**
 * One equation input row (a channel's direct effect, or a path edge): h = sat(adstock(x)) with the
 * row's parameters, and its backward from dl/dh to the adstock and saturation parameters' bars.
 */
class TransformRow {
  readonly weights: Float64Array;
  readonly adstocked: Float64Array;
  readonly saturated: Float64Array;
  private readonly adstockBar: Float64Array;
  private readonly weightBar: Float64Array;

  constructor(
    private readonly adstock: AdstockKind | undefined,
    private readonly lags: number,
    private readonly saturation: SaturationKind | undefined,
    private readonly options: SaturationOptions,
    periods: number,
  ) {
    this.weights = new Float64Array(lags);
    this.adstocked = new Float64Array(periods);
    this.saturated = new Float64Array(periods);
    this.adstockBar = new Float64Array(periods);
    this.weightBar = new Float64Array(lags);
  }

  /** x: the input series read with stride (x[t * stride + column]); p*: the row's parameter values (the kinds' order). */
  forward(x: ArrayLike<number>, stride: number, column: number, pAdstock: ArrayLike<number>, pSaturation: ArrayLike<number>): void {
    const L = this.lags;
    if (this.adstock) this.adstock.weights(pAdstock, L, this.weights);
    else this.weights[0] = 1;
    const T = this.adstocked.length;
    for (let t = 0; t < T; t++) {
      let a = 0;
      const maxLag = Math.min(L, t + 1);
      for (let l = 0; l < maxLag; l++) a += this.weights[l] * x[(t - l) * stride + column];
      this.adstocked[t] = a;
    }
    const h = this.saturated;
    if (!this.saturation) h.set(this.adstocked);
    else for (let t = 0; t < T; t++) h[t] = this.saturation.value(pSaturation, this.options, this.adstocked[t]);
  }

  /**
   * Adds the row's parameter bars for dl/dh = gradH to adstockBar and saturationBar (the kinds'
   * order); the input series is data (no gradient). Cells with a <= 0 have h = 0 and contribute nothing.
   */
  backward(x: ArrayLike<number>, stride: number, column: number, pAdstock: ArrayLike<number>, pSaturation: ArrayLike<number>, gradH: Float64Array, adstockParameterBar: Float64Array, saturationParameterBar: Float64Array): void {
    const T = this.adstocked.length;
    const L = this.lags;
    const gradA = this.adstockBar;
    if (!this.saturation) gradA.set(gradH);
    else {
      for (let t = 0; t < T; t++) {
        const a = this.adstocked[t];
        gradA[t] = a > 0 ? this.saturation.backward(pSaturation, this.options, a, this.saturated[t], gradH[t], saturationParameterBar) : 0;
      }
    }
    if (!this.adstock) return;
    for (let l = 0; l < L; l++) {
      let sum = 0;
      for (let t = l; t < T; t++) sum += gradA[t] * x[(t - l) * stride + column];
      this.weightBar[l] = sum;
    }
    this.adstock.weightsBackward(pAdstock, L, this.weights, 0, this.weightBar, 0, adstockParameterBar);
  }
}

export function createMediationKernel(design: MmmDesign, config: MediationModelConfig, structure: MediationStructure, inputs: readonly MediationInput[]): HostKernel {
  const T = design.dates.length;
  const C = design.channelNames.length;
  const K = design.controlNames.length;
  const E = design.eventNames.length;
  const M = structure.mediators.length;
  const P = structure.edges.length;
  const S = config.seasonality.order;
  const Q = 1 + M;
  const L = config.adstock.type === 'geometric' ? config.adstock.maxLag : 1;
  const LM = config.mediatorAdstock.type === 'geometric' ? config.mediatorAdstock.maxLag : 1;
  const trendWidth = (q: number) => (config.trend ? 1 + (q === 0 ? config.trendKnots : config.mediatorTrendKnots) : 0);
  const trends = [trendColumns(T, config.trendKnots), trendColumns(T, config.mediatorTrendKnots)];
  const trendOf = (q: number) => trends[q === 0 ? 0 : 1];
  const fourier = S > 0 ? fourierFeatures(T, S, config.seasonality.period) : undefined;
  const media = design.media;
  const index = new Map(inputs.map((input, i) => [input.name, i]));
  const offsets: number[] = [];
  let width = 0;
  for (const input of inputs) {
    offsets.push(width);
    width += input.size;
  }
  const priors: ResolvedPrior[] = inputs.map((input) => resolvePrior(input.prior, input.elementNames, `model config: priors.${input.priorName}`));
  const kpiAdstock = adstockOf(config.adstock);
  const pathAdstock = adstockOf(config.mediatorAdstock);
  const kpiSaturation = saturationOf(config.saturation);
  const pathSaturation = saturationOf(config.mediatorSaturation);
  const kpiOptions = saturationOptions(config.saturation);
  const pathOptions = saturationOptions(config.mediatorSaturation);
  /** Input indices of a row kind's parameters, e.g. ['alpha'] or ['path_k', 'path_s'] (prefix + the kinds' parameter names). */
  const inputsOf = (prefix: '' | 'path_', names: readonly string[]) => names.map((name) => index.get(`${prefix}${name}`) as number);
  const kpiAdstockInputs = inputsOf('', kpiAdstock?.parameters.map((p) => p.name) ?? []);
  const pathAdstockInputs = inputsOf('path_', pathAdstock?.parameters.map((p) => p.name) ?? []);
  const kpiSaturationInputs = inputsOf('', kpiSaturation?.parameters(kpiOptions).map((p) => p.name) ?? []);
  const pathSaturationInputs = inputsOf('path_', pathSaturation?.parameters(pathOptions).map((p) => p.name) ?? []);
  const observed = (q: number, t: number) => (q === 0 ? design.kpi[t] : media[t * C + structure.mediators[q - 1]]);

  // State of the last forward, per chain.
  let chains = 0;
  let views: readonly ArrayLike<number>[] = [];
  let directRows: TransformRow[][] = [];
  let pathRows: TransformRow[][] = [];
  let residuals: Float64Array[] = []; // [B][Q * T]

  const value = (b: number, name: string, j = 0): number | undefined => {
    const i = index.get(name);
    return i === undefined ? undefined : views[i][b * inputs[i].size + j];
  };
  /** Element j of each of the given inputs at chain b (a row's parameters, the kinds' order). */
  const rowValues = (b: number, which: readonly number[], j: number, out: Float64Array): Float64Array => {
    for (let i = 0; i < which.length; i++) out[i] = views[which[i]][b * inputs[which[i]].size + j];
    return out;
  };
  const pAdstock = new Float64Array(4);
  const pSaturation = new Float64Array(4);
  const adstockBar = new Float64Array(4);
  const saturationBar = new Float64Array(4);

  /** Baseline coefficients of equation q (0 = KPI) at chain b. */
  function baselineCoefficients(b: number, q: number): { intercept: number; delta: Float64Array; phi: Float64Array; gamma: Float64Array; xi: Float64Array } {
    const pre = q === 0 ? '' : 'med_';
    const m = q - 1;
    const at = (name: string, width: number) => Float64Array.from({ length: width }, (_, j) => value(b, `${pre}${name}`, (q === 0 ? 0 : m * width) + j) ?? 0);
    return {
      intercept: value(b, q === 0 ? 'intercept' : 'med_intercept', q === 0 ? 0 : m)!,
      delta: at('delta', trendWidth(q)),
      phi: at('phi', 2 * S),
      gamma: at('gamma', K),
      xi: at('xi', E),
    };
  }

  function baselineInto(b: number, q: number, out: Float64Array, offset: number): void {
    const { intercept, delta, phi, gamma, xi } = baselineCoefficients(b, q);
    const R = trendWidth(q);
    const trend = trendOf(q);
    for (let t = 0; t < T; t++) {
      let v = intercept;
      for (let j = 0; j < R; j++) v += delta[j] * trend[t * R + j];
      for (let j = 0; j < 2 * S; j++) v += phi[j] * fourier![t * 2 * S + j];
      for (let k = 0; k < K; k++) v += gamma[k] * design.controls[t * K + k];
      for (let e = 0; e < E; e++) v += xi[e] * design.events[t * E + e];
      out[offset + t] = v;
    }
  }

  function forward(inputViews: readonly ArrayLike<number>[], batch: number): Float64Array {
    views = inputViews;
    if (batch !== chains) {
      chains = batch;
      directRows = Array.from({ length: batch }, () => Array.from({ length: C }, () => new TransformRow(kpiAdstock, L, kpiSaturation, kpiOptions, T)));
      pathRows = Array.from({ length: batch }, () => Array.from({ length: P }, () => new TransformRow(pathAdstock, LM, pathSaturation, pathOptions, T)));
      residuals = Array.from({ length: batch }, () => new Float64Array(Q * T));
    }
    const out = new Float64Array(batch * (Q + 1));
    for (let b = 0; b < batch; b++) {
      const r = residuals[b];
      for (let q = 0; q < Q; q++) {
        baselineInto(b, q, r, q * T);
        for (let t = 0; t < T; t++) r[q * T + t] = observed(q, t) - r[q * T + t];
      }
      for (let c = 0; c < C; c++) {
        const row = directRows[b][c];
        row.forward(media, C, c, rowValues(b, kpiAdstockInputs, c, pAdstock), rowValues(b, kpiSaturationInputs, c, pSaturation));
        const beta = value(b, 'beta', c)!;
        for (let t = 0; t < T; t++) r[t] -= beta * row.saturated[t];
      }
      structure.edges.forEach((edge, e) => {
        const row = pathRows[b][e];
        row.forward(media, C, edge.driver, rowValues(b, pathAdstockInputs, e, pAdstock), rowValues(b, pathSaturationInputs, e, pSaturation));
        const g = value(b, 'path_coef', e)!;
        const base = (1 + edge.mediator) * T;
        for (let t = 0; t < T; t++) r[base + t] -= g * row.saturated[t];
      });
      for (let q = 0; q < Q; q++) {
        const sigma = q === 0 ? value(b, 'sigma')! : value(b, 'med_sigma', q - 1)!;
        const rho = config.errors === 'ar1' ? (q === 0 ? value(b, 'rho')! : value(b, 'med_rho', q - 1)!) : undefined;
        let squares = 0;
        if (rho === undefined) {
          for (let t = 0; t < T; t++) squares += r[q * T + t] ** 2;
        } else {
          squares = (1 - rho * rho) * r[q * T] ** 2;
          for (let t = 1; t < T; t++) squares += (r[q * T + t] - rho * r[q * T + t - 1]) ** 2;
        }
        let ll = (-0.5 * squares) / (sigma * sigma) - T * (Math.log(sigma) + LOG_SQRT_2PI);
        if (rho !== undefined) ll += 0.5 * Math.log(1 - rho * rho);
        out[b * (Q + 1) + q] = ll;
      }
      let prior = 0;
      inputs.forEach((input, i) => {
        for (let j = 0; j < input.size; j++) prior += priorLogDensity(priors[i], j, views[i][b * input.size + j]);
      });
      out[b * (Q + 1) + Q] = prior;
    }
    return out;
  }

  function backward(dy: ArrayLike<number>): Float64Array {
    const batch = chains;
    const grad = new Float64Array(batch * width);
    const addAt = (b: number, i: number, j: number, v: number) => {
      grad[batch * offsets[i] + b * inputs[i].size + j] += v;
    };
    const add = (b: number, name: string, j: number, v: number) => {
      const i = index.get(name);
      if (i !== undefined) addAt(b, i, j, v);
    };
    for (let b = 0; b < batch; b++) {
      const r = residuals[b];
      const gradMean = new Float64Array(Q * T); // dl/dmean per equation
      for (let q = 0; q < Q; q++) {
        const upstream = dy[b * (Q + 1) + q];
        const sigma = q === 0 ? value(b, 'sigma')! : value(b, 'med_sigma', q - 1)!;
        const sigmaSq = sigma * sigma;
        const rho = config.errors === 'ar1' ? (q === 0 ? value(b, 'rho')! : value(b, 'med_rho', q - 1)!) : undefined;
        let squares = 0;
        if (rho === undefined) {
          for (let t = 0; t < T; t++) {
            const x = r[q * T + t];
            squares += x * x;
            gradMean[q * T + t] = (upstream * x) / sigmaSq;
          }
        } else {
          const oneMinus = 1 - rho * rho;
          const e = (t: number) => r[q * T + t] - rho * r[q * T + t - 1];
          squares = oneMinus * r[q * T] ** 2;
          let dRho = -2 * rho * r[q * T] ** 2;
          for (let t = 1; t < T; t++) {
            const et = e(t);
            squares += et * et;
            dRho -= 2 * et * r[q * T + t - 1];
          }
          for (let t = 0; t < T; t++) {
            const next = t + 1 < T ? e(t + 1) : 0;
            const dSS = t === 0 ? 2 * oneMinus * r[q * T] - 2 * rho * next : 2 * e(t) - 2 * rho * next;
            gradMean[q * T + t] = (upstream * 0.5 * dSS) / sigmaSq; // dl/dmean = -dl/dr = dSS / (2 s^2)
          }
          add(b, q === 0 ? 'rho' : 'med_rho', q === 0 ? 0 : q - 1, upstream * ((-0.5 * dRho) / sigmaSq - rho / oneMinus));
        }
        add(b, q === 0 ? 'sigma' : 'med_sigma', q === 0 ? 0 : q - 1, upstream * (squares / (sigmaSq * sigma) - T / sigma));
        // baseline coefficients
        const pre = q === 0 ? '' : 'med_';
        const m = q - 1;
        let total = 0;
        const R = trendWidth(q);
        const trend = trendOf(q);
        const dDelta = new Float64Array(R);
        const dPhi = new Float64Array(2 * S);
        const dGamma = new Float64Array(K);
        const dXi = new Float64Array(E);
        for (let t = 0; t < T; t++) {
          const g = gradMean[q * T + t];
          total += g;
          for (let j = 0; j < R; j++) dDelta[j] += g * trend[t * R + j];
          for (let j = 0; j < 2 * S; j++) dPhi[j] += g * fourier![t * 2 * S + j];
          for (let k = 0; k < K; k++) dGamma[k] += g * design.controls[t * K + k];
          for (let e = 0; e < E; e++) dXi[e] += g * design.events[t * E + e];
        }
        add(b, q === 0 ? 'intercept' : 'med_intercept', q === 0 ? 0 : m, total);
        dDelta.forEach((v, j) => add(b, `${pre}delta`, (q === 0 ? 0 : m * R) + j, v));
        dPhi.forEach((v, j) => add(b, `${pre}phi`, (q === 0 ? 0 : m * 2 * S) + j, v));
        dGamma.forEach((v, k) => add(b, `${pre}gamma`, (q === 0 ? 0 : m * K) + k, v));
        dXi.forEach((v, e) => add(b, `${pre}xi`, (q === 0 ? 0 : m * E) + e, v));
      }
      const gradH = new Float64Array(T);
      for (let c = 0; c < C; c++) {
        const row = directRows[b][c];
        const beta = value(b, 'beta', c)!;
        let dBeta = 0;
        for (let t = 0; t < T; t++) {
          dBeta += gradMean[t] * row.saturated[t];
          gradH[t] = gradMean[t] * beta;
        }
        add(b, 'beta', c, dBeta);
        adstockBar.fill(0);
        saturationBar.fill(0);
        row.backward(media, C, c, rowValues(b, kpiAdstockInputs, c, pAdstock), rowValues(b, kpiSaturationInputs, c, pSaturation), gradH, adstockBar, saturationBar);
        kpiAdstockInputs.forEach((i, j) => addAt(b, i, c, adstockBar[j]));
        kpiSaturationInputs.forEach((i, j) => addAt(b, i, c, saturationBar[j]));
      }
      structure.edges.forEach((edge, e) => {
        const row = pathRows[b][e];
        const g = value(b, 'path_coef', e)!;
        const base = (1 + edge.mediator) * T;
        let dCoef = 0;
        for (let t = 0; t < T; t++) {
          dCoef += gradMean[base + t] * row.saturated[t];
          gradH[t] = gradMean[base + t] * g;
        }
        add(b, 'path_coef', e, dCoef);
        adstockBar.fill(0);
        saturationBar.fill(0);
        row.backward(media, C, edge.driver, rowValues(b, pathAdstockInputs, e, pAdstock), rowValues(b, pathSaturationInputs, e, pSaturation), gradH, adstockBar, saturationBar);
        pathAdstockInputs.forEach((i, j) => addAt(b, i, e, adstockBar[j]));
        pathSaturationInputs.forEach((i, j) => addAt(b, i, e, saturationBar[j]));
      });
      const upstreamPrior = dy[b * (Q + 1) + Q];
      inputs.forEach((input, i) => {
        for (let j = 0; j < input.size; j++) grad[batch * offsets[i] + b * input.size + j] += upstreamPrior * priorDerivative(priors[i], j, views[i][b * input.size + j]);
      });
    }
    return grad;
  }

  return {
    name: `mediation kernel (${T}x${C}, ${M} mediators)`,
    inputNames: inputs.map((input) => input.name),
    inputSizes: inputs.map((input) => input.size),
    outputWidth: Q + 1,
    forward,
    backward,
  };
}
