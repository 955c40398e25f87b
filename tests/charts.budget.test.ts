/**
 * The report's budget section, without sampling: a run directory of the national example written
 * from a hand-made posterior (tests/fixtures/charts/exampleRun.ts) and a stored allocation.json
 * (tests/fixtures/charts/allocation.national.json: what `mixwell optimize RUN --budget 190000
 * --periods 13 --decision-draws 0 --max-draws 60` wrote for that run, trimmed of its curves and
 * rounded). `mixwell report DIR` finds DIR/optimize/allocation.json (where `mixwell optimize DIR`
 * writes by default) or the file named by --allocation, and shows current vs optimized spend, the
 * uplift's 90% interval and P(beats current); bad or foreign allocations are clear errors. Two full
 * reports are written (the second with a trade-off); one test runs the real optimizer (no sampling, about a second) to check that the
 * report's rows and the optimizer's output agree, and one writes a two-channel trade-off
 * (`mixwell optimize --tradeoff`) that the report then charts in the same section.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatNumber, schemaErrors, TEXT, type ChartSpec } from '../src/charts/index.js';
import { readRunFiles } from '../src/run/index.js';
import {
  allocationMismatch,
  budgetAllocationFromJson,
  budgetHtml,
  readBudgetAllocation,
  readTradeoff,
  reportBudget,
  reportData,
  reportTradeoff,
  tradeoffChartFromJson,
  tradeoffMismatch,
} from '../src/report/index.js';
import { UsageError } from '../src/cli/args.js';
import { run as optimize } from '../src/cli/commands/optimize.js';
import { run as report } from '../src/cli/commands/report.js';
import { writeExampleRun } from './fixtures/charts/exampleRun.js';

const FIXTURE = new URL('./fixtures/charts/allocation.national.json', import.meta.url).pathname;
const stored = () => JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>;

async function capture(action: () => Promise<void>): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    await action();
    return { stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

function embeddedSpecs(page: string): Record<string, ChartSpec> {
  const match = /<script type="application\/json" id="mixwell-specs">([\s\S]*?)<\/script>/.exec(page);
  if (!match) throw new Error('no spec block');
  return JSON.parse(match[1]);
}

/** The HTML of one report section. */
function section(page: string, id: string): string {
  const match = new RegExp(`<section id="${id}">([\\s\\S]*?)</section>`).exec(page);
  return match ? match[1] : '';
}

const tmp = mkdtempSync(join(tmpdir(), 'mixwell-budget-'));
const runDir = join(tmp, 'run');

beforeAll(async () => {
  await writeExampleRun(runDir, { dataset: 'national', holdout: 0, chains: 2, draws: 60 });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('allocation.json -> budget allocation', () => {
  it('reads spend now and proposed, the uplift interval, P(beats current), window, objective and unit', () => {
    const allocation = readBudgetAllocation(FIXTURE);
    expect(allocation.rows).toEqual([
      { channel: 'tv', current: 61958.34, proposed: 72965.19 },
      { channel: 'search', current: 79775.2, proposed: 61525.32 },
      { channel: 'social', current: 50932.08, proposed: 55509.49 },
    ]);
    expect(allocation.uplift).toEqual({ mean: 717.81, q05: -2537.89, q95: 3678.57 });
    expect(allocation.pBeatsCurrent).toBe(0.633333);
    expect(allocation.window).toEqual({ level: 'channel', periods: 13, from: '2023-10-02', to: '2023-12-25' });
    expect(allocation.objective).toBe('posterior mean of the KPI');
    expect(allocation.unit).toBe('kpi');
    expect(allocation.draws).toBe(120);
    expect(allocation.source).toBe(FIXTURE);
  });

  it('sums a geo-level plan by channel', () => {
    const json = {
      ...stored(),
      plan: [
        { channel: 'tv', geo: 'north', spend: 10 },
        { channel: 'search', geo: 'north', spend: 5 },
        { channel: 'tv', geo: 'south', spend: 20 },
        { channel: 'search', geo: 'south', spend: 1 },
      ],
      currentPlan: [
        { channel: 'tv', geo: 'north', spend: 12 },
        { channel: 'search', geo: 'north', spend: 4 },
        { channel: 'tv', geo: 'south', spend: 15 },
        { channel: 'search', geo: 'south', spend: 3 },
      ],
    };
    expect(budgetAllocationFromJson(json, 'geo.json').rows).toEqual([
      { channel: 'tv', current: 27, proposed: 30 },
      { channel: 'search', current: 7, proposed: 6 },
    ]);
  });

  it('rejects malformed files naming the file and the field', () => {
    const bad = (patch: Record<string, unknown>) => () => budgetAllocationFromJson({ ...stored(), ...patch }, 'a.json');
    expect(() => budgetAllocationFromJson([], 'a.json')).toThrow(/^a\.json: expected a JSON object/);
    expect(bad({ plan: undefined })).toThrow(/a\.json: plan must be a non-empty list/);
    expect(bad({ plan: [{ channel: 'tv', spend: -1 }, { channel: 'search', spend: 1 }, { channel: 'social', spend: 1 }] })).toThrow(/a\.json: plan\[0\]\.spend must be >= 0/);
    expect(bad({ currentPlan: [{ channel: 'tv', spend: 1 }] })).toThrow(/plan has 3 entries but currentPlan has 1/);
    expect(bad({ currentPlan: [{ channel: 'search', spend: 1 }, { channel: 'tv', spend: 1 }, { channel: 'social', spend: 1 }] })).toThrow(/plan\[0\] is tv but currentPlan\[0\] is search/);
    expect(bad({ uplift: { mean: 1, q05: 'NaN', q95: 2 } })).toThrow(/a\.json: uplift\.q05 must be a finite number, got "NaN"/);
    expect(bad({ probabilityBeatsCurrent: 1.5 })).toThrow(/probabilityBeatsCurrent must be in \[0, 1\]/);
    expect(bad({ window: { level: 'channel', periods: 0, from: 'a', to: 'b' } })).toThrow(/window\.periods must be a positive integer/);
    expect(bad({ unit: 'euros' })).toThrow(/unit must be "kpi" or "revenue"/);
    expect(() => readBudgetAllocation(join(tmp, 'missing.json'))).toThrow(/missing\.json: cannot read the allocation/);
  });

  it('knows when an allocation belongs to another run', () => {
    const { run } = readRunFiles(runDir);
    const channels = run.design.channelNames;
    const dates = run.design.dates;
    expect(allocationMismatch(readBudgetAllocation(FIXTURE), channels, dates)).toEqual([]);
    const radio = budgetAllocationFromJson({ ...stored(), plan: [{ channel: 'radio', spend: 1 }], currentPlan: [{ channel: 'radio', spend: 1 }] }, 'r.json');
    expect(allocationMismatch(radio, channels, dates)).toEqual(['r.json: channel "radio" is not a channel of the run (tv, search, social)']);
    // the geo example's window (its data end on 2024-06-24)
    const geoWindow = budgetAllocationFromJson({ ...stored(), window: { level: 'channel', periods: 13, from: '2024-04-01', to: '2024-06-24' } }, 'g.json');
    expect(allocationMismatch(geoWindow, channels, dates)[0]).toMatch(/g\.json: the planning window 2024-04-01 \.\. 2024-06-24 is not the run's last 13 periods \(2023-10-02 \.\. 2023-12-25\)/);
    const long = budgetAllocationFromJson({ ...stored(), window: { level: 'channel', periods: 200, from: 'a', to: 'b' } }, 'l.json');
    expect(allocationMismatch(long, channels, dates)[0]).toMatch(/window has 200 periods but the run has 104/);
  });

  it('the section HTML: a row per channel and a total, window, objective, uplift interval and P(beats current)', () => {
    const html = budgetHtml(readBudgetAllocation(FIXTURE), 104);
    for (const header of TEXT.report.budget.headers) expect(html).toContain(`<th>${header}</th>`);
    expect(html).toContain('<td>tv</td><td>61,960</td><td>72,970</td><td>11,010</td><td>17.8%</td>');
    expect(html).toContain('<td><b>Total</b></td><td>192,700</td><td>190,000</td><td>-2,666</td><td>-1.4%</td>');
    expect(html).toContain(TEXT.report.budget.window(13, '2023-10-02', '2023-12-25', 'channel'));
    expect(html).toContain('Objective: posterior mean of the KPI.');
    expect(html).toContain('Expected uplift in KPI over the window: 718 (90% interval -2,540 to 3,680).');
    expect(html).toContain('P(proposed beats current) = 63.3% over 120 paired posterior draws.');
    expect(html).toContain(TEXT.report.budget.curvesNote);
    expect(budgetHtml(readBudgetAllocation(FIXTURE), 13)).not.toContain(TEXT.report.budget.curvesNote);
  });
});

describe('mixwell report with a budget allocation', () => {
  let page = '';
  let output: { stdout: string; stderr: string };

  beforeAll(async () => {
    mkdirSync(join(runDir, 'optimize'), { recursive: true });
    copyFileSync(FIXTURE, join(runDir, 'optimize', 'allocation.json'));
    output = await capture(() => report([runDir, '--max-draws', '60']));
    page = readFileSync(join(runDir, 'report.html'), 'utf8');
  });

  it('finds DIR/optimize/allocation.json and adds the budget section and chart', () => {
    expect(output.stderr).toContain(TEXT.cli.reportBudget(join(runDir, 'optimize', 'allocation.json')));
    expect(output.stderr).not.toContain('older than');
    expect(page).toContain(`<h2>${TEXT.report.sections.budget}</h2>`);
    const budget = section(page, 'budget');
    expect(budget).toContain('<td>search</td><td>79,780</td><td>61,530</td><td>-18,250</td><td>-22.9%</td>');
    expect(budget).toContain('90% interval -2,540 to 3,680');
    expect(budget).toContain('P(proposed beats current) = 63.3%');
    expect(budget).toContain('id="chart-budget-allocation"');
    const spec = embeddedSpecs(page)['budget-allocation'];
    expect(schemaErrors(spec)).toEqual([]);
    expect(JSON.parse(readFileSync(join(runDir, 'charts', 'budget-allocation.vl.json'), 'utf8'))).toEqual(spec);
    const svg = readFileSync(join(runDir, 'charts', 'budget-allocation.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('P(beats current) = 63%');
    // the sections keep their order: the budget after the geo / curves sections, before priors
    const order = [...page.matchAll(/<section id="([a-z]+)">/g)].map((m) => m[1]);
    expect(order.indexOf('budget')).toBe(order.indexOf('curves') + 1);
  });

  it('does not mark 13-period proposals on the response curves (their x is spend over all 104 periods)', () => {
    const curves = embeddedSpecs(page)['response-curves'];
    const marks = (curves.data as { values: { kind?: string }[] }).values.filter((r) => r.kind === 'proposed');
    expect(marks).toEqual([]);
  });

  it('bad arguments and foreign allocations fail before anything is written', async () => {
    await expect(report([runDir, '--no-budget', '--allocation', FIXTURE])).rejects.toBeInstanceOf(UsageError);
    await expect(report([runDir, '--allocation', join(tmp, 'nowhere.json')])).rejects.toThrow(/nowhere\.json: cannot read the allocation/);
    const foreign = join(tmp, 'foreign.json');
    writeFileSync(foreign, JSON.stringify({ ...stored(), window: { level: 'channel', periods: 13, from: '2024-04-01', to: '2024-06-24' } }));
    await expect(report([runDir, '--allocation', foreign])).rejects.toThrow(/not the run's last 13 periods[\s\S]*made from another run/);
  });
});

describe('which allocation a report shows (reportBudget)', () => {
  it('DIR/optimize/allocation.json by default, a named file, none with allocation: false, a given one as is', () => {
    const { run } = readRunFiles(runDir);
    const dir = join(tmp, 'lookup');
    mkdirSync(dir, { recursive: true });
    expect(reportBudget(dir, run.design)).toEqual({ warnings: [] }); // no optimize/ folder: no section
    mkdirSync(join(dir, 'optimize'));
    copyFileSync(FIXTURE, join(dir, 'optimize', 'allocation.json'));
    const found = reportBudget(dir, run.design);
    expect(found.allocation).toBe(join(dir, 'optimize', 'allocation.json'));
    expect(found.budget?.rows).toHaveLength(3);
    expect(reportBudget(dir, run.design, { allocation: false })).toEqual({ warnings: [] });
    expect(reportBudget(dir, run.design, { allocation: FIXTURE }).allocation).toBe(FIXTURE);
    const given = readBudgetAllocation(FIXTURE);
    expect(reportBudget(dir, run.design, { budget: given, allocation: join(tmp, 'ignored.json') })).toEqual({ budget: given, warnings: [] });
  });

  it('warns when the allocation is older than the run\'s draws (it may come from an earlier fit)', () => {
    const { run } = readRunFiles(runDir);
    const old = join(tmp, 'old.json');
    copyFileSync(FIXTURE, old);
    utimesSync(old, new Date('2020-01-01'), new Date('2020-01-01'));
    expect(reportBudget(runDir, run.design, { allocation: old }).warnings).toEqual([TEXT.cli.allocationOlder(old)]);
    expect(reportBudget(runDir, run.design, { allocation: join(runDir, 'optimize', 'allocation.json') }).warnings).toEqual([]);
  });
});

describe('optimizer and report agree', () => {
  it('a whole-period allocation from mixwell optimize: same numbers in the report, proposed spend marked on the curves', async () => {
    const out = join(tmp, 'opt-all');
    await capture(() => optimize([runDir, '--budget', '2100000', '--periods', '104', '--decision-draws', '0', '--max-draws', '60', '--seed', '1', '--out', out]));
    const json = JSON.parse(readFileSync(join(out, 'allocation.json'), 'utf8'));
    const allocation = readBudgetAllocation(join(out, 'allocation.json'));
    expect(allocation.rows.map((r) => r.proposed)).toEqual(json.plan.map((e: { spend: number }) => e.spend));
    expect(allocation.pBeatsCurrent).toBe(json.probabilityBeatsCurrent);
    expect(allocation.uplift).toEqual({ mean: json.uplift.mean, q05: json.uplift.q05, q95: json.uplift.q95 });
    const data = reportData(readRunFiles(runDir), { budget: allocation, maxDraws: 60, priorDraws: 100, replicates: 20 });
    expect(data.budget).toBe(allocation);
    const proposed = data.responseMarks.filter((m) => m.kind === 'proposed');
    expect(proposed.map((m) => [m.channel, m.spend])).toEqual(allocation.rows.map((r) => [r.channel, r.proposed]));
    // proposals within +/-30% of current spend fall inside the curves' range (0 to 2x): all have a response
    for (const mark of proposed) expect(Number.isFinite(mark.response), mark.channel).toBe(true);
  });
});

describe('a two-channel trade-off in the report', () => {
  it('mixwell optimize DIR --tradeoff writes DIR/optimize/tradeoff.json; the report charts it in the budget section', async () => {
    const written = await capture(() => optimize([runDir, '--periods', '13', '--tradeoff', 'search,tv', '--tradeoff-points', '11', '--max-draws', '60']));
    expect(written.stderr).toContain(join(runDir, 'optimize', 'tradeoff.csv'));
    const path = join(runDir, 'optimize', 'tradeoff.json');
    const stored = readTradeoff(path);
    expect(stored.channels).toEqual(['search', 'tv']);
    expect(stored.window).toEqual({ level: 'channel', periods: 13, from: '2023-10-02', to: '2023-12-25' });
    const output = await capture(() => report([runDir, '--max-draws', '60']));
    expect(output.stderr).toContain(TEXT.cli.reportTradeoff(path));
    const page = readFileSync(join(runDir, 'report.html'), 'utf8');
    const budget = section(page, 'budget');
    expect(budget).toContain('id="chart-budget-allocation"');
    expect(budget).toContain('id="chart-budget-tradeoff"');
    expect(budget).toContain(TEXT.report.tradeoff.intro('search', 'tv', formatNumber(stored.total, 4)));
    const spec = embeddedSpecs(page)['budget-tradeoff'];
    expect(schemaErrors(spec)).toEqual([]);
    // the report's spec is the one written next to the rows by mixwell optimize
    expect(JSON.parse(readFileSync(join(runDir, 'optimize', 'tradeoff.vl.json'), 'utf8'))).toEqual(spec);
    expect(JSON.parse(readFileSync(join(runDir, 'charts', 'budget-tradeoff.vl.json'), 'utf8'))).toEqual(spec);
    expect(readFileSync(join(runDir, 'charts', 'budget-tradeoff.svg'), 'utf8')).toContain(TEXT.charts.tradeoff.title('search', 'tv'));
  });

  it('--no-budget leaves it out; malformed or foreign trade-offs are errors naming the file and the field', () => {
    const { run } = readRunFiles(runDir);
    const path = join(runDir, 'optimize', 'tradeoff.json');
    expect(reportTradeoff(runDir, run.design, { tradeoff: false })).toEqual({ warnings: [] });
    expect(reportTradeoff(runDir, run.design).path).toBe(path);
    expect(reportTradeoff(join(tmp, 'nowhere'), run.design)).toEqual({ warnings: [] });
    const json = JSON.parse(readFileSync(path, 'utf8'));
    const bad = (patch: Record<string, unknown>) => () => tradeoffChartFromJson({ ...json, ...patch }, 't.json');
    expect(bad({ channels: ['tv'] })).toThrow(/^t\.json: channels must be a list of two channel names/);
    expect(bad({ rows: [] })).toThrow(/^t\.json: rows must be a non-empty list/);
    expect(bad({ rows: [{ ...json.rows[0], pBeatsCurrent: 2 }] })).toThrow(/^t\.json: rows\[0\]\.pBeatsCurrent must be in \[0, 1\]/);
    expect(bad({ rows: [{ ...json.rows[0], isCurrent: 'yes' }] })).toThrow(/^t\.json: rows\[0\]\.isCurrent must be true or false/);
    expect(bad({ rows: json.rows.map((r: object) => ({ ...r, isCurrent: false })) })).toThrow(/exactly one row must be the current split/);
    const foreign = tradeoffChartFromJson({ ...json, channels: ['tv', 'radio'], window: { level: 'channel', periods: 13, from: '2024-04-01', to: '2024-06-24' } }, 'f.json');
    const problems = tradeoffMismatch(foreign, run.design.channelNames, run.design.dates);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^f\.json: channel "radio" is not a channel of the run/);
    expect(problems[1]).toMatch(/not the run's last 13 periods/);
  });
});
