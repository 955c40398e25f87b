/**
 * The pages' escaping helpers: HTML text and attributes (src/report/escapeHtml.ts), JSON and
 * script sources inside a <script> element (src/report/scriptJson.ts), and a page built by
 * htmlPage with hostile names in its title, lines, tables and chart specs: the names come back
 * as text, and the spec block parses back to the specs.
 */
import { describe, expect, it } from 'vitest';
import { escapeHtml, htmlPage, htmlTable, scriptJson, scriptSource } from '../src/report/index.js';
import { MARKUP_NAMES } from './support/hostileNames.js';

/** What an HTML parser makes of escaped text: the five references back to their characters. */
const unescape = (html: string) => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

describe('escapeHtml', () => {
  it('turns the five characters that end text or an attribute into references, nothing else', () => {
    expect(escapeHtml(`<a href="x" title='y'>R&D</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;R&amp;D&lt;/a&gt;');
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
    expect(escapeHtml('ventes été 😀 ${x} a.b a[0]  padded ')).toBe('ventes été 😀 ${x} a.b a[0]  padded ');
  });

  it('round-trips every hostile name, and leaves no markup character in it', () => {
    for (const name of MARKUP_NAMES) {
      const escaped = escapeHtml(name);
      expect(escaped).not.toMatch(/[<>"']/);
      expect(escaped.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
      expect(unescape(escaped)).toBe(name);
    }
  });
});

describe('scriptJson and scriptSource', () => {
  it('JSON with no "<" at all (so no </script> and no <!--), line separators escaped, parsing back to the value', () => {
    const value = { names: [...MARKUP_NAMES, '<!-- x -->', 'a\u2028b\u2029c', '</SCRIPT >'], nested: { '</script>': 1 } };
    const json = scriptJson(value);
    expect(json).not.toContain('<');
    expect(json).not.toMatch(/[\u2028\u2029]/);
    expect(json).toContain('\\u003c/script>');
    expect(JSON.parse(json)).toEqual(value);
  });

  it('script source with its </script sequences broken, in any case', () => {
    expect(scriptSource('a("</script>"); b("</SCRIPT>"); c("<scripts>")')).toBe('a("<\\/script>"); b("<\\/SCRIPT>"); c("<scripts>")');
  });
});

describe('a page with hostile names', () => {
  it('shows them as text in the title, lines and tables, and holds them in the spec block', () => {
    const name = '</script><script>alert(1)</script>';
    const spec = { $schema: 'x', data: { values: MARKUP_NAMES.map((channel) => ({ channel })) } };
    const page = htmlPage(
      {
        title: `report of ${name}`,
        heading: 'h',
        lines: MARKUP_NAMES.map((n) => `line ${n}`),
        sections: [{ id: 'roi', heading: `<b>${name}</b>`, html: htmlTable([name, ...MARKUP_NAMES], [MARKUP_NAMES.map(escapeHtml)]), charts: [{ id: 'c', title: name, description: name, spec }] }],
      },
      { vega: '/* vega */', vegaLite: '/* vega-lite */', vegaEmbed: '/* vega-embed */' },
    );
    // the only script elements are the page's own five; no name opened an element
    expect(page.match(/<script/g)).toHaveLength(5);
    expect(page).not.toContain('<img');
    for (const n of MARKUP_NAMES) if (/[<>&"']/.test(n)) expect(page.includes(n), n).toBe(false);
    expect(page).toContain(`<title>report of ${escapeHtml(name)}</title>`);
    for (const n of MARKUP_NAMES) expect(page).toContain(`<p>line ${escapeHtml(n)}</p>`);
    const block = /<script type="application\/json" id="mixwell-specs">([^<]*)<\/script>/.exec(page);
    expect(block).not.toBeNull();
    expect(JSON.parse(block![1])).toEqual({ c: spec });
  });
});
