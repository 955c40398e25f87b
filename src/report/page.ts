/**
 * The self-contained HTML page of a report or inspection: one file with the Vega, Vega-Lite and
 * Vega-Embed scripts inlined from node_modules (no network needed to open it), the chart specs as
 * one JSON block, tables and text. Each chart is drawn by vega-embed as SVG into its container;
 * when all are done the body gets `data-charts-rendered` (count) and `data-charts-failed` (ids), so a
 * headless browser check can wait for them. Text and attributes are escaped by escapeHtml.ts, the
 * specs' JSON and the scripts by scriptJson.ts, so that no `</script>` can end a script block early.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { TEXT, type Chart } from '../charts/index.js';
import { escapeHtml } from './escapeHtml.js';
import { scriptJson, scriptSource } from './scriptJson.js';

const require = createRequire(import.meta.url);

export interface EmbedScripts {
  readonly vega: string;
  readonly vegaLite: string;
  readonly vegaEmbed: string;
}

/** The minified UMD builds of vega, vega-lite and vega-embed from node_modules. */
export function readEmbedScripts(): EmbedScripts {
  const build = (pkg: string, file: string) => readFileSync(join(dirname(require.resolve(pkg)), file), 'utf8');
  return { vega: build('vega', 'vega.min.js'), vegaLite: build('vega-lite', 'vega-lite.min.js'), vegaEmbed: build('vega-embed', 'vega-embed.min.js') };
}

/** A table from header strings and cell HTML (already escaped). */
export function htmlTable(headers: readonly string[], rows: readonly (readonly string[])[], className = ''): string {
  const head = `<tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = rows.map((cells) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table${className ? ` class="${className}"` : ''}><thead>${head}</thead><tbody>\n${body}\n</tbody></table>`;
}

export interface PageSection {
  readonly id: string;
  readonly heading: string;
  /** HTML (already escaped) shown before the charts. */
  readonly html?: string;
  readonly charts?: readonly Chart[];
}

export interface PageInput {
  readonly title: string;
  readonly heading: string;
  /** Lines under the heading (plain text). */
  readonly lines: readonly string[];
  readonly sections: readonly PageSection[];
}

const STYLE = `
body { font-family: Helvetica, Arial, sans-serif; color: #222; margin: 0; background: #fafafa; }
header { background: #fff; border-bottom: 1px solid #ddd; padding: 16px 32px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 2px 0; color: #555; font-size: 13px; }
nav { margin-top: 8px; font-size: 13px; }
nav a { margin-right: 12px; color: #2a5db0; text-decoration: none; }
main { padding: 8px 32px 48px; max-width: 1200px; }
section { background: #fff; border: 1px solid #e3e3e3; border-radius: 4px; margin: 16px 0; padding: 8px 20px 16px; }
h2 { font-size: 18px; margin: 12px 0 8px; }
figure { margin: 16px 0; }
figcaption { font-size: 12px; color: #555; max-width: 820px; margin-top: 4px; }
.chart { min-height: 40px; overflow-x: auto; }
.chart-error { color: #b00020; font-size: 13px; }
table { border-collapse: collapse; font-size: 12px; margin: 8px 0; }
th, td { border-bottom: 1px solid #e5e5e5; padding: 4px 10px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #f3f3f3; }
table.text td, table.text th { text-align: left; max-width: 760px; }
.level-ok { color: #2e7d32; font-weight: bold; }
.level-warning { color: #b26a00; font-weight: bold; }
.level-error { color: #b00020; font-weight: bold; }
pre { background: #f6f6f6; padding: 8px; font-size: 11px; overflow-x: auto; max-height: 420px; }
ul.findings li { font-size: 13px; margin: 2px 0; }
p.note { font-size: 12px; color: #555; }
`;

function embedScript(): string {
  const failed = scriptJson(TEXT.report.chartFailed);
  return `(function () {
  var specs = JSON.parse(document.getElementById('mixwell-specs').textContent);
  var ids = Object.keys(specs);
  var failed = [];
  Promise.all(ids.map(function (id) {
    var el = document.getElementById('chart-' + id);
    return vegaEmbed(el, specs[id], { renderer: 'svg', actions: false }).then(function () { return true; }, function (error) {
      failed.push(id);
      console.error('chart ' + id + ': ' + (error && error.message ? error.message : error));
      el.className += ' chart-error';
      el.textContent = ${failed} + ' ' + (error && error.message ? error.message : error);
      return false;
    });
  })).then(function () {
    document.body.setAttribute('data-charts-failed', failed.join(','));
    document.body.setAttribute('data-charts-rendered', String(ids.length - failed.length));
  });
})();`;
}

export function htmlPage(input: PageInput, scripts: EmbedScripts): string {
  const specs: Record<string, unknown> = {};
  const sections = input.sections.map((section) => {
    const figures = (section.charts ?? []).map((chart) => {
      specs[chart.id] = chart.spec;
      return `<figure><div class="chart" id="chart-${escapeHtml(chart.id)}"></div><figcaption>${escapeHtml(chart.description)}</figcaption></figure>`;
    });
    return `<section id="${escapeHtml(section.id)}"><h2>${escapeHtml(section.heading)}</h2>\n${section.html ?? ''}\n${figures.join('\n')}</section>`;
  });
  const nav = input.sections.map((s) => `<a href="#${escapeHtml(s.id)}">${escapeHtml(s.heading)}</a>`).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${STYLE}</style>
<script>${scriptSource(scripts.vega)}</script>
<script>${scriptSource(scripts.vegaLite)}</script>
<script>${scriptSource(scripts.vegaEmbed)}</script>
</head>
<body>
<header><h1>${escapeHtml(input.heading)}</h1>
${input.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
<nav>${nav}</nav>
<noscript><p>${escapeHtml(TEXT.report.noScript)}</p></noscript>
</header>
<main>
${sections.join('\n')}
</main>
<script type="application/json" id="mixwell-specs">${scriptJson(specs)}</script>
<script>${embedScript()}</script>
</body>
</html>
`;
}
