/**
 * Typed reads of JSON config values: each read checks the value's type and range and fails with a
 * ConfigError naming the file and the key path, describing the value it got (`describeValue`).
 * Nothing is coerced. Shared by the model parsers (models/mmm, models/mediation) and the run configs.
 */
import { ConfigError } from './configError.js';

type Json = unknown;

/** Typed reads of JSON config values; every failure is a ConfigError naming the file and key path. */
export class Reader {
  constructor(readonly file: string) {}

  fail(path: string, problem: string): never {
    throw new ConfigError(this.file, path, problem);
  }

  /** An object; with `allowed`, any other key is an error. */
  object(value: Json, path: string, allowed?: readonly string[]): Record<string, Json> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(path, `expected an object, got ${describeValue(value)}`);
    const record = value as Record<string, Json>;
    if (allowed) {
      for (const key of Object.keys(record)) {
        if (!allowed.includes(key)) this.fail(keyPath(path, key), `unknown key (allowed: ${allowed.join(', ')})`);
      }
    }
    return record;
  }

  oneOf<T extends string>(value: Json, path: string, options: readonly T[]): T {
    if (typeof value !== 'string' || !options.includes(value as T)) this.fail(path, `expected one of ${options.map((o) => `"${o}"`).join(', ')}, got ${describeValue(value)}`);
    return value as T;
  }

  integer(value: Json, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) this.fail(path, `expected an integer in [${min}, ${max}], got ${describeValue(value)}`);
    return value;
  }

  number(value: Json, path: string, check?: (x: number) => boolean, what = 'a finite number'): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || (check && !check(value))) this.fail(path, `expected ${what}, got ${describeValue(value)}`);
    return value;
  }

  /** A finite number > floor (default 0). */
  positive(value: Json, path: string, floor = 0): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || !(value > floor)) this.fail(path, `expected a number > ${floor}, got ${describeValue(value)}`);
    return value;
  }

  boolean(value: Json, path: string): boolean {
    if (typeof value !== 'boolean') this.fail(path, `expected true or false, got ${describeValue(value)}`);
    return value;
  }

  /** A calendar date `YYYY-MM-DD` (2023-02-30 is not one: Date.parse would roll it over to March). */
  isoDate(value: Json, path: string): string {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
      this.fail(path, `expected an ISO date YYYY-MM-DD, got ${describeValue(value)}`);
    }
    return value;
  }
}

/**
 * A JSON value as an error message shows it: `nothing` for an absent value, `Infinity` for a number
 * JSON.parse read as one (1e400; JSON.stringify would say null), and a long value cut short.
 */
export function describeValue(value: Json): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)) ?? String(value);
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (text.length <= 200) return text;
  return `${text.slice(0, 160)}... (${Array.isArray(value) ? `an array of ${value.length} values` : `${text.length} characters`})`;
}

/**
 * The key path of `key` inside `path` (`model.adstock` + `maxLag`), as messages show it: `path.key`,
 * or `path["key"]` for a key that would not read as one (empty, with spaces, dots, quotes,
 * brackets, colons or invisible characters), so that `impute[" sales"]` is not mistaken for
 * `impute.sales`. An empty `path` gives the key alone (a top-level key).
 */
export function keyPath(path: string, key: string): string {
  if (key !== '' && !/[\s.[\]"':\\\p{C}]/u.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}
