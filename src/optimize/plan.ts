/**
 * Spend plans for scenarios ("what if"): a plan gives total spend per channel (or geo x channel)
 * over the planning window (window.ts), as currency or as a change relative to the current spend;
 * entries not mentioned stay at their current spend. Moves shift budget between channels, e.g.
 * "cut TV by 20% and move the freed budget to search and social" (split in proportion to the
 * targets' current spend, or by given weights). Applied in order: channels, geos, moves.
 *
 * JSON plan file:
 *
 *   { "periods": 13,
 *     "channels": { "tv": "-20%", "search": 150000 },
 *     "geos": { "north": { "social": "+10%" } },                         (geo-level plans)
 *     "moves": [ { "from": "tv", "amount": "20%", "to": ["search", "social"] },
 *                { "from": "social", "amount": 5000, "to": { "search": 1 } } ] }
 *
 * CSV plan file: columns `channel`, optionally `geo`, and `spend` (or `proposed`, so the
 * allocation.csv written by `mixwell optimize` is itself a plan); one row per entry.
 *
 * A channel-level amount in a geo-level plan is split over the channel's geos in proportion to
 * their current spend (a relative change applies to each geo alike). Unknown names, negative
 * spend, moving more than a channel has, and spend on a channel with no spend anywhere in the data
 * are errors.
 */
import { readFileSync } from 'node:fs';
import { describeValue, keyPath } from '../config/index.js';
import { readCsv, ROW_COLUMN } from '../data/index.js';
import { amountValue, checkKeys, checkName, formatMoney, isObject, parseAmount, type Amount } from './amounts.js';
import { entryLabel, unplannableReason, type PlanningWindow } from './window.js';

export interface PlanMove {
  readonly from: string;
  /** Currency, or a percentage of `from`'s current spend ("20%"). */
  readonly amount: Amount;
  /** Channels receiving the amount: in proportion to their current spend (a list) or to the given weights. */
  readonly to: readonly string[] | Readonly<Record<string, number>>;
}

export interface PlanSpec {
  /** Planning window length (periods at the end of the data); must agree with any other source. */
  readonly periods?: number;
  readonly channels?: Readonly<Record<string, Amount>>;
  readonly geos?: Readonly<Record<string, Readonly<Record<string, Amount>>>>;
  readonly moves?: readonly PlanMove[];
}

export function parsePlanSpec(json: unknown, source = 'plan'): PlanSpec {
  if (!isObject(json)) throw new Error(`${source}: expected a JSON object with "channels", "geos" and/or "moves"`);
  checkKeys(json, ['periods', 'channels', 'geos', 'moves'], source);
  if (json.periods !== undefined && !(Number.isInteger(json.periods) && (json.periods as number) >= 1)) throw new Error(`${source}.periods: expected a positive integer, got ${describeValue(json.periods)}`);
  if (json.channels !== undefined) {
    if (!isObject(json.channels)) throw new Error(`${source}.channels: expected an object by channel name, got ${describeValue(json.channels)}`);
    for (const [name, amount] of Object.entries(json.channels)) parseAmount(amount, keyPath(`${source}.channels`, name));
  }
  if (json.geos !== undefined) {
    if (!isObject(json.geos)) throw new Error(`${source}.geos: expected an object by geo name, got ${describeValue(json.geos)}`);
    for (const [geo, channels] of Object.entries(json.geos)) {
      if (!isObject(channels)) throw new Error(`${keyPath(`${source}.geos`, geo)}: expected an object by channel name, got ${describeValue(channels)}`);
      for (const [name, amount] of Object.entries(channels)) parseAmount(amount, keyPath(keyPath(`${source}.geos`, geo), name));
    }
  }
  if (json.moves !== undefined) {
    if (!Array.isArray(json.moves)) throw new Error(`${source}.moves: expected a list, got ${describeValue(json.moves)}`);
    json.moves.forEach((move, i) => {
      const where = `${source}.moves[${i}]`;
      if (!isObject(move)) throw new Error(`${where}: expected an object with "from", "amount" and "to", got ${describeValue(move)}`);
      checkKeys(move, ['from', 'amount', 'to'], where);
      if (typeof move.from !== 'string') throw new Error(`${where}.from: expected a channel name, got ${describeValue(move.from)}`);
      parseAmount(move.amount, `${where}.amount`);
      const to = move.to;
      const ok = (Array.isArray(to) && to.length > 0 && to.every((x) => typeof x === 'string')) || (isObject(to) && Object.keys(to).length > 0 && Object.values(to).every((w) => typeof w === 'number' && w >= 0 && Number.isFinite(w)));
      if (!ok) throw new Error(`${where}.to: expected a non-empty list of channels or an object of non-negative weights by channel`);
    });
  }
  return json as PlanSpec;
}

/** A plan file: JSON (.json) or CSV (anything else). */
export function readPlanFile(path: string): PlanSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`${path}: cannot read plan file (${(error as Error).message})`);
  }
  // a UTF-8 byte order mark (as some editors save files) is not part of the content
  text = text.replace(/^\ufeff/, '');
  if (/\.json$/i.test(path) || text.trimStart().startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error(`${path}: not valid JSON (${(error as Error).message})`);
    }
    return parsePlanSpec(json, path);
  }
  return planFromCsv(text, path);
}

/**
 * A plan from CSV text: read as the data files are (src/data readCsv: RFC 4180 quoting, CRLF, a
 * byte order mark; a ragged row, an unclosed quote or a blank line between rows is a
 * DataValidationError naming the file and row); column names and cells are trimmed.
 */
export function planFromCsv(text: string, source = 'plan.csv'): PlanSpec {
  const table = readCsv(text, { fileName: source }).table;
  const header = table.columnNames().filter((c) => c !== ROW_COLUMN);
  const column = (name: string) => header.find((c) => c.trim() === name);
  const channelColumn = column('channel');
  const geoColumn = column('geo');
  const spendColumn = column('spend') ?? column('proposed');
  if (channelColumn === undefined || spendColumn === undefined) {
    throw new Error(`${source}: a plan CSV needs the columns "channel" and "spend" (or "proposed"), got ${header.slice(0, 20).map(describeValue).join(', ')}${header.length > 20 ? `, ... (${header.length} columns)` : ''}`);
  }
  const cells = (name: string | undefined) => (name === undefined ? undefined : (table.array(name) as ArrayLike<string>));
  const [channelCells, geoCells, spendCells] = [cells(channelColumn), cells(geoColumn), cells(spendColumn) as ArrayLike<string>];
  const rows = table.array(ROW_COLUMN) as ArrayLike<number>;
  // Maps by name: a channel or geo called "constructor" or "__proto__" is a name like any other
  const channels = new Map<string, Amount>();
  const geos = new Map<string, Map<string, Amount>>();
  for (let r = 0; r < rows.length; r++) {
    const where = `${source}, row ${rows[r]}`;
    const channel = (channelCells as ArrayLike<string>)[r].trim();
    const geo = geoCells === undefined ? '' : geoCells[r].trim();
    const cell = spendCells[r].trim();
    const amount = parseAmount(cell, `${where}, column ${describeValue(spendColumn.trim())}`);
    const value = amount.kind === 'currency' ? amount.value : cell;
    if (!channel) throw new Error(`${where}: empty channel`);
    if (geo) {
      const byChannel = geos.get(geo) ?? new Map<string, Amount>();
      geos.set(geo, byChannel);
      if (byChannel.has(channel)) throw new Error(`${where}: geo ${describeValue(geo)}, channel ${describeValue(channel)} is given twice`);
      byChannel.set(channel, value);
    } else {
      if (channels.has(channel)) throw new Error(`${where}: channel ${describeValue(channel)} is given twice`);
      channels.set(channel, value);
    }
  }
  return {
    ...(channels.size > 0 ? { channels: Object.fromEntries(channels) } : {}),
    ...(geos.size > 0 ? { geos: Object.fromEntries([...geos].map(([geo, byChannel]) => [geo, Object.fromEntries(byChannel)])) } : {}),
  };
}

/** The plan's spend per entry of the window. */
export function resolvePlan(window: PlanningWindow, spec: PlanSpec, source = 'plan'): Float64Array {
  parsePlanSpec(spec, source);
  if (spec.periods !== undefined && spec.periods !== window.periods) throw new Error(`${source}.periods is ${spec.periods} but the planning window has ${window.periods} periods`);
  const geoLevel = window.level === 'geo';
  const plan = Float64Array.from(window.current);
  const entriesOf = (channel: number) => window.entries.map((e, p) => (e.channelIndex === channel ? p : -1)).filter((p) => p >= 0);
  /** A channel named in the plan: known, and not organic (an organic channel has no spend to plan). */
  const channelOf = (name: string, path: string): number => {
    const c = checkName(name, window.channelNames, 'channel', path);
    const p = window.entries.findIndex((e) => e.channelIndex === c);
    if (window.organic[p]) throw new Error(`${path}: ${unplannableReason(window, p)}`);
    return c;
  };

  for (const [name, raw] of Object.entries(spec.channels ?? {})) {
    const c = channelOf(name, `${source}.channels`);
    const amount = parseAmount(raw, keyPath(`${source}.channels`, name));
    const entries = entriesOf(c);
    if (!geoLevel || amount.kind === 'relative') {
      for (const p of entries) plan[p] = amountValue(amount, window.current[p]);
      continue;
    }
    // Geo-level plan, channel total in currency: split over geos like the current spend.
    let current = 0;
    for (const p of entries) current += window.current[p];
    for (const p of entries) plan[p] = amount.value * (current > 0 ? window.current[p] / current : 1 / entries.length);
  }

  if (spec.geos && Object.keys(spec.geos).length > 0) {
    if (!geoLevel) throw new Error(`${source}.geos: spend per geo needs a geo-level plan (level "geo", --geo-level)`);
    for (const [geo, channels] of Object.entries(spec.geos)) {
      const g = checkName(geo, window.geoNames, 'geo', `${source}.geos`);
      for (const [name, raw] of Object.entries(channels)) {
        const c = channelOf(name, keyPath(`${source}.geos`, geo));
        const p = window.entries.findIndex((e) => e.geoIndex === g && e.channelIndex === c);
        plan[p] = amountValue(parseAmount(raw, keyPath(keyPath(`${source}.geos`, geo), name)), window.current[p]);
      }
    }
  }

  (spec.moves ?? []).forEach((move, i) => {
    const where = `${source}.moves[${i}]`;
    if (geoLevel) throw new Error(`${where}: moves need a channel-level plan`);
    const from = channelOf(move.from, `${where}.from`);
    const amount = parseAmount(move.amount, `${where}.amount`);
    const moved = amount.kind === 'currency' ? amount.value : amount.value * window.current[from];
    if (!(moved >= 0)) throw new Error(`${where}.amount: the amount moved must be >= 0, got ${formatMoney(moved)}`);
    if (moved > plan[from] * (1 + 1e-12)) throw new Error(`${where}: cannot move ${formatMoney(moved)} out of ${move.from}, which has ${formatMoney(plan[from])}`);
    const targets: [number, number][] = Array.isArray(move.to)
      ? (move.to as readonly string[]).map((name) => {
          const c = channelOf(name, `${where}.to`);
          return [c, window.current[c]];
        })
      : Object.entries(move.to as Record<string, number>).map(([name, weight]) => [channelOf(name, `${where}.to`), weight]);
    if (targets.some(([c]) => c === from)) throw new Error(`${where}: "${move.from}" cannot be both source and target`);
    let weightTotal = targets.reduce((sum, [, w]) => sum + w, 0);
    if (!(weightTotal > 0)) {
      if (!Array.isArray(move.to)) throw new Error(`${where}.to: the weights add up to 0`);
      targets.forEach((t) => (t[1] = 1));
      weightTotal = targets.length;
    }
    plan[from] = Math.max(0, plan[from] - moved);
    for (const [c, w] of targets) plan[c] += (moved * w) / weightTotal;
  });

  window.entries.forEach((entry, p) => {
    const label = entryLabel(entry);
    if (!Number.isFinite(plan[p])) throw new Error(`${source}: spend of ${label} is not a finite number`);
    if (plan[p] < 0) throw new Error(`${source}: spend of ${label} would be negative (${formatMoney(plan[p])})`);
    if (!window.plannable[p] && plan[p] > 0) throw new Error(`${source}: ${unplannableReason(window, p)}`);
  });
  return plan;
}
