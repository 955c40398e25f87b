/**
 * The data layer on the shared reference material: the Stan peer's benchmark data (scaling
 * checked against its truth.json data summary and by hand) and the messy public datasets
 * (shared/datasets, see each SOURCE.md). Skipped, with a message, when ../shared is absent.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_CONFIG } from '../models/mmm/config.js';
import { designFromData } from '../models/mmm/design.js';
import { mmmParameters } from '../models/mmm/parameters.js';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { escape } from 'arquero';
import {
  loadMmmData,
  loadCsvSource,
  buildMmmData,
  scaleData,
  DataValidationError,
  type PartialDataSpec,
  type LoadOptions,
} from '../src/data/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SHARED = `${ROOT}../shared`;
const HAVE_SHARED = existsSync(SHARED);
if (!HAVE_SHARED) {
  console.warn(`data.shared.test: ${SHARED} is absent; skipping the tests on the Stan benchmark data and shared/datasets`);
}
const shared = (path: string) => `${SHARED}/${path}`;

async function failure(path: string, spec: PartialDataSpec = {}, options: LoadOptions = {}): Promise<DataValidationError> {
  try {
    await loadMmmData(path, spec, options);
  } catch (e) {
    if (e instanceof DataValidationError) return e;
    throw e;
  }
  throw new Error(`expected ${path} to fail validation`);
}

/** Independent plain parse of a simple (unquoted) CSV: header and rows of strings. */
function plainCsv(path: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

describe.skipIf(!HAVE_SHARED)('Stan peer benchmark data (needs ../shared)', () => {
  it('geo-20: loads with detected roles and scales exactly as the Stan peer (truth.json data summary, hand values)', async () => {
    const path = shared('bench/stan/data/geo-20.csv');
    const truth = JSON.parse(readFileSync(shared('bench/stan/data/geo-20.truth.json'), 'utf8'));
    const data = await loadMmmData(path);
    expect([data.G, data.T, data.C, data.K]).toEqual([20, 104, 5, 2]);
    expect(data.geoNames).toEqual(truth.geos);
    expect(data.channelNames).toEqual(truth.channels);
    expect(data.controlNames).toEqual(['control_price', 'control_temperature']);
    expect(data.spec).toMatchObject({ geo: 'geo', date: 'week', kpi: 'sales', population: null, revenuePerKpi: null });
    expect(data.warnings).toEqual([]);

    const s = scaleData(data);
    const ds = truth.data_summary;
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
    // truth.json stores 12 significant digits
    expect(rel(s.scaling.kpiMean, ds.y_mean)).toBeLessThan(1e-11);
    for (let c = 0; c < 5; c++) expect(rel(s.scaling.spendMean[c], ds.x_mean[c])).toBeLessThan(1e-11);
    for (let k = 0; k < 2; k++) {
      expect(rel(s.scaling.controlMean[k], ds.control_mean[k])).toBeLessThan(1e-11);
      expect(rel(s.scaling.controlSd[k], ds.control_sd[k])).toBeLessThan(1e-11);
    }
    for (let c = 0; c < 5; c++) expect(rel(s.scaling.spendMean[c] * 2080, ds.spend_total[c])).toBeLessThan(1e-11);

    // by hand, from an independent plain parse of the file
    const { header, rows } = plainCsv(path);
    const col = (name: string) => header.indexOf(name);
    const salesMean = rows.reduce((a, r) => a + Number(r[col('sales')]), 0) / rows.length;
    const tvMean = rows.reduce((a, r) => a + Number(r[col('spend_tv')]), 0) / rows.length;
    const temps = rows.map((r) => Number(r[col('control_temperature')]));
    const tm = temps.reduce((a, b) => a + b, 0) / temps.length;
    const tsd = Math.sqrt(temps.reduce((a, x) => a + (x - tm) ** 2, 0) / (temps.length - 1));
    // first data row: geo_001, 2022-01-03, tv 2450.01, temperature 3.6, sales 24528.02 -> n = 0
    expect(rows[0].slice(0, 3)).toEqual(['geo_001', '2022-01-03', '2450.01']);
    expect(s.spend[0]).toBeCloseTo(2450.01 / tvMean, 12);
    expect(s.kpi[0]).toBeCloseTo(24528.02 / salesMean, 12);
    expect(s.controls[1]).toBeCloseTo((3.6 - tm) / tsd, 12);
    // last data row is geo_020's last week: n = 19*104 + 103 (geo-major)
    const last = rows[rows.length - 1];
    expect(last[0]).toBe('geo_020');
    expect(s.kpi[19 * 104 + 103]).toBeCloseTo(Number(last[col('sales')]) / salesMean, 12);
    expect(s.spend[(19 * 104 + 103) * 5 + 4]).toBeCloseTo(Number(last[col('spend_radio')]) / (ds.x_mean[4] as number), 10);
  });

  it('national: one geo named "national" in a geo column (G = 1)', async () => {
    const data = await loadMmmData(shared('bench/stan/data/national.csv'));
    expect([data.G, data.T, data.C, data.K]).toEqual([1, 156, 4, 1]);
    expect(data.national).toBe(false);
    const truth = JSON.parse(readFileSync(shared('bench/stan/data/national.truth.json'), 'utf8'));
    const s = scaleData(data);
    expect(Math.abs(s.scaling.kpiMean / truth.data_summary.y_mean - 1)).toBeLessThan(1e-11);
  });
});

describe.skipIf(!HAVE_SHARED)('shared/datasets: Meridian simulated files (needs ../shared)', () => {
  it('geo_all_channels.csv: every role detected from Meridian names (the organic channel too); unnamed index and Promo (a treatment only when named) left out', async () => {
    const data = await loadMmmData(shared('datasets/meridian_simulated/geo_all_channels.csv'));
    expect([data.G, data.T, data.C, data.K]).toEqual([40, 156, 6, 2]);
    expect(data.dates[0]).toBe('2021-01-25');
    expect(data.channelNames).toEqual(['Channel0', 'Channel1', 'Channel2', 'Channel3', 'Channel4', 'Organic_channel0']);
    expect(data.channelKinds).toEqual(['paid', 'paid', 'paid', 'paid', 'paid', 'organic']);
    expect(data.mediaIsSpend).toEqual([false, false, false, false, false, false]);
    expect(data.spec.kpi).toBe('conversions');
    expect(data.spec.revenuePerKpi).toBe('revenue_per_conversion');
    expect(data.spec.population).toBe('population');
    expect(data.controlNames).toEqual(['competitor_sales_control', 'sentiment_score_control']);
    expect(data.provenance.ignoredColumns).toEqual(['', 'Promo']);
    expect(data.warnings).toEqual([]);
    expect(data.provenance.detected).toContainEqual({ role: 'organic[0].media', column: 'Organic_channel0_impression', rule: 'organic channel ("Organic_<name>")' });
    // first row: Geo0 2021-01-25 Channel0_impression 280668, Channel0_spend 2058.0608, Organic_channel0_impression 97320
    expect(data.media[0]).toBe(280668);
    expect(data.spend[0]).toBe(2058.0608);
    expect(data.media[5]).toBe(97320);
    expect(data.spend[5]).toBe(0);
    expect(data.population![0]).toBe(136670.94);
    expect(data.provenance.rowCount).toBe(6240);
  });

  it('geo_all_channels.csv with Promo named as a treatment: its values, baseline (the minimum by default, or as given) and no other change', async () => {
    const path = shared('datasets/meridian_simulated/geo_all_channels.csv');
    const data = await loadMmmData(path, { treatments: ['Promo'] });
    expect(data.treatmentNames).toEqual(['Promo']);
    expect(data.provenance.ignoredColumns).toEqual(['']);
    const promo = Array.from(data.treatments);
    expect(data.treatmentBaselines[0]).toBe(Math.min(...promo));
    const max = await loadMmmData(path, { treatments: [{ column: 'Promo', name: 'promotion', baseline: 'max' }] });
    expect(max.treatmentNames).toEqual(['promotion']);
    expect(max.treatmentBaselines[0]).toBe(Math.max(...promo));
    const fixed = await loadMmmData(path, { treatments: [{ column: 'Promo', baseline: 0.5 }] });
    expect(fixed.treatmentBaselines[0]).toBe(0.5);
    await expect(loadMmmData(path, { treatments: [{ column: 'Promo', baseline: 'median' as never }] })).rejects.toThrow(/spec\.treatments\[0\]\.baseline must be "min", "max" or a finite number/);
    await expect(loadMmmData(path, { treatments: ['promo'] })).rejects.toThrow(/spec\.treatments\[0\] names column "promo", which is not in the file \(did you mean "Promo"\?\)/);
  });

  it('geo_media_rf.csv: Channel3 is a reach and frequency channel (media = reach, the frequency kept); its impression column is named in a warning', async () => {
    const data = await loadMmmData(shared('datasets/meridian_simulated/geo_media_rf.csv'));
    const c = data.channelNames.indexOf('Channel3');
    expect(data.channelKinds[c]).toBe('rf');
    expect(data.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/column "Channel3_impression" is not used: channel "Channel3" is a reach and frequency channel, modelled from "Channel3_reach" and "Channel3_frequency"/));
    // first row with reach: media is the reach, rfFrequency the frequency
    const n = Array.from({ length: data.G * data.T }, (_, i) => i).find((i) => data.media[i * data.C + c] > 0)!;
    expect(data.rfFrequency![n * data.C + c]).toBeGreaterThan(0);
  });

  it('every Meridian file with a KPI loads as it is, naming only the non-media treatment (Promo): organic and reach-and-frequency channels detected; the design builds the model parameter table', async () => {
    const files: [string, string[]][] = [
      ['geo_all_channels.csv', ['Promo']],
      ['national_all_channels.csv', ['Promo']],
      ['geo_media.csv', []],
      ['geo_media_rf.csv', []],
      ['geo_full_funnel_data.csv', []],
      ['national_media.csv', []],
      ['national_media_rf.csv', []],
    ];
    for (const [file, treatments] of files) {
      const data = await loadMmmData(shared(`datasets/meridian_simulated/${file}`), { treatments });
      expect(data.T, file).toBeGreaterThan(52);
      expect(data.C, file).toBeGreaterThanOrEqual(3);
      expect(data.treatmentNames, file).toEqual(treatments);
      // an R&F channel is fitted from its reach and frequency: its impression column is named in a warning and not used
      const rf = file.endsWith('_rf.csv');
      expect(data.provenance.ignoredColumns.filter((c) => c !== ''), file).toEqual(rf ? ['Channel3_impression'] : []);
      expect(data.channelKinds.includes('rf'), file).toBe(rf);
      if (rf) expect(data.channelKinds[data.channelNames.indexOf('Channel3')], file).toBe('rf');
      const design = designFromData(data, scaleData(data, { populationScaling: data.population !== undefined }));
      expect(mmmParameters(design, DEFAULT_MODEL_CONFIG).length, file).toBeGreaterThan(5);
    }
  });

  it('organic reach and frequency: "Organic_<x>_reach" with "Organic_<x>_frequency" (geo_media_rf.csv with Channel3 made organic) is an organicRf channel, its impression column named in a warning', async () => {
    const source = await loadCsvSource(shared('datasets/meridian_simulated/geo_media_rf.csv'));
    const table = source.table
      .select(source.table.columnNames().filter((c: string) => c !== 'Channel3_spend'))
      .rename({ Channel3_reach: 'Organic_channel3_reach', Channel3_frequency: 'Organic_channel3_frequency', Channel3_impression: 'Organic_channel3_impression' });
    const data = buildMmmData({ ...source, table }, {});
    const c = data.channelNames.indexOf('Organic_channel3');
    expect(c).toBe(data.C - 1);
    expect(data.channelKinds[c]).toBe('organicRf');
    expect(data.spend.filter((_, i) => i % data.C === c).every((x) => x === 0)).toBe(true);
    expect(data.rfFrequency![data.C + c] + data.rfFrequency![c]).toBeGreaterThanOrEqual(0);
    expect(data.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/column "Organic_channel3_impression" is not used: its organic channel is modelled from its reach and frequency columns/));
    expect(data.provenance.detected.filter((d) => d.role.startsWith('organic[0]')).map((d) => d.role)).toEqual(['organic[0].reach', 'organic[0].frequency']);
  });

  it('hypothetical_geo_all_channels.csv (no KPI): an error that lists the available columns', async () => {
    const err = await failure(shared('datasets/meridian_simulated/hypothetical_geo_all_channels.csv'));
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0].file).toBe('hypothetical_geo_all_channels.csv');
    expect(err.issues[0].message).toMatch(/^no KPI column: .*available columns: "Unnamed: 0", "geo", "time",/);
  });
});

describe.skipIf(!HAVE_SHARED)('shared/datasets: messy files (needs ../shared)', () => {
  it('geo_media_imp_spend: M/D/YY dates need dateFormat; geo "Z" twice per week is an error (113 duplicates)', async () => {
    const path = shared('datasets/geo_media_imp_spend/media_data.csv');
    const dates = await failure(path);
    expect(dates.issues[0]).toMatchObject({ row: 2, column: 'WEEK_START' });
    expect(dates.issues[0].message).toMatch(/unparseable date "1\/6\/18" .*this value parses as M\/D\/YY/);

    const dup = await failure(path, { dateFormat: 'M/D/YY' });
    expect(dup.issues.length + dup.omitted).toBe(113);
    expect(dup.issues[0].message).toBe('duplicate row for (geo "Z", date 2018-01-06): rows 2827 and 2940');
    expect(dup.issues.every((i) => i.message.startsWith('duplicate row for (geo "Z"'))).toBe(true);

    // the explicit fix is the caller's decision, e.g. leaving geo Z out with arquero
    const source = await loadCsvSource(path);
    const withoutZ = { ...source, table: source.table.filter((d: { GEO: string }) => d.GEO !== 'Z') };
    const data = buildMmmData(withoutZ, { dateFormat: 'M/D/YY' });
    expect([data.G, data.T, data.C]).toEqual([25, 113, 3]);
    expect(data.spec.channels).toEqual([
      { name: 'GOOGLE', spend: 'GOOGLE_SPEND', media: 'GOOGLE_IMP' },
      { name: 'FB', spend: 'FB_SPEND', media: 'FB_IMP' },
      { name: 'AFF', spend: 'AFF_SPEND', media: 'AFF_IMP' },
    ]);
    expect(data.warnings.map((w) => w.column)).toEqual(['YT_PAID_IMP', 'YT_ORG_IMP', 'EMAIL_IMP']);
    expect(data.provenance.fileRowCount).toBe(3051);
    expect(data.provenance.rowCount).toBe(25 * 113);
  });

  it('sample_media_spends_geo: zero-padded and unpadded M/D/YYYY dates both parse once declared', async () => {
    // exposures stand in for spend here only to exercise the date and duplicate checks
    const err = await failure(shared('datasets/sample_media_spends_geo/Sample Media Spend Data.csv'), {
      dateFormat: 'M/D/YYYY',
      channels: [{ name: 'google', spend: 'Google_Impressions' }],
    });
    expect(err.issues.length + err.omitted).toBe(113);
    expect(err.issues.every((i) => i.message.startsWith('duplicate row for (geo "Z"'))).toBe(true);
  });

  it('weekly_mmm_assessment: revenue = 1.0 placeholder weeks are warnings (kept), not errors', async () => {
    const data = await loadMmmData(shared('datasets/weekly_mmm_assessment/Assessment 2 - MMM Weekly.csv'), {
      controls: ['average_price'],
      events: ['promotions'],
    });
    expect([data.G, data.T, data.C, data.K, data.E]).toEqual([1, 104, 5, 1, 1]);
    const flagged = data.warnings.filter((w) => w.message.includes('placeholder'));
    // the eight exact 1.0 weeks; 64.5 and 94.09 are above 1% of the median (972.065)
    expect(flagged.map((w) => w.row)).toEqual([9, 32, 36, 58, 62, 63, 85, 90]);
    expect(flagged[0].message).toBe('the KPI 1 is below 1% of the median KPI (972.065); a placeholder? (kept as is)');
    const t = data.dates.indexOf('2024-05-12');
    expect(data.kpi[t]).toBe(1);
    expect(data.provenance.ignoredColumns).toEqual(['social_followers', 'emails_send', 'sms_send']);
  });

  it('kaggle marketing_mix: CRLF file, M/D/YYYY dates, channels named explicitly', async () => {
    const path = shared('datasets/kaggle_tiktok_fb_google/marketing_mix.csv');
    const err = await failure(path, { dateFormat: 'M/D/YYYY' });
    expect(err.issues[0].message).toMatch(/^no channels: /);
    const data = await loadMmmData(path, {
      dateFormat: 'M/D/YYYY',
      channels: [
        { name: 'tiktok', spend: 'TikTok' },
        { name: 'facebook', spend: 'Facebook' },
        { name: 'google', spend: 'Google Ads' },
      ],
    });
    expect([data.T, data.C]).toEqual([200, 3]);
    expect(data.dates[0]).toBe('2018-01-07');
    expect(data.spec.kpi).toBe('Sales');
  });

  it('robyn dt_simulated_weekly: a categorical "events" column is not a 0/1 dummy; deriving dummies is explicit', async () => {
    const path = shared('datasets/robyn_simulated_weekly/dt_simulated_weekly.csv');
    const spec: PartialDataSpec = {
      channels: [
        { name: 'tv', spend: 'tv_S' },
        { name: 'ooh', spend: 'ooh_S' },
        { name: 'print', spend: 'print_S' },
        { name: 'facebook', spend: 'facebook_S', media: 'facebook_I' },
        { name: 'search', spend: 'search_S', media: 'search_clicks_P' },
      ],
      controls: ['competitor_sales_B'],
    };
    const err = await failure(path, { ...spec, events: ['events'] });
    expect(err.issues[0]).toMatchObject({ row: 2, column: 'events' });
    expect(err.issues[0].message).toMatch(/^missing value \("na"\)/);
    expect(err.issues.length + err.omitted).toBe(208);

    const source = await loadCsvSource(path);
    const table = source.table.derive({
      event1: escape((d: { events: string }) => (d.events === 'event1' ? '1' : '0')),
      event2: escape((d: { events: string }) => (d.events === 'event2' ? '1' : '0')),
    });
    const data = buildMmmData({ ...source, table }, { ...spec, events: ['event1', 'event2'] });
    expect([data.T, data.C, data.K, data.E]).toEqual([208, 5, 1, 2]);
    expect(data.events.reduce((a, b) => a + b, 0)).toBe(2);
    expect(data.mediaIsSpend).toEqual([true, true, true, false, false]);
    expect(data.provenance.ignoredColumns).toEqual(['events', 'newsletter']);
  });

  it('lfiaschi chronos: 50 states detected from "state"/"week"/"y"', async () => {
    const data = await loadMmmData(shared('datasets/lfiaschi_mmm_chronos/mmm_chronos_data.csv'), { controls: ['avg_temp', 'avg_employment'] });
    expect([data.G, data.T, data.C, data.K]).toEqual([50, 208, 2, 2]);
    expect(data.spec.geo).toBe('state');
  });

  it('pymc multidimensional example: rows interleaved by date come out geo-major', async () => {
    const data = await loadMmmData(shared('datasets/pymc_marketing/mmm_multidimensional_example.csv'), {
      channels: [
        { name: 'x1', spend: 'x1' },
        { name: 'x2', spend: 'x2' },
      ],
      events: ['event_1', 'event_2'],
    });
    expect([data.G, data.T]).toEqual([2, 159]);
    expect(data.geoNames).toEqual(['geo_a', 'geo_b']);
    expect(data.kpi[0]).toBeCloseTo(2647.5963552132916, 10);
    expect(data.kpi[159]).toBeCloseTo(682.4062800764611, 10);
    expect(data.spend[159 * 2 + 1]).toBeCloseTo(8063.918385910292, 10);
  });
});
