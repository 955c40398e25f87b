/**
 * Log densities of every distribution against closed forms evaluated on the host in float64, with
 * number parameters, tensor parameters carrying a chain axis (broadcast against data), and gradients
 * against central finite differences of the host formulas.
 *
 * Tolerances (float32 tensors against float64 references at the same float32-rounded inputs):
 * - log densities: |got - expected| <= 1e-5 * max(1, |expected|);
 * - gradients: |got - expected| <= 1e-4 * max(1, |expected|), since autodiff in float32 sums terms
 *   of the size of the density's pieces (e.g. log x, digamma) with ~1e-7 relative rounding each, and
 *   the host central difference (step 1e-6 relative) is good to ~1e-8.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, liveTensorCount, tf, type Tensor } from '../src/tensor/index.js';
import {
  BernoulliLogit,
  Beta,
  Binomial,
  BinomialLogit,
  Cauchy,
  Exponential,
  Gamma,
  HalfCauchy,
  HalfNormal,
  InverseGamma,
  LogNormal,
  MultivariateNormalCholesky,
  Normal,
  Poisson,
  PoissonLog,
  StudentT,
  Uniform,
  logChoose,
  logGamma,
  type Distribution,
  type Param,
} from '../src/distributions/index.js';

beforeAll(async () => {
  await initBackend();
});

const LOG_2PI = Math.log(2 * Math.PI);
const f32 = Math.fround;

function hostSoftplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}
function hostNormal(x: number, loc: number, scale: number): number {
  const z = (x - loc) / scale;
  return -0.5 * z * z - Math.log(scale) - 0.5 * LOG_2PI;
}
function hostCauchy(x: number, loc: number, scale: number): number {
  const z = (x - loc) / scale;
  return -Math.log(Math.PI) - Math.log(scale) - Math.log1p(z * z);
}

interface Case {
  readonly name: string;
  readonly make: (params: Param[]) => Distribution;
  /** Parameter sets (each becomes one chain in the tensor tests). */
  readonly params: number[][];
  /** Values inside the support. */
  readonly values: number[];
  /** Values outside the support (log density -Infinity). */
  readonly outside?: number[];
  readonly host: (x: number, ...params: number[]) => number;
  /** Indices of parameters that are differentiable (all by default). */
  readonly gradParams?: number[];
  /** Whether d/dvalue is meaningful (continuous distributions). */
  readonly continuous: boolean;
}

const cases: Case[] = [
  {
    name: 'Normal',
    make: ([loc, scale]) => new Normal(loc, scale),
    params: [
      [0, 1],
      [-2.5, 0.3],
      [10, 7],
    ],
    values: [-3, -0.5, 0, 0.1, 2, 15],
    host: hostNormal,
    continuous: true,
  },
  {
    name: 'HalfNormal',
    make: ([scale]) => new HalfNormal(scale),
    params: [[1], [0.2], [5]],
    values: [0, 0.05, 0.7, 3, 9],
    outside: [-0.1, -4],
    host: (x, scale) => Math.LN2 + hostNormal(x, 0, scale),
    continuous: true,
  },
  {
    name: 'LogNormal',
    make: ([loc, scale]) => new LogNormal(loc, scale),
    params: [
      [0, 1],
      [1.5, 0.4],
      [-1, 2],
    ],
    values: [0.01, 0.3, 1, 4.5, 30],
    outside: [0, -1],
    host: (x, loc, scale) => hostNormal(Math.log(x), loc, scale) - Math.log(x),
    continuous: true,
  },
  {
    name: 'Beta',
    make: ([a, b]) => new Beta(a, b),
    params: [
      [2, 3],
      [0.5, 0.5],
      [12, 1.5],
    ],
    values: [1e-4, 0.05, 0.3, 0.5, 0.9, 0.9999],
    outside: [-0.2, 1.1],
    host: (x, a, b) => (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - (logGamma(a) + logGamma(b) - logGamma(a + b)),
    continuous: true,
  },
  {
    name: 'Gamma',
    make: ([shape, rate]) => new Gamma(shape, rate),
    params: [
      [2, 1],
      [0.7, 3],
      [15, 0.5],
    ],
    values: [0.01, 0.5, 2, 7.5, 40],
    outside: [-1],
    host: (x, shape, rate) => shape * Math.log(rate) - logGamma(shape) + (shape - 1) * Math.log(x) - rate * x,
    continuous: true,
  },
  {
    name: 'InverseGamma',
    make: ([shape, scale]) => new InverseGamma(shape, scale),
    params: [
      [3, 2],
      [0.8, 0.5],
      [10, 20],
    ],
    values: [0.05, 0.4, 1, 2.5, 12],
    outside: [0, -2],
    host: (x, shape, scale) => shape * Math.log(scale) - logGamma(shape) - (shape + 1) * Math.log(x) - scale / x,
    continuous: true,
  },
  {
    name: 'Exponential',
    make: ([rate]) => new Exponential(rate),
    params: [[1], [0.1], [4]],
    values: [0, 0.2, 1, 5, 25],
    outside: [-0.5],
    host: (x, rate) => Math.log(rate) - rate * x,
    continuous: true,
  },
  {
    name: 'Cauchy',
    make: ([loc, scale]) => new Cauchy(loc, scale),
    params: [
      [0, 1],
      [3, 0.5],
      [-10, 4],
    ],
    values: [-50, -1, 0, 0.001, 2.5, 100],
    host: hostCauchy,
    continuous: true,
  },
  {
    name: 'HalfCauchy',
    make: ([scale]) => new HalfCauchy(scale),
    params: [[1], [0.25], [5]],
    values: [0, 1e-3, 0.5, 2, 60],
    outside: [-1e-3],
    host: (x, scale) => Math.LN2 + hostCauchy(x, 0, scale),
    continuous: true,
  },
  {
    name: 'StudentT',
    make: ([df, loc, scale]) => new StudentT(df, loc, scale),
    params: [
      [3, 0, 1],
      [1, 2, 0.5],
      [30, -1, 3],
      [2.5e3, 0.5, 1.5],
    ],
    values: [-20, -1, 0, 0.3, 4, 60],
    host: (x, df, loc, scale) => {
      const z = (x - loc) / scale;
      return (
        logGamma((df + 1) / 2) -
        logGamma(df / 2) -
        0.5 * Math.log(df * Math.PI) -
        Math.log(scale) -
        ((df + 1) / 2) * Math.log1p((z * z) / df)
      );
    },
    continuous: true,
  },
  {
    name: 'Uniform',
    make: ([lower, upper]) => new Uniform(lower, upper),
    params: [
      [10, 10.5],
      [-3, 12],
      [9, 11],
    ],
    values: [10.1, 10.2, 10.4],
    outside: [-4, 13, 20],
    host: (x, lower, upper) => (x >= lower && x <= upper ? -Math.log(upper - lower) : -Infinity),
    gradParams: [0, 1],
    continuous: true,
  },
  {
    name: 'BernoulliLogit',
    make: ([logit]) => new BernoulliLogit(logit),
    params: [[0], [3.5], [-40], [25]],
    values: [0, 1],
    outside: [-1, 2],
    host: (y, logit) => y * logit - hostSoftplus(logit),
    continuous: false,
  },
  {
    name: 'BinomialLogit',
    make: ([trials, logit]) => new BinomialLogit(trials, logit),
    params: [
      [10, 0.3],
      [1, -2],
      [200, 1.5],
    ],
    values: [0, 1, 3, 10],
    outside: [-1],
    host: (y, trials, logit) => (y > trials ? -Infinity : logChoose(trials, y) + y * logit - trials * hostSoftplus(logit)),
    gradParams: [1],
    continuous: false,
  },
  {
    name: 'Binomial',
    make: ([trials, probability]) => new Binomial(trials, probability),
    params: [
      [10, 0.3],
      [4, 0.01],
      [150, 0.85],
    ],
    values: [0, 1, 3, 4],
    outside: [-2],
    host: (y, trials, p) => (y > trials ? -Infinity : logChoose(trials, y) + y * Math.log(p) + (trials - y) * Math.log1p(-p)),
    gradParams: [1],
    continuous: false,
  },
  {
    name: 'PoissonLog',
    make: ([logRate]) => new PoissonLog(logRate),
    params: [[0], [2.3], [-4], [6]],
    values: [0, 1, 4, 17, 250],
    outside: [-1],
    host: (y, logRate) => y * logRate - Math.exp(logRate) - logGamma(y + 1),
    continuous: false,
  },
  {
    name: 'Poisson',
    make: ([rate]) => new Poisson(rate),
    params: [[1], [9.5], [0.02], [300]],
    values: [0, 1, 4, 17, 250],
    outside: [-3],
    host: (y, rate) => y * Math.log(rate) - rate - logGamma(y + 1),
    continuous: false,
  },
];

function expectClose(got: number, expected: number, tolerance: number, label: string): void {
  if (expected === -Infinity) {
    expect(got, label).toBe(-Infinity);
    return;
  }
  const error = Math.abs(got - expected);
  if (!(error <= tolerance * Math.max(1, Math.abs(expected)))) {
    throw new Error(`${label}: got ${got}, expected ${expected} (error ${error.toExponential(2)})`);
  }
}

const DENSITY_TOLERANCE = 1e-5;
const GRADIENT_TOLERANCE = 1e-4;

describe('log densities with number parameters', () => {
  for (const c of cases) {
    it(`${c.name} matches the float64 closed form, -Infinity outside the support`, () => {
      const all = [...c.values, ...(c.outside ?? [])];
      for (const params of c.params) {
        const got = tf.tidy(() => Array.from(c.make(params).logProb(tf.tensor1d(all)).dataSync()));
        all.forEach((x, i) => {
          const inside = i < c.values.length;
          const expected = inside ? c.host(f32(x), ...params) : -Infinity;
          expectClose(got[i], expected, DENSITY_TOLERANCE, `${c.name}(${params}) at ${x}`);
        });
      }
    });
  }
});

describe('log densities with tensor parameters carrying a chain axis', () => {
  for (const c of cases) {
    it(`${c.name}: [chains, 1] parameters broadcast against [N] and [chains, N] values`, () => {
      const chains = c.params.length;
      const arity = c.params[0].length;
      const [fromVector, fromMatrix, mixed] = tf.tidy(() => {
        const tensors = Array.from({ length: arity }, (_, k) => tf.tensor2d(c.params.map((set) => [set[k]]), [chains, 1]));
        const vector = c.make(tensors).logProb(tf.tensor1d(c.values));
        const matrix = c.make(tensors).logProb(tf.tensor2d(c.params.map(() => c.values)));
        // First parameter a tensor, the rest numbers from the first set.
        const mixedParams: Param[] = [tensors[0], ...c.params[0].slice(1)];
        const mixedResult = c.make(mixedParams).logProb(tf.tensor1d(c.values));
        return [vector, matrix, mixedResult].map((t) => ({ shape: t.shape, data: Array.from(t.dataSync()) }));
      });
      expect(fromVector.shape).toEqual([chains, c.values.length]);
      expect(fromMatrix.shape).toEqual([chains, c.values.length]);
      expect(mixed.shape).toEqual([chains, c.values.length]);
      c.params.forEach((set, chain) => {
        const rounded = set.map(f32);
        c.values.forEach((x, i) => {
          const expected = c.host(f32(x), ...rounded);
          const label = `${c.name} chain ${chain} at ${x}`;
          expectClose(fromVector.data[chain * c.values.length + i], expected, DENSITY_TOLERANCE, label);
          expectClose(fromMatrix.data[chain * c.values.length + i], expected, DENSITY_TOLERANCE, label);
          const mixedExpected = c.host(f32(x), f32(set[0]), ...c.params[0].slice(1));
          expectClose(mixed.data[chain * c.values.length + i], mixedExpected, DENSITY_TOLERANCE, `${label} (mixed)`);
        });
      });
    });
  }
});

describe('gradients against central differences of the host formula', () => {
  for (const c of cases) {
    it(`${c.name}: d/dvalue and d/dparameters`, () => {
      const params = c.params[0];
      const values = c.values.filter((x) => c.host(f32(x), ...params.map(f32)) > -Infinity);
      const n = values.length;
      const gradParams = c.gradParams ?? params.map((_, k) => k);
      const grads = tf.tidy(() => {
        const value = tf.tensor1d(values);
        // Each parameter as an [N] tensor holding the same number, so element i of its gradient is
        // the partial derivative at value i.
        const paramTensors = params.map((p) => tf.fill([n], p));
        const f = (...inputs: Tensor[]) => {
          const distribution = c.make(inputs.slice(1));
          return tf.sum(distribution.logProb(inputs[0]));
        };
        return tf.grads(f)([value, ...paramTensors]).map((g) => Array.from(g.dataSync()));
      });
      const rounded = params.map(f32);
      values.forEach((x0, i) => {
        const x = f32(x0);
        const partial = (index: number): number => {
          const point = [x, ...rounded];
          const h = 1e-6 * Math.max(1, Math.abs(point[index]));
          const up = [...point];
          const down = [...point];
          up[index] += h;
          down[index] -= h;
          return (c.host(up[0], ...up.slice(1)) - c.host(down[0], ...down.slice(1))) / (2 * h);
        };
        if (c.continuous) expectClose(grads[0][i], partial(0), GRADIENT_TOLERANCE, `${c.name} d/dx at ${x}`);
        for (const k of gradParams) {
          expectClose(grads[k + 1][i], partial(k + 1), GRADIENT_TOLERANCE, `${c.name} d/dparam${k} at ${x}`);
        }
      });
    });
  }
});

describe('MultivariateNormalCholesky', () => {
  const lower = [
    [1.5, 0, 0],
    [0.3, 0.8, 0],
    [-0.6, 0.4, 2.1],
  ];
  const lowerB = [
    [0.5, 0, 0],
    [1.2, 1.1, 0],
    [0.2, -0.9, 0.7],
  ];
  const loc = [0.5, -1, 2];
  const locB = [0, 3, -2];
  const points = [
    [0, 0, 0],
    [1, -2, 3],
    [2.5, 0.5, -1],
    [-3, 1, 4],
  ];

  function hostLogProb(x: number[], mean: number[], scale: number[][]): number {
    const size = x.length;
    const z = new Array<number>(size).fill(0);
    let logDeterminant = 0;
    for (let i = 0; i < size; i++) {
      let residual = x[i] - mean[i];
      for (let j = 0; j < i; j++) residual -= scale[i][j] * z[j];
      z[i] = residual / scale[i][i];
      logDeterminant += Math.log(scale[i][i]);
    }
    return -0.5 * z.reduce((s, v) => s + v * v, 0) - logDeterminant - 0.5 * size * LOG_2PI;
  }

  it('host-array parameters match the float64 density, event axis reduced', () => {
    const distribution = new MultivariateNormalCholesky(loc, lower);
    const [shape, got] = tf.tidy(() => {
      const result = distribution.logProb(tf.tensor2d(points));
      return [result.shape, Array.from(result.dataSync())];
    });
    expect(shape).toEqual([points.length]);
    points.forEach((x, i) => expectClose(got[i], hostLogProb(x, loc, lower), DENSITY_TOLERANCE, `point ${i}`));
  });

  it('batched tensor parameters [chains, 1, K(, K)] against [N, K] data give [chains, N]', () => {
    const got = tf.tidy(() => {
      const locs = tf.tensor3d([[loc], [locB]]);
      const scales = tf.tensor4d([[lower], [lowerB]]);
      const result = new MultivariateNormalCholesky(locs, scales).logProb(tf.tensor2d(points));
      return { shape: result.shape, data: Array.from(result.dataSync()) };
    });
    expect(got.shape).toEqual([2, points.length]);
    points.forEach((x, i) => {
      expectClose(got.data[i], hostLogProb(x.map(f32), loc, lower), DENSITY_TOLERANCE, `chain 0 point ${i}`);
      expectClose(got.data[points.length + i], hostLogProb(x.map(f32), locB, lowerB), DENSITY_TOLERANCE, `chain 1 point ${i}`);
    });
  });

  it('ignores the upper triangle and differentiates in loc and the lower triangle', () => {
    const withUpper = lower.map((row, i) => row.map((v, j) => (j > i ? 9 : v)));
    const [grads, value] = tf.tidy(() => {
      const f = (mean: Tensor, scale: Tensor) => tf.sum(new MultivariateNormalCholesky(mean, scale).logProb(tf.tensor2d(points)));
      const gs = tf.grads(f)([tf.tensor1d(loc), tf.tensor2d(withUpper)]);
      return [gs.map((g) => Array.from(g.dataSync())), f(tf.tensor1d(loc), tf.tensor2d(withUpper)).dataSync()[0]];
    });
    const total = (mean: number[], scale: number[][]) => points.reduce((s, x) => s + hostLogProb(x, mean, scale), 0);
    expectClose(value, total(loc, lower), DENSITY_TOLERANCE, 'sum');
    const h = 1e-6;
    for (let k = 0; k < 3; k++) {
      const up = [...loc];
      const down = [...loc];
      up[k] += h;
      down[k] -= h;
      expectClose(grads[0][k], (total(up, lower) - total(down, lower)) / (2 * h), GRADIENT_TOLERANCE, `d/dloc${k}`);
    }
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        if (j > i) {
          expect(grads[1][i * 3 + j]).toBe(0);
          continue;
        }
        const up = lower.map((row) => [...row]);
        const down = lower.map((row) => [...row]);
        up[i][j] += h;
        down[i][j] -= h;
        expectClose(grads[1][i * 3 + j], (total(loc, up) - total(loc, down)) / (2 * h), GRADIENT_TOLERANCE, `d/dL${i}${j}`);
      }
    }
  });

  it('rejects a non-positive diagonal and a mis-shaped value', () => {
    expect(() => new MultivariateNormalCholesky([0, 0], [[1, 0], [1, 0]])).toThrow(/diagonal/);
    const distribution = new MultivariateNormalCholesky([0, 0], [[1, 0], [0, 1]]);
    expect(() => tf.tidy(() => distribution.logProb(tf.tensor1d([1, 2, 3])))).toThrow(/value must have shape/);
  });
});

describe('housekeeping', () => {
  it('rejects invalid number parameters', () => {
    expect(() => new Normal(0, 0)).toThrow(/scale must be > 0/);
    expect(() => new Gamma(-1, 1)).toThrow(/shape must be > 0/);
    expect(() => new Uniform(2, 1)).toThrow(/upper must be > lower/);
    expect(() => new Binomial(5, 1.5)).toThrow(/probability/);
  });

  it('checkSupport: false skips the mask (the formula is evaluated as is)', () => {
    const [masked, unmasked, uniform] = tf.tidy(() => {
      const x = tf.tensor1d([-1, 2]);
      return [
        Array.from(new HalfNormal(1).logProb(x).dataSync()),
        Array.from(new HalfNormal(1, { checkSupport: false }).logProb(x).dataSync()),
        Array.from(new Uniform(0, 1, { checkSupport: false }).logProb(x).dataSync()),
      ];
    });
    expect(masked[0]).toBe(-Infinity);
    expect(unmasked[0]).toBeCloseTo(Math.LN2 + hostNormal(-1, 0, 1), 5);
    expect(unmasked[1]).toBeCloseTo(masked[1], 6);
    uniform.forEach((v) => expect(v).toBeCloseTo(0, 12));
  });

  it('logProb leaves exactly one live tensor (its result), including the lgamma path', () => {
    const value = tf.tensor1d([0.5, 1.5, 3]);
    const shape = tf.tensor2d([[2], [3]]);
    const before = liveTensorCount();
    const results = [
      new Gamma(shape, 1.5).logProb(value),
      new StudentT(shape, 0, 1).logProb(value),
      new Beta(shape, shape).logProb(tf.tensor1d([0.2])),
      new PoissonLog(shape).logProb(value),
    ];
    expect(liveTensorCount()).toBe(before + results.length + 1); // + the Beta value tensor created inline
    tf.dispose([...results, value, shape]);
  });
});
