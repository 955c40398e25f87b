/**
 * Test support for user names that try to break a page or a chart: the names, and checks on what
 * the pages and charts make of them: the expressions of a compiled Vega spec (a name must never be
 * inside one), the fields of a Vega-Lite spec (a name must never be one), and a small XML reader
 * for the SVG files (well-formed, element names, the decoded text and attribute values).
 */
import { compileSpec, type ChartSpec } from '../../src/charts/index.js';

/** Markup, script-ending, JSON-breaking, field-path, quoting and template names (issue 21's list). */
export const MARKUP_NAMES = [
  '<img src=x onerror=alert(1)>',
  '</script><script>alert(1)</script>',
  '"}]},{"mark":"text"',
  'a.b',
  'a[0]',
  `it's "quoted"`,
  '${x}',
  'R&D <b>&amp;</b>',
  'ventes été 😀',
  '  padded ',
] as const;

/**
 * Names Vega's expression parser cannot hold as string literals: "if" and Object.prototype
 * members are read as identifiers, a raw U+2028 or U+2029 is an illegal token (src/charts/names.ts).
 * ("__proto__" is one too, but the data layer refuses it: src/data/csv.ts UNUSABLE_NAME.)
 */
export const EXPRESSION_NAMES = ['if', 'constructor', 'toString', 'valueOf', 'a\u2028b', 'c\u2029d'] as const;

/** Every expression of a compiled Vega spec: formulas, filters, signals, tests. */
export function vegaExpressions(vegaSpec: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown, key: string) => {
    if (typeof node === 'string') {
      if (['expr', 'signal', 'test', 'update', 'init', 'labelExpr'].includes(key)) found.push(node);
    } else if (Array.isArray(node)) {
      node.forEach((item) => walk(item, key));
    } else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) if (k !== 'values') walk(v, k);
    }
  };
  walk(vegaSpec, '');
  return found;
}

/** A name as a string literal in an expression: double-quoted as JSON (U+2028/U+2029 raw or escaped) or single-quoted. */
function literals(name: string): string[] {
  const json = JSON.stringify(name);
  return [json, json.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029'), `'${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`];
}

/** The expressions of a Vega-Lite spec's compiled Vega spec that hold one of `names` as a string literal. */
export function namesInExpressions(spec: ChartSpec, names: readonly string[]): string[] {
  const forms = names.flatMap(literals);
  return vegaExpressions(compileSpec(spec).vega).filter((e) => forms.some((form) => e.includes(form)));
}

/** Every `field` of a Vega-Lite spec (encodings, facets, sorts), its inline data left out. */
export function specFields(spec: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown, key: string) => {
    if (typeof node === 'string') {
      if (key === 'field') found.push(node);
    } else if (Array.isArray(node)) {
      node.forEach((item) => walk(item, key));
    } else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) if (k !== 'data') walk(v, k);
    }
  };
  walk(spec, '');
  return found;
}

export interface XmlReading {
  /** Why the text is not well-formed XML (empty when it is). */
  readonly problems: string[];
  /** Element names, in document order. */
  readonly elements: string[];
  /** Text nodes and attribute values, character references decoded. */
  readonly texts: string[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string, problems: string[]): string {
  return text.replace(/&([^;\s]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) problems.push(`bare & in ${JSON.stringify(text.slice(0, 60))}`);
    else if (name.startsWith('#x') && /^#x[0-9a-f]+$/i.test(name)) return String.fromCodePoint(parseInt(name.slice(2), 16));
    else if (/^#\d+$/.test(name)) return String.fromCodePoint(Number(name.slice(1)));
    else if (Object.prototype.hasOwnProperty.call(ENTITIES, name)) return ENTITIES[name];
    else problems.push(`unknown reference ${whole}`);
    return whole;
  });
}

/** Read an XML document (an SVG file): well-formedness, element names, decoded texts. */
export function readXml(xml: string): XmlReading {
  const problems: string[] = [];
  const elements: string[] = [];
  const texts: string[] = [];
  const open: string[] = [];
  const token = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<\/([A-Za-z_][\w.:-]*)\s*>|<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|<|[^<]+/gy;
  const attribute = /\s+([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/g;
  let match: RegExpExecArray | null;
  let roots = 0;
  while ((match = token.exec(xml)) !== null) {
    const [whole, cdata, close, name, attributes, selfClosing] = match;
    if (whole === '<') {
      problems.push(`unescaped < or malformed tag at ${match.index}: ${JSON.stringify(xml.slice(match.index, match.index + 60))}`);
    } else if (close !== undefined) {
      const top = open.pop();
      if (top !== close) problems.push(`</${close}> closes <${top ?? 'nothing'}> at ${match.index}`);
    } else if (name !== undefined) {
      if (open.length === 0) roots++;
      elements.push(name);
      const seen = new Set<string>();
      for (const a of (attributes ?? '').matchAll(attribute)) {
        if (seen.has(a[1])) problems.push(`attribute ${a[1]} twice on <${name}>`);
        seen.add(a[1]);
        texts.push(decode(a[2] ?? a[3] ?? '', problems));
      }
      if (!selfClosing) open.push(name);
    } else if (cdata !== undefined) {
      texts.push(cdata);
    } else if (!whole.startsWith('<')) {
      if (open.length === 0 && whole.trim() !== '') problems.push(`text outside the root element: ${JSON.stringify(whole.slice(0, 60))}`);
      texts.push(decode(whole, problems));
    }
  }
  if (open.length > 0) problems.push(`unclosed elements: ${open.join(', ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return { problems, elements, texts };
}
