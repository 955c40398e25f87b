/**
 * Notebook 3: budget optimization and scenarios under posterior uncertainty.
 *
 * A fitted MMM gives, for every posterior draw, the KPI a spend plan would bring over a planning
 * window. The optimizer (src/optimize) looks for the split of a fixed budget over channels that
 * maximizes an objective of those draws, within bounds (by default +/-30% of each channel's
 * current spend), by projected gradient ascent. Because every plan is scored on the same draws,
 * plan-vs-current comparisons are paired: the uplift's interval and P(plan beats current) come
 * straight from the per-draw differences.
 *
 * What it shows, using only Mixwell's public API (src/index.ts):
 *   1. fit the national example and save the run;
 *   2. the planning window (the last 13 weeks, a quarter) and its current spend;
 *   3. optimize the same budget for the posterior mean of the KPI;
 *   4. optimize it for a risk-averse objective (CVaR: the mean KPI in the worst 10% of draws;
 *      Rockafellar & Uryasev 2000) and compare the two plans;
 *   5. a scenario plan ("cut TV by 20% and move it to search and social") and a bigger budget;
 *   6. charts of current vs optimized spend with the uplift interval and P(beats current), and the
 *      run's HTML report with its budget section (the allocation stored where `mixwell optimize`
 *      puts it: <run>/optimize/allocation.json).
 *
 * Run: npx tsx notebooks/03-budget.ts   (MIXWELL_NOTEBOOK_DRAWS etc.: see notebooks/settings.ts)
 * Output: notebooks/out/03-budget/ (charts/, run/ with optimize/allocation.json and report.html, narrative.txt)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReport, charts, fitMmm, loadRunConfig, optimize, writeRun } from '../src/index.js';
import { fmt, notebookSettings, ROOT, table } from './settings.js';

const { chains, warmup, draws, seed, out, say } = notebookSettings('03-budget');
const PERIODS = 13;

// ---------------------------------------------------------------------------------------------
// 1. Fit the national example and save the run directory (the optimizer only needs the design,
//    the model config and the posterior: `readRun(dir)` gives the same three from a saved run).
// ---------------------------------------------------------------------------------------------
say('# Notebook 3: budget optimization and scenarios', '', `## 1. Fit: examples/national.csv, ${chains} chains x (${warmup} warmup + ${draws} draws)`);
const config = loadRunConfig(join(ROOT, 'examples', 'national.config.json'));
const fit = await fitMmm(join(ROOT, 'examples', 'national.csv'), config, { chains, warmup, draws, seed, progress: false, verbose: false });
const runDir = join(out, 'run');
await writeRun(runDir, fit, buildReport(fit, { priorDraws: 300 }));
const { design } = fit;
const modelConfig = fit.model.config;
const posterior = fit.result.posterior;
say(`${posterior.chains * posterior.drawsPerChain} posterior draws; run saved to ${runDir}`, '');

// ---------------------------------------------------------------------------------------------
// 2. The planning window: the last 13 periods of the data stand in for the quarter being planned,
//    and the spend observed there is the "current plan".
// ---------------------------------------------------------------------------------------------
const window = optimize.planningWindow(design, { periods: PERIODS });
const currentTotal = optimize.planTotal(window.current);
say(
  `## 2. Planning window: ${window.periods} periods, ${window.dates[0]} .. ${window.dates[window.dates.length - 1]}`,
  '',
  table(['channel', 'current spend'], window.entries.map((entry, p) => [entry.channel, fmt(window.current[p], 4)])),
  `total ${fmt(currentTotal, 4)}`,
  '',
);

// ---------------------------------------------------------------------------------------------
// 3. Same budget, best split for the posterior mean of the KPI.
// ---------------------------------------------------------------------------------------------
const common = { periods: PERIODS, budget: currentTotal, maxDraws: 200, decisionDraws: 40, seed };
const meanPlan = await optimize.optimizeBudget(design, modelConfig, posterior, { ...common, objective: optimize.MEAN_OBJECTIVE });
say('## 3. Optimized for the posterior mean', '', optimize.formatAllocation(meanPlan), '');

// ---------------------------------------------------------------------------------------------
// 4. Same budget, risk-averse: maximize the KPI's expected value in the worst 10% of draws
//    (CVaR 10%). It gives up some expected KPI for a better bad case.
// ---------------------------------------------------------------------------------------------
const riskAverse = await optimize.optimizeBudget(design, modelConfig, posterior, { ...common, objective: optimize.parseObjective('cvar10') });
say('## 4. Optimized for CVaR 10% (risk-averse)', '', optimize.formatAllocation(riskAverse), '');

const compare = (name: string, result: optimize.OptimizationResult) => {
  const c = result.comparison;
  return [name, ...Array.from(result.plan, (x) => fmt(x, 4)), `${fmt(c.uplift.mean)} [${fmt(c.uplift.q05)}, ${fmt(c.uplift.q95)}]`, fmt(c.kpi.plan.q05, 5), c.probabilityBeatsCurrent.toFixed(2)];
};
const channelNames = window.entries.map((e) => e.channel);
say(
  'Mean vs risk-averse plan (same budget):',
  '',
  table(
    ['plan', ...channelNames, 'uplift mean [90%]', 'KPI 5% quantile', 'P(beats current)'],
    [
      ['current', ...Array.from(window.current, (x) => fmt(x, 4)), '0', fmt(meanPlan.comparison.kpi.current.q05, 5), '-'],
      compare('mean', meanPlan),
      compare('CVaR 10%', riskAverse),
    ],
  ),
  '',
  'P(beats current) is the share of posterior draws in which the plan brings more KPI than the current',
  'split: a plan can raise the expected KPI and still lose in many draws when the uplift is small',
  'against the uncertainty about the channels.',
  '',
);

// ---------------------------------------------------------------------------------------------
// 5. Scenarios: what-if plans, scored on the same paired draws.
// ---------------------------------------------------------------------------------------------
const shift = optimize.evaluateScenario(design, modelConfig, posterior, { periods: PERIODS, moves: [{ from: 'tv', amount: '20%', to: ['search', 'social'] }] }, { planSource: 'shift plan' });
say('## 5a. Scenario: cut TV by 20% and move the money to search and social', '', optimize.formatScenario(shift), '');
const bigger = optimize.evaluateScenario(design, modelConfig, posterior, { periods: PERIODS, channels: { search: '+25%', social: '+25%' } }, { planSource: 'growth plan' });
say('## 5b. Scenario: 25% more on search and social', '', optimize.formatScenario(bigger), '');

// ---------------------------------------------------------------------------------------------
// 6. Charts: current vs proposed spend, the uplift's 90% interval and P(beats current). The
//    chart takes the same shape as the report's budget section, read from the optimizer's JSON.
// ---------------------------------------------------------------------------------------------
const words = charts.TEXT.charts.budget;
// A budget chart with its own title (the subtitle, uplift and P(beats current), is kept).
const budgetChart = (id: string, title: string, allocation: charts.BudgetAllocation) => {
  const spec = charts.budgetSpec(allocation);
  const subtitle = typeof spec.title === 'object' ? (spec.title as { subtitle?: string }).subtitle : undefined;
  return { id, title, description: words.description, spec: { ...spec, title: subtitle ? { text: title, subtitle } : title } };
};
const budgetCharts = [
  // from the optimizer's JSON (what `mixwell optimize` writes and the report reads) ...
  budgetChart('budget-mean', 'Optimized for the posterior mean', charts.budgetAllocationFromJson(optimize.allocationJson(meanPlan), 'mean plan')),
  budgetChart('budget-cvar10', 'Optimized for CVaR 10% (risk-averse)', charts.budgetAllocationFromJson(optimize.allocationJson(riskAverse), 'CVaR plan')),
  // ... or straight from a plan comparison
  budgetChart('scenario-shift', 'Scenario: TV -20%, moved to search and social', optimize.budgetChartData(shift)),
  budgetChart('scenario-growth', 'Scenario: search and social +25%', optimize.budgetChartData(bigger)),
];
await charts.writeCharts(join(out, 'charts'), budgetCharts);

// The allocation goes where `mixwell optimize RUN` writes it, so `mixwell report RUN` (and
// charts.writeReport) add the budget section; then write the report.
const allocationDir = join(runDir, 'optimize');
mkdirSync(allocationDir, { recursive: true });
writeFileSync(join(allocationDir, 'allocation.json'), JSON.stringify(optimize.allocationJson(meanPlan), null, 1) + '\n');
const page = await charts.writeReport(runDir, { maxDraws: 200, priorDraws: 300, replicates: 100 });
if (!page.charts.some((c) => c.id === 'budget-allocation')) throw new Error('the report has no budget chart');
say(
  '## 6. Files',
  '',
  `${budgetCharts.length} charts in ${join(out, 'charts')}: ${budgetCharts.map((c) => c.id).join(', ')}`,
  `allocation: ${join(allocationDir, 'allocation.json')}`,
  `report with its budget section: ${page.html} (budget from ${page.allocation})`,
  '',
);
