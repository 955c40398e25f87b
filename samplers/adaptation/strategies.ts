/**
 * The warmup strategies as data, as a stage of a plan names them (plan.ts, stage.ts; plain data so
 * a stage can run in a worker thread), and the factory that builds each strategy's adapter groups:
 * per chain (one group per chain) or cross-chain (one group of all chains, which must then run in
 * one process): Stan's windows (per chain or pooled), nutpie's (its diagonal metric per chain, its
 * low-rank metric pooled), or none. A new strategy adds a variant here, its adapter (adapter.ts)
 * and a case in `adapterGroups`; its user options are a variant of types.ts's AdaptationOptions,
 * resolved into this data by resolve.ts.
 */
import type { KernelParameters } from '../kernel.js';
import { fixedAdapter, type WarmupAdapter } from './adapter.js';
import type { AdapterGroup } from './groups.js';
import { nutpieAdapter, type NutpieSettings } from './nutpieAdapter.js';
import { stanAdapter } from './stanAdapter.js';
import type { AdaptationSettings } from './windowedAdaptation.js';

export type AdapterSpec =
  /** Kernel parameters fixed as given. */
  | { readonly kind: 'none' }
  /** Stan's windowed adaptation (settings.adaptMetric false: step size only), per chain or pooled. */
  | { readonly kind: 'stan'; readonly pooled: boolean; readonly settings: AdaptationSettings }
  /** nutpie's adaptation: the diagonal Fisher metric per chain, or the low-rank one per chain or pooled across chains. */
  | { readonly kind: 'nutpie'; readonly settings: NutpieSettings };

/** Whether the strategy shares statistics across chains (so its chains run in one process). */
export function isCrossChain(spec: AdapterSpec): boolean {
  return (spec.kind === 'stan' && spec.pooled) || (spec.kind === 'nutpie' && spec.settings.pooled);
}

export interface AdapterContext {
  readonly dim: number;
  readonly warmup: number;
  /** Chains in the stage (the driver's programs 0 .. chains - 1). */
  readonly chains: number;
  /** Kernel parameters before warmup, the same for every chain. */
  readonly initial: KernelParameters;
}

/** The adapter groups of a strategy for a stage's chains. */
export function adapterGroups(spec: AdapterSpec, context: AdapterContext): AdapterGroup[] {
  const { chains, initial, warmup } = context;
  const perChain = (make: () => WarmupAdapter): AdapterGroup[] => Array.from({ length: chains }, (_, k) => ({ members: [k], adapter: make() }));
  const allChains = (adapter: WarmupAdapter): AdapterGroup[] => [{ members: Array.from({ length: chains }, (_, k) => k), adapter }];
  const cross = isCrossChain(spec);
  if (spec.kind === 'none' || warmup === 0) {
    return cross ? allChains(fixedAdapter(Array.from({ length: chains }, () => initial))) : perChain(() => fixedAdapter([initial]));
  }
  switch (spec.kind) {
    case 'stan': {
      const options = { initial, dim: context.dim, warmup, settings: spec.settings };
      return spec.pooled
        ? allChains(stanAdapter({ ...options, pooled: true, chains }))
        : perChain(() => stanAdapter({ ...options, pooled: false, chains: 1 }));
    }
    case 'nutpie': {
      const options = { initial, dim: context.dim, warmup, settings: spec.settings };
      return cross ? allChains(nutpieAdapter({ ...options, chains })) : perChain(() => nutpieAdapter({ ...options, chains: 1 }));
    }
  }
}
