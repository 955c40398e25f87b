/**
 * Strict parsing of single cells: numbers, dates and missing-value markers. Nothing is coerced:
 * a cell is a finite decimal number (surrounding spaces allowed), a recognised missing marker, or
 * invalid. Dates follow one declared format and must be real calendar dates.
 */
import type { DateFormat } from './types.js';

/** Cell texts read as "missing" (compared case-insensitively after trimming spaces). */
export const MISSING_MARKERS: readonly string[] = ['', 'na', 'n/a', 'nan', 'null', 'none', '#n/a'];

const MISSING = new Set(MISSING_MARKERS);
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export type NumberCell =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'missing' }
  | { readonly kind: 'invalid'; readonly reason: string };

/** A name or cell text quoted for a message, cut after `max` characters (a 5 MB cell would make a 5 MB message). */
export function quoted(text: string, max = 100): string {
  return text.length <= max ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, max))}... (${text.length} characters)`;
}

/** Text of a raw cell for messages. */
export function showCell(raw: unknown): string {
  if (raw === null || raw === undefined) return String(raw);
  if (typeof raw === 'string') return quoted(raw);
  if (raw instanceof Date) return raw.toISOString();
  return String(raw);
}

export function parseNumberCell(raw: unknown): NumberCell {
  if (raw === null || raw === undefined) return { kind: 'missing' };
  if (typeof raw === 'number') {
    if (Number.isNaN(raw)) return { kind: 'missing' };
    if (!Number.isFinite(raw)) return { kind: 'invalid', reason: `not a finite number (${raw})` };
    return { kind: 'number', value: raw };
  }
  if (typeof raw !== 'string') return { kind: 'invalid', reason: `not a number (${showCell(raw)})` };
  const text = raw.trim();
  if (MISSING.has(text.toLowerCase())) return { kind: 'missing' };
  if (DECIMAL.test(text)) {
    const value = Number(text);
    if (!Number.isFinite(value)) return { kind: 'invalid', reason: `number out of range (${showCell(raw)})` };
    return { kind: 'number', value };
  }
  let hint = '';
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/.test(text)) hint = ' (thousands separators are not accepted)';
  else if (/^[+-]?\d+,\d+$/.test(text)) hint = ' (decimal comma is not accepted; use ".")';
  else if (/^[+-]?inf(inity)?$/i.test(text)) hint = ' (infinite values are not accepted)';
  return { kind: 'invalid', reason: `not a number: ${showCell(raw)}${hint}` };
}

export function isMissingCell(raw: unknown): boolean {
  if (raw === null || raw === undefined) return true;
  if (typeof raw === 'number') return Number.isNaN(raw);
  return typeof raw === 'string' && MISSING.has(raw.trim().toLowerCase());
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad2 = (v: number) => String(v).padStart(2, '0');

/** Days since 1970-01-01 (UTC) of a calendar date, or undefined if the date does not exist. */
export function dayNumber(year: number, month: number, day: number): number | undefined {
  if (!Number.isInteger(year) || year < 1 || year > 9999) return undefined;
  if (!Number.isInteger(month) || month < 1 || month > 12) return undefined;
  if (!Number.isInteger(day) || day < 1 || day > daysInMonth(year, month)) return undefined;
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

/** ISO `YYYY-MM-DD` of a day number. */
export function isoOfDay(dayNum: number): string {
  const d = new Date(dayNum * 86_400_000);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?Z?)?$/;
const SLASH4 = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const SLASH2 = /^(\d{1,2})\/(\d{1,2})\/(\d{2})$/;

export type DateCell =
  | { readonly kind: 'date'; readonly day: number; readonly iso: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'invalid'; readonly reason: string };

const FORMAT_EXAMPLE: Record<DateFormat, string> = {
  'YYYY-MM-DD': '2024-01-29',
  'M/D/YYYY': '1/29/2024',
  'D/M/YYYY': '29/1/2024',
  'M/D/YY': '1/29/24',
};

/**
 * Parse a date cell in the declared format. ISO dates may carry a midnight time
 * (`2024-01-29T00:00:00`, `2024-01-29 00:00`); any other time of day is invalid. `M/D/YY` reads
 * two-digit years as 2000-2099. Date objects (from in-memory tables) must be at UTC midnight.
 */
export function parseDateCell(raw: unknown, format: DateFormat): DateCell {
  if (isMissingCell(raw)) return { kind: 'missing' };
  let y: number;
  let m: number;
  let d: number;
  if (raw instanceof Date) {
    const t = raw.getTime();
    if (!Number.isFinite(t) || t % 86_400_000 !== 0) {
      return { kind: 'invalid', reason: `Date value ${showCell(raw)} is not a UTC-midnight calendar date` };
    }
    const day = t / 86_400_000;
    return { kind: 'date', day, iso: isoOfDay(day) };
  }
  if (typeof raw !== 'string') return { kind: 'invalid', reason: `not a date: ${showCell(raw)}` };
  const text = raw.trim();
  let match: RegExpExecArray | null;
  if (format === 'YYYY-MM-DD' && (match = ISO.exec(text))) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((format === 'M/D/YYYY' || format === 'D/M/YYYY') && (match = SLASH4.exec(text))) {
    y = Number(match[3]);
    [m, d] = format === 'M/D/YYYY' ? [Number(match[1]), Number(match[2])] : [Number(match[2]), Number(match[1])];
  } else if (format === 'M/D/YY' && (match = SLASH2.exec(text))) {
    [m, d, y] = [Number(match[1]), Number(match[2]), 2000 + Number(match[3])];
  } else {
    return {
      kind: 'invalid',
      reason: `unparseable date ${showCell(raw)} (expected format ${format}, e.g. ${FORMAT_EXAMPLE[format]}; set spec.dateFormat if the file uses another one)`,
    };
  }
  const day = dayNumber(y, m, d);
  if (day === undefined) return { kind: 'invalid', reason: `not a calendar date: ${showCell(raw)} (format ${format})` };
  return { kind: 'date', day, iso: isoOfDay(day) };
}
