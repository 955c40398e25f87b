/**
 * The SBC rows (src/analysis/sbcRows.ts) and the ECDF-difference chart (src/charts/sbc.ts), on
 * ranks with known behaviour: uniform ranks from a seeded stream (inside the band, chi-square
 * p-value not small), and ranks piled at the top (truth above most draws: posterior biased down),
 * whose ECDF falls below the band and which fail the chi-square test. The rows are checked
 * against an independent count; the chart validates against the Vega-Lite schema, compiles
 * without warnings and renders to SVG.
 */
import { describe, expect, it } from 'vitest';
import { sbcRows } from '../src/analysis/index.js';
import { compileSpec, renderSvg, sbcEcdfSpec, schemaErrors } from '../src/charts/index.js';
import { createRng } from '../src/tensor/index.js';

const maxRank = 99;
const replicates = 200;
const rng = createRng(7, 'sbc-rows');
const uniform = Array.from({ length: replicates }, () => Math.floor(rng.uniform() * (maxRank + 1)));
// Truth above most draws (ranks near the top) a third of the time.
const high = Array.from({ length: replicates }, (_, i) => (i % 3 === 0 ? maxRank - (i % 7) : Math.floor(rng.uniform() * (maxRank + 1))));

describe('sbcRows', () => {
  const rows = sbcRows([{ quantity: 'alpha[1]', ranks: uniform }, { quantity: 'sigma', ranks: high }], { maxRank });

  it('one row per quantity: bins, chi-square, band verdict, ECDF distance, mean fractional rank', () => {
    expect(rows.bins).toBe(10);
    expect(rows.band.points).toBe(100);
    expect(rows.band.samples).toBe(replicates);
    const [a, s] = rows.quantities;
    expect(a.quantity).toBe('alpha[1]');
    expect(a.binCounts.reduce((x, y) => x + y, 0)).toBe(replicates);
    expect(a.binCounts[3]).toBe(uniform.filter((r) => r >= 30 && r < 40).length);
    expect(a.df).toBe(9);
    expect(a.pValue).toBeGreaterThan(0.01);
    expect(a.inBand).toBe(true);
    expect(a.meanFractionalRank).toBeCloseTo(uniform.reduce((x, y) => x + y, 0) / (replicates * maxRank), 14);
    expect(s.pValue).toBeLessThan(1e-6);
    expect(s.inBand).toBe(false);
    expect(s.meanFractionalRank).toBeGreaterThan(0.6);
  });

  it('ECDF-difference rows at z = 0, 0.01, ..., 1 with the band, in quantity order', () => {
    expect(rows.ecdf).toHaveLength(2 * 101);
    const alpha = rows.ecdf.filter((r) => r.quantity === 'alpha[1]');
    expect(alpha[0]).toMatchObject({ z: 0, difference: 0, lower: 0, upper: 0 });
    expect(alpha[100].difference).toBeCloseTo(0, 14);
    // at z = 0.5: the share of ranks below 50, minus 0.5
    expect(alpha[50].difference).toBeCloseTo(uniform.filter((r) => r < 50).length / replicates - 0.5, 14);
    expect(alpha[50].lower).toBeLessThan(0);
    expect(alpha[50].upper).toBeGreaterThan(0);
    expect(Math.max(...alpha.map((r) => Math.abs(r.difference)))).toBeCloseTo(rows.quantities[0].maxEcdfDifference, 14);
    // ranks piled at the top: the ECDF falls below the uniform CDF, out of the band somewhere
    const sigma = rows.ecdf.filter((r) => r.quantity === 'sigma');
    expect(sigma.some((r) => r.difference < r.lower)).toBe(true);
  });

  it('refuses quantities with different replicate counts and points that do not divide maxRank + 1', () => {
    expect(() => sbcRows([{ quantity: 'a', ranks: [1, 2] }, { quantity: 'b', ranks: [1] }], { maxRank })).toThrow('sbcRows: quantity b has 1 ranks, a has 2: every quantity needs one rank per replicate');
    expect(() => sbcRows([{ quantity: 'a', ranks: uniform }], { maxRank, points: 30 })).toThrow(/points must divide maxRank \+ 1 = 100/);
    expect(sbcRows([{ quantity: 'a', ranks: uniform.slice(0, 40) }], { maxRank }).band.points).toBe(25);
  });
});

describe('sbcEcdfSpec', () => {
  it('validates, compiles, renders, and flags the quantity outside the band', async () => {
    const rows = sbcRows([{ quantity: 'alpha[1]', ranks: uniform }, { quantity: 'sigma', ranks: high }], { maxRank });
    const spec = sbcEcdfSpec(rows.ecdf, rows.quantities, maxRank, 0.95);
    expect(schemaErrors(spec)).toEqual([]);
    expect(compileSpec(spec).warnings).toEqual([]);
    const values = (spec.data as { values: Record<string, unknown>[] }).values;
    expect(values).toHaveLength(2 * 101);
    const lookups = (spec.transform as { from: { data: { values: Record<string, unknown>[] } } }[]).map((t) => t.from.data.values);
    expect(lookups[0]).toHaveLength(101); // the band, once
    expect(lookups[0][50]).toEqual({ z: 0.5, lower: Math.round(rows.ecdf[50].lower * 1e5) / 1e5, upper: Math.round(rows.ecdf[50].upper * 1e5) / 1e5 });
    expect(lookups[1]).toEqual([
      { quantity: 'alpha[1]', status: 'inside the band', pValue: Math.round(rows.quantities[0].pValue * 1e5) / 1e5 },
      { quantity: 'sigma', status: 'leaves the band', pValue: Math.round(rows.quantities[1].pValue * 1e5) / 1e5 },
    ]);
    const svg = await renderSvg(spec);
    expect(svg).toMatch(/^<svg/);
    for (const text of ['Simulation-based calibration', 'alpha[1]', 'sigma', '1 of 2 quantities leave it']) expect(svg).toContain(text);
  }, 60_000);
});
