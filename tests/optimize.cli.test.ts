/**
 * `mixwell optimize` and `mixwell scenario` on a fake run directory (the geo example's design and
 * a posterior made of its true parameters with seeded perturbations, written in the readRun
 * layout; no sampling): the files they write, what those say, and clear errors for bad input.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_MODEL_CONFIG } from '../models/mmm/config.js';
import { UsageError } from '../src/cli/args.js';
import * as optimize from '../src/cli/commands/optimize.js';
import * as scenario from '../src/cli/commands/scenario.js';
import { main } from '../src/cli/main.js';
import { schemaErrors } from '../src/charts/index.js';
import { readRun } from '../src/run/runDirectory.js';
import { loadGeoDesign, posteriorAround, readGeoTruth, truthShapes, truthValues } from './fixtures/analysis/examplePosterior.js';
import { writeFakeRun } from './fixtures/optimize/smallModels.js';
import { optimalFrequency } from '../src/analysis/index.js';
import { scaleData } from '../src/data/index.js';
import { designFromData } from '../models/mmm/design.js';
import { withRfChannels } from '../models/mmm/components/transformKinds.js';
import { loadExample, withRfChannel } from './support/examples.js';

async function capture(command: { run(argv: readonly string[]): Promise<void> }, argv: string[]): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    await command.run(argv);
    return { stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

function readCsv(path: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const names = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [names[i], cell])));
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('mixwell optimize and scenario', () => {
  const root = mkdtempSync(join(tmpdir(), 'mixwell-optimize-'));
  const runDir = join(root, 'run');

  beforeAll(async () => {
    const design = await loadGeoDesign();
    writeFakeRun(runDir, design, DEFAULT_MODEL_CONFIG, posteriorAround(truthValues(readGeoTruth()), truthShapes(4, 3), 2, 15, 0.1, 9));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('the fake run reads back', () => {
    const stored = readRun(runDir);
    expect(stored.posterior.chains * stored.posterior.drawsPerChain).toBe(30);
    expect(stored.design.channelNames).toEqual(['tv', 'search', 'social']);
  });

  it('optimize writes allocation.csv and allocation.json: plan, current plan, uplift interval, P(beats current)', async () => {
    const out = join(root, 'opt');
    const { stdout, stderr } = await capture(optimize, [runDir, '--budget', '400000', '--periods', '13', '--out', out, '--decision-draws', '10']);
    expect(stderr).toMatch(/wrote .*allocation\.csv/);
    expect(stdout).toMatch(/Budget allocation over 13 periods \(2024-04-01 \.\. 2024-06-24\), channel-level plan/);
    expect(stdout).toMatch(/P\(proposed beats current\) = [01]\.\d{3} \(30 paired draws\)/);
    const rows = readCsv(join(out, 'allocation.csv'));
    expect(rows.map((r) => r.channel)).toEqual(['tv', 'search', 'social']);
    expect(Object.keys(rows[0])).toEqual(expect.arrayContaining(['current', 'proposed', 'lower', 'upper', 'change_pct', 'optimal_share_q05', 'optimal_share_q95', 'mroi_current_mean', 'mroi_proposed_mean']));
    expect(sum(rows.map((r) => Number(r.proposed)))).toBeCloseTo(400000, 4);
    for (const row of rows) {
      expect(Number(row.proposed)).toBeGreaterThanOrEqual(Number(row.lower));
      expect(Number(row.proposed)).toBeLessThanOrEqual(Number(row.upper));
      expect(Number(row.lower)).toBeCloseTo(0.7 * Number(row.current), 6);
    }
    const json = JSON.parse(readFileSync(join(out, 'allocation.json'), 'utf8'));
    expect(json.budget).toBe(400000);
    expect(json.window).toEqual({ level: 'channel', periods: 13, from: '2024-04-01', to: '2024-06-24' });
    expect(json.plan.map((e: { spend: number }) => e.spend)).toEqual(rows.map((r) => Number(r.proposed)));
    expect(json.currentPlan.map((e: { channel: string }) => e.channel)).toEqual(['tv', 'search', 'social']);
    expect(json.probabilityBeatsCurrent).toBeGreaterThanOrEqual(0);
    expect(json.probabilityBeatsCurrent).toBeLessThanOrEqual(1);
    expect(json.uplift.q05).toBeLessThanOrEqual(json.uplift.q95);
    expect(json.sameBudget.uplift.mean).toBeGreaterThanOrEqual(0);
    expect(json.optimalShares).toHaveLength(3);
    expect(json.objective).toEqual({ type: 'mean', description: 'posterior mean of the KPI' });
    expect(readCsv(join(out, 'response_curves.csv'))).toHaveLength(3 * 41);
  });

  it('optimize takes bounds, risk-aware objectives and geo-level plans', async () => {
    const bounds = join(root, 'bounds.json');
    writeFileSync(bounds, JSON.stringify({ default: { lower: '-50%', upper: '+50%' }, channels: { tv: 'fixed' }, geos: { north: { search: { upper: '+10%' } } } }));
    const out = join(root, 'opt-geo');
    const { stdout } = await capture(optimize, [runDir, '--budget', '488736', '--periods', '13', '--bounds', bounds, '--objective', 'q10', '--geo-level', '--out', out, '--decision-draws', '0']);
    expect(stdout).toMatch(/Objective: 10% quantile of the KPI/);
    const rows = readCsv(join(out, 'allocation.csv'));
    expect(rows).toHaveLength(12);
    for (const row of rows) {
      if (row.channel === 'tv') expect(row.proposed).toBe(row.current);
      expect(Number(row.proposed)).toBeLessThanOrEqual(Number(row.upper));
    }
    const northSearch = rows.find((r) => r.geo === 'north' && r.channel === 'search')!;
    expect(Number(northSearch.upper)).toBeCloseTo(1.1 * Number(northSearch.current), 6);
    expect(sum(rows.map((r) => Number(r.proposed)))).toBeCloseTo(488736, 4);
  });

  it('optimize finds a flexible budget for a target KPI', async () => {
    const out = join(root, 'opt-target');
    const base = JSON.parse(readFileSync(join(root, 'opt', 'allocation.json'), 'utf8'));
    const target = base.kpi.current.mean;
    await capture(optimize, [runDir, '--target-kpi', String(target), '--periods', '13', '--out', out, '--decision-draws', '0']);
    const json = JSON.parse(readFileSync(join(out, 'allocation.json'), 'utf8'));
    expect(json.flexible.kind).toBe('targetKpi');
    expect(json.flexible.achieved).toBeGreaterThanOrEqual(target);
    // The optimized split reaches the current plan's mean KPI on less than the current budget.
    expect(json.budget).toBeLessThan(json.currentTotal);
  });

  it('scenario re-evaluates an allocation.csv and a JSON plan on every draw', async () => {
    const out = join(root, 'scn');
    const { stdout } = await capture(scenario, [runDir, '--plan', join(root, 'opt', 'allocation.csv'), '--periods', '13', '--out', out]);
    expect(stdout).toMatch(/Scenario over 13 periods/);
    const json = JSON.parse(readFileSync(join(out, 'scenario.json'), 'utf8'));
    const allocation = JSON.parse(readFileSync(join(root, 'opt', 'allocation.json'), 'utf8'));
    expect(json.draws).toBe(30);
    expect(json.uplift.mean).toBeCloseTo(allocation.uplift.mean, 6);
    expect(json.probabilityBeatsCurrent).toBe(allocation.probabilityBeatsCurrent);
    const plan = join(root, 'plan.json');
    writeFileSync(plan, JSON.stringify({ periods: 13, moves: [{ from: 'tv', amount: '20%', to: ['search', 'social'] }] }));
    const moved = await capture(scenario, [runDir, '--plan', plan]);
    expect(moved.stdout).toMatch(/tv\s+[\d,]+\s+[\d,]+\s+-20\.0%/);
    expect(moved.stdout).toMatch(/P\(plan beats current\) = /);
  });

  it('optimize --tradeoff A,B writes the trade-off rows (CSV, JSON), its chart (Vega-Lite, SVG) beside the allocation', async () => {
    const out = join(root, 'opt-tradeoff');
    const { stdout, stderr } = await capture(optimize, [runDir, '--budget', '400000', '--periods', '13', '--out', out, '--decision-draws', '0', '--tradeoff', 'tv,search', '--tradeoff-points', '11']);
    expect(stderr).toMatch(/wrote .*tradeoff\.csv, tradeoff\.json, tradeoff\.vl\.json and tradeoff\.svg/);
    expect(stdout).toMatch(/Budget allocation over 13 periods/);
    expect(stdout).toMatch(/Trade-off tv vs search over 13 periods \(2024-04-01 \.\. 2024-06-24\)/);
    expect(existsSync(join(out, 'allocation.json'))).toBe(true);
    const rows = readCsv(join(out, 'tradeoff.csv'));
    expect(rows.length).toBeGreaterThanOrEqual(11);
    expect(rows.filter((r) => r.isCurrent === 'true')).toHaveLength(1);
    expect(rows.filter((r) => r.isOptimum === 'true')).toHaveLength(1);
    const total = Number(rows[0].spendA) + Number(rows[0].spendB);
    for (const row of rows) {
      expect(row.channelA).toBe('tv');
      expect(Math.abs(Number(row.spendA) + Number(row.spendB) - total)).toBeLessThanOrEqual(1e-9 * total);
    }
    const current = rows.find((r) => r.isCurrent === 'true')!;
    expect([current.upliftMean, current.pBeatsCurrent]).toEqual(['0', '0']);
    const json = JSON.parse(readFileSync(join(out, 'tradeoff.json'), 'utf8'));
    expect(json.channels).toEqual(['tv', 'search']);
    expect(json.draws).toBe(30);
    expect(json.rows).toHaveLength(rows.length);
    const spec = JSON.parse(readFileSync(join(out, 'tradeoff.vl.json'), 'utf8'));
    expect(schemaErrors(spec)).toEqual([]);
    expect(readFileSync(join(out, 'tradeoff.svg'), 'utf8')).toMatch(/^<svg[\s\S]*Trade-off: tv vs search/);
  });

  it('optimize --tradeoff alone, within the bounds: no allocation, only splits the bounds allow', async () => {
    const out = join(root, 'tradeoff-only');
    const bounds = join(root, 'pair-bounds.json');
    writeFileSync(bounds, JSON.stringify({ channels: { search: { lower: '-10%', upper: '+10%' } } }));
    await capture(optimize, [runDir, '--periods', '13', '--out', out, '--tradeoff', 'search, social', '--bounds', bounds, '--tradeoff-points', '5']);
    expect(existsSync(join(out, 'allocation.json'))).toBe(false);
    const json = JSON.parse(readFileSync(join(out, 'tradeoff.json'), 'utf8'));
    expect(json.bounded).toBe(true);
    const search = json.rows.find((r: { isCurrent: boolean }) => r.isCurrent).spendA;
    for (const row of json.rows) {
      expect(row.spendA).toBeGreaterThanOrEqual(0.9 * search * (1 - 1e-12));
      expect(row.spendA).toBeLessThanOrEqual(1.1 * search * (1 + 1e-12));
    }
  });

  it('--tradeoff: unknown, repeated or not exactly two channels are usage errors (exit 2) naming the option', async () => {
    const bad: [string, RegExp][] = [
      ['tv,radio', /--tradeoff: unknown channel "radio"; the run's channels are tv, search, social/],
      ['tv,tv', /--tradeoff: channel "tv" is named twice/],
      ['tv', /--tradeoff: needs exactly two channels, got 1 \(tv\)/],
      ['tv,search,social', /--tradeoff: needs exactly two channels, got 3/],
      ['tv,', /--tradeoff: expected two channel names separated by a comma \(A,B\), got "tv,"/],
    ];
    for (const [value, message] of bad) {
      await expect(capture(optimize, [runDir, '--tradeoff', value])).rejects.toThrow(UsageError);
      await expect(capture(optimize, [runDir, '--tradeoff', value])).rejects.toThrow(message);
    }
    await expect(capture(optimize, [runDir, '--budget', '1', '--tradeoff-points', '5'])).rejects.toThrow(/--tradeoff-points goes with --tradeoff A,B/);
    await expect(capture(optimize, [runDir, '--tradeoff', 'tv,search', '--tradeoff-points', '1'])).rejects.toThrow(/--tradeoff-points must be an integer >= 2/);
    let stderr = '';
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['optimize', runDir, '--tradeoff', 'tv,radio'])).toBe(2);
      expect(await main(['optimize', runDir, '--tradeoff', 'search,search'])).toBe(2);
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
    expect(stderr).toContain('mixwell: --tradeoff: unknown channel "radio"');
    expect(stderr).toContain('mixwell: --tradeoff: channel "search" is named twice');
    expect(stderr).toMatch(/--tradeoff A,B \[--tradeoff-points N\]/);
  });

  it('rejects bad input with clear messages', async () => {
    await expect(capture(optimize, [runDir, '--budget', '-5'])).rejects.toThrow(UsageError);
    await expect(capture(optimize, [runDir, '--budget', '-5'])).rejects.toThrow(/--budget must be >= 0, got -5/);
    await expect(capture(optimize, [runDir, '--budget', 'lots'])).rejects.toThrow(/--budget must be a number, got lots/);
    await expect(capture(optimize, [runDir])).rejects.toThrow(/exactly one of --budget B, --target-kpi K or --target-mroi R \(or only --tradeoff A,B\)/);
    await expect(capture(optimize, [runDir, '--budget', '1', '--target-kpi', '2'])).rejects.toThrow(/exactly one/);
    await expect(capture(optimize, [runDir, '--budget', '1', '--objective', 'best'])).rejects.toThrow(/--objective: unknown objective "best"/);
    await expect(capture(optimize, [runDir, '--budget', '1e9', '--periods', '13'])).rejects.toThrow(/the bounds cannot meet the budget: upper bounds add up to/);
    const bounds = join(root, 'bad-bounds.json');
    writeFileSync(bounds, JSON.stringify({ channels: { radio: { upper: 10 } } }));
    await expect(capture(optimize, [runDir, '--budget', '400000', '--periods', '13', '--bounds', bounds])).rejects.toThrow(/bad-bounds\.json\.channels: unknown channel "radio"; the run's channels are tv, search, social/);
    const plan = join(root, 'bad-plan.json');
    writeFileSync(plan, JSON.stringify({ channels: { tv: '-20%', radio: 5 } }));
    await expect(capture(scenario, [runDir, '--plan', plan])).rejects.toThrow(/bad-plan\.json\.channels: unknown channel "radio"; the run's channels are tv, search, social/);
    await expect(capture(scenario, [runDir])).rejects.toThrow(/scenario needs --plan FILE/);
    await expect(capture(scenario, [runDir, '--plan', join(root, 'nowhere.json')])).rejects.toThrow(/cannot read plan file/);
  });
});

describe('mixwell optimize --optimal-frequency', () => {
  const root = mkdtempSync(join(tmpdir(), 'mixwell-optimize-rf-'));
  const runDir = join(root, 'run');
  const plainDir = join(root, 'plain');

  beforeAll(async () => {
    // the geo example with tv as a reach and frequency channel (Hill of the frequency: k_rf, s_rf)
    const data = withRfChannel(await loadExample('geo'), 'tv');
    const design = designFromData(data, scaleData(data));
    const config = withRfChannels(DEFAULT_MODEL_CONFIG, design.channelNames, design.channelKinds);
    const truth = truthValues(readGeoTruth());
    const values = { ...truth, k: truth.k.slice(1), s: truth.s.slice(1), k_rf: Float64Array.of(2.2), s_rf: Float64Array.of(2.5) };
    writeFakeRun(runDir, design, config, posteriorAround(values, truthShapes(4, 3), 2, 10, 0.1, 9));
    writeFakeRun(plainDir, await loadGeoDesign(), DEFAULT_MODEL_CONFIG, posteriorAround(truthValues(readGeoTruth()), truthShapes(4, 3), 2, 5, 0.1, 9));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('plans the rf channel at its optimal frequency, and says so', async () => {
    const stored = readRun(runDir);
    const fStar = optimalFrequency(stored.design, stored.model, stored.posterior).optimal[0].optimalFrequency;
    const out = join(root, 'opt');
    const { stdout, stderr } = await capture(optimize, [runDir, '--budget', '400000', '--periods', '13', '--optimal-frequency', '--out', out, '--decision-draws', '0']);
    expect(stderr + stdout).toMatch(new RegExp(`planned at a fixed frequency with reach = impressions / frequency: tv at ${fStar}`));
    expect(readCsv(join(out, 'allocation.csv')).map((r) => r.channel)).toEqual(['tv', 'search', 'social']);
  });

  it('refuses --optimal-frequency without rf channels or with --tradeoff', async () => {
    await expect(capture(optimize, [plainDir, '--budget', '400000', '--optimal-frequency'])).rejects.toThrow(/no reach and frequency channels/);
    await expect(capture(optimize, [runDir, '--tradeoff', 'tv,search', '--optimal-frequency'])).rejects.toThrow(UsageError);
  });
});
