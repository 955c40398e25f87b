/**
 * Hostile names end to end (issue 21): the geo example with every name replaced by one that tries
 * to break a page or a chart (markup, a script end, JSON, Vega field paths, quotes, a template,
 * `&`, unicode, spaces, Vega and JavaScript words), in the CSV header (channels, controls), the geo
 * values and the config (organic channel, treatment, a lift test), with the data file and the
 * run directory named likewise. A tiny real fit (2 chains x 40 warmup x 20 draws, one thread),
 * writeRun, the report and the data inspection, then:
 * - parse level: the names load exactly; report.html and inspect.html hold no hostile name raw
 *   outside the inlined libraries, only their escaped forms, and only the page's own script
 *   elements; the spec block parses, every spec validates and equals its charts/*.vl.json, no name
 *   is a field or inside a compiled expression; every SVG is well-formed with the names as text;
 * - in headless Chromium (scripts/report-screenshot.ts; skipped with a message without it): no
 *   console error, no dialog, every chart drawn, no element a name could have opened, and the
 *   names in the page's text.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataChecks, inspectDataFromMmmData } from '../src/analysis/index.js';
import { schemaErrors, type ChartSpec } from '../src/charts/index.js';
import { fitMmm, type MmmFit } from '../src/mmm/fit.js';
import { buildReport } from '../src/mmm/report.js';
import { escapeHtml, readEmbedScripts, scriptSource, writeInspection, writeReport, type WrittenPage } from '../src/report/index.js';
import { writeRun } from '../src/run/runDirectory.js';
import { findChromium, screenshotPage } from '../scripts/report-screenshot.js';
import { namesInExpressions, readXml, specFields } from './support/hostileNames.js';

const CHANNELS = ['<img src=x onerror=alert(1)>', 'a.b', '</script><script>alert(1)</script>'];
const ORGANIC = 'a[0]';
const TREATMENT = '${x}';
const TREATMENT_COLUMN = '"}]},{"mark":"text"';
const CONTROLS = ['constructor', 'if'];
const GEOS: Record<string, string> = { north: `it's "quoted"`, south: 'R&D <b>&amp;</b>', east: 'ventes été 😀', west: '  padded ' };
const EXPERIMENT = `<svg onload=alert('lift')>`;
const NAMES = [...CHANNELS, ORGANIC, TREATMENT, ...CONTROLS, ...Object.values(GEOS)];
/** Names an HTML or XML parser would read as markup if written raw. */
const MARKUP = [...NAMES, TREATMENT_COLUMN, EXPERIMENT].filter((name) => /[<>&"']/.test(name));

const tmp = mkdtempSync(join(tmpdir(), 'mixwell-hostile-'));
const home = join(tmp, `dir <i>&'"`);
const dataFile = join(home, `data <b>&'".csv`);
const runDir = join(home, `run <i>&'"`);
const inspectDir = join(home, `inspect <i>&'"`);
let fit: MmmFit;
let report: WrittenPage;
let inspection: WrittenPage;

const cell = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** examples/geo.csv renamed, with an organic channel and a promotion. */
function hostileCsv(): string {
  const [header, ...lines] = readFileSync('examples/geo.csv', 'utf8').trim().split('\n');
  const columns = header.split(',');
  const out = [['geo', 'date', `${CHANNELS[0]}_spend`, `${CHANNELS[1]}_spend`, `${CHANNELS[2]}_spend`, `Organic_${ORGANIC}`, TREATMENT_COLUMN, ...CONTROLS, 'population', 'sales'].map(cell).join(',')];
  lines.forEach((line, i) => {
    const r = Object.fromEntries(line.split(',').map((v, j) => [columns[j], v]));
    out.push([GEOS[r.geo], r.date, r.tv_spend, r.search_spend, r.social_spend, String(100 + ((i * 37) % 50)), i % 5 === 0 ? '1' : '0', r.price, r.temperature, r.population, r.sales].map(cell).join(','));
  });
  return out.join('\n') + '\n';
}

const config = {
  data: {
    geo: 'geo',
    date: 'date',
    kpi: 'sales',
    population: 'population',
    // the channels are detected from their spend columns ("<name>_spend")
    organic: [{ name: ORGANIC, media: `Organic_${ORGANIC}` }],
    treatments: [{ column: TREATMENT_COLUMN, name: TREATMENT }],
    controls: CONTROLS,
  },
  model: {
    // far from what the model implies, so the health check names it
    experiments: [{ name: EXPERIMENT, channel: CHANNELS[1], geos: 'all', from: '2023-05-01', to: '2023-06-19', spendDelta: -500, liftKpi: -400000, liftSe: 1000 }],
  },
};

beforeAll(async () => {
  mkdirSync(home, { recursive: true });
  writeFileSync(dataFile, hostileCsv());
  fit = await fitMmm(dataFile, config, { chains: 2, warmup: 40, draws: 20, seed: 3, progress: false, verbose: false, workers: 1 });
  await writeRun(runDir, fit, buildReport(fit, { priorDraws: 100 }));
  report = await writeReport(runDir, { maxDraws: 40, priorDraws: 100, replicates: 40 });
  inspection = await writeInspection(inspectDir, dataChecks(inspectDataFromMmmData(fit.data)), basename(dataFile));
}, 300_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The page without its three inlined libraries (checked to be there, as inlined). */
function ownMarkup(html: string): string {
  let own = html;
  const scripts = readEmbedScripts();
  for (const source of [scripts.vega, scripts.vegaLite, scripts.vegaEmbed]) {
    const inlined = `<script>${scriptSource(source)}</script>`;
    expect(own.includes(inlined)).toBe(true);
    own = own.replace(inlined, '<script></script>');
  }
  return own;
}

function embeddedSpecs(html: string): Record<string, ChartSpec> {
  const block = /<script type="application\/json" id="mixwell-specs">([^<]*)<\/script>/.exec(html);
  if (!block) throw new Error('no spec block (or a "<" inside it)');
  return JSON.parse(block[1]);
}

/** The checks of a page that do not need a browser; returns the SVGs' decoded texts. */
async function checkPage(page: WrittenPage, dir: string): Promise<string> {
  const html = readFileSync(page.html, 'utf8');
  const own = ownMarkup(html);
  // the page's own five script elements, and outside them no element or handler a name could have opened
  expect(own.match(/<script\b/gi)).toHaveLength(5);
  const markup = own.replace(/(<script[^>]*>)[^<]*<\/script>/g, '$1</script>');
  for (const pattern of [/<(img|svg|iframe|object|embed|b|i)\b/i, /<[^>]*\son(error|load)\s*=/i]) expect(pattern.test(markup), `${pattern} in ${basename(page.html)}`).toBe(false);
  for (const name of MARKUP) expect(own.includes(name), `${JSON.stringify(name)} raw in ${basename(page.html)}`).toBe(false);
  const specs = embeddedSpecs(html);
  expect(Object.keys(specs)).toEqual(page.charts.map((c) => c.id));
  const texts: string[] = [];
  for (const chart of page.charts) {
    const spec = specs[chart.id];
    expect(spec).toEqual(JSON.parse(readFileSync(join(dir, 'charts', `${chart.id}.vl.json`), 'utf8')));
    expect(schemaErrors(spec), chart.id).toEqual([]);
    expect(specFields(spec).filter((field) => NAMES.includes(field)), chart.id).toEqual([]);
    expect(namesInExpressions(spec, NAMES), chart.id).toEqual([]);
    const svg = readXml(readFileSync(join(dir, 'charts', `${chart.id}.svg`), 'utf8'));
    expect(svg.problems, chart.id).toEqual([]);
    expect(svg.elements.filter((e) => !['svg', 'g', 'path', 'text', 'line', 'rect', 'defs', 'linearGradient', 'stop'].includes(e)), chart.id).toEqual([]);
    texts.push(...svg.texts);
  }
  return texts.join('\n');
}

describe('hostile names', () => {
  it('idata.nc is written with a treatment (its axis shared by the coefficients and the contributions)', () => {
    expect(existsSync(join(runDir, 'idata.nc'))).toBe(true);
  });

  it('load exactly as written, from the header, the geo values and the config', () => {
    expect(fit.data.channelNames).toEqual([...CHANNELS, ORGANIC]);
    expect(fit.data.geoNames).toEqual(Object.values(GEOS));
    expect(fit.data.controlNames).toEqual(CONTROLS);
    expect(fit.data.treatmentNames).toEqual([TREATMENT]);
    expect(fit.config.model.experiments?.map((e) => e.name)).toEqual([EXPERIMENT]);
  });

  it('report.html: escaped text only, its own scripts only, valid specs without names in fields or expressions, well-formed SVGs holding the names', async () => {
    const own = ownMarkup(readFileSync(report.html, 'utf8'));
    // the names in the tables (channels, controls), the run directory and the lift test (in the health check), escaped
    for (const text of [...CHANNELS, ORGANIC, TREATMENT, ...CONTROLS, runDir, EXPERIMENT]) {
      expect(own.includes(escapeHtml(text)), `${JSON.stringify(text)} escaped in report.html`).toBe(true);
    }
    const svgTexts = await checkPage(report, runDir);
    for (const name of NAMES) expect(svgTexts.includes(name), `${JSON.stringify(name)} in the SVGs`).toBe(true);
  }, 120_000);

  it('inspect.html: the same', async () => {
    const own = ownMarkup(readFileSync(inspection.html, 'utf8'));
    for (const text of [...CHANNELS, ORGANIC, ...CONTROLS, basename(dataFile)]) expect(own.includes(escapeHtml(text)), `${JSON.stringify(text)} escaped in inspect.html`).toBe(true);
    const svgTexts = await checkPage(inspection, inspectDir);
    for (const name of [...CHANNELS, ...CONTROLS, ...Object.values(GEOS)]) expect(svgTexts.includes(name), `${JSON.stringify(name)} in the SVGs`).toBe(true);
  }, 120_000);

  const chromium = findChromium();
  if (!chromium) {
    it.skip('in Chromium: skipped, no Chromium (install it, Debian: apt-get install chromium, or set CHROMIUM)', () => undefined);
    return;
  }

  /**
   * What the page made of the names: its text with the charts' labels for screen readers (Vega
   * trims a label's leading and trailing spaces, not its aria-label's), and the elements no name may open.
   */
  const probe = `(() => ({
    text: [document.querySelector('header').textContent, document.querySelector('main').textContent, ...Array.from(document.querySelectorAll('[aria-label]'), (e) => e.getAttribute('aria-label'))].join('\\n'),
    scripts: document.querySelectorAll('script').length,
    opened: Array.from(document.querySelectorAll('img, iframe, object, embed, svg:not(.marks), [onerror], [onload]')).map((e) => e.outerHTML.slice(0, 80)),
  }))()`;

  for (const [page, names] of [
    ['report.html', () => [...NAMES, runDir, EXPERIMENT]],
    ['inspect.html', () => [...CHANNELS, ORGANIC, ...CONTROLS, ...Object.values(GEOS), basename(dataFile)]],
  ] as const) {
    it(`in Chromium, ${page}: no console error, no dialog, every chart drawn, the names as text`, async () => {
      const written = page === 'report.html' ? report : inspection;
      const result = await screenshotPage(written.html, join(tmp, `${page}.png`), { chromium, probe });
      expect(result.consoleErrors).toEqual([]);
      expect(result.dialogs).toEqual([]);
      expect(result.failed).toEqual([]);
      expect(result.chartContainers).toBe(written.charts.length);
      expect(result.chartsDrawn).toBe(written.charts.length);
      expect(result.rendered).toBe(written.charts.length);
      const seen = result.probe as { text: string; scripts: number; opened: string[] };
      expect(seen.scripts).toBe(5);
      expect(seen.opened).toEqual([]);
      for (const name of names()) expect(seen.text.includes(name), `${JSON.stringify(name)} in the page's text`).toBe(true);
      expect(existsSync(result.png)).toBe(true);
    }, 180_000);
  }
});
