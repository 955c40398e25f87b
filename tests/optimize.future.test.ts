/**
 * Planning on future periods (src/optimize/future.ts, Meridian's new_data): the geo example split
 * into a "fitted" part (its first 65 weeks, scaled with the whole file's constants) and a future
 * file (its last 13 weeks, KPI column removed). The identity: the future window computed from the
 * fitted part and the future file is the in-sample window of the last 13 weeks of the whole design,
 * draw by draw (baseline, carryover, media per spend, KPI under any plan), when the time features
 * agree (no trend: Fourier terms continue t exactly; with the trend the difference is exactly
 * delta times the trend's extension). Then the checks against the run (geos, channels, dates,
 * population, the KPI column, scaling with the fit's constants) and `mixwell scenario` /
 * `mixwell optimize` with --future on a fake run directory.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_MODEL_CONFIG, type MmmModelConfig } from '../models/mmm/config.js';
import { designFromData, type MmmDesign } from '../models/mmm/design.js';
import { UsageError } from '../src/cli/args.js';
import * as optimizeCommand from '../src/cli/commands/optimize.js';
import * as scenarioCommand from '../src/cli/commands/scenario.js';
import { DataValidationError, parseMmmData, scaleData, type MmmData, type Scaling } from '../src/data/index.js';
import { futurePeriods, hostResponseModel, loadFuturePeriods, planningWindow, windowDraws, type FuturePeriods } from '../src/optimize/index.js';
import { evaluateScenario } from '../src/optimize/scenario.js';
import { allocationMismatch, budgetAllocationFromJson } from '../src/report/index.js';
import { readRun } from '../src/run/runDirectory.js';
import { posteriorAround, readGeoTruth, truthShapes, truthValues } from './fixtures/analysis/examplePosterior.js';
import { writeFakeRun } from './fixtures/optimize/smallModels.js';

const EXAMPLE = readFileSync(new URL('../examples/geo.csv', import.meta.url), 'utf8');
const SPEC = JSON.parse(readFileSync(new URL('../examples/geo.config.json', import.meta.url), 'utf8')).data;
const FITTED_WEEKS = 65;
const FUTURE_WEEKS = 13;
const CUTOFF = '2024-03-25'; // the 65th week

/** The example's rows (header first) with `edit` applied to each data row's cells (by column name). */
function exampleCsv(keep: (date: string) => boolean, edit: (row: Record<string, string>) => Record<string, string> = (r) => r, drop: string[] = ['sales']): string {
  const [header, ...lines] = EXAMPLE.trim().split('\n');
  const names = header.split(',');
  const rows = lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [names[i], cell]))).filter((row) => keep(row.date)).map(edit);
  const columns = Object.keys(rows[0]).filter((name) => !drop.includes(name));
  return [columns.join(','), ...rows.map((row) => columns.map((c) => row[c]).join(','))].join('\n') + '\n';
}

const futureCsv = (edit?: (row: Record<string, string>) => Record<string, string>, drop?: string[]) => exampleCsv((date) => date > CUTOFF, edit, drop);

/** The first `T0` periods of a design (its arrays sliced per geo). */
function firstPeriods(design: MmmDesign, T0: number): MmmDesign {
  const G = design.geoNames.length;
  const T = design.dates.length;
  const slice = (x: Float64Array, width: number) => {
    const out = new Float64Array(G * T0 * width);
    for (let g = 0; g < G; g++) out.set(x.subarray(g * T * width, (g * T + T0) * width), g * T0 * width);
    return out;
  };
  return {
    ...design,
    dates: design.dates.slice(0, T0),
    media: slice(design.media, design.channelNames.length),
    spend: slice(design.spend, design.channelNames.length),
    controls: slice(design.controls, design.controlNames.length),
    events: slice(design.events, design.eventNames.length),
    kpi: slice(design.kpi, 1),
    ...(design.treatments ? { treatments: slice(design.treatments, design.treatmentNames?.length ?? 0) } : {}),
  };
}

const NO_TREND: MmmModelConfig = { ...DEFAULT_MODEL_CONFIG, trend: false };

describe('future periods', () => {
  let data: MmmData;
  let scaling: Scaling;
  let whole: MmmDesign;
  let fitted: MmmDesign;
  const posterior = posteriorAround(truthValues(readGeoTruth()), truthShapes(4, 3), 2, 15, 0.1, 9);
  const future = (config: MmmModelConfig, csv = futureCsv(), scalingUsed: Scaling | undefined = scaling): FuturePeriods =>
    futurePeriods(fitted, config, parseMmmData(csv, SPEC, { withoutKpi: true, fileName: 'future.csv' }), { scaling: scalingUsed, kpiColumn: 'sales' });

  beforeAll(() => {
    data = parseMmmData(EXAMPLE, SPEC, { fileName: 'geo.csv' });
    const scaled = scaleData(data);
    scaling = scaled.scaling;
    whole = designFromData(data, scaled);
    fitted = firstPeriods(whole, FITTED_WEEKS);
  });

  it('the future window of the last 13 weeks re-fed equals the in-sample window, draw by draw', () => {
    const periods = future(NO_TREND);
    expect(periods.dates[0]).toBe('2024-04-01');
    expect(periods.fittedTo).toBe(CUTOFF);
    expect(periods.timeEffects.map((e) => [e.effect, e.rule])).toEqual([['seasonality', 'continued']]);
    for (const level of ['channel', 'geo'] as const) {
      const inSample = planningWindow(whole, { periods: FUTURE_WEEKS, level });
      const ahead = planningWindow(fitted, { future: periods, level });
      expect(ahead.start).toBe(FITTED_WEEKS);
      expect(ahead.dates).toEqual(inSample.dates);
      expect(Array.from(ahead.current)).toEqual(Array.from(inSample.current));
      // Media per spend: the future file's media on the fit's scale (float rounding of x / mean).
      ahead.mediaPerSpend.forEach((x, i) => expect(x).toBeCloseTo(inSample.mediaPerSpend[i], 12));
      const a = windowDraws(whole, NO_TREND, posterior, inSample);
      const b = windowDraws(fitted, NO_TREND, posterior, ahead);
      expect(b.carryPeriods).toBe(a.carryPeriods);
      expect(a.carry.some((x) => x > 0)).toBe(true);
      b.carry.forEach((x, i) => expect(x).toBeCloseTo(a.carry[i], 12));
      b.scale.forEach((x, i) => expect(x).toBe(a.scale[i]));
      b.baseline.forEach((x, d) => expect(Math.abs(x - a.baseline[d])).toBeLessThan(1e-9 * Math.abs(a.baseline[d])));
      const plans = [inSample.current, inSample.current.map((x, p) => x * (p % 2 === 0 ? 1.3 : 0.6))];
      for (const plan of plans) {
        const kpiA = hostResponseModel(a).evaluate(plan);
        const kpiB = hostResponseModel(b).evaluate(plan);
        kpiB.forEach((x, d) => expect(Math.abs(x - kpiA[d])).toBeLessThan(1e-9 * Math.abs(kpiA[d])));
      }
    }
  });

  it('with an organic channel and a non-media treatment: the same identity (their future values, carryover and baseline)', () => {
    // The example plus an organic channel and a promotion, deterministic in geo and week.
    let row = 0;
    const extra = (r: Record<string, string>) => {
      row++;
      return { ...r, Organic_news_impression: String(1000 + 100 * ((row * 7) % 13)), promo: String(((row * 3) % 5) / 4) };
    };
    const csv = exampleCsv(() => true, extra, []);
    const spec = { ...SPEC, organic: [{ name: 'news', media: 'Organic_news_impression' }], treatments: ['promo'] };
    const all = parseMmmData(csv, spec, { fileName: 'geo+.csv' });
    const scaled = scaleData(all);
    const whole2 = designFromData(all, scaled);
    const fitted2 = firstPeriods(whole2, FITTED_WEEKS);
    const [header, ...lines] = csv.trim().split('\n');
    const dateColumn = header.split(',').indexOf('date');
    const futureText = [header, ...lines.filter((line) => line.split(',')[dateColumn] > CUTOFF)].join('\n');
    const periods = futurePeriods(fitted2, NO_TREND, parseMmmData(futureText, spec, { withoutKpi: true, fileName: 'future+.csv' }), { scaling: scaled.scaling, kpiColumn: 'sales' });
    expect(periods.warnings.join('\n')).toMatch(/"sales" \(the run's KPI\) is not used/);
    const base = truthValues(readGeoTruth());
    const grow = (x: Float64Array, value: number) => Float64Array.from([...x, value]);
    const u = new Float64Array(16);
    for (let g = 0; g < 4; g++) {
      for (let c = 0; c < 3; c++) u[g * 4 + c] = base.u[g * 3 + c];
      u[g * 4 + 3] = 0.3 * (g - 1.5);
    }
    const values = { ...base, alpha: grow(base.alpha, 0.6), k: grow(base.k, 1), s: grow(base.s, 1.5), m: grow(base.m, -1), eta: grow(base.eta, 0.2), u, treatment: Float64Array.of(0.25) };
    const draws = posteriorAround(values, { ...truthShapes(4, 4), treatment: [1] }, 1, 12, 0.1, 3);
    const a = windowDraws(whole2, NO_TREND, draws, planningWindow(whole2, { periods: FUTURE_WEEKS }));
    const b = windowDraws(fitted2, NO_TREND, draws, planningWindow(fitted2, { future: periods }));
    expect(a.window.plannable).toEqual([true, true, true, false]);
    b.baseline.forEach((x, d) => expect(Math.abs(x - a.baseline[d])).toBeLessThan(1e-9 * Math.abs(a.baseline[d])));
    const plan = a.window.current.map((x, p) => x * (p === 0 ? 1.5 : 0.8));
    const kpiA = hostResponseModel(a).evaluate(plan);
    hostResponseModel(b).evaluate(plan).forEach((x, d) => expect(Math.abs(x - kpiA[d])).toBeLessThan(1e-9 * Math.abs(kpiA[d])));
    // The organic channel's and the promotion's part of the baseline moves with their future values.
    const changed = futureText.split('\n').map((line, i) => (i === 0 ? line : line.replace(/,([\d.]+),([\d.]+)$/, (_, news, promo) => `,${Number(news) * 2},${promo}`))).join('\n');
    const doubled = futurePeriods(fitted2, NO_TREND, parseMmmData(changed, spec, { withoutKpi: true, fileName: 'future2.csv' }), { scaling: scaled.scaling });
    const c = windowDraws(fitted2, NO_TREND, draws, planningWindow(fitted2, { future: doubled }));
    c.baseline.forEach((x, d) => expect(x).toBeGreaterThan(b.baseline[d]));
  });

  it('controls the future file lacks are held at their fitted mean (0 standardized), with a warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mixwell-future-controls-'));
    try {
      const file = join(dir, 'no-controls.csv');
      writeFileSync(file, futureCsv(undefined, ['sales', 'temperature']));
      const periods = await loadFuturePeriods(file, { design: fitted, model: NO_TREND, spec: data.spec, scaling });
      expect(periods.warnings.join('\n')).toMatch(/control\(s\) temperature are not in the file; they are held at their fitted mean/);
      const T = periods.design.dates.length;
      for (let g = 0; g < 4; g++) for (let j = FITTED_WEEKS; j < T; j++) expect(periods.design.controls[(g * T + j) * 2 + 1]).toBe(0);
      expect(periods.design.controls[(T - 1) * 2]).toBeCloseTo(future(NO_TREND).design.controls[(T - 1) * 2], 12);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with the trend the future continues (t - 1) / (T - 1) past 1: the difference is delta x the trend extension', () => {
    const periods = future(DEFAULT_MODEL_CONFIG);
    expect(periods.timeEffects.map((e) => e.effect)).toEqual(['trend', 'seasonality']);
    const a = windowDraws(whole, DEFAULT_MODEL_CONFIG, posterior, planningWindow(whole, { periods: FUTURE_WEEKS }));
    const b = windowDraws(fitted, DEFAULT_MODEL_CONFIG, posterior, planningWindow(fitted, { future: periods }));
    const T = whole.dates.length;
    let shift = 0; // sum over future periods of the trend from the 65-week fit minus the 78-week one
    for (let i = FITTED_WEEKS; i < T; i++) shift += i / (FITTED_WEEKS - 1) - i / (T - 1);
    const units = whole.kpiUnit.reduce((s, x) => s + x, 0);
    const delta = posterior.variables.find((v) => v.name === 'delta')!.values;
    b.baseline.forEach((x, d) => {
      const expected = a.baseline[d] + delta[b.drawIndices[d]] * shift * units;
      expect(Math.abs(x - expected)).toBeLessThan(1e-9 * Math.abs(expected));
    });
  });

  it('scales controls with the fit\'s constants, not the future data\'s own', () => {
    const periods = future(NO_TREND);
    const K = 2;
    const T = periods.design.dates.length;
    const price = data.controls; // [G, 78, K] original units
    for (let g = 0; g < 4; g++) {
      for (let j = 0; j < FUTURE_WEEKS; j++) {
        const n = g * T + FITTED_WEEKS + j;
        const original = price[(g * 78 + FITTED_WEEKS + j) * K];
        expect(periods.design.controls[n * K]).toBeCloseTo((original - scaling.controlMean[0]) / scaling.controlSd[0], 12);
      }
    }
    expect(Number.isNaN(periods.design.kpi[FITTED_WEEKS])).toBe(true);
    expect(periods.design.observed?.[FITTED_WEEKS]).toBe(0);
    expect(periods.design.observed?.[0]).toBe(1);
  });

  it('a KPI column in the future file is not used (a warning says so); geo rows may come in any order', () => {
    const withKpi = future(NO_TREND, futureCsv(undefined, []));
    expect(withKpi.warnings.join('\n')).toMatch(/column "sales" \(the run's KPI\) is not used/);
    const [header, ...rows] = futureCsv().trim().split('\n');
    // Geos in reverse order of appearance (dates still ascending within each geo).
    const geoOrder = [...new Set(rows.map((row) => row.split(',')[0]))].reverse();
    const shuffled = future(NO_TREND, [header, ...geoOrder.flatMap((geo) => rows.filter((row) => row.startsWith(`${geo},`)))].join('\n'));
    expect(shuffled.design.geoNames).toEqual(fitted.geoNames);
    expect(Array.from(shuffled.design.media)).toEqual(Array.from(future(NO_TREND).design.media));
  });

  it('refuses wrong geos, unknown or missing channels, dates that do not continue the fit, another population', () => {
    const fails = (csv: string, ...messages: RegExp[]) => {
      let error: unknown;
      try {
        future(NO_TREND, csv);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DataValidationError);
      for (const message of messages) expect((error as Error).message).toMatch(message);
    };
    fails(futureCsv((r) => ({ ...r, geo: r.geo === 'north' ? 'nord' : r.geo })), /the file lacks 1 geo\(s\) of the run: north/, /geo\(s\) nord are not geos of the run/);
    fails(futureCsv((r) => ({ ...r, radio_spend: '10' })), /future\.csv, column "radio_spend": column looks like the spend of channel "radio", which the run does not have/);
    fails(futureCsv(undefined, ['sales', 'social_spend']), /spec\.channels\[2\]\.spend names column "social_spend", which is not in the file/);
    const shift = (weeks: number) => (r: Record<string, string>) => ({ ...r, date: new Date(Date.parse(`${r.date}T00:00:00Z`) + weeks * 7 * 86400000).toISOString().slice(0, 10) });
    fails(futureCsv(shift(2)), /column "date": the future periods must start one period after the fitted data's last date 2024-03-25, i\.e\. on 2024-04-01; the first date is 2024-04-15 \(a gap of 2 period\(s\); gaps are not allowed/);
    fails(futureCsv(shift(-1)), /the first date is 2024-03-25 \(it overlaps the fitted data/);
    fails(futureCsv((r) => ({ ...r, population: r.geo === 'east' ? '1000' : r.population })), /column "population": the population of geo "east" is 1000, the fitted data's \d+; it must be the same/);
    const unscaled = parseMmmData(futureCsv(), SPEC, { withoutKpi: true, fileName: 'future.csv' });
    expect(() => futurePeriods(fitted, NO_TREND, unscaled, {})).toThrow(/no scaling\.json .* controls and treatments cannot be put on the fit's scale; refit/);
  });

  it('with follows, a file whose dates do not continue the fit (here 20 weeks early, inside the fitted period) is taken as the periods after it: the same design as the continuing file, a warning naming both date ranges', () => {
    const shift = (weeks: number) => (r: Record<string, string>) => ({ ...r, date: new Date(Date.parse(`${r.date}T00:00:00Z`) + weeks * 7 * 86400000).toISOString().slice(0, 10) });
    const early = futurePeriods(fitted, NO_TREND, parseMmmData(futureCsv(shift(-20)), SPEC, { withoutKpi: true, fileName: 'future.csv' }), { scaling, kpiColumn: 'sales', follows: true });
    const continuing = future(NO_TREND);
    expect(early.dates).toEqual(continuing.dates);
    expect(early.design.dates).toEqual(continuing.design.dates);
    expect(Array.from(early.design.media)).toEqual(Array.from(continuing.design.media));
    expect(Array.from(early.design.controls)).toEqual(Array.from(continuing.design.controls));
    expect(early.fileDates).toEqual({ from: '2023-11-13', to: '2024-02-05' });
    expect(early.warnings.join('\n')).toMatch(/future\.csv: its 13 periods \(2023-11-13 \.\. 2024-02-05\) are taken as the 13 periods after the fitted data \(2024-04-01 \.\. 2024-06-24\)/);
    expect(continuing.fileDates).toBeUndefined();
  });

  it('a one-week future is enough; the plan periods must match the future file', () => {
    const one = future(NO_TREND, exampleCsv((date) => date === '2024-04-01'));
    expect(planningWindow(fitted, { future: one }).periods).toBe(1);
    expect(() => planningWindow(fitted, { future: future(NO_TREND), periods: 5 })).toThrow(/the future periods from future\.csv are 13, not 5/);
    expect(() => evaluateScenario(fitted, NO_TREND, posterior, { periods: 4, channels: { tv: '-10%' } }, { future: future(NO_TREND) })).toThrow(/are 13, not 4/);
  });

  describe('mixwell scenario / optimize --future', () => {
    const root = mkdtempSync(join(tmpdir(), 'mixwell-future-'));
    const runDir = join(root, 'run');
    const futureFile = join(root, 'future.csv');
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    async function capture(command: { run(argv: readonly string[]): Promise<void> }, argv: string[]): Promise<string> {
      let stdout = '';
      const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
      const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        await command.run(argv);
        return stdout;
      } finally {
        out.mockRestore();
        err.mockRestore();
      }
    }

    beforeAll(() => {
      writeFakeRun(runDir, fitted, DEFAULT_MODEL_CONFIG, posterior);
      const json = (value: unknown) => JSON.stringify(value, (_, v) => (v instanceof Float64Array ? Array.from(v) : v), 1);
      writeFileSync(join(runDir, 'config.json'), json({ model: DEFAULT_MODEL_CONFIG, data: data.spec, impute: {} }));
      writeFileSync(join(runDir, 'scaling.json'), json(scaling));
      writeFileSync(futureFile, futureCsv());
    });

    it('the run reads back with its scaling; loadFuturePeriods reads the file against it', async () => {
      const stored = readRun(runDir);
      expect(Array.from(stored.scaling!.controlSd)).toEqual(Array.from(scaling.controlSd));
      const periods = await loadFuturePeriods(futureFile, { design: stored.design, model: stored.model, spec: stored.config.data, scaling: stored.scaling });
      expect(periods.source).toBe(futureFile);
      expect(periods.dates).toHaveLength(FUTURE_WEEKS);
    });

    it('scenario --future: the window is the future file\'s periods, said in the text, JSON and CSV', async () => {
      const plan = join(root, 'plan.json');
      writeFileSync(plan, JSON.stringify({ channels: { tv: '-20%' } }));
      const out = join(root, 'scn');
      const stdout = await capture(scenarioCommand, [runDir, '--plan', plan, '--future', futureFile, '--out', out]);
      expect(stdout).toMatch(/Scenario over 13 future periods \(2024-04-01 \.\. 2024-06-24\), channel-level plan/);
      expect(stdout).toContain(`Future periods from ${futureFile} (the fitted data ends 2024-03-25); time effects: linear trend continued`);
      const json = JSON.parse(readFileSync(join(out, 'scenario.json'), 'utf8'));
      expect(json.window).toMatchObject({ periods: 13, from: '2024-04-01', to: '2024-06-24', future: { source: futureFile, fittedTo: '2024-03-25' } });
      expect(json.window.future.timeEffects.map((e: { effect: string }) => e.effect)).toEqual(['trend', 'seasonality']);
      const csv = readFileSync(join(out, 'scenario.csv'), 'utf8').split('\n');
      expect(csv[0]).toContain('future_file');
      expect(csv[1]).toContain(futureFile);
      // The current plan is the future file's spend.
      const tv = json.entries.find((e: { channel: string }) => e.channel === 'tv');
      let spend = 0;
      for (const line of futureCsv().trim().split('\n').slice(1)) spend += Number(line.split(',')[2]);
      expect(tv.current).toBeCloseTo(spend, 6);
      expect(tv.plan).toBeCloseTo(0.8 * spend, 6);
      // The same scenario through the API on the stored run.
      const stored = readRun(runDir);
      const periods = await loadFuturePeriods(futureFile, { design: stored.design, model: stored.model, spec: stored.config.data, scaling: stored.scaling });
      const api = evaluateScenario(stored.design, stored.model, stored.posterior, { channels: { tv: '-20%' } }, { future: periods });
      expect(json.uplift.mean).toBeCloseTo(api.uplift.mean, 9);
    });

    it('optimize --future: allocation over the future periods, default output DIR/optimize-future, --periods refused', async () => {
      const stdout = await capture(optimizeCommand, [runDir, '--future', futureFile, '--budget', '400000', '--decision-draws', '0', '--max-draws', '10']);
      expect(stdout).toMatch(/Budget allocation over 13 future periods \(2024-04-01 \.\. 2024-06-24\)/);
      expect(stdout).toContain(`Future periods from ${futureFile}`);
      const json = JSON.parse(readFileSync(join(runDir, 'optimize-future', 'allocation.json'), 'utf8'));
      expect(json.window.future.source).toBe(futureFile);
      expect(json.plan.reduce((s: number, e: { spend: number }) => s + e.spend, 0)).toBeCloseTo(400000, 4);
      // The report's budget section refuses it with a clear reason (it shows the run's own periods only).
      const problems = allocationMismatch(budgetAllocationFromJson(json, 'allocation.json'), fitted.channelNames, fitted.dates);
      expect(problems).toEqual([`allocation.json: the planning window 2024-04-01 .. 2024-06-24 is future periods (from ${futureFile}); the report shows allocations over the run's own periods only`]);
      const rows = readFileSync(join(runDir, 'optimize-future', 'allocation.csv'), 'utf8').trim().split('\n');
      expect(rows[0]).toContain('time_effects');
      await expect(capture(optimizeCommand, [runDir, '--future', futureFile, '--periods', '13', '--budget', '1'])).rejects.toThrow(UsageError);
      await expect(capture(scenarioCommand, [runDir, '--plan', join(root, 'plan.json'), '--future'])).rejects.toThrow(/option --future needs a value/);
      const trade = await capture(optimizeCommand, [runDir, '--future', futureFile, '--tradeoff', 'tv,search', '--tradeoff-points', '5', '--out', join(root, 'trade')]);
      expect(trade).toMatch(/Trade-off tv vs search over 13 future periods \(2024-04-01 \.\. 2024-06-24\)/);
    });
  });
});
