/**
 * Stan's windowed warmup as a warmup adapter (adapter.ts): dual averaging of the step size on the
 * acceptance statistic, a Welford diagonal or dense metric estimated over the doubling slow windows
 * (windowedAdaptation.ts; Stan Reference Manual, "Automatic parameter tuning"), Stan's step-size
 * heuristic at the start and after each metric update, the dual-averaged step size for sampling.
 *
 * Per chain (Stan's own behaviour) the group is one chain. Pooled, one adapter serves all chains:
 * one dual-averaging step per iteration on the mean of min(1, acceptance statistic) over chains, one
 * estimator fed every chain's position, one shared step size and metric; after a metric update each
 * chain runs the heuristic from its own position and the shared step size restarts from their
 * geometric mean. With `adaptMetric: false` the metric stays as given and only the step size adapts.
 */
import type { KernelParameters } from '../kernel.js';
import { withStepSize } from '../kernel.js';
import { createMetric } from '../metric.js';
import { initialStepSize } from '../stepSize.js';
import { forEachChain, geometricMean, type AdapterInstruction, type WarmupAdapter } from './adapter.js';
import { WindowedAdaptation, type AdaptationSettings } from './windowedAdaptation.js';

export interface StanAdapterOptions {
  /** The kernel parameters before warmup (the user's initial step size and metric). */
  readonly initial: KernelParameters;
  readonly dim: number;
  readonly warmup: number;
  /** One adapter for `chains` chains (pooled), or for one chain (per chain: chains must be 1). */
  readonly pooled: boolean;
  readonly chains: number;
  readonly settings: AdaptationSettings;
}

export function stanAdapter(options: StanAdapterOptions): WarmupAdapter {
  const { dim, pooled, chains } = options;
  if (!pooled && chains !== 1) throw new Error(`stanAdapter: a per-chain adapter serves one chain, got ${chains}`);
  const metricKind = options.initial.metric.kind;
  if (metricKind !== 'diag' && metricKind !== 'dense') throw new Error(`Stan's windowed adaptation estimates a diag or dense metric, not "${metricKind}"`);
  const windowed = new WindowedAdaptation(metricKind, dim, options.warmup, options.initial.stepSize, options.settings);
  let parameters = options.initial;
  let restartAfterSearch = false;
  const all = <T>(value: T) => forEachChain(chains, value);
  const search = (): readonly AdapterInstruction[] => all({ kind: 'searchStepSize', parameters, search: initialStepSize });

  return {
    chains,
    init() {
      // As Stan's services: the heuristic runs, but dual averaging keeps mu = log(10 * the user's step size).
      restartAfterSearch = false;
      return search();
    },
    update(iteration, draws) {
      let acceptStat: number;
      if (pooled) {
        let sum = 0;
        for (const draw of draws) sum += draw.info.acceptStat > 1 ? 1 : draw.info.acceptStat;
        acceptStat = sum / draws.length;
      } else {
        acceptStat = draws[0].info.acceptStat;
      }
      const positions = draws.map((draw) => draw.state.position);
      const step = windowed.learn(iteration, acceptStat, positions, parameters.metric.inverseMass);
      if (step.inverseMass === null) {
        parameters = withStepSize(parameters, step.stepSize);
        return all({ kind: 'continue', parameters });
      }
      parameters = withStepSize(parameters, step.stepSize, createMetric(metricKind, dim, step.inverseMass));
      restartAfterSearch = true;
      return search();
    },
    searched(stepSizes) {
      const stepSize = pooled ? geometricMean(stepSizes) : stepSizes[0];
      if (restartAfterSearch) windowed.restart(stepSize);
      parameters = withStepSize(parameters, stepSize);
      return all(parameters);
    },
    final() {
      parameters = withStepSize(parameters, windowed.finalStepSize(parameters.stepSize));
      return all(parameters);
    },
  };
}
