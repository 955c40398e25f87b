import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import {
  loadMmmData,
  parseMmmData,
  detectRoles,
  DataValidationError,
  type MmmData,
  type PartialDataSpec,
  type ValidationIssue,
  type LoadOptions,
} from '../src/data/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/data/${name}`, import.meta.url));

async function loadIssues(name: string, spec: PartialDataSpec = {}, options: LoadOptions = {}): Promise<ValidationIssue[]> {
  try {
    await loadMmmData(fixture(name), spec, options);
  } catch (e) {
    if (e instanceof DataValidationError) return [...e.issues];
    throw e;
  }
  throw new Error(`expected ${name} to fail validation`);
}

function parseIssues(text: string, spec: PartialDataSpec = {}, options: LoadOptions = {}): DataValidationError {
  try {
    parseMmmData(text, spec, { fileName: 't.csv', ...options });
  } catch (e) {
    if (e instanceof DataValidationError) return e;
    throw e;
  }
  throw new Error('expected a DataValidationError');
}

/** "row|column|message" lines for compact assertions. */
const brief = (issues: readonly ValidationIssue[]) => issues.map((i) => `${i.row ?? '-'}|${i.column ?? '-'}|${i.message}`);

/** Build a small national weekly CSV with the given columns (arrays of cell texts). */
function csv(columns: Record<string, readonly (string | number)[]>): string {
  const names = Object.keys(columns);
  const n = columns[names[0]].length;
  const rows = [names.join(',')];
  for (let r = 0; r < n; r++) rows.push(names.map((c) => String(columns[c][r])).join(','));
  return rows.join('\n') + '\n';
}

const weeks = (n: number, start = Date.UTC(2024, 0, 1)) =>
  Array.from({ length: n }, (_, t) => new Date(start + t * 7 * 86_400_000).toISOString().slice(0, 10));

describe('loading valid data', () => {
  it('national file: detects date/KPI/channels, takes named controls and events, geo-major tensors', async () => {
    const data = await loadMmmData(fixture('national.csv'), { controls: ['price'], events: ['holiday'] });
    expect([data.G, data.T, data.C, data.K, data.E]).toEqual([1, 12, 2, 1, 1]);
    expect(data.national).toBe(true);
    expect(data.geoNames).toEqual(['national']);
    expect(data.frequency).toBe('weekly');
    expect(data.dates[0]).toBe('2024-01-01');
    expect(data.dates[11]).toBe('2024-03-18');
    expect(data.channelNames).toEqual(['tv', 'search']);
    expect(data.mediaIsSpend).toEqual([true, true]);
    // spend [G,T,C]: (t=3, c=0) -> index 3*2+0
    expect(data.spend[3 * 2 + 0]).toBe(1500);
    expect(data.spend[3 * 2 + 1]).toBe(260);
    expect(Array.from(data.media)).toEqual(Array.from(data.spend));
    expect(data.kpi[3]).toBe(6100);
    expect(data.controls[1]).toBe(1.02);
    expect(Array.from(data.events)).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect(data.population).toBeUndefined();
    expect(data.revenuePerKpi).toBeUndefined();
    expect(data.warnings).toEqual([]);
    const p = data.provenance;
    expect(p.fileName).toBe('national.csv');
    expect(p.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(p.rowCount).toBe(12);
    expect(p.ignoredColumns).toEqual([]);
    expect(p.detected.map((d) => `${d.role}=${d.column}`)).toEqual([
      'date=date',
      'kpi=sales',
      'channels[0].spend=tv_spend',
      'channels[1].spend=search_spend',
    ]);
    expect(data.spec).toMatchObject({ geo: null, date: 'date', kpi: 'sales', controls: ['price'], events: ['holiday'] });
  });

  it('Meridian-style geo file with interleaved rows: detection of every role, reordered geo-major', async () => {
    const data = await loadMmmData(fixture('geo_interleaved.csv'));
    expect([data.G, data.T, data.C, data.K]).toEqual([3, 4, 2, 1]);
    expect(data.geoNames).toEqual(['GeoA', 'GeoB', 'GeoC']);
    expect(data.spec).toMatchObject({
      geo: 'geo',
      date: 'time',
      kpi: 'conversions',
      revenuePerKpi: 'revenue_per_conversion',
      population: 'population',
      channels: [
        { name: 'Channel0', spend: 'Channel0_spend', media: 'Channel0_impression' },
        { name: 'Channel1', spend: 'Channel1_spend' },
      ],
      controls: ['competitor_sales_control'],
    });
    expect(data.mediaIsSpend).toEqual([false, true]);
    // kpi [G,T]: GeoB (g=1) week 3 (t=2) is file row 9: 2200
    expect(data.kpi[1 * 4 + 2]).toBe(2200);
    // media [G,T,C]: GeoC (g=2), t=1, channel 0 = 5000 impressions, spend 50
    expect(data.media[(2 * 4 + 1) * 2 + 0]).toBe(5000);
    expect(data.spend[(2 * 4 + 1) * 2 + 0]).toBe(50);
    // channel 1 has no impressions: media is its spend
    expect(data.media[(2 * 4 + 1) * 2 + 1]).toBe(35);
    expect(Array.from(data.population!)).toEqual([50000, 120000, 30000]);
    expect(data.revenuePerKpi![1 * 4 + 2]).toBe(2.1);
    expect(data.provenance.detected.find((d) => d.role === 'channels[0].media')?.column).toBe('Channel0_impression');
  });

  it('daily data is recognised', async () => {
    const data = await loadMmmData(fixture('daily.csv'), { kpi: 'orders' });
    expect(data.frequency).toBe('daily');
    expect(data.T).toBe(8);
    expect(data.channelNames).toEqual(['promo']);
  });

  it('other date formats only when declared, with a hint when a value fits another format', () => {
    const text = csv({ date: ['1/6/2024', '1/13/2024', '1/20/2024'], x_spend: [1, 2, 3], sales: [5, 6, 7] });
    const err = parseIssues(text);
    expect(err.issues).toHaveLength(3);
    expect(err.issues[0].message).toMatch(/unparseable date "1\/6\/2024" \(expected format YYYY-MM-DD.*parses as M\/D\/YYYY/);
    const data = parseMmmData(text, { dateFormat: 'M/D/YYYY' });
    expect(data.dates).toEqual(['2024-01-06', '2024-01-13', '2024-01-20']);
  });
});

describe('messy values: every problem is reported with its row and column', () => {
  it('missing, non-numeric, negative spend, negative KPI; zero KPI is a warning', async () => {
    const issues = await loadIssues('messy_values.csv');
    // price is not a role here (no "_control" suffix, not named), so its empty cell (row 6) is no issue
    expect(brief(issues)).toEqual([
      '4|sales|not a number: "abc" in the KPI',
      '8|sales|the KPI is negative: "-1"',
      '3|tv_spend|missing value ("NA") in spend of channel "tv"; ask for an imputation for this column ("impute" in the run config, or options.impute) if that is intended',
      '9|tv_spend|not a number: "1,234" (thousands separators are not accepted) in spend of channel "tv"',
      '5|search_spend|spend of channel "search" is negative: "-5"',
    ]);
  });

  it('structure: unparseable date, duplicate (geo, date), unsorted dates, uneven spacing (with the gap), unequal date sets', async () => {
    const issues = await loadIssues('messy_dates.csv');
    const lines = brief(issues);
    expect(lines).toContain('12|date|not a calendar date: "2024-13-01" (format YYYY-MM-DD)');
    expect(lines).toContain('5|-|duplicate row for (geo "A", date 2024-01-15): rows 3 and 5');
    expect(lines).toContain('-|date|dates are not in ascending order within geo "A": row 4 (2024-01-08) comes after row 3 (2024-01-15)');
    expect(lines).toContain('11|date|dates are not evenly spaced: gap of 14 days between 2024-01-22 and 2024-02-05 (expected 7)');
    expect(lines).toContain('-|date|geo "A" lacks 1 of the 5 dates found in the file: 2024-02-05 (all geos must have the same dates)');
    expect(issues).toHaveLength(5);
  });

  it('unknown column names name the file and list the available columns, with a case hint', async () => {
    const issues = await loadIssues('national.csv', { kpi: 'Sales', controls: ['prices'] });
    expect(issues).toHaveLength(2);
    expect(issues[0].file).toBe('national.csv');
    expect(issues[0].message).toBe(
      'spec.kpi names column "Sales", which is not in the file (did you mean "sales"?); available columns: "date", "tv_spend", "search_spend", "price", "holiday", "sales"',
    );
    expect(issues[1].message).toMatch(/^spec.controls\[0\] names column "prices", which is not in the file; available columns: "date"/);
  });

  it('a column in two roles, duplicate channel names, unknown imputation targets', () => {
    const text = csv({ date: weeks(3), a_spend: [1, 2, 3], sales: [5, 6, 7] });
    const two = parseIssues(text, { kpi: 'sales', channels: [{ name: 'a', spend: 'a_spend' }, { name: 'a', spend: 'sales' }] });
    expect(brief(two.issues)).toEqual([
      '-|sales|column "sales" is used for two roles: kpi and channels[1].spend',
      '-|-|two channels are named "a"',
    ]);
    const imp = parseIssues(text, {}, { impute: { date: 'zero', nope: 'mean' } });
    expect(imp.issues.map((i) => i.message)).toEqual([
      'the date column "date" cannot be imputed',
      'imputation asked for column "nope", which no role uses',
    ]);
  });

  // found by tests/fuzz.data.test.ts (size mutations): a message listed every one of thousands of columns in each of 50 issues (9 MB), or quoted a megabyte cell whole
  it('messages list at most 30 columns and cut long cells and names', () => {
    const wide = Object.fromEntries([['date', weeks(3)], ['a_spend', [1, 2, 3]], ['sales', [5, 6, 7]], ...Array.from({ length: 2000 }, (_, k) => [`x${k}`, [1, 1, 1]])]);
    const err = parseIssues(csv(wide), { controls: ['nope'] });
    expect(err.issues[0].message).toMatch(/^spec\.controls\[0\] names column "nope", which is not in the file; available columns: "date", "a_spend", "sales", "x0", .*"x26", \.\.\. \(2003 columns in all\)$/);
    expect(err.message.length).toBeLessThan(1000);
    // found by the long campaign (mixwell fit fuzz): each unknown role column was compared with every column name, normalized anew (20 000 roles x 2000 columns: over 2 s);
    // the speed is guarded by the fuzz suite's time budget per case (tests/support/fuzz.ts), not timed here
    const many = parseIssues(csv(wide), { controls: Array(20_000).fill('X0') });
    expect(many.issues[0].message).toMatch(/^spec\.controls\[0\] names column "X0", which is not in the file \(did you mean "x0"\?\); available columns: /);
    const long = parseIssues(csv({ date: weeks(3), a_spend: [1, 'y'.repeat(1_000_000), 3], sales: [5, 6, 7] }));
    expect(brief(long.issues)).toEqual([`3|a_spend|not a number: ${JSON.stringify('y'.repeat(100))}... (1000000 characters) in spend of channel "a"`]);
  });

  // found by tests/fuzz.config.test.ts (roles from a run config): an empty KPI or date column crashed reading column ""; a missing one read "got undefined"
  it('a role given as "" or left out of a channel names the spec key', () => {
    const text = csv({ date: weeks(3), a_spend: [1, 2, 3], sales: [5, 6, 7] });
    expect(brief(parseIssues(text, { kpi: '' }).issues)).toEqual(['-|-|spec.kpi must name a column, got ""']);
    expect(brief(parseIssues(text, { date: '' }).issues)).toEqual(['-|-|spec.date must name a column, got ""']);
    expect(brief(parseIssues(text, { channels: [{ name: 'a', spend: '' }] }).issues)).toEqual(['-|-|spec.channels[0].spend must name a column, got ""']);
    expect(brief(parseIssues(text, { channels: [{ name: 'a' } as never] }).issues)).toEqual(['-|-|spec.channels[0].spend must be a column name (string), got nothing']);
  });

  it('spend zero everywhere and constant KPI are errors; constant control too', () => {
    const err = parseIssues(
      csv({ date: weeks(4), tv_spend: [0, 0, 0, 0], radio_spend: [1, 0, 2, 0], price: [1, 1, 1, 1], sales: [5, 5, 5, 5] }),
      { controls: ['price'] },
    );
    expect(brief(err.issues)).toEqual([
      '-|tv_spend|spend of channel "tv" is 0 in every row (a channel without spend cannot be scaled or estimated)',
      '-|sales|the KPI is constant (5) in every row; there is nothing to model',
      '-|price|control "price" is constant (1) in every row, so it cannot be standardized',
    ]);
  });

  it('population must be > 0 and constant per geo; revenue per KPI > 0; events 0/1', () => {
    const text = [
      'geo,date,x_spend,sales,population,revenue_per_conversion,promo',
      'A,2024-01-01,1,10,100,2,0',
      'A,2024-01-08,2,11,101,0,1',
      'B,2024-01-01,3,12,0,2,2',
      'B,2024-01-08,4,13,0,2,0',
    ].join('\n');
    const err = parseIssues(text, { events: ['promo'] });
    expect(brief(err.issues)).toEqual([
      '4|promo|event "promo" must be 0 or 1, got "2"',
      '4|population|the population must be > 0, got "0"',
      '5|population|the population must be > 0, got "0"',
      '3|revenue_per_conversion|revenue per KPI must be > 0, got "0"',
      '-|population|the population must be constant within a geo; geo "A" has 2 values (100, 101)',
    ]);
  });

  it('monthly spacing is rejected as unsupported; a single date too', () => {
    const monthly = parseIssues(csv({ date: ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01'], x_spend: [1, 2, 3, 4], sales: [1, 2, 3, 4] }));
    expect(monthly.issues[0].message).toMatch(/dates are (29|31) days apart .*only daily \(1 day\) and weekly \(7 days\)/);
    const single = parseIssues(csv({ date: ['2024-01-01'], x_spend: [1], sales: [1] }));
    expect(single.issues.map((i) => i.message)).toContain('need at least 2 distinct dates, found 1');
  });

  it('collects all problems up to the cap, then says how many more', () => {
    const n = 60;
    const err = parseIssues(csv({ date: weeks(n), x_spend: Array(n).fill('NA'), sales: Array.from({ length: n }, (_, i) => i + 1) }));
    expect(err.issues).toHaveLength(50);
    expect(err.omitted).toBe(10);
    expect(err.message).toMatch(/^60 data problems:/);
    expect(err.message).toMatch(/\.\.\. and 10 more$/);
    expect(err.issues[0].row).toBe(2);
    const small = parseIssues(csv({ date: weeks(n), x_spend: Array(n).fill('NA'), sales: Array(n).fill(1) }), {}, { maxIssues: 5 });
    expect(small.issues).toHaveLength(5);
  });
});

describe('warnings (kept, not errors)', () => {
  it('zero KPI, suspicious tiny KPI, a channel dark in one geo, KPI constant in one geo, unmatched exposure column', () => {
    const text = [
      'geo,date,tv_spend,search_spend,search_impression,yt_impression,sales',
      'A,2024-01-01,0,5,50,1,1000',
      'A,2024-01-08,0,6,60,1,1.0',
      'A,2024-01-15,0,7,70,1,0',
      'A,2024-01-22,0,8,80,1,1100',
      'B,2024-01-01,3,5,50,1,500',
      'B,2024-01-08,4,6,60,1,500',
      'B,2024-01-15,5,7,70,1,500',
      'B,2024-01-22,6,8,80,1,500',
    ].join('\n');
    const data = parseMmmData(text, {}, { fileName: 'w.csv' });
    expect(brief(data.warnings)).toEqual([
      '-|yt_impression|column "yt_impression" looks like an exposure column but has no matching spend column; it is not used',
      '-|tv_spend|spend of channel "tv" is 0 in every period of geo "A"',
      '-|sales|the KPI is 0 in 1 row(s) (allowed; rows 4)',
      '3|sales|the KPI 1 is below 1% of the median KPI of geo "A" (500.5); a placeholder? (kept as is)',
      '-|sales|the KPI is constant (500) in geo "B"',
    ]);
    expect(data.kpi[1]).toBe(1);
    expect(data.warnings.every((w) => w.severity === 'warning' && w.file === 'w.csv')).toBe(true);
  });
});

describe('explicit imputation', () => {
  it('without it, each missing cell is an error', async () => {
    const issues = await loadIssues('missing_values.csv', { controls: ['price'] });
    expect(brief(issues).map((l) => l.split('|').slice(0, 2).join('|'))).toEqual([
      '4|tv_spend',
      '5|tv_spend',
      '6|search_spend',
      '2|price',
    ]);
  });

  it('linear, mean and zero fill only the missing cells, and provenance records rows and values', async () => {
    const data: MmmData = await loadMmmData(
      fixture('missing_values.csv'),
      { controls: ['price'] },
      { impute: { tv_spend: 'linear', search_spend: 'zero', price: 'mean' } },
    );
    const tv = Array.from({ length: data.T }, (_, t) => data.spend[t * 2]);
    expect(tv).toEqual([100, 200, 300, 400, 500, 400, 300, 200]);
    expect(data.spend[4 * 2 + 1]).toBe(0);
    const priceMean = (1.1 + 1.0 + 0.9 + 1.2 + 1.0 + 1.1 + 1.0) / 7;
    expect(data.controls[0]).toBeCloseTo(priceMean, 15);
    expect(data.provenance.imputations).toEqual([
      { column: 'tv_spend', method: 'linear', rows: [4, 5], values: [300, 400] },
      { column: 'search_spend', method: 'zero', rows: [6], values: [0] },
      { column: 'price', method: 'mean', rows: [2], values: [priceMean] },
    ]);
  });

  it('linear imputation carries the nearest value at the series ends; an all-missing geo cannot be imputed', () => {
    const text = csv({ date: weeks(4), x_spend: ['NA', 2, 4, 'NA'], sales: [1, 2, 3, 4] });
    const data = parseMmmData(text, {}, { impute: { x_spend: 'linear' } });
    expect(Array.from(data.spend)).toEqual([2, 2, 4, 4]);
    const err = parseIssues(csv({ date: weeks(3), x_spend: [1, 2, 3], price: ['NA', 'NA', 'NA'], sales: [1, 2, 3] }), { controls: ['price'] }, { impute: { price: 'mean' } });
    expect(err.issues[0].message).toMatch(/cannot impute control "price" with "mean": every value of the data is missing/);
  });

  // found by tests/fuzz.data.test.ts: a column named like a member of Object.prototype was imputed (linearly) without being asked
  it('a column named "constructor" or "toString" is imputed only when asked', () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty']) {
      const text = csv({ date: weeks(3), x_spend: [1, 2, 3], [name]: [1, '', 3], sales: [1, 2, 3] });
      expect(brief(parseIssues(text, { controls: [name] }).issues)).toEqual([`3|${name}|missing value ("") in control "${name}"; ask for an imputation for this column ("impute" in the run config, or options.impute) if that is intended`]);
      expect(parseMmmData(text, { controls: [name] }, { impute: { [name]: 'zero' } }).provenance.imputations).toEqual([{ column: name, method: 'zero', rows: [3], values: [0] }]);
    }
  });

  it('"abc" is never imputed: imputation only covers missing markers', () => {
    const err = parseIssues(csv({ date: weeks(3), x_spend: [1, 'abc', 3], sales: [1, 2, 3] }), {}, { impute: { x_spend: 'zero' } });
    expect(brief(err.issues)).toEqual(['3|x_spend|not a number: "abc" in spend of channel "x"']);
  });
});

describe('data without a KPI (withoutKpi: future periods to predict for)', () => {
  it('reads no KPI column (a named one is ignored), and a channel without spend, a constant control or one date are not errors', () => {
    const data = parseMmmData(csv({ date: weeks(3), tv_spend: [0, 0, 0], search_spend: [1, 2, 3], price: [1, 1, 1], sales: [5, 6, 7] }), { kpi: 'sales', controls: ['price'] }, { fileName: 'f.csv', withoutKpi: true });
    expect(data.spec.kpi).toBe('');
    expect(data.provenance.ignoredColumns).toEqual(['sales']);
    expect(Array.from(data.kpi).every(Number.isNaN)).toBe(true);
    expect(brief(data.warnings)).toEqual(['-|tv_spend|spend of channel "tv" is 0 in every row']);
    const one = parseMmmData(csv({ date: weeks(1), tv_spend: [3] }), {}, { fileName: 'f.csv', withoutKpi: true });
    expect(one.dates).toEqual(['2024-01-01']);
    // The other checks hold: a negative spend is still an error naming the row and column.
    expect(brief(parseIssues(csv({ date: weeks(2), tv_spend: [1, -1] }), {}, { withoutKpi: true }).issues)).toEqual(['3|tv_spend|spend of channel "tv" is negative: "-1"']);
  });
});

describe('detectRoles', () => {
  it('reports ambiguity and a missing KPI without reading data', () => {
    const r = detectRoles(['date', 'week', 'tv_spend', 'target']);
    expect(r.errors.map((e) => e.message)).toEqual([
      'cannot detect the date column: "date" and "week" all match; name one in spec.date',
    ]);
    const explicit = detectRoles(['date', 'week', 'tv_spend', 'target'], { date: 'week' });
    expect(explicit.errors).toEqual([]);
    expect(explicit.spec.kpi).toBe('target');
    expect(explicit.ignoredColumns).toEqual(['date']);
    const none = detectRoles(['when', 'tv_spend']);
    expect(none.errors.map((e) => e.message.split(':')[0])).toEqual(['no date column', 'no KPI column']);
  });

  it('spend_<name>/control_<name> prefixes (the Stan peer) and null to switch detection off', () => {
    const r = detectRoles(['geo', 'week', 'spend_tv', 'control_price', 'sales', 'population']);
    expect(r.spec.channels).toEqual([{ name: 'tv', spend: 'spend_tv' }]);
    expect(r.spec.controls).toEqual(['control_price']);
    expect(r.spec.population).toBe('population');
    const off = detectRoles(['geo', 'week', 'spend_tv', 'control_price', 'sales', 'population'], { geo: null, population: null, controls: [] });
    expect(off.spec.geo).toBeNull();
    expect(off.spec.population).toBeNull();
    expect(off.ignoredColumns).toEqual(['geo', 'control_price', 'population']);
  });
});

describe('names', () => {
  /** A two-geo weekly CSV: header cells and geo values quoted as RFC 4180 wants. */
  const quoted = (cell: string) => (/[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  function geoCsv(header: readonly string[], geos: readonly string[]): string {
    const rows = [header.map(quoted).join(',')];
    geos.forEach((geo, g) => weeks(10).forEach((date, t) => rows.push([quoted(geo), date, String(100 + ((t * 37 + g) % 50)), String((t * 13) % 7), String(1000 + t * 10 + g)].join(','))));
    return rows.join('\n') + '\n';
  }

  it('keeps every name exactly as written: markup, quotes, field paths, spaces, unicode, JavaScript and Vega words', () => {
    const channel = '<img src=x onerror=alert(1)>';
    const control = `it's "quoted" & <b>`;
    const geos = ['</script><script>alert(1)</script>', '  padded ', 'ventes été 😀', 'constructor', 'if'];
    const data = parseMmmData(geoCsv(['geo', 'date', 'a.b[0]_spend', control, 'sales'], geos), {
      geo: 'geo',
      channels: [{ name: channel, spend: 'a.b[0]_spend' }],
      controls: [control],
    });
    expect(data.geoNames).toEqual(geos);
    expect(data.channelNames).toEqual([channel]);
    expect(data.controlNames).toEqual([control]);
    // a detected channel is the spend column's stem, as written
    expect(parseMmmData(geoCsv(['geo', 'date', 'a.b[0]_spend', 'x', 'sales'], ['g1', 'g2']), { geo: 'geo' }).channelNames).toEqual(['a.b[0]']);
  });

  it('refuses "__proto__" as a column, a geo, a channel or a treatment, with a clear error', () => {
    const column = parseIssues(geoCsv(['geo', 'date', 'tv_spend', '__proto__', 'sales'], ['g1', 'g2']), { geo: 'geo' });
    expect(brief(column.issues)).toEqual(['1|-|column name "__proto__" cannot be used (column 4; JavaScript reads it as an object\'s prototype); rename the column']);
    const geo = parseIssues(geoCsv(['geo', 'date', 'tv_spend', 'x', 'sales'], ['g1', '__proto__']), { geo: 'geo' });
    expect(brief(geo.issues)).toEqual(['12|geo|geo "__proto__" cannot be used (JavaScript reads it as an object\'s prototype); rename the geo']);
    const channel = parseIssues(geoCsv(['geo', 'date', 'tv_spend', 'x', 'sales'], ['g1', 'g2']), { geo: 'geo', channels: [{ name: '__proto__', spend: 'tv_spend' }] });
    expect(brief(channel.issues)).toEqual(['-|-|spec.channels[0].name "__proto__" cannot be used (JavaScript reads it as an object\'s prototype); choose another name']);
    const treatment = parseIssues(geoCsv(['geo', 'date', 'tv_spend', 'x', 'sales'], ['g1', 'g2']), { geo: 'geo', treatments: [{ column: 'x', name: '__proto__' }] });
    expect(brief(treatment.issues)).toEqual(['-|-|spec.treatments[0].name "__proto__" cannot be used (JavaScript reads it as an object\'s prototype); choose another name']);
  });
});
