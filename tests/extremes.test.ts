/**
 * Numerical extremes (issue 21), each built from the national example by scripts/extremes/cases.ts
 * and fitted small (2 chains, 150 warmup, 100 draws, fixed seed, one thread; the first 52 weeks, the
 * long case 1,000 weeks): the KPI around 1e9 and 1e-3 and spend in cents and in billions fit to the
 * same scaled model, with the reported ROI in the data's units; a channel that spends in one week
 * only, a channel with constant spend and a duplicated (perfectly collinear) channel fit and the
 * health check names the weak channel; 1,000 weeks fit; a KPI around 1e303 or a spend column around
 * 1e-200 stop at the loader with the file, column and what to do; data assembled in code that
 * cannot be scaled (a channel without media, a constant control) stop at scaleData by name.
 * Sampling quality is not judged here (the fits are far too short); finiteness is.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { fitMmm, type MmmFit } from '../src/mmm/fit.js';
import { buildReport } from '../src/mmm/report.js';
import { analyzeMedia, healthCheck, mediaIdentification, type HealthFlag, type MediaAnalysis } from '../src/analysis/index.js';
import { DataValidationError, scaleData, type MmmData } from '../src/data/index.js';
import { designFromData } from '../models/mmm/index.js';
import { extremeCase, type ExtremeCaseName } from '../scripts/extremes/cases.js';
import { loadExample } from './support/examples.js';

const dir = mkdtempSync(join(os.tmpdir(), 'mixwell-extremes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WEEKS = 52;
const SAMPLER = { chains: 2, warmup: 150, draws: 100, seed: 21, progress: false, verbose: false, workers: 1 } as const;

function caseFile(name: ExtremeCaseName, weeks: number | undefined = WEEKS, longWeeks?: number): { file: string; data: Record<string, unknown> } {
  const c = extremeCase(name, { weeks, longWeeks });
  const file = join(dir, `${name}.csv`);
  writeFileSync(file, c.csv);
  return { file, data: c.data };
}

async function fitCase(name: ExtremeCaseName, weeks?: number, longWeeks?: number): Promise<MmmFit> {
  const { file, data } = caseFile(name, weeks, longWeeks);
  return fitMmm(file, { data }, SAMPLER);
}

function expectFinite(fit: MmmFit): void {
  const bad = fit.result.summary.filter((row) => !Number.isFinite(row.mean) || !Number.isFinite(row.sd)).map((row) => row.name);
  expect(bad).toEqual([]);
  const notFinite = fit.result.posterior.variables.filter((v) => v.values.some((x) => !Number.isFinite(x))).map((v) => v.name);
  expect(notFinite).toEqual([]);
}

/** Posterior mean ROI of all media together (the channels' ROI are noisier in so short a fit). */
function allMediaRoi(fit: MmmFit): number {
  const media = analyzeMedia(fit.design, fit.model.config, fit.result.posterior);
  const row = media.channels.find((r) => r.metric === 'roi' && r.channel === '(all media)');
  expect(row).toBeDefined();
  return row!.mean;
}

function flagsOf(fit: MmmFit): HealthFlag[] {
  return healthCheck({ identification: mediaIdentification(fit.design) });
}

describe('KPI and spend scales: the same scaled model, results in the data units', () => {
  let baseline: MmmFit;
  let baselineRoi: number;
  it('the example fits', async () => {
    baseline = await fitCase('baseline');
    expectFinite(baseline);
    baselineRoi = allMediaRoi(baseline);
    expect(baselineRoi).toBeGreaterThan(0);
    // the example raises no identification warning
    expect(flagsOf(baseline).every((f) => f.level === 'ok')).toBe(true);
  });

  // The scaled design (KPI / its mean, media / their means) is the same up to rounding, so the
  // posterior is the same; the draws differ (rounding flips accept decisions in so short a chain),
  // so the ROI of all media agrees up to Monte Carlo error. Its ratio to the example's, over seeds
  // 21-23 of these settings (2 x 100 draws), stayed within 0.93-1.03; [0.8, 1.25] is about three
  // times that spread, and still catches a factor of 10 or any unit slip.
  const cases: [ExtremeCaseName, number][] = [
    ['kpi-1e9', 1e4],
    ['kpi-1e-3', 1e-8],
    ['spend-cents', 1e-2],
    ['spend-billions', 1e-9],
  ];
  for (const [name, factor] of cases) {
    it(`${name}: fits, scaled design equal to the example's, ROI scaled by ${factor}`, async () => {
      const fit = await fitCase(name);
      expectFinite(fit);
      for (let n = 0; n < fit.design.kpi.length; n++) expect(fit.design.kpi[n]).toBeCloseTo(baseline.design.kpi[n], 12);
      for (let i = 0; i < fit.design.media.length; i++) expect(Math.abs(fit.design.media[i] - baseline.design.media[i])).toBeLessThan(1e-12 * Math.max(1, baseline.design.media[i]));
      const ratio = allMediaRoi(fit) / baselineRoi / factor;
      expect(ratio).toBeGreaterThan(0.8);
      expect(ratio).toBeLessThan(1.25);
      expect(flagsOf(fit).every((f) => f.level === 'ok')).toBe(true);
    });
  }
});

describe('channels the data can hardly identify: fit, and the health check names them', () => {
  it('a channel that spends in one week only (said before sampling in the fit log too)', async () => {
    const { file, data } = caseFile('one-week-channel');
    const lines: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
    let fit: MmmFit;
    try {
      fit = await fitMmm(file, { data }, { ...SAMPLER, verbose: true });
    } finally {
      write.mockRestore();
    }
    expect(lines.join('')).toMatch(/\nwarning: channel "social" has media in only 1 of 52 periods: its effect rests mostly on its prior; give it an informative prior \(model\.priors\) or a lift test, merge it into a related channel, or drop it\n/);
    expectFinite(fit);
    const flag = flagsOf(fit).find((f) => f.code === 'fewActivePeriods')!;
    expect(flag.level).toBe('warning');
    expect(flag.subjects).toEqual(['social']);
    expect(flag.message).toMatch(/channel "social" has media in only 1 of 52 periods: its effect rests mostly on its prior/);
  });

  it('a channel with constant spend (through buildReport: the report carries the flag)', async () => {
    const fit = await fitCase('constant-channel');
    expectFinite(fit);
    const report = buildReport(fit, { priorDraws: 100, maxDraws: 40 });
    const flag = report.health.find((f) => f.code === 'mediaWithoutVariation')!;
    expect(flag.level).toBe('warning');
    expect(flag.subjects).toEqual(['search']);
    expect(flag.message).toMatch(/channel "search" has the same media in every period: the data cannot tell its effect from the intercept, so it rests on its prior; drop it/);
    expect(report.health.find((f) => f.code === 'fewActivePeriods')?.level).toBe('ok');
    expect(report.health.find((f) => f.code === 'collinearMedia')?.level).toBe('ok');
    for (const row of report.media.channels) expect(Number.isFinite(row.mean)).toBe(true);
  });

  it('a channel duplicated under another name (perfectly collinear)', async () => {
    const fit = await fitCase('collinear-channels');
    expectFinite(fit);
    const flag = flagsOf(fit).find((f) => f.code === 'collinearMedia')!;
    expect(flag.level).toBe('warning');
    expect(flag.subjects).toEqual(['tv', 'tv2']);
    expect(flag.message).toMatch(/"tv" and "tv2" have proportional media over all geo-periods \(r = 1\.0000\): the data identify only their combined effect/);
  });

  it('a channel that is a linear combination of two others, and a geo-constant channel in the geo example', async () => {
    const geo = await loadExample('geo');
    const C = geo.C;
    const N = geo.G * geo.T;
    // media of channel 0 := channel 1 + channel 2 (not proportional to either); channel 2 := a level per geo
    const media = Float64Array.from(geo.media);
    for (let n = 0; n < N; n++) media[n * C] = media[n * C + 1] + 2 * media[n * C + 2];
    const found = mediaIdentification(designFromData({ ...geo, media }, scaleData({ ...geo, media })));
    expect(found.collinear.map((f) => f.subjects)).toEqual([['tv', 'search', 'social']]);
    expect(healthCheck({ identification: found }).find((f) => f.code === 'collinearMedia')?.message).toMatch(/^"tv", "search", "social" are linearly dependent over all geo-periods/);
    const level = Float64Array.from(geo.media);
    for (let n = 0; n < N; n++) level[n * C + 2] = 100 + Math.floor(n / geo.T);
    const flags = healthCheck({ identification: mediaIdentification(designFromData({ ...geo, media: level }, scaleData({ ...geo, media: level }))) });
    expect(flags.find((f) => f.code === 'mediaWithoutVariation')?.message).toMatch(/"social" has the same media in every period of each geo: the data cannot tell its effect from the geos' intercepts/);
    expect(mediaIdentification(designFromData(geo, scaleData(geo)))).toEqual({ geos: 4, fewActive: [], noVariation: [], collinear: [] });
  });
});

describe('long series', () => {
  it('1,000 weeks fit, finite', async () => {
    const fit = await fitCase('weeks-1000', undefined, 1000);
    expect(fit.design.dates.length).toBe(1000);
    expectFinite(fit);
    expect(Number.isFinite(allMediaRoi(fit))).toBe(true);
    expect(flagsOf(fit).every((f) => f.level === 'ok')).toBe(true);
  });
});

describe('beyond what doubles compute with: named errors', () => {
  it('a KPI around 1e303 stops at the loader, naming file, row, column and what to do', async () => {
    const { file, data } = caseFile('kpi-1e303');
    const error = await fitMmm(file, { data }, SAMPLER).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DataValidationError);
    const issue = (error as DataValidationError).issues[0];
    expect(issue).toMatchObject({ file: 'kpi-1e303.csv', row: 2, column: 'sales' });
    expect(issue.message).toMatch(/^the KPI is 8\.8807e\+302, beyond 1e100 in magnitude: .*express the column in larger units/);
  });

  it('a spend column around 1e-200 stops at the loader, naming the column', async () => {
    const { file, data } = caseFile('spend-1e-200');
    const error = await fitMmm(file, { data }, SAMPLER).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DataValidationError);
    const issues = (error as DataValidationError).issues;
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'spend-1e-200.csv', column: 'tv_spend' });
    expect(issues[0].message).toMatch(/^spend of channel "tv" is at most .* in magnitude, below 1e-100: .*express the column in smaller units/);
  });

  it('data assembled in code that cannot be scaled: scaleData names the channel and the control', async () => {
    const national: MmmData = await loadExample('national');
    const media = Float64Array.from(national.media);
    for (let n = 0; n < national.T; n++) media[n * national.C + 1] = 0;
    const controls = new Float64Array(national.controls.length).fill(1);
    expect(() => scaleData({ ...national, media, controls })).toThrow(
      /scaleData: the data cannot be scaled:\n {2}- channel "search": the mean of its media is 0: it must be finite and > 0 \(drop a channel without media, or rescale its column\)\n {2}- control "price": mean 1, sd 0: it must vary/,
    );
  });
});

describe('ROI outside its prior on one side for every channel: the message asks about units', () => {
  it('names spend in cents and the kpiShare prior', () => {
    const media = {
      geoNames: [],
      dates: [],
      mean: { baseline: new Float64Array(0) },
      channels: [
        { metric: 'roi', unit: 'kpiPerSpend', channel: 'tv', median: 0.02 },
        { metric: 'roi', unit: 'kpiPerSpend', channel: 'search', median: 0.03 },
      ],
    } as unknown as MediaAnalysis;
    const priorRoi = [
      { channel: 'tv', metric: 'roi' as const, q01: 0.13, median: 1.2, q99: 9.3, draws: 100 },
      { channel: 'search', metric: 'roi' as const, q01: 0.18, median: 1.2, q99: 8.6, draws: 100 },
    ];
    const flag = healthCheck({ media, priorRoi }).find((f) => f.code === 'roiOutsidePrior')!;
    expect(flag.message).toMatch(/every channel's ROI lies below its prior's range: are spend and KPI in the units the ROI prior assumes .*Spend in cents divides every ROI by 100.*model\.mediaPrior\.kpiShare/);
    const mixed = healthCheck({ media, priorRoi: [priorRoi[0], { ...priorRoi[1], q01: 0.01 }] }).find((f) => f.code === 'roiOutsidePrior')!;
    expect(mixed.level).toBe('warning');
    expect(mixed.message).not.toMatch(/units/);
  });
});
