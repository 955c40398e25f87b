/**
 * Mixwell's posterior against the Stan peer's on the same model and data (the reference benchmark,
 * shared/bench/stan). For every scalar quantity both report, the difference of posterior means in
 * units of its Monte Carlo standard error,
 *   z = (mean_mixwell - mean_stan) / sqrt(mcse_mixwell^2 + mcse_stan^2),
 * (mcse_mixwell = sd / sqrt(basic ESS) from src/diagnostics; mcse_stan = sd / sqrt(bulk ESS) from
 * the json), and the ratio of posterior sds. If both samplers target the same posterior, z is
 * approximately standard normal per quantity, so over ~160 quantities |z| > 4 should essentially
 * never occur (P ~ 1e-2 for the whole set) and |z| > 5 is a real difference; an sd estimate from
 * ~1000+ effective draws has a relative MC error of a few percent, so sd ratios outside
 * [0.8, 1.2] are also real differences. Pass rule: every |z| <= 5 and every sd ratio in [0.8, 1.2].
 * (With the quick settings the MCSEs are large, so the z-scores are weak evidence either way.)
 */
import type { SummaryRow } from '../../src/diagnostics/index.js';
import { stanMcse, type StanResults, type StanSummaryRow } from './stanReference.js';
import { fmt, renderTable, say } from './table.js';

export const Z_LIMIT = 5;
export const Z_FLAG = 4;
export const SD_RATIO_RANGE: readonly [number, number] = [0.8, 1.2];

export interface ComparisonRow {
  readonly name: string;
  /** What Stan's side is when it is not the same-named quantity. */
  readonly stanName: string;
  readonly mixMean: number;
  readonly mixSd: number;
  readonly mixMcse: number;
  readonly stanMean: number;
  readonly stanSd: number;
  readonly stanMcse: number;
  readonly z: number;
  readonly sdRatio: number;
  readonly mixRhat: number;
  readonly mixEssBulk: number;
  readonly mixEssTail: number;
  readonly stanRhat?: number;
  readonly stanEssBulk?: number;
  readonly truth?: number;
  readonly mixCovers?: boolean;
  readonly stanCovers?: boolean;
}

export interface Comparison {
  readonly rows: readonly ComparisonRow[];
  /** Stan quantities with no counterpart in Mixwell's model (and why). */
  readonly notCompared: readonly { readonly name: string; readonly why: string }[];
  readonly maxAbsZ: number;
  readonly countAbove4: number;
  readonly countAbove5: number;
  readonly sdRatioOutside: number;
  readonly passed: boolean;
  readonly rule: string;
}

export const PASS_RULE = `every |z| <= ${Z_LIMIT} and every sd ratio (Mixwell / Stan) in [${SD_RATIO_RANGE[0]}, ${SD_RATIO_RANGE[1]}]`;

export function compareRow(name: string, mix: SummaryRow, stan: { mean: number; sd: number; mcse: number }, stanName = name, truth?: number, stanRow?: StanSummaryRow): ComparisonRow {
  const z = (mix.mean - stan.mean) / Math.sqrt(mix.mcseMean ** 2 + stan.mcse ** 2);
  return {
    name,
    stanName,
    mixMean: mix.mean,
    mixSd: mix.sd,
    mixMcse: mix.mcseMean,
    stanMean: stan.mean,
    stanSd: stan.sd,
    stanMcse: stan.mcse,
    z,
    sdRatio: mix.sd / stan.sd,
    mixRhat: mix.rhat,
    mixEssBulk: mix.essBulk,
    mixEssTail: mix.essTail,
    stanRhat: stanRow?.rhat,
    stanEssBulk: stanRow?.bulk_ess,
    truth,
    mixCovers: truth === undefined ? undefined : truth >= mix.q05 && truth <= mix.q95,
    stanCovers: stanRow?.covered90,
  };
}

/**
 * Compare `mixwell` summary rows (parameters, ROI, mROI) with Stan's json. `effective` supplies
 * Stan-side rows for Mixwell names whose Stan counterpart is a derived quantity (national fit).
 */
export function compareWithStan(
  stan: StanResults,
  mixwell: ReadonlyMap<string, SummaryRow>,
  effective: ReadonlyMap<string, { row: SummaryRow; stanName: string }> = new Map(),
  missingWhy: (name: string) => string = () => 'not in Mixwell\'s model',
): Comparison {
  const rows: ComparisonRow[] = [];
  const notCompared: { name: string; why: string }[] = [];
  for (const [name, stanRow] of Object.entries(stan.summary)) {
    if (name === 'lp__') continue;
    const mix = mixwell.get(name);
    const eff = effective.get(name);
    if (!mix) {
      notCompared.push({ name, why: missingWhy(name) });
      continue;
    }
    if (eff) {
      // The json's truth is that of Stan's own parameter, not of the effective quantity: leave it out.
      rows.push(compareRow(name, mix, { mean: eff.row.mean, sd: eff.row.sd, mcse: eff.row.mcseMean }, eff.stanName));
    } else {
      rows.push(compareRow(name, mix, { mean: stanRow.mean, sd: stanRow.sd, mcse: stanMcse(stanRow) }, name, stanRow.truth, stanRow));
    }
  }
  const maxAbsZ = Math.max(...rows.map((r) => Math.abs(r.z)));
  const countAbove4 = rows.filter((r) => Math.abs(r.z) > Z_FLAG).length;
  const countAbove5 = rows.filter((r) => Math.abs(r.z) > Z_LIMIT).length;
  const sdRatioOutside = rows.filter((r) => !(r.sdRatio >= SD_RATIO_RANGE[0] && r.sdRatio <= SD_RATIO_RANGE[1])).length;
  const passed = rows.length > 0 && countAbove5 === 0 && sdRatioOutside === 0 && rows.every((r) => Number.isFinite(r.z));
  return { rows, notCompared, maxAbsZ, countAbove4, countAbove5, sdRatioOutside, passed, rule: PASS_RULE };
}

function rowCells(r: ComparisonRow): string[] {
  return [
    r.name + (r.stanName !== r.name ? ` (Stan: ${r.stanName})` : ''),
    fmt(r.mixMean),
    fmt(r.mixMcse, 2),
    fmt(r.stanMean),
    fmt(r.stanMcse, 2),
    r.z.toFixed(2),
    fmt(r.mixSd, 3),
    fmt(r.stanSd, 3),
    r.sdRatio.toFixed(3),
    r.truth === undefined ? '-' : fmt(r.truth),
  ];
}

const HEADER = ['quantity', 'mean Mixwell', 'mcse', 'mean Stan', 'mcse', 'z', 'sd Mixwell', 'sd Stan', 'sd ratio', 'truth'];

export function printComparison(c: Comparison): void {
  const byZ = [...c.rows].sort((a, b) => Math.abs(b.z) - Math.abs(a.z));
  say(`  ${c.rows.length} quantities compared; worst 10 by |z|:`);
  say(renderTable(HEADER, byZ.slice(0, 10).map(rowCells)));
  const bySd = [...c.rows].sort((a, b) => Math.abs(Math.log(b.sdRatio)) - Math.abs(Math.log(a.sdRatio)));
  say(`  worst 5 by sd ratio:`);
  say(renderTable(HEADER, bySd.slice(0, 5).map(rowCells)));
  const roi = c.rows.filter((r) => r.name.startsWith('ROI[') || r.name.startsWith('mROI['));
  if (roi.length > 0) {
    say('  ROI and mROI:');
    say(renderTable(HEADER, roi.map(rowCells)));
  }
  if (c.notCompared.length > 0) {
    const groups = new Map<string, string[]>();
    for (const { name, why } of c.notCompared) groups.set(why, [...(groups.get(why) ?? []), name]);
    for (const [why, names] of groups) say(`  not compared (${why}): ${names.join(', ')}`);
  }
  say(
    `  |z| > ${Z_FLAG}: ${c.countAbove4}; |z| > ${Z_LIMIT}: ${c.countAbove5}; max |z| ${c.maxAbsZ.toFixed(2)}; ` +
      `sd ratios outside [${SD_RATIO_RANGE[0]}, ${SD_RATIO_RANGE[1]}]: ${c.sdRatioOutside}`,
  );
  say(`  rule: ${c.rule}  =>  ${c.passed ? 'PASS' : 'FAIL'}`);
}
