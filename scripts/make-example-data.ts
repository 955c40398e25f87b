/**
 * Deterministic generator of Mixwell's bundled example data (examples/): a national dataset
 * (1 geo x 104 weeks x 3 channels, 1 control) and a geo dataset (4 geos x 78 weeks x 3
 * channels, 2 controls), simulated from the reference geo MMM's generative process
 * (shared/reference-model.md): geometric adstock (L = 8, normalized), Hill saturation,
 * non-centered geo intercepts and log-normal geo media effects, linear trend, Fourier seasonality
 * (S = 2, period 52), standardized controls, Normal noise. With one geo the geo effects drop out
 * (beta_c = exp(m_c), tau = tau0), as in the reference model.
 *
 * The KPI is simulated on the scaled level (mean about 1) and multiplied by a nominal level; the
 * realized mean r = mean(y) / nominal then differs slightly from 1, so the additive truths
 * (tau0, sigma_tau, delta, phi, gamma, sigma) are divided by r and m is shifted by -log r. With
 * those stored truths, y / mean(y) follows the model exactly (up to the cent rounding of y), the
 * same construction as the Stan peer's simulator (shared/bench/stan/simulate.py). m_c is solved
 * so that the true ROI of each channel is a chosen round number.
 *
 * Run: npx tsx scripts/make-example-data.ts   (writes examples/*.csv, *.truth.json, *.config.json;
 * the same bytes on every run). `generateExamples()` returns the file contents without writing.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRng, type Rng } from '../src/tensor/index.js';

const L = 8; // adstock max lag
const S = 2; // Fourier order
const PERIOD = 52;
const CHANNELS = ['tv', 'search', 'social'] as const;

interface DatasetPlan {
  readonly name: 'national' | 'geo';
  readonly seed: number;
  readonly G: number;
  readonly T: number;
  readonly start: string; // a Monday
  readonly geoNames: readonly string[];
  readonly controls: readonly ('price' | 'temperature')[];
  /** Mean weekly spend per channel over the whole country. */
  readonly nationalSpend: readonly number[];
  /** Mean weekly KPI of an average geo (sets the KPI's units). */
  readonly nominalKpi: number;
  readonly roiTarget: readonly number[];
  readonly alpha: readonly number[];
  readonly k: readonly number[];
  readonly s: readonly number[];
  readonly eta: readonly number[];
  /** Intercept level (simulation scale) of an average geo. */
  readonly baseLevel: number;
  readonly delta: number;
  readonly phi: readonly number[];
  readonly gamma: readonly number[];
  readonly sigma: number;
}

const PLANS: readonly DatasetPlan[] = [
  {
    name: 'national',
    seed: 20240104,
    G: 1,
    T: 104,
    start: '2022-01-03',
    geoNames: ['national'],
    controls: ['price'],
    nationalSpend: [12000, 5000, 4000],
    nominalKpi: 120000,
    roiTarget: [1.6, 2.6, 1.9],
    alpha: [0.6, 0.25, 0.4],
    k: [1.1, 0.8, 1.0],
    s: [1.3, 1.0, 1.5],
    eta: [],
    baseLevel: 0.62,
    delta: 0.08,
    phi: [0.06, 0.03, -0.02, 0.015],
    gamma: [-0.04],
    sigma: 0.05,
  },
  {
    name: 'geo',
    seed: 20240105,
    G: 4,
    T: 78,
    start: '2023-01-02',
    geoNames: ['north', 'south', 'east', 'west'],
    controls: ['price', 'temperature'],
    nationalSpend: [16000, 7200, 5600],
    nominalKpi: 40000,
    roiTarget: [1.5, 2.8, 2.0],
    alpha: [0.55, 0.3, 0.45],
    k: [1.0, 0.9, 1.2],
    s: [1.4, 1.1, 1.2],
    eta: [0.25, 0.2, 0.15],
    baseLevel: 0.6,
    delta: 0.1,
    phi: [0.05, 0.035, -0.02, 0.01],
    gamma: [-0.045, 0.025],
    sigma: 0.05,
  },
];

/** 12 significant digits: stable text, far below any posterior sd. */
const q = (v: number) => Number(v.toPrecision(12));
const ql = (vs: ArrayLike<number>) => Array.from(vs, q);
const mean = (vs: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < vs.length; i++) s += vs[i];
  return s / vs.length;
};
const sampleSd = (vs: ArrayLike<number>) => {
  const m = mean(vs);
  let ss = 0;
  for (let i = 0; i < vs.length; i++) ss += (vs[i] - m) ** 2;
  return Math.sqrt(ss / (vs.length - 1));
};
const round = (v: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

function addDays(iso: string, days: number): string {
  const t = Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** National weekly pattern of a channel, mean 1 over the weeks (zeros are dark weeks). */
function channelPattern(channel: (typeof CHANNELS)[number], T: number, rng: Rng): Float64Array {
  const p = new Float64Array(T);
  if (channel === 'tv') {
    // flights: 3-6 weeks on, 2-7 weeks off
    let t = Math.floor(rng.uniform() * 3);
    while (t < T) {
      const on = 3 + Math.floor(rng.uniform() * 4);
      const level = 0.7 + 0.6 * rng.uniform();
      for (let i = 0; i < on && t < T; i++, t++) p[t] = level * (0.9 + 0.2 * rng.uniform());
      t += 2 + Math.floor(rng.uniform() * 6);
    }
  } else if (channel === 'search') {
    // always on, seasonal, never zero
    const phase = rng.uniform() * 2 * Math.PI;
    for (let t = 0; t < T; t++) p[t] = Math.max(0.2, 1 + 0.25 * Math.sin((2 * Math.PI * (t + 1)) / PERIOD + phase) + 0.08 * rng.normal());
  } else {
    // always on with pushes and a few dark weeks
    for (let t = 0; t < T; t++) {
      const u = rng.uniform();
      p[t] = u < 0.06 ? 0 : u < 0.2 ? 1.8 + 0.4 * rng.uniform() : 0.8 + 0.3 * rng.uniform();
    }
  }
  const m = mean(p);
  for (let t = 0; t < T; t++) p[t] /= m;
  return p;
}

/** Normalized geometric adstock (L = 8) then Hill, for scaled spend xs [G, T] of one channel. */
function hillAdstock(xs: Float64Array, G: number, T: number, alpha: number, k: number, s: number): Float64Array {
  const w = Array.from({ length: L }, (_, l) => alpha ** l);
  const wsum = w.reduce((a, b) => a + b, 0);
  const h = new Float64Array(G * T);
  for (let g = 0; g < G; g++) {
    for (let t = 0; t < T; t++) {
      let a = 0;
      for (let l = 0; l < L && l <= t; l++) a += w[l] * xs[g * T + t - l];
      a /= wsum;
      h[g * T + t] = a > 0 ? 1 / (1 + Math.exp(-s * (Math.log(a) - Math.log(k)))) : 0;
    }
  }
  return h;
}

interface Generated {
  readonly csv: string;
  readonly truth: unknown;
  readonly config: unknown;
}

function simulate(plan: DatasetPlan): Generated {
  const { G, T } = plan;
  const C = CHANNELS.length;
  const K = plan.controls.length;
  const N = G * T;
  const rng = createRng(plan.seed, `examples:${plan.name}`);

  // geos: population factor (mean 1), share of national spend, channel emphasis
  const popFactor = new Float64Array(G).fill(1);
  if (G > 1) {
    for (let g = 0; g < G; g++) popFactor[g] = Math.exp(0.45 * rng.normal());
    const m = mean(popFactor);
    for (let g = 0; g < G; g++) popFactor[g] /= m;
  }
  const population = Array.from(popFactor, (f) => Math.round(f * 1_500_000));

  // spend [G, T, C], rounded to cents
  const spend = new Float64Array(N * C);
  CHANNELS.forEach((channel, c) => {
    const pattern = channelPattern(channel, T, rng);
    for (let g = 0; g < G; g++) {
      const emphasis = G > 1 ? Math.exp(0.2 * rng.normal()) : 1;
      for (let t = 0; t < T; t++) {
        let v = (plan.nationalSpend[c] / G) * popFactor[g] * emphasis * pattern[t];
        if (G > 1) {
          v *= Math.exp(0.1 * rng.normal());
          if (channel === 'tv' && rng.uniform() < 0.08) v = 0; // geo skips some flight weeks
        } else {
          v *= Math.exp(0.05 * rng.normal());
        }
        spend[(g * T + t) * C + c] = round(v, 2);
      }
    }
  });

  // controls [G, T, K], rounded as written
  const controls = new Float64Array(N * K);
  plan.controls.forEach((name, k) => {
    for (let g = 0; g < G; g++) {
      const offset = G > 1 ? rng.normal() : 0;
      let ar = 0;
      for (let t = 0; t < T; t++) {
        let v: number;
        if (name === 'price') {
          ar = 0.8 * ar + 0.012 * rng.normal();
          const promo = rng.uniform() < 0.08 ? -0.08 : 0;
          v = round(1 + 0.02 * offset + ar + promo, 3);
        } else {
          v = round(12 + 3 * offset + 9 * Math.sin((2 * Math.PI * (t + 1 - 15)) / PERIOD) + 2 * rng.normal(), 1);
        }
        controls[(g * T + t) * K + k] = v;
      }
    }
  });

  // scaling as the reference model: spend / channel mean, controls standardized (sample sd)
  const xs = Array.from({ length: C }, () => new Float64Array(N));
  const spendTotal = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    for (let n = 0; n < N; n++) spendTotal[c] += spend[n * C + c];
    const m = spendTotal[c] / N;
    for (let n = 0; n < N; n++) xs[c][n] = spend[n * C + c] / m;
  }
  const zs = Array.from({ length: K }, () => new Float64Array(N));
  const controlMean: number[] = [];
  const controlSd: number[] = [];
  for (let k = 0; k < K; k++) {
    const col = Float64Array.from({ length: N }, (_, n) => controls[n * K + k]);
    controlMean.push(mean(col));
    controlSd.push(sampleSd(col));
    for (let n = 0; n < N; n++) zs[k][n] = (col[n] - controlMean[k]) / controlSd[k];
  }

  const h = CHANNELS.map((_, c) => hillAdstock(xs[c], G, T, plan.alpha[c], plan.k[c], plan.s[c]));

  // geo effects (simulation scale): intercepts follow population, media effects correlate with it
  let u: number[][] = [];
  let v: number[] = [];
  let tau0Sim = plan.baseLevel;
  let sigmaTauSim = 0;
  if (G > 1) {
    const logPop = Array.from(popFactor, Math.log);
    const lm = mean(logPop);
    const lsd = sampleSd(logPop);
    u = Array.from({ length: G }, (_, g) => CHANNELS.map(() => 0.6 * ((logPop[g] - lm) / lsd) + 0.8 * rng.normal()));
    const tauG = Array.from(popFactor, (f) => plan.baseLevel * f);
    tau0Sim = mean(tauG);
    sigmaTauSim = sampleSd(tauG);
    v = tauG.map((t) => (t - tau0Sim) / sigmaTauSim);
  }
  const geoEffect = (g: number, c: number) => (G > 1 ? Math.exp(plan.eta[c] * u[g][c]) : 1);

  // m (simulation scale) so that ROI_c = target: ROI_c = exp(m) * sum exp(eta u) h * nominal / sum x
  const mSim = CHANNELS.map((_, c) => {
    let acc = 0;
    for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) acc += geoEffect(g, c) * h[c][g * T + t];
    return Math.log((plan.roiTarget[c] * spendTotal[c]) / (plan.nominalKpi * acc));
  });

  // mean and KPI
  const trend = Array.from({ length: T }, (_, t) => t / (T - 1));
  const fourier = Array.from({ length: T }, (_, i) => {
    const t = i + 1;
    const row: number[] = [];
    for (let j = 1; j <= S; j++) row.push(Math.sin((2 * Math.PI * j * t) / PERIOD), Math.cos((2 * Math.PI * j * t) / PERIOD));
    return row;
  });
  const kpi = new Float64Array(N);
  for (let g = 0; g < G; g++) {
    const tau = G > 1 ? tau0Sim + sigmaTauSim * v[g] : tau0Sim;
    for (let t = 0; t < T; t++) {
      const n = g * T + t;
      let mu = tau + plan.delta * trend[t];
      for (let j = 0; j < 2 * S; j++) mu += plan.phi[j] * fourier[t][j];
      for (let k = 0; k < K; k++) mu += plan.gamma[k] * zs[k][n];
      for (let c = 0; c < C; c++) mu += Math.exp(mSim[c]) * geoEffect(g, c) * h[c][n];
      const ysSim = mu + plan.sigma * rng.normal();
      kpi[n] = round(ysSim * plan.nominalKpi, 2);
    }
  }

  // truths on the model scale (y / mean(y))
  const yMean = mean(kpi);
  const r = yMean / plan.nominalKpi;
  const m = mSim.map((x) => x - Math.log(r));
  const beta = Array.from({ length: G }, (_, g) => CHANNELS.map((_, c) => Math.exp(m[c]) * geoEffect(g, c)));
  const roi = CHANNELS.map((_, c) => {
    let contrib = 0;
    for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) contrib += beta[g][c] * h[c][g * T + t] * yMean;
    return contrib / spendTotal[c];
  });
  const mroi = CHANNELS.map((_, c) => {
    const hUp = hillAdstock(Float64Array.from(xs[c], (x) => x * 1.01), G, T, plan.alpha[c], plan.k[c], plan.s[c]);
    let dKpi = 0;
    for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) dKpi += beta[g][c] * (hUp[g * T + t] - h[c][g * T + t]) * yMean;
    return dKpi / (0.01 * spendTotal[c]);
  });
  let mediaTotal = 0;
  for (let c = 0; c < C; c++) mediaTotal += roi[c] * spendTotal[c];

  const params: Record<string, unknown> = {
    alpha: ql(plan.alpha),
    k: ql(plan.k),
    s: ql(plan.s),
    m: ql(m),
  };
  if (G > 1) {
    params.eta = ql(plan.eta);
    params.u = u.map(ql);
    params.tau0 = q(tau0Sim / r);
    params.sigma_tau = q(sigmaTauSim / r);
    params.v = ql(v);
  } else {
    params.tau0 = q(tau0Sim / r);
  }
  Object.assign(params, {
    delta: q(plan.delta / r),
    phi: ql(plan.phi.map((x) => x / r)),
    gamma: ql(plan.gamma.map((x) => x / r)),
    sigma: q(plan.sigma / r),
  });
  const tau = Array.from({ length: G }, (_, g) => (G > 1 ? tau0Sim + sigmaTauSim * v[g] : tau0Sim) / r);

  const truth = {
    dataset: plan.name,
    description:
      'True parameters of the reference geo MMM (model scale: spend / channel mean, controls standardized with the sample sd, KPI / mean KPI) that generated this file, and the true ROI / mROI per channel.',
    generator: 'scripts/make-example-data.ts',
    seed: plan.seed,
    dims: { G, T, C, K, L, S },
    geos: plan.geoNames,
    channels: [...CHANNELS],
    controls: [...plan.controls],
    conventions: {
      row_order: 'geo-major, n = g*T + t (0-based)',
      fourier: 't = 1..T; [sin(2pi*1*t/52), cos(2pi*1*t/52), sin(2pi*2*t/52), cos(2pi*2*t/52)]',
      trend: '(t-1)/(T-1)',
      adstock: 'geometric, L = 8, weights alpha^l / sum alpha^l, spend before week 1 = 0',
      hill: 'a^s / (a^s + k^s)',
      geo_effects: G > 1 ? 'beta[g,c] = exp(m_c + eta_c u[g,c]); tau_g = tau0 + sigma_tau v[g]' : 'one geo: beta_c = exp(m_c), tau = tau0 (no eta, u, sigma_tau, v)',
      roi: 'sum_{g,t} beta[g,c] h[g,t,c] mean(y) / sum_{g,t} spend[g,t,c]',
      mroi: '[KPI(1.01 spend_c) - KPI(spend_c)] / (0.01 sum spend_c), scaling constants fixed',
    },
    params,
    derived: {
      beta: beta.map(ql),
      tau: ql(tau),
      roi: Object.fromEntries(CHANNELS.map((ch, c) => [ch, q(roi[c])])),
      mroi: Object.fromEntries(CHANNELS.map((ch, c) => [ch, q(mroi[c])])),
      media_share_of_kpi: q(mediaTotal / (yMean * N)),
    },
    data_summary: {
      kpi_mean: q(yMean),
      spend_mean: ql(Array.from(spendTotal, (s) => s / N)),
      spend_total: ql(spendTotal),
      control_mean: ql(controlMean),
      control_sd: ql(controlSd),
      zero_spend_weeks: Object.fromEntries(CHANNELS.map((ch, c) => [ch, Array.from({ length: N }, (_, n) => spend[n * C + c]).filter((x) => x === 0).length])),
      ...(G > 1 ? { population: population } : {}),
    },
  };

  // CSV
  const header = [
    ...(G > 1 ? ['geo'] : []),
    'date',
    ...CHANNELS.map((ch) => `${ch}_spend`),
    ...plan.controls,
    ...(G > 1 ? ['population'] : []),
    'sales',
  ];
  const lines = [header.join(',')];
  for (let g = 0; g < G; g++) {
    for (let t = 0; t < T; t++) {
      const n = g * T + t;
      const cells: string[] = [];
      if (G > 1) cells.push(plan.geoNames[g]);
      cells.push(addDays(plan.start, 7 * t));
      for (let c = 0; c < C; c++) cells.push(spend[n * C + c].toFixed(2));
      plan.controls.forEach((name, k) => cells.push(controls[n * K + k].toFixed(name === 'price' ? 3 : 1)));
      if (G > 1) cells.push(String(population[g]));
      cells.push(kpi[n].toFixed(2));
      lines.push(cells.join(','));
    }
  }

  const config = {
    data: {
      geo: G > 1 ? 'geo' : null,
      date: 'date',
      dateFormat: 'YYYY-MM-DD',
      kpi: 'sales',
      revenuePerKpi: null,
      population: G > 1 ? 'population' : null,
      channels: CHANNELS.map((ch) => ({ name: ch, spend: `${ch}_spend` })),
      controls: [...plan.controls],
      events: [],
    },
  };
  return { csv: lines.join('\n') + '\n', truth, config };
}

/** File name -> contents of every example file. */
export function generateExamples(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const plan of PLANS) {
    const { csv, truth, config } = simulate(plan);
    files[`${plan.name}.csv`] = csv;
    files[`${plan.name}.truth.json`] = JSON.stringify(truth, null, 2) + '\n';
    files[`${plan.name}.config.json`] = JSON.stringify(config, null, 2) + '\n';
  }
  return files;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = fileURLToPath(new URL('../examples/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(generateExamples())) {
    writeFileSync(`${dir}${name}`, text);
    console.log(`wrote examples/${name} (${text.length} bytes)`);
  }
}
