/**
 * Direct, indirect and total effects of each channel on the KPI under a fitted mediation model
 * (models/mediation), per posterior draw, by counterfactuals on the model's structural equations
 * (Pearl 2001, "Direct and indirect effects"; Robins & Greenland 1992; VanderWeele 2015,
 * "Explanation in Causal Inference", ch. 2), summarized over draws (mean, sd, median, 90% interval).
 *
 * Write Y(x, M) for the KPI with channel c's activity series x and mediator series M, and M(x) for
 * the mediators' series when c's activity is x, propagated through the mediator equations in
 * topological order (each mediator keeps its own fitted residual: counterfactual activity =
 * observed activity + the change in its equation's mean, the abduction step of a structural model
 * with additive errors). With x the observed series and x' the counterfactual one:
 *
 *   total    TE = Y(x, M(x)) - Y(x', M(x'))
 *   direct   DE = Y(x, M(x)) - Y(x', M(x))      (mediators held at their observed activity:
 *                                                the "total direct effect" of Robins & Greenland)
 *   indirect IE = TE - DE = Y(x', M(x)) - Y(x', M(x'))   (the "pure indirect effect"; all paths
 *                                                through mediators, including chains m1 -> m2 -> KPI)
 *
 * Two measures:
 * - `contribution`: x' = 0 over the whole window (the channel switched off); effects in KPI units
 *   summed over the window (as an MMM contribution), so TE = DE + IE exactly;
 * - `marginal`: x' = (1 + step) x (default step 0.01); effects are (Y' - Y) / (step sum_t x_t):
 *   KPI per unit of the channel's activity at the margin.
 * A mediator's own equation is cut when it is the channel intervened on (its activity is set).
 * Path rows: for each edge d -> m, the mediator's change when d is switched off, holding m's other
 * drivers, per unit of d's activity (m's activity units per unit of d's; for a linear path without
 * adstock, the path coefficient in original units).
 */
import { mediationHost, type MediationModel, type DrawValues } from '../../models/mediation/index.js';
import type { Posterior } from '../ppl/index.js';
import { drawAt, selectDraws, summarizeValues, type DrawSummary } from './drawSummary.js';

export type EffectKind = 'direct' | 'indirect' | 'total';
export type EffectMeasure = 'contribution' | 'marginal';

export interface MediationEffectRow extends DrawSummary {
  readonly channel: string;
  readonly effect: EffectKind;
  readonly measure: EffectMeasure;
  /** What the numbers are in. */
  readonly unit: string;
  /** Share of draws above zero. */
  readonly probabilityPositive: number;
}

export interface MediationPathRow extends DrawSummary {
  readonly driver: string;
  readonly mediator: string;
  readonly unit: string;
  readonly probabilityPositive: number;
}

export interface MediationEffects {
  readonly effects: readonly MediationEffectRow[];
  readonly paths: readonly MediationPathRow[];
  /** Draws used (pooled indices). */
  readonly drawCount: number;
  readonly marginalStep: number;
  /** Per-draw values by row key `${measure}:${effect}:${channel}` and `path:${driver}->${mediator}`. */
  readonly draws: Readonly<Record<string, Float64Array>>;
}

export interface MediationEffectsOptions {
  /** At most this many draws, evenly thinned (default: all). */
  readonly maxDraws?: number;
  /** Relative step of the marginal measure, default 0.01. */
  readonly marginalStep?: number;
}

function sum(x: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < x.length; i++) total += x[i];
  return total;
}

function sumDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += a[i] - b[i];
  return total;
}

/**
 * Effects of channel c for one draw in scaled KPI units summed over the window: [total, direct]
 * as Y(observed) - Y(counterfactual), with c's scaled series replaced by `counterfactual`.
 */
export function channelEffectsForDraw(
  model: Pick<MediationModel, 'design' | 'config' | 'structure'>,
  values: DrawValues,
  c: number,
  counterfactual: ArrayLike<number>,
  cache?: { direct: Float64Array[]; paths: Float64Array[] },
): { total: number; direct: number } {
  const { design, config, structure } = model;
  const host = mediationHost(design, config, structure);
  const C = design.channelNames.length;
  const T = design.dates.length;
  const observedSeries = (j: number) => host.channelSeries(design.media, j);
  const directObserved = (j: number) => cache?.direct[j] ?? host.directTerm(values, j, observedSeries(j));
  const pathObserved = (e: number) => cache?.paths[e] ?? host.pathTerm(values, e, observedSeries(structure.edges[e].driver));
  // Counterfactual series of every channel (undefined = unchanged).
  const changed: (Float64Array | undefined)[] = new Array(C).fill(undefined);
  changed[c] = Float64Array.from(counterfactual);
  structure.mediators.forEach((channel, m) => {
    if (channel === c) return; // intervened on: its equation is cut
    let delta: Float64Array | undefined;
    structure.edges.forEach((edge, e) => {
      if (edge.mediator !== m || changed[edge.driver] === undefined) return;
      const after = host.pathTerm(values, e, changed[edge.driver]!);
      const before = pathObserved(e);
      delta ??= new Float64Array(T);
      for (let t = 0; t < T; t++) delta[t] += after[t] - before[t];
    });
    if (delta) changed[channel] = Float64Array.from({ length: T }, (_, t) => design.media[t * C + channel] + delta![t]);
  });
  const direct = sumDifference(directObserved(c), host.directTerm(values, c, changed[c]!));
  let total = 0;
  for (let j = 0; j < C; j++) {
    if (changed[j] === undefined) continue;
    total += j === c ? direct : sumDifference(directObserved(j), host.directTerm(values, j, changed[j]!));
  }
  return { total, direct };
}

/** Effects of every channel and every path over the posterior draws. */
export function mediationEffects(model: Pick<MediationModel, 'design' | 'config' | 'structure'>, posterior: Posterior, options: MediationEffectsOptions = {}): MediationEffects {
  const { design, config, structure } = model;
  const host = mediationHost(design, config, structure);
  const step = options.marginalStep ?? 0.01;
  if (!(step > 0) || !Number.isFinite(step)) throw new Error(`mediation effects: marginalStep must be a number > 0, got ${step}`);
  const C = design.channelNames.length;
  const T = design.dates.length;
  const kpiUnit = design.kpiUnit[0];
  const indices = selectDraws(posterior, options.maxDraws);
  const n = indices.length;
  const series = Array.from({ length: C }, (_, c) => host.channelSeries(design.media, c));
  const activity = series.map((x, c) => sum(x) * design.mediaUnit[c]); // original units over the window
  const draws: Record<string, Float64Array> = {};
  const slot = (key: string) => (draws[key] ??= new Float64Array(n));
  const zero = new Float64Array(T);

  indices.forEach((index, i) => {
    const values = drawAt(posterior, index);
    const cache = {
      direct: series.map((x, c) => host.directTerm(values, c, x)),
      paths: structure.edges.map((edge, e) => host.pathTerm(values, e, series[edge.driver])),
    };
    for (let c = 0; c < C; c++) {
      const name = design.channelNames[c];
      const off = channelEffectsForDraw(model, values, c, zero, cache);
      slot(`contribution:total:${name}`)[i] = off.total * kpiUnit;
      slot(`contribution:direct:${name}`)[i] = off.direct * kpiUnit;
      slot(`contribution:indirect:${name}`)[i] = (off.total - off.direct) * kpiUnit;
      const up = channelEffectsForDraw(model, values, c, series[c].map((x) => x * (1 + step)), cache);
      const perUnit = activity[c] > 0 ? -kpiUnit / (step * activity[c]) : NaN; // Y(obs) - Y(up) = -(Y(up) - Y(obs))
      slot(`marginal:total:${name}`)[i] = up.total * perUnit;
      slot(`marginal:direct:${name}`)[i] = up.direct * perUnit;
      slot(`marginal:indirect:${name}`)[i] = (up.total - up.direct) * perUnit;
    }
    structure.edges.forEach((edge, e) => {
      const off = host.pathTerm(values, e, zero);
      const mediatorChannel = structure.mediators[edge.mediator];
      const change = sumDifference(cache.paths[e], off) * design.mediaUnit[mediatorChannel];
      slot(`path:${edge.name}`)[i] = activity[edge.driver] > 0 ? change / activity[edge.driver] : NaN;
    });
  });

  const scratch = new Float64Array(n);
  const positive = (x: Float64Array) => x.reduce((a, v) => a + (v > 0 ? 1 : 0), 0) / x.length;
  const effects: MediationEffectRow[] = [];
  for (const measure of ['contribution', 'marginal'] as const) {
    for (const name of design.channelNames) {
      for (const effect of ['direct', 'indirect', 'total'] as const) {
        const x = draws[`${measure}:${effect}:${name}`];
        effects.push({
          channel: name,
          effect,
          measure,
          unit: measure === 'contribution' ? 'KPI over the window' : 'KPI per unit of channel activity',
          ...summarizeValues(x, scratch),
          probabilityPositive: positive(x),
        });
      }
    }
  }
  const paths: MediationPathRow[] = structure.edges.map((edge) => {
    const x = draws[`path:${edge.name}`];
    const driver = design.channelNames[edge.driver];
    const mediator = structure.mediatorNames[edge.mediator];
    return { driver, mediator, unit: `${mediator} activity per unit of ${driver} activity`, ...summarizeValues(x, scratch), probabilityPositive: positive(x) };
  });
  return { effects, paths, drawCount: n, marginalStep: step, draws };
}
