/**
 * Automatic knot selection (`model.time.knots: "auto"`), a cheap deterministic stand-in for
 * Meridian's AKS (google/meridian; it picks the knot count from least-squares fits, by EBIC and,
 * since 1.2.1, AIC: ../../../../shared/notes/anchors.md section 1). Before sampling, on the data:
 *
 *   y_t = mean over the geos of the scaled KPI at period t (population-scaled when the data is;
 *         observed cells only: periods wholly held out are left out), media NOT subtracted;
 *   for each candidate count K = 2 .. min(T, 52) (K = T left out with Fourier seasonality, which it
 *   would span), least squares of y on [W_K, Fourier, geo-mean controls, geo-mean events], W_K the
 *   weights of K evenly spaced knots (knots.ts; they sum to 1 in every row, so they carry the
 *   intercept);
 *   BIC(K) = n log(RSS_K / n) + p_K log n   (Schwarz 1978; n periods used, p_K columns),
 *
 * and the smallest BIC wins (the smaller K on a tie). Candidates with p_K >= n or a singular X^T X
 * are skipped. With a time holdout, T here (and for counts and "all") is the fitted periods: the
 * held-out ones lie past the last knot, where the effect is held as in a forecast. The other knot specs resolve here too (`timeKnots`), so every part of the model gets
 * the same positions; the result is memoized per design and config.
 */
import { fourierFeatures } from '../../../src/data/index.js';
import { choleskyInto, solveCholesky } from '../../../src/linalg/index.js';
import type { MmmModelConfig } from '../config.js';
import { designDims, type MmmDesign } from '../design.js';
import { evenlySpacedKnots, knotPositions, knotWeightsRow, type KnotSpec } from './knots.js';

/** The most knots "auto" tries (Meridian's AKS works over a similar range of weekly knots). */
export const MAX_AUTO_KNOTS = 52;

export interface KnotCandidate {
  readonly knots: number;
  readonly bic: number;
}

export interface KnotSelection {
  readonly criterion: 'BIC';
  /** What was fitted, in words (for the record). */
  readonly data: string;
  /** Periods used (n). */
  readonly periods: number;
  readonly candidates: readonly KnotCandidate[];
  /** The chosen number of knots. */
  readonly chosen: number;
}

/** The knots a model uses: positions (0-based period indices), their dates, how they were given, and the selection when "auto". */
export interface KnotChoice {
  readonly spec: KnotSpec;
  readonly positions: readonly number[];
  readonly dates: readonly string[];
  readonly selection?: KnotSelection;
}

/**
 * The BIC selection of the number of evenly spaced knots for the series y [n] at period indices
 * `periods` [n] (of T periods), with extra columns [n, width] fitted alongside (module comment).
 */
export function selectKnotCount(y: Float64Array, periods: readonly number[], T: number, extra: Float64Array, width: number, maxKnots: number): KnotSelection {
  const n = y.length;
  const candidates: KnotCandidate[] = [];
  const upper = Math.min(T, maxKnots);
  for (let K = 2; K <= upper; K++) {
    const p = K + width;
    if (p >= n) break;
    const positions = evenlySpacedKnots(T, K);
    const X = new Float64Array(n * p);
    for (let i = 0; i < n; i++) {
      knotWeightsRow(periods[i], positions, X, i * p);
      for (let j = 0; j < width; j++) X[i * p + K + j] = extra[i * width + j];
    }
    const rss = leastSquaresRss(X, y, n, p);
    if (rss === undefined) continue;
    candidates.push({ knots: K, bic: n * Math.log(Math.max(rss, Number.MIN_VALUE) / n) + p * Math.log(n) });
  }
  if (candidates.length === 0) throw new Error(`knots "auto": no candidate count of knots could be fitted on ${n} periods (with ${width} other columns)`);
  let best = candidates[0];
  for (const c of candidates) if (c.bic < best.bic) best = c;
  return { criterion: 'BIC', data: '', periods: n, candidates, chosen: best.knots };
}

/** RSS of the least-squares fit of y [n] on X [n, p] by the normal equations (Cholesky), undefined when X^T X is singular. */
function leastSquaresRss(X: Float64Array, y: Float64Array, n: number, p: number): number | undefined {
  const A = new Float64Array(p * p);
  const b = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) {
      const x = X[i * p + j];
      if (x === 0) continue;
      b[j] += x * y[i];
      for (let k = 0; k <= j; k++) A[j * p + k] += x * X[i * p + k];
    }
  }
  let scale = 0;
  for (let j = 0; j < p; j++) scale = Math.max(scale, A[j * p + j]);
  for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) A[k * p + j] = A[j * p + k];
  // a diagonal below 1e-10 of the largest after factoring would be rank deficiency; Cholesky refuses it as not positive definite
  const lower = new Float64Array(p * p);
  if (!choleskyInto(A, p, lower)) return undefined;
  for (let j = 0; j < p; j++) if (lower[j * p + j] * lower[j * p + j] < 1e-12 * scale) return undefined;
  const coefficients = solveCholesky(lower, p, b, new Float64Array(p));
  let rss = 0;
  for (let i = 0; i < n; i++) {
    let fit = 0;
    for (let j = 0; j < p; j++) fit += X[i * p + j] * coefficients[j];
    rss += (y[i] - fit) ** 2;
  }
  return rss;
}

/** The geo-mean series of the design and the other baseline columns, as the selection fits them (module comment). */
function selectionData(design: MmmDesign, config: MmmModelConfig) {
  const { geos: G, periods: T, controls: K, events: E } = designDims(design);
  const S = config.seasonality.order;
  const fourier = S > 0 ? fourierFeatures(T, S, config.seasonality.period) : new Float64Array(0);
  const width = 2 * S + K + E;
  const periods: number[] = [];
  const y: number[] = [];
  const extra: number[] = [];
  for (let t = 0; t < T; t++) {
    let count = 0;
    let kpi = 0;
    const cells = new Float64Array(K + E);
    for (let g = 0; g < G; g++) {
      const n = g * T + t;
      if (design.observed && design.observed[n] === 0) continue;
      count++;
      kpi += design.kpi[n];
      for (let k = 0; k < K; k++) cells[k] += design.controls[n * K + k];
      for (let e = 0; e < E; e++) cells[K + e] += design.events[n * E + e];
    }
    if (count === 0) continue;
    periods.push(t);
    y.push(kpi / count);
    for (let j = 0; j < 2 * S; j++) extra.push(fourier[t * 2 * S + j]);
    for (let j = 0; j < K + E; j++) extra.push(cells[j] / count);
  }
  return { y: Float64Array.from(y), periods, extra: Float64Array.from(extra), width, seasonal: S > 0, T };
}

/** The periods up to the last one with an observed cell (all T without a holdout): the span the knots cover. */
export function fittedPeriods(design: MmmDesign): number {
  const { geos: G, periods: T } = designDims(design);
  if (!design.observed) return T;
  for (let t = T - 1; t >= 0; t--) for (let g = 0; g < G; g++) if (design.observed[g * T + t] !== 0) return t + 1;
  return 0;
}

/** The knot spec of a knots config on this design: the given one, else "all" with more than one geo and "auto" with one. */
export function knotSpec(design: MmmDesign, config: MmmModelConfig): KnotSpec | undefined {
  if (config.time?.type !== 'knots') return undefined;
  return config.time.knots ?? (design.geoNames.length > 1 ? 'all' : 'auto');
}

const memo = new WeakMap<MmmDesign, Map<string, KnotChoice>>();

/** The knots of the model on this design (undefined without knots): positions resolved from the spec, chosen by BIC for "auto". */
export function timeKnots(design: MmmDesign, config: MmmModelConfig): KnotChoice | undefined {
  const spec = knotSpec(design, config);
  if (spec === undefined) return undefined;
  const key = JSON.stringify([spec, config.seasonality]);
  const cached = memo.get(design)?.get(key);
  if (cached) return cached;
  // the knots span the fitted periods: a time holdout's periods come after the last knot, where the
  // effect is held, as in a forecast (a knot inside them would be fixed by its prior alone)
  const T = fittedPeriods(design);
  let choice: KnotChoice;
  if (spec === 'auto') {
    const data = selectionData(design, config);
    const maxKnots = Math.min(MAX_AUTO_KNOTS, data.seasonal ? T - 1 : T);
    const selected = selectKnotCount(data.y, data.periods, T, data.extra, data.width, maxKnots);
    const columns = ['knot weights', ...(data.seasonal ? ['Fourier terms'] : []), ...(design.controlNames.length > 0 ? ['geo-mean controls'] : []), ...(design.eventNames.length > 0 ? ['geo-mean events'] : [])];
    const selection: KnotSelection = {
      ...selected,
      data: `least squares of the geo-mean scaled KPI (media not subtracted) on ${columns.join(', ')}; ${selected.periods} periods; evenly spaced knot counts 2..${maxKnots}`,
    };
    const positions = evenlySpacedKnots(T, selection.chosen);
    choice = { spec, positions, dates: positions.map((p) => design.dates[p]), selection };
  } else {
    if (typeof spec === 'number' && spec > T) throw new Error(`knots: ${spec} knots, but the fit has ${T} periods (after the holdout): at most one knot per period`);
    const positions = knotPositions(spec, Array.isArray(spec) ? design.dates.length : T);
    choice = { spec, positions, dates: positions.map((p) => design.dates[p]) };
  }
  let byConfig = memo.get(design);
  if (!byConfig) memo.set(design, (byConfig = new Map()));
  byConfig.set(key, choice);
  return choice;
}

/** One line on the knots, for the fit's log and record. */
export function describeKnots(choice: KnotChoice): string {
  const K = choice.positions.length;
  const where = K <= 8 ? `at ${choice.dates.join(', ')}` : `from ${choice.dates[0]} to ${choice.dates[K - 1]}`;
  const how = choice.selection ? ` (chosen by BIC among ${choice.selection.candidates[0].knots}..${choice.selection.candidates[choice.selection.candidates.length - 1].knots} evenly spaced)` : '';
  return `time effect: ${K} knots ${where}${how}; held at the end knots' values outside them (also past the data)`;
}
