/**
 * Bijectors: shapes, round trips, log |det J| against the log-determinant of the Jacobian computed by
 * tfjs autodiff (one gradient per output coordinate; determinant by LU on the host in float64),
 * dependent bounds, extreme inputs and gradients.
 *
 * Why autodiff for the Jacobian: it differentiates the very forward map the library runs, so the
 * check is "logDetJacobian is the log-determinant of this map's derivative" with no second
 * implementation to keep in sync. The Jacobian entries carry float32 relative error of a few 1e-7,
 * so at moderate inputs (|u| <= 2.5, n <= 9) log |det| is good to ~1e-5; tolerance 2e-4 absolute.
 * Round trips: |inverse(forward(u)) - u| <= 2e-4 (1 + |u|) at moderate inputs, since the inverse
 * amplifies the float32 rounding of the value by at most ~1 / (sigmoid(u) (1 - sigmoid(u))) <~ 15.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, initBackend, liveTensorCount, tf, type Tensor, type Tensor2D } from '../src/tensor/index.js';
import {
  affine,
  constraints,
  interval,
  lowerBound,
  ordered,
  positive,
  positiveOrdered,
  positiveSoftplus,
  real,
  simplex,
  unitInterval,
  upperBound,
  type Bijector,
  type BoundContext,
} from '../src/bijectors/index.js';

beforeAll(async () => {
  await initBackend();
});

const CHAINS = 3;

function normals(seed: number, count: number, scale = 1): number[] {
  const rng = createRng(seed, 'bijector-test');
  return Array.from({ length: count }, () => scale * rng.normal());
}

/** log |det A| for a row-major n x n matrix, by LU with partial pivoting in float64. */
function logAbsDet(matrix: number[], n: number): number {
  const a = [...matrix];
  let logDet = 0;
  for (let column = 0; column < n; column++) {
    let pivot = column;
    for (let row = column + 1; row < n; row++) if (Math.abs(a[row * n + column]) > Math.abs(a[pivot * n + column])) pivot = row;
    if (a[pivot * n + column] === 0) return -Infinity;
    if (pivot !== column) for (let k = 0; k < n; k++) [a[column * n + k], a[pivot * n + k]] = [a[pivot * n + k], a[column * n + k]];
    const diagonal = a[column * n + column];
    logDet += Math.log(Math.abs(diagonal));
    for (let row = column + 1; row < n; row++) {
      const factor = a[row * n + column] / diagonal;
      for (let k = column; k < n; k++) a[row * n + k] -= factor * a[column * n + k];
    }
  }
  return logDet;
}

/**
 * Per-chain log |det J| of `map`: [chains, n] -> [chains, n] (outputs flattened), by autodiff of each
 * output coordinate summed over chains (chains are independent, so row j of every chain's Jacobian
 * comes out of one gradient).
 */
function numericLogDet(map: (u: Tensor2D) => Tensor2D, u: number[], chains: number, n: number): number[] {
  const rows: number[][] = [];
  tf.tidy(() => {
    const input = tf.tensor2d(u, [chains, n]);
    for (let j = 0; j < n; j++) {
      const grad = tf.grad((x: Tensor) => tf.sum(tf.slice(map(x as Tensor2D), [0, j], [chains, 1])))(input);
      rows.push(Array.from(grad.dataSync()));
    }
  });
  return Array.from({ length: chains }, (_, chain) => {
    const jacobian: number[] = [];
    for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) jacobian.push(rows[j][chain * n + k]);
    return logAbsDet(jacobian, n);
  });
}

function forwardData(bijector: Bijector, u: number[], shape: number[], context: BoundContext = {}) {
  const n = bijector.unconstrainedSize(shape);
  return tf.tidy(() => {
    const result = bijector.forward(tf.tensor2d(u, [u.length / n, n]), shape, context);
    return {
      shape: result.value.shape,
      value: Array.from(result.value.dataSync()),
      logDet: Array.from(result.logDetJacobian.dataSync()),
      logDetShape: result.logDetJacobian.shape,
    };
  });
}

interface ElementwiseCase {
  readonly bijector: Bijector;
  readonly inside: (x: number) => boolean;
}

const elementwise: Array<[string, ElementwiseCase]> = [
  ['real', { bijector: real(), inside: () => true }],
  ['affine(2, 0.5)', { bijector: affine(2, 0.5), inside: () => true }],
  ['positive', { bijector: positive(), inside: (x) => x > 0 }],
  ['positiveSoftplus', { bijector: positiveSoftplus(), inside: (x) => x > 0 }],
  ['lowerBound(-2)', { bijector: lowerBound(-2), inside: (x) => x > -2 }],
  ['upperBound(3)', { bijector: upperBound(3), inside: (x) => x < 3 }],
  ['interval(-1, 4)', { bijector: interval(-1, 4), inside: (x) => x > -1 && x < 4 }],
  ['unitInterval', { bijector: unitInterval(), inside: (x) => x > 0 && x < 1 }],
];

describe('elementwise bijectors', () => {
  for (const [label, { bijector, inside }] of elementwise) {
    for (const shape of [[], [4], [2, 3]]) {
      it(`${label} on shape [${shape}]: shapes, support, round trip and log |det J|`, () => {
        const n = bijector.unconstrainedSize(shape);
        expect(n).toBe(shape.reduce((a, b) => a * b, 1));
        const u = normals(shape.length * 10 + n, CHAINS * n, 1.2);
        const out = forwardData(bijector, u, shape);
        expect(out.shape).toEqual(shape.length === 0 ? [CHAINS, 1] : [CHAINS, ...shape]);
        expect(out.logDetShape).toEqual([CHAINS]);
        out.value.forEach((x) => expect(inside(x), `${label} value ${x}`).toBe(true));

        const back = tf.tidy(() => Array.from(bijector.inverse(tf.tensor(out.value, out.shape), shape, {}).dataSync()));
        u.forEach((x, i) => expect(Math.abs(back[i] - x)).toBeLessThan(2e-4 * (1 + Math.abs(x))));

        const numeric = numericLogDet((t) => tf.reshape(bijector.forward(t, shape, {}).value, [CHAINS, n]) as Tensor2D, u, CHAINS, n);
        numeric.forEach((expected, chain) => expect(Math.abs(out.logDet[chain] - expected)).toBeLessThan(2e-4));
      });
    }
  }

  it('extreme inputs (+-30) give finite values inside the closed support and finite log |det J| and gradients', () => {
    const u = [30, -30, 0, 25, -25, 30];
    for (const [label, { bijector }] of elementwise) {
      const out = forwardData(bijector, u, [2], {});
      out.value.forEach((x) => expect(Number.isFinite(x), `${label} value`).toBe(true));
      out.logDet.forEach((x) => expect(Number.isFinite(x), `${label} logDet`).toBe(true));
      const grad = tf.tidy(() =>
        Array.from(
          tf.grad((t: Tensor) => {
            const result = bijector.forward(t as Tensor2D, [2], {});
            return tf.add(tf.sum(result.value), tf.sum(result.logDetJacobian));
          })(tf.tensor2d(u, [3, 2])).dataSync(),
        ),
      );
      grad.forEach((g) => expect(Number.isFinite(g), `${label} gradient`).toBe(true));
    }
    const bounded = forwardData(interval(-1, 4), u, [2]);
    bounded.value.forEach((x) => expect(x >= -1 && x <= 4).toBe(true));
  });

  it('interval log |det J| is exact in the tails where sigmoid saturates', () => {
    const out = forwardData(interval(0, 2), [30, -30], [1]);
    // log(2) + log sigmoid(u) + log sigmoid(-u) = log 2 - |u| - 2 log(1 + e^-|u|).
    out.logDet.forEach((x) => expect(Math.abs(x - (Math.LN2 - 30))).toBeLessThan(1e-5));
  });

  it('rejects a mis-shaped input and an empty interval', () => {
    expect(() => tf.tidy(() => positive().forward(tf.zeros([2, 3]) as Tensor2D, [2], {}).value)).toThrow(/\[chains, 2\]/);
    expect(() => interval(1, 1)).toThrow(/upper bound/);
  });
});

describe('dependent bounds', () => {
  it("GARCH: beta1 in (0, 1 - alpha1); the joint Jacobian's log-determinant is the sum of the parts", () => {
    const alphaBijector = unitInterval();
    const betaBijector = interval(0, (p) => tf.sub(1, p.alpha1));
    const u = [0.3, -0.8, -1.1, 1.7, 2.0, 0.1]; // rows: chains, columns: (u_alpha, u_beta)
    const joint = (t: Tensor2D) => {
      const [ua, ub] = tf.split(t, 2, 1) as [Tensor2D, Tensor2D];
      const alpha = alphaBijector.forward(ua, [], {});
      const beta = betaBijector.forward(ub, [], { alpha1: alpha.value });
      return { value: tf.concat([alpha.value, beta.value], 1) as Tensor2D, logDet: tf.add(alpha.logDetJacobian, beta.logDetJacobian) };
    };
    const [values, logDet] = tf.tidy(() => {
      const result = joint(tf.tensor2d(u, [3, 2]));
      return [result.value.arraySync() as number[][], Array.from(result.logDet.dataSync())];
    });
    for (const [alpha, beta] of values) {
      expect(alpha).toBeGreaterThan(0);
      expect(beta).toBeGreaterThan(0);
      expect(alpha + beta).toBeLessThan(1);
    }
    const numeric = numericLogDet((t) => joint(t).value, u, 3, 2);
    numeric.forEach((expected, chain) => expect(Math.abs(logDet[chain] - expected)).toBeLessThan(2e-4));
    // Inverse with the same context recovers u_beta.
    const back = tf.tidy(() => {
      const alphaValue = tf.tensor2d(values.map((row) => [row[0]]));
      return Array.from(betaBijector.inverse(tf.tensor2d(values.map((row) => [row[1]])), [], { alpha1: alphaValue }).dataSync());
    });
    back.forEach((x, chain) => expect(Math.abs(x - u[chain * 2 + 1])).toBeLessThan(2e-4 * (1 + Math.abs(x))));
  });

  it('a [chains, 1] bound applies chain by chain to vector and matrix values', () => {
    const floor = tf.tensor2d([[-1], [5], [100]]);
    for (const shape of [[4], [2, 3]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const out = forwardData(lowerBound(() => floor), new Array(CHAINS * n).fill(0), shape);
      const perChain = n;
      [-1, 5, 100].forEach((lo, chain) => {
        for (let i = 0; i < perChain; i++) expect(out.value[chain * perChain + i]).toBeCloseTo(lo + 1, 4);
      });
      const upper = forwardData(upperBound(() => floor), new Array(CHAINS * n).fill(0), shape);
      [-1, 5, 100].forEach((hi, chain) => expect(upper.value[chain * perChain]).toBeCloseTo(hi - 1, 4));
    }
    const wide = forwardData(interval(() => floor, (p) => tf.add(p.floor, 2)), new Array(CHAINS * 6).fill(0), [2, 3], {
      floor: tf.tensor2d([[-1], [5], [100]]),
    });
    // Width 2 everywhere: 6 coordinates of log(2) + log(1/4).
    wide.logDet.forEach((x) => expect(x).toBeCloseTo(6 * (Math.LN2 + Math.log(0.25)), 4));
    floor.dispose();
  });

  it('a dependent multiplier (non-centred parameterization) contributes log multiplier per coordinate', () => {
    const sigma = tf.tensor2d([[0.5], [2], [3]]);
    const out = forwardData(affine((p) => p.mu, (p) => p.sigma), new Array(CHAINS * 4).fill(1), [4], { mu: tf.tensor2d([[0], [1], [2]]), sigma });
    [0.5, 2, 3].forEach((s, chain) => {
      expect(out.logDet[chain]).toBeCloseTo(4 * Math.log(s), 4);
      expect(out.value[chain * 4]).toBeCloseTo(chain + s, 4);
    });
    sigma.dispose();
  });
});

describe('ordered and positiveOrdered', () => {
  for (const [label, bijector, positiveFirst] of [
    ['ordered', ordered(), false],
    ['positiveOrdered', positiveOrdered(), true],
  ] as Array<[string, Bijector, boolean]>) {
    for (const shape of [[4], [2, 4], [1]]) {
      it(`${label} on [${shape}]: increasing rows, round trip, log |det J|`, () => {
        const n = bijector.unconstrainedSize(shape);
        const length = shape[shape.length - 1];
        const u = normals(n + 77, CHAINS * n);
        const out = forwardData(bijector, u, shape);
        expect(out.shape).toEqual([CHAINS, ...shape]);
        for (let row = 0; row < out.value.length / length; row++) {
          if (positiveFirst) expect(out.value[row * length]).toBeGreaterThan(0);
          for (let k = 1; k < length; k++) expect(out.value[row * length + k]).toBeGreaterThan(out.value[row * length + k - 1]);
        }
        const back = tf.tidy(() => Array.from(bijector.inverse(tf.tensor(out.value, out.shape), shape, {}).dataSync()));
        u.forEach((x, i) => expect(Math.abs(back[i] - x)).toBeLessThan(2e-4 * (1 + Math.abs(x))));
        const numeric = numericLogDet((t) => tf.reshape(bijector.forward(t, shape, {}).value, [CHAINS, n]) as Tensor2D, u, CHAINS, n);
        numeric.forEach((expected, chain) => expect(Math.abs(out.logDet[chain] - expected)).toBeLessThan(2e-4));
      });
    }
  }

  it('extreme inputs give finite values, log |det J| and gradients', () => {
    for (const bijector of [ordered(), positiveOrdered()]) {
      const u = [30, -30, 30, -30, 30, -30];
      const out = forwardData(bijector, u, [3]);
      out.value.forEach((x) => expect(Number.isFinite(x)).toBe(true));
      out.logDet.forEach((x) => expect(Number.isFinite(x)).toBe(true));
      const grad = tf.tidy(() =>
        Array.from(
          tf.grad((t: Tensor) => {
            const r = bijector.forward(t as Tensor2D, [3], {});
            return tf.add(tf.sum(r.value), tf.sum(r.logDetJacobian));
          })(tf.tensor2d(u, [2, 3])).dataSync(),
        ),
      );
      grad.forEach((g) => expect(Number.isFinite(g)).toBe(true));
    }
  });

  it('rejects scalars', () => {
    expect(() => ordered().unconstrainedSize([])).toThrow(/non-empty axis/);
  });
});

describe('simplex (stick-breaking)', () => {
  it('has K - 1 free coordinates per row, and u = 0 is the uniform simplex', () => {
    const bijector = simplex();
    expect(bijector.unconstrainedSize([4])).toBe(3);
    expect(bijector.unconstrainedSize([3, 4])).toBe(9);
    expect(() => bijector.unconstrainedSize([1])).toThrow(/size >= 2/);
    const out = forwardData(bijector, new Array(CHAINS * 3).fill(0), [4]);
    out.value.forEach((x) => expect(x).toBeCloseTo(0.25, 6));
  });

  for (const shape of [[2], [4], [3, 4]]) {
    it(`shape [${shape}]: rows on the simplex, round trip, log |det J| of u -> first K - 1 coordinates`, () => {
      const bijector = simplex();
      const n = bijector.unconstrainedSize(shape);
      const length = shape[shape.length - 1];
      const rows = n / (length - 1);
      const u = normals(n + 5, CHAINS * n, 1.5);
      const out = forwardData(bijector, u, shape);
      expect(out.shape).toEqual([CHAINS, ...shape]);
      for (let row = 0; row < CHAINS * rows; row++) {
        const entries = out.value.slice(row * length, (row + 1) * length);
        entries.forEach((x) => expect(x).toBeGreaterThan(0));
        expect(Math.abs(entries.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-6);
      }
      const back = tf.tidy(() => Array.from(bijector.inverse(tf.tensor(out.value, out.shape), shape, {}).dataSync()));
      u.forEach((x, i) => expect(Math.abs(back[i] - x)).toBeLessThan(2e-4 * (1 + Math.abs(x))));
      // The map u (R (K-1)) -> x[..., :K-1] (R (K-1)); the last coordinate of each row is determined.
      const firstCoordinates = (t: Tensor2D) => {
        const value = bijector.forward(t, shape, {}).value;
        const [head] = tf.split(value, [length - 1, 1], value.rank - 1);
        return tf.reshape(head, [CHAINS, n]) as Tensor2D;
      };
      const numeric = numericLogDet(firstCoordinates, u, CHAINS, n);
      numeric.forEach((expected, chain) => expect(Math.abs(out.logDet[chain] - expected)).toBeLessThan(2e-4));
    });
  }

  it('extreme inputs (+-30) give a finite simplex, finite log |det J| and finite gradients', () => {
    const bijector = simplex();
    const u = [30, -30, 30, -30, 30, -30, 30, 30, 30, -30, -30, -30];
    const out = forwardData(bijector, u, [5]);
    for (let chain = 0; chain < 3; chain++) {
      const entries = out.value.slice(chain * 5, chain * 5 + 5);
      entries.forEach((x) => expect(x >= 0 && Number.isFinite(x)).toBe(true));
      expect(Math.abs(entries.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-6);
      expect(Number.isFinite(out.logDet[chain])).toBe(true);
    }
    const grad = tf.tidy(() =>
      Array.from(
        tf.grad((t: Tensor) => {
          const r = bijector.forward(t as Tensor2D, [5], {});
          return tf.add(tf.sum(tf.square(r.value)), tf.sum(r.logDetJacobian));
        })(tf.tensor2d(u, [3, 4])).dataSync(),
      ),
    );
    grad.forEach((g) => expect(Number.isFinite(g)).toBe(true));
  });
});

describe('housekeeping', () => {
  it('the constraints namespace exposes every constructor', () => {
    expect(Object.keys(constraints).sort()).toEqual(
      ['affine', 'interval', 'lowerBound', 'ordered', 'positive', 'positiveOrdered', 'positiveSoftplus', 'real', 'simplex', 'unitInterval', 'upperBound'].sort(),
    );
    expect(constraints.positive().name).toBe('positive');
  });

  it('forward and inverse leave only their results alive', () => {
    const u = tf.tensor2d([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]);
    const alpha = tf.tensor2d([[0.2], [0.3]]);
    const before = liveTensorCount();
    const results: Tensor[] = [];
    for (const bijector of [real(), positive(), positiveSoftplus(), interval(0, (p) => tf.sub(1, p.alpha)), ordered(), simplex()]) {
      const shape = bijector.name === 'simplex' ? [4] : [3];
      const forward = bijector.forward(u, shape, { alpha });
      results.push(forward.value, forward.logDetJacobian, bijector.inverse(forward.value, shape, { alpha }));
    }
    expect(liveTensorCount()).toBe(before + results.length);
    tf.dispose([...results, u, alpha]);
  });
});

describe('host forms of the elementwise bijectors', () => {
  // Each host form is the tensor bijector's map in float64: value and log f' equal the tensor
  // forward up to float32 rounding (1e-5 relative); f' and d/du log f' equal central differences
  // of the host value and log f' (step 1e-5, truncation O(h^2) ~ 1e-10, so 1e-6 relative + 1e-8).
  const cases: [string, Bijector][] = [
    ['real', real()],
    ['positive', positive()],
    ['lowerBound(-2)', lowerBound(-2)],
    ['upperBound(3)', upperBound(3)],
    ['interval(-1, 4)', interval(-1, 4)],
    ['unitInterval', unitInterval()],
    ['affine(1, 2.5)', affine(1, 2.5)],
  ];
  for (const [label, bijector] of cases) {
    it(`${label}: host value, log-Jacobian and derivatives match the tensor map and finite differences`, () => {
      const host = bijector.host;
      expect(host).toBeDefined();
      if (!host) return;
      const inputs = [-3.1, -1.2, -0.3, 0, 0.4, 1.7, 2.9];
      const result = tf.tidy(() => {
        const forward = bijector.forward(tf.tensor2d(inputs, [1, inputs.length]), [inputs.length], {});
        return { value: Array.from(forward.value.dataSync()), logDet: forward.logDetJacobian.dataSync()[0] };
      });
      let logDet = 0;
      inputs.forEach((u, i) => {
        const value = host.value(u);
        expect(Math.abs(value - result.value[i])).toBeLessThan(1e-5 * (1 + Math.abs(value)));
        expect(Math.abs(host.inverse(value) - u)).toBeLessThan(1e-9 * (1 + Math.abs(u)));
        logDet += host.logDerivative(u);
        const h = 1e-5;
        const slope = (host.value(u + h) - host.value(u - h)) / (2 * h);
        expect(Math.abs(host.derivative(u) - slope)).toBeLessThan(1e-6 * Math.abs(slope) + 1e-8);
        const logSlope = (host.logDerivative(u + h) - host.logDerivative(u - h)) / (2 * h);
        expect(Math.abs(host.logDerivativeSlope(u) - logSlope)).toBeLessThan(1e-6 * Math.abs(logSlope) + 1e-8);
      });
      expect(Math.abs(logDet - result.logDet)).toBeLessThan(1e-5 * (1 + Math.abs(logDet)));
    });
  }

  it('bijectors with dependent bounds or non-elementwise maps have no host form', () => {
    expect(interval(0, (p) => p.x).host).toBeUndefined();
    expect(simplex().host).toBeUndefined();
    expect(ordered().host).toBeUndefined();
  });
});
