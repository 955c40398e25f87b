/**
 * Section `lift`: lift-test calibration on simulated data with a known truth (liftSimulation.ts;
 * models/mmm/liftTests.ts for the likelihood term). The same geo data (8 geos x 104 weeks; "tv"
 * smooth, always on and in phase with the seasonality, so its decay and ROI are weakly identified
 * apart from the test's dip; "search" noisy) is fitted twice through the public API: without and
 * with the go-dark experiment on tv (all geos, 8 weeks, lift measured per week over the test and 8
 * weeks of recovery, 10% noise).
 *
 * Printed: for each fit, every truth (ROI and decay alpha of both channels, the experiment's total
 * lift) with the posterior mean, the 90% interval and whether the interval covers it; then the
 * interval widths without and with the lift test; then the fitted model's implied lift per measured
 * week next to the measurement (analysis/liftCheck.ts).
 *
 * Checks (counted): with the lift test, the 90% intervals of tv's ROI and alpha cover the truth and
 * are narrower than without it; both fits converge (max R-hat <= 1.01). The other coverage rows are
 * information: one simulated data set is one draw, so a 90% interval misses with probability 0.1
 * (checks.ts). A shorter go-dark (less than the max lag) or a partial cut measures the slope of
 * the response curve more than the channel's contribution: it pins the decay but, with the curve's
 * shape uncertain, tightens the ROI little (seen while designing this check: a 4-week test narrowed
 * alpha's interval by half and left ROI's as wide).
 */
import { liftTestCheck } from '../../../src/analysis/index.js';
import { parseMmmData } from '../../../src/data/index.js';
import { parseRunConfig } from '../../../src/mmm/config.js';
import { convergenceCheck, printTruthTable, sectionStatus, summarizeArray, truthRow, type Check, type SectionResult, type TruthRow } from '../checks.js';
import { channelRow, fitFacts, runFit, type FitRun } from '../fitting.js';
import { resolveSettings, type ValidateOptions } from '../options.js';
import { fmt, interval, renderTable, say } from '../table.js';
import { LIFT_SIMULATION_DEFAULTS, simulateLiftData } from './liftSimulation.js';

export const LIFT_RHAT_LIMIT = 1.01;

export async function runLiftSection(options: ValidateOptions): Promise<SectionResult> {
  const name = 'lift';
  const title = 'lift-test calibration on simulated geo data (go-dark test on a weakly identified channel)';
  const started = performance.now();
  const sim = simulateLiftData();
  const o = LIFT_SIMULATION_DEFAULTS;
  say(`  data: ${o.geos} geos x ${o.periods} weeks, channels tv (smooth, in phase with the seasonality) and search (noisy); seed ${o.seed}`);
  say(`  experiment: ${JSON.stringify({ ...sim.experiment, liftKpiByWeek: '[...]', liftSeByWeek: '[...]' })}`);
  say(`  truth: ROI tv ${fmt(sim.truth.roi.tv)}, search ${fmt(sim.truth.roi.search)}; alpha tv ${sim.truth.alpha.tv}, search ${sim.truth.alpha.search}; total lift ${fmt(sim.truth.liftTotal)} (measured ${fmt(sumOf(sim.experiment.liftKpiByWeek as number[]))})`);
  const data = parseMmmData(sim.csv, sim.dataSpec);
  const settings = resolveSettings(options);

  const withExperiment = parseRunConfig({ data: sim.dataSpec, model: { experiments: [sim.experiment] } }, 'lift simulation');
  const withoutExperiment = parseRunConfig({ data: sim.dataSpec }, 'lift simulation');
  const fits: { label: string; run: FitRun; rows: TruthRow[] }[] = [];
  for (const withLift of [false, true]) {
    const label = withLift ? 'with lift test' : 'without lift test';
    say(`  --- fit ${label}`);
    const config = withLift ? withExperiment : withoutExperiment;
    const run = await runFit(`lift ${withLift ? 'with' : 'without'}`, data, config, settings);
    const posterior = run.fit.result.posterior;
    const rows: TruthRow[] = [
      truthRow('ROI tv', sim.truth.roi.tv, channelRow(run.report, 'roi', 'tv')),
      truthRow('alpha tv', sim.truth.alpha.tv, summarizeArray(posterior.pooled('alpha[1]'))),
      truthRow('ROI search', sim.truth.roi.search, channelRow(run.report, 'roi', 'search'), false),
      truthRow('alpha search', sim.truth.alpha.search, summarizeArray(posterior.pooled('alpha[2]')), false),
    ];
    // The experiment's lift as the fitted model implies it (the with-fit's check rows; for the fit
    // without the test, the same check computed on its posterior).
    const check = withLift ? run.report.liftTests : liftTestCheck(run.fit.design, { ...run.fit.model.config, experiments: withExperiment.model.experiments }, posterior);
    const total = check.find((r) => r.observation === 'sum of periods');
    if (total) rows.push(truthRow('total lift (test - control)', sim.truth.liftTotal, total.implied, false));
    printTruthTable(rows);
    fits.push({ label, run, rows });
  }

  const [without, withTest] = fits;
  const width = (r: TruthRow) => r.q95 - r.q05;
  say('  90% interval widths:');
  say(
    renderTable(
      ['quantity', 'without lift test', 'with lift test', 'ratio', 'covered (without / with)'],
      without.rows.map((r, i) => {
        const w = withTest.rows[i];
        return [r.quantity, fmt(width(r)), fmt(width(w)), fmt(width(w) / width(r), 3), `${r.covered ? 'yes' : 'NO'} / ${w.covered ? 'yes' : 'NO'}`];
      }),
    ),
  );
  const liftRows = withTest.run.report.liftTests;
  say('  lift per measured week: measured vs implied by the fit with the test');
  say(
    renderTable(
      ['week', 'true lift', 'measured +- se', 'implied mean', '90% interval', 'z'],
      liftRows.map((r, i) => [
        r.observation,
        r.inLikelihood ? fmt(sim.truth.liftByWeek[i]) : fmt(sim.truth.liftTotal),
        `${fmt(r.measured)} +- ${fmt(r.measuredSe, 3)}`,
        fmt(r.implied.mean),
        interval(r.implied.q05, r.implied.q95),
        fmt(r.z, 3),
      ]),
    ),
  );

  const checks: Check[] = [];
  for (const quantity of ['ROI tv', 'alpha tv']) {
    const before = without.rows.find((r) => r.quantity === quantity)!;
    const after = withTest.rows.find((r) => r.quantity === quantity)!;
    checks.push({
      name: `${quantity}: truth in the 90% interval with the lift test`,
      passed: after.covered,
      detail: `truth ${fmt(after.truth)} ${after.covered ? 'in' : 'NOT in'} ${interval(after.q05, after.q95)} (without the test: ${interval(before.q05, before.q95)}, ${before.covered ? 'covered' : 'not covered'})`,
    });
    checks.push({
      name: `${quantity}: 90% interval narrower with the lift test`,
      passed: width(after) < width(before),
      detail: `width ${fmt(width(before))} -> ${fmt(width(after))} (ratio ${fmt(width(after) / width(before), 3)})`,
    });
  }
  for (const { label, run } of fits) {
    const h = run.fit.result.health;
    checks.push(convergenceCheck(`fit ${label}: converged (max R-hat <= ${LIFT_RHAT_LIMIT})`, h, LIFT_RHAT_LIMIT));
  }
  return {
    name,
    title,
    status: sectionStatus(checks),
    seconds: (performance.now() - started) / 1000,
    checks,
    details: {
      simulation: { options: o, truth: sim.truth, experiment: sim.experiment },
      fits: fits.map(({ label, run, rows }) => ({ label, rows, fit: fitFacts(run) })),
      liftCheck: liftRows,
    },
  };
}

function sumOf(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
