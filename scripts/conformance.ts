/**
 * `npm run conformance`: fit every posteriordb reference posterior in ../shared/posteriordb with the
 * engine (models/posteriordb/ on src/ppl, NUTS from samplers/ via src/inference) at the settings its
 * reference.json suggests, and judge each fit by the README's pass rule (src/conformance/):
 * sampler health, means within 5 combined MCSEs, sds within a clamped tolerance; the centred
 * eight-schools posterior may instead be flagged by the engine's own diagnostics.
 *
 * Prints one line per posterior and a summary, writes a JSON report (bench/conformance-<date>.json,
 * or -partial.json for runs with --only or overridden settings), and exits non-zero when a posterior
 * fails. Skips with a message (exit 0) when ../shared/posteriordb is absent.
 *
 * Options: --only name[,name] (substrings of posterior names), --seed S (base seed; each posterior
 * uses "S/<name>"), --chains N, --warmup N, --draws N (override the suggested settings for quick
 * runs), --metric diag|dense|lowRank (override the suggested metric: the faster modes of the MMM
 * benchmark use a dense metric and must pass the same suite), --plan stan|staged|nutpie (the warmup
 * plan; staged implies --metric dense: the staged dense warmup of samplers/staged.ts at its default
 * 50/30/20 split; nutpie is nutpie's adaptation, samplers/adaptation/nutpieAdapter.ts, with its
 * diagonal metric per chain, or with --metric lowRank its low-rank metric per chain (as nutpie);
 * a posterior that suggests dense gets the low-rank one), --adapt-delta X (override the suggested target acceptance), --diag-adapt-delta X (staged
 * plan only: stage 1's target acceptance; with --adapt-delta these give the sampler settings of the
 * MMM benchmark's staged-p98-d80 mode), --out path.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  checkQuantity,
  engineQuantity,
  judgePosterior,
  parseReference,
  worstMean,
  worstSd,
  type PosteriorVerdict,
  type QuantityCheck,
  type ReferencePosterior,
} from '../src/conformance/index.js';
import { sampleModel } from '../src/inference/index.js';
import type { AdaptationOptions } from '../samplers/index.js';
import { compile } from '../src/ppl/index.js';
import { describeBackend, initBackend } from '../src/tensor/index.js';
import { posteriordbModels, type PosteriorData } from '../models/posteriordb/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = join(ROOT, '..', 'shared', 'posteriordb');
const DEFAULT_SEED = '20250429';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    seed: { type: 'string' },
    chains: { type: 'string' },
    warmup: { type: 'string' },
    draws: { type: 'string' },
    metric: { type: 'string' },
    plan: { type: 'string' },
    'adapt-delta': { type: 'string' },
    'diag-adapt-delta': { type: 'string' },
    out: { type: 'string' },
  },
});

function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`--${flag} must be a positive integer, got "${value}"`);
  return parsed;
}

function metricOption(value: string | undefined): 'diag' | 'dense' | 'lowRank' | undefined {
  if (value === undefined) return undefined;
  if (value !== 'diag' && value !== 'dense' && value !== 'lowRank') throw new Error(`--metric must be diag, dense or lowRank, got "${value}"`);
  return value;
}

function probability(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!(parsed > 0 && parsed < 1)) throw new Error(`--${flag} must be a number in (0, 1), got "${value}"`);
  return parsed;
}

function planOption(value: string | undefined): 'stan' | 'staged' | 'nutpie' | undefined {
  if (value === undefined) return undefined;
  if (value !== 'stan' && value !== 'staged' && value !== 'nutpie') throw new Error(`--plan must be stan, staged or nutpie, got "${value}"`);
  return value;
}

interface PosteriorReport {
  readonly name: string;
  readonly role: string;
  readonly verdict: PosteriorVerdict['verdict'] | 'ERROR';
  readonly passed: boolean;
  readonly seed: string;
  readonly settings: Record<string, unknown>;
  readonly seconds: number;
  readonly error?: string;
  readonly judgement?: PosteriorVerdict;
  readonly divergences?: number;
  readonly warmupDivergences?: number;
  readonly treeDepthSaturated?: number;
  readonly gradientEvaluations?: number;
  readonly ebfmi?: readonly number[];
  readonly stepSize?: readonly number[];
  readonly maxRhat?: number;
  readonly minEss?: number;
  readonly worstMean?: { name: string; z: number };
  readonly worstSd?: { name: string; deviation: number; tolerance: number };
  readonly quantities?: readonly {
    name: string;
    engine: QuantityCheck['engine'];
    reference: QuantityCheck['reference'];
    meanZ: number;
    sdRatio: number;
    sdTolerance: number;
    meanOk: boolean;
    sdOk: boolean;
    healthOk: boolean;
  }[];
}

function formatNumber(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

interface Overrides {
  readonly chains?: number;
  readonly warmup?: number;
  readonly draws?: number;
  readonly metric?: 'diag' | 'dense' | 'lowRank';
  readonly warmupPlan?: 'stan' | 'staged' | 'nutpie';
  readonly adaptDelta?: number;
  readonly diagAdaptDelta?: number;
}

/**
 * The metric a run uses: the override, else the suggested one. nutpie has no dense metric: where a
 * posterior suggests dense, it gets nutpie's low-rank metric (the dense Fisher metric once a
 * window holds more than dim / 2 draws).
 */
function runMetric(suggested: 'diag' | 'dense', overrides: Overrides): 'diag' | 'dense' | 'lowRank' {
  if (overrides.warmupPlan === 'staged') return 'dense';
  if (overrides.metric !== undefined) return overrides.metric;
  return overrides.warmupPlan === 'nutpie' && suggested === 'dense' ? 'lowRank' : suggested;
}

/** The sampler's warmup strategy for a posterior's settings and the overrides. */
function warmupStrategy(metric: 'diag' | 'dense' | 'lowRank', adaptDelta: number, overrides: Overrides): AdaptationOptions {
  if (overrides.warmupPlan === 'staged') {
    return { kind: 'staged', targetAcceptance: adaptDelta, ...(overrides.diagAdaptDelta !== undefined ? { diagTargetAcceptance: overrides.diagAdaptDelta } : {}) };
  }
  if (overrides.warmupPlan === 'nutpie') {
    if (metric === 'dense') throw new Error('--plan nutpie adapts a diag or lowRank metric');
    return metric === 'lowRank' ? { kind: 'nutpie', metric: 'lowRank', targetAcceptance: adaptDelta } : { kind: 'nutpie', metric: 'diag', targetAcceptance: adaptDelta };
  }
  if (metric === 'lowRank') throw new Error('--metric lowRank needs --plan nutpie');
  return { kind: 'stan', metric, targetAcceptance: adaptDelta };
}

function runPosterior(name: string, reference: ReferencePosterior, seed: string, overrides: Overrides): PosteriorReport {
  const data = JSON.parse(readFileSync(join(SHARED, name, 'data.json'), 'utf8')) as PosteriorData;
  // The report's record of the settings (flat, as the run config's sampler keys).
  const settings = {
    chains: overrides.chains ?? reference.settings.chains,
    warmup: overrides.warmup ?? reference.settings.warmup,
    draws: overrides.draws ?? reference.settings.draws,
    adaptDelta: overrides.adaptDelta ?? reference.settings.adaptDelta,
    maxTreeDepth: reference.settings.maxTreeDepth,
    metric: runMetric(reference.settings.metric, overrides),
    ...(overrides.warmupPlan ? { warmupPlan: overrides.warmupPlan } : {}),
    ...(overrides.diagAdaptDelta !== undefined ? { stagedWarmup: { diagAdaptDelta: overrides.diagAdaptDelta } } : {}),
  } as const;
  const started = performance.now();
  const model = compile(posteriordbModels[name](data));
  try {
    if (model.dim !== reference.unconstrainedDimension) {
      throw new Error(`model has ${model.dim} unconstrained coordinates, reference says ${reference.unconstrainedDimension}`);
    }
    const total = settings.chains * (settings.warmup + settings.draws);
    let nextReport = 0.1;
    const fit = sampleModel(model, {
      chains: settings.chains,
      warmup: settings.warmup,
      draws: settings.draws,
      kernel: { algorithm: 'nuts', maxTreeDepth: settings.maxTreeDepth },
      adaptation: warmupStrategy(settings.metric, settings.adaptDelta, overrides),
      seed,
      onProgress: (p) => {
        if (p.completed / total >= nextReport) {
          process.stderr.write(`  ${name}: ${Math.round((100 * p.completed) / total)}% (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
          nextReport += 0.1;
        }
      },
    });
    const checks = reference.names.map((quantity) => {
      if (!fit.posterior.has(quantity)) throw new Error(`the engine does not output "${quantity}"`);
      return checkQuantity(quantity, engineQuantity(fit.posterior.chainDraws(quantity)), reference.quantities[quantity]);
    });
    const keptDraws = fit.posterior.chains * fit.posterior.drawsPerChain;
    const judgement = judgePosterior(reference.role, checks, fit.samples.divergences, keptDraws);
    const mean = worstMean(checks)!;
    const sd = worstSd(checks)!;
    return {
      name,
      role: reference.role,
      verdict: judgement.verdict,
      passed: judgement.passed,
      seed,
      settings,
      seconds: (performance.now() - started) / 1000,
      judgement,
      divergences: fit.samples.divergences,
      warmupDivergences: Array.from(fit.samples.warmup.divergences).reduce((a, b) => a + b, 0),
      treeDepthSaturated: fit.health.treeDepthSaturated,
      gradientEvaluations: fit.samples.gradientEvaluations,
      ebfmi: fit.health.ebfmi,
      stepSize: Array.from(fit.samples.warmup.stepSize),
      maxRhat: Math.max(...checks.map((c) => c.engine.rhat)),
      minEss: Math.min(...checks.map((c) => c.engine.ess)),
      worstMean: { name: mean.name, z: mean.meanZ },
      worstSd: { name: sd.name, deviation: sd.sdDeviation, tolerance: sd.sdTolerance },
      quantities: checks.map((c) => ({
        name: c.name,
        engine: c.engine,
        reference: c.reference,
        meanZ: c.meanZ,
        sdRatio: c.sdRatio,
        sdTolerance: c.sdTolerance,
        meanOk: c.meanOk,
        sdOk: c.sdOk,
        healthOk: c.healthOk,
      })),
    };
  } catch (error) {
    return {
      name,
      role: reference.role,
      verdict: 'ERROR',
      passed: false,
      seed,
      settings,
      seconds: (performance.now() - started) / 1000,
      error: (error as Error).stack ?? String(error),
    };
  } finally {
    model.dispose();
  }
}

function line(report: PosteriorReport): string {
  const head = `${report.name.padEnd(42)} ${report.role.padEnd(13)} ${report.verdict.padEnd(7)}`;
  if (report.verdict === 'ERROR') return `${head} ${report.error?.split('\n')[0]}`;
  const mean = report.worstMean!;
  const sd = report.worstSd!;
  return [
    head,
    `meanZ ${formatNumber(mean.z).padStart(6)} (${mean.name})`.padEnd(32),
    `sd |r-1| ${formatNumber(sd.deviation, 3)}/${formatNumber(sd.tolerance, 3)} (${sd.name})`.padEnd(36),
    `Rhat ${formatNumber(report.maxRhat!, 3)}`,
    `ESS ${formatNumber(report.minEss!, 0).padStart(5)}`,
    `div ${String(report.divergences).padStart(3)}`,
    `grads ${String(report.gradientEvaluations).padStart(9)}`,
    `${formatNumber(report.seconds, 1).padStart(7)} s`,
  ].join('  ');
}

async function main(): Promise<number> {
  if (!existsSync(SHARED)) {
    console.log(`conformance: ${SHARED} is absent; nothing to run (skipped).`);
    return 0;
  }
  const overrides: Overrides = {
    chains: positiveInteger(args.chains, 'chains'),
    warmup: positiveInteger(args.warmup, 'warmup'),
    draws: positiveInteger(args.draws, 'draws'),
    metric: metricOption(args.metric),
    warmupPlan: planOption(args.plan),
    adaptDelta: probability(args['adapt-delta'], 'adapt-delta'),
    diagAdaptDelta: probability(args['diag-adapt-delta'], 'diag-adapt-delta'),
  };
  if (overrides.warmupPlan === 'staged' && overrides.metric !== undefined && overrides.metric !== 'dense') throw new Error(`--plan staged adapts a dense metric; drop --metric ${overrides.metric}`);
  if (overrides.warmupPlan === 'nutpie' && overrides.metric === 'dense') throw new Error('--plan nutpie adapts a diag or lowRank metric; drop --metric dense');
  if (overrides.metric === 'lowRank' && overrides.warmupPlan !== 'nutpie') throw new Error('--metric lowRank is the low-rank metric of --plan nutpie');
  if (overrides.diagAdaptDelta !== undefined && overrides.warmupPlan !== 'staged') throw new Error('--diag-adapt-delta applies to --plan staged only');
  const baseSeed = args.seed ?? DEFAULT_SEED;
  const filters = args.only ? args.only.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  const available = readdirSync(SHARED, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(SHARED, entry.name, 'reference.json')))
    .map((entry) => entry.name)
    .sort();
  const names = available.filter((name) => !filters || filters.some((f) => name === f || name.includes(f)));
  if (names.length === 0) {
    console.error(`conformance: no posterior matches --only ${args.only}; available: ${available.join(', ')}`);
    return 2;
  }
  const info = await initBackend();
  console.log(describeBackend(info));
  const started = performance.now();
  const reports: PosteriorReport[] = [];
  for (const name of names) {
    const reference = parseReference(JSON.parse(readFileSync(join(SHARED, name, 'reference.json'), 'utf8')));
    let report: PosteriorReport;
    if (!posteriordbModels[name]) {
      report = { name, role: reference.role, verdict: 'ERROR', passed: false, seed: '', settings: {}, seconds: 0, error: `no model for ${name}` };
    } else {
      process.stderr.write(`conformance: ${name} ...\n`);
      report = runPosterior(name, reference, `${baseSeed}/${name}`, overrides);
    }
    reports.push(report);
    console.log(line(report));
    if (report.verdict !== 'PASS' && report.judgement) for (const reason of report.judgement.reasons.slice(0, 6)) console.log(`    ${reason}`);
    if (report.judgement && report.judgement.reasons.length > 6) console.log(`    ... ${report.judgement.reasons.length - 6} more`);
  }
  const seconds = (performance.now() - started) / 1000;
  const passed = reports.filter((r) => r.passed).length;
  const flagged = reports.filter((r) => r.verdict === 'FLAGGED').length;
  const failed = reports.length - passed;
  console.log(`${passed} passed${flagged ? ` (${flagged} flagged)` : ''}, ${failed} failed  (${seconds.toFixed(1)} s)`);

  const partial = filters !== undefined || Object.values(overrides).some((v) => v !== undefined);
  const date = new Date().toISOString().slice(0, 10);
  const out = args.out ?? join(ROOT, 'bench', `conformance-${date}${partial ? '-partial' : ''}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify({ date: new Date().toISOString(), backend: info.name, baseSeed, overrides, partial, seconds, passed, flagged, failed, posteriors: reports }, null, 2) + '\n',
  );
  console.log(`report: ${out}`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main();
