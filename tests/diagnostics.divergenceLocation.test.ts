/** divergenceShifts (src/diagnostics/divergenceLocation.ts) on draws built by hand. */
import { describe, expect, it } from 'vitest';
import { divergenceShifts } from '../src/diagnostics/index.js';

describe('divergenceShifts', () => {
  it('finds the coordinate whose divergent draws sit at one end, in posterior sds', () => {
    // Two chains, 2 coordinates, 4 draws each. Coordinate 1 is low exactly where the flags are set.
    const draws = [Float64Array.from([0, -3, 1, 1, 0, -3, -1, 1]), Float64Array.from([1, 1, 0, -3, -1, 1, 0, 1])];
    const divergent = [Int8Array.from([1, 0, 1, 0]), Int8Array.from([0, 1, 0, 0])];
    const shifts = divergenceShifts(draws, divergent, 2);
    // Coordinate 1: values -3, 1, -3, 1, 1, -3, 1, 1; the three divergent draws are all -3.
    const values1 = [-3, 1, -3, 1, 1, -3, 1, 1];
    const mean1 = values1.reduce((a, b) => a + b) / 8;
    const sd1 = Math.sqrt(values1.reduce((s, v) => s + (v - mean1) ** 2, 0) / 7);
    expect(shifts[0].index).toBe(1);
    expect(shifts[0].shift).toBeCloseTo((-3 - mean1) / sd1, 12);
    // Coordinate 0: values 0, 1, 0, -1, 1, 0, -1, 0 (mean 0); the divergent draws are 0, 0, 0.
    expect(shifts[1]).toEqual({ index: 0, shift: 0 });
  });

  it('is empty without divergences and checks the shapes', () => {
    expect(divergenceShifts([Float64Array.from([1, 2])], [Int8Array.from([0, 0])], 1)).toEqual([]);
    expect(() => divergenceShifts([Float64Array.from([1, 2])], [Int8Array.from([0])], 1)).toThrow(/chain 0 has 2 draws but 1 flags/);
  });
});
