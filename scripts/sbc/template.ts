/**
 * The template design of `npm run sbc`: geos x weekly periods x channels (+ controls) of media and
 * controls already in the model's scaled units, so that Mixwell's own rescaling of the data
 * (src/data/scaling.ts: media by channel mean, controls standardized with the sample sd) is the
 * identity up to rounding. Every channel's media has mean exactly 1 over all geos and periods
 * before it is written (tv in flights with dark weeks, search always on with a seasonal swing,
 * social noisy; each geo at its own level), and every control mean 0 and sample sd 1 (a random
 * walk like a price index, a seasonal one like temperature). Values are written in full precision
 * (the shortest decimal that reads back to the same double), and the design the replicates are
 * simulated on is the one the pipeline reads back from that CSV (simulate.ts), bit for bit what
 * every fit sees.
 */
import type { PartialDataSpec } from '../../src/data/index.js';
import { createRng } from '../../src/tensor/index.js';

export interface TemplateSize {
  readonly geos: number;
  readonly periods: number;
  readonly channels: number;
  readonly controls: number;
}

export interface Template {
  readonly size: TemplateSize;
  readonly geoNames: readonly string[];
  readonly dates: readonly string[];
  readonly channelNames: readonly string[];
  readonly controlNames: readonly string[];
  /** [G, T, C] media = spend, channel mean 1. */
  readonly media: Float64Array;
  /** [G, T, K] standardized controls (mean 0, sample sd 1). */
  readonly controls: Float64Array;
  /** The data roles of the CSV files. */
  readonly spec: PartialDataSpec;
}

const CHANNEL_NAMES = ['tv', 'search', 'social', 'display', 'radio', 'print'];
const CONTROL_NAMES = ['price', 'temperature', 'competitor', 'distribution'];
const FIRST_MONDAY = Date.UTC(2023, 0, 2);
const WEEK_MS = 7 * 86_400_000;
export const KPI_COLUMN = 'sales';

/** The template of this size, from the seeded stream `sbc-template` of `seed`. */
export function sbcTemplate(size: TemplateSize, seed: number): Template {
  const { geos: G, periods: T, channels: C, controls: K } = size;
  if (C > CHANNEL_NAMES.length) throw new Error(`sbc template: at most ${CHANNEL_NAMES.length} channels, got ${C}`);
  if (K > CONTROL_NAMES.length) throw new Error(`sbc template: at most ${CONTROL_NAMES.length} controls, got ${K}`);
  if (!(G >= 1 && T >= 10)) throw new Error(`sbc template: need at least 1 geo and 10 periods, got ${G} x ${T}`);
  const rng = createRng(seed, 'sbc-template');
  const media = new Float64Array(G * T * C);
  for (let c = 0; c < C; c++) {
    for (let g = 0; g < G; g++) {
      const level = Math.exp(0.4 * rng.normal());
      let on = true;
      for (let t = 0; t < T; t++) {
        let x: number;
        if (c % 3 === 0) {
          // flights: switch on / off with probability 0.25 a week; dark weeks spend nothing
          if (rng.uniform() < 0.25) on = !on;
          x = on ? level * Math.exp(0.3 * rng.normal()) : 0;
        } else if (c % 3 === 1) {
          x = level * (1 + 0.4 * Math.sin((2 * Math.PI * t) / 52 + g)) * Math.exp(0.15 * rng.normal());
        } else {
          x = level * Math.exp(0.6 * rng.normal());
        }
        media[(g * T + t) * C + c] = x;
      }
    }
    let sum = 0;
    for (let n = 0; n < G * T; n++) sum += media[n * C + c];
    const mean = sum / (G * T);
    for (let n = 0; n < G * T; n++) media[n * C + c] /= mean;
  }
  const controls = new Float64Array(G * T * K);
  for (let k = 0; k < K; k++) {
    for (let g = 0; g < G; g++) {
      let walk = 0;
      for (let t = 0; t < T; t++) {
        walk += 0.3 * rng.normal();
        controls[(g * T + t) * K + k] = k % 2 === 0 ? walk : Math.cos((2 * Math.PI * t) / 52 + 0.3 * g) + 0.3 * rng.normal();
      }
    }
    let sum = 0;
    for (let n = 0; n < G * T; n++) sum += controls[n * K + k];
    const mean = sum / (G * T);
    let squares = 0;
    for (let n = 0; n < G * T; n++) squares += (controls[n * K + k] - mean) ** 2;
    const sd = Math.sqrt(squares / (G * T - 1));
    for (let n = 0; n < G * T; n++) controls[n * K + k] = (controls[n * K + k] - mean) / sd;
  }
  const channelNames = CHANNEL_NAMES.slice(0, C);
  const controlNames = CONTROL_NAMES.slice(0, K);
  return {
    size,
    geoNames: Array.from({ length: G }, (_, g) => `geo${g + 1}`),
    dates: Array.from({ length: T }, (_, t) => new Date(FIRST_MONDAY + t * WEEK_MS).toISOString().slice(0, 10)),
    channelNames,
    controlNames,
    media,
    controls,
    spec: {
      geo: 'geo',
      date: 'date',
      dateFormat: 'YYYY-MM-DD',
      kpi: KPI_COLUMN,
      revenuePerKpi: null,
      population: null,
      channels: channelNames.map((name) => ({ name, spend: `${name}_spend` })),
      controls: controlNames,
      events: [],
    },
  };
}

/** The CSV of the template with a KPI column [G, T] (geo-major), every number in full precision. */
export function templateCsv(template: Template, kpi: ArrayLike<number>): string {
  const { geos: G, periods: T, channels: C, controls: K } = template.size;
  if (kpi.length !== G * T) throw new Error(`templateCsv: expected ${G * T} KPI values, got ${kpi.length}`);
  const lines = [['geo', 'date', ...template.channelNames.map((c) => `${c}_spend`), ...template.controlNames, KPI_COLUMN].join(',')];
  for (let g = 0; g < G; g++) {
    for (let t = 0; t < T; t++) {
      const n = g * T + t;
      const cells = [template.geoNames[g], template.dates[t]];
      for (let c = 0; c < C; c++) cells.push(String(template.media[n * C + c]));
      for (let k = 0; k < K; k++) cells.push(String(template.controls[n * K + k]));
      cells.push(String(kpi[n]));
      lines.push(cells.join(','));
    }
  }
  return lines.join('\n') + '\n';
}
