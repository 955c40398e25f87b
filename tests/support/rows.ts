/**
 * Small helpers of the analysis tests: relative error, and the one row of a tidy table
 * (src/analysis/rows.ts) matching some keys (an error when none or several match).
 */
import type { QuantityRow } from '../../src/analysis/index.js';

export const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

export function findRow(rows: readonly QuantityRow[], where: Partial<QuantityRow>): QuantityRow {
  const found = rows.filter((r) => Object.entries(where).every(([k, v]) => (r as unknown as Record<string, unknown>)[k] === v));
  if (found.length !== 1) throw new Error(`expected one row for ${JSON.stringify(where)}, found ${found.length}`);
  return found[0];
}
