/**
 * The adstock kinds by their `model.adstock.type`. A new kind is one file implementing AdstockKind
 * (kind.ts) plus its line here and its tests (tests/mmm.components.test.ts checks every registered
 * kind against the lag-sum reference and finite differences); the config parser, the parameter
 * table, the kernel, the reference density and the docs' options table take it from here.
 */
import type { AdstockKind } from './kind.js';
import { binomial } from './binomial.js';
import { delayed } from './delayed.js';
import { geometric } from './geometric.js';
import { weibull } from './weibull.js';

export const ADSTOCK_KINDS = {
  geometric,
  delayed,
  weibull,
  binomial,
} as const satisfies Readonly<Record<string, AdstockKind>>;

export type AdstockType = keyof typeof ADSTOCK_KINDS;

export const ADSTOCK_TYPES = Object.keys(ADSTOCK_KINDS) as AdstockType[];

export function adstockKind(type: string): AdstockKind {
  const kind = (ADSTOCK_KINDS as Readonly<Record<string, AdstockKind>>)[type];
  if (!kind) throw new Error(`unknown adstock type "${type}" (known: ${ADSTOCK_TYPES.join(', ')})`);
  return kind;
}

export { applyAdstock, softmaxBackward, softmaxWeights, type AdstockKind, type AdstockRecursion } from './kind.js';
export { geometric } from './geometric.js';
export { delayed } from './delayed.js';
export { weibull } from './weibull.js';
