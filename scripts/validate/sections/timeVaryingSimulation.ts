/**
 * A small simulator for the time-varying effectiveness check (section `tv-recovery` of
 * `npm run validate` and tests/mmm.timeVarying.recovery.test.ts): geo data from the reference geo
 * MMM (shared/reference-model.md: geometric normalized adstock, Hill saturation, media coefficients,
 * geo intercepts, trend, Fourier seasonality, Normal noise) with one channel's coefficient varying
 * over time as in models/mmm/components/timeVarying.ts (issue 22):
 *
 *   beta[g,c,t] = beta[c] x multiplier_c(t),
 *
 * - "rising": multiplier 1 + 0.5 t / (T - 1), its effectiveness rises by half over the series;
 * - "flat": multiplier 1 (static).
 * Both channels have noisy week-to-week spend (Gamma(2) around a geo level, coefficient of variation
 * 0.7), so each period's effect is identified from the spend's fluctuations: a slow change of a
 * channel's contribution level alone would be confounded with the baseline's trend and seasonality.
 * The media coefficients are the same in every geo (eta = 0; fit with geo.media "pooled"): with 4
 * geos a geo-effect sd has a funnel at 0 (trial fits with eta = 0.15 and non-centered geo effects:
 * ~1% divergent transitions, and one stuck chain with the lift test), and geo heterogeneity is not
 * what this simulator is for. The model's w_c(t) is log effectiveness centred over the periods, so
 * the truth it estimates is w_c(t) = log multiplier_c(t) - mean_s log multiplier_c(s) (0 for "flat");
 * the model's exp(m_c) is then beta[c] exp(mean_s log multiplier_c(s)) on the scaled KPI.
 *
 * Optionally an experiment (the lift test of liftSimulation.ts): a go-dark of "rising" in all geos for
 * `testWeeks` periods in the middle of the series where it would otherwise have run at a flat planned
 * budget, its lift measured per period over the test and `measuredWeeks - testWeeks` periods of
 * recovery: the true counterfactual lift (with the time-varying coefficient) plus Normal noise of sd
 * `seFraction` x the largest weekly |lift| (5% by default: a precise read-out, e.g. a well-powered
 * geo experiment; at 10% the lift narrowed the band of w at the test weeks by only ~7% in trial
 * fits, about its Monte Carlo error). The data hold the test condition (zero spend).
 *
 * The KPI is simulated on the scaled level (mean about 1) and multiplied by a nominal level; spend is
 * scaled by its mean over geos and periods of the final data, as the model does, so alpha, k, s are
 * the model's parameters. ROI truth = sum_{g,t} nominal beta[g,c,t] h[g,t,c] / sum spend (the model's
 * definition with the time-varying coefficient).
 */
import { createRng, gammaVariate } from '../../../src/tensor/index.js';
import { applyAdstock, geometric, hill } from '../../../models/mmm/index.js';

export interface TimeVaryingSimulationOptions {
  readonly seed?: number;
  readonly geos?: number;
  readonly periods?: number;
  /** Period index where the go-dark of "rising" starts, and its length. */
  readonly testStart?: number;
  readonly testWeeks?: number;
  /** Measured periods from the test's start (test + carryover). */
  readonly measuredWeeks?: number;
  /** Measurement sd as a fraction of the largest weekly |lift|. */
  readonly seFraction?: number;
}

export const TIME_VARYING_SIMULATION_DEFAULTS: Required<TimeVaryingSimulationOptions> = {
  seed: 20240622,
  geos: 4,
  periods: 104,
  testStart: 48,
  testWeeks: 8,
  measuredWeeks: 16,
  seFraction: 0.05,
};

export const TIME_VARYING_CHANNELS = ['rising', 'flat'] as const;
const MAX_LAG = 8;
const NOMINAL_KPI = 50_000;
const START = Date.UTC(2022, 0, 3); // a Monday
/** Growth of the rising channel's effectiveness over the whole series (multiplier at the last period - 1). */
export const RISING_GROWTH = 0.5;

/** The true parameters (the model's, on the scaled level; beta's level m is that of the multiplier 1). */
export const TIME_VARYING_SIMULATION_TRUTH = {
  alpha: [0.5, 0.3],
  k: [1.0, 0.9],
  s: [1.2, 1.0],
  m: [Math.log(0.3), Math.log(0.3)],
  eta: [0, 0],
  tau0: 0.55,
  sigmaTau: 0.1,
  delta: 0.05,
  phi: [0.08, 0.03, 0.0, 0.02],
  sigma: 0.03,
} as const;

/** The true effectiveness multiplier of channel c at period t of T. */
export function trueMultiplier(c: number, t: number, T: number): number {
  return TIME_VARYING_CHANNELS[c] === 'rising' ? 1 + (RISING_GROWTH * t) / (T - 1) : 1;
}

export interface TimeVaryingSimulation {
  /** Long-format CSV: geo, date, rising_spend, flat_spend, sales. */
  readonly csv: string;
  /** Data roles for the run config. */
  readonly dataSpec: Record<string, unknown>;
  /** The go-dark experiment on "rising" as it goes into `model.experiments`. */
  readonly experiment: Record<string, unknown>;
  readonly geoNames: readonly string[];
  readonly dates: readonly string[];
  readonly truth: {
    /** True w_c(t) (log effectiveness centred over the periods) per channel name, [T] each. */
    readonly logEffectiveness: Readonly<Record<string, Float64Array>>;
    /** ROI per channel with the time-varying coefficient. */
    readonly roi: Readonly<Record<string, number>>;
    /** True lift per measured period and its sum (KPI units, test minus control). */
    readonly liftByWeek: readonly number[];
    readonly liftTotal: number;
    /** Period indices of the test (go-dark) weeks. */
    readonly testPeriods: readonly number[];
  };
}

export function simulateTimeVaryingData(options: TimeVaryingSimulationOptions = {}): TimeVaryingSimulation {
  const o = { ...TIME_VARYING_SIMULATION_DEFAULTS, ...options };
  const { geos: G, periods: T } = o;
  const C = TIME_VARYING_CHANNELS.length;
  if (T < 4) throw new Error('time-varying simulation: at least 4 periods');
  if (o.testStart + o.measuredWeeks > T) throw new Error('time-varying simulation: the measured window runs past the data');
  if (o.measuredWeeks < o.testWeeks) throw new Error('time-varying simulation: measuredWeeks must cover the test weeks');
  const rng = createRng(o.seed, 'time-varying-simulation');
  const truth = TIME_VARYING_SIMULATION_TRUTH;
  const dates = Array.from({ length: T }, (_, t) => new Date(START + 7 * 86400e3 * t).toISOString().slice(0, 10));
  const geoNames = Array.from({ length: G }, (_, g) => `geo${String(g + 1).padStart(2, '0')}`);
  const multiplier = (c: number, t: number) => trueMultiplier(c, t, T);

  // ---- spend (currency) [G, T, C], noisy week to week; the go-dark is in the data
  const RISING = 0;
  const spend = new Float64Array(G * T * C);
  for (let g = 0; g < G; g++) {
    const levels = [15_000 * Math.exp(0.3 * rng.normal()), 10_000 * Math.exp(0.3 * rng.normal())];
    for (let t = 0; t < T; t++) for (let c = 0; c < C; c++) spend[(g * T + t) * C + c] = round2((levels[c] * gammaVariate(rng, 2)) / 2);
  }
  // the planned budget of the test cells: their average spend in the window, flat; the test sets it to 0
  let planned = 0;
  for (let g = 0; g < G; g++) for (let t = o.testStart; t < o.testStart + o.testWeeks; t++) planned += spend[(g * T + t) * C + RISING];
  const budget = Math.round(planned / (G * o.testWeeks));
  const control = Float64Array.from(spend);
  for (let g = 0; g < G; g++) {
    for (let t = o.testStart; t < o.testStart + o.testWeeks; t++) {
      control[(g * T + t) * C + RISING] = budget;
      spend[(g * T + t) * C + RISING] = 0;
    }
  }
  const spendMean = Float64Array.from(TIME_VARYING_CHANNELS, (_, c) => {
    let total = 0;
    for (let n = 0; n < G * T; n++) total += spend[n * C + c];
    return total / (G * T);
  });

  // ---- media effects: level beta[g,c] (multiplier 1) and saturated adstocked media h[g,t,c]
  const beta = new Float64Array(G * C);
  for (let g = 0; g < G; g++) for (let c = 0; c < C; c++) beta[g * C + c] = Math.exp(truth.m[c] + truth.eta[c] * rng.normal());
  const saturatedOf = (x: Float64Array, g: number, c: number): Float64Array => {
    const series = Float64Array.from({ length: T }, (_, t) => x[(g * T + t) * C + c] / spendMean[c]);
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
    const saturated = TIME_VARYING_CHANNELS.map((_, c) => saturatedOf(spend, g, c));
    for (let t = 0; t < T; t++) {
      const trend = t / (T - 1);
      const angle = (2 * Math.PI * (t + 1)) / 52;
      let mu = intercept + truth.delta * trend;
      mu += truth.phi[0] * Math.sin(angle) + truth.phi[1] * Math.cos(angle) + truth.phi[2] * Math.sin(2 * angle) + truth.phi[3] * Math.cos(2 * angle);
      for (let c = 0; c < C; c++) {
        const effect = beta[g * C + c] * multiplier(c, t) * saturated[c][t];
        mu += effect;
        contribution[c] += NOMINAL_KPI * effect;
      }
      sales[g * T + t] = round2(NOMINAL_KPI * (mu + truth.sigma * rng.normal()));
    }
  }
  const roi: Record<string, number> = {};
  const logEffectiveness: Record<string, Float64Array> = {};
  TIME_VARYING_CHANNELS.forEach((channel, c) => {
    let total = 0;
    for (let n = 0; n < G * T; n++) total += spend[n * C + c];
    roi[channel] = contribution[c] / total;
    const logMultiplier = Float64Array.from({ length: T }, (_, t) => Math.log(multiplier(c, t)));
    const centre = logMultiplier.reduce((a, b) => a + b, 0) / T;
    logEffectiveness[channel] = logMultiplier.map((w) => w - centre);
  });

  // ---- the experiment's true and measured lift (rising, all geos, per measured period)
  const liftByWeek = new Array<number>(o.measuredWeeks).fill(0);
  for (let g = 0; g < G; g++) {
    const test = saturatedOf(spend, g, RISING);
    const base = saturatedOf(control, g, RISING);
    for (let w = 0; w < o.measuredWeeks; w++) {
      const t = o.testStart + w;
      liftByWeek[w] += NOMINAL_KPI * beta[g * C + RISING] * multiplier(RISING, t) * (test[t] - base[t]);
    }
  }
  const se = o.seFraction * Math.max(...liftByWeek.map(Math.abs));
  const measurementRng = createRng(o.seed, 'time-varying-lift-measurement');
  const measured = liftByWeek.map((lift) => round2(lift + se * measurementRng.normal()));
  const experiment = {
    name: 'rising go-dark',
    channel: 'rising',
    geos: 'all',
    from: dates[o.testStart],
    to: dates[o.testStart + o.testWeeks - 1],
    spendDelta: -budget,
    dataIncludesTest: true,
    measuredFrom: dates[o.testStart],
    measuredTo: dates[o.testStart + o.measuredWeeks - 1],
    liftKpiByWeek: measured,
    liftSeByWeek: measured.map(() => round2(se)),
  };

  const lines = ['geo,date,rising_spend,flat_spend,sales'];
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
      channels: TIME_VARYING_CHANNELS.map((name) => ({ name, spend: `${name}_spend` })),
      controls: [],
      events: [],
    },
    experiment,
    geoNames,
    dates,
    truth: {
      logEffectiveness,
      roi,
      liftByWeek,
      liftTotal: liftByWeek.reduce((a, b) => a + b, 0),
      testPeriods: Array.from({ length: o.testWeeks }, (_, w) => o.testStart + w),
    },
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
