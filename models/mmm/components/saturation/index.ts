/**
 * The saturation kinds by their `model.saturation.type`. A new kind is one file implementing
 * SaturationKind (kind.ts) plus its line here and its tests (tests/mmm.components.test.ts checks
 * every registered kind's rows against its scalar form and finite differences); the config parser,
 * the parameter table, the kernel, the reference density and the docs' options table take it from here.
 */
import type { SaturationKind } from './kind.js';
import { hill } from './hill.js';
import { logistic } from './logistic.js';
import { michaelisMenten } from './michaelisMenten.js';

export const SATURATION_KINDS = {
  hill,
  michaelisMenten,
  logistic,
} as const satisfies Readonly<Record<string, SaturationKind>>;

export type SaturationType = keyof typeof SATURATION_KINDS;

export const SATURATION_TYPES = Object.keys(SATURATION_KINDS) as SaturationType[];

export function saturationKind(type: string): SaturationKind {
  const kind = (SATURATION_KINDS as Readonly<Record<string, SaturationKind>>)[type];
  if (!kind) throw new Error(`unknown saturation type "${type}" (known: ${SATURATION_TYPES.join(', ')})`);
  return kind;
}

export { HILL_ADSTOCK_FLOOR, hill, hillRows } from './hill.js';
export { michaelisMenten } from './michaelisMenten.js';
export { logistic } from './logistic.js';
export type { SaturationCurve, SaturationKind, SaturationOptions } from './kind.js';
