/**
 * Is a fit's output complete and valid? Used to resume a batch: a fit is skipped only when its
 * directory holds the marker `batch-fit.json` written for the same fingerprint (same data bytes,
 * filter, resolved config and backend: plan.ts), every run file is there, the JSON files parse
 * and `draws.arrow` reads back with chains x draws rows. Fits are committed atomically
 * (runFit.ts: written to a `.partial-*` sibling, marker last, then renamed), so a fit killed
 * midway leaves no directory that passes this check; its partial directory is removed before the
 * fit is redone.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { OUTCOME_FILE, OUTCOME_FORMAT, type FitOutcome } from './outcome.js';
import type { FitTask } from './plan.js';

/** Files every run directory has (src/run/runDirectory.ts), besides the per-chain CSVs. */
export const RUN_FILES = ['config.json', 'provenance.json', 'summary.json', 'roi.csv', 'contributions.csv', 'contributions_by_date.csv', 'fit_metrics.csv', 'health.json', 'predictive.json', 'design.json', 'draws.arrow', 'variables.json'];

export type OutputState =
  | { readonly complete: true; readonly outcome: FitOutcome }
  | { readonly complete: false; readonly reason: string };

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Check a fit's output directory against its task (see the module comment). */
export function outputState(task: Pick<FitTask, 'out' | 'fingerprint' | 'config'>): OutputState {
  const dir = task.out;
  if (!existsSync(dir)) return { complete: false, reason: 'no output yet' };
  const markerPath = join(dir, OUTCOME_FILE);
  if (!existsSync(markerPath)) return { complete: false, reason: `${OUTCOME_FILE} is missing (the fit did not finish)` };
  let outcome: FitOutcome;
  try {
    outcome = readJson(markerPath) as FitOutcome;
  } catch (error) {
    return { complete: false, reason: `${OUTCOME_FILE} does not parse (${(error as Error).message})` };
  }
  if (outcome.format !== OUTCOME_FORMAT) return { complete: false, reason: `${OUTCOME_FILE} has format ${JSON.stringify(outcome.format)}, expected ${OUTCOME_FORMAT}` };
  if (outcome.fingerprint !== task.fingerprint) return { complete: false, reason: 'the data, filter or config changed since this output was written' };
  for (const file of RUN_FILES) {
    const path = join(dir, file);
    if (!existsSync(path) || statSync(path).size === 0) return { complete: false, reason: `${file} is missing or empty` };
  }
  const chains = task.config.sampler.chains;
  for (let k = 1; k <= chains; k++) if (!existsSync(join(dir, 'draws', `chain-${k}.csv`))) return { complete: false, reason: `draws/chain-${k}.csv is missing` };
  for (const file of ['config.json', 'provenance.json', 'summary.json', 'health.json', 'predictive.json', 'design.json', 'variables.json']) {
    try {
      readJson(join(dir, file));
    } catch (error) {
      return { complete: false, reason: `${file} does not parse (${(error as Error).message})` };
    }
  }
  try {
    const rows = tableFromIPC(readFileSync(join(dir, 'draws.arrow'))).numRows;
    const expected = chains * task.config.sampler.draws;
    if (rows !== expected) return { complete: false, reason: `draws.arrow has ${rows} rows, expected ${expected}` };
  } catch (error) {
    return { complete: false, reason: `draws.arrow does not read (${(error as Error).message})` };
  }
  return { complete: true, outcome };
}

/** Prefix of the directory a fit is written to before it is renamed into place. */
export function partialPrefix(out: string): string {
  return `${basename(out)}.partial-`;
}

/** Remove partial directories left by attempts that were killed (returns the paths removed). */
export function removePartials(out: string): string[] {
  const parent = dirname(out);
  if (!existsSync(parent)) return [];
  const prefix = partialPrefix(out);
  const removed: string[] = [];
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(prefix)) continue;
    const path = join(parent, name);
    rmSync(path, { recursive: true, force: true });
    removed.push(path);
  }
  return removed;
}
