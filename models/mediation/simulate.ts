/**
 * Simulate national weekly data from the mediation model itself (model.ts, evaluated by
 * hostModel.ts): exogenous channels are smooth positive series (optionally flighted), each mediator
 * is its equation's mean given its drivers plus an error (iid or AR(1)), generated in topological
 * order, and the KPI is its equation's mean plus an error. The simulated values are the model's
 * "scaled" inputs used as raw units (the fit rescales them by their sample means; effects in
 * original units do not depend on that).
 *
 * The true effects are computed here by re-running the generating process with the same error
 * draws, independently of the analysis code: total effect of c = sum_t y - y(c switched off, its
 * descendants regenerated with their errors kept); direct = sum_t y - y(c off, mediators kept at
 * their simulated values); indirect = total - direct (definitions in src/analysis/mediationEffects.ts).
 */
import { createRng } from '../../src/tensor/index.js';
import type { MmmDesign } from '../mmm/index.js';
import type { MediationModelConfig } from './config.js';
import { mediationHost, type DrawValues } from './hostModel.js';
import { resolveStructure } from './structure.js';

export interface SimulatedChannel {
  readonly name: string;
  /** Mean level of an exogenous channel (ignored for mediators, whose activity is generated). */
  readonly level?: number;
  /** Exogenous only: on for 3-6 weeks, off for 2-5 weeks. */
  readonly flighted?: boolean;
}

export interface MediationSimulationSpec {
  readonly seed: number;
  readonly periods: number;
  readonly channels: readonly SimulatedChannel[];
  readonly config: MediationModelConfig;
  /** True parameter values (constrained, by parameter name, flat arrays) in the simulated units. */
  readonly values: DrawValues;
}

export interface MediationTruth {
  readonly channel: string;
  readonly direct: number;
  readonly indirect: number;
  readonly total: number;
}

export interface MediationSimulation {
  /** CSV with columns date, <channel>_spend..., kpi. */
  readonly csv: string;
  /** Data roles for the CSV. */
  readonly dataSpec: {
    readonly geo: null;
    readonly date: string;
    readonly kpi: string;
    readonly channels: readonly { readonly name: string; readonly spend: string }[];
    readonly controls: readonly string[];
    readonly events: readonly string[];
  };
  readonly media: Float64Array; // [T, C]
  readonly kpi: Float64Array; // [T]
  /** Contribution-based true effects over the window, in KPI units. */
  readonly truth: readonly MediationTruth[];
}

function isoDate(start: Date, weeks: number): string {
  return new Date(start.getTime() + weeks * 7 * 86400000).toISOString().slice(0, 10);
}

function errorSeries(rng: ReturnType<typeof createRng>, T: number, sigma: number, rho: number | undefined): Float64Array {
  const out = new Float64Array(T);
  if (rho === undefined) {
    for (let t = 0; t < T; t++) out[t] = sigma * rng.normal();
    return out;
  }
  out[0] = (sigma / Math.sqrt(1 - rho * rho)) * rng.normal();
  for (let t = 1; t < T; t++) out[t] = rho * out[t - 1] + sigma * rng.normal();
  return out;
}

export function simulateMediation(spec: MediationSimulationSpec): MediationSimulation {
  const T = spec.periods;
  const C = spec.channels.length;
  const channelNames = spec.channels.map((c) => c.name);
  const structure = resolveStructure(spec.config, channelNames, 'simulation');
  const rng = createRng(spec.seed, 'mediation-simulation');
  const start = new Date('2022-01-03T00:00:00Z');
  const dates = Array.from({ length: T }, (_, t) => isoDate(start, t));
  const media = new Float64Array(T * C);
  // Exogenous channels: smooth positive series (AR(1) log deviations around a seasonal level).
  spec.channels.forEach((channel, c) => {
    if (structure.mediators.includes(c)) return;
    const level = channel.level ?? 1;
    let deviation = 0;
    let on = true;
    let runLeft = 3 + Math.floor(rng.uniform() * 4);
    for (let t = 0; t < T; t++) {
      deviation = 0.7 * deviation + 0.25 * rng.normal();
      const seasonal = 1 + 0.3 * Math.sin((2 * Math.PI * (t + 7 * c)) / 52);
      let x = level * seasonal * Math.exp(deviation - 0.5 * 0.25 * 0.25 / (1 - 0.49));
      if (channel.flighted) {
        if (--runLeft <= 0) {
          on = !on;
          runLeft = on ? 3 + Math.floor(rng.uniform() * 4) : 2 + Math.floor(rng.uniform() * 4);
        }
        if (!on) x = 0;
      }
      media[t * C + c] = x;
    }
  });
  const design: MmmDesign = {
    geoNames: ['national'],
    dates,
    channelNames,
    controlNames: [],
    eventNames: [],
    media,
    spend: media,
    controls: new Float64Array(0),
    events: new Float64Array(0),
    kpi: new Float64Array(T),
    kpiUnit: Float64Array.of(1),
    mediaUnit: new Float64Array(C).fill(1),
  };
  const host = mediationHost(design, spec.config, structure);
  const values = spec.values;
  const mediatorErrors = structure.mediators.map((_, m) => errorSeries(rng, T, values.med_sigma[m], values.med_rho?.[m]));
  const kpiError = errorSeries(rng, T, values.sigma[0], values.rho?.[0]);

  /** Mediators regenerated in topological order from `input` (columns in `fixed` are kept as given). */
  const generate = (input: Float64Array, fixed: ReadonlySet<number>): Float64Array => {
    const out = Float64Array.from(input);
    structure.mediators.forEach((channel, m) => {
      if (fixed.has(channel)) return;
      const mean = host.mediatorMean(values, m, out);
      for (let t = 0; t < T; t++) out[t * C + channel] = mean[t] + mediatorErrors[m][t];
    });
    return out;
  };
  const kpiOf = (input: Float64Array) => {
    const mean = host.kpiMean(values, input);
    return mean.map((v, t) => v + kpiError[t]);
  };

  const observed = generate(media, new Set());
  for (let i = 0; i < observed.length; i++) {
    if (!(observed[i] >= 0)) throw new Error(`simulateMediation: channel "${channelNames[i % C]}" is negative in week ${Math.floor(i / C) + 1} (${observed[i]}); raise its intercept or lower its error`);
  }
  const kpi = kpiOf(observed);
  const totalKpi = kpi.reduce((a, b) => a + b, 0);
  const truth: MediationTruth[] = channelNames.map((name, c) => {
    const off = Float64Array.from(observed);
    for (let t = 0; t < T; t++) off[t * C + c] = 0;
    const direct = totalKpi - kpiOf(off).reduce((a, b) => a + b, 0);
    const propagated = generate(off, new Set([c, ...channelNames.map((_, j) => j).filter((j) => !structure.mediators.includes(j))]));
    const total = totalKpi - kpiOf(propagated).reduce((a, b) => a + b, 0);
    return { channel: name, direct, indirect: total - direct, total };
  });

  const header = ['date', ...channelNames.map((n) => `${n}_spend`), 'kpi'];
  const lines = [header.join(',')];
  for (let t = 0; t < T; t++) {
    lines.push([dates[t], ...channelNames.map((_, c) => observed[t * C + c].toPrecision(12)), kpi[t].toPrecision(12)].join(','));
  }
  return {
    csv: lines.join('\n') + '\n',
    dataSpec: { geo: null, date: 'date', kpi: 'kpi', channels: channelNames.map((name) => ({ name, spend: `${name}_spend` })), controls: [], events: [] },
    media: observed,
    kpi,
    truth,
  };
}
