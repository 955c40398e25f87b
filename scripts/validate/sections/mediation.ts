/**
 * Section `funnel`: mediation on PyMC-Marketing's upper-funnel data
 * (shared/datasets/pymc_marketing/funnel_data.csv, read at run time; DGP in its SOURCE.md and the
 * notebook mmm_upper_funnel_causal_approach.ipynb):
 *
 *   x2 = mu2 + 0.02 x1 + e2,   x3 = mu3 + 0.03 x1 + e3,   x4 = mu4 + 0.04 x2 + 0.05 x3 + e4,
 *   y  = 0.7 a / (0.2 + a) + trend + events + noise,  a = geometric adstock of x4 (l_max 24, alpha 0.3,
 *        weights alpha^l, not normalized),
 *
 * so only x4 acts on y directly; x1, x2, x3 act through x4 (x1 through x2 and x3 too). The mu_j are
 * slowly wandering exogenous baselines (near random walks: lag-1 autocorrelation of the residuals
 * 0.99), hence AR(1) errors in every equation; the KPI's trend is concave ((0.06 + 0.4 u)^0.5), hence
 * a piecewise-linear trend with 10 knots (a straight line leaves a smooth misfit that the wandering
 * x1..x3 then partly "explain": a first fit with a linear trend gave x1 a direct effect of 46
 * [38, 54] against a truth of 0). Fitted with `fitMediation`
 * (scripts/validate/configs/funnel.json): channels x1..x4 (impressions; the files have no spend),
 * the five event signals as controls (they are continuous Gaussian bumps, not 0/1 dummies),
 * mediators x2 <- x1, x3 <- x1, x4 <- x2, x3 with linear paths (the DGP's), KPI equation with
 * geometric adstock (12 lags: 0.3^12 = 5e-7, the DGP's 24 lags add nothing) and Michaelis-Menten
 * saturation (the DGP's; normalized adstock only rescales the half-saturation point).
 *
 * Truths (contribution measure, the channel switched off over the window, KPI units summed over the
 * 1,050 days), computed here from the DGP and the file's columns: the DGP is additive in each
 * node, so switching a channel off moves each descendant by its path coefficient times the change,
 * and y by the change of the Michaelis-Menten term of x4:
 *   direct x1 = x2 = x3 = 0, direct x4 = sum_t MM(adstock(x4));
 *   total x_j = sum_t [MM(adstock(x4)) - MM(adstock(x4 - d_j x_j))], d_1 = 0.04 0.02 + 0.05 0.03,
 *   d_2 = 0.04, d_3 = 0.05; indirect = total - direct;
 *   paths (mediator activity per unit of driver activity): 0.02, 0.03, 0.04, 0.05.
 * Each truth is checked against its posterior 90% interval; in addition, x4's direct effect must
 * exclude 0 ("only x4 acts on y directly").
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCsvSource } from '../../../src/data/index.js';
import { fitMediation } from '../../../src/mediation/fit.js';
import { parseMediationConfig } from '../../../src/mediation/config.js';
import { coverageChecks, printTruthTable, sectionStatus, truthRow, type Check, type SectionResult, type TruthRow } from '../checks.js';
import { CONFIG_DIR, progressLines } from '../fitting.js';
import { resolveSettings, type SamplerSettings, type ValidateOptions } from '../options.js';
import { fmt, interval, say } from '../table.js';
import { numericColumn } from './roas.js';

/**
 * Full settings of this section: 4 chains x 500 warmup + 500 draws (1,050 daily periods and 92
 * parameters make each gradient ~10x the national MMM's; 2,000 draws give ESS in the hundreds for
 * the effects), tree depth capped at 8, dense metric (a mediator and its drivers are correlated,
 * so are their coefficients).
 */
export const FUNNEL_SETTINGS: SamplerSettings = { chains: 4, warmup: 500, draws: 500, seed: 20240601, maxTreeDepth: 8 };

const PATHS = { 'x1->x2': 0.02, 'x1->x3': 0.03, 'x2->x4': 0.04, 'x3->x4': 0.05 } as const;
const MM = { alpha: 0.7, lam: 0.2 };
const ADSTOCK = { alpha: 0.3, maxLag: 24 };

/** sum_t 0.7 a / (0.2 + a), a = unnormalized geometric adstock (alpha 0.3, 24 lags) of x4. */
function michaelisMentenTotal(x4: ArrayLike<number>): number {
  let total = 0;
  for (let t = 0; t < x4.length; t++) {
    let a = 0;
    for (let l = 0; l < ADSTOCK.maxLag && l <= t; l++) a += ADSTOCK.alpha ** l * x4[t - l];
    total += (MM.alpha * a) / (MM.lam + a);
  }
  return total;
}

export function funnelTruth(x: Record<'x1' | 'x2' | 'x3' | 'x4', Float64Array>): Record<string, { direct: number; indirect: number; total: number }> {
  const observed = michaelisMentenTotal(x.x4);
  const totalWithout = (channel: 'x1' | 'x2' | 'x3', coefficient: number) =>
    observed - michaelisMentenTotal(x.x4.map((v, t) => v - coefficient * x[channel][t]));
  const d1 = PATHS['x2->x4'] * PATHS['x1->x2'] + PATHS['x3->x4'] * PATHS['x1->x3'];
  const totals = { x1: totalWithout('x1', d1), x2: totalWithout('x2', PATHS['x2->x4']), x3: totalWithout('x3', PATHS['x3->x4']), x4: observed };
  const direct = { x1: 0, x2: 0, x3: 0, x4: observed };
  return Object.fromEntries((['x1', 'x2', 'x3', 'x4'] as const).map((c) => [c, { direct: direct[c], indirect: totals[c] - direct[c], total: totals[c] }]));
}


export async function runMediationSection(shared: string, options: ValidateOptions): Promise<SectionResult> {
  const name = 'funnel';
  const title = 'PyMC-Marketing funnel_data: mediation x1 -> (x2, x3) -> x4 -> y';
  const started = performance.now();
  const path = join(shared, 'datasets', 'pymc_marketing', 'funnel_data.csv');
  if (!existsSync(path)) return { name, title, status: 'skipped', seconds: 0, checks: [], message: `${path} not found` };

  const raw = (await loadCsvSource(path)).table;
  const columns = {
    x1: numericColumn(raw, 'impressions_x1'),
    x2: numericColumn(raw, 'impressions_x2'),
    x3: numericColumn(raw, 'impressions_x3'),
    x4: numericColumn(raw, 'impressions_x4'),
  };
  const truth = funnelTruth(columns);
  say(`  truth (DGP of SOURCE.md on the file's columns): only x4 acts directly; direct x4 = ${fmt(truth.x4.direct, 6)}, total x1 ${fmt(truth.x1.total)}, x2 ${fmt(truth.x2.total)}, x3 ${fmt(truth.x3.total)} (target_var units summed over ${columns.x1.length} days)`);

  const configPath = join(CONFIG_DIR, 'funnel.json');
  const config = parseMediationConfig(JSON.parse(readFileSync(configPath, 'utf8')), configPath);
  say(`  config ${configPath}: KPI equation geometric adstock (12 lags) + Michaelis-Menten, linear paths, piecewise-linear trend (10 knots), AR(1) errors in every equation, event signals as controls`);
  const settings = resolveSettings(options, FUNNEL_SETTINGS);
  say(`  fitting: ${settings.chains} chains x ${settings.warmup} warmup + ${settings.draws} draws, seed ${settings.seed}, max tree depth ${settings.maxTreeDepth}, dense metric learned by the staged warmup (pooled chains)`);
  const fit = await fitMediation(path, config, {
    chains: settings.chains,
    warmup: settings.warmup,
    draws: settings.draws,
    seed: settings.seed,
    maxTreeDepth: settings.maxTreeDepth,
    metric: 'dense',
    warmupPlan: 'staged',
    progress: false,
    onProgress: progressLines(name),
  });
  const h = fit.result.health;
  say(
    `  sampling ${fmt(fit.result.seconds.sampling, 3)} s; ${fit.result.samples.gradientEvaluations} gradient evaluations; max R-hat ${fmt(h.maxRhat, 4)}; ` +
      `min bulk ESS ${fmt(h.minEssBulk, 3)}; divergences ${h.divergences}; tree-depth hits ${h.treeDepthSaturated}`,
  );
  for (const w of h.warnings) say(`  sampler warning: ${w}`);

  const row = (channel: string, effect: 'direct' | 'indirect' | 'total') => {
    const found = fit.effects.effects.find((r) => r.channel === channel && r.effect === effect && r.measure === 'contribution');
    if (!found) throw new Error(`no ${effect} effect row for ${channel}`);
    return found;
  };
  const rows: TruthRow[] = [];
  for (const effect of ['direct', 'indirect', 'total'] as const) {
    for (const channel of ['x1', 'x2', 'x3', 'x4']) {
      const structuralZero = effect === 'indirect' && channel === 'x4';
      rows.push(truthRow(`${effect} ${channel}`, truth[channel][effect], row(channel, effect), !structuralZero, structuralZero ? 'x4 drives no mediator: 0 by construction' : undefined));
    }
  }
  for (const [edge, coefficient] of Object.entries(PATHS)) {
    const [driver, mediator] = edge.split('->');
    const path = fit.effects.paths.find((p) => p.driver === driver && p.mediator === mediator)!;
    rows.push(truthRow(`path ${edge} (per unit)`, coefficient, path));
  }
  printTruthTable(rows);
  const x4 = row('x4', 'direct');
  const checks: Check[] = [
    ...coverageChecks(rows),
    {
      name: 'x4 acts on y directly (direct effect 90% interval excludes 0)',
      passed: x4.q05 > 0,
      detail: `direct x4 90% interval ${interval(x4.q05, x4.q95)}`,
    },
  ];
  return {
    name,
    title,
    status: sectionStatus(checks),
    seconds: (performance.now() - started) / 1000,
    checks,
    details: {
      truth,
      paths: PATHS,
      rows,
      fit: {
        settings,
        samplingSeconds: fit.result.seconds.sampling,
        gradientEvaluations: fit.result.samples.gradientEvaluations,
        maxRhat: h.maxRhat,
        minEssBulk: h.minEssBulk,
        minEssTail: h.minEssTail,
        divergences: h.divergences,
        treeDepthSaturated: h.treeDepthSaturated,
        samplerWarnings: h.warnings,
      },
    },
  };
}
