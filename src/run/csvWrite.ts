/** Tidy rows to CSV text (RFC 4180 quoting; numbers at full precision, absent values empty). */
export function rowsToCsv(rows: readonly object[], columns?: readonly string[]): string {
  const header = columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cell = (value: unknown): string => {
    if (value === undefined || value === null) return '';
    if (typeof value === 'number') return Number.isFinite(value) ? String(value) : Number.isNaN(value) ? 'NaN' : value > 0 ? 'Inf' : '-Inf';
    const text = String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [header.map(cell).join(',')];
  for (const row of rows) lines.push(header.map((key) => cell((row as Record<string, unknown>)[key])).join(','));
  return lines.join('\n') + '\n';
}
