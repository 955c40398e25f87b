/**
 * Amounts in bound and plan files: a number is currency (total spend over the planning window); a
 * string "+10%" / "-20%" / "0%" is a change relative to the current spend (a number written as a
 * string, "1500", is currency too). Anything else is an error naming where it was found; nothing
 * is clipped or coerced silently.
 */
import { describeValue } from '../config/index.js';

export type Amount = number | string;

const PERCENT = /^\s*([+-]?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*%\s*$/i;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

export interface ParsedAmount {
  readonly kind: 'currency' | 'relative';
  /** Currency, or the relative change as a fraction (-0.2 for "-20%"). */
  readonly value: number;
}

export function parseAmount(amount: unknown, where: string): ParsedAmount {
  if (typeof amount === 'number') {
    if (!Number.isFinite(amount)) throw new Error(`${where}: expected a finite number, got ${amount}`);
    return { kind: 'currency', value: amount };
  }
  if (typeof amount === 'string') {
    const percent = PERCENT.exec(amount);
    if (percent && Number.isFinite(Number(percent[1]))) return { kind: 'relative', value: Number(percent[1]) / 100 };
    const trimmed = amount.trim();
    // a decimal number only: Number() would also read "0x10", "0b11" or "" as numbers
    if (!percent && DECIMAL.test(trimmed) && Number.isFinite(Number(trimmed))) return { kind: 'currency', value: Number(trimmed) };
  }
  throw new Error(`${where}: expected an amount in currency (a number) or a change like "+10%" / "-20%", got ${describeValue(amount)}`);
}

/** The amount in currency given the current spend. */
export function amountValue(amount: ParsedAmount, current: number): number {
  return amount.kind === 'currency' ? amount.value : current * (1 + amount.value);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Throws on keys of `value` not in `known`. */
export function checkKeys(value: Record<string, unknown>, known: readonly string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw new Error(`${where}: unknown key ${describeValue(key)}; expected ${known.map((k) => `"${k}"`).join(', ')}`);
  }
}

/** Throws unless `name` is one of `known`. */
export function checkName(name: string, known: readonly string[], what: string, where: string): number {
  const index = known.indexOf(name);
  if (index < 0) throw new Error(`${where}: unknown ${what} ${describeValue(name)}; the run's ${what}s are ${known.join(', ')}`);
  return index;
}

export function formatMoney(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 100 ? x.toFixed(0) : Number(x.toPrecision(6)).toString();
}
