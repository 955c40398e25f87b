/**
 * CSV text written by csvWrite.ts back to rows of strings (RFC 4180: quoted cells may hold commas,
 * doubled quotes and line breaks). For the run directory's own tables, not for user data (that is
 * src/data, with its validation).
 */

/** Rows of the CSV text as records header -> cell text. */
export function csvToRows(text: string, source = 'CSV'): Record<string, string>[] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else cell += ch;
      i++;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
    } else cell += ch;
    i++;
  }
  if (quoted) throw new Error(`${source}: unterminated quoted cell`);
  if (cell !== '' || record.length > 0) {
    record.push(cell);
    records.push(record);
  }
  if (records.length === 0) throw new Error(`${source}: empty file`);
  const [header, ...body] = records;
  return body.map((cells, r) => {
    if (cells.length !== header.length) throw new Error(`${source}: row ${r + 2} has ${cells.length} cells, the header ${header.length}`);
    return Object.fromEntries(header.map((key, j) => [key, cells[j]]));
  });
}

/** A numeric cell as written by csvWrite.ts (empty -> NaN; NaN, Inf, -Inf spelled out). */
export function csvNumber(text: string): number {
  if (text === '' || text === 'NaN') return NaN;
  if (text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  const value = Number(text);
  if (Number.isNaN(value)) throw new Error(`not a number: "${text}"`);
  return value;
}
