/**
 * Validation and assembly of a long-format table (one row per geo and period) into dense
 * geo-major tensors (`MmmData`).
 *
 * Nothing is dropped, imputed or coerced silently. Every problem is collected as an issue and, if
 * any is an error, a single `DataValidationError` lists them all (up to a cap). The checks and
 * the decisions behind them:
 * - cells of numeric roles must be finite decimal numbers; a missing marker ("", NA, NaN, null,
 *   ...) is an error unless imputation was asked for that column (`options.impute`); other text
 *   ("abc", "1,234") is always an error;
 * - spend and media (exposure) must be >= 0; a channel whose spend (or media) is 0 in every row is
 *   an error (its scale, the mean, would be 0); a channel with no spend in one geo is a warning;
 * - KPI: negative values are errors; zeros are allowed (the reference model only divides by the
 *   mean KPI and has a Normal likelihood, so y = 0 is a valid observation) and reported as a
 *   warning; a KPI that is constant over all rows is an error; constant within one geo is a
 *   warning; values below 1% of their geo's median KPI are warnings (likely placeholders, e.g.
 *   revenue = 1.0; the loader cannot know, so it reports them and keeps them);
 * - controls and non-media treatments must not be constant (they are standardized by their sd);
 *   events must be 0 or 1; organic channels' exposure is checked like paid media;
 *   population must be > 0 and constant within a geo; revenue per KPI must be > 0;
 * - magnitudes (src/data/magnitude.ts): a number beyond 1e100 in magnitude is an error at its
 *   cell, a column whose every nonzero value is below 1e-100 an error at the column (sums, squares
 *   and ratios of such numbers overflow or underflow); both say to express the column in other units;
 * - dates must parse in the declared format; (geo, date) pairs must be unique; dates must ascend
 *   within each geo (rows of different geos may interleave); the union of dates must be evenly
 *   spaced by 1 day (daily) or 7 days (weekly); every geo must have every date.
 *
 * Without a KPI (`withoutKpi`: data to predict for, e.g. the future periods a fitted model plans
 * over; they are scaled with the fit's constants, src/data/scaling.ts `scaleWith`): the KPI role is
 * not read (`kpi` is NaN everywhere) and its checks are skipped; a channel with no spend, and a
 * constant control or treatment, are warnings rather than errors (nothing is estimated or
 * standardized from this table); one date is enough (the frequency then reads "weekly" and is the
 * caller's to check).
 */
import type { ColumnTable } from 'arquero';
import { ROW_COLUMN, UNUSABLE_NAME, type CsvSource } from './csv.js';
import { parseDateCell, parseNumberCell, isoOfDay, quoted, showCell } from './cells.js';
import { IssueCollector, DEFAULT_MAX_ISSUES } from './errors.js';
import { resolveRoles, roleColumns, DATE_FORMATS } from './roles.js';
import { imputeSeries } from './impute.js';
import { MAX_MAGNITUDE, MIN_MAGNITUDE, tooLargeMessage, tooSmallMessage } from './magnitude.js';
import type { Imputation, ImputeMethod, MmmData, PartialDataSpec } from './types.js';

export interface BuildOptions {
  /** Explicit imputation of missing cells, per column name. Applied only where asked; recorded in provenance. */
  readonly impute?: Readonly<Record<string, ImputeMethod>>;
  /** Cap on the issues listed (per severity). Default 50. */
  readonly maxIssues?: number;
  /** The table has no KPI: data to predict for (see the module comment). Default false. */
  readonly withoutKpi?: boolean;
}

/** Name of the single geo of national data (no geo column). */
export const NATIONAL_GEO = 'national';

/** KPI values below this fraction of their geo's median are reported as suspicious. */
export const SUSPICIOUS_KPI_FRACTION = 0.01;

type NumericRole = 'spend' | 'media' | 'kpi' | 'control' | 'event' | 'treatment' | 'population' | 'revenuePerKpi';

interface NumericColumn {
  readonly column: string;
  readonly role: NumericRole;
  readonly roleLabel: string;
  readonly values: Float64Array; // per row; NaN where missing or invalid
  readonly missing: Uint8Array; // 1 where missing and imputation was asked for
}

const IMPUTE_METHODS: readonly ImputeMethod[] = ['zero', 'linear', 'mean'];

function columnValues(table: ColumnTable, name: string): ArrayLike<unknown> {
  return table.array(name) as ArrayLike<unknown>;
}

function describeRows(rows: readonly number[], max = 5): string {
  const shown = rows.slice(0, max).join(', ');
  return rows.length > max ? `${shown}, ... (${rows.length} rows)` : shown;
}

/** Validate a table against the roles and build the dense data. Throws `DataValidationError`. */
export function buildMmmData(source: CsvSource, specInput: PartialDataSpec = {}, options: BuildOptions = {}): MmmData {
  const issues = new IssueCollector(source.fileName, options.maxIssues ?? DEFAULT_MAX_ISSUES);
  const table = source.table;
  const columns = table.columnNames().filter((c) => c !== ROW_COLUMN);

  // ---- roles -------------------------------------------------------------------------------
  const withoutKpi = options.withoutKpi ?? false;
  const { spec, detected, ignoredColumns } = resolveRoles(columns, specInput, issues, { withoutKpi });
  // own keys only: a column named "constructor" or "toString" is not asked to be imputed by Object.prototype
  const impute = new Map(Object.entries(options.impute ?? {}));
  const roleByColumn = new Map(roleColumns(spec).map((r) => [r.column, r.role]));
  for (const [column, method] of impute) {
    const role = roleByColumn.get(column);
    if (!IMPUTE_METHODS.includes(method)) {
      issues.error(`unknown imputation method ${JSON.stringify(method)} for column ${JSON.stringify(column)}; use one of ${IMPUTE_METHODS.join(', ')}`);
    } else if (role === undefined) {
      issues.error(`imputation asked for column ${JSON.stringify(column)}, which no role uses`);
    } else if (role === 'geo' || role === 'date') {
      issues.error(`the ${role} column ${JSON.stringify(column)} cannot be imputed`);
    } else if (role.startsWith('events') && method !== 'zero') {
      issues.error(`event column ${JSON.stringify(column)} can only be imputed with "zero" (values must stay 0/1)`);
    }
  }
  issues.throwIfErrors();

  const N = table.numRows();
  const rowNumbers = Array.from(columnValues(table, ROW_COLUMN), (v) => Number(v));
  if (N === 0) {
    issues.error('the table has no data rows');
    issues.throwIfErrors();
  }

  // ---- geo and date keys -----------------------------------------------------------------------
  const geoNames: string[] = [];
  const geoIndex = new Map<string, number>();
  const rowGeo = new Int32Array(N).fill(-1);
  const rawGeo = spec.geo !== null ? columnValues(table, spec.geo) : undefined;
  let unusableGeo = false;
  for (let r = 0; r < N; r++) {
    let name = NATIONAL_GEO;
    if (rawGeo !== undefined) {
      const raw = rawGeo[r];
      if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) {
        issues.error('missing geo', { row: rowNumbers[r], column: spec.geo ?? undefined });
        continue;
      }
      name = String(raw);
      if (name === UNUSABLE_NAME) {
        // once, at its first row
        if (!unusableGeo) issues.error(`geo ${JSON.stringify(UNUSABLE_NAME)} cannot be used (JavaScript reads it as an object's prototype); rename the geo`, { row: rowNumbers[r], column: spec.geo ?? undefined });
        unusableGeo = true;
        continue;
      }
    }
    let g = geoIndex.get(name);
    if (g === undefined) {
      g = geoNames.length;
      geoIndex.set(name, g);
      geoNames.push(name);
    }
    rowGeo[r] = g;
  }
  const G = geoNames.length;

  const rawDate = columnValues(table, spec.date);
  const rowDay = new Float64Array(N).fill(NaN);
  let formatHinted = false;
  for (let r = 0; r < N; r++) {
    const cell = parseDateCell(rawDate[r], spec.dateFormat);
    if (cell.kind === 'date') rowDay[r] = cell.day;
    else if (cell.kind === 'missing') issues.error(`missing date (${showCell(rawDate[r])})`, { row: rowNumbers[r], column: spec.date });
    else {
      let hint = '';
      if (!formatHinted) {
        formatHinted = true;
        const fits = DATE_FORMATS.filter((f) => f !== spec.dateFormat && parseDateCell(rawDate[r], f).kind === 'date');
        if (fits.length > 0) hint = `; this value parses as ${fits.join(' or ')}`;
      }
      issues.error(cell.reason + hint, { row: rowNumbers[r], column: spec.date });
    }
  }

  // ---- structure: duplicates, order within geo, spacing, equal date sets ------------------------
  const geoLabel = (g: number) => (spec.geo === null ? 'the data' : `geo ${quoted(geoNames[g])}`);
  const rowsOfGeo: number[][] = Array.from({ length: G }, () => []);
  for (let r = 0; r < N; r++) if (rowGeo[r] >= 0 && !Number.isNaN(rowDay[r])) rowsOfGeo[rowGeo[r]].push(r);
  const daysOfGeo: Set<number>[] = [];
  const firstRowOfDay = new Map<number, number>();
  for (let g = 0; g < G; g++) {
    const seen = new Map<number, number>();
    let previous = -1;
    let unsortedFirst: string | undefined;
    let unsortedCount = 0;
    for (const r of rowsOfGeo[g]) {
      const day = rowDay[r];
      if (!firstRowOfDay.has(day)) firstRowOfDay.set(day, rowNumbers[r]);
      const dup = seen.get(day);
      if (dup !== undefined) {
        issues.error(
          `duplicate row for (${spec.geo === null ? 'date' : `geo ${quoted(geoNames[g])}, date`} ${isoOfDay(day)}): rows ${rowNumbers[dup]} and ${rowNumbers[r]}`,
          { row: rowNumbers[r] },
        );
        continue;
      }
      seen.set(day, r);
      if (previous >= 0 && day < rowDay[previous]) {
        unsortedCount++;
        unsortedFirst ??= `row ${rowNumbers[r]} (${isoOfDay(day)}) comes after row ${rowNumbers[previous]} (${isoOfDay(rowDay[previous])})`;
      }
      previous = r;
    }
    if (unsortedFirst !== undefined) {
      issues.error(
        `dates are not in ascending order within ${geoLabel(g)}: ${unsortedFirst}${unsortedCount > 1 ? ` (${unsortedCount} places in all)` : ''}`,
        { column: spec.date },
      );
    }
    daysOfGeo.push(new Set(seen.keys()));
  }
  const allDays = [...firstRowOfDay.keys()].sort((a, b) => a - b);
  let step = 7;
  if (allDays.length === 1 && !withoutKpi) {
    issues.error(`need at least 2 distinct dates, found ${allDays.length}`, { column: spec.date });
  }
  if (allDays.length >= 2) {
    const counts = new Map<number, number>();
    for (let i = 1; i < allDays.length; i++) {
      const d = allDays[i] - allDays[i - 1];
      counts.set(d, (counts.get(d) ?? 0) + 1);
    }
    let best = 0;
    for (const [d, count] of counts) {
      if (count > best || (count === best && d < step)) {
        best = count;
        step = d;
      }
    }
    if (step !== 1 && step !== 7) {
      issues.error(
        `dates are ${step} days apart (most common spacing); only daily (1 day) and weekly (7 days) data are supported`,
        { column: spec.date },
      );
    } else {
      for (let i = 1; i < allDays.length; i++) {
        const d = allDays[i] - allDays[i - 1];
        if (d !== step) {
          issues.error(
            `dates are not evenly spaced: gap of ${d} days between ${isoOfDay(allDays[i - 1])} and ${isoOfDay(allDays[i])} (expected ${step})`,
            { row: firstRowOfDay.get(allDays[i]), column: spec.date },
          );
        }
      }
    }
  }
  for (let g = 0; g < G; g++) {
    const missingDays = allDays.filter((d) => !daysOfGeo[g].has(d));
    if (missingDays.length > 0 && daysOfGeo[g].size > 0) {
      const shown = missingDays.slice(0, 5).map(isoOfDay).join(', ');
      issues.error(
        `${geoLabel(g)} lacks ${missingDays.length} of the ${allDays.length} dates found in the file: ${shown}${missingDays.length > 5 ? ', ...' : ''} (all geos must have the same dates)`,
        { column: spec.date },
      );
    }
  }

  // ---- numeric cells -------------------------------------------------------------------------
  const numeric: NumericColumn[] = [];
  const addNumeric = (column: string, role: NumericRole, roleLabel: string): NumericColumn => {
    const raw = columnValues(table, column);
    const values = new Float64Array(N).fill(NaN);
    const missing = new Uint8Array(N);
    const imputing = impute.has(column);
    for (let r = 0; r < N; r++) {
      const where = { row: rowNumbers[r], column };
      const cell = parseNumberCell(raw[r]);
      if (cell.kind === 'missing') {
        if (imputing) missing[r] = 1;
        else issues.error(`missing value (${showCell(raw[r])}) in ${roleLabel}; ask for an imputation for this column ("impute" in the run config, or options.impute) if that is intended`, where);
        continue;
      }
      if (cell.kind === 'invalid') {
        issues.error(`${cell.reason} in ${roleLabel}`, where);
        continue;
      }
      const v = cell.value;
      if ((role === 'spend' || role === 'media' || role === 'kpi') && v < 0) {
        issues.error(`${roleLabel} is negative: ${showCell(raw[r])}`, where);
        continue;
      }
      if ((role === 'population' || role === 'revenuePerKpi') && v <= 0) {
        issues.error(`${roleLabel} must be > 0, got ${showCell(raw[r])}`, where);
        continue;
      }
      if (role === 'event' && v !== 0 && v !== 1) {
        issues.error(`${roleLabel} must be 0 or 1, got ${showCell(raw[r])}`, where);
        continue;
      }
      if (Math.abs(v) > MAX_MAGNITUDE) {
        issues.error(tooLargeMessage(roleLabel, v), where);
        continue;
      }
      values[r] = v;
    }
    const col = { column, role, roleLabel, values, missing };
    numeric.push(col);
    return col;
  };

  const kpiCol = withoutKpi ? undefined : addNumeric(spec.kpi, 'kpi', `the KPI`);
  const spendCols = spec.channels.map((ch) => addNumeric(ch.spend, 'spend', `spend of channel ${JSON.stringify(ch.name)}`));
  const mediaCols = spec.channels.map((ch, c) =>
    ch.reach !== undefined
      ? addNumeric(ch.reach, 'media', `reach of channel ${JSON.stringify(ch.name)}`)
      : ch.media !== undefined && ch.media !== ch.spend
        ? addNumeric(ch.media, 'media', `media of channel ${JSON.stringify(ch.name)}`)
        : spendCols[c],
  );
  // reach and frequency channels: the average frequency (>= 0, like media)
  const frequencyCols = spec.channels.map((ch) => (ch.frequency !== undefined ? addNumeric(ch.frequency, 'media', `frequency of channel ${JSON.stringify(ch.name)}`) : undefined));
  const organicCols = spec.organic.map((o) =>
    o.reach !== undefined ? addNumeric(o.reach, 'media', `reach of organic channel ${JSON.stringify(o.name)}`) : addNumeric(o.media ?? '', 'media', `media of organic channel ${JSON.stringify(o.name)}`),
  );
  const organicFrequencyCols = spec.organic.map((o) => (o.frequency !== undefined ? addNumeric(o.frequency, 'media', `frequency of organic channel ${JSON.stringify(o.name)}`) : undefined));
  const treatmentCols = spec.treatments.map((t) => addNumeric(t.column, 'treatment', `treatment ${JSON.stringify(t.name ?? t.column)}`));
  const controlCols = spec.controls.map((name) => addNumeric(name, 'control', `control ${JSON.stringify(name)}`));
  const eventCols = spec.events.map((name) => addNumeric(name, 'event', `event ${JSON.stringify(name)}`));
  const populationCol = spec.population !== null ? addNumeric(spec.population, 'population', 'the population') : undefined;
  const rpkCol = spec.revenuePerKpi !== null ? addNumeric(spec.revenuePerKpi, 'revenuePerKpi', 'revenue per KPI') : undefined;

  // ---- column-level checks (on the values that parsed) ---------------------------------------
  const finiteValues = (col: NumericColumn, rows?: readonly number[]) => {
    const out: number[] = [];
    const idx = rows ?? Array.from({ length: N }, (_, r) => r);
    for (const r of idx) if (!Number.isNaN(col.values[r])) out.push(col.values[r]);
    return out;
  };
  // a column too small to compute with (src/data/magnitude.ts); once per column (a column may serve two roles)
  const magnitudeChecked = new Set<string>();
  for (const col of numeric) {
    if (magnitudeChecked.has(col.column)) continue;
    magnitudeChecked.add(col.column);
    let largest = 0;
    for (const v of col.values) if (Math.abs(v) > largest) largest = Math.abs(v);
    if (largest > 0 && largest < MIN_MAGNITUDE) issues.error(tooSmallMessage(col.roleLabel, largest), { column: col.column });
  }
  const rowsByGeoAll: number[][] = Array.from({ length: G }, () => []);
  for (let r = 0; r < N; r++) if (rowGeo[r] >= 0) rowsByGeoAll[rowGeo[r]].push(r);

  [...spec.channels.map((_, c) => new Set([spendCols[c], mediaCols[c]])), ...organicCols.map((col) => new Set([col]))].forEach((cols) => {
    for (const col of cols) {
      const vals = finiteValues(col);
      if (vals.length > 0 && vals.every((v) => v === 0)) {
        if (withoutKpi) issues.warn(`${col.roleLabel} is 0 in every row`, { column: col.column });
        else issues.error(`${col.roleLabel} is 0 in every row (a channel without ${col.role} cannot be scaled or estimated)`, { column: col.column });
      } else if (G > 1) {
        for (let g = 0; g < G; g++) {
          const gv = finiteValues(col, rowsByGeoAll[g]);
          if (gv.length > 0 && gv.every((v) => v === 0)) {
            issues.warn(`${col.roleLabel} is 0 in every period of ${geoLabel(g)}`, { column: col.column });
          }
        }
      }
    }
  });

  if (kpiCol !== undefined) {
    const vals = finiteValues(kpiCol);
    if (vals.length > 1 && vals.every((v) => v === vals[0])) {
      issues.error(`the KPI is constant (${vals[0]}) in every row; there is nothing to model`, { column: spec.kpi });
    } else {
      const zeroRows: number[] = [];
      for (let r = 0; r < N; r++) if (kpiCol.values[r] === 0) zeroRows.push(rowNumbers[r]);
      if (zeroRows.length > 0) {
        issues.warn(`the KPI is 0 in ${zeroRows.length} row(s) (allowed; rows ${describeRows(zeroRows)})`, { column: spec.kpi });
      }
      for (let g = 0; g < G; g++) {
        const rows = rowsByGeoAll[g];
        const gv = finiteValues(kpiCol, rows);
        if (G > 1 && gv.length > 1 && gv.every((v) => v === gv[0])) {
          issues.warn(`the KPI is constant (${gv[0]}) in ${geoLabel(g)}`, { column: spec.kpi });
          continue;
        }
        const sorted = [...gv].sort((a, b) => a - b);
        if (sorted.length === 0) continue;
        const mid = sorted.length >> 1;
        const median = sorted.length % 2 === 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
        for (const r of rows) {
          const v = kpiCol.values[r];
          if (v > 0 && v < SUSPICIOUS_KPI_FRACTION * median) {
            issues.warn(
              `the KPI ${v} is below ${SUSPICIOUS_KPI_FRACTION * 100}% of the median KPI${spec.geo === null ? '' : ` of ${geoLabel(g)}`} (${median}); a placeholder? (kept as is)`,
              { row: rowNumbers[r], column: spec.kpi },
            );
          }
        }
      }
    }
  }
  for (const col of [...controlCols, ...treatmentCols]) {
    const vals = finiteValues(col);
    if (vals.length > 1 && vals.every((v) => v === vals[0]) && !withoutKpi) {
      issues.error(`${col.roleLabel} is constant (${vals[0]}) in every row, so it cannot be standardized`, { column: col.column });
    }
  }
  for (const col of eventCols) {
    const vals = finiteValues(col);
    if (vals.length > 0 && vals.every((v) => v === vals[0])) {
      issues.warn(`${col.roleLabel} is ${vals[0]} in every row; it carries no information`, { column: col.column });
    }
  }
  if (populationCol !== undefined) {
    for (let g = 0; g < G; g++) {
      const distinct = [...new Set(finiteValues(populationCol, rowsByGeoAll[g]))];
      if (distinct.length > 1) {
        issues.error(
          `the population must be constant within a geo; ${geoLabel(g)} has ${distinct.length} values (${distinct.slice(0, 3).join(', ')}${distinct.length > 3 ? ', ...' : ''})`,
          { column: populationCol.column },
        );
      }
    }
  }
  issues.throwIfErrors();

  // ---- dense tensors ---------------------------------------------------------------------------
  const T = allDays.length;
  const tOfDay = new Map(allDays.map((d, t) => [d, t]));
  const C = spec.channels.length + spec.organic.length;
  const K = spec.controls.length;
  const E = spec.events.length;
  // cellRow[g*T + t] = table row of that cell
  const cellRow = new Int32Array(G * T);
  for (let r = 0; r < N; r++) cellRow[rowGeo[r] * T + (tOfDay.get(rowDay[r]) as number)] = r;

  const imputations: Imputation[] = [];
  const seriesCache = new Map<string, Float64Array>();
  /** [G, T] series of one column, with the requested imputation applied (once per column). */
  const series = (col: NumericColumn): Float64Array => {
    const cached = seriesCache.get(col.column);
    if (cached !== undefined) return cached;
    const out = new Float64Array(G * T);
    for (let n = 0; n < G * T; n++) out[n] = col.values[cellRow[n]];
    seriesCache.set(col.column, out);
    const method = impute.get(col.column);
    if (method === undefined) return out;
    const rows: number[] = [];
    const values: number[] = [];
    for (let g = 0; g < G; g++) {
      const seg = out.subarray(g * T, (g + 1) * T);
      const isMissing = Uint8Array.from({ length: T }, (_, t) => col.missing[cellRow[g * T + t]]);
      const result = imputeSeries(seg, isMissing, method);
      if (result === undefined) {
        issues.error(`cannot impute ${col.roleLabel} with "${method}": every value of ${geoLabel(g)} is missing`, { column: col.column });
        continue;
      }
      for (let t = 0; t < T; t++) {
        if (isMissing[t]) {
          seg[t] = result[t];
          rows.push(rowNumbers[cellRow[g * T + t]]);
          values.push(result[t]);
        }
      }
    }
    if (rows.length > 0) imputations.push({ column: col.column, method, rows, values });
    return out;
  };

  const stack = (cols: readonly NumericColumn[]): Float64Array => {
    const D = cols.length;
    const out = new Float64Array(G * T * D);
    cols.forEach((col, d) => {
      const s = series(col);
      for (let n = 0; n < G * T; n++) out[n * D + d] = s[n];
    });
    return out;
  };

  const kpi = kpiCol !== undefined ? Float64Array.from(series(kpiCol)) : new Float64Array(G * T).fill(NaN);
  const paidSpend = stack(spendCols);
  const allMedia = stack([...mediaCols, ...organicCols]);
  // organic channels have no spend: their spend is 0 (never divided by: no ROI, held by the optimizer)
  const spend = new Float64Array(G * T * C);
  const CP = spec.channels.length;
  for (let n = 0; n < G * T; n++) for (let c = 0; c < CP; c++) spend[n * C + c] = paidSpend[n * CP + c];
  const media = allMedia;
  const controls = stack(controlCols);
  const events = stack(eventCols);
  const treatments = stack(treatmentCols);
  let rfFrequency: Float64Array | undefined;
  const allFrequencyCols = [...frequencyCols, ...organicFrequencyCols];
  if (allFrequencyCols.some((col) => col !== undefined)) {
    rfFrequency = new Float64Array(G * T * C);
    allFrequencyCols.forEach((col, c) => {
      if (col === undefined) return;
      const s = series(col);
      for (let n = 0; n < G * T; n++) rfFrequency![n * C + c] = s[n];
    });
  }
  const treatmentBaselines = spec.treatments.map((t, i) => {
    const baseline = t.baseline ?? 'min';
    if (typeof baseline === 'number') return baseline;
    const values = series(treatmentCols[i]);
    let out = baseline === 'min' ? Infinity : -Infinity;
    for (const v of values) out = baseline === 'min' ? Math.min(out, v) : Math.max(out, v);
    return out;
  });
  let population: Float64Array | undefined;
  if (populationCol !== undefined) {
    const s = series(populationCol);
    population = Float64Array.from({ length: G }, (_, g) => s[g * T]);
    for (let g = 0; g < G; g++) {
      for (let t = 1; t < T; t++) {
        if (s[g * T + t] !== population[g]) {
          issues.error(`the population of ${geoLabel(g)} is not constant after imputation`, { column: populationCol.column });
          break;
        }
      }
    }
  }
  const revenuePerKpi = rpkCol !== undefined ? Float64Array.from(series(rpkCol)) : undefined;
  issues.throwIfErrors();

  return {
    G,
    T,
    C,
    K,
    E,
    national: spec.geo === null,
    geoNames,
    dates: allDays.map(isoOfDay),
    frequency: step === 1 ? 'daily' : 'weekly',
    channelNames: [...spec.channels.map((ch) => ch.name), ...spec.organic.map((o) => o.name)],
    channelKinds: [...spec.channels.map((ch) => (ch.reach !== undefined ? ('rf' as const) : ('paid' as const))), ...spec.organic.map((o) => (o.reach !== undefined ? ('organicRf' as const) : ('organic' as const)))],
    treatmentNames: spec.treatments.map((t) => t.name ?? t.column),
    treatmentBaselines,
    controlNames: [...spec.controls],
    eventNames: [...spec.events],
    spend,
    media,
    mediaIsSpend: [...spec.channels.map((ch) => ch.reach === undefined && (ch.media === undefined || ch.media === ch.spend)), ...spec.organic.map(() => false)],
    ...(rfFrequency !== undefined ? { rfFrequency } : {}),
    controls,
    events,
    treatments,
    kpi,
    ...(population !== undefined ? { population } : {}),
    ...(revenuePerKpi !== undefined ? { revenuePerKpi } : {}),
    spec,
    warnings: issues.warnings(),
    provenance: {
      fileName: source.fileName,
      sha256: source.sha256,
      fileRowCount: source.fileRowCount,
      rowCount: N,
      detected,
      ignoredColumns,
      imputations,
    },
  };
}
