import { describe, expect, it } from 'vitest';
import { fastExp, fastLog } from '../src/distributions/index.js';
import { createRng } from '../src/tensor/rng.js';

const ULP = 2 ** -52;

describe('fastExp and fastLog (src/distributions/elementary.ts)', () => {
  it('fastExp is within 2 ulp of Math.exp over its whole table range, and defers outside it', () => {
    const rng = createRng(11);
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      const x = i < 100_000 ? (rng.uniform() - 0.5) * 1416 : (rng.uniform() - 0.5) * 4;
      const exact = Math.exp(x);
      worst = Math.max(worst, Math.abs(fastExp(x) - exact) / (exact * ULP));
    }
    // 2^(j/256) and the final product are each rounded once (0.5 ulp each) plus the polynomial's rounding.
    expect(worst).toBeLessThan(2);
    expect(fastExp(0)).toBe(1);
    expect(fastExp(1000)).toBe(Infinity);
    expect(fastExp(-1000)).toBe(0);
    expect(fastExp(-Infinity)).toBe(0);
    expect(Number.isNaN(fastExp(NaN))).toBe(true);
    expect(fastExp(-720)).toBe(Math.exp(-720)); // subnormal results come from Math.exp
  });

  it('fastLog is within 2 ulp of max(1, |log x|) of Math.log, exact at 1, and defers for non-normal input', () => {
    const rng = createRng(12);
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      const x = i < 100_000 ? Math.exp((rng.uniform() - 0.5) * 1400) : 0.01 + 10 * rng.uniform();
      const exact = Math.log(x);
      worst = Math.max(worst, Math.abs(fastLog(x) - exact) / (Math.max(1, Math.abs(exact)) * ULP));
    }
    expect(worst).toBeLessThan(2);
    expect(fastLog(1)).toBe(0);
    expect(fastLog(2)).toBeCloseTo(Math.LN2, 15);
    expect(fastLog(0)).toBe(-Infinity);
    expect(fastLog(Infinity)).toBe(Infinity);
    expect(Number.isNaN(fastLog(-1))).toBe(true);
    expect(Number.isNaN(fastLog(NaN))).toBe(true);
    expect(fastLog(5e-324)).toBe(Math.log(5e-324));
    expect(fastLog(Number.MAX_VALUE)).toBeCloseTo(Math.log(Number.MAX_VALUE), 12);
  });
});
