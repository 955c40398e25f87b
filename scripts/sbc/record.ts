/**
 * What `npm run sbc` prints and records: the per-quantity table (chi-square p-value of the binned
 * ranks, whether the ECDF stays inside the simultaneous band), the counts against what chance alone
 * gives (each test at 5% fails about 1 quantity in 20 even for exact inference), the fits' sampler
 * health, timing, and the JSON record for bench/ (settings, simulation, the results and every rank,
 * so the tests can be redone from the record alone).
 */
import os from 'node:os';
import { DEFAULT_SAMPLER } from '../../src/mmm/config.js';
import type { SbcResult } from './run.js';
import { LOG_LIK } from './simulate.js';

const median = (values: readonly number[]): number => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
};

/** Fit time summed over the invocations that ran fits on this output directory (a resumed run has several). */
export function fitTime(result: SbcResult): { invocations: number; fitsRun: number; wall: number; cpu?: number } {
  const runs = result.invocations;
  const cpuKnown = runs.every((r) => r.cpuSeconds !== undefined);
  return {
    invocations: runs.length,
    fitsRun: runs.reduce((a, r) => a + r.fitsRun, 0),
    wall: runs.reduce((a, r) => a + r.batchWallSeconds, 0),
    cpu: cpuKnown ? runs.reduce((a, r) => a + (r.cpuSeconds ?? 0), 0) : undefined,
  };
}

/** The per-quantity table and the summary lines. */
export function formatSbcSummary(result: SbcResult): string {
  const { rows, fits, settings } = result;
  const width = Math.max(10, ...rows.quantities.map((q) => q.quantity.length));
  const lines = [`${'quantity'.padEnd(width)}  chi2 p   mean rank  max |ECDF-U|  ECDF in ${Math.round(100 * settings.level)}% band`];
  for (const q of rows.quantities) {
    const flag = q.pValue < 0.05 ? ' *' : '  ';
    lines.push(`${q.quantity.padEnd(width)}  ${q.pValue.toFixed(3)}${flag} ${q.meanFractionalRank.toFixed(3).padStart(9)}  ${q.maxEcdfDifference.toFixed(3).padStart(12)}  ${q.inBand ? 'yes' : 'NO'}`);
  }
  const n = rows.quantities.length;
  const lowP = rows.quantities.filter((q) => q.pValue < 0.05).length;
  const outside = rows.quantities.filter((q) => !q.inBand);
  const minP = Math.min(...rows.quantities.map((q) => q.pValue));
  const ranked = fits.filter((f) => f.ranks);
  const divergent = ranked.filter((f) => (f.divergences ?? 0) > 0).length;
  lines.push('');
  lines.push(`${ranked.length} of ${fits.length} replicates fitted and ranked; ranks among ${settings.rankedDraws} draws thinned from ${settings.chains} x ${settings.draws}; ${rows.bins} bins, band at ${rows.band.points} points (simultaneous level ${settings.level}, exact coverage ${rows.band.coverage.toFixed(4)})`);
  lines.push(`chi-square p < 0.05: ${lowP} of ${n} quantities (about ${(0.05 * n).toFixed(1)} expected by chance); smallest p ${minP.toPrecision(3)} (Bonferroni threshold for ${n} tests at 5%: ${(0.05 / n).toPrecision(3)})`);
  lines.push(`ECDF outside its ${Math.round(100 * settings.level)}% band: ${outside.length} of ${n} (about ${((1 - rows.band.coverage) * n).toFixed(1)} expected by chance)${outside.length ? `: ${outside.map((q) => q.quantity).join(', ')}` : ''}`);
  lines.push(`fits: ${divergent} of ${ranked.length} with divergent transitions (${ranked.reduce((a, f) => a + (f.divergences ?? 0), 0)} in all); max R-hat median ${median(ranked.map((f) => f.maxRhat ?? NaN)).toFixed(3)}, worst ${Math.max(...ranked.map((f) => f.maxRhat ?? NaN)).toFixed(3)}; min bulk ESS median ${median(ranked.map((f) => f.minEssBulk ?? NaN)).toFixed(0)}, lowest ${Math.min(...ranked.map((f) => f.minEssBulk ?? NaN)).toFixed(0)}`);
  const cpu = result.seconds.cpu;
  lines.push(`time: ${result.seconds.wall.toFixed(0)} s wall (simulation ${result.seconds.simulate.toFixed(1)} s, fits ${result.seconds.batch.toFixed(0)} s)${cpu !== undefined ? `, ${cpu.toFixed(0)} CPU s (this process and its fit processes)` : ''}`);
  const fitting = fitTime(result);
  if (fitting.invocations > 1 || fitting.fitsRun !== result.fits.filter((f) => f.status === 'done').length) {
    lines.push(`fitting over ${fitting.invocations} invocation(s) on this directory: ${fitting.fitsRun} fits, ${fitting.wall.toFixed(0)} s wall${fitting.cpu !== undefined ? `, ${fitting.cpu.toFixed(0)} CPU s` : ''}`);
  }
  return lines.join('\n');
}

/** The JSON record of a run for bench/. */
export function sbcRecord(result: SbcResult, extra: { readonly created: string; readonly commit?: { commit: string; dirty: boolean }; readonly loadAverage: { readonly start: string; readonly end: string } }): Record<string, unknown> {
  const { settings, simulation, rows, fits } = result;
  const ranked = fits.filter((f) => f.ranks);
  const attempts = simulation.replicates.reduce((a, r) => a + r.attempts, 0);
  const sampler = result.config.sampler;
  return {
    format: 'mixwell-sbc/1',
    created: extra.created,
    commit: extra.commit,
    machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.availableParallelism(), node: process.version, loadAverage: extra.loadAverage },
    method: {
      sbc: 'Talts, Betancourt, Simpson, Vehtari & Gelman 2018 (Algorithms 1-2: ranks of prior draws among thinned posterior draws)',
      tests: `chi-square on ${rows.bins} bins of the ranks; ECDF inside the simultaneous ${settings.level} band (Säilynoja, Bürkner & Vehtari 2022, exact forward recursion)`,
      quantities: `every scalar parameter of the default geo MMM (the integrated linear block's tau0, v, delta, phi, gamma included, from the fits' exact conditional draws) and ${LOG_LIK}, the KPI's log-likelihood`,
      simulation: 'template design in the model\'s units (media channel mean 1, controls standardized) read back through the fit\'s pipeline; parameters and KPI from models/mmm samplePriorPredictive; replicates with a negative KPI cell rejected (data-only rule, SBC stays exact); KPI not rescaled by the fits ("scaling": {"kpi": "none"}); CSV in full precision, read back bit for bit',
    },
    settings: {
      replicates: settings.replicates,
      seed: settings.seed,
      design: settings.size,
      model: 'default (mixwell fit with no model options)',
      config: result.configJson,
      sampler: { chains: sampler.chains, warmup: sampler.warmup, draws: sampler.draws, warmupPlan: sampler.warmupPlan, metric: sampler.metric, adaptDelta: sampler.adaptDelta, maxTreeDepth: sampler.maxTreeDepth },
      defaultSampler: { warmupPlan: DEFAULT_SAMPLER.warmupPlan, metric: DEFAULT_SAMPLER.metric, chains: DEFAULT_SAMPLER.chains, warmup: DEFAULT_SAMPLER.warmup, draws: DEFAULT_SAMPLER.draws },
      rankedDraws: settings.rankedDraws,
      bins: settings.bins,
      level: settings.level,
      band: { points: rows.band.points, gamma: rows.band.gamma, coverage: rows.band.coverage },
      concurrency: settings.concurrency,
      fitsPerWorker: settings.fitsPerWorker,
    },
    simulation: {
      attempts,
      accepted: simulation.replicates.length,
      acceptanceRate: simulation.replicates.length / attempts,
      rescalingDifference: simulation.rescalingDifference,
      truthMeans: Object.fromEntries(simulation.parameters.map((name) => [name, simulation.replicates.reduce((a, r) => a + r.truth[name], 0) / simulation.replicates.length])),
    },
    seconds: { thisInvocation: result.seconds, fitting: fitTime(result), invocations: result.invocations },
    fits: {
      done: ranked.length,
      failed: fits.filter((f) => !f.ranks).map((f) => ({ id: f.id, status: f.status, error: f.error })),
      divergences: { total: ranked.reduce((a, f) => a + (f.divergences ?? 0), 0), replicatesWithAny: ranked.filter((f) => (f.divergences ?? 0) > 0).length },
      maxRhat: { median: median(ranked.map((f) => f.maxRhat ?? NaN)), max: Math.max(...ranked.map((f) => f.maxRhat ?? NaN)) },
      minEssBulk: { median: median(ranked.map((f) => f.minEssBulk ?? NaN)), min: Math.min(...ranked.map((f) => f.minEssBulk ?? NaN)) },
      secondsPerFit: { medianTotal: median(ranked.map((f) => f.seconds?.total ?? NaN)), medianSampling: median(ranked.map((f) => f.seconds?.sampling ?? NaN)) },
    },
    summary: {
      quantities: rows.quantities.length,
      chiSquareBelow005: rows.quantities.filter((q) => q.pValue < 0.05).map((q) => q.quantity),
      minPValue: Math.min(...rows.quantities.map((q) => q.pValue)),
      bonferroniThreshold: 0.05 / rows.quantities.length,
      outsideBand: rows.quantities.filter((q) => !q.inBand).map((q) => q.quantity),
    },
    quantities: rows.quantities,
    replicates: fits.map((f, i) => ({ id: f.id, attempts: simulation.replicates[i].attempts, status: f.status, divergences: f.divergences, maxRhat: f.maxRhat, minEssBulk: f.minEssBulk, seconds: f.seconds })),
    ranks: Object.fromEntries(result.quantities.map((q) => [q, ranked.map((f) => f.ranks![q])])),
  };
}
