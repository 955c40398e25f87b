/**
 * Lift tests as a likelihood term: calibration of the geo MMM with experiments, carryover included.
 * An experiment (config.ts LiftExperiment) changed channel c's spend in geos G_e during periods
 * [from, to] and measured the incremental KPI (test minus control condition) over the periods
 * [measuredFrom, measuredTo], in total or per period. The model's own counterfactual for it is
 *
 *   lift_t = sum_{g in G_e} kpiUnit[g] beta[g,c] [h(adstock(xTest))[g,t] - h(adstock(xControl))[g,t]]
 *
 * summed over the measured periods t of an observation (all of them for a total, one for a
 * per-period measurement); a time-varying channel (components/timeVarying.ts) has beta[g,c] exp(w_c(t))
 * in place of beta[g,c], so a test pins the effectiveness at its weeks. The adstock runs over the whole series, so the change ramps up during
 * the test and carries over up to maxLag - 1 periods past `to`: a measurement window that covers
 * the decay (or per-period measurements of it) informs the adstock parameters, not only the
 * coefficient. beta are the media coefficients of the fitted data (under an ROI prior m is derived
 * from the data's own media, as for the marginal ROI, src/analysis/mediaAnalysis.ts). Each
 * observation adds log Normal(measured | lift, se) or log StudentT(measured | df, lift, se).
 *
 * The two conditions, in the model's scaled media units, for the listed geos and window periods
 * (elsewhere both equal the data):
 *   dataIncludesTest (default): xTest = data; xControl = data - delta r_g (spendDelta) or data / m
 *     (spendMultiplier m > 0);
 *   otherwise: xControl = data; xTest = data + delta r_g or m data;
 * r_g = sum_t media[g,t,c] / sum_t spend[g,t,c] is the geo's scaled media per unit of spend (for a
 * spend channel 1 / its scaling mean; for an impression channel the geo's impressions per unit of
 * spend over the data, so an absolute spend change buys media at the geo's average cost). Media is
 * floored at 0 only for rounding: a spend change that would make the control spend negative is an
 * error. The multiplier applies to the media directly (cost per exposure unchanged).
 *
 * This is what PyMC-Marketing's lift-test term (`add_lift_test_measurements`, which compares the
 * saturation curve at x and x + delta_x without adstock) becomes with the adstock kept in: the test
 * is a change of a spend time series, not of a spend level. Meridian uses experiments through ROI
 * priors instead (config.ts mediaPrior, Meridian documentation "ROI priors and calibration").
 *
 * Here: resolution of the config against the design (`resolveLiftTests`), the flattened per-cell
 * constants of the tensor and fused kernels (`liftCells`), and the float64 reference per draw
 * (`impliedLiftHost`, `liftLogLikelihoodHost`) used by referenceDensity.ts and src/analysis.
 */
import { logGamma } from '../../src/distributions/index.js';
import type { LiftExperiment, MmmModelConfig } from './config.js';
import { designDims, type MmmDesign } from './design.js';
import { mediaCoefficientsHost, mediaEffectivenessHost, rfFrequencyOf, saturatedMediaHost, type DrawValues } from './hostModel.js';
import { channelTransform, transformSeries } from './components/mediaTransform.js';
import { ConfigError } from '../../src/config/index.js';
import { checkExperiments } from './parseConfig.js';
import { isReachFrequencyKind } from '../../src/data/index.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** One measured number: a total over periods [from, to] (period indices) or one period's lift. */
export interface LiftObservation {
  readonly experiment: number;
  /** First and last period index (inclusive) the measurement covers. */
  readonly from: number;
  readonly to: number;
  /** "total" or the period's date. */
  readonly label: string;
  /** Measured incremental KPI (original units) and its standard error. */
  readonly value: number;
  readonly se: number;
  readonly likelihood: 'normal' | 'studentT';
  /** Student-t degrees of freedom (NaN for normal). */
  readonly df: number;
}

export interface ResolvedExperiment {
  readonly index: number;
  readonly name: string;
  readonly config: LiftExperiment;
  readonly channel: number;
  readonly geos: readonly number[];
  /** Period indices of the spend change and of the measurement (inclusive). */
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly measuredStart: number;
  readonly measuredEnd: number;
  /** [geos.length, T] channel media (scaled) under the test and the control condition. */
  readonly testMedia: Float64Array;
  readonly controlMedia: Float64Array;
  /** Indices into LiftTests.observations. */
  readonly observations: readonly number[];
}

export interface LiftTests {
  readonly experiments: readonly ResolvedExperiment[];
  readonly observations: readonly LiftObservation[];
}

/** Channel media [T] of geo g (scaled). */
function mediaSeries(design: MmmDesign, g: number, c: number): Float64Array {
  const { periods: T, channels: C } = designDims(design);
  return Float64Array.from({ length: T }, (_, t) => design.media[(g * T + t) * C + c]);
}

/**
 * The experiments of `config` resolved against the design (undefined when there are none). Names
 * and dates are checked (ConfigError naming model.experiments[i] and the key).
 */
export function resolveLiftTests(design: MmmDesign, config: MmmModelConfig, file = 'model config'): LiftTests | undefined {
  const list = config.experiments ?? [];
  if (list.length === 0) return undefined;
  checkExperiments(config, design, file);
  const { geos: G, periods: T, channels: C } = designDims(design);
  const dates = design.dates;
  const experiments: ResolvedExperiment[] = [];
  const observations: LiftObservation[] = [];
  list.forEach((e, index) => {
    const path = `model.experiments[${index}]`;
    const c = design.channelNames.indexOf(e.channel);
    const geos = e.geos === 'all' ? Array.from({ length: G }, (_, g) => g) : e.geos.map((name) => design.geoNames.indexOf(name));
    const windowStart = dates.indexOf(e.from);
    const windowEnd = dates.indexOf(e.to);
    const measuredStart = dates.indexOf(e.measuredFrom);
    const measuredEnd = dates.indexOf(e.measuredTo);
    // scaled media per unit of spend, per geo (else over all geos)
    let channelMedia = 0;
    let channelSpend = 0;
    for (let n = 0; n < G * T; n++) {
      channelMedia += design.media[n * C + c];
      channelSpend += design.spend[n * C + c];
    }
    const testMedia = new Float64Array(geos.length * T);
    const controlMedia = new Float64Array(geos.length * T);
    geos.forEach((g, j) => {
      const data = mediaSeries(design, g, c);
      testMedia.set(data, j * T);
      controlMedia.set(data, j * T);
      let geoMedia = 0;
      let geoSpend = 0;
      for (let t = 0; t < T; t++) {
        geoMedia += data[t];
        geoSpend += design.spend[(g * T + t) * C + c];
      }
      const perSpend = geoSpend > 0 ? geoMedia / geoSpend : channelMedia / channelSpend;
      if (e.spendDelta !== undefined && !(perSpend > 0 && Number.isFinite(perSpend))) {
        throw new ConfigError(file, `${path}.spendDelta`, `channel "${e.channel}" has no spend in the data, so a spend change cannot be turned into media`);
      }
      const changed = e.dataIncludesTest ? controlMedia : testMedia;
      for (let t = windowStart; t <= windowEnd; t++) {
        const x = data[t];
        let value: number;
        if (e.spendDelta !== undefined) {
          const spend = design.spend[(g * T + t) * C + c];
          const other = e.dataIncludesTest ? spend - e.spendDelta : spend + e.spendDelta;
          if (other < 0) {
            const which = e.dataIncludesTest ? 'control' : 'test';
            throw new ConfigError(
              file,
              `${path}.spendDelta`,
              `makes the ${which} spend negative in geo "${design.geoNames[g]}" on ${dates[t]} (data spend ${spend}, ${which} spend ${other}); ` +
                `check the sign and "dataIncludesTest" (${e.dataIncludesTest}: the data ${e.dataIncludesTest ? 'holds the test' : 'holds the control'} condition)`,
            );
          }
          value = Math.max(0, e.dataIncludesTest ? x - e.spendDelta * perSpend : x + e.spendDelta * perSpend);
        } else {
          const multiplier = e.spendMultiplier as number;
          value = e.dataIncludesTest ? x / multiplier : x * multiplier;
        }
        changed[j * T + t] = value;
      }
    });
    const observationIndices: number[] = [];
    const add = (from: number, to: number, label: string, value: number, se: number) => {
      observationIndices.push(observations.length);
      observations.push({ experiment: index, from, to, label, value, se, likelihood: e.likelihood, df: e.likelihood === 'studentT' ? (e.df ?? 5) : NaN });
    };
    if (e.liftKpiByWeek && e.liftSeByWeek) {
      for (let t = measuredStart; t <= measuredEnd; t++) add(t, t, dates[t], e.liftKpiByWeek[t - measuredStart], e.liftSeByWeek[t - measuredStart]);
    } else {
      add(measuredStart, measuredEnd, 'total', e.liftKpi as number, e.liftSe as number);
    }
    experiments.push({
      index,
      name: e.name ?? `${e.channel} ${e.from}..${e.to}`,
      config: e,
      channel: c,
      geos,
      windowStart,
      windowEnd,
      measuredStart,
      measuredEnd,
      testMedia,
      controlMedia,
      observations: observationIndices,
    });
  });
  return { experiments, observations };
}

/**
 * The lift tests flattened for the kernels: one cell per (experiment, listed geo, measured period)
 * whose adstock window sees a difference between the two conditions (the others add exactly 0),
 * with its lagged media under both conditions, and per observation the constants of its log density.
 */
export interface LiftCells {
  readonly cellCount: number;
  readonly maxLag: number;
  /** Per cell. */
  readonly channel: Int32Array;
  readonly geo: Int32Array;
  readonly observation: Int32Array;
  /** The measured period (a time-varying channel's effectiveness there scales the cell). */
  readonly period: Int32Array;
  /** kpiUnit[g] / se of the cell's observation: lift / se is sum_cells weight beta (hTest - hControl). */
  readonly weight: Float64Array;
  /** [cells, L]: media[t - l] of the cell's geo under each condition (0 before the first period). */
  readonly laggedTest: Float64Array;
  readonly laggedControl: Float64Array;
  /** [cells, L]: reach and frequency channels' frequency f[t - l] of the cell's geo (both conditions; 0 for other channels). */
  readonly laggedFrequency: Float64Array;
  /** [cells] 1 where some lagged media is non-zero (else h = 0). */
  readonly activeTest: Uint8Array;
  readonly activeControl: Uint8Array;
  /** Per observation. */
  readonly observationCount: number;
  /** measured / se. */
  readonly scaledValue: Float64Array;
  readonly studentT: Uint8Array;
  /** Degrees of freedom (1 for normal observations: unused). */
  readonly df: Float64Array;
  /** The observation's log density at z = 0 (normalizer, -log se included). */
  readonly logNormalizer: Float64Array;
}

export function liftCells(design: MmmDesign, tests: LiftTests, maxLag: number): LiftCells {
  const { periods: T } = designDims(design);
  const L = maxLag;
  const channel: number[] = [];
  const geo: number[] = [];
  const observation: number[] = [];
  const period: number[] = [];
  const weight: number[] = [];
  const laggedTest: number[] = [];
  const laggedControl: number[] = [];
  const laggedFrequency: number[] = [];
  const activeTest: number[] = [];
  const C = design.channelNames.length;
  const activeControl: number[] = [];
  const observationOf = new Int32Array(T);
  for (const e of tests.experiments) {
    observationOf.fill(-1);
    for (const o of e.observations) for (let t = tests.observations[o].from; t <= tests.observations[o].to; t++) observationOf[t] = o;
    e.geos.forEach((g, j) => {
      for (let t = e.measuredStart; t <= e.measuredEnd; t++) {
        let differs = false;
        let anyTest = false;
        let anyControl = false;
        const test: number[] = [];
        const control: number[] = [];
        for (let l = 0; l < L; l++) {
          const x = t - l >= 0 ? e.testMedia[j * T + t - l] : 0;
          const y = t - l >= 0 ? e.controlMedia[j * T + t - l] : 0;
          test.push(x);
          control.push(y);
          if (x !== y) differs = true;
          if (x !== 0) anyTest = true;
          if (y !== 0) anyControl = true;
        }
        if (!differs) continue;
        const o = observationOf[t];
        channel.push(e.channel);
        geo.push(g);
        observation.push(o);
        period.push(t);
        weight.push(design.kpiUnit[g] / tests.observations[o].se);
        laggedTest.push(...test);
        laggedControl.push(...control);
        const rf = isReachFrequencyKind(design.channelKinds?.[e.channel]) && design.rfFrequency;
        for (let l = 0; l < L; l++) laggedFrequency.push(rf && t - l >= 0 ? rf[(g * T + t - l) * C + e.channel] : 0);
        activeTest.push(anyTest ? 1 : 0);
        activeControl.push(anyControl ? 1 : 0);
      }
    });
  }
  const O = tests.observations.length;
  return {
    cellCount: channel.length,
    maxLag: L,
    channel: Int32Array.from(channel),
    geo: Int32Array.from(geo),
    observation: Int32Array.from(observation),
    period: Int32Array.from(period),
    weight: Float64Array.from(weight),
    laggedTest: Float64Array.from(laggedTest),
    laggedControl: Float64Array.from(laggedControl),
    laggedFrequency: Float64Array.from(laggedFrequency),
    activeTest: Uint8Array.from(activeTest),
    activeControl: Uint8Array.from(activeControl),
    observationCount: O,
    scaledValue: Float64Array.from(tests.observations, (o) => o.value / o.se),
    studentT: Uint8Array.from(tests.observations, (o) => (o.likelihood === 'studentT' ? 1 : 0)),
    df: Float64Array.from(tests.observations, (o) => (o.likelihood === 'studentT' ? o.df : 1)),
    logNormalizer: Float64Array.from(tests.observations, (o) =>
      o.likelihood === 'studentT'
        ? logGamma(0.5 * (o.df + 1)) - logGamma(0.5 * o.df) - 0.5 * Math.log(o.df * Math.PI) - Math.log(o.se)
        : -LOG_SQRT_2PI - Math.log(o.se),
    ),
  };
}

/**
 * The model-implied lift of every observation [O] (KPI units) at one draw's constrained values, in
 * float64 from whole series (components/mediaTransform.ts, hostModel.ts coefficients): the
 * obviously-right reference the kernels are tested against, and what the analysis reports.
 */
export function impliedLiftHost(design: MmmDesign, config: MmmModelConfig, values: DrawValues, tests: LiftTests): Float64Array {
  const { periods: T } = designDims(design);
  const saturatedData = config.mediaPrior.type !== 'coefficient' ? saturatedMediaHost(design, config, values) : new Float64Array(0);
  const beta = mediaCoefficientsHost(design, config, values, saturatedData);
  const effectiveness = mediaEffectivenessHost(design, config, values);
  const C = design.channelNames.length;
  const implied = new Float64Array(tests.observations.length);
  const scratch = new Float64Array(T);
  for (const e of tests.experiments) {
    const c = e.channel;
    const transform = channelTransform(config, values, c, design.channelNames);
    e.geos.forEach((g, j) => {
      // a reach and frequency channel: the conditions' media are its reach, at the data's frequency
      const frequency = transform.rf ? Float64Array.from({ length: T }, (_, t) => rfFrequencyOf(design)[(g * T + t) * C + c]) : undefined;
      const curve = (media: Float64Array, j: number): Float64Array =>
        frequency
          ? transformSeries(transform, frequency, new Float64Array(T), scratch, 1, media.subarray(j * T, (j + 1) * T))
          : transformSeries(transform, media.subarray(j * T, (j + 1) * T), new Float64Array(T), scratch);
      const test = curve(e.testMedia, j);
      const control = curve(e.controlMedia, j);
      const scale = design.kpiUnit[g] * beta[g * C + c];
      for (const o of e.observations) {
        const observation = tests.observations[o];
        for (let t = observation.from; t <= observation.to; t++) implied[o] += scale * (effectiveness ? effectiveness[t * C + c] : 1) * (test[t] - control[t]);
      }
    });
  }
  return implied;
}

/** Log density of one measured lift given the implied one, float64. */
export function liftObservationLogDensity(observation: LiftObservation, implied: number): number {
  const z = (observation.value - implied) / observation.se;
  if (observation.likelihood === 'normal') return -0.5 * z * z - Math.log(observation.se) - LOG_SQRT_2PI;
  const nu = observation.df;
  return logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(nu * Math.PI) - Math.log(observation.se) - ((nu + 1) / 2) * Math.log1p((z * z) / nu);
}

/** The lift tests' log likelihood at one draw, float64 (0 without experiments). */
export function liftLogLikelihoodHost(design: MmmDesign, config: MmmModelConfig, values: DrawValues, tests = resolveLiftTests(design, config)): number {
  if (!tests) return 0;
  const implied = impliedLiftHost(design, config, values, tests);
  let total = 0;
  tests.observations.forEach((o, i) => (total += liftObservationLogDensity(o, implied[i])));
  return total;
}
