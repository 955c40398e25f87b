/**
 * The bundled example data (examples/): reproducible from scripts/make-example-data.ts, small,
 * loadable with their configs, and consistent with their stated truths under the data layer's
 * scaling (the truths are re-evaluated here with independent adstock/Hill code).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadMmmData, scaleData, fourierFeatures, trendFeature, type PartialDataSpec } from '../src/data/index.js';
import { generateExamples } from '../scripts/make-example-data.js';

const EXAMPLES = fileURLToPath(new URL('../examples/', import.meta.url));
const NAMES = ['national', 'geo'] as const;

interface Truth {
  dims: { G: number; T: number; C: number; K: number; L: number; S: number };
  geos: string[];
  channels: string[];
  controls: string[];
  params: {
    alpha: number[];
    k: number[];
    s: number[];
    m: number[];
    eta?: number[];
    u?: number[][];
    tau0: number;
    sigma_tau?: number;
    v?: number[];
    delta: number;
    phi: number[];
    gamma: number[];
    sigma: number;
  };
  derived: { roi: Record<string, number>; mroi: Record<string, number> };
  data_summary: { kpi_mean: number; spend_mean: number[]; control_mean: number[]; control_sd: number[] };
}

const read = (name: string) => readFileSync(`${EXAMPLES}${name}`, 'utf8');

/** h[g,t] for one channel of scaled spend [G,T,C], normalized geometric adstock (L) then Hill. */
function saturatedAdstock(xs: Float64Array, G: number, T: number, C: number, c: number, L: number, alpha: number, k: number, s: number, scale = 1) {
  const h = new Float64Array(G * T);
  let wsum = 0;
  for (let l = 0; l < L; l++) wsum += Math.pow(alpha, l);
  for (let g = 0; g < G; g++) {
    for (let t = 0; t < T; t++) {
      let a = 0;
      for (let l = 0; l < L; l++) if (t - l >= 0) a += Math.pow(alpha, l) * xs[(g * T + t - l) * C + c] * scale;
      a /= wsum;
      h[g * T + t] = a === 0 ? 0 : Math.pow(a, s) / (Math.pow(a, s) + Math.pow(k, s));
    }
  }
  return h;
}

describe('bundled example data', () => {
  it('the files are exactly what the generator produces (deterministic) and small', () => {
    const files = generateExamples();
    expect(Object.keys(files).sort()).toEqual([
      'geo.config.json',
      'geo.csv',
      'geo.truth.json',
      'national.config.json',
      'national.csv',
      'national.truth.json',
    ]);
    for (const [name, text] of Object.entries(files)) {
      expect(read(name), `examples/${name} is stale: run npx tsx scripts/make-example-data.ts`).toBe(text);
      expect(statSync(`${EXAMPLES}${name}`).size).toBeLessThan(100_000);
    }
  });

  for (const name of NAMES) {
    it(`${name}: loads with its config and matches the truth (scaling constants, residual sd, ROI)`, async () => {
      const truth = JSON.parse(read(`${name}.truth.json`)) as Truth;
      const config = JSON.parse(read(`${name}.config.json`)) as { data: PartialDataSpec };
      const data = await loadMmmData(`${EXAMPLES}${name}.csv`, config.data);
      const { G, T, C, K, L, S } = truth.dims;
      expect([data.G, data.T, data.C, data.K]).toEqual([G, T, C, K]);
      expect(data.geoNames).toEqual(truth.geos);
      expect(data.channelNames).toEqual(truth.channels);
      expect(data.controlNames).toEqual(truth.controls);
      expect(data.warnings).toEqual([]);
      expect(data.provenance.detected).toEqual([]); // the config names every role

      const sc = scaleData(data);
      const rel = (a: number, b: number) => Math.abs(a / b - 1);
      expect(rel(sc.scaling.kpiMean, truth.data_summary.kpi_mean)).toBeLessThan(1e-11);
      for (let c = 0; c < C; c++) expect(rel(sc.scaling.spendMean[c], truth.data_summary.spend_mean[c])).toBeLessThan(1e-11);
      for (let k = 0; k < K; k++) {
        expect(rel(sc.scaling.controlMean[k], truth.data_summary.control_mean[k])).toBeLessThan(1e-11);
        expect(rel(sc.scaling.controlSd[k], truth.data_summary.control_sd[k])).toBeLessThan(1e-11);
      }

      // mu at the truth, evaluated independently of the generator
      const p = truth.params;
      const h = Array.from({ length: C }, (_, c) => saturatedAdstock(sc.spend, G, T, C, c, L, p.alpha[c], p.k[c], p.s[c]));
      const beta = (g: number, c: number) => (G > 1 ? Math.exp(p.m[c] + p.eta![c] * p.u![g][c]) : Math.exp(p.m[c]));
      const tau = (g: number) => (G > 1 ? p.tau0 + p.sigma_tau! * p.v![g] : p.tau0);
      const f = fourierFeatures(T, S);
      const tr = trendFeature(T);
      const resid: number[] = [];
      for (let g = 0; g < G; g++) {
        for (let t = 0; t < T; t++) {
          const n = g * T + t;
          let mu = tau(g) + p.delta * tr[t];
          for (let j = 0; j < 2 * S; j++) mu += p.phi[j] * f[t * 2 * S + j];
          for (let k = 0; k < K; k++) mu += p.gamma[k] * sc.controls[n * K + k];
          for (let c = 0; c < C; c++) mu += beta(g, c) * h[c][n];
          resid.push(sc.kpi[n] - mu);
        }
      }
      // residuals are N(0, sigma) draws: mean within 4 standard errors of 0, sd within 4 SE (sd/sqrt(2N)) of sigma
      const N = resid.length;
      const rm = resid.reduce((a, b) => a + b, 0) / N;
      const rsd = Math.sqrt(resid.reduce((a, r) => a + (r - rm) ** 2, 0) / (N - 1));
      expect(Math.abs(rm)).toBeLessThan((4 * p.sigma) / Math.sqrt(N));
      expect(Math.abs(rsd - p.sigma)).toBeLessThan((4 * p.sigma) / Math.sqrt(2 * N));

      // ROI and mROI at the truth, in original units
      truth.channels.forEach((ch, c) => {
        const hUp = saturatedAdstock(sc.spend, G, T, C, c, L, p.alpha[c], p.k[c], p.s[c], 1.01);
        let contrib = 0;
        let dKpi = 0;
        let spendTotal = 0;
        for (let g = 0; g < G; g++) {
          for (let t = 0; t < T; t++) {
            contrib += beta(g, c) * h[c][g * T + t] * sc.scaling.kpiMean;
            dKpi += beta(g, c) * (hUp[g * T + t] - h[c][g * T + t]) * sc.scaling.kpiMean;
            spendTotal += data.spend[(g * T + t) * C + c];
          }
        }
        expect(rel(contrib / spendTotal, truth.derived.roi[ch])).toBeLessThan(1e-9);
        expect(rel(dKpi / (0.01 * spendTotal), truth.derived.mroi[ch])).toBeLessThan(1e-8);
      });
    });
  }
});
