/**
 * Posterior check of the lift-test calibration: for every experiment in the config
 * (models/mmm/liftTests.ts) and every measured number (a total, or one per period), the lift the
 * fitted model implies (its counterfactual incremental KPI, carryover included, per draw) next to
 * the measured lift and its standard error. Per-period experiments also get a row for their sum over
 * the measured periods (measured standard error sqrt(sum se^2), the periods' errors taken as
 * independent).
 *
 * `z` = (measured - implied mean) / sqrt(se^2 + implied sd^2) is the measurement's standardized
 * distance from the model under both uncertainties (as a posterior predictive check of the
 * measurement, Gelman et al., "Bayesian Data Analysis", 3rd ed., section 6.3, with a normal
 * approximation): |z| above about 2 says the model and the experiment disagree, a reason to look at
 * the experiment's definition (window, geos, spend change, whether the data holds the test) or at
 * the model (adstock, saturation) before trusting either.
 */
import { impliedLiftHost, resolveLiftTests, type MmmModelConfig, type MmmDesign } from '../../models/mmm/index.js';
import type { Posterior } from '../ppl/index.js';
import { drawAt, selectDraws, summarizeValues, type DrawSummary } from './drawSummary.js';

export interface LiftCheckRow {
  /** Index of the experiment in config.experiments and its name. */
  readonly experiment: number;
  readonly name: string;
  readonly channel: string;
  /** "total", a period's date, or "sum of periods" (the per-period rows summed). */
  readonly observation: string;
  /** First and last measured period (ISO dates). */
  readonly from: string;
  readonly to: string;
  /** Measured incremental KPI (original units) and its standard error. */
  readonly measured: number;
  readonly measuredSe: number;
  /** The model-implied lift over draws (KPI units). */
  readonly implied: DrawSummary;
  /** (measured - implied mean) / sqrt(se^2 + implied sd^2). */
  readonly z: number;
  /** Whether this row is a likelihood term itself (false for the "sum of periods" rows). */
  readonly inLikelihood: boolean;
}

export interface LiftCheckOptions {
  /** Use at most this many draws, evenly thinned (default: all). */
  readonly maxDraws?: number;
}

/** The lift-test check rows (empty when the config has no experiments). */
export function liftTestCheck(design: MmmDesign, config: MmmModelConfig, posterior: Posterior, options: LiftCheckOptions = {}): LiftCheckRow[] {
  const tests = resolveLiftTests(design, config);
  if (!tests) return [];
  const drawIndices = selectDraws(posterior, options.maxDraws);
  const D = drawIndices.length;
  const O = tests.observations.length;
  const perDraw = new Float64Array(O * D); // [O, D]
  for (let d = 0; d < D; d++) {
    const implied = impliedLiftHost(design, config, drawAt(posterior, drawIndices[d]), tests);
    for (let o = 0; o < O; o++) perDraw[o * D + d] = implied[o];
  }
  const scratch = new Float64Array(D);
  const row = (e: (typeof tests.experiments)[number], observation: string, from: number, to: number, measured: number, se: number, draws: ArrayLike<number>, inLikelihood: boolean): LiftCheckRow => {
    const implied = summarizeValues(draws, scratch);
    const spread = Number.isFinite(implied.sd) ? implied.sd : 0;
    return {
      experiment: e.index,
      name: e.name,
      channel: design.channelNames[e.channel],
      observation,
      from: design.dates[from],
      to: design.dates[to],
      measured,
      measuredSe: se,
      implied,
      z: (measured - implied.mean) / Math.sqrt(se * se + spread * spread),
      inLikelihood,
    };
  };
  const rows: LiftCheckRow[] = [];
  for (const e of tests.experiments) {
    for (const o of e.observations) {
      const observation = tests.observations[o];
      rows.push(row(e, observation.label, observation.from, observation.to, observation.value, observation.se, perDraw.subarray(o * D, (o + 1) * D), true));
    }
    if (e.observations.length > 1) {
      const sum = new Float64Array(D);
      let measured = 0;
      let variance = 0;
      for (const o of e.observations) {
        for (let d = 0; d < D; d++) sum[d] += perDraw[o * D + d];
        measured += tests.observations[o].value;
        variance += tests.observations[o].se ** 2;
      }
      rows.push(row(e, 'sum of periods', e.measuredStart, e.measuredEnd, measured, Math.sqrt(variance), sum, false));
    }
  }
  return rows;
}
