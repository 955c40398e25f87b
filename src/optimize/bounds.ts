/**
 * Spend bounds of budget optimization, per plan entry (window.ts): lower and upper total spend over
 * the planning window, in currency or relative to the current spend, or the entry held fixed at
 * its current spend (lower = upper). The default is +/-30% of the current spend of every entry:
 * the size of Meridian's default spend constraint (Meridian applies it around the historical
 * allocation scaled to the budget; here it is around the observed spend itself, so a budget far
 * from the current total needs wider bounds, and says so). Non-negativity always holds: a
 * negative lower bound, a change below -100%, lower above upper, a bound on an unknown channel or
 * geo, and spend on a channel with no spend anywhere in the data are errors, never clipped.
 *
 * Bounds file (JSON), every key optional:
 *
 *   { "default":  { "lower": "-30%", "upper": "+30%" },
 *     "channels": { "tv": { "lower": "-50%", "upper": 200000 }, "social": "fixed" },
 *     "geos":     { "north": { "search": { "upper": "+10%" } } } }     (geo-level plans only)
 *
 * Resolution per entry and side: the geo entry's own bound, else its channel's (relative or fixed
 * only at geo level: a channel's currency bound does not say how to split it over geos), else
 * "default", else +/-30%.
 */
import { readFileSync } from 'node:fs';
import { describeValue, keyPath } from '../config/index.js';
import { amountValue, checkKeys, checkName, formatMoney, isObject, parseAmount, type Amount, type ParsedAmount } from './amounts.js';
import { entryLabel, unplannableReason, type PlanningWindow } from './window.js';

export interface BoundSpec {
  readonly lower?: Amount;
  readonly upper?: Amount;
  /** Hold at the current spend. */
  readonly fixed?: boolean;
}

export type BoundEntry = BoundSpec | 'fixed';

export interface BoundsSpec {
  readonly default?: BoundSpec;
  readonly channels?: Readonly<Record<string, BoundEntry>>;
  readonly geos?: Readonly<Record<string, Readonly<Record<string, BoundEntry>>>>;
}

export const DEFAULT_BOUND: BoundSpec = { lower: '-30%', upper: '+30%' };

export interface ResolvedBounds {
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

interface ParsedBound {
  readonly lower?: ParsedAmount;
  readonly upper?: ParsedAmount;
  readonly fixed: boolean;
  /** Where it was given, for messages: the key path in the file (`channels.tv`), or the built-in default's name. */
  readonly key: string;
}

/** A bound entry at `where` (the file and key path, for parse errors); `key`: its key path in the file. */
function parseBound(entry: unknown, where: string, key: string): ParsedBound {
  if (entry === 'fixed') return { fixed: true, key };
  if (!isObject(entry)) throw new Error(`${where}: expected an object with "lower", "upper" or "fixed", or the string "fixed", got ${describeValue(entry)}`);
  checkKeys(entry, ['lower', 'upper', 'fixed'], where);
  if (entry.fixed !== undefined && typeof entry.fixed !== 'boolean') throw new Error(`${where}.fixed: expected true or false, got ${describeValue(entry.fixed)}`);
  const fixed = entry.fixed === true;
  if (fixed && (entry.lower !== undefined || entry.upper !== undefined)) throw new Error(`${where}: "fixed" cannot be combined with "lower" or "upper"`);
  return {
    fixed,
    key,
    lower: entry.lower === undefined ? undefined : parseAmount(entry.lower, `${where}.lower`),
    upper: entry.upper === undefined ? undefined : parseAmount(entry.upper, `${where}.upper`),
  };
}

/** Checks a bounds object's structure (keys, amounts); names are checked against a run by `resolveBounds`. */
export function parseBoundsSpec(json: unknown, source = 'bounds'): BoundsSpec {
  if (!isObject(json)) throw new Error(`${source}: expected a JSON object with "default", "channels" and/or "geos"`);
  checkKeys(json, ['default', 'channels', 'geos'], source);
  if (json.default !== undefined) {
    if (json.default === 'fixed' || (isObject(json.default) && json.default.fixed)) throw new Error(`${source}.default: use per-channel "fixed"; a fixed default leaves nothing to optimize`);
    parseBound(json.default, `${source}.default`, 'default');
  }
  if (json.channels !== undefined) {
    if (!isObject(json.channels)) throw new Error(`${source}.channels: expected an object by channel name, got ${describeValue(json.channels)}`);
    for (const [name, entry] of Object.entries(json.channels)) parseBound(entry, keyPath(`${source}.channels`, name), keyPath('channels', name));
  }
  if (json.geos !== undefined) {
    if (!isObject(json.geos)) throw new Error(`${source}.geos: expected an object by geo name, got ${describeValue(json.geos)}`);
    for (const [geo, channels] of Object.entries(json.geos)) {
      if (!isObject(channels)) throw new Error(`${keyPath(`${source}.geos`, geo)}: expected an object by channel name, got ${describeValue(channels)}`);
      for (const [name, entry] of Object.entries(channels)) parseBound(entry, keyPath(keyPath(`${source}.geos`, geo), name), keyPath(keyPath('geos', geo), name));
    }
  }
  return json as BoundsSpec;
}

export function readBoundsFile(path: string): BoundsSpec {
  let json: unknown;
  try {
    // a UTF-8 byte order mark (as some editors save files) is not part of the JSON
    json = JSON.parse(readFileSync(path, 'utf8').replace(/^\ufeff/, ''));
  } catch (error) {
    throw new Error(`${path}: cannot read bounds file (${(error as Error).message})`);
  }
  return parseBoundsSpec(json, path);
}

/** Lower and upper spend per plan entry. */
export function resolveBounds(window: PlanningWindow, spec: BoundsSpec = {}, source = 'bounds'): ResolvedBounds {
  parseBoundsSpec(spec, source);
  const geoLevel = window.level === 'geo';
  const fallback = parseBound(DEFAULT_BOUND, 'default bounds', `the built-in default ${DEFAULT_BOUND.lower} / ${DEFAULT_BOUND.upper}`);
  const defaults = spec.default ? parseBound(spec.default, `${source}.default`, 'default') : fallback;
  const channelBounds = new Map<string, ParsedBound>();
  for (const [name, entry] of Object.entries(spec.channels ?? {})) {
    const where = keyPath(`${source}.channels`, name);
    checkName(name, window.channelNames, 'channel', `${source}.channels`);
    const parsed = parseBound(entry, where, keyPath('channels', name));
    if (geoLevel && (parsed.lower?.kind === 'currency' || parsed.upper?.kind === 'currency')) {
      throw new Error(
        `${where}: a currency bound on a channel does not say how to split it over geos in a geo-level plan; use a change like "+10%", "fixed", or per-geo bounds under "geos"`,
      );
    }
    channelBounds.set(name, parsed);
  }
  const geoBounds = new Map<string, ParsedBound>();
  if (spec.geos && Object.keys(spec.geos).length > 0) {
    if (!geoLevel) throw new Error(`${source}.geos: bounds per geo need a geo-level plan (level "geo", --geo-level)`);
    for (const [geo, channels] of Object.entries(spec.geos)) {
      checkName(geo, window.geoNames, 'geo', `${source}.geos`);
      for (const [name, entry] of Object.entries(channels)) {
        checkName(name, window.channelNames, 'channel', keyPath(`${source}.geos`, geo));
        geoBounds.set(`${geo}/${name}`, parseBound(entry, keyPath(keyPath(`${source}.geos`, geo), name), keyPath(keyPath('geos', geo), name)));
      }
    }
  }

  const P = window.entries.length;
  const lower = new Float64Array(P);
  const upper = new Float64Array(P);
  window.entries.forEach((entry, p) => {
    const label = entryLabel(entry);
    // Most specific first: the geo entry's bound, its channel's, the file's default, +/-30%.
    const chain = [geoBounds.get(label), channelBounds.get(entry.channel), defaults, fallback].filter((b): b is ParsedBound => b !== undefined);
    const current = window.current[p];
    // where each side comes from, for messages: `channels.tv.lower`, `default.upper`, the built-in default
    let lowerFrom = `${chain[0].key} (fixed)`;
    let upperFrom = lowerFrom;
    if (chain[0].fixed) {
      lower[p] = current;
      upper[p] = current;
    } else {
      const sides = chain.filter((b) => !b.fixed);
      const lowerSide = sides.find((b) => b.lower) ?? fallback;
      const upperSide = sides.find((b) => b.upper) ?? fallback;
      const lowerAmount = lowerSide.lower!;
      const upperAmount = upperSide.upper!;
      lowerFrom = lowerSide === fallback ? lowerSide.key : `${lowerSide.key}.lower`;
      upperFrom = upperSide === fallback ? upperSide.key : `${upperSide.key}.upper`;
      if (lowerAmount.kind === 'relative' && lowerAmount.value < -1) throw new Error(`${source}: lower bound of ${label} (${lowerFrom}): a change of ${lowerAmount.value * 100}% would make spend negative`);
      lower[p] = amountValue(lowerAmount, current);
      upper[p] = amountValue(upperAmount, current);
    }
    if (lower[p] < 0) throw new Error(`${source}: lower bound of ${label} (${lowerFrom}) is negative (${formatMoney(lower[p])}); spend cannot be negative`);
    if (lower[p] > upper[p]) throw new Error(`${source}: bounds of ${label}: lower ${formatMoney(lower[p])} (${lowerFrom}) is above upper ${formatMoney(upper[p])} (${upperFrom}) (current spend ${formatMoney(current)})`);
    if (!window.plannable[p] && upper[p] > 0) throw new Error(`${source}: ${unplannableReason(window, p)}; its upper bound (${upperFrom}) must be 0`);
  });
  return { lower, upper };
}
