/**
 * Types of the data layer: the roles configuration (`DataSpec`), validation issues, imputation
 * records, provenance and the dense geo-level data object (`MmmData`) that models consume.
 *
 * Layout convention (as in the Stan reference, shared/bench/stan/README.md "Model implementation
 * notes"): every tensor is a row-major Float64Array in geo-major order. For a [G, T] tensor the
 * cell (g, t) is at index n = g*T + t; for [G, T, C] the cell (g, t, c) is at (g*T + t)*C + c.
 * Indices g, t, c are 0-based here (the reference model text counts from 1).
 *
 * Row numbers in issues are 1-based line numbers of the file: the header is row 1, so the first
 * data row is row 2 (they are the line on which the record starts, which is the same thing unless
 * a quoted field spans several lines).
 */

/** Date formats the loader accepts. Dates are always reported as ISO `YYYY-MM-DD`. */
export type DateFormat = 'YYYY-MM-DD' | 'M/D/YYYY' | 'D/M/YYYY' | 'M/D/YY';

/**
 * One paid channel: its spend column (used for ROI) and optionally an exposure column (model input),
 * or, for a reach and frequency channel (Meridian's R&F), its reach and average frequency columns.
 */
export interface ChannelSpec {
  /** Channel name used in reports (e.g. "tv"). */
  readonly name: string;
  /** Column with the channel's spend (money); must be >= 0. */
  readonly spend: string;
  /** Optional column with impressions / exposure; the model's media input. Default: the spend. Not with reach. */
  readonly media?: string;
  /** Reach and frequency channel: the column with the reach (people reached per geo and period, >= 0)... */
  readonly reach?: string;
  /** ...and the column with their average frequency (>= 0). Both or neither. */
  readonly frequency?: string;
}

/**
 * An organic media channel (Meridian's organic media): an exposure column with no spend (e.g.
 * newsletter sends, organic social impressions). It enters the model like a paid channel (adstock,
 * saturation, coefficient), has a contribution but no ROI, and the optimizer holds it at its data.
 */
export interface OrganicSpec {
  readonly name: string;
  /** Column with the exposure (>= 0); or, for organic reach and frequency, leave it out and give both of: */
  readonly media?: string;
  /** Organic reach and frequency (Meridian's organic R&F): the reach column... */
  readonly reach?: string;
  /** ...and the average frequency column. */
  readonly frequency?: string;
}

/**
 * Where a non-media treatment's contribution is measured from (Meridian's non_media_baseline_values):
 * the column's minimum or maximum over all rows, or a value in the column's units.
 */
export type TreatmentBaseline = 'min' | 'max' | number;

/**
 * A non-media treatment (Meridian's non_media_treatments: a promotion, a price): a linear term of the
 * mean like a control, whose contribution, coefficient x (value - baseline value), is reported.
 */
export interface TreatmentSpec {
  /** Column with the treatment's value per geo and period. */
  readonly column: string;
  /** Name in reports (default: the column). */
  readonly name?: string;
  /** Default "min". */
  readonly baseline?: TreatmentBaseline;
}

/** What a media channel is: paid (spend and ROI), paid reach and frequency (`rf`), organic (no spend), or organic reach and frequency (`organicRf`). */
export type ChannelKind = 'paid' | 'rf' | 'organic' | 'organicRf';

/**
 * Which column plays which role. Plain JSON. A complete spec names every role; `PartialDataSpec`
 * (what users pass) may leave roles out, and they are then detected from the column names.
 * `null` for an optional role means "there is none, do not detect one".
 */
export interface DataSpec {
  /** Geo column; `null` (or absent after detection) means national data: one geo. */
  readonly geo: string | null;
  readonly date: string;
  readonly dateFormat: DateFormat;
  /** The KPI (outcome), e.g. sales or conversions. */
  readonly kpi: string;
  /** Revenue per unit of KPI (optional; used to turn KPI contributions into revenue). */
  readonly revenuePerKpi: string | null;
  /** Population per geo (constant within a geo). Optional. */
  readonly population: string | null;
  readonly channels: readonly ChannelSpec[];
  /** Continuous controls (standardized by the scaling step). */
  readonly controls: readonly string[];
  /** 0/1 dummy columns for holidays and events (kept as 0/1, not standardized). */
  readonly events: readonly string[];
  /** Organic media channels (exposure without spend). */
  readonly organic: readonly OrganicSpec[];
  /** Non-media treatments (standardized like controls; contributions reported against their baseline). */
  readonly treatments: readonly TreatmentSpec[];
}

/** What users pass: any subset of the roles; the rest is detected. */
export interface PartialDataSpec {
  readonly geo?: string | null;
  readonly date?: string;
  readonly dateFormat?: DateFormat;
  readonly kpi?: string;
  readonly revenuePerKpi?: string | null;
  readonly population?: string | null;
  readonly channels?: readonly ChannelSpec[];
  readonly controls?: readonly string[];
  readonly events?: readonly string[];
  /** Organic channels; absent: detected from columns named "Organic_<name>" / "organic_<name>". */
  readonly organic?: readonly OrganicSpec[];
  /** Non-media treatments: a column name, or {column, name, baseline}. Never detected. */
  readonly treatments?: readonly (string | TreatmentSpec)[];
}

/** One problem found in the input. */
export interface ValidationIssue {
  readonly severity: 'error' | 'warning';
  /** File name (or the name given to an in-memory table). */
  readonly file: string;
  /** 1-based row number as in the file (header = row 1, first data row = row 2), when it applies. */
  readonly row?: number;
  /** Column name, when it applies. */
  readonly column?: string;
  readonly message: string;
}

/** Explicit imputation methods for missing cells (never applied unless asked for). */
export type ImputeMethod = 'zero' | 'linear' | 'mean';

/** A record of what was imputed in one column. */
export interface Imputation {
  readonly column: string;
  readonly method: ImputeMethod;
  /** File row numbers of the imputed cells. */
  readonly rows: readonly number[];
  /** Imputed values, aligned with `rows`. */
  readonly values: readonly number[];
}

/** How a role was filled in when the spec did not name it. */
export interface RoleDetection {
  /** Role path, e.g. "kpi", "channels[2].media", "controls". */
  readonly role: string;
  readonly column: string;
  /** The rule that matched (e.g. `name "conversions"`, `suffix "_spend"`). */
  readonly rule: string;
}

export interface Provenance {
  readonly fileName: string;
  /** sha256 (hex) of the file bytes; for in-memory tables, of their CSV serialization. */
  readonly sha256: string;
  /** Data rows in the file as read (header excluded). */
  readonly fileRowCount: number;
  /** Data rows used to build the tensors (differs from fileRowCount if the table was filtered). */
  readonly rowCount: number;
  readonly detected: readonly RoleDetection[];
  /** Columns of the file that no role uses. */
  readonly ignoredColumns: readonly string[];
  readonly imputations: readonly Imputation[];
}

/** Dense, validated geo-level data in original units. */
export interface MmmData {
  /** Number of geos (1 for national data). */
  readonly G: number;
  /** Number of periods. */
  readonly T: number;
  /** Number of media channels: the paid ones, then the organic ones (`channelKinds`). */
  readonly C: number;
  /** Number of controls. */
  readonly K: number;
  /** Number of event / holiday dummies. */
  readonly E: number;
  /** True when the file has no geo column. */
  readonly national: boolean;
  readonly geoNames: readonly string[];
  /** ISO `YYYY-MM-DD`, ascending, evenly spaced. */
  readonly dates: readonly string[];
  readonly frequency: 'weekly' | 'daily';
  readonly channelNames: readonly string[];
  /** Per channel: paid or organic (organic channels come after the paid ones; their spend is 0). */
  readonly channelKinds: readonly ChannelKind[];
  readonly treatmentNames: readonly string[];
  /** Per treatment: the value its contribution is measured from, in the column's units (min / max resolved). */
  readonly treatmentBaselines: readonly number[];
  readonly controlNames: readonly string[];
  readonly eventNames: readonly string[];
  /** [G, T, C] spend (money). */
  readonly spend: Float64Array;
  /** [G, T, C] media input: impressions where given, the reach for reach and frequency channels, else a copy of the spend. */
  readonly media: Float64Array;
  /** [G, T, C] average frequency of reach and frequency channels (0 for other channels); absent without such channels. */
  readonly rfFrequency?: Float64Array;
  /** Per channel: true when `media` is the spend (no exposure column). */
  readonly mediaIsSpend: readonly boolean[];
  /** [G, T, K] controls. */
  readonly controls: Float64Array;
  /** [G, T, E] 0/1 dummies. */
  readonly events: Float64Array;
  /** [G, T, N] non-media treatments. */
  readonly treatments: Float64Array;
  /** [G, T] KPI. */
  readonly kpi: Float64Array;
  /** [G] population (optional). */
  readonly population?: Float64Array;
  /** [G, T] revenue per KPI unit (optional). */
  readonly revenuePerKpi?: Float64Array;
  /** The complete roles used (given + detected). */
  readonly spec: DataSpec;
  readonly warnings: readonly ValidationIssue[];
  readonly provenance: Provenance;
}
