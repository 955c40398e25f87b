/**
 * The analysis layer's tidy output: one plain row per quantity (metric, unit and the keys that
 * locate it: channel, geo, date, period), carrying the summary over draws. Charts are built from these
 * rows elsewhere; nothing here draws.
 */
import type { DrawSummary } from './drawSummary.js';

export type Metric =
  /** Incremental KPI (or revenue) due to a channel: beta h times the KPI unit (times value). */
  | 'contribution'
  /** Everything but media: intercept, trend, seasonality, controls, events. */
  | 'baseline'
  /** The model's mean KPI (baseline + all media). */
  | 'prediction'
  /** Contribution as a fraction of the predicted KPI total. */
  | 'share'
  /** Sum of contribution (x value) / sum of spend. */
  | 'roi'
  /** Marginal ROI: extra KPI (x value) from +1% spend on the channel everywhere / the extra spend. */
  | 'mroi'
  /** Spend / contribution (currency per incremental KPI unit). */
  | 'costPerKpi'
  /** ROI over the window an ROI prior refers to (config.mediaPrior.window). */
  | 'roiInPriorWindow'
  /** A time-varying channel's effectiveness exp(w_c(t)): its coefficient at the period over its average (models/mmm components/timeVarying.ts). */
  | 'effectiveness';

export type Unit = 'kpi' | 'revenue' | 'kpiPerSpend' | 'revenuePerSpend' | 'spendPerKpi' | 'fraction' | 'multiplier';

export interface QuantityRow extends DrawSummary {
  readonly metric: Metric;
  readonly unit: Unit;
  /** A channel name, or ALL_MEDIA for all channels together; absent for baseline and prediction. */
  readonly channel?: string;
  readonly geo?: string;
  readonly date?: string;
  /** A group of periods (periods.ts: "2023-Q1", "2023-01", "2023") for quantities per quarter, month or year. */
  readonly period?: string;
}

/** The `channel` of rows about all media channels together. */
export const ALL_MEDIA = '(all media)';
