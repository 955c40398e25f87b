/**
 * nutpie's warmup as a warmup adapter (adapter.ts), after nuts-rs src/adapt_strategy.rs
 * (GlobalStrategy), src/stepsize/*.rs and src/transform/adapt/*.rs:
 *
 *   - init: the metric from the initial gradients (M^-1 = 1 / |grad|; or a given diagonal, e.g. a
 *     pilot run's variances, settings.initialMetric 'given'), the initial draw added to
 *     both windows, a step-size search (stepSizeSearch.ts) from the initial step size, and dual
 *     averaging started there (target 0.8, gamma 0.05, t0 10, kappa 0.75, step size capped at pi).
 *   - each early- or main-phase draw: a "good" draw (the selected point is not the trajectory's
 *     start; after a divergence, more than 4 steps from it) goes into the foreground and background
 *     windows; the schedule (nutpieSchedule.ts) says when the windows switch and when the metric is
 *     recomputed from the foreground (fisherDiagonal.ts, or lowRankFisher.ts); the step size takes a
 *     dual-averaging step on the acceptance statistic, or its symmetric form once no switch fits; at
 *     the first metric change the step size is searched again from the initial one and dual
 *     averaging restarts there.
 *   - the final 15%: dual averaging on the symmetric statistic only; sampling uses the averaged step.
 *
 * The diagonal metric adapts per chain, as nutpie; so does the low-rank metric by default, or
 * (settings.pooled) it is estimated from all chains' windows pooled (each chain centred on its own
 * means), with one shared step size from the mean of the chains' statistics and, after a search, the
 * geometric mean of their searched step sizes.
 * Differences from nuts-rs: exact Welford sums (nuts-rs adds (x - old mean)^2), a failed search
 * restarts dual averaging at the starting step size, the search steps forward only, and step-size
 * jitter is the kernel's (nuts-rs jitters by U(0.9, 1.1) by default).
 */
import type { Rng } from '../../src/tensor/rng.js';
import type { KernelParameters } from '../kernel.js';
import { withStepSize } from '../kernel.js';
import { lowRankMetric, type LowRankMetric } from '../lowRankMetric.js';
import { diagonalMetric, type EuclideanMetric } from '../metric.js';
import type { ChainState } from '../state.js';
import { forEachChain, geometricMean, type AdaptationDraw, type AdapterInstruction, type WarmupAdapter } from './adapter.js';
import {
  finalDualAveragingStepSize,
  startDualAveraging,
  updateDualAveraging,
  type DualAveragingSettings,
  type DualAveragingState,
} from './dualAveraging.js';
import { FisherWindow, initialInverseMassDiag } from './fisherDiagonal.js';
import { LowRankWindows, lowRankFisher, type LowRankFisherSettings } from './lowRankFisher.js';
import {
  metricChanged,
  nutpiePhases,
  nutpieScheduleStep,
  startNutpieSchedule,
  type NutpieScheduleSettings,
  type NutpieScheduleState,
} from './nutpieSchedule.js';
import { doublingStepSizeSearch } from './stepSizeSearch.js';

export interface NutpieSettings {
  readonly metric: 'diag' | 'lowRank';
  /** Low-rank only: one metric from all chains' windows (true) or one per chain (false, nutpie's way). */
  readonly pooled: boolean;
  /** Dual averaging, with its target acceptance and step-size cap. */
  readonly dualAveraging: DualAveragingSettings;
  readonly schedule: NutpieScheduleSettings;
  readonly lowRank: LowRankFisherSettings;
  /**
   * The metric before the first window's estimate: nutpie's 1 / |gradient| at the initial points
   * ('gradient'), or the kernel's initial metric as given (diagonal only, e.g. from a pilot run).
   */
  readonly initialMetric?: 'gradient' | 'given';
}

/** nuts-rs's dual averaging: Stan's constants, step size at most pi. */
export const nutpieDualAveraging: DualAveragingSettings = { targetAcceptance: 0.8, gamma: 0.05, t0: 10, kappa: 0.75, maxStepSize: Math.PI };

export interface NutpieAdapterOptions {
  /** Kernel parameters before warmup: the initial step size and metric (the metric is replaced at init unless settings.initialMetric is 'given'). */
  readonly initial: KernelParameters;
  readonly dim: number;
  readonly warmup: number;
  /** Chains the adapter serves: 1 for the diagonal metric, all of them for the pooled low-rank one. */
  readonly chains: number;
  readonly settings: NutpieSettings;
}

/** What the adapter did: an info record for tests and logs. */
export interface NutpieAdaptationInfo {
  /** Draws after which the windows switched. */
  readonly switches: readonly number[];
  /** Draws after which the metric changed. */
  readonly metricUpdates: readonly number[];
  /** Draws after which the step size was searched (-1: at init). */
  readonly stepSizeSearches: readonly number[];
  /** The first draw whose dual-averaging step used the symmetric statistic. */
  readonly firstLate: number | null;
  /** Low rank: the number of eigenpairs kept at each metric change. */
  readonly ranks: readonly number[];
}

export interface NutpieAdapter extends WarmupAdapter {
  info(): NutpieAdaptationInfo;
}

/** A window estimator of the metric (diagonal or low-rank Fisher). */
interface FisherEstimator {
  init(states: readonly ChainState[]): EuclideanMetric;
  add(chain: number, state: ChainState): void;
  switchWindows(): void;
  /** Background draws over all chains. */
  readonly backgroundCount: number;
  /** The metric from the foreground, or null when it cannot be formed yet. */
  estimate(current: EuclideanMetric): EuclideanMetric | null;
}

function diagonalEstimator(dim: number, chains: number): FisherEstimator {
  let foreground = new FisherWindow(dim, chains);
  let background = new FisherWindow(dim, chains);
  const add = (chain: number, state: ChainState) => {
    foreground.add(chain, state.position, state.gradient);
    background.add(chain, state.position, state.gradient);
  };
  return {
    init(states) {
      states.forEach((state, chain) => add(chain, state));
      return diagonalMetric(initialInverseMassDiag(states));
    },
    add,
    switchWindows() {
      foreground = background;
      background = new FisherWindow(dim, chains);
    },
    get backgroundCount() {
      return background.count;
    },
    estimate(current) {
      const diag = foreground.inverseMassDiag(current.inverseMass);
      return diag === null ? null : diagonalMetric(diag);
    },
  };
}

function lowRankEstimator(dim: number, chains: number, settings: LowRankFisherSettings): FisherEstimator {
  const windows = new LowRankWindows(chains);
  return {
    init(states) {
      states.forEach((state, chain) => windows.add(chain, state.position, state.gradient));
      return lowRankMetric({ scales: Float64Array.from(initialInverseMassDiag(states), Math.sqrt), eigenvalues: new Float64Array(0), eigenvectors: [] });
    },
    add: (chain, state) => windows.add(chain, state.position, state.gradient),
    switchWindows: () => windows.switchWindows(),
    get backgroundCount() {
      return windows.backgroundCount;
    },
    estimate() {
      const factors = lowRankFisher(windows.foreground, dim, settings);
      return factors === null ? null : lowRankMetric(factors);
    },
  };
}

/** nuts-rs's filter: the selected point moved; after a divergence, more than 4 steps. */
export function isGoodDraw(draw: AdaptationDraw): boolean {
  const steps = draw.info.stepsFromStart;
  return draw.info.divergent ? Math.abs(steps) > 4 : steps !== 0;
}

export function nutpieAdapter(options: NutpieAdapterOptions): NutpieAdapter {
  const { dim, chains, warmup, settings } = options;
  const { schedule } = settings;
  const phases = nutpiePhases(warmup, schedule);
  const estimator = settings.metric === 'diag' ? diagonalEstimator(dim, chains) : lowRankEstimator(dim, chains, settings.lowRank);
  const initialStepSize = options.initial.stepSize;
  const search = (state: ChainState, stepSize: number, metric: EuclideanMetric, rng: Rng) =>
    doublingStepSizeSearch(state, stepSize, metric, rng, { targetAcceptance: settings.dualAveraging.targetAcceptance, maxDeltaH: options.initial.maxDeltaH });
  let parameters = options.initial;
  let dualAveraging: DualAveragingState = startDualAveraging(initialStepSize);
  let scheduleState: NutpieScheduleState = startNutpieSchedule(schedule);
  let initialMetric = true;
  const info = { switches: [] as number[], metricUpdates: [] as number[], stepSizeSearches: [] as number[], firstLate: null as number | null, ranks: [] as number[] };
  const all = <T>(value: T) => forEachChain(chains, value);
  const searchFrom = (iteration: number): readonly AdapterInstruction[] => {
    info.stepSizeSearches.push(iteration);
    parameters = withStepSize(parameters, initialStepSize);
    return all({ kind: 'searchStepSize', parameters, search });
  };
  const learnStepSize = (iteration: number, acceptStat: number, late: boolean): number => {
    if (late && info.firstLate === null) info.firstLate = iteration;
    const step = updateDualAveraging(dualAveraging, acceptStat, settings.dualAveraging);
    dualAveraging = step.state;
    return step.stepSize;
  };
  const mean = (draws: readonly AdaptationDraw[], value: (draw: AdaptationDraw) => number): number => {
    if (draws.length === 1) return value(draws[0]);
    let sum = 0;
    for (const draw of draws) sum += value(draw);
    return sum / draws.length;
  };

  return {
    chains,
    info: () => ({ ...info, switches: [...info.switches], metricUpdates: [...info.metricUpdates], stepSizeSearches: [...info.stepSizeSearches], ranks: [...info.ranks] }),
    init(states) {
      const fromGradients = estimator.init(states);
      parameters = withStepSize(parameters, initialStepSize, settings.initialMetric === 'given' ? parameters.metric : fromGradients);
      return searchFrom(-1);
    },
    update(iteration, draws) {
      const acceptStat = mean(draws, (d) => (d.info.acceptStat > 1 ? 1 : d.info.acceptStat));
      const symmetric = mean(draws, (d) => d.info.acceptStatSymmetric);
      if (iteration >= phases.finalStart) {
        const stepSize = learnStepSize(iteration, symmetric, true);
        const last = iteration === warmup - 1;
        parameters = withStepSize(parameters, last ? finalStepSize(dualAveraging, stepSize) : stepSize);
        return all({ kind: 'continue', parameters });
      }
      const before = estimator.backgroundCount / chains;
      draws.forEach((draw, chain) => {
        if (isGoodDraw(draw)) estimator.add(chain, draw.state);
      });
      const step = nutpieScheduleStep(schedule, phases, scheduleState, iteration, before, estimator.backgroundCount / chains);
      scheduleState = step.state;
      if (step.switchWindows) {
        estimator.switchWindows();
        info.switches.push(iteration);
      }
      let changed = false;
      if (step.updateMetric) {
        const metric = estimator.estimate(parameters.metric);
        if (metric !== null) {
          parameters = withStepSize(parameters, parameters.stepSize, metric);
          scheduleState = metricChanged(scheduleState, iteration);
          changed = true;
          info.metricUpdates.push(iteration);
          if (metric.kind === 'lowRank') info.ranks.push((metric as LowRankMetric).factors.eigenvalues.length);
        }
      }
      const stepSize = learnStepSize(iteration, step.late ? symmetric : acceptStat, step.late);
      if (changed && initialMetric) {
        initialMetric = false;
        return searchFrom(iteration);
      }
      parameters = withStepSize(parameters, stepSize);
      return all({ kind: 'continue', parameters });
    },
    searched(stepSizes) {
      const stepSize = chains === 1 ? stepSizes[0] : geometricMean(stepSizes);
      dualAveraging = startDualAveraging(stepSize);
      parameters = withStepSize(parameters, stepSize);
      return all(parameters);
    },
    final() {
      parameters = withStepSize(parameters, finalStepSize(dualAveraging, parameters.stepSize));
      return all(parameters);
    },
  };
}

/** The averaged step size; the current one when no dual-averaging step happened since the (re)start. */
function finalStepSize(state: DualAveragingState, current: number): number {
  return state.counter === 0 ? current : finalDualAveragingStepSize(state);
}
