/**
 * Diagnostics against R's `posterior` package.
 *
 * Reference numbers: tests/fixtures/diagnostics/expected.json, written by
 * scripts/reference/diagnostics.R with posterior 1.4.0 on R 4.2.2 (Debian r-cran-posterior), from
 * the fixed draws in tests/fixtures/diagnostics/draws.json (scripts/reference/makeDiagnosticsDraws.ts).
 * Both sides implement the same formulas, so values must agree to rounding: relative tolerance 1e-8
 * for everything. The only differences are floating-point order of operations (posterior computes
 * autocovariances by FFT, we sum lags directly; R accumulates sums in long double), which move
 * results by about 1e-14 relative (observed). The beta quantile (used by mcseQuantile) is our own
 * continued fraction + bisection rather than R's qbeta algorithm and is compared at 1e-10 relative
 * (observed 2.4e-13); mcseQuantile only uses it to pick order statistics, so it still matches
 * posterior exactly.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  averageRanks,
  betaQuantile,
  chainDrawsFromRowMajor,
  countDivergences,
  countTreeDepthSaturation,
  ebfmi,
  ebfmiOfChain,
  essBasic,
  essBulk,
  essQuantile,
  essTail,
  formatSummaryTable,
  lowEbfmiChains,
  mcseMean,
  mcseQuantile,
  mcseSd,
  normalQuantile,
  parameterDraws,
  pooledMean,
  pooledQuantiles,
  pooledSd,
  quantile,
  rhat,
  rhatBasic,
  rhatBulk,
  rhatTail,
  splitChains,
  summarize,
  type ChainDraws,
} from '../src/diagnostics/index.js';

interface DrawsFixture {
  cases: { name: string; description: string; chains: number[][] }[];
}
interface ExpectedCase {
  name: string;
  chains: number;
  draws: number;
  [statistic: string]: number | string | null;
}
interface ExpectedFixture {
  posterior_version: string;
  cases: ExpectedCase[];
  normal_quantile: { p: number; value: number }[];
  beta_quantile: { p: number; a: number; b: number; value: number }[];
}

function readFixture<T>(file: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`./fixtures/diagnostics/${file}`, import.meta.url)), 'utf8')) as T;
}

const drawsFixture = readFixture<DrawsFixture>('draws.json');
const expected = readFixture<ExpectedFixture>('expected.json');
const drawsByName = new Map<string, ChainDraws>(
  drawsFixture.cases.map((c) => [c.name, c.chains.map((chain) => Float64Array.from(chain))]),
);

/** |actual - expected| <= tol * |expected| (+ a tiny absolute slack for expected zeros); null means NaN. */
function expectClose(actual: number, reference: number | null | string, tolerance: number, label: string): void {
  if (reference === null) {
    expect(actual, `${label}: posterior gives NA`).toBeNaN();
    return;
  }
  if (typeof reference !== 'number') throw new Error(`${label}: not a number`);
  expect(Number.isFinite(actual), `${label}: got ${actual}, posterior ${reference}`).toBe(true);
  const error = Math.abs(actual - reference);
  expect(error, `${label}: got ${actual}, posterior ${reference}`).toBeLessThanOrEqual(tolerance * Math.abs(reference) + 1e-14);
}

const STATISTICS: Record<string, (draws: ChainDraws) => number> = {
  mean: pooledMean,
  sd: pooledSd,
  q05: (d) => pooledQuantiles(d, [0.05])[0],
  q50: (d) => pooledQuantiles(d, [0.5])[0],
  q95: (d) => pooledQuantiles(d, [0.95])[0],
  rhat,
  rhat_bulk: rhatBulk,
  rhat_tail: rhatTail,
  rhat_basic: (d) => rhatBasic(d),
  rhat_basic_nosplit: (d) => rhatBasic(d, { split: false }),
  ess_bulk: essBulk,
  ess_tail: essTail,
  ess_basic: (d) => essBasic(d),
  ess_basic_nosplit: (d) => essBasic(d, { split: false }),
  ess_q05: (d) => essQuantile(d, 0.05),
  ess_q95: (d) => essQuantile(d, 0.95),
  mcse_mean: (d) => mcseMean(d),
  mcse_sd: (d) => mcseSd(d),
  mcse_q05: (d) => mcseQuantile(d, 0.05),
  mcse_q50: (d) => mcseQuantile(d, 0.5),
  mcse_q95: (d) => mcseQuantile(d, 0.95),
};

describe(`diagnostics agree with R posterior ${expected.posterior_version}`, () => {
  for (const reference of expected.cases) {
    it(`case ${reference.name} (${reference.chains} x ${reference.draws})`, () => {
      const draws = drawsByName.get(reference.name);
      if (!draws) throw new Error(`no draws for ${reference.name}`);
      expect(draws.length).toBe(reference.chains);
      expect(draws[0].length).toBe(reference.draws);
      for (const [statistic, compute] of Object.entries(STATISTICS)) {
        expect(statistic in reference, `fixture lacks ${statistic}`).toBe(true);
        expectClose(compute(draws), reference[statistic], 1e-8, `${reference.name}.${statistic}`);
      }
    });
  }

  it('the fixture exercises the interesting regimes', () => {
    const byName = new Map(expected.cases.map((c) => [c.name, c]));
    expect(byName.get('shifted')!.rhat as number).toBeGreaterThan(1.1); // shifted chain: R-hat large
    expect(byName.get('scaled')!.rhat_tail as number).toBeGreaterThan(byName.get('scaled')!.rhat_bulk as number);
    expect(byName.get('antithetic')!.ess_bulk as number).toBeGreaterThan(600); // ESS > N, tau floor reached
    expect(byName.get('binary')!.ess_tail).toBeNull();
  });

  it('normal quantile matches R qnorm (AS 241) to a few ulp', () => {
    // Same polynomials in the same order; only Math.log may differ from the C library's log by an
    // ulp, so 1e-15 relative (about 5 ulp) is the fair bound (observed: 3.8e-16).
    for (const { p, value } of expected.normal_quantile) {
      expectClose(normalQuantile(p), value, 1e-15, `qnorm(${p})`);
    }
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(-0.1)).toBeNaN();
    expect(normalQuantile(0.5)).toBe(0);
  });

  it('beta quantile matches R qbeta', () => {
    for (const { p, a, b, value } of expected.beta_quantile) {
      expectClose(betaQuantile(p, a, b), value, 1e-10, `qbeta(${p}, ${a}, ${b})`);
    }
  });
});

describe('normal quantile known values', () => {
  it('matches textbook quantiles', () => {
    // Phi^-1(0.975) = 1.959963984540054, Phi^-1(0.95) = 1.6448536269514722, Phi^-1(0.84134474606854293) = 1
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.05)).toBeCloseTo(-1.6448536269514722, 14);
    expect(normalQuantile(0.8413447460685429)).toBeCloseTo(1, 13);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 12);
  });
});

describe('hand-checkable building blocks', () => {
  it('averages ranks of ties', () => {
    expect(Array.from(averageRanks([3, 1, 3, 2, 3]))).toEqual([4, 1, 4, 2, 4]);
  });

  it('type-7 quantiles interpolate linearly', () => {
    expect(quantile([4, 1, 3, 2], 0.05)).toBeCloseTo(1.15, 15);
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([4, 1, 3, 2], 1)).toBe(4);
  });

  it('splits chains like posterior, dropping the middle of an odd chain', () => {
    const halves = splitChains([Float64Array.from([1, 2, 3, 4, 5]), Float64Array.from([6, 7, 8, 9, 10])]);
    expect(halves.map((h) => Array.from(h))).toEqual([[1, 2], [6, 7], [4, 5], [9, 10]]);
  });

  it('converts row-major layouts', () => {
    const chains = chainDrawsFromRowMajor([1, 2, 3, 4, 5, 6], 2);
    expect(chains.map((c) => Array.from(c))).toEqual([[1, 2, 3], [4, 5, 6]]);
    // [chains = 2, draws = 2, dim = 3]
    const flat = [0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112];
    expect(parameterDraws(flat, { chains: 2, draws: 2, dim: 3 }, 1).map((c) => Array.from(c))).toEqual([[1, 11], [101, 111]]);
    expect(() => chainDrawsFromRowMajor([1, 2, 3], 2)).toThrow(/do not split/);
  });

  it('caps ESS at the draw count for the posteriordb MCSE convention', () => {
    const draws = drawsByName.get('antithetic')!;
    const total = draws.length * draws[0].length;
    expect(essBasic(draws)).toBeGreaterThan(total);
    expect(mcseMean(draws, { capEssAtDraws: true })).toBeCloseTo(pooledSd(draws) / Math.sqrt(total), 15);
    expect(mcseMean(draws)).toBeLessThan(mcseMean(draws, { capEssAtDraws: true }));
  });
});

describe('E-BFMI', () => {
  it('equals sum of squared changes over sum of squared deviations on constructed series', () => {
    // Alternating 0, 1, 0, 1: squared changes 3 x 1, squared deviations 4 x 0.25 = 1.
    expect(ebfmiOfChain([0, 1, 0, 1])).toBeCloseTo(3, 15);
    // Ramp 0..n-1: (n - 1) / (n (n^2 - 1) / 12) = 12 / (n (n + 1)).
    const ramp = Array.from({ length: 10 }, (_, s) => s);
    expect(ebfmiOfChain(ramp)).toBeCloseTo(12 / 110, 15);
    expect(ebfmiOfChain([5])).toBeNaN();
  });

  it('is about 2 for independent energies and 2 (1 - phi) for AR(1) energies', () => {
    // Deterministic pseudo-normal series (mulberry32 + Box-Muller, fixed seed) so no tfjs import is needed.
    let state = 12345;
    const uniform = (): number => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
    };
    const normal = (): number => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    const n = 4000;
    const independent = Float64Array.from({ length: n }, normal);
    const sticky = new Float64Array(n);
    const phi = 0.95;
    for (let s = 1; s < n; s++) sticky[s] = phi * sticky[s - 1] + Math.sqrt(1 - phi * phi) * normal();
    const values = ebfmi([independent, sticky]);
    // E-BFMI ~ 2 (1 - r1), r1 the lag-1 autocorrelation, whose sd is about sqrt((1 - phi^2) / n):
    // with n = 4000 the E-BFMI sd is about 0.032 (iid) and 0.010 (phi = 0.95), so +-0.15 and
    // +-0.05 are about 5 sd.
    expect(Math.abs(values[0] - 2)).toBeLessThan(0.15);
    expect(Math.abs(values[1] - 2 * (1 - phi))).toBeLessThan(0.05);
    expect(lowEbfmiChains(values)).toEqual([1]);
  });
});

describe('sampler health counts', () => {
  it('counts divergences and tree-depth saturation per chain', () => {
    const divergent = [[0, 1, 0, 0], [true, true, false, false]];
    expect(countDivergences(divergent)).toEqual({ perChain: [1, 2], total: 3, fraction: 3 / 8 });
    const depth = [Int32Array.from([3, 10, 10, 9]), Int32Array.from([10, 2, 1, 0])];
    expect(countTreeDepthSaturation(depth, 10)).toEqual({ perChain: [2, 1], total: 3, fraction: 3 / 8 });
  });
});

describe('summary', () => {
  it('collects the statistics per parameter and formats a table', () => {
    const names = ['ar_low', 'shifted', 'constant'];
    const rows = summarize(names, (name) => drawsByName.get(name)!);
    expect(rows.map((r) => r.name)).toEqual(names);
    const byName = new Map(expected.cases.map((c) => [c.name, c]));
    for (const row of rows) {
      const reference = byName.get(row.name)!;
      expectClose(row.mean, reference.mean, 1e-8, `${row.name}.mean`);
      expectClose(row.sd, reference.sd, 1e-8, `${row.name}.sd`);
      expectClose(row.q05, reference.q05, 1e-8, `${row.name}.q05`);
      expectClose(row.q50, reference.q50, 1e-8, `${row.name}.q50`);
      expectClose(row.q95, reference.q95, 1e-8, `${row.name}.q95`);
      expectClose(row.rhat, reference.rhat, 1e-8, `${row.name}.rhat`);
      expectClose(row.essBulk, reference.ess_bulk, 1e-8, `${row.name}.essBulk`);
      expectClose(row.essTail, reference.ess_tail, 1e-8, `${row.name}.essTail`);
      expectClose(row.essBasic, reference.ess_basic, 1e-8, `${row.name}.essBasic`);
      expectClose(row.mcseMean, reference.mcse_mean, 1e-8, `${row.name}.mcseMean`);
      expectClose(row.mcseSd, reference.mcse_sd, 1e-8, `${row.name}.mcseSd`);
    }
    // Map and record sources give the same rows.
    expect(summarize(['ar_low'], drawsByName)).toEqual([rows[0]]);
    expect(summarize(['ar_low'], { ar_low: drawsByName.get('ar_low')! })).toEqual([rows[0]]);
    expect(() => summarize(['missing'], drawsByName)).toThrow(/no draws for "missing"/);

    const table = formatSummaryTable(rows);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0].split(/\s+/)).toEqual(['name', 'mean', 'sd', 'q05', 'q50', 'q95', 'rhat', 'essBulk', 'essTail', 'mcseMean']);
    expect(lines[2]).toMatch(/^shifted\s/);
    expect(lines[2]).toContain((reference('shifted').rhat as number).toFixed(3));
    expect(lines[3]).toMatch(/^constant\s+1\.50\s+0\s.*NA/);
  });
});

function reference(name: string): ExpectedCase {
  return expected.cases.find((c) => c.name === name)!;
}
