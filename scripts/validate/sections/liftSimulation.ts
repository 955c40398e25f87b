/**
 * A small simulator for the lift-test check (section `lift` of `npm run validate` and
 * tests/mmm.liftRecovery.test.ts): geo data from the reference geo MMM (shared/reference-model.md:
 * geometric normalized adstock, Hill saturation, log-normal geo media effects, geo intercepts, trend,
 * Fourier seasonality, Normal noise) with a known truth, in which one channel's decay and ROI are
 * weakly identified from the time series, plus an experiment on that channel with its measured
 * per-period lift.
 *
 * - "tv": always-on spend at a geo-specific level with a mild smooth yearly cycle (+-30%, in phase
 *   with the seasonality) and 2% noise, so its adstock is nearly the spend itself (decay weakly
 *   identified) and its effect is nearly a constant per geo plus a seasonal wave, confounded with the
 *   geo intercepts and the Fourier terms (ROI weakly identified);
 * - "search": noisy week-to-week spend (well identified).
 * The experiment is a go-dark test: tv is switched off in the first `testGeos` geos (all by default)
 * for `testWeeks` periods (by default 8 = the max lag, so the adstock drains completely and the lift
 * measures the channel's whole contribution, not only the slope of its curve; the window is where
 * the spend cycle crosses its mean, so that level is the channel's typical one), where it would
 * otherwise have run at a flat planned budget (the same in every test geo, so the config states it
 * as `spendDelta: -budget`); the data holds the test condition (zero spend). Its lift (test minus
 * control, negative) is measured per period over the test and `measuredWeeks - testWeeks` periods
 * of recovery: the true counterfactual lift (from the true parameters) plus Normal noise of sd
 * `seFraction` x the largest weekly |lift|, as an independent read-out (e.g. from the experiment's
 * own control design). The dip is also in the data, so the time series alone already learns from
 * it; the lift measurement adds to that.
 *
 * The KPI is simulated on the scaled level (mean about 1) and multiplied by a nominal level; spend is
 * scaled by its mean over geos and periods of the final data (the test included), as the model
 * does, so the truths of alpha, k, s are the model's parameters and ROI and lift (original units) are
 * scale-free. ROI truth = sum_{g,t} nominal beta[g,c] h[g,t,c] / sum spend (the model's definition).
 */
import { createRng, gammaVariate } from '../../../src/tensor/index.js';
import { applyAdstock, geometric, hill } from '../../../models/mmm/index.js';

export interface LiftSimulationOptions {
  readonly seed?: number;
  readonly geos?: number;
  readonly periods?: number;
  /** Geos in the test (the first ones; all by default). */
  readonly testGeos?: number;
  /** Period index where the test starts, and its length. */
  readonly testStart?: number;
  readonly testWeeks?: number;
  /** Measured periods from the test's start (test + carryover). */
  readonly measuredWeeks?: number;
  /** Measurement sd as a fraction of the largest weekly |lift|. */
  readonly seFraction?: number;
}

export const LIFT_SIMULATION_DEFAULTS: Required<LiftSimulationOptions> = {
  seed: 20240607,
  geos: 8,
  periods: 104,
  testGeos: 8,
  testStart: 71,
  testWeeks: 8,
  measuredWeeks: 16,
  seFraction: 0.1,
};

const CHANNELS = ['tv', 'search'] as const;
const MAX_LAG = 8;
const NOMINAL_KPI = 50_000;
const START = Date.UTC(2022, 0, 3); // a Monday

/** The true parameters (the model's, on the scaled level). */
export const LIFT_SIMULATION_TRUTH = {
  alpha: [0.7, 0.2],
  k: [1.0, 0.8],
  s: [1.3, 1.0],
  m: [Math.log(0.3), Math.log(0.15)],
  eta: [0.15, 0.15],
  tau0: 0.55,
  sigmaTau: 0.1,
  delta: 0.05,
  phi: [0.08, 0.03, 0.0, 0.02],
  sigma: 0.05,
} as const;

export interface LiftSimulation {
  /** Long-format CSV: geo, date, tv_spend, search_spend, sales. */
  readonly csv: string;
  /** Data roles for the run config. */
  readonly dataSpec: Record<string, unknown>;
  /** The experiment as it goes into `model.experiments`. */
  readonly experiment: Record<string, unknown>;
  readonly geoNames: readonly string[];
  readonly dates: readonly string[];
  readonly truth: {
    readonly roi: Readonly<Record<string, number>>;
    readonly alpha: Readonly<Record<string, number>>;
    /** True lift per measured period and its sum (KPI units, test minus control). */
    readonly liftByWeek: readonly number[];
    readonly liftTotal: number;
    /** Media coefficients [G, C] per unit of the nominal KPI level (the model's beta is this x nominal / mean KPI). */
    readonly beta: Float64Array;
    readonly nominalKpi: number;
  };
}

export function simulateLiftData(options: LiftSimulationOptions = {}): LiftSimulation {
  const o = { ...LIFT_SIMULATION_DEFAULTS, ...options };
  const { geos: G, periods: T } = o;
  const C = CHANNELS.length;
  if (o.testStart + o.measuredWeeks > T) throw new Error('lift simulation: the measured window runs past the data');
  const rng = createRng(o.seed, 'lift-simulation');
  const truth = LIFT_SIMULATION_TRUTH;
  const dates = Array.from({ length: T }, (_, t) => new Date(START + 7 * 86400e3 * t).toISOString().slice(0, 10));
  const geoNames = Array.from({ length: G }, (_, g) => `geo${String(g + 1).padStart(2, '0')}`);

  // ---- spend (currency) [G, T, C]; the test is in the data
  const spend = new Float64Array(G * T * C);
  for (let g = 0; g < G; g++) {
    const tvLevel = 20_000 * Math.exp(0.3 * rng.normal());
    const searchLevel = 8_000 * Math.exp(0.3 * rng.normal());
    for (let t = 0; t < T; t++) {
      const cycle = 1 + 0.3 * Math.sin((2 * Math.PI * (t + 1)) / 52 + 0.3);
      spend[(g * T + t) * C] = round2(tvLevel * cycle * (1 + 0.02 * rng.normal()));
      spend[(g * T + t) * C + 1] = round2((searchLevel * gammaVariate(rng, 3)) / 3);
    }
  }
  // the planned budget of the test cells: their average spend in the window, flat; the test sets it to 0
  let planned = 0;
  for (let g = 0; g < o.testGeos; g++) for (let t = o.testStart; t < o.testStart + o.testWeeks; t++) planned += spend[(g * T + t) * C];
  const budget = Math.round(planned / (o.testGeos * o.testWeeks));
  const control = Float64Array.from(spend);
  for (let g = 0; g < o.testGeos; g++) {
    for (let t = o.testStart; t < o.testStart + o.testWeeks; t++) {
      control[(g * T + t) * C] = budget;
      spend[(g * T + t) * C] = 0;
    }
  }
  const mean = Float64Array.from(CHANNELS, (_, c) => {
    let total = 0;
    for (let n = 0; n < G * T; n++) total += spend[n * C + c];
    return total / (G * T);
  });

  // ---- media effects
  const beta = new Float64Array(G * C);
  for (let g = 0; g < G; g++) for (let c = 0; c < C; c++) beta[g * C + c] = Math.exp(truth.m[c] + truth.eta[c] * rng.normal());
  const saturatedOf = (x: Float64Array, g: number, c: number): Float64Array => {
    const series = Float64Array.from({ length: T }, (_, t) => x[(g * T + t) * C + c] / mean[c]);
    const weights = new Float64Array(MAX_LAG);
    geometric.weights([truth.alpha[c]], MAX_LAG, weights);
    const adstocked = applyAdstock(series, weights, new Float64Array(series.length));
    return Float64Array.from(adstocked, (a) => hill.value([truth.k[c], truth.s[c]], {}, a));
  };

  // ---- KPI
  const sales = new Float64Array(G * T);
  const contribution = new Float64Array(C);
  for (let g = 0; g < G; g++) {
    const intercept = truth.tau0 + truth.sigmaTau * rng.normal();
    const saturated = CHANNELS.map((_, c) => saturatedOf(spend, g, c));
    for (let t = 0; t < T; t++) {
      const trend = T > 1 ? t / (T - 1) : 0;
      const angle = (2 * Math.PI * (t + 1)) / 52;
      let mu = intercept + truth.delta * trend;
      mu += truth.phi[0] * Math.sin(angle) + truth.phi[1] * Math.cos(angle) + truth.phi[2] * Math.sin(2 * angle) + truth.phi[3] * Math.cos(2 * angle);
      for (let c = 0; c < C; c++) {
        mu += beta[g * C + c] * saturated[c][t];
        contribution[c] += NOMINAL_KPI * beta[g * C + c] * saturated[c][t];
      }
      sales[g * T + t] = round2(NOMINAL_KPI * (mu + truth.sigma * rng.normal()));
    }
  }
  const roi: Record<string, number> = {};
  CHANNELS.forEach((channel, c) => {
    let total = 0;
    for (let n = 0; n < G * T; n++) total += spend[n * C + c];
    roi[channel] = contribution[c] / total;
  });

  // ---- the experiment's true and measured lift (tv, test geos, per measured period)
  const liftByWeek = new Array<number>(o.measuredWeeks).fill(0);
  for (let g = 0; g < o.testGeos; g++) {
    const test = saturatedOf(spend, g, 0);
    const base = saturatedOf(control, g, 0);
    for (let w = 0; w < o.measuredWeeks; w++) liftByWeek[w] += NOMINAL_KPI * beta[g * C] * (test[o.testStart + w] - base[o.testStart + w]);
  }
  const se = o.seFraction * Math.max(...liftByWeek.map(Math.abs));
  const measurementRng = createRng(o.seed, 'lift-measurement');
  const measured = liftByWeek.map((lift) => round2(lift + se * measurementRng.normal()));
  const experiment = {
    name: 'tv go-dark',
    channel: 'tv',
    geos: o.testGeos === G ? 'all' : geoNames.slice(0, o.testGeos),
    from: dates[o.testStart],
    to: dates[o.testStart + o.testWeeks - 1],
    spendDelta: -budget,
    dataIncludesTest: true,
    measuredFrom: dates[o.testStart],
    measuredTo: dates[o.testStart + o.measuredWeeks - 1],
    liftKpiByWeek: measured,
    liftSeByWeek: measured.map(() => round2(se)),
  };

  const lines = ['geo,date,tv_spend,search_spend,sales'];
  for (let g = 0; g < G; g++) {
    for (let t = 0; t < T; t++) lines.push(`${geoNames[g]},${dates[t]},${spend[(g * T + t) * C].toFixed(2)},${spend[(g * T + t) * C + 1].toFixed(2)},${sales[g * T + t].toFixed(2)}`);
  }
  return {
    csv: `${lines.join('\n')}\n`,
    dataSpec: {
      geo: 'geo',
      date: 'date',
      dateFormat: 'YYYY-MM-DD',
      kpi: 'sales',
      revenuePerKpi: null,
      population: null,
      channels: CHANNELS.map((name) => ({ name, spend: `${name}_spend` })),
      controls: [],
      events: [],
    },
    experiment,
    geoNames,
    dates,
    truth: {
      roi,
      alpha: Object.fromEntries(CHANNELS.map((channel, c) => [channel, truth.alpha[c]])),
      liftByWeek,
      liftTotal: liftByWeek.reduce((a, b) => a + b, 0),
      beta,
      nominalKpi: NOMINAL_KPI,
    },
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
