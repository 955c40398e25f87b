/**
 * The Stan peer's results (shared/bench/stan/results/<size>.json, written by run.R): per-parameter
 * posterior summaries (mean, sd, 5/50/95% quantiles, rank-normalized R-hat, bulk/tail ESS, truth)
 * and the sampler's figures (wall and CPU time, gradient evaluations, divergences, tree depth).
 * Also reads the draws file (results/<size>.draws.csv.gz) for quantities the json does not hold:
 * the national fit's effective log media coefficients `m[c] + eta[c] u[1,c]` and intercept
 * `tau0 + sigma_tau v[1]` (Stan's national run kept the G = 1 hierarchy that Mixwell's reference
 * model drops, see shared/reference-model.md), summarized with Mixwell's own diagnostics
 * (src/diagnostics, Vehtari et al. 2021) so their MCSE is computed the same way as Mixwell's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { summarizeDraws, type SummaryRow } from '../../src/diagnostics/index.js';

export interface StanSummaryRow {
  readonly mean: number;
  readonly sd: number;
  readonly q5: number;
  readonly q50: number;
  readonly q95: number;
  readonly rhat: number;
  readonly bulk_ess: number;
  readonly tail_ess: number;
  readonly truth?: number;
  readonly covered90?: boolean;
}

export interface StanResults {
  readonly size: string;
  readonly seed: number;
  readonly dims: Readonly<Record<string, number>>;
  readonly channels: readonly string[];
  readonly settings: { readonly chains: number; readonly warmup: number; readonly draws_per_chain: number; readonly max_treedepth: number; readonly adapt_delta: number };
  readonly timing: { readonly sampling_wall_s: number; readonly chain_cpu_s: number };
  readonly sampler: {
    readonly divergences: number;
    readonly max_treedepth_hits: number;
    readonly mean_treedepth: number;
    readonly leapfrog_per_draw: number;
    readonly grad_evals_total: number;
    readonly grad_evals_per_s: number;
    readonly stepsize: readonly number[];
  };
  readonly headline: {
    readonly min_bulk_ess: number;
    readonly min_bulk_ess_param: string;
    readonly min_tail_ess: number;
    readonly min_tail_ess_param: string;
    readonly max_rhat: number;
    readonly max_rhat_param: string;
    readonly min_bulk_ess_per_s: number;
  };
  readonly coverage: { readonly not_covered: readonly string[] };
  readonly summary: Readonly<Record<string, StanSummaryRow>>;
}

export function loadStanResults(path: string): StanResults {
  return JSON.parse(readFileSync(path, 'utf8')) as StanResults;
}

/** MCSE of Stan's posterior mean from the json: sd / sqrt(bulk ESS) (the json has no basic ESS). */
export function stanMcse(row: StanSummaryRow): number {
  return row.sd / Math.sqrt(row.bulk_ess);
}

/** Stan's draws per chain by column name (post-warmup draws only, as run.R writes them). */
export function loadStanDraws(path: string): { columns: readonly string[]; chains: number; byColumn: (name: string) => Float64Array[] } {
  if (!existsSync(path)) throw new Error(`${path}: not found`);
  const text = gunzipSync(readFileSync(path)).toString('utf8');
  const lines = text.split(/\r?\n/).filter((l) => l !== '');
  // Header names are quoted and may hold commas (`"u[1,2]"`); the numeric rows are not quoted.
  const columns = Array.from(lines[0].matchAll(/"([^"]*)"|([^,]+)/g), (m) => m[1] ?? m[2]);
  const chainColumn = columns.indexOf('chain');
  if (chainColumn < 0) throw new Error(`${path}: no "chain" column`);
  const rows = lines.slice(1).map((l) => l.split(',').map(Number));
  const chainIds = [...new Set(rows.map((r) => r[chainColumn]))].sort((a, b) => a - b);
  const byChain = chainIds.map((id) => rows.filter((r) => r[chainColumn] === id));
  return {
    columns,
    chains: chainIds.length,
    byColumn: (name) => {
      const j = columns.indexOf(name);
      if (j < 0) throw new Error(`${path}: no column "${name}"`);
      return byChain.map((chainRows) => Float64Array.from(chainRows, (r) => r[j]));
    },
  };
}

/**
 * Summary rows of Stan quantities derived per draw, e.g. `m[1] + eta[1] * u[1,1]`: `parts` are
 * [name, coefficient-name | undefined] pairs summed as value(a) * value(b) (or value(a) alone).
 */
export function derivedStanSummary(
  draws: ReturnType<typeof loadStanDraws>,
  name: string,
  terms: readonly (readonly [string, string?])[],
): SummaryRow {
  const chains = draws.byColumn(terms[0][0]).map((c) => new Float64Array(c.length));
  for (const [a, b] of terms) {
    const av = draws.byColumn(a);
    const bv = b ? draws.byColumn(b) : undefined;
    chains.forEach((out, k) => {
      for (let d = 0; d < out.length; d++) out[d] += av[k][d] * (bv ? bv[k][d] : 1);
    });
  }
  return summarizeDraws(name, chains);
}
