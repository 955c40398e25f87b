/**
 * `npm run validate`: the long validation run (not part of `npm test`). Fits, through the public
 * API (`fitMmm` + `buildReport`), the shared data sets with a known truth or a reference posterior:
 * - roas: pymc_marketing/mmm_roas_data.csv with z as a control: true ROAS 93.39 / 171.41 covered?
 * - lfiaschi: lfiaschi_mmm_simple: true ROAS 8.19 / 21.95 / 3.32 / 32.13, media shares, total
 *   media contribution covered?
 * - stan-geo20, stan-national: the reference model on shared/bench/stan/data/<size>.csv with Stan's
 *   settings; every parameter, ROI and mROI compared with Stan's posterior by MCSE-scaled z-scores
 *   and sd ratios; sampler figures side by side;
 * - meridian, meridian-rf, robyn: smoke fits that must converge (R-hat <= 1.01, <= 0.1% divergent draws)
 *   with a sensible decomposition (meridian also plans on Meridian's hypothetical flighting file;
 *   meridian-rf fits Channel3 as reach and frequency and reports its optimal frequency);
 * - lift: lift-test calibration on simulated data (no ../shared needed): tv's ROI and decay covered
 *   by narrower 90% intervals with the experiment than without (validate/sections/lift.ts);
 * - funnel: pymc_marketing/funnel_data.csv, mediation (fitMediation): direct / indirect / total
 *   effects and path coefficients vs the published DGP (only x4 acts on y directly);
 * - tv-recovery: time-varying media effectiveness on simulated data (no ../shared needed): the band
 *   of w covers a rising channel's true curve, a flat channel stays flat with its static ROI, a lift
 *   test narrows the band, PSIS-LOO prefers the time-varying fit (validate/sections/timeVarying.ts);
 * - tv-geo20: time-varying media effectiveness (model.timeVarying "all") on the static geo-20
 *   simulation: ROI coverage vs the static fit, CPU cost ratio, amplitudes near 0
 *   (validate/sections/timeVaryingGeo20.ts).
 * Prints one section per data set and a final "N passed, M failed" over all checks; writes a JSON
 * report to bench/validate-<ISO date>.json (tagged -quick, -<sections> for --only, -custom for overridden settings).
 * Exit code 1 when a check fails or a section errors; 0 (with a message) when ../shared is absent.
 *
 * Options: --only roas,lfiaschi,stan-geo20,stan-national,meridian,meridian-rf,robyn,lift,funnel,tv-recovery,tv-geo20; --quick (small fast
 * settings, see validate/options.ts); --chains --warmup --draws --seed --max-tree-depth; --out.
 * Model choices per data set: scripts/validate/configs/*.json, explained in configs/README.md.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SectionResult } from './validate/checks.js';
import { parseValidateArgs, resolveSettings, SECTION_NAMES, type SectionName } from './validate/options.js';
import { runLfiaschiSection } from './validate/sections/lfiaschi.js';
import { runMediationSection } from './validate/sections/mediation.js';
import { runLiftSection } from './validate/sections/lift.js';
import { runRoasSection } from './validate/sections/roas.js';
import { runSmokeSection } from './validate/sections/smoke.js';
import { runStanSection } from './validate/sections/stan.js';
import { runTimeVaryingSection } from './validate/sections/timeVarying.js';
import { runTimeVaryingGeo20Section } from './validate/sections/timeVaryingGeo20.js';
import { heading, renderTable, say } from './validate/table.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = join(ROOT, '..', 'shared');

const TITLES: Record<SectionName, string> = {
  roas: 'roas: PyMC-Marketing mmm_roas_data, z as control',
  lfiaschi: 'lfiaschi: mmm_simple (4 channels, Hill)',
  'stan-geo20': 'stan-geo20: reference model vs Stan, geo-20',
  'stan-national': 'stan-national: reference model vs Stan, national',
  meridian: 'meridian: geo_all_channels smoke fit',
  'meridian-rf': 'meridian-rf: geo_media_rf smoke fit, Channel3 as reach and frequency',
  robyn: 'robyn: dt_simulated_weekly smoke fit',
  lift: 'lift: lift-test calibration on simulated geo data',
  funnel: 'funnel: PyMC-Marketing funnel_data, mediation x1 -> (x2, x3) -> x4 -> y',
  'tv-recovery': 'tv-recovery: time-varying media effectiveness on simulated geo data',
  'tv-geo20': 'tv-geo20: time-varying effectiveness on static data, geo-20 (coverage and cost vs static)',
};

/** Sections that run on simulated data and need nothing from ../shared. */
const SELF_CONTAINED: readonly SectionName[] = ['lift', 'tv-recovery'];

function runSection(name: SectionName, options: ReturnType<typeof parseValidateArgs>): Promise<SectionResult> {
  switch (name) {
    case 'roas':
      return runRoasSection(SHARED, options);
    case 'lfiaschi':
      return runLfiaschiSection(SHARED, options);
    case 'stan-geo20':
      return runStanSection('geo-20', SHARED, options);
    case 'stan-national':
      return runStanSection('national', SHARED, options);
    case 'meridian':
      return runSmokeSection('meridian', SHARED, options);
    case 'meridian-rf':
      return runSmokeSection('meridian-rf', SHARED, options);
    case 'robyn':
      return runSmokeSection('robyn', SHARED, options);
    case 'lift':
      return runLiftSection(options);
    case 'funnel':
      return runMediationSection(SHARED, options);
    case 'tv-recovery':
      return runTimeVaryingSection(options);
    case 'tv-geo20':
      return runTimeVaryingGeo20Section(SHARED, options);
  }
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parseValidateArgs>;
  try {
    options = parseValidateArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`validate: ${(error as Error).message}\n`);
    return 2;
  }
  if (!existsSync(SHARED)) {
    const selfContained = options.sections.filter((s) => SELF_CONTAINED.includes(s));
    if (selfContained.length === 0) {
      say(`validate: ${SHARED} not found; the validation data sets live there. Nothing to do.`);
      return 0;
    }
    say(`validate: ${SHARED} not found; running only the sections on simulated data: ${selfContained.join(', ')}`);
    options = { ...options, sections: selfContained };
  }
  const started = performance.now();
  say(`validate: sections ${options.sections.join(', ')}${options.quick ? ' (QUICK smoke settings: verdicts are indicative only)' : ''}`);
  say(`sampler settings (per section unless overridden): ${JSON.stringify(resolveSettings(options))}`);
  const results: SectionResult[] = [];
  for (const name of options.sections) {
    heading(TITLES[name]);
    try {
      const result = await runSection(name, options);
      if (result.status === 'skipped') say(`  SKIPPED: ${result.message}`);
      for (const check of result.checks) say(`  ${check.passed ? 'pass' : 'FAIL'}  ${check.name}: ${check.detail}`);
      say(`  section ${result.status.toUpperCase()} in ${result.seconds.toFixed(0)} s`);
      results.push(result);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      say(`  ERROR: ${message}`);
      results.push({ name, title: TITLES[name], status: 'error', seconds: 0, checks: [], message });
    }
  }

  heading('summary');
  const checks = results.flatMap((r) => r.checks.map((c) => ({ section: r.name, ...c })));
  const passed = checks.filter((c) => c.passed).length;
  const failed = checks.length - passed;
  const errors = results.filter((r) => r.status === 'error').length;
  say(
    renderTable(
      ['section', 'status', 'checks passed', 'seconds'],
      results.map((r) => [r.name, r.status, `${r.checks.filter((c) => c.passed).length}/${r.checks.length}`, r.seconds.toFixed(0)]),
    ),
  );
  for (const c of checks.filter((x) => !x.passed)) say(`  failed: [${c.section}] ${c.name}: ${c.detail}`);
  const seconds = (performance.now() - started) / 1000;
  say(`${passed} passed, ${failed} failed${errors > 0 ? `, ${errors} section(s) errored` : ''} (${seconds.toFixed(0)} s)${options.quick ? ' [quick settings]' : ''}`);

  const date = new Date().toISOString().slice(0, 10);
  // validate-<date>[-quick][-<sections> when a subset][-custom when settings are overridden].json
  const tags = [
    options.quick ? 'quick' : '',
    options.sections.length < SECTION_NAMES.length ? options.sections.join('+') : '',
    Object.keys(options.overrides).length > 0 ? 'custom' : '',
  ].filter((t) => t !== '');
  const out = options.out ?? join(ROOT, 'bench', `validate-${[date, ...tags].join('-')}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        sections: options.sections,
        allSections: SECTION_NAMES,
        quick: options.quick,
        overrides: options.overrides,
        partial: options.partial,
        seconds,
        passed,
        failed,
        errors,
        checks,
        results,
      },
      (_, value) => (value instanceof Float64Array || value instanceof Int32Array ? Array.from(value) : typeof value === 'number' && !Number.isFinite(value) ? String(value) : value),
      2,
    ) + '\n',
  );
  say(`report: ${out}`);
  return failed > 0 || errors > 0 ? 1 : 0;
}

process.exitCode = await main();
