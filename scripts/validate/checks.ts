/**
 * What each validation section returns, and the truth-coverage table: for each quantity with a
 * known true value, the posterior mean and central 90% interval (5%-95%, type-7 quantiles, as the
 * report and the Stan peer use) and whether the interval contains the truth. Rows marked
 * `counted: false` are shown for information (e.g. a parameter whose truth sits on the boundary
 * of its support, which no interval of a continuous posterior on (0, 1) can contain) and do not
 * enter the pass/fail count.
 *
 * Fairness: with a correct engine and the generating model, each 90% interval misses its truth
 * with probability about 0.1 over data sets; one data set is one draw, so an isolated miss is not
 * evidence of a bug, several misses in one direction are.
 */
import { fmt, interval, renderTable, say } from './table.js';

export interface Check {
  readonly name: string;
  readonly passed: boolean;
  readonly detail: string;
}

export interface SectionResult {
  readonly name: string;
  readonly title: string;
  readonly status: 'passed' | 'failed' | 'skipped' | 'error';
  readonly seconds: number;
  readonly checks: readonly Check[];
  readonly message?: string;
  readonly details?: Record<string, unknown>;
}

export interface TruthRow {
  readonly quantity: string;
  readonly truth: number;
  readonly mean: number;
  readonly q05: number;
  readonly q95: number;
  readonly covered: boolean;
  readonly counted: boolean;
  readonly note?: string;
}

export function truthRow(quantity: string, truth: number, summary: { mean: number; q05: number; q95: number }, counted = true, note?: string): TruthRow {
  const covered = truth >= summary.q05 && truth <= summary.q95;
  return { quantity, truth, mean: summary.mean, q05: summary.q05, q95: summary.q95, covered, counted, note };
}

export function printTruthTable(rows: readonly TruthRow[]): void {
  say(
    renderTable(
      ['quantity', 'truth', 'posterior mean', '90% interval', 'covered', ''],
      rows.map((r) => [r.quantity, fmt(r.truth), fmt(r.mean), interval(r.q05, r.q95), r.covered ? 'yes' : 'NO', r.counted ? (r.note ?? '') : `(info${r.note ? `: ${r.note}` : ''})`]),
    ),
  );
}

/** One check per counted row. */
export function coverageChecks(rows: readonly TruthRow[]): Check[] {
  return rows
    .filter((r) => r.counted)
    .map((r) => ({
      name: `${r.quantity} covered`,
      passed: r.covered,
      detail: `truth ${fmt(r.truth)} ${r.covered ? 'in' : 'NOT in'} 90% interval ${interval(r.q05, r.q95)} (mean ${fmt(r.mean)})`,
    }));
}

/** A fit's convergence check: max R-hat <= limit, with min bulk ESS and divergences in the detail. */
export function convergenceCheck(name: string, health: { readonly maxRhat: number; readonly minEssBulk: number; readonly divergences: number }, limit: number): Check {
  return { name, passed: health.maxRhat <= limit, detail: `max R-hat ${fmt(health.maxRhat, 4)}, min bulk ESS ${fmt(health.minEssBulk, 3)}, divergences ${health.divergences}` };
}

export function sectionStatus(checks: readonly Check[]): 'passed' | 'failed' {
  return checks.every((c) => c.passed) ? 'passed' : 'failed';
}

/** Summary of draws (mean, 5% and 95% quantiles) of a plain array. */
export function summarizeArray(values: ArrayLike<number>): { mean: number; sd: number; q05: number; q95: number } {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const mean = sorted.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(sorted.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n - 1));
  const q = (p: number) => {
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, n - 1)] ?? sorted[lo]) - sorted[lo]);
  };
  return { mean, sd, q05: q(0.05), q95: q(0.95) };
}
