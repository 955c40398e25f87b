/**
 * Agreement of a Mixwell fit with Stan's posterior on the same data (the "posterior means
 * within MCSE-based tolerance of Stan's"): z = (mean_Mixwell - mean_Stan) / sqrt(mcse_M^2 + mcse_S^2)
 * for every quantity of Stan's summary (parameters, ROI, mROI), with the pass rule of
 * `npm run validate` (scripts/validate/stanCompare.ts: every |z| <= 5 and sd ratio in [0.8, 1.2]).
 * National: Stan kept the G = 1 hierarchy, so m[c] and tau0 are compared with Stan's effective
 * values from its draws, as the validate section does.
 */
import { existsSync } from 'node:fs';
import type { SummaryRow } from '../../../src/diagnostics/index.js';
import { compareWithStan } from '../../validate/stanCompare.js';
import { derivedStanSummary, loadStanDraws, type StanResults } from '../../validate/stanReference.js';

export interface Agreement {
  readonly compared: number;
  readonly maxAbsZ: number;
  readonly maxAbsZName: string;
  readonly countAbove4: number;
  readonly sdRatioOutside: number;
  readonly passed: boolean;
  readonly rule: string;
}

export function agreementWithStan(stan: StanResults, rows: readonly SummaryRow[], national: boolean, drawsPath?: string): Agreement {
  const mixwell = new Map(rows.map((row) => [row.name, row]));
  const effective = new Map<string, { row: SummaryRow; stanName: string }>();
  if (national && drawsPath && existsSync(drawsPath)) {
    const draws = loadStanDraws(drawsPath);
    for (let c = 1; c <= stan.channels.length; c++) {
      const stanName = `m[${c}] + eta[${c}]*u[1,${c}]`;
      effective.set(`m[${c}]`, { row: derivedStanSummary(draws, stanName, [[`m[${c}]`], [`eta[${c}]`, `u[1,${c}]`]]), stanName });
    }
    effective.set('tau0', { row: derivedStanSummary(draws, 'tau0 + sigma_tau*v[1]', [['tau0'], ['sigma_tau', 'v[1]']]), stanName: 'tau0 + sigma_tau*v[1]' });
  } else if (national) {
    for (let c = 1; c <= stan.channels.length; c++) mixwell.delete(`m[${c}]`);
    mixwell.delete('tau0');
  }
  const comparison = compareWithStan(stan, mixwell, effective);
  const worst = comparison.rows.reduce((best, row) => (Math.abs(row.z) > Math.abs(best.z) ? row : best), comparison.rows[0]);
  return {
    compared: comparison.rows.length,
    maxAbsZ: comparison.maxAbsZ,
    maxAbsZName: worst?.name ?? '',
    countAbove4: comparison.countAbove4,
    sdRatioOutside: comparison.sdRatioOutside,
    passed: comparison.passed,
    rule: comparison.rule,
  };
}
