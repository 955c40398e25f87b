/**
 * Batch manifests without fitting: parsing (defaults merged into entries, every bad key named by
 * file, entry and key), planning (rolling-window and backtest series expanded from the data's
 * dates, configs patched and parsed, fingerprints that change exactly when the inputs do), data
 * filters applied before validation (geo subsets and date windows; row numbers kept), the
 * output-completeness check used to resume, the stability summary and chart (schema-valid,
 * rendered), and the non-TTY progress lines. Fits themselves: batch.pool.e2e.test.ts, batch.redis.e2e.test.ts.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildMmmData, DataValidationError, loadCsvSource } from '../src/data/index.js';
import { loadManifest, parseManifest } from '../src/batch/manifest.js';
import { loadRunConfig } from '../src/mmm/config.js';
import { canonicalJson, mergePatch } from '../src/batch/mergePatch.js';
import { filterRoles, filterSource } from '../src/batch/filter.js';
import { planBatch } from '../src/batch/plan.js';
import { outputState } from '../src/batch/outputState.js';
import { createProgressView } from '../src/batch/progressView.js';
import { stabilitySummary, verdictOf, METRIC_LABELS, type StabilityRow } from '../src/batch/stability.js';
import { stabilitySpec } from '../src/charts/stability.js';
import { compileSpec, renderSvg, schemaErrors } from '../src/charts/index.js';
import type { FitRecord } from '../src/batch/batchRecord.js';
import type { FitTask } from '../src/batch/plan.js';
import { run as batchCommand } from '../src/cli/commands/batch.js';

const root = resolve(import.meta.dirname, '..');
const national = join(root, 'examples/national.csv');
const nationalConfig = join(root, 'examples/national.config.json');
const geo = join(root, 'examples/geo.csv');
const geoConfig = join(root, 'examples/geo.config.json');
const dir = mkdtempSync(join(tmpdir(), 'mixwell-batch-manifest-'));
const file = join(dir, 'batch.json');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const parse = (json: unknown, options = {}) => parseManifest(json, file, options);

describe('batch manifest', () => {
  it('merges defaults into each fit and resolves paths', () => {
    const manifest = parse({
      out: 'runs',
      defaults: { data: 'data.csv', config: 'base.json', filter: { from: '2022-01-03' }, options: { chains: 2, draws: 30 }, patch: { holdout: { periods: 4 } }, retries: 3 },
      fits: [{ id: 'a', options: { draws: 50, backend: 'cpu' }, filter: { to: '2023-06-26' }, patch: { scaling: { populationScaling: true } } }, { id: 'b', data: '/abs/other.csv', out: 'elsewhere/b', retries: 0, timeout: 60 }],
    });
    expect(manifest.name).toBe('batch');
    expect(manifest.out).toBe(join(dir, 'runs'));
    const [a, b] = manifest.fits;
    expect(a).toMatchObject({ id: 'a', data: join(dir, 'data.csv'), config: join(dir, 'base.json'), out: join(dir, 'runs', 'a'), retries: 3 });
    expect(a.filter).toEqual({ from: '2022-01-03', to: '2023-06-26' });
    expect(a.options).toEqual({ chains: 2, draws: 50, backend: 'cpu' });
    expect(a.patches).toEqual([{ holdout: { periods: 4 } }, { scaling: { populationScaling: true } }]);
    expect(b).toMatchObject({ data: '/abs/other.csv', out: join(dir, 'runs', 'elsewhere', 'b'), retries: 0, timeout: 60 });
    expect(parse({ fits: [{ id: 'x', data: 'd.csv' }] }, { out: join(dir, 'cli-out') }).out).toBe(join(dir, 'cli-out'));
  });

  it('names the file, the entry and the key of every mistake', () => {
    const base = { out: 'runs', defaults: { data: 'd.csv' } };
    const cases: [unknown, RegExp][] = [
      [{ ...base, fits: [{ id: 'a' }, { id: 'b', filtr: {} }] }, /batch\.json: fits\[1\]\.filtr: unknown key \(allowed: id, out, rolling, backtest, data, config/],
      [{ ...base, fits: [{ id: 'a', options: { chains: 0 } }] }, /batch\.json: fits\[0\]\.options\.chains: expected an integer >= 1, got 0/],
      [{ ...base, fits: [{ id: 'a', options: { backend: 'gpu' } }] }, /fits\[0\]\.options\.backend: expected one of tensorflow, wasm, cpu, got "gpu"/],
      [{ ...base, fits: [{ id: 'a', options: { warmupPlan: 'nuts-rs' } }] }, /fits\[0\]\.options\.warmupPlan: expected "stan", "staged" or "nutpie", got "nuts-rs"/],
      [{ ...base, fits: [{ id: 'a', options: { metric: 'full' } }] }, /fits\[0\]\.options\.metric: expected "diag", "dense" or "lowRank", got "full"/],
      [{ ...base, fits: [{ id: 'a', options: { stagedWarmup: {} } }] }, /fits\[0\]\.options\.stagedWarmup: not a fit option: set it in the config's "sampler"/],
      [{ ...base, fits: [{ id: 'a' }, { id: 'a' }] }, /fits\[1\]\.id: duplicate id "a" \(also fits\[0\]\)/],
      [{ ...base, fits: [{ id: 'a/b' }] }, /fits\[0\]\.id: expected letters, digits/],
      [{ ...base, fits: [{ data: 'x.csv' }] }, /fits\[0\]\.id: missing/],
      [{ out: 'runs', fits: [{ id: 'a' }] }, /fits\[0\]\.data: missing: no data file/],
      [{ ...base, fits: [{ id: 'a', filter: { geos: [] } }] }, /fits\[0\]\.filter\.geos: expected a non-empty array/],
      [{ ...base, fits: [{ id: 'a', filter: { from: '2023-02-30' } }] }, /fits\[0\]\.filter\.from: expected an ISO date "YYYY-MM-DD", got "2023-02-30"/],
      [{ ...base, fits: [{ id: 'a', filter: { from: '2023-02-01', to: '2023-01-01' } }] }, /fits\[0\]\.filter: "from" 2023-02-01 is after "to" 2023-01-01/],
      [{ ...base, fits: [{ id: 'a', rolling: { step: 13 } }] }, /fits\[0\]\.rolling\.window: missing/],
      [{ ...base, fits: [{ id: 'a', rolling: { window: 52, step: 13 }, backtest: { holdout: 4, folds: 2 } }] }, /fits\[0\]: give either "rolling" or "backtest"/],
      [{ ...base, defaults: { data: 'd.csv', rolling: {} }, fits: [{ id: 'a' }] }, /batch\.json: defaults\.rolling: unknown key/],
      [{ ...base, fits: [] }, /batch\.json: fits: expected a non-empty array/],
      [{ defaults: { data: 'd.csv' }, fits: [{ id: 'a' }] }, /batch\.json: out: missing/],
      [{ ...base, fits: [{ id: 'a', patch: [1] }] }, /fits\[0\]\.patch: expected an object/],
    ];
    for (const [json, message] of cases) expect(() => parse(json), String(message)).toThrow(message);
  });
});

describe('merge patch and canonical JSON', () => {
  it('follows RFC 7396 and sorts keys', () => {
    // RFC 7396 appendix A examples.
    expect(mergePatch({ a: 'b' }, { a: 'c' })).toEqual({ a: 'c' });
    expect(mergePatch({ a: 'b' }, { a: null })).toEqual({});
    expect(mergePatch({ a: [{ b: 'c' }] }, { a: [1] })).toEqual({ a: [1] });
    expect(mergePatch({ a: { b: 'c' } }, { a: { b: 'd', c: null } })).toEqual({ a: { b: 'd' } });
    expect(mergePatch(['a', 'b'], { a: 'b' })).toEqual({ a: 'b' });
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"e":2,"f":1}]},"b":1}');
  });
});

describe('batch plan', () => {
  const defaults = { data: national, config: nationalConfig, options: { chains: 2, warmup: 30, draws: 30 } };

  it('expands rolling windows and backtest folds from the data dates', () => {
    const plan = planBatch(parse({ out: 'runs', defaults, fits: [{ id: 'roll', rolling: { window: 52, step: 13 } }, { id: 'bt', backtest: { holdout: 13, folds: 3 } }, { id: 'plain' }] }));
    const roll = plan.tasks.filter((t) => t.series?.entry === 'roll');
    // 104 weekly periods: windows start at periods 0, 13, 26, 39, 52.
    expect(roll.map((t) => t.id)).toEqual(['roll/w01', 'roll/w02', 'roll/w03', 'roll/w04', 'roll/w05']);
    expect(roll[0].series).toMatchObject({ kind: 'rolling', index: 1, count: 5, from: '2022-01-03', to: '2022-12-26', holdout: 0 });
    expect(roll[4].series).toMatchObject({ from: '2023-01-02', to: '2023-12-25' });
    expect(roll[1].filter).toEqual({ from: '2022-04-04', to: '2023-03-27' });
    expect(roll[2].out).toBe(join(dir, 'runs', 'roll', 'w03'));
    const bt = plan.tasks.filter((t) => t.series?.entry === 'bt');
    expect(bt.map((t) => [t.series!.from, t.series!.to, t.config.holdout.periods])).toEqual([
      ['2022-01-03', '2023-06-26', 13],
      ['2022-01-03', '2023-09-25', 13],
      ['2022-01-03', '2023-12-25', 13],
    ]);
    const plain = plan.tasks.find((t) => t.id === 'plain')!;
    expect(plain.config.sampler).toMatchObject({ chains: 2, warmup: 30, draws: 30 });
    expect(plain.series).toBeUndefined();
    expect(plan.batchId).toMatch(/^[0-9a-f]{12}$/);
    expect(new Set(plan.tasks.map((t) => t.fingerprint)).size).toBe(plan.tasks.length);
  });

  it('passes every sampler option to the fit\'s config, the warmup plan and metric included', () => {
    const plan = planBatch(parse({ out: 'runs', defaults, fits: [{ id: 'nutpie', options: { warmupPlan: 'nutpie', metric: 'lowRank', adaptDelta: 0.9, maxTreeDepth: 8 } }, { id: 'staged', options: { warmupPlan: 'staged', metric: 'dense', warmup: 200, adaptiveCentering: true } }] }));
    expect(plan.tasks[0].config.sampler).toMatchObject({ chains: 2, warmupPlan: 'nutpie', metric: 'lowRank', adaptDelta: 0.9, maxTreeDepth: 8 });
    expect(plan.tasks[1].config.sampler).toMatchObject({ warmupPlan: 'staged', metric: 'dense', adaptiveCentering: true });
    expect(plan.tasks[0].config.sampler.adaptiveCentering).toBe(false);
    expect(() => planBatch(parse({ out: 'runs', defaults, fits: [{ id: 'a', options: { warmupPlan: 'nutpie', metric: 'dense' } }] }))).toThrow(/batch\.json: fits\[0\] .*sampler\.metric: warmupPlan "nutpie" adapts "diag"/);
  });

  it('fingerprints change exactly when data, filter, config or backend change', () => {
    const fingerprint = (fit: Record<string, unknown>, extra: Record<string, unknown> = {}) => planBatch(parse({ out: 'runs', defaults: { ...defaults, ...extra }, fits: [{ id: 'a', ...fit }] })).tasks[0].fingerprint;
    const base = fingerprint({});
    expect(fingerprint({})).toBe(base);
    expect(fingerprint({ retries: 5, timeout: 10, out: 'other' })).toBe(base);
    expect(fingerprint({ options: { seed: 2 } })).not.toBe(base);
    expect(fingerprint({ patch: { model: { adstock: { type: 'geometric', maxLag: 6 } } } })).not.toBe(base);
    expect(fingerprint({ filter: { from: '2022-02-07' } })).not.toBe(base);
    expect(fingerprint({ options: { backend: 'cpu' } })).not.toBe(base);
    const copy = join(dir, 'national-copy.csv');
    writeFileSync(copy, readFileSync(national));
    expect(fingerprint({ data: copy })).toBe(base);
    writeFileSync(copy, readFileSync(national, 'utf8').replace('88807.00', '88807.01'));
    expect(fingerprint({ data: copy })).not.toBe(base);
  });

  it('stops before any fit on a bad config, a bad filter or a series that does not fit the data', () => {
    const plan = (fits: unknown[], extra: Record<string, unknown> = {}) => planBatch(parse({ out: 'runs', defaults: { ...defaults, ...extra }, fits }));
    expect(() => plan([{ id: 'a', patch: { model: { adstock: { type: 'nope' } } } }])).toThrow(/batch\.json: fits\[0\] \(config .*national\.config\.json with patches and options\): model\.adstock\.type/);
    expect(() => plan([{ id: 'a', config: join(dir, 'missing.json') }])).toThrow(/batch\.json: fits\[0\]\.config: cannot read .*missing\.json/);
    expect(() => plan([{ id: 'a', data: join(dir, 'missing.csv') }])).toThrow(/batch\.json: fits\[0\]\.data: cannot read .*missing\.csv/);
    expect(() => plan([{ id: 'a', filter: { geos: ['north'] } }])).toThrow(/batch\.json: fits\[0\]\.filter: national\.csv: the filter names geos \(north\) but the data is national/);
    expect(() => plan([{ id: 'g', filter: { geos: ['north', 'middle'] } }], { data: geo, config: geoConfig })).toThrow(/fits\[0\]\.filter: geo\.csv: geo "middle" not in column "geo" \(geos: north, south, east, west\)/);
    expect(() => plan([{ id: 'r', rolling: { window: 200, step: 13 } }])).toThrow(/fits\[0\]\.rolling\.window: the data has 104 periods \(after the filter\), fewer than the window 200/);
    expect(() => plan([{ id: 'b', backtest: { holdout: 40, folds: 3 } }])).toThrow(/fits\[0\]\.backtest: fold 1 of 3 would fit 0 periods before its holdout/);
    expect(() => plan([{ id: 'a' }, { id: 'b', out: 'a' }])).toThrow(/fits\[1\]\.out: fit "b" writes to .* the same directory as fit "a"/);
    expect(() => plan([{ id: 'a' }, { id: 'b', out: 'a/inner' }])).toThrow(/fits\[1\]\.out: fit "b" writes to .*inside the directory of fit "a"/);
  });

  // found by tests/fuzz.config.test.ts (mutated manifests) and in review of what it reached
  it('names the key of what the manifest fuzzer found: odd keys, folds beyond the data, timeouts a timer cannot take, "__proto__" in a patch', () => {
    const plan = (fits: unknown[]) => planBatch(parse({ out: 'runs', defaults, fits }));
    expect(() => parse(JSON.parse('{"": 1, "out": "runs", "fits": [{"id": "a", "data": "d.csv"}]}'))).toThrow(/^[^:]*batch\.json: \[""\]: unknown key \(allowed: name, out, defaults, fits\)$/);
    expect(() => parse({ out: 'runs', fits: [{ id: 'a', data: 'd.csv', 'retries ': 1 }] })).toThrow(/batch\.json: fits\[0\]\["retries "\]: unknown key/);
    // folds > 2^32 - 1 was a RangeError (Invalid array length)
    expect(() => plan([{ id: 'b', backtest: { holdout: 4, folds: 1e10 } }])).toThrow(/batch\.json: fits\[0\]\.backtest\.folds: 10000000000 folds, but the data has 104 periods \(after the filter\)/);
    // Infinity (1e400) or more than 2^31 - 1 ms made a timer that fired after 1 ms
    expect(() => parse(JSON.parse('{"out": "runs", "fits": [{"id": "a", "data": "d.csv", "timeout": 1e400}]}'))).toThrow(/fits\[0\]\.timeout: expected seconds > 0, at most 2147483 \(about 24 days\), got Infinity/);
    expect(() => parse({ out: 'runs', fits: [{ id: 'a', data: 'd.csv', timeout: 3e6 }] })).toThrow(/fits\[0\]\.timeout: expected seconds > 0, at most 2147483/);
    expect(parse({ out: 'runs', fits: [{ id: 'a', data: 'd.csv', timeout: 2147483 }] }).fits[0].timeout).toBe(2147483);
    // a patch's "__proto__" key was assigned as the prototype: the config inherited it unseen; now it is a key the config parser names
    const patched = mergePatch({ holdout: { periods: 2 } }, JSON.parse('{"__proto__": {"holdout": {"periods": 4}}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(patched)).toBe(Object.prototype);
    expect(Object.keys(patched)).toEqual(['holdout', '__proto__']);
    expect(() => plan([{ id: 'a', patch: JSON.parse('{"__proto__": {"holdout": {"periods": 4}}}') }])).toThrow(/batch\.json: fits\[0\] \(config .*national\.config\.json with patches and options\): __proto__: unknown key/);
  });

  // found by tests/fuzz.config.test.ts: a JSON file saved with a byte order mark was "not valid JSON"
  it('reads manifests and run configs saved with a UTF-8 byte order mark', () => {
    const manifestFile = join(dir, 'bom-batch.json');
    const configFile = join(dir, 'bom-config.json');
    writeFileSync(configFile, `\ufeff${JSON.stringify({ holdout: { periods: 3 } })}`);
    writeFileSync(manifestFile, `\ufeff${JSON.stringify({ out: 'runs', fits: [{ id: 'a', data: national, config: configFile }] })}`);
    expect(loadRunConfig(configFile).holdout.periods).toBe(3);
    const manifest = loadManifest(manifestFile);
    expect(manifest.fits.map((f) => f.id)).toEqual(['a']);
    expect(planBatch(manifest).tasks[0].config.holdout.periods).toBe(3);
    writeFileSync(configFile, '\ufeff{"holdout": ');
    expect(() => loadRunConfig(configFile)).toThrow(`${configFile}: not valid JSON`);
  });
});

describe('data filter', () => {
  it('keeps the chosen geos and dates before validation, with file row numbers', async () => {
    const source = await loadCsvSource(geo);
    const spec = JSON.parse(readFileSync(geoConfig, 'utf8')).data;
    const roles = filterRoles(source, spec);
    const filtered = filterSource(source, roles, { geos: ['south', 'north'], from: '2023-03-06', to: '2023-12-25' });
    const data = buildMmmData(filtered, spec);
    expect(data.geoNames).toEqual(['north', 'south']);
    expect(data.dates[0]).toBe('2023-03-06');
    expect(data.dates[data.T - 1]).toBe('2023-12-25');
    expect(data.provenance.rowCount).toBe(2 * data.T);
    expect(data.provenance.fileRowCount).toBe(312);
    expect(data.provenance.sha256).toBe(source.sha256);
    // A bad cell outside the filter is not read; inside it, the issue names the file's row.
    const lines = readFileSync(geo, 'utf8').split('\n');
    const eastRow = lines.findIndex((line) => line.startsWith('east,2023-05-01'));
    lines[eastRow] = lines[eastRow].replace(/^(east,2023-05-01,)[^,]*/, '$1abc');
    const bad = join(dir, 'geo-bad.csv');
    writeFileSync(bad, lines.join('\n'));
    const badSource = await loadCsvSource(bad);
    expect(() => buildMmmData(filterSource(badSource, roles, { geos: ['north', 'south'] }), spec)).not.toThrow();
    let error: unknown;
    try {
      buildMmmData(filterSource(badSource, roles, { geos: ['east'] }), spec);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataValidationError);
    expect((error as Error).message).toContain(`geo-bad.csv, row ${eastRow + 1}, column "tv_spend": not a number: "abc"`);
  });
});

describe('output state', () => {
  it('says why an output is not complete', () => {
    const task = { out: join(dir, 'state', 'fit'), fingerprint: 'f'.repeat(64), config: { sampler: { chains: 2, draws: 30 } } } as unknown as FitTask;
    expect(outputState(task)).toEqual({ complete: false, reason: 'no output yet' });
    mkdirSync(task.out, { recursive: true });
    expect(outputState(task)).toMatchObject({ complete: false, reason: expect.stringMatching(/batch-fit\.json is missing/) });
    writeFileSync(join(task.out, 'batch-fit.json'), JSON.stringify({ format: 'mixwell-batch-fit/1', fingerprint: 'e'.repeat(64) }));
    expect(outputState(task)).toMatchObject({ complete: false, reason: expect.stringMatching(/data, filter or config changed/) });
    writeFileSync(join(task.out, 'batch-fit.json'), JSON.stringify({ format: 'mixwell-batch-fit/1', fingerprint: task.fingerprint }));
    expect(outputState(task)).toMatchObject({ complete: false, reason: 'config.json is missing or empty' });
  });
});

describe('stability summary and chart', () => {
  const row = (window: number, channel: string, metric: StabilityRow['metric'], median: number, sd: number): StabilityRow => ({
    series: 'roll',
    window,
    from: `2022-0${window}-03`,
    to: `2023-0${window}-05`,
    channel,
    metric,
    mean: median,
    sd,
    median,
    q05: median - 1.645 * sd,
    q95: median + 1.645 * sd,
  });
  const rows = [1, 2, 3, 4].flatMap((w) => [
    row(w, 'tv', 'roi', 2 + 0.05 * (w % 2), 0.3), // flat: stable
    row(w, 'search', 'roi', 1 + 0.4 * w, 0.1), // trend far beyond its intervals: drifting
    row(w, 'social', 'roi', 1 + 0.5 * (w % 2), 0.2), // intervals overlap but means jump: check
    row(w, '(all media)', 'roi', 1.5, 0.1),
    row(w, 'tv', 'coefficient', -1, 0.2),
    row(w, 'search', 'coefficient', -1.2, 0.2),
    row(w, 'social', 'coefficient', -2, 0.2),
  ]);

  it('compares the spread of window means with the posterior sd', () => {
    const summary = stabilitySummary(rows);
    const verdict = (channel: string, metric = 'roi') => summary.find((s) => s.channel === channel && s.metric === metric)!;
    expect(verdict('tv')).toMatchObject({ windows: 4, verdict: 'stable', intervalsOverlap: true });
    expect(verdict('tv').ratio).toBeLessThan(1);
    expect(verdict('search')).toMatchObject({ verdict: 'drifting', intervalsOverlap: false });
    expect(verdict('social')).toMatchObject({ verdict: 'check', intervalsOverlap: true });
    expect(verdict('social').ratio).toBeGreaterThan(1);
    expect(verdict('tv', 'coefficient')).toMatchObject({ betweenSd: 0, verdict: 'stable' });
    expect(verdictOf(true, 1)).toBe('stable');
    expect(verdictOf(true, 1.01)).toBe('check');
    expect(verdictOf(false, 0)).toBe('drifting');
  });

  it('draws a schema-valid chart with a full grid (channels with every metric)', async () => {
    const spec = stabilitySpec('roll', rows, stabilitySummary(rows), METRIC_LABELS, ['tv', 'search', 'social', '(all media)']);
    expect(schemaErrors(spec)).toEqual([]);
    expect(compileSpec(spec).warnings).toEqual([]);
    const values = (spec.data as { values: Record<string, unknown>[] }).values;
    expect(new Set(values.map((v) => v.channel))).toEqual(new Set(['tv', 'search', 'social']));
    expect(values.filter((v) => v.kind === 'window')).toHaveLength(4 * 6);
    const svg = await renderSvg(spec);
    expect(svg).toMatch(/^<svg/);
    for (const text of ['Rolling-window stability: roll', 'coefficient m', 'ROI', 'search']) expect(svg).toContain(text);
  }, 60_000);
});

describe('progress view', () => {
  it('prints a line per finished fit, a line per 10% of a running fit and an overall line without a TTY', () => {
    let text = '';
    const view = createProgressView({ write: (t: string) => (text += t), isTTY: false });
    const task = (id: string) => ({ id }) as FitTask;
    const record = { id: 'a', status: 'done', attempts: 1, errors: [], seconds: { total: 12.34, sampling: 9 }, health: { level: 'warning', counts: { ok: 5, warning: 1, error: 0 }, flags: [{ level: 'warning', code: 'rhat', message: '' }] }, roi: [{ channel: 'tv', mean: 1.7, median: 1.71, q05: 1.37, q95: 2.02 }] } as unknown as FitRecord;
    view.handle({ type: 'plan', total: 3, toRun: 2, skipped: 1, workers: 2 });
    view.handle({ type: 'skipped', task: task('old'), record: { ...record, status: 'skipped' } });
    view.handle({ type: 'start', task: task('a'), attempt: 1, pid: 123, worker: 'w' });
    view.handle({ type: 'progress', task: task('a'), attempt: 1, progress: { completed: 10, total: 120, phase: 'warmup', divergences: 0 } });
    view.handle({ type: 'progress', task: task('a'), attempt: 1, progress: { completed: 40, total: 120, phase: 'warmup', divergences: 0 } });
    view.handle({ type: 'progress', task: task('a'), attempt: 1, progress: { completed: 41, total: 120, phase: 'warmup', divergences: 0 } });
    view.handle({ type: 'progress', task: task('a'), attempt: 1, progress: { completed: 90, total: 120, phase: 'sampling', divergences: 2 } });
    view.handle({ type: 'retry', task: task('a'), error: { attempt: 1, kind: 'crash', message: 'worker process 123 was killed by SIGKILL during the fit' }, attemptsLeft: 1 });
    view.handle({ type: 'done', task: task('a'), record });
    view.handle({ type: 'failed', task: task('b'), record: { ...record, id: 'b', status: 'failed', note: 'bad input: not retried', errors: [{ attempt: 1, kind: 'error', message: '1 data problem:\n  - bad.csv, row 5' }] } });
    view.close();
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('batch: 3 fits, 1 already complete, 2 to run on 2 worker processes at a time');
    expect(text).toMatch(/skip +old +output complete/);
    expect(text).toMatch(/start +a +attempt 1 \(process 123\)/);
    // a running fit gets a line at every 10% it crosses (not at every progress event)
    expect(text.match(/^running +a +/gm)).toHaveLength(2);
    expect(text).toMatch(/running +a +30% warmup, divergences 0/);
    expect(text).toMatch(/running +a +70% sampling, divergences 2/);
    expect(text).toMatch(/retry +a +attempt 1 failed \(crash\): worker process 123 was killed by SIGKILL during the fit; 1 attempt left/);
    expect(text).toMatch(/done +a +12\.3 s  health warning \(rhat\)  ROI tv 1\.71 \[1\.37, 2\.02\]/);
    expect(text).toMatch(/FAILED +b +bad input: not retried: 1 data problem:\n +- bad\.csv, row 5/);
    expect(lines[lines.length - 1]).toMatch(/^\[#+\] 3\/3 fits  done 1  skipped 1  failed 1  running 0/);
    expect(text).not.toContain('\x1b[');
  });
});

describe('mixwell batch usage', () => {
  it('rejects contradictory options', async () => {
    await expect(batchCommand(['--status'])).rejects.toThrow(/--status and --wait need --queue/);
    await expect(batchCommand([])).rejects.toThrow(/batch needs a MANIFEST file/);
    await expect(batchCommand(['m.json', '--queue', 'http://x:1'])).rejects.toThrow(/--queue: expected redis:\/\/HOST:PORT/);
    await expect(batchCommand(['m.json', '--queue', 'redis://h:1', '--status', '--wait'])).rejects.toThrow(/either --status or --wait/);
  });
});
