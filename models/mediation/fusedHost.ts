/**
 * The mediation model's whole log density but the bijectors (likelihood of every equation and every
 * prior) in float64 host loops, with its hand-derived gradient (reverse mode), for the fused op
 * (fusedOp.ts). Same model as model.ts's tensor formulation and referenceDensity.ts, which it is
 * tested against (tests/mediation.density.test.ts). Derivatives used:
 *
 * - iid Normal errors: l = -1/2 sum r^2 / s^2 - T log s - T log sqrt(2 pi), r = observed - mean;
 *   dl/dmean_t = r_t / s^2, dl/ds = sum r^2 / s^3 - T / s.
 * - AR(1) errors (Prais & Winsten 1954): with e_t = r_t - rho r_{t-1},
 *   SS = (1 - rho^2) r_0^2 + sum_{t>=1} e_t^2, l = -SS / (2 s^2) - T log s - T log sqrt(2 pi) + log(1 - rho^2) / 2;
 *   dSS/dr_0 = 2 (1 - rho^2) r_0 - 2 rho e_1, dSS/dr_t = 2 e_t - 2 rho e_{t+1} (e_T = 0),
 *   dSS/drho = -2 rho r_0^2 - 2 sum e_t r_{t-1}, dl/drho = -dSS/drho / (2 s^2) - rho / (1 - rho^2).
 * - Hill: h = sigmoid(z), z = s (log a - log k): dh/dz = h (1 - h), dz/da = s / a, dz/dk = -s / k,
 *   dz/ds = log a - log k (Michaelis-Menten: s = 1); logistic: h = tanh(lambda a / 2),
 *   dh/da = lambda (1 - h^2) / 2, dh/dlambda = a (1 - h^2) / 2.
 * - Normalized geometric adstock: w_l = alpha^l / sum_j alpha^j, dw_l/dalpha = w_l (l - lbar) / alpha
 *   with lbar = sum_j j w_j; a_t = sum_l w_l x_{t-l}.
 */
import { logGamma } from '../../src/distributions/index.js';
import { fourierFeatures } from '../../src/data/index.js';
import { resolvePriorValue, type PriorSpec, type MmmDesign } from '../mmm/index.js';
import { mediationPrior, trendColumns, type MediationModelConfig, type MediationPriorName, type MediationSaturation } from './config.js';
import type { MediationStructure } from './structure.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

export interface FusedInput {
  readonly name: string;
  readonly size: number;
  /** Prior of the parameter's elements. */
  readonly prior: MediationPriorName;
  /** Names of the elements (for per-element prior values). */
  readonly elementNames: readonly string[];
}

export interface MediationFusedHost {
  readonly inputs: readonly FusedInput[];
  /** Output columns: one log-likelihood partial sum per equation (KPI first), then the priors' sum. */
  readonly outputWidth: number;
  /** Forward at constrained inputs (each row-major [B, size]); returns [B, outputWidth]. Keeps what backward needs. */
  forward(views: readonly ArrayLike<number>[], chains: number): Float64Array;
  /** Gradient of sum(dy * output) for the last forward: per input, [B, size] row-major, concatenated in input order. */
  backward(dy: ArrayLike<number>): Float64Array;
}

interface PriorKernel {
  logPdf(x: number, i: number): number;
  /** d logPdf / dx. */
  derivative(x: number, i: number): number;
}

function priorKernel(spec: PriorSpec, names: readonly string[], where: string): PriorKernel {
  const p = (key: string): Float64Array => {
    const resolved = resolvePriorValue((spec as unknown as Record<string, number>)[key], names, `${where}.${key}`);
    return typeof resolved === 'number' ? new Float64Array(names.length).fill(resolved) : resolved;
  };
  switch (spec.dist) {
    case 'normal': {
      const loc = p('loc');
      const scale = p('scale');
      return {
        logPdf: (x, i) => -0.5 * ((x - loc[i]) / scale[i]) ** 2 - Math.log(scale[i]) - LOG_SQRT_2PI,
        derivative: (x, i) => -(x - loc[i]) / (scale[i] * scale[i]),
      };
    }
    case 'halfNormal': {
      const scale = p('scale');
      return {
        logPdf: (x, i) => (x < 0 ? -Infinity : Math.log(2) - 0.5 * (x / scale[i]) ** 2 - Math.log(scale[i]) - LOG_SQRT_2PI),
        derivative: (x, i) => -x / (scale[i] * scale[i]),
      };
    }
    case 'logNormal': {
      const mu = p('mu');
      const sigma = p('sigma');
      return {
        logPdf: (x, i) => (x <= 0 ? -Infinity : -0.5 * ((Math.log(x) - mu[i]) / sigma[i]) ** 2 - Math.log(sigma[i]) - LOG_SQRT_2PI - Math.log(x)),
        derivative: (x, i) => -(Math.log(x) - mu[i]) / (sigma[i] * sigma[i] * x) - 1 / x,
      };
    }
    case 'beta': {
      const a = p('a');
      const b = p('b');
      return {
        logPdf: (x, i) => (a[i] - 1) * Math.log(x) + (b[i] - 1) * Math.log(1 - x) - (logGamma(a[i]) + logGamma(b[i]) - logGamma(a[i] + b[i])),
        derivative: (x, i) => (a[i] - 1) / x - (b[i] - 1) / (1 - x),
      };
    }
    case 'gamma': {
      const shape = p('shape');
      const rate = p('rate');
      return {
        logPdf: (x, i) => shape[i] * Math.log(rate[i]) - logGamma(shape[i]) + (shape[i] - 1) * Math.log(x) - rate[i] * x,
        derivative: (x, i) => (shape[i] - 1) / x - rate[i],
      };
    }
    case 'exponential': {
      const rate = p('rate');
      return { logPdf: (x, i) => Math.log(rate[i]) - rate[i] * x, derivative: (_x, i) => -rate[i] };
    }
    case 'halfCauchy': {
      const scale = p('scale');
      return {
        logPdf: (x, i) => Math.log(2 / (Math.PI * scale[i])) - Math.log1p((x / scale[i]) ** 2),
        derivative: (x, i) => (-2 * x) / (scale[i] * scale[i] + x * x),
      };
    }
    case 'studentT': {
      const df = p('df');
      const loc = p('loc');
      const scale = p('scale');
      return {
        logPdf: (x, i) => {
          const z = (x - loc[i]) / scale[i];
          const nu = df[i];
          return logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(nu * Math.PI) - Math.log(scale[i]) - ((nu + 1) / 2) * Math.log1p((z * z) / nu);
        },
        derivative: (x, i) => {
          const z = (x - loc[i]) / scale[i];
          return (-(df[i] + 1) * z) / (scale[i] * (df[i] + z * z));
        },
      };
    }
    case 'uniform': {
      const lower = p('lower');
      const upper = p('upper');
      return { logPdf: (x, i) => (x < lower[i] || x > upper[i] ? -Infinity : -Math.log(upper[i] - lower[i])), derivative: () => 0 };
    }
  }
}

/** Transform parameters of one row (channel or edge) at one chain. */
interface RowParams {
  alpha?: number;
  k?: number;
  s?: number;
  lambda?: number;
}

/** One equation input row's adstock and saturation, with what the gradient needs. */
class TransformRow {
  readonly weights: Float64Array;
  readonly adstocked: Float64Array;
  readonly saturated: Float64Array;
  private lbar = 0;

  constructor(private readonly lags: number, periods: number) {
    this.weights = new Float64Array(lags);
    this.adstocked = new Float64Array(periods);
    this.saturated = new Float64Array(periods);
  }

  /** x: the input series read with stride (x[t * stride + column]). */
  forward(x: ArrayLike<number>, stride: number, column: number, saturation: MediationSaturation, params: RowParams): void {
    const L = this.lags;
    if (L > 1) {
      const alpha = params.alpha!;
      let total = 0;
      let power = 1;
      for (let l = 0; l < L; l++) {
        this.weights[l] = power;
        total += power;
        power *= alpha;
      }
      this.lbar = 0;
      for (let l = 0; l < L; l++) {
        this.weights[l] /= total;
        this.lbar += l * this.weights[l];
      }
    } else {
      this.weights[0] = 1;
    }
    const T = this.adstocked.length;
    for (let t = 0; t < T; t++) {
      let a = 0;
      const maxLag = Math.min(L, t + 1);
      for (let l = 0; l < maxLag; l++) a += this.weights[l] * x[(t - l) * stride + column];
      this.adstocked[t] = a;
    }
    const h = this.saturated;
    switch (saturation.type) {
      case 'none':
        h.set(this.adstocked);
        break;
      case 'logistic': {
        const halfLambda = 0.5 * params.lambda!;
        for (let t = 0; t < T; t++) h[t] = Math.tanh(halfLambda * this.adstocked[t]);
        break;
      }
      default: {
        const s = params.s!;
        const logK = Math.log(params.k!);
        for (let t = 0; t < T; t++) {
          const a = this.adstocked[t];
          h[t] = a > 0 ? 1 / (1 + Math.exp(-s * (Math.log(a) - logK))) : 0;
        }
      }
    }
  }

  /**
   * Backward from dl/dh (gradH) to the row's parameters; returns [dalpha, dk, ds, dlambda].
   * The input series is data (no gradient).
   */
  backward(x: ArrayLike<number>, stride: number, column: number, saturation: MediationSaturation, params: RowParams, gradH: Float64Array): [number, number, number, number] {
    const T = this.adstocked.length;
    const L = this.lags;
    const gradA = new Float64Array(T);
    let dk = 0;
    let ds = 0;
    let dlambda = 0;
    const h = this.saturated;
    switch (saturation.type) {
      case 'none':
        gradA.set(gradH);
        break;
      case 'logistic': {
        const lambda = params.lambda!;
        for (let t = 0; t < T; t++) {
          const slope = 1 - h[t] * h[t];
          gradA[t] = gradH[t] * 0.5 * lambda * slope;
          dlambda += gradH[t] * 0.5 * this.adstocked[t] * slope;
        }
        break;
      }
      default: {
        const s = params.s!;
        const k = params.k!;
        const logK = Math.log(k);
        for (let t = 0; t < T; t++) {
          const a = this.adstocked[t];
          if (!(a > 0)) continue;
          const gz = gradH[t] * h[t] * (1 - h[t]);
          gradA[t] = (gz * s) / a;
          dk -= (gz * s) / k;
          ds += gz * (Math.log(a) - logK);
        }
      }
    }
    let dalpha = 0;
    if (L > 1) {
      const alpha = params.alpha!;
      for (let l = 0; l < L; l++) {
        let gradW = 0;
        for (let t = l; t < T; t++) gradW += gradA[t] * x[(t - l) * stride + column];
        dalpha += (gradW * this.weights[l] * (l - this.lbar)) / alpha;
      }
    }
    return [dalpha, dk, ds, dlambda];
  }
}

export function createMediationFusedHost(design: MmmDesign, config: MediationModelConfig, structure: MediationStructure, parameterNames: readonly string[], parameterSizes: readonly number[], priorNames: Readonly<Record<string, MediationPriorName>>, elementNames: Readonly<Record<string, readonly string[]>>): MediationFusedHost {
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
  const inputs: FusedInput[] = parameterNames.map((name, i) => ({ name, size: parameterSizes[i], prior: priorNames[name], elementNames: elementNames[name] }));
  const index = new Map(parameterNames.map((name, i) => [name, i]));
  const offsets: number[] = [];
  let width = 0;
  for (const input of inputs) {
    offsets.push(width);
    width += input.size;
  }
  const priors = inputs.map((input) => priorKernel(mediationPrior(config, input.prior), input.elementNames, `model config: priors.${input.prior}`));
  const kpiSlope = config.saturation.type === 'michaelisMenten' ? 1 : config.saturation.type === 'hill' ? config.saturation.fixedSlope : undefined;
  const pathSlope = config.mediatorSaturation.type === 'michaelisMenten' ? 1 : config.mediatorSaturation.type === 'hill' ? config.mediatorSaturation.fixedSlope : undefined;
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
  const rowParams = (b: number, prefix: '' | 'path_', j: number, slope: number | undefined): RowParams => ({
    alpha: value(b, `${prefix}alpha`, j),
    k: value(b, `${prefix}k`, j),
    s: slope ?? value(b, `${prefix}s`, j),
    lambda: value(b, `${prefix}lambda`, j),
  });

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
      directRows = Array.from({ length: batch }, () => Array.from({ length: C }, () => new TransformRow(L, T)));
      pathRows = Array.from({ length: batch }, () => Array.from({ length: P }, () => new TransformRow(LM, T)));
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
        row.forward(media, C, c, config.saturation, rowParams(b, '', c, kpiSlope));
        const beta = value(b, 'beta', c)!;
        for (let t = 0; t < T; t++) r[t] -= beta * row.saturated[t];
      }
      structure.edges.forEach((edge, e) => {
        const row = pathRows[b][e];
        row.forward(media, C, edge.driver, config.mediatorSaturation, rowParams(b, 'path_', e, pathSlope));
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
        for (let j = 0; j < input.size; j++) prior += priors[i].logPdf(views[i][b * input.size + j], j);
      });
      out[b * (Q + 1) + Q] = prior;
    }
    return out;
  }

  function backward(dy: ArrayLike<number>): Float64Array {
    const batch = chains;
    const grad = new Float64Array(batch * width);
    const add = (b: number, name: string, j: number, v: number) => {
      const i = index.get(name);
      if (i === undefined) return;
      grad[batch * offsets[i] + b * inputs[i].size + j] += v;
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
        const [dAlpha, dK, dS, dLambda] = row.backward(media, C, c, config.saturation, rowParams(b, '', c, kpiSlope), gradH);
        add(b, 'alpha', c, dAlpha);
        add(b, 'k', c, dK);
        if (kpiSlope === undefined) add(b, 's', c, dS);
        add(b, 'lambda', c, dLambda);
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
        const [dAlpha, dK, dS, dLambda] = row.backward(media, C, edge.driver, config.mediatorSaturation, rowParams(b, 'path_', e, pathSlope), gradH);
        add(b, 'path_alpha', e, dAlpha);
        add(b, 'path_k', e, dK);
        if (pathSlope === undefined) add(b, 'path_s', e, dS);
        add(b, 'path_lambda', e, dLambda);
      });
      const upstreamPrior = dy[b * (Q + 1) + Q];
      inputs.forEach((input, i) => {
        for (let j = 0; j < input.size; j++) grad[batch * offsets[i] + b * input.size + j] += upstreamPrior * priors[i].derivative(views[i][b * input.size + j], j);
      });
    }
    return grad;
  }

  return { inputs, outputWidth: Q + 1, forward, backward };
}
