/**
 * Every registered media transform kind (models/mmm/components/adstock, saturation) against its
 * definition, written out here, and its own derivatives: a new kind is checked by adding its
 * definition below. Adstock: normalized weights equal the definition's, the weights' vector-Jacobian
 * product matches central differences, and a kind's recursion (the kernel's fast path) equals the
 * lag sum and has the gradient of the lag sum, masked stretches of zero media included. Saturation:
 * the scalar curve equals the definition (and its bound form equals it to the bit), its slope and
 * scalar backward match central differences, the tensor form (where a kind has one) equals it to
 * float32,
 * the kernel's rows equal the scalar curve (the rows use fast exp/log: a few ulp) and their
 * backward equals the scalar backward summed over cells. The transform order (adstock then
 * saturation, or saturation then adstock with a per-period multiplier) against its definition, and the
 * per-channel kinds' parameter layout.
 */
import { describe, expect, it } from 'vitest';
import { ADSTOCK_KINDS, applyAdstock, type AdstockKind } from '../models/mmm/components/adstock/index.js';
import { SATURATION_KINDS, type SaturationKind, type SaturationOptions } from '../models/mmm/components/saturation/index.js';
import type { Support } from '../models/mmm/components/types.js';
import { transformRows } from '../models/mmm/components/transformKinds.js';
import { channelTransform, transformSeries } from '../models/mmm/components/mediaTransform.js';
import { DEFAULT_MODEL_CONFIG, type MmmModelConfig } from '../models/mmm/config.js';
import { createRng, initBackend, tf, type Rng } from '../src/tensor/index.js';

const MAX_LAG = 8;

/** Unnormalized weight of lag l at the kind's parameter values (the kind's definition). */
const adstockDefinitions: Record<string, (p: readonly number[], l: number) => number> = {
  geometric: ([alpha], l) => Math.pow(alpha, l),
  delayed: ([alpha, theta], l) => Math.pow(alpha, (l - theta) ** 2),
  weibull: ([shape, scale], l) => (shape / scale) * Math.pow((l + 1) / scale, shape - 1) * Math.exp(-Math.pow((l + 1) / scale, shape)),
  binomial: ([alpha], l) => Math.pow(1 - l / MAX_LAG, 1 / alpha - 1),
};

/** h(a) at the kind's parameter values (the kind's definition). */
const saturationDefinitions: Record<string, (p: readonly number[], a: number, options: SaturationOptions) => number> = {
  hill: ([k, s], a, options) => {
    const slope = options.fixedSlope ?? s;
    return a ** slope / (a ** slope + k ** slope);
  },
  michaelisMenten: ([k], a) => a / (a + k),
  logistic: ([lambda], a) => (1 - Math.exp(-lambda * a)) / (1 + Math.exp(-lambda * a)),
};

function draw(support: Support, rng: Rng): number {
  switch (support.kind) {
    case 'unit': return 0.25 + 0.6 * rng.uniform();
    case 'positive': return 0.5 + 1.5 * rng.uniform();
    case 'real': return rng.normal();
    case 'interval': return support.lower + (0.1 + 0.8 * rng.uniform()) * (support.upper - support.lower);
  }
}

describe('adstock kinds', () => {
  for (const [type, kind] of Object.entries(ADSTOCK_KINDS) as [string, AdstockKind][]) {
    it(`${type}: weights equal the definition and sum to 1; their VJP matches central differences`, () => {
      const definition = adstockDefinitions[type];
      expect(definition, `add the definition of adstock "${type}" to this test`).toBeDefined();
      const rng = createRng(1, type);
      for (let trial = 0; trial < 5; trial++) {
        const p = kind.parameters.map((q) => draw(q.support(MAX_LAG), rng));
        const weights = new Float64Array(MAX_LAG);
        kind.weights(p, MAX_LAG, weights);
        const raw = Array.from({ length: MAX_LAG }, (_, l) => definition(p, l));
        const total = raw.reduce((a, b) => a + b, 0);
        weights.forEach((w, l) => expect(Math.abs(w - raw[l] / total)).toBeLessThan(1e-13));
        expect(Math.abs(weights.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-14);
        const wBar = Float64Array.from({ length: MAX_LAG }, () => rng.normal());
        const pBar = new Float64Array(p.length);
        kind.weightsBackward(p, MAX_LAG, weights, 0, wBar, 0, pBar);
        p.forEach((value, j) => {
          const h = 1e-6 * Math.max(1, Math.abs(value));
          const objective = (x: number) => {
            const q = [...p];
            q[j] = x;
            const w = new Float64Array(MAX_LAG);
            kind.weights(q, MAX_LAG, w);
            return w.reduce((sum, wl, l) => sum + wBar[l] * wl, 0);
          };
          const numeric = (objective(value + h) - objective(value - h)) / (2 * h);
          expect(Math.abs(pBar[j] - numeric), `${kind.parameters[j].name}: ${pBar[j]} vs ${numeric}`).toBeLessThan(1e-7 * (Math.abs(numeric) + 1));
        });
      }
    });

    if (kind.recursion) {
      it(`${type}: the recursion equals the lag sum and has its gradient (masked stretches included)`, () => {
        const recursion = kind.recursion!;
        const rng = createRng(2, type);
        const G = 3;
        const T = 40;
        const N = G * T;
        // media with zero stretches longer than the maximum lag (masked cells) and isolated zeros
        const media = Float64Array.from({ length: N }, (_, n) => (n % T >= 10 && n % T < 22 ? 0 : rng.uniform() < 0.2 ? 0 : 0.5 + rng.uniform()));
        const active = new Uint8Array(N);
        for (let g = 0; g < G; g++) for (let t = 0; t < T; t++) for (let l = 0; l < MAX_LAG && l <= t; l++) if (media[g * T + t - l] !== 0) active[g * T + t] = 1;
        const p = kind.parameters.map((q) => draw(q.support(MAX_LAG), rng));
        const evaluate = (values: readonly number[]) => {
          const weights = new Float64Array(MAX_LAG);
          kind.weights(values, MAX_LAG, weights);
          const q = new Float64Array(recursion.constants);
          recursion.prepare(values, MAX_LAG, weights, 0, q);
          const adstocked = new Float64Array(N);
          recursion.forwardRows(media, active, 0, adstocked, 0, G, T, MAX_LAG, q);
          return { weights, q, adstocked };
        };
        const { weights, q, adstocked } = evaluate(p);
        for (let g = 0; g < G; g++) {
          const reference = applyAdstock(media.subarray(g * T, (g + 1) * T), weights, new Float64Array(T));
          for (let t = 0; t < T; t++) expect(Math.abs(adstocked[g * T + t] - reference[t])).toBeLessThan(1e-12 * (Math.abs(reference[t]) + 1));
        }
        const aBar = Float64Array.from({ length: N }, (_, n) => (active[n] ? rng.normal() : 0));
        const sums = new Float64Array(recursion.sums);
        for (let g = 0; g < G; g++) recursion.backwardRows(aBar, adstocked, media, active, 0, 0, g * T, T, MAX_LAG, q, sums);
        const pBar = new Float64Array(p.length);
        recursion.gradient(p, MAX_LAG, q, sums, pBar);
        p.forEach((value, j) => {
          const h = 1e-6 * Math.max(1, Math.abs(value));
          const objective = (x: number) => {
            const values = [...p];
            values[j] = x;
            return evaluate(values).adstocked.reduce((sum, a, n) => sum + aBar[n] * a, 0);
          };
          const numeric = (objective(value + h) - objective(value - h)) / (2 * h);
          expect(Math.abs(pBar[j] - numeric), `${kind.parameters[j].name}: ${pBar[j]} vs ${numeric}`).toBeLessThan(1e-6 * (Math.abs(numeric) + 1));
        });
      });
    }
  }
});

describe('saturation kinds', () => {
  for (const [type, kind] of Object.entries(SATURATION_KINDS) as [string, SaturationKind][]) {
    for (const options of type === 'hill' ? [{}, { fixedSlope: 1.7 }] : [{}]) {
      const label = `${type}${options.fixedSlope ? ' (fixed slope)' : ''}`;
      it(`${label}: the curve equals the definition; slope and scalar backward match central differences`, () => {
        const definition = saturationDefinitions[type];
        expect(definition, `add the definition of saturation "${type}" to this test`).toBeDefined();
        const rng = createRng(3, label);
        const parameters = kind.parameters(options);
        for (let trial = 0; trial < 5; trial++) {
          const p = parameters.map((q) => draw(q.support(MAX_LAG), rng));
          expect(kind.value(p, options, 0)).toBe(0);
          for (const a of [0.01, 0.3, 1, 2.5, 9]) {
            const h = kind.value(p, options, a);
            expect(Math.abs(h - definition(p, a, options))).toBeLessThan(1e-14);
            // the bound curve is the same arithmetic
            const curve = kind.bind(p, options);
            expect(curve.value(a)).toBe(h);
            expect(curve.slope(a, h)).toBe(kind.slope(p, options, a, h));
            const step = 1e-6 * a;
            const slope = (kind.value(p, options, a + step) - kind.value(p, options, a - step)) / (2 * step);
            expect(Math.abs(kind.slope(p, options, a, h) - slope)).toBeLessThan(1e-7 * (Math.abs(slope) + 1));
            const hBar = rng.normal();
            const pBar = new Float64Array(p.length);
            const aBar = kind.backward(p, options, a, h, hBar, pBar);
            expect(Math.abs(aBar - hBar * slope)).toBeLessThan(1e-7 * (Math.abs(hBar * slope) + 1));
            p.forEach((value, j) => {
              const dp = 1e-6 * Math.max(1, Math.abs(value));
              const at = (x: number) => {
                const q = [...p];
                q[j] = x;
                return hBar * kind.value(q, options, a);
              };
              const numeric = (at(value + dp) - at(value - dp)) / (2 * dp);
              expect(Math.abs(pBar[j] - numeric), `${parameters[j].name}: ${pBar[j]} vs ${numeric}`).toBeLessThan(1e-7 * (Math.abs(numeric) + 1));
            });
          }
        }
      });

      if (kind.tensor) {
        it(`${label}: the tensor form equals the scalar curve to float32`, async () => {
          await initBackend();
          const rng = createRng(5, label);
          const p = kind.parameters(options).map((q) => draw(q.support(MAX_LAG), rng));
          const levels = [0, 0.01, 0.3, 1, 2.5, 9];
          const values = tf.tidy(() => kind.tensor!(p.map((x) => tf.scalar(x)), options, tf.tensor1d(levels)).dataSync());
          // float32: ~1e-7 relative
          levels.forEach((a, i) => expect(Math.abs(values[i] - kind.value(p, options, a))).toBeLessThan(1e-6));
        });
      }

      it(`${label}: the kernel rows equal the scalar curve; their backward equals the scalar backward`, () => {
        const rng = createRng(4, label);
        const parameters = kind.parameters(options);
        const p = parameters.map((q) => draw(q.support(MAX_LAG), rng));
        const N = 60;
        const adstocked = Float64Array.from({ length: N }, (_, n) => (n % 7 === 0 ? 0 : 0.05 + 4 * rng.uniform()));
        const active = Uint8Array.from(adstocked, (a) => (a > 0 ? 1 : 0));
        const q = new Float64Array(kind.constants);
        kind.prepare(p, options, q);
        const saturated = new Float64Array(N);
        const logAdstocked = new Float64Array(N);
        kind.forwardRows(adstocked, saturated, logAdstocked, active, 0, 0, N, q);
        // fast exp/log: about 1.5 ulp each, so a few ulp of the result
        for (let n = 0; n < N; n++) expect(Math.abs(saturated[n] - kind.value(p, options, adstocked[n]))).toBeLessThan(1e-14);
        const hBar = Float64Array.from({ length: N }, (_, n) => (active[n] ? rng.normal() : 0));
        const bars = Float64Array.from(hBar);
        const sums = new Float64Array(kind.sums);
        // two geos' rows, as the kernel calls it
        kind.backwardRows(bars, saturated, adstocked, logAdstocked, 0, 0, N / 2, q, sums);
        kind.backwardRows(bars, saturated, adstocked, logAdstocked, 0, N / 2, N / 2, q, sums);
        const pBar = new Float64Array(p.length);
        kind.gradient(p, q, sums, pBar);
        const expected = new Float64Array(p.length);
        for (let n = 0; n < N; n++) {
          if (!active[n]) continue;
          const aBar = kind.backward(p, options, adstocked[n], saturated[n], hBar[n], expected);
          expect(Math.abs(bars[n] - aBar)).toBeLessThan(1e-12 * (Math.abs(aBar) + 1));
        }
        expected.forEach((e, j) => expect(Math.abs(pBar[j] - e)).toBeLessThan(1e-12 * (Math.abs(e) + 1)));
      });
    }
  }
});

describe('transform order and per-channel kinds (components/mediaTransform.ts, transformKinds.ts)', () => {
  const channels = ['tv', 'search', 'social'];
  const config: MmmModelConfig = {
    ...DEFAULT_MODEL_CONFIG,
    adstock: { type: 'geometric', maxLag: 4, byChannel: { tv: { type: 'delayed' } } },
    saturation: { type: 'hill', byChannel: { search: { type: 'michaelisMenten' }, social: { type: 'logistic' } } },
    order: { type: 'adstockThenSaturation', byChannel: { search: 'saturationThenAdstock' } },
  };
  // rows: alpha over every channel (geometric and delayed share it), theta over tv, k over tv and search, s over tv, lambda over social
  const values = {
    alpha: Float64Array.of(0.6, 0.3, 0.8),
    theta: Float64Array.of(1.5),
    k: Float64Array.of(0.9, 1.4),
    s: Float64Array.of(2.2),
    lambda: Float64Array.of(0.7),
  };

  it('lays the transform parameters out by name over the channels whose kind has them', () => {
    const rows = transformRows(config, channels).map((r) => [r.component, r.parameter.name, r.channels]);
    expect(rows).toEqual([
      ['adstock', 'alpha', ['tv', 'search', 'social']],
      ['adstock', 'theta', ['tv']],
      ['saturation', 'k', ['tv', 'search']],
      ['saturation', 's', ['tv']],
      ['saturation', 'lambda', ['social']],
    ]);
    // the single-kind model: every row over every channel, as before per-channel kinds
    expect(transformRows(DEFAULT_MODEL_CONFIG, channels).map((r) => [r.parameter.name, r.channels])).toEqual([['alpha', channels], ['k', channels], ['s', channels]]);
  });

  it('adstock then saturation is h(sum_l w_l x[t-l]); saturation then adstock is sum_l w_l r[t-l] h(x[t-l])', () => {
    const rng = createRng(3, 'order');
    const T = 12;
    const series = Float64Array.from({ length: T }, (_, t) => (t % 5 === 0 ? 0 : 2 * rng.uniform()));
    const reach = Float64Array.from({ length: T }, () => 0.5 + rng.uniform());
    for (let c = 0; c < channels.length; c++) {
      const transform = channelTransform(config, values, c, channels);
      const w = transform.weights;
      const h = (x: number) => transform.curve.value(x);
      const out = transformSeries(transform, series, new Float64Array(T), new Float64Array(T));
      for (let t = 0; t < T; t++) {
        let expected = 0;
        if (channels[c] === 'search') {
          expect(transform.order).toBe('saturationThenAdstock');
          for (let l = 0; l <= Math.min(t, 3); l++) expected += w[l] * h(series[t - l]);
        } else {
          let a = 0;
          for (let l = 0; l <= Math.min(t, 3); l++) a += w[l] * series[t - l];
          expected = h(a);
        }
        expect(Math.abs(out[t] - expected)).toBeLessThan(1e-14);
      }
      if (channels[c] === 'search') {
        const withReach = transformSeries(transform, series, new Float64Array(T), new Float64Array(T), 1.3, reach);
        for (let t = 0; t < T; t++) {
          let expected = 0;
          for (let l = 0; l <= Math.min(t, 3); l++) expected += w[l] * reach[t - l] * h(1.3 * series[t - l]);
          expect(Math.abs(withReach[t] - expected)).toBeLessThan(1e-14);
        }
      } else {
        expect(() => transformSeries(transform, series, new Float64Array(T), new Float64Array(T), 1, reach)).toThrow(/saturation-then-adstock channels only/);
      }
    }
    // the channels' kinds: tv delayed + Hill, search geometric + Michaelis-Menten, social geometric + logistic
    const kinds = [0, 1, 2].map((c) => channelTransform(config, values, c, channels));
    expect(kinds.map((k) => [k.adstock.type, k.saturation.type])).toEqual([['delayed', 'hill'], ['geometric', 'michaelisMenten'], ['geometric', 'logistic']]);
  });

  it('a reach and frequency channel is sum_l w_l m r[t-l] f[t-l]^s / (f[t-l]^s + k^s) with its own k_rf, s_rf (Meridian adstock_hill_rf)', () => {
    // tv as a reach and frequency channel: its adstock kind as configured (delayed), Hill on the frequency
    const rfConfig: MmmModelConfig = { ...config, saturation: { type: 'hill', byChannel: { social: { type: 'logistic' } } }, order: { type: 'adstockThenSaturation' }, rfChannels: ['tv'] };
    expect(transformRows(rfConfig, channels).map((r) => [r.parameter.name, r.channels])).toEqual([
      ['alpha', ['tv', 'search', 'social']],
      ['theta', ['tv']],
      ['k_rf', ['tv']],
      ['s_rf', ['tv']],
      ['k', ['search']],
      ['s', ['search']],
      ['lambda', ['social']],
    ]);
    const rfValues = { alpha: values.alpha, theta: values.theta, k_rf: Float64Array.of(2.4), s_rf: Float64Array.of(1.8), k: Float64Array.of(1.4), s: Float64Array.of(1.1), lambda: values.lambda };
    const transform = channelTransform(rfConfig, rfValues, 0, channels);
    expect(transform.rf).toBe(true);
    const rng = createRng(4, 'rf');
    const T = 12;
    const frequency = Float64Array.from({ length: T }, (_, t) => (t % 4 === 0 ? 0 : 1 + 4 * rng.uniform()));
    const reach = Float64Array.from({ length: T }, (_, t) => (t % 4 === 0 ? 0 : 2 * rng.uniform()));
    // the delayed adstock's normalized weights, written out: alpha^((l - theta)^2) / sum
    const raw = [0, 1, 2, 3].map((l) => 0.6 ** ((l - 1.5) ** 2));
    const w = raw.map((x) => x / raw.reduce((a, b) => a + b, 0));
    const hill = (f: number) => (f > 0 ? f ** 1.8 / (f ** 1.8 + 2.4 ** 1.8) : 0);
    for (const multiplier of [1, 0.7]) {
      const out = transformSeries(transform, frequency, new Float64Array(T), new Float64Array(T), multiplier, reach);
      for (let t = 0; t < T; t++) {
        let expected = 0;
        for (let l = 0; l <= Math.min(t, 3); l++) expected += w[l] * multiplier * reach[t - l] * hill(frequency[t - l]);
        expect(Math.abs(out[t] - expected)).toBeLessThan(1e-14);
      }
    }
    expect(() => transformSeries(transform, frequency, new Float64Array(T), new Float64Array(T))).toThrow(/needs its reach/);
  });
});
