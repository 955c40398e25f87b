/**
 * The 11 posteriordb models (models/posteriordb/) against independent float64 host implementations
 * of each model.md (constraint transforms and log-Jacobians written out here, not taken from
 * src/bijectors): the compiled log density at several unconstrained points, its gradient against
 * central differences of the host density, the constrained values and the derived quantities.
 * Every model runs on small synthetic data (no ../shared needed); with ../shared/posteriordb present
 * each also runs on its real data at the reference posterior means and at points around them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, type CompiledModel } from '../src/ppl/index.js';
import { createRng, initBackend, liveTensorCount, type Rng } from '../src/tensor/index.js';
import { posteriordbModels, type PosteriorData } from '../models/posteriordb/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SHARED = `${ROOT}../shared/posteriordb`;
const HAVE_SHARED = existsSync(SHARED);
if (!HAVE_SHARED) console.warn(`posteriordb.models.test: ${SHARED} is absent; testing on synthetic data only`);

const LOG_2PI = Math.log(2 * Math.PI);
const softplus = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
const logistic = (x: number) => 1 / (1 + Math.exp(-x));

function lgammaHost(x: number): number {
  // Lanczos (g = 7, n = 9), x > 0.
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgammaHost(1 - x);
  const z = x - 1;
  let s = c[0];
  for (let i = 1; i < 9; i++) s += c[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

const normal = (x: number, m: number, s: number) => -0.5 * ((x - m) / s) ** 2 - Math.log(s) - 0.5 * LOG_2PI;
const halfCauchy = (x: number, s: number) => Math.log(2 / Math.PI) - Math.log(s) - Math.log1p((x / s) ** 2);
const halfNormal = (x: number, s: number) => Math.log(2) + normal(x, 0, s);
const studentT = (x: number, nu: number, m: number, s: number) =>
  lgammaHost((nu + 1) / 2) - lgammaHost(nu / 2) - 0.5 * Math.log(nu * Math.PI) - Math.log(s) - ((nu + 1) / 2) * Math.log1p(((x - m) / s) ** 2 / nu);
const gammaRate = (x: number, a: number, b: number) => a * Math.log(b) - lgammaHost(a) + (a - 1) * Math.log(x) - b * x;
const betaDensity = (x: number, a: number, b: number) =>
  (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - (lgammaHost(a) + lgammaHost(b) - lgammaHost(a + b));
function logSumExp(values: number[]): number {
  const m = Math.max(...values);
  return m + Math.log(values.reduce((s, v) => s + Math.exp(v - m), 0));
}

type Values = Record<string, number[]>;

/** Reads unconstrained coordinates in order and records constrained values and the log-Jacobian. */
class Unconstrainer {
  private offset = 0;
  logJacobian = 0;
  readonly values: Values = {};
  constructor(private readonly u: ArrayLike<number>) {}
  private take(count: number): number[] {
    const out = Array.from({ length: count }, (_, i) => this.u[this.offset + i]);
    this.offset += count;
    return out;
  }
  real(name: string, size = 1): number[] {
    return (this.values[name] = this.take(size));
  }
  positive(name: string, size = 1): number[] {
    const u = this.take(size);
    u.forEach((v) => (this.logJacobian += v));
    return (this.values[name] = u.map(Math.exp));
  }
  interval(name: string, lower: number, upper: number): number {
    const [v] = this.take(1);
    this.logJacobian += Math.log(upper - lower) - softplus(v) - softplus(-v);
    return (this.values[name] = [lower + (upper - lower) * logistic(v)])[0];
  }
  ordered(name: string): number[] {
    const [a, b] = this.take(2);
    this.logJacobian += b;
    return (this.values[name] = [a, a + Math.exp(b)]);
  }
  positiveOrdered(name: string): number[] {
    const [a, b] = this.take(2);
    this.logJacobian += a + b;
    return (this.values[name] = [Math.exp(a), Math.exp(a) + Math.exp(b)]);
  }
  simplex2(name: string): number[] {
    const [v] = this.take(1);
    const p = logistic(v);
    this.logJacobian += -softplus(-v) - softplus(v);
    return (this.values[name] = [p, 1 - p]);
  }
}

const num = (data: PosteriorData, field: string) => data[field] as number;
const vec = (data: PosteriorData, field: string) => data[field] as number[];

interface HostModel {
  /** Parameter names in declaration order, as in the compiled layout. */
  readonly parameters: readonly string[];
  /** Unconstrained log density at u (log p(constrain(u)) + log |J|), with the constrained values. */
  density(data: PosteriorData, u: ArrayLike<number>): { logDensity: number; values: Values };
  generated?(data: PosteriorData, values: Values): Values;
}

function hostCholesky(a: number[][]): number[][] {
  const n = a.length;
  const l = a.map(() => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    let d = a[j][j];
    for (let k = 0; k < j; k++) d -= l[j][k] ** 2;
    l[j][j] = Math.sqrt(d);
    for (let i = j + 1; i < n; i++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      l[i][j] = s / l[j][j];
    }
  }
  return l;
}

function gpLatent(data: PosteriorData, values: Values): number[] {
  const x = vec(data, 'x');
  const [alpha] = values.alpha;
  const [rho] = values.rho;
  const cov = x.map((xi, i) => x.map((xj, j) => alpha * alpha * Math.exp(-((xi - xj) ** 2) / (2 * rho * rho)) + (i === j ? 1e-10 : 0)));
  const l = hostCholesky(cov);
  return l.map((row) => row.reduce((s, v, j) => s + v * values.f_tilde[j], 0));
}

function regression(y: number[], rows: number[][], beta: number[], sigma: number, intercept = 0): number {
  return y.reduce((s, yn, n) => s + normal(yn, intercept + rows[n].reduce((m, x, k) => m + x * beta[k], 0), sigma), 0);
}

const hostModels: Record<string, HostModel> = {
  'eight_schools-eight_schools_noncentered': {
    parameters: ['theta_trans', 'mu', 'tau'],
    density(data, u) {
      const J = num(data, 'J');
      const t = new Unconstrainer(u);
      const z = t.real('theta_trans', J);
      const [mu] = t.real('mu');
      const [tau] = t.positive('tau');
      let lp = z.reduce((s, v) => s + normal(v, 0, 1), 0) + normal(mu, 0, 5) + halfCauchy(tau, 5);
      z.forEach((v, j) => (lp += normal(vec(data, 'y')[j], mu + tau * v, vec(data, 'sigma')[j])));
      return { logDensity: lp + t.logJacobian, values: t.values };
    },
    generated: (_data, v) => ({ theta: v.theta_trans.map((z) => v.mu[0] + v.tau[0] * z) }),
  },
  'eight_schools-eight_schools_centered': {
    parameters: ['mu', 'tau', 'theta'],
    density(data, u) {
      const J = num(data, 'J');
      const t = new Unconstrainer(u);
      const [mu] = t.real('mu');
      const [tau] = t.positive('tau');
      const theta = t.real('theta', J);
      let lp = normal(mu, 0, 5) + halfCauchy(tau, 5);
      theta.forEach((v, j) => (lp += normal(v, mu, tau) + normal(vec(data, 'y')[j], v, vec(data, 'sigma')[j])));
      return { logDensity: lp + t.logJacobian, values: t.values };
    },
  },
  'diamonds-diamonds': {
    parameters: ['b', 'Intercept', 'sigma'],
    density(data, u) {
      const X = data.X as number[][];
      const K = num(data, 'K');
      const means = Array.from({ length: K - 1 }, (_, k) => X.reduce((s, row) => s + row[k + 1], 0) / X.length);
      const rows = X.map((row) => means.map((m, k) => row[k + 1] - m));
      const t = new Unconstrainer(u);
      const b = t.real('b', K - 1);
      const [intercept] = t.real('Intercept');
      const [sigma] = t.positive('sigma');
      let lp = b.reduce((s, v) => s + normal(v, 0, 1), 0) + studentT(intercept, 3, 8, 10) + Math.log(2) + studentT(sigma, 3, 0, 10);
      lp += regression(vec(data, 'Y'), rows, b, sigma, intercept);
      return { logDensity: lp + t.logJacobian, values: t.values };
    },
  },
  'nes2000-nes': {
    parameters: ['beta', 'sigma'],
    density(data, u) {
      const f = (name: string) => vec(data, name);
      const rows = f('partyid7').map((_, n) => [
        1,
        f('real_ideo')[n],
        f('race_adj')[n],
        f('age_discrete')[n] === 2 ? 1 : 0,
        f('age_discrete')[n] === 3 ? 1 : 0,
        f('age_discrete')[n] === 4 ? 1 : 0,
        f('educ1')[n],
        f('gender')[n],
        f('income')[n],
      ]);
      const t = new Unconstrainer(u);
      const beta = t.real('beta', 9);
      const [sigma] = t.positive('sigma');
      return { logDensity: regression(f('partyid7'), rows, beta, sigma) + t.logJacobian, values: t.values };
    },
  },
  'kidiq-kidscore_interaction': {
    parameters: ['beta', 'sigma'],
    density(data, u) {
      const hs = vec(data, 'mom_hs');
      const iq = vec(data, 'mom_iq');
      const rows = hs.map((h, n) => [1, h, iq[n], h * iq[n]]);
      const t = new Unconstrainer(u);
      const beta = t.real('beta', 4);
      const [sigma] = t.positive('sigma');
      const lp = halfCauchy(sigma, 2.5) + regression(vec(data, 'kid_score'), rows, beta, sigma);
      return { logDensity: lp + t.logJacobian, values: t.values };
    },
  },
  'garch-garch11': {
    parameters: ['mu', 'alpha0', 'alpha1', 'beta1'],
    density(data, u) {
      const y = vec(data, 'y');
      const t = new Unconstrainer(u);
      const [mu] = t.real('mu');
      const [alpha0] = t.positive('alpha0');
      const alpha1 = t.interval('alpha1', 0, 1);
      const beta1 = t.interval('beta1', 0, 1 - alpha1);
      let s = num(data, 'sigma1');
      let lp = normal(y[0], mu, s);
      for (let i = 1; i < y.length; i++) {
        s = Math.sqrt(alpha0 + alpha1 * (y[i - 1] - mu) ** 2 + beta1 * s * s);
        lp += normal(y[i], mu, s);
      }
      return { logDensity: lp + t.logJacobian, values: t.values };
    },
  },
  'arK-arK': {
    parameters: ['alpha', 'beta', 'sigma'],
    density(data, u) {
      const K = num(data, 'K');
      const y = vec(data, 'y');
      const t = new Unconstrainer(u);
      const [alpha] = t.real('alpha');
      const beta = t.real('beta', K);
      const [sigma] = t.positive('sigma');
      let lp = normal(alpha, 0, 10) + beta.reduce((s, v) => s + normal(v, 0, 10), 0) + halfCauchy(sigma, 2.5);
      for (let i = K; i < y.length; i++) {
        let mean = alpha;
        for (let k = 1; k <= K; k++) mean += beta[k - 1] * y[i - k];
        lp += normal(y[i], mean, sigma);
      }
      return { logDensity: lp + t.logJacobian, values: t.values };
    },
  },
  'arma-arma11': {
    parameters: ['mu', 'phi', 'theta', 'sigma'],
    density(data, u) {
      const y = vec(data, 'y');
      const t = new Unconstrainer(u);
      const [mu] = t.real('mu');
      const [phi] = t.real('phi');
      const [theta] = t.real('theta');
      const [sigma] = t.positive('sigma');
      let lp = normal(mu, 0, 10) + normal(phi, 0, 2) + normal(theta, 0, 2) + halfCauchy(sigma, 2.5);
      let err = y[0] - (mu + phi * mu);
      lp += normal(err, 0, sigma);
      for (let i = 1; i < y.length; i++) {
        err = y[i] - (mu + phi * y[i - 1] + theta * err);
        lp += normal(err, 0, sigma);
      }
      return { logDensity: lp + t.logJacobian, values: t.values };
    },
  },
  'low_dim_gauss_mix-low_dim_gauss_mix': {
    parameters: ['mu', 'sigma', 'theta'],
    density(data, u) {
      const t = new Unconstrainer(u);
      const mu = t.ordered('mu');
      const sigma = t.positive('sigma', 2);
      const theta = t.interval('theta', 0, 1);
      let lp = mu.reduce((s, v) => s + normal(v, 0, 2), 0) + sigma.reduce((s, v) => s + halfNormal(v, 2), 0) + betaDensity(theta, 5, 5);
      for (const y of vec(data, 'y')) {
        lp += logSumExp([Math.log(theta) + normal(y, mu[0], sigma[0]), Math.log(1 - theta) + normal(y, mu[1], sigma[1])]);
      }
      return { logDensity: lp + t.logJacobian, values: t.values };
    },
  },
  'gp_pois_regr-gp_pois_regr': {
    parameters: ['rho', 'alpha', 'f_tilde'],
    density(data, u) {
      const k = vec(data, 'k');
      const t = new Unconstrainer(u);
      const [rho] = t.positive('rho');
      const [alpha] = t.positive('alpha');
      const fTilde = t.real('f_tilde', k.length);
      let lp = gammaRate(rho, 25, 4) + halfNormal(alpha, 2) + fTilde.reduce((s, v) => s + normal(v, 0, 1), 0);
      gpLatent(data, t.values).forEach((f, i) => (lp += k[i] * f - Math.exp(f) - lgammaHost(k[i] + 1)));
      return { logDensity: lp + t.logJacobian, values: t.values };
    },
    generated: (data, values) => ({ f: gpLatent(data, values) }),
  },
  'hmm_example-hmm_example': {
    parameters: ['theta1', 'theta2', 'mu'],
    density(data, u) {
      const y = vec(data, 'y');
      const t = new Unconstrainer(u);
      const theta1 = t.simplex2('theta1');
      const theta2 = t.simplex2('theta2');
      const mu = t.positiveOrdered('mu');
      const A = [theta1, theta2]; // A[j][k] = P(k | j)
      let g = mu.map((m) => normal(y[0], m, 1));
      for (let i = 1; i < y.length; i++) {
        g = mu.map((m, k) => logSumExp(g.map((gj, j) => gj + Math.log(A[j][k]))) + normal(y[i], m, 1));
      }
      const lp = normal(mu[0], 3, 1) + normal(mu[1], 10, 1) + logSumExp(g);
      return { logDensity: lp + t.logJacobian, values: t.values };
    },
  },
};

/** Small synthetic data sets with the fields each model.md lists. */
function syntheticData(name: string, rng: Rng): PosteriorData {
  const normals = (n: number, scale = 1, shift = 0) => Array.from({ length: n }, () => shift + scale * rng.normal());
  const integers = (n: number, lo: number, hi: number) => Array.from({ length: n }, () => lo + Math.floor(rng.uniform() * (hi - lo + 1)));
  const series = (n: number, a: number, scale: number) => {
    const out: number[] = [];
    let v = 0;
    for (let t = 0; t < n; t++) out.push((v = a * v + scale * rng.normal()));
    return out;
  };
  switch (name) {
    case 'eight_schools-eight_schools_noncentered':
    case 'eight_schools-eight_schools_centered':
      return { J: 8, y: normals(8, 12, 6), sigma: Array.from({ length: 8 }, () => 9 + 9 * rng.uniform()) };
    case 'diamonds-diamonds': {
      const N = 150;
      const K = 6;
      const X = Array.from({ length: N }, () => {
        const base = rng.normal();
        return [1, ...Array.from({ length: K - 1 }, (_, k) => base * (k + 1) + 0.3 * rng.normal())];
      });
      return { N, K, X, Y: X.map((row) => 7.5 + 0.4 * row[1] + 0.2 * rng.normal()), prior_only: 0 };
    }
    case 'nes2000-nes': {
      const N = 60;
      return {
        N,
        partyid7: integers(N, 1, 7),
        real_ideo: integers(N, 1, 7),
        race_adj: integers(N, 0, 2).map((v) => 1 + v / 2),
        age_discrete: integers(N, 1, 4),
        educ1: integers(N, 1, 4),
        gender: integers(N, 1, 2),
        income: integers(N, 1, 5),
        year: new Array(N).fill(2000),
      };
    }
    case 'kidiq-kidscore_interaction': {
      const N = 50;
      const hs = integers(N, 0, 1);
      const iq = normals(N, 15, 100);
      return { N, kid_score: iq.map((q, n) => 20 + 10 * hs[n] + 0.6 * q + 15 * rng.normal()), mom_hs: hs, mom_iq: iq, mom_hs_new: 1, mom_iq_new: 100 };
    }
    case 'garch-garch11':
      return { T: 50, y: series(50, 0.3, 0.8).map((v) => v + 5), sigma1: 0.5 };
    case 'arK-arK':
      return { K: 3, T: 45, y: series(45, 0.6, 1) };
    case 'arma-arma11':
      return { T: 45, y: series(45, 0.9, 1) };
    case 'low_dim_gauss_mix-low_dim_gauss_mix': {
      const N = 150; // not a multiple of the 100-point block: exercises the padding
      return { N, y: Array.from({ length: N }, () => (rng.uniform() < 0.4 ? -0.7 + 0.8 * rng.normal() : 1.2 + 1.1 * rng.normal())) };
    }
    case 'gp_pois_regr-gp_pois_regr': {
      const x = [-10, -6, -2, 2, 6, 10];
      return { N: 6, x, k: integers(6, 0, 30), y: normals(6) };
    }
    case 'hmm_example-hmm_example':
      return { N: 40, K: 2, y: Array.from({ length: 40 }, (_, t) => (Math.floor(t / 7) % 2 === 0 ? 3 : 9) + rng.normal()) };
    default:
      throw new Error(`no synthetic data for ${name}`);
  }
}

function hostDensity(host: HostModel, data: PosteriorData, u: ArrayLike<number>): number {
  return host.density(data, u).logDensity;
}

/**
 * The compiled model against the host density at `positions` ([points, dim]): log density (float32
 * with float64 partial sums: relative 2e-5 plus 1e-2, the float32 budget of up to ~1e4 terms),
 * gradient against central differences of the host (h = 1e-5 scaled to the coordinate; tolerance
 * 2e-3 relative plus 1e-4 of the largest gradient component, float32 rounding of sums of many terms),
 * constrained values and derived quantities. `gradientSlack` is the absolute part of the gradient
 * tolerance.
 */
function checkModel(name: string, data: PosteriorData, positions: Float64Array, points: number, gradientSlack = 1e-3): void {
  const host = hostModels[name];
  const before = liveTensorCount();
  const definition = posteriordbModels[name](data);
  const model: CompiledModel = compile(definition);
  expect(model.layout.map((p) => p.name)).toEqual(host.parameters);
  const dim = model.dim;
  const { logDensity, gradient } = model.evaluate(positions, points);
  for (let c = 0; c < points; c++) {
    const u = positions.subarray(c * dim, (c + 1) * dim);
    const expected = hostDensity(host, data, u);
    expect(Number.isFinite(expected)).toBe(true);
    expect(Math.abs(logDensity[c] - expected), `log density at point ${c}: ${logDensity[c]} vs ${expected}`).toBeLessThan(2e-5 * Math.abs(expected) + 1e-2);
    const numeric = new Float64Array(dim);
    for (let d = 0; d < dim; d++) {
      const h = 1e-5 * Math.max(1, Math.abs(u[d]));
      const up = Float64Array.from(u);
      const down = Float64Array.from(u);
      up[d] += h;
      down[d] -= h;
      numeric[d] = (hostDensity(host, data, up) - hostDensity(host, data, down)) / (2 * h);
    }
    const scale = numeric.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    for (let d = 0; d < dim; d++) {
      const got = gradient[c * dim + d];
      expect(Math.abs(got - numeric[d]), `gradient ${d} at point ${c}: ${got} vs ${numeric[d]}`).toBeLessThan(2e-3 * Math.abs(numeric[d]) + 1e-4 * scale + gradientSlack);
    }
    const constrained = model.constrain(u.slice(), 1);
    const { values } = host.density(data, u);
    for (const [param, expectedValues] of Object.entries(values)) {
      expectedValues.forEach((v, i) => expect(Math.abs(constrained[param][i] - v)).toBeLessThan(1e-5 * Math.abs(v) + 1e-6));
    }
    if (host.generated) {
      const generated = model.generated(constrained, createRng(0, 'generated'));
      const hostGenerated = host.generated(data, values);
      for (const [quantity, expectedValues] of Object.entries(hostGenerated)) {
        const got = generated[quantity] as ArrayLike<number>;
        expect(got.length).toBe(expectedValues.length);
        // Derived from float32 constrained values: relative 1e-5.
        expectedValues.forEach((v, i) => expect(Math.abs(got[i] - v)).toBeLessThan(1e-5 * Math.abs(v) + 1e-5));
      }
    } else {
      expect(Object.keys(model.generated(constrained, createRng(0, 'generated')))).toEqual([]);
    }
  }
  model.dispose();
  expect(liveTensorCount()).toBe(before);
}

beforeAll(async () => {
  await initBackend();
});

describe('posteriordb models on synthetic data', () => {
  it('the index has a model and a host implementation for each of the 11 posteriors', () => {
    expect(Object.keys(posteriordbModels).sort()).toEqual(Object.keys(hostModels).sort());
    expect(Object.keys(posteriordbModels)).toHaveLength(11);
  });

  for (const name of Object.keys(hostModels)) {
    it(`${name}: log density, gradient, constrained values, derived quantities`, () => {
      const rng = createRng(11, name);
      const data = syntheticData(name, rng);
      const dim = compile(posteriordbModels[name](data)).dim;
      const points = 3;
      const positions = Float64Array.from({ length: points * dim }, () => 2 * rng.uniform() - 1);
      checkModel(name, data, positions, points);
    });
  }
});

interface Reference {
  readonly parameter_names: readonly string[];
  readonly unconstrained_dimension: number;
  readonly parameters: Readonly<Record<string, { readonly mean: number; readonly sd: number }>>;
}

describe.skipIf(!HAVE_SHARED)('posteriordb models on the shared data, around the reference posterior means', () => {
  for (const name of Object.keys(hostModels)) {
    it(`${name}`, () => {
      const data = JSON.parse(readFileSync(`${SHARED}/${name}/data.json`, 'utf8')) as PosteriorData;
      const reference = JSON.parse(readFileSync(`${SHARED}/${name}/reference.json`, 'utf8')) as Reference;
      const model = compile(posteriordbModels[name](data));
      expect(model.dim).toBe(reference.unconstrained_dimension);
      // Constrained values at the reference means (f_tilde of gp_pois_regr is not in the reference: 0).
      const initial: Record<string, number[]> = {};
      for (const p of model.layout) {
        initial[p.name] = Array.from({ length: p.size }, (_, i) => {
          const flat = p.shape.length === 0 ? p.name : `${p.name}[${i + 1}]`;
          return reference.parameters[flat]?.mean ?? 0;
        });
      }
      const center = model.unconstrain(initial);
      model.dispose();
      const rng = createRng(12, name);
      const points = 3;
      const positions = new Float64Array(points * center.length);
      for (let c = 0; c < points; c++) {
        for (let d = 0; d < center.length; d++) positions[c * center.length + d] = center[d] + (c === 0 ? 0 : 0.05 * rng.normal());
      }
      // diamonds near its mode: each gradient coordinate is a float32 sum of 5000 terms of size ~4
      // (x r / sigma^2, sigma 0.12) that cancel to O(1), and r itself carries float32 error from
      // cancelling terms of Xc b up to ~40, so the error is ~sqrt(5000) * 4 * 4e-5 = 0.01; 0.05 is
      // below 1e-3 of the gradient scale 1 / sd of every coefficient (posterior sds <= 0.33).
      checkModel(name, data, positions, points, name === 'diamonds-diamonds' ? 0.05 : 1e-3);
      // Every reference quantity is a parameter or a derived quantity of the model.
      const names = new Set([...model.parameterNames]);
      const generated = model.generated(model.constrain(center, 1), createRng(0, 'generated'));
      for (const [quantity, value] of Object.entries(generated)) {
        const length = typeof value === 'number' ? 1 : value.length;
        for (let i = 0; i < length; i++) names.add(typeof value === 'number' ? quantity : `${quantity}[${i + 1}]`);
      }
      for (const quantity of reference.parameter_names) expect(names.has(quantity), quantity).toBe(true);
    });
  }
});
