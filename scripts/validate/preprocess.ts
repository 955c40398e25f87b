/**
 * Explicit, printed preprocessing of a dataset before validation: the file is read by the data
 * layer (src/data `loadCsvSource`: every cell as its exact text, plus the file's row numbers), the
 * arquero table is transformed step by step (drop columns, keep columns, derive 0/1 event
 * columns), each step is logged, and the result is validated with the run config's data roles by
 * `buildMmmData`, as `fitMmm` would do with the file itself. Nothing is dropped or coerced silently.
 */
import { basename } from 'node:path';
import { escape, not } from 'arquero';
import type { ColumnTable } from 'arquero';
import { buildMmmData, loadCsvSource, ROW_COLUMN, tableSource, type CsvSource, type MmmData } from '../../src/data/index.js';
import type { RunConfig } from '../../src/mmm/config.js';

export type PreprocessStep =
  | { readonly kind: 'drop'; readonly columns: readonly string[]; readonly why: string }
  | { readonly kind: 'keep'; readonly columns: readonly string[]; readonly why: string }
  | { readonly kind: 'dummies'; readonly column: string; readonly levels: readonly string[]; readonly why: string };

export interface PreparedData {
  readonly data: MmmData;
  /** One line per step, as printed. */
  readonly log: readonly string[];
}

function applyStep(table: ColumnTable, step: PreprocessStep, log: string[]): ColumnTable {
  const columns = table.columnNames().filter((c) => c !== ROW_COLUMN);
  if (step.kind === 'drop') {
    const missing = step.columns.filter((c) => !columns.includes(c));
    if (missing.length > 0) throw new Error(`preprocess: cannot drop missing column(s) ${missing.map((c) => JSON.stringify(c)).join(', ')}`);
    log.push(`dropped column(s) ${step.columns.map((c) => JSON.stringify(c)).join(', ')}: ${step.why}`);
    return table.select(not(...step.columns));
  }
  if (step.kind === 'keep') {
    const missing = step.columns.filter((c) => !columns.includes(c));
    if (missing.length > 0) throw new Error(`preprocess: cannot keep missing column(s) ${missing.join(', ')}`);
    const dropped = columns.filter((c) => !step.columns.includes(c));
    log.push(`kept only ${step.columns.join(', ')} (dropped ${dropped.length}: ${dropped.join(', ')}): ${step.why}`);
    return table.select([...step.columns, ROW_COLUMN]);
  }
  if (!columns.includes(step.column)) throw new Error(`preprocess: no column "${step.column}" to derive dummies from`);
  const values = table.array(step.column) as ArrayLike<string>;
  let out = table;
  for (const level of step.levels) {
    const count = Array.from(values).filter((v) => v === level).length;
    if (count === 0) throw new Error(`preprocess: level "${level}" of "${step.column}" does not occur`);
    out = out.derive({ [level]: escape((d: Record<string, unknown>) => (d[step.column] === level ? '1' : '0')) });
    log.push(`derived 0/1 column "${level}" = (${step.column} == "${level}"), ${count} row(s) equal 1: ${step.why}`);
  }
  const others = [...new Set(Array.from(values))].filter((v) => !step.levels.includes(v));
  log.push(`dropped column "${step.column}" after deriving its dummies (other level(s) ${others.map((v) => JSON.stringify(v)).join(', ')} = reference, all 0)`);
  return out.select(not(step.column));
}

/** Read `path`, apply `steps` with arquero, and validate with the config's data roles. */
export async function prepareData(path: string, config: RunConfig, steps: readonly PreprocessStep[]): Promise<PreparedData> {
  const source: CsvSource = await loadCsvSource(path);
  const log: string[] = [];
  let table = source.table;
  for (const step of steps) table = applyStep(table, step, log);
  const prepared = steps.length > 0 ? tableSource(table, `${basename(path)} (preprocessed)`) : source;
  const data = buildMmmData(prepared, config.data, { impute: config.impute });
  if (data.provenance.ignoredColumns.length > 0) log.push(`columns present but given no role (not used by the model): ${data.provenance.ignoredColumns.map((c) => JSON.stringify(c)).join(', ')}`);
  for (const d of data.provenance.detected) log.push(`role ${d.role} <- column "${d.column}" (detected: ${d.rule})`);
  for (const w of data.warnings) log.push(`data warning: ${w.message}${w.column ? ` [${w.column}]` : ''}`);
  return { data, log };
}
