/**
 * The data checks an analyst makes before fitting an MMM (the `inspect` command and the report's
 * data section), as tidy rows: spend and KPI over time per channel and geo, the share of periods
 * without spend, each channel's share of spend, the correlation matrix of the media inputs and
 * controls over all geo-periods with the collinear pairs, variance inflation factors
 * VIF_j = 1 / (1 - R_j^2) = [R^-1]_jj for the correlation matrix R (Belsley, Kuh & Welsch 1980,
 * "Regression Diagnostics", section 3.1; a VIF above 5-10 is the usual warning sign, Kutner,
 * Nachtsheim, Neter & Li, "Applied Linear Statistical Models", 5th ed., section 10.5), and the KPI by
 * ISO week of the year (seasonality). Works on validated data (src/data `MmmData`) or on the design
 * stored in a run directory, through `InspectData`.
 */
import type { MmmData } from '../data/index.js';
import { isPaidKind } from '../data/index.js';
import { isPaidChannel, type MmmDesign } from '../../models/mmm/index.js';

/** What the checks read: original-unit spend and KPI, the model's media input and the controls, geo-major. */
export interface InspectData {
  readonly geoNames: readonly string[];
  readonly dates: readonly string[];
  readonly frequency: 'weekly' | 'daily';
  readonly channelNames: readonly string[];
  /** Per channel: false for organic channels (no spend: left out of the spend rows and checks). Absent: all paid. */
  readonly paid?: readonly boolean[];
  readonly controlNames: readonly string[];
  /** [G, T, C] spend. */
  readonly spend: ArrayLike<number>;
  /** [G, T, C] the model's media input (impressions or spend; any per-channel scale). */
  readonly media: ArrayLike<number>;
  /** [G, T, K] controls. */
  readonly controls: ArrayLike<number>;
  /** [G, T] KPI in original units. */
  readonly kpi: ArrayLike<number>;
}

export function inspectDataFromMmmData(data: MmmData): InspectData {
  return {
    geoNames: data.geoNames,
    dates: data.dates,
    frequency: data.frequency,
    channelNames: data.channelNames,
    paid: data.channelKinds.map((kind) => isPaidKind(kind)),
    controlNames: data.controlNames,
    spend: data.spend,
    media: data.media,
    controls: data.controls,
    kpi: data.kpi,
  };
}

/** The data a fit saw, from its design: KPI back in original units; media and controls as scaled (correlations do not change). */
export function inspectDataFromDesign(design: MmmDesign): InspectData {
  const T = design.dates.length;
  const step = T > 1 ? (Date.parse(design.dates[1]) - Date.parse(design.dates[0])) / 86_400_000 : 7;
  return {
    geoNames: design.geoNames,
    dates: design.dates,
    frequency: step === 1 ? 'daily' : 'weekly',
    channelNames: design.channelNames,
    paid: design.channelNames.map((_, c) => isPaidChannel(design, c)),
    controlNames: design.controlNames,
    spend: design.spend,
    media: design.media,
    controls: design.controls,
    kpi: design.kpi.map((y, n) => y * design.kpiUnit[Math.floor(n / T)]),
  };
}

function dims(data: InspectData) {
  return { G: data.geoNames.length, T: data.dates.length, C: data.channelNames.length, K: data.controlNames.length };
}

function isPaid(data: InspectData, c: number): boolean {
  return data.paid?.[c] ?? true;
}

// ---------------------------------------------------------------- rows

export interface SeriesRow {
  readonly date: string;
  readonly geo: string;
  /** A channel name (its spend) or KPI_SERIES. */
  readonly series: string;
  readonly value: number;
}

/** The series name of the KPI in SeriesRow. */
export const KPI_SERIES = '(kpi)';

/** Spend per channel and KPI per period and geo. */
export function spendKpiRows(data: InspectData): SeriesRow[] {
  const { G, T, C } = dims(data);
  const rows: SeriesRow[] = [];
  for (let c = 0; c <= C; c++) {
    if (c < C && !isPaid(data, c)) continue;
    for (let g = 0; g < G; g++) {
      for (let t = 0; t < T; t++) {
        const n = g * T + t;
        rows.push({ date: data.dates[t], geo: data.geoNames[g], series: c < C ? data.channelNames[c] : KPI_SERIES, value: c < C ? data.spend[n * C + c] : data.kpi[n] });
      }
    }
  }
  return rows;
}

export interface ZeroSpendRow {
  readonly channel: string;
  /** A geo name, or ALL_GEOS. */
  readonly geo: string;
  readonly zeroShare: number;
  readonly periods: number;
}

export const ALL_GEOS = '(all geos)';

/** Share of periods with zero spend per channel and geo, and over all geo-periods. */
export function zeroSpendRows(data: InspectData): ZeroSpendRow[] {
  const { G, T, C } = dims(data);
  const rows: ZeroSpendRow[] = [];
  for (let c = 0; c < C; c++) {
    if (!isPaid(data, c)) continue;
    let all = 0;
    for (let g = 0; g < G; g++) {
      let zeros = 0;
      for (let t = 0; t < T; t++) if (data.spend[(g * T + t) * C + c] === 0) zeros++;
      all += zeros;
      rows.push({ channel: data.channelNames[c], geo: data.geoNames[g], zeroShare: zeros / T, periods: T });
    }
    rows.push({ channel: data.channelNames[c], geo: ALL_GEOS, zeroShare: all / (G * T), periods: G * T });
  }
  return rows;
}

export interface SpendShareRow {
  readonly channel: string;
  readonly spend: number;
  readonly share: number;
  /** Mean spend per geo-period. */
  readonly meanSpend: number;
  /** Coefficient of variation of spend over geo-periods (sd / mean). */
  readonly cv: number;
}

export function spendShareRows(data: InspectData): SpendShareRow[] {
  const { G, T, C } = dims(data);
  const totals = new Float64Array(C);
  const squares = new Float64Array(C);
  for (let n = 0; n < G * T; n++) {
    for (let c = 0; c < C; c++) {
      const x = data.spend[n * C + c];
      totals[c] += x;
      squares[c] += x * x;
    }
  }
  const all = totals.reduce((a, b) => a + b, 0);
  const N = G * T;
  return data.channelNames.flatMap((channel, c) => {
    if (!isPaid(data, c)) return [];
    const meanSpend = totals[c] / N;
    const variance = N > 1 ? Math.max(0, (squares[c] - N * meanSpend * meanSpend) / (N - 1)) : NaN;
    return [{ channel, spend: totals[c], share: totals[c] / all, meanSpend, cv: Math.sqrt(variance) / meanSpend }];
  });
}

export interface CheckVariable {
  readonly name: string;
  readonly kind: 'media' | 'control';
}

export interface CorrelationRow {
  readonly row: string;
  readonly column: string;
  readonly r: number;
}

export interface Correlations {
  readonly variables: readonly CheckVariable[];
  /** [V, V] Pearson correlations over all geo-periods (NaN for a constant variable). */
  readonly matrix: Float64Array;
}

/** Values of each check variable over all geo-periods: media per channel, then controls. */
function checkVariables(data: InspectData): { variables: CheckVariable[]; values: Float64Array[] } {
  const { G, T, C, K } = dims(data);
  const variables: CheckVariable[] = [];
  const values: Float64Array[] = [];
  for (let c = 0; c < C; c++) {
    variables.push({ name: data.channelNames[c], kind: 'media' });
    values.push(Float64Array.from({ length: G * T }, (_, n) => data.media[n * C + c]));
  }
  for (let k = 0; k < K; k++) {
    variables.push({ name: data.controlNames[k], kind: 'control' });
    values.push(Float64Array.from({ length: G * T }, (_, n) => data.controls[n * K + k]));
  }
  return { variables, values };
}

export function correlations(data: InspectData): Correlations {
  const { variables, values } = checkVariables(data);
  const V = variables.length;
  const centred = values.map((x) => {
    const m = x.reduce((a, b) => a + b, 0) / x.length;
    return x.map((v) => v - m);
  });
  const norms = centred.map((x) => Math.sqrt(x.reduce((a, b) => a + b * b, 0)));
  const matrix = new Float64Array(V * V);
  for (let i = 0; i < V; i++) {
    for (let j = i; j < V; j++) {
      let cross = 0;
      for (let n = 0; n < centred[i].length; n++) cross += centred[i][n] * centred[j][n];
      const r = !(norms[i] > 0 && norms[j] > 0) ? NaN : i === j ? 1 : Math.max(-1, Math.min(1, cross / (norms[i] * norms[j])));
      matrix[i * V + j] = r;
      matrix[j * V + i] = r;
    }
  }
  return { variables, matrix };
}

export function correlationRows(corr: Correlations): CorrelationRow[] {
  const V = corr.variables.length;
  const rows: CorrelationRow[] = [];
  for (let i = 0; i < V; i++) for (let j = 0; j < V; j++) rows.push({ row: corr.variables[i].name, column: corr.variables[j].name, r: corr.matrix[i * V + j] });
  return rows;
}

export interface CollinearPair {
  readonly a: string;
  readonly b: string;
  readonly r: number;
}

/** Pairs with |r| >= threshold, strongest first. */
export function collinearPairs(corr: Correlations, threshold = 0.7): CollinearPair[] {
  const V = corr.variables.length;
  const pairs: CollinearPair[] = [];
  for (let i = 0; i < V; i++) {
    for (let j = i + 1; j < V; j++) {
      const r = corr.matrix[i * V + j];
      if (Math.abs(r) >= threshold) pairs.push({ a: corr.variables[i].name, b: corr.variables[j].name, r });
    }
  }
  return pairs.sort((p, q) => Math.abs(q.r) - Math.abs(p.r));
}

export interface VifRow {
  readonly variable: string;
  readonly kind: 'media' | 'control';
  /** Infinity for an exact linear combination of the others; NaN for a constant variable. */
  readonly vif: number;
}

/** VIFs above this are reported as Infinity (exact collinearity up to rounding). */
const VIF_INFINITE = 1e8;

/** VIF of every media input and control: the diagonal of the inverse correlation matrix. */
export function varianceInflation(corr: Correlations): VifRow[] {
  const V = corr.variables.length;
  const usable = corr.variables.map((_, i) => Number.isFinite(corr.matrix[i * V + i]));
  const index = usable.flatMap((ok, i) => (ok ? [i] : []));
  const n = index.length;
  const R = new Float64Array(n * n);
  index.forEach((i, a) => index.forEach((j, b) => (R[a * n + b] = corr.matrix[i * V + j] + (a === b ? 1e-12 : 0))));
  const inverse = invertSymmetric(R, n);
  return corr.variables.map(({ name, kind }, i) => {
    const a = index.indexOf(i);
    if (a < 0) return { variable: name, kind, vif: NaN };
    const vif = inverse ? inverse[a * n + a] : Infinity;
    return { variable: name, kind, vif: vif < VIF_INFINITE ? Math.max(1, vif) : Infinity };
  });
}

/** Gauss-Jordan inverse with partial pivoting; undefined when singular. */
function invertSymmetric(matrix: Float64Array, n: number): Float64Array | undefined {
  const a = Float64Array.from(matrix);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]) > Math.abs(a[pivot * n + col])) pivot = r;
    const p = a[pivot * n + col];
    if (!(Math.abs(p) > 1e-14)) return undefined;
    if (pivot !== col) {
      for (let k = 0; k < n; k++) {
        [a[col * n + k], a[pivot * n + k]] = [a[pivot * n + k], a[col * n + k]];
        [inv[col * n + k], inv[pivot * n + k]] = [inv[pivot * n + k], inv[col * n + k]];
      }
    }
    for (let k = 0; k < n; k++) {
      a[col * n + k] /= p;
      inv[col * n + k] /= p;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r * n + col];
      if (f === 0) continue;
      for (let k = 0; k < n; k++) {
        a[r * n + k] -= f * a[col * n + k];
        inv[r * n + k] -= f * inv[col * n + k];
      }
    }
  }
  return inv;
}

export interface SeasonalityRow {
  /** ISO week-numbering year. */
  readonly year: number;
  /** ISO week 1..53. */
  readonly week: number;
  /** KPI summed over geos, mean per period of that week. */
  readonly kpi: number;
}

/** ISO 8601 week-numbering year and week of an ISO date (UTC). */
export function isoWeek(date: string): { year: number; week: number } {
  const day = 86_400_000;
  const time = Date.parse(`${date}T00:00:00Z`);
  const weekday = (new Date(time).getUTCDay() + 6) % 7; // Monday = 0
  const thursday = time + (3 - weekday) * day; // the week belongs to the year of its Thursday
  const year = new Date(thursday).getUTCFullYear();
  return { year, week: 1 + Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * day)) };
}

export function seasonalityRows(data: InspectData): SeasonalityRow[] {
  const { G, T } = dims(data);
  const groups = new Map<string, { year: number; week: number; total: number; count: number }>();
  for (let t = 0; t < T; t++) {
    let total = 0;
    for (let g = 0; g < G; g++) total += data.kpi[g * T + t];
    const { year, week } = isoWeek(data.dates[t]);
    const key = `${year}-${week}`;
    const group = groups.get(key) ?? { year, week, total: 0, count: 0 };
    group.total += total;
    group.count++;
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => ({ year: g.year, week: g.week, kpi: g.total / g.count }));
}

export interface ControlSummary {
  readonly control: string;
  readonly mean: number;
  readonly sd: number;
}

export function controlSummaries(data: InspectData): ControlSummary[] {
  const { G, T, K } = dims(data);
  const N = G * T;
  return data.controlNames.map((control, k) => {
    let sum = 0;
    let squares = 0;
    for (let n = 0; n < N; n++) {
      const x = data.controls[n * K + k];
      sum += x;
      squares += x * x;
    }
    const mean = sum / N;
    return { control, mean, sd: N > 1 ? Math.sqrt(Math.max(0, (squares - N * mean * mean) / (N - 1))) : NaN };
  });
}

export interface KpiSummary {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  /** sd / mean over geo-periods. */
  readonly cv: number;
}

export function kpiSummary(data: InspectData): KpiSummary {
  const y = Array.from(data.kpi);
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  const variance = y.length > 1 ? y.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (y.length - 1) : NaN;
  return { mean, min: Math.min(...y), max: Math.max(...y), cv: Math.sqrt(variance) / mean };
}

// ---------------------------------------------------------------- findings

export interface InspectThresholds {
  /** |r| at or above this flags a pair as collinear (0.7). */
  readonly correlation: number;
  /** VIF above this is flagged (5). */
  readonly vif: number;
  /** A channel with no spend in more than this share of geo-periods is flagged (0.8). */
  readonly mostlyOff: number;
  /** A channel whose spend varies less than this (coefficient of variation) is flagged (0.1). */
  readonly lowVariation: number;
}

export const DEFAULT_INSPECT_THRESHOLDS: InspectThresholds = { correlation: 0.7, vif: 5, mostlyOff: 0.8, lowVariation: 0.1 };

export type FindingCode = 'collinearPair' | 'highVif' | 'mostlyOff' | 'lowVariation';

export interface Finding {
  readonly code: FindingCode;
  /** Channels or variables concerned. */
  readonly subjects: readonly string[];
  readonly value: number;
}

/** Everything the inspection shows, computed once. */
export interface DataChecks {
  readonly data: InspectData;
  readonly thresholds: InspectThresholds;
  readonly series: SeriesRow[];
  readonly zeroSpend: ZeroSpendRow[];
  readonly spendShare: SpendShareRow[];
  readonly correlations: Correlations;
  readonly pairs: CollinearPair[];
  readonly vif: VifRow[];
  readonly seasonality: SeasonalityRow[];
  readonly controls: ControlSummary[];
  readonly kpi: KpiSummary;
  readonly findings: Finding[];
}

export function dataChecks(data: InspectData, thresholds: Partial<InspectThresholds> = {}): DataChecks {
  const limits = { ...DEFAULT_INSPECT_THRESHOLDS, ...thresholds };
  const corr = correlations(data);
  const pairs = collinearPairs(corr, limits.correlation);
  const vif = varianceInflation(corr);
  const zeroSpend = zeroSpendRows(data);
  const spendShare = spendShareRows(data);
  const findings: Finding[] = [];
  for (const row of zeroSpend) if (row.geo === ALL_GEOS && row.zeroShare > limits.mostlyOff) findings.push({ code: 'mostlyOff', subjects: [row.channel], value: row.zeroShare });
  for (const row of spendShare) if (row.cv < limits.lowVariation) findings.push({ code: 'lowVariation', subjects: [row.channel], value: row.cv });
  for (const pair of pairs) findings.push({ code: 'collinearPair', subjects: [pair.a, pair.b], value: pair.r });
  for (const row of vif) if (!(row.vif <= limits.vif) && !Number.isNaN(row.vif)) findings.push({ code: 'highVif', subjects: [row.variable], value: row.vif });
  return {
    data,
    thresholds: limits,
    series: spendKpiRows(data),
    zeroSpend,
    spendShare,
    correlations: corr,
    pairs,
    vif,
    seasonality: seasonalityRows(data),
    controls: controlSummaries(data),
    kpi: kpiSummary(data),
    findings,
  };
}
