/**
 * The planning window of budget allocation and scenarios, and what a spend plan means in it.
 *
 * Convention (the same for scenarios, optimization, flexible budgets and response curves):
 * - The window is the last N periods of the data (default: all periods), standing in for the N
 *   periods being planned. Its dates are reported with every result.
 * - The "current plan" is the spend actually observed in the window: per channel (summed over
 *   geos), or per geo x channel with `level: 'geo'`. Each of these is a plan entry.
 * - A proposed plan gives a total spend per entry over the window. It keeps the entry's spend
 *   pattern over periods (and, for a channel-level plan, over geos) and rescales it so the totals
 *   match: the media input of every (geo, period) cell of the entry is multiplied by
 *   plan / current (cost per media unit as observed, so impressions scale with spend too).
 * - An entry with no spend in the window has no pattern to rescale: spend planned for it is spread
 *   evenly over the window's periods (over geos in proportion to each geo's total spend on the
 *   channel in the data), at the cost per media unit observed over the whole data. A warning
 *   says so. An entry whose channel has no spend anywhere in the data cannot be given spend.
 * - Spend before the window is as observed and reaches the window through adstock (carryover).
 *   Only KPI inside the window is counted: carryover of window spend past the window's last
 *   period is not (no spend or KPI after the data is assumed).
 *
 * Future periods (`future`, future.ts; Meridian's `new_data`): the window is the future file's
 * periods instead, i.e. the last F periods of the fitted design extended by them. Everything above
 * holds with "the data" read as the fitted data followed by the future file: the current plan is
 * the future file's spend, its pattern over geos and periods is what a plan rescales, the fitted
 * data's last periods reach the window through adstock, and the cost per media unit of an entry
 * without spend is the one observed over both.
 *
 * With these, the media input of cell (g, c, t) under plan x is x_p * mediaPerSpend[g, c, t]
 * (p the cell's entry), linear in the plan: models/mmm/hostModel.ts conventions otherwise hold
 * (scaling constants fixed, media coefficients from the actual design).
 */
import { designDims, isPaidChannel, type MmmDesign } from '../../models/mmm/index.js';
import type { FuturePeriods } from './future.js';

export type PlanLevel = 'channel' | 'geo';

export interface PlanEntry {
  readonly channel: string;
  readonly channelIndex: number;
  /** Geo-level plans only. */
  readonly geo?: string;
  readonly geoIndex?: number;
}

export interface PlanningWindow {
  readonly level: PlanLevel;
  readonly geoNames: readonly string[];
  readonly channelNames: readonly string[];
  /** Index of the window's first period in the design. */
  readonly start: number;
  /** Number of periods N. */
  readonly periods: number;
  readonly dates: readonly string[];
  /** Plan entries: one per channel, or per geo x channel (geo-major). */
  readonly entries: readonly PlanEntry[];
  /** [P] spend observed in the window per entry (the current plan). */
  readonly current: Float64Array;
  /** [G * C] entry of each (geo, channel) cell. */
  readonly entryOfCell: Int32Array;
  /** [G, C, N] scaled media input per currency unit of the cell's entry. */
  readonly mediaPerSpend: Float64Array;
  /** [P] false where the channel has no spend anywhere in the data (the entry cannot take spend). */
  readonly plannable: readonly boolean[];
  /** [P] true for an organic channel's entries (no spend: held at its data, left out of the plan tables). */
  readonly organic: readonly boolean[];
  readonly warnings: readonly string[];
  /** Set when the window is future periods (future.ts): `start` and the arrays then index `future.design`. */
  readonly future?: FuturePeriods;
}

export interface WindowOptions {
  /** Number of periods N at the end of the data (default all). */
  readonly periods?: number;
  /** 'channel' (default) or 'geo' (one plan entry per geo x channel). */
  readonly level?: PlanLevel;
  /** Plan over these future periods instead of the last N of the data (future.ts); `periods` must then be absent or F. */
  readonly future?: FuturePeriods;
  /**
   * Time-varying channels (models/mmm components/timeVarying.ts) are planned with their mean
   * effectiveness over this many latest fitted periods (default 13; windowDraws.ts).
   */
  readonly effectivenessPeriods?: number;
}

/** Why an entry cannot take spend, for messages: an organic channel, or no spend anywhere in the data. */
export function unplannableReason(window: Pick<PlanningWindow, 'organic' | 'entries'>, p: number): string {
  return window.organic[p]
    ? `${entryLabel(window.entries[p])} is an organic channel (no spend): it is held at its data and cannot be planned`
    : `${entryLabel(window.entries[p])} has no spend anywhere in the data, so its response to spend is unknown`;
}

/** Name of an entry for messages and tables: `tv` or `north/tv`. */
export function entryLabel(entry: PlanEntry): string {
  return entry.geo === undefined ? entry.channel : `${entry.geo}/${entry.channel}`;
}

/** The design a window's arrays index: the fitted design, or it extended by the window's future periods. */
export function windowDesign(design: MmmDesign, window: Pick<PlanningWindow, 'future'>): MmmDesign {
  return window.future?.design ?? design;
}

export function planningWindow(fitted: MmmDesign, options: WindowOptions = {}): PlanningWindow {
  const future = options.future;
  const design = windowDesign(fitted, { future });
  const { geos: G, periods: T, channels: C } = designDims(design);
  if (future && options.periods !== undefined && options.periods !== future.dates.length) {
    throw new Error(`planning window: the future periods from ${future.source} are ${future.dates.length}, not ${options.periods} (with future periods the window is all of them)`);
  }
  const N = future ? future.dates.length : (options.periods ?? T);
  const level = options.level ?? 'channel';
  if (!Number.isInteger(N) || N < 1 || N > T) throw new Error(`planning window: periods must be an integer in [1, ${T}], got ${N}`);
  if (level !== 'channel' && level !== 'geo') throw new Error(`planning window: level must be "channel" or "geo", got "${String(level)}"`);
  const start = T - N;
  const entries: PlanEntry[] = [];
  const entryOfCell = new Int32Array(G * C);
  if (level === 'channel') {
    for (let c = 0; c < C; c++) entries.push({ channel: design.channelNames[c], channelIndex: c });
    for (let g = 0; g < G; g++) for (let c = 0; c < C; c++) entryOfCell[g * C + c] = c;
  } else {
    for (let g = 0; g < G; g++) {
      for (let c = 0; c < C; c++) {
        entryOfCell[g * C + c] = entries.length;
        entries.push({ channel: design.channelNames[c], channelIndex: c, geo: design.geoNames[g], geoIndex: g });
      }
    }
  }
  const P = entries.length;
  const spendAt = (g: number, t: number, c: number) => design.spend[(g * T + t) * C + c];
  const mediaAt = (g: number, t: number, c: number) => design.media[(g * T + t) * C + c];

  const current = new Float64Array(P);
  for (let g = 0; g < G; g++) for (let c = 0; c < C; c++) for (let t = start; t < T; t++) current[entryOfCell[g * C + c]] += spendAt(g, t, c);

  // Cost per media unit over the whole data, per channel and per (geo, channel).
  const channelSpend = new Float64Array(C);
  const channelMedia = new Float64Array(C);
  const cellSpend = new Float64Array(G * C);
  const cellMedia = new Float64Array(G * C);
  for (let g = 0; g < G; g++) {
    for (let t = 0; t < T; t++) {
      for (let c = 0; c < C; c++) {
        cellSpend[g * C + c] += spendAt(g, t, c);
        cellMedia[g * C + c] += mediaAt(g, t, c);
      }
    }
  }
  for (let g = 0; g < G; g++) for (let c = 0; c < C; c++) {
    channelSpend[c] += cellSpend[g * C + c];
    channelMedia[c] += cellMedia[g * C + c];
  }
  const mediaPerCurrency = (g: number, c: number) =>
    cellSpend[g * C + c] > 0 ? cellMedia[g * C + c] / cellSpend[g * C + c] : channelMedia[c] / channelSpend[c];

  const mediaPerSpend = new Float64Array(G * C * N);
  const plannable = entries.map((entry) => channelSpend[entry.channelIndex] > 0);
  const warnings: string[] = [];
  const range = `${future ? 'future periods ' : ''}${design.dates[start]} .. ${design.dates[T - 1]}`;
  for (let p = 0; p < P; p++) {
    const entry = entries[p];
    const c = entry.channelIndex;
    const geos = entry.geoIndex === undefined ? Array.from({ length: G }, (_, g) => g) : [entry.geoIndex];
    if (current[p] > 0) {
      for (const g of geos) for (let j = 0; j < N; j++) mediaPerSpend[(g * C + c) * N + j] = mediaAt(g, start + j, c) / current[p];
      continue;
    }
    if (!plannable[p]) continue;
    // No spend in the window: an even pattern over periods, geos by their share of the channel's spend.
    let geoTotal = 0;
    for (const g of geos) geoTotal += cellSpend[g * C + c];
    for (const g of geos) {
      const share = geoTotal > 0 ? cellSpend[g * C + c] / geoTotal : 1 / geos.length;
      for (let j = 0; j < N; j++) mediaPerSpend[(g * C + c) * N + j] = (share * mediaPerCurrency(g, c)) / N;
    }
    warnings.push(
      `${entryLabel(entry)} has no spend in the planning window (${range}); spend planned for it is spread evenly over the window's periods` +
        (entry.geoIndex === undefined && G > 1 ? ` and over geos in proportion to their total ${entry.channel} spend` : ''),
    );
  }
  return {
    level,
    geoNames: design.geoNames,
    channelNames: design.channelNames,
    start,
    periods: N,
    dates: design.dates.slice(start),
    entries,
    current,
    entryOfCell,
    mediaPerSpend,
    plannable,
    organic: entries.map((entry) => !isPaidChannel(design, entry.channelIndex)),
    warnings: future ? [...future.warnings, ...warnings] : warnings,
    ...(future ? { future } : {}),
  };
}

/** Total of a plan. */
export function planTotal(plan: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < plan.length; i++) total += plan[i];
  return total;
}

/** Channel totals [C] of a plan over the window's entries. */
export function channelTotals(window: PlanningWindow, plan: ArrayLike<number>): Float64Array {
  const out = new Float64Array(window.channelNames.length);
  window.entries.forEach((entry, p) => (out[entry.channelIndex] += plan[p]));
  return out;
}
