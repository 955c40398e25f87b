/**
 * Plain-text output of the validation run: aligned tables and number formatting (significant
 * digits, no exponent for ordinary magnitudes). Everything prints to stdout.
 */

/** A number with `digits` significant digits ('NA' for NaN, '-' for undefined). */
export function fmt(value: number | undefined, digits = 4): string {
  if (value === undefined) return '-';
  if (Number.isNaN(value)) return 'NA';
  if (!Number.isFinite(value)) return value > 0 ? 'Inf' : '-Inf';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e7 || magnitude < 1e-4) return value.toExponential(digits - 1);
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(magnitude)));
  return value.toFixed(Math.min(decimals, 8));
}

export function pct(value: number, digits = 1): string {
  return Number.isFinite(value) ? `${(100 * value).toFixed(digits)}%` : 'NA';
}

export function interval(lo: number, hi: number, digits = 4): string {
  return `[${fmt(lo, digits)}, ${fmt(hi, digits)}]`;
}

/** Render rows as an aligned table: first column left-aligned, the rest right-aligned. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], indent = '  '): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] ?? '').length)));
  const line = (cells: readonly string[]) =>
    indent + cells.map((cell, j) => (j === 0 ? cell.padEnd(widths[j]) : cell.padStart(widths[j]))).join('  ').trimEnd();
  return [line(header), indent + widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function say(text = ''): void {
  process.stdout.write(`${text}\n`);
}

export function heading(text: string): void {
  say();
  say(`=== ${text} ${'='.repeat(Math.max(3, 96 - text.length))}`);
}
