/**
 * ROI recovery of a reach and frequency channel on data simulated from the model itself: 4 geos x
 * 104 weeks, tv as a reach and frequency channel (tv_spend, tv_reach, tv_frequency; Hill of the
 * frequency times the reach, then adstocked) and two impression channels (search, social), fixed
 * seed. The KPI is the model's mean at known parameters (models/mmm hostModel.ts meanKpiHost on the
 * design of the same file with a placeholder KPI) plus Normal noise; its true ROI in KPI units per
 * spend does not depend on the KPI's scaling (the model is linear in the KPI's scale), so it is
 * computed on the placeholder design. A short fit (4 chains x 300 warmup + 300 draws: at 150 + 150,
 * as tests/mmm.recovery.test.ts, the max R-hat sat at 1.05 either side with the seed or the
 * arithmetic's last bits, the frequency's Hill parameters mixing slowest) must cover tv's true ROI with its 90% interval, and the frequency's
 * Hill parameters k_rf, s_rf (on the unscaled frequency, so the truth is theirs as written).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMmmData, scaleData } from '../src/data/index.js';
import { createRng } from '../src/tensor/index.js';
import { fitMmm, type MmmFit } from '../src/mmm/fit.js';
import { buildReport, type MmmReport } from '../src/mmm/report.js';
import { DEFAULT_MODEL_CONFIG } from '../models/mmm/config.js';
import { designFromData } from '../models/mmm/design.js';
import { withRfChannels } from '../models/mmm/components/transformKinds.js';
import { meanKpiHost, mediaCoefficientsHost, saturatedMediaHost } from '../models/mmm/hostModel.js';

const G = 4;
const T = 104;
const GEOS = ['north', 'east', 'south', 'west'];

/** The CSV of the simulation with a KPI column (per geo and week). */
function csv(columns: Record<string, Float64Array>, kpi: Float64Array): string {
  const names = Object.keys(columns);
  const lines = [['geo', 'date', ...names, 'sales'].join(',')];
  for (let g = 0; g < G; g++) {
    for (let t = 0; t < T; t++) {
      const date = new Date(Date.UTC(2022, 0, 3) + 7 * 86400e3 * t).toISOString().slice(0, 10);
      lines.push([GEOS[g], date, ...names.map((name) => columns[name][g * T + t].toFixed(4)), kpi[g * T + t].toFixed(4)].join(','));
    }
  }
  return lines.join('\n') + '\n';
}

describe('recovery of a reach and frequency channel on data simulated from the model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixwell-rf-recovery-'));
  let fit: MmmFit;
  let report: MmmReport;
  let trueRoi: number;
  const truth = { k_rf: 2.5, s_rf: 2 };

  beforeAll(async () => {
    const rng = createRng(20261206, 'rf-recovery');
    const N = G * T;
    const pulse = (t: number, period: number) => 0.6 + 0.4 * Math.sin((2 * Math.PI * t) / period);
    const columns: Record<string, Float64Array> = {
      tv_spend: new Float64Array(N),
      tv_reach: new Float64Array(N),
      tv_frequency: new Float64Array(N),
      search_spend: new Float64Array(N),
      social_spend: new Float64Array(N),
    };
    for (let g = 0; g < G; g++) {
      for (let t = 0; t < T; t++) {
        const n = g * T + t;
        // tv in flights (dark one week in four), frequency 1 to 5.5 varying independently of the reach
        const on = t % 4 !== 3;
        const reach = on ? (2000 + 400 * g) * pulse(t, 13) * (0.7 + 0.6 * rng.uniform()) : 0;
        const frequency = on ? 1 + 4.5 * rng.uniform() : 0;
        columns.tv_reach[n] = reach;
        columns.tv_frequency[n] = frequency;
        columns.tv_spend[n] = (reach * frequency) * 0.8; // spend proportional to impressions
        columns.search_spend[n] = (800 + 100 * g) * pulse(t, 26) * (0.8 + 0.4 * rng.uniform());
        columns.social_spend[n] = t % 6 === 0 ? 0 : (500 + 50 * g) * (0.6 + 0.8 * rng.uniform());
      }
    }
    // the placeholder design: the model's scaling of these media (the KPI's own scale cancels in ROI)
    const placeholderPath = join(dir, 'placeholder.csv');
    writeFileSync(placeholderPath, csv(columns, Float64Array.from({ length: N }, (_, n) => 1000 + (n % 7))));
    const placeholder = await loadMmmData(placeholderPath, {});
    const design = designFromData(placeholder, scaleData(placeholder));
    expect(design.channelNames).toEqual(['tv', 'search', 'social']);
    expect(design.channelKinds).toEqual(['rf', 'paid', 'paid']);
    const config = withRfChannels(DEFAULT_MODEL_CONFIG, design.channelNames, design.channelKinds);
    const values: Record<string, Float64Array> = {
      alpha: Float64Array.of(0.5, 0.3, 0.4),
      k_rf: Float64Array.of(truth.k_rf),
      s_rf: Float64Array.of(truth.s_rf),
      k: Float64Array.of(0.9, 1.1),
      s: Float64Array.of(1.3, 1.0),
      m: Float64Array.of(-1.0, -1.6, -1.8),
      eta: Float64Array.of(0.2, 0.15, 0.2),
      u: Float64Array.from({ length: G * 3 }, () => rng.normal()),
      tau0: Float64Array.of(0.6),
      sigma_tau: Float64Array.of(0.1),
      v: Float64Array.from({ length: G }, () => rng.normal()),
      delta: Float64Array.of(0.05),
      phi: Float64Array.of(0.05, -0.03, 0.02, 0.01),
      sigma: Float64Array.of(0.05),
    };
    const mean = meanKpiHost(design, config, values);
    const sales = Float64Array.from(mean, (mu, n) => (mu + values.sigma[0] * rng.normal()) * design.kpiUnit[Math.floor(n / T)]);
    // tv's true ROI (KPI per spend): sum beta h kpiUnit / spend
    const h = saturatedMediaHost(design, config, values);
    const beta = mediaCoefficientsHost(design, config, values, h);
    let contribution = 0;
    let spend = 0;
    for (let g = 0; g < G; g++) {
      for (let t = 0; t < T; t++) {
        contribution += beta[g * 3] * h[(g * T + t) * 3] * design.kpiUnit[g];
        spend += design.spend[(g * T + t) * 3];
      }
    }
    trueRoi = contribution / spend;
    const path = join(dir, 'rf.csv');
    writeFileSync(path, csv(columns, sales));
    fit = await fitMmm(path, {}, { chains: 4, warmup: 300, draws: 300, seed: 20261206, progress: false, verbose: false });
    report = buildReport(fit, { priorDraws: 100 });
  }, 900_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fits tv as a reach and frequency channel and converges', () => {
    expect(fit.model.config.rfChannels).toEqual(['tv']);
    expect(fit.result.health.maxRhat).toBeLessThan(1.05);
  });

  it('covers tv\'s true ROI and the frequency\'s Hill parameters with 90% intervals', () => {
    const roi = report.media.channels.find((row) => row.channel === 'tv' && row.metric === 'roi')!;
    expect(trueRoi, `ROI tv ${trueRoi} in [${roi.q05}, ${roi.q95}]`).toBeGreaterThanOrEqual(roi.q05);
    expect(trueRoi).toBeLessThanOrEqual(roi.q95);
    const rows = new Map(fit.result.summary.map((row) => [row.name, row]));
    for (const name of ['k_rf', 's_rf'] as const) {
      const row = rows.get(`${name}[1]`)!;
      expect(truth[name], `${name} ${truth[name]} in [${row.q05}, ${row.q95}]`).toBeGreaterThanOrEqual(row.q05);
      expect(truth[name]).toBeLessThanOrEqual(row.q95);
    }
    // the optimal frequency rows exist for tv and lie on the grid
    expect(report.optimalFrequency.optimal.map((row) => row.channel)).toEqual(['tv']);
  });
});
