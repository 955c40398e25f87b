/**
 * The layering of the code as README.md "Layout" states it, and a check of imports against it.
 * The Layout table has one row per folder (or file): its layer number ("-" for folders outside the
 * layers: tests, data, records), the one file other folders must import it through (entry point),
 * the folders it may import besides lower layers ("may also import"; "only X" restricts it to X),
 * and what it is. The rules: a file imports its own folder freely; another folder only if that
 * folder's layer is lower (never the same layer, never a higher one) or the row allows it; a folder
 * with an entry point only through that file; nothing outside the table; and only `src/tensor`
 * imports `@tensorflow/*`. Imports are read with TypeScript's parser: `import` and `export ... from`
 * (type-only ones too), `import()` and `import('x')` types with a literal specifier.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import ts from 'typescript';

export interface LayerRow {
  /** Folder (`src/analysis`, `samplers`) or file (`src/index.ts`), repo-relative, no trailing slash. */
  readonly folder: string;
  /** Layer number; undefined for folders outside the layers ("-"). */
  readonly layer: number | undefined;
  /** File other folders must import this one through (e.g. `index.ts`). */
  readonly entry?: string;
  /** Folders (or files) this one may import besides lower layers. */
  readonly also: readonly string[];
  /** With "only": the folders (or files) this one may import, whatever their layer. */
  readonly only?: readonly string[];
  readonly what: string;
}

export interface ImportRef {
  readonly specifier: string;
  /** 1-based line of the import. */
  readonly line: number;
  readonly typeOnly: boolean;
}

export interface SourceFile {
  /** Repo-relative path with forward slashes. */
  readonly path: string;
  readonly text: string;
}

export interface Violation {
  readonly file: string;
  readonly line: number;
  readonly specifier: string;
  /** The rule the import runs against, in words. */
  readonly rule: string;
  /** `file:line imports 'specifier' (target): rule` */
  readonly message: string;
}

/** The folders whose files are product code, scanned by the check. */
export const PRODUCT_ROOTS = ['src', 'models', 'samplers', 'bin', 'notebooks', 'scripts'] as const;

const CODE_FILE = /\.(ts|mts|js|mjs)$/;

function stripExtension(path: string): string {
  return path.replace(/\.(ts|mts|js|mjs|d\.ts)$/, '');
}

/** Backticked names in a table cell. */
function codeNames(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1].replace(/\/$/, ''));
}

/**
 * The rows of the first table after the "## Layout" heading. Errors name the source, the table row
 * and the column that is wrong.
 */
export function readLayerTable(readme: string, source = 'README.md'): LayerRow[] {
  const lines = readme.split(/\r?\n/);
  const heading = lines.findIndex((line) => /^##\s+Layout\s*$/.test(line));
  if (heading < 0) throw new Error(`${source}: no "## Layout" section (the layer table lives there)`);
  let start = heading + 1;
  while (start < lines.length && !lines[start].trimStart().startsWith('|')) {
    if (/^##\s/.test(lines[start])) throw new Error(`${source}: the "Layout" section has no table`);
    start++;
  }
  if (start >= lines.length) throw new Error(`${source}: the "Layout" section has no table`);
  const tableLines: string[] = [];
  for (let i = start; i < lines.length && lines[i].trimStart().startsWith('|'); i++) tableLines.push(lines[i]);
  const cells = (line: string) => line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
  const header = cells(tableLines[0]).map((h) => h.toLowerCase());
  const column = (name: string, required: boolean): number => {
    const index = header.indexOf(name);
    if (index < 0 && required) throw new Error(`${source}: "Layout" table: no "${name}" column (columns: ${header.join(', ')})`);
    return index;
  };
  const folderColumn = column('folder', true);
  const layerColumn = column('layer', true);
  const entryColumn = column('entry point', false);
  const alsoColumn = column('may also import', false);
  const whatColumn = column('what it is', true);
  const rows: LayerRow[] = [];
  tableLines.slice(2).forEach((line, i) => {
    const at = `${source}: "Layout" table row ${i + 1}`;
    const row = cells(line);
    if (row.length !== header.length) throw new Error(`${at}: ${row.length} cells, the header has ${header.length}`);
    const folders = codeNames(row[folderColumn]);
    if (folders.length !== 1) throw new Error(`${at}: "folder" must be one \`path\`, got "${row[folderColumn]}"`);
    const folder = folders[0];
    const layerText = row[layerColumn];
    let layer: number | undefined;
    if (/^[-–—]$/.test(layerText)) layer = undefined;
    else if (/^\d+$/.test(layerText)) layer = Number(layerText);
    else throw new Error(`${at} (${folder}): "layer" must be a whole number or "-", got "${layerText}"`);
    const entryNames = entryColumn >= 0 ? codeNames(row[entryColumn]) : [];
    if (entryNames.length > 1) throw new Error(`${at} (${folder}): "entry point" names at most one file, got "${row[entryColumn]}"`);
    const alsoText = alsoColumn >= 0 ? row[alsoColumn] : '';
    const alsoNames = codeNames(alsoText);
    const restricted = /^only\b/i.test(alsoText);
    if (restricted && alsoNames.length === 0) throw new Error(`${at} (${folder}): "only" names no folder`);
    const what = row[whatColumn];
    if (what === '') throw new Error(`${at} (${folder}): "what it is" is empty`);
    if (rows.some((r) => r.folder === folder)) throw new Error(`${at}: ${folder} has two rows`);
    rows.push({
      folder,
      layer,
      ...(entryNames.length === 1 ? { entry: entryNames[0] } : {}),
      also: restricted ? [] : alsoNames,
      ...(restricted ? { only: alsoNames } : {}),
      what,
    });
  });
  if (rows.length === 0) throw new Error(`${source}: the "Layout" table has no rows`);
  for (const row of rows) {
    for (const name of [...row.also, ...(row.only ?? [])]) {
      if (!rows.some((r) => r.folder === name)) throw new Error(`${source}: "Layout" table, ${row.folder}: "may also import" names ${name}, which has no row`);
    }
  }
  return rows;
}

/** Every import of a file: static and re-exports (type-only too), `import()` and import types with a literal specifier. */
export function importsOf(path: string, text: string): ImportRef[] {
  const kind = /\.(js|mjs)$/.test(path) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
  const found: ImportRef[] = [];
  const add = (literal: ts.Node, specifier: string, typeOnly: boolean) =>
    found.push({ specifier, line: file.getLineAndCharacterOfPosition(literal.getStart(file)).line + 1, typeOnly });
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier, node.moduleSpecifier.text, node.importClause?.isTypeOnly ?? false);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier, node.moduleSpecifier.text, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) add(argument, argument.text, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal, node.argument.literal.text, true);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      add(node.moduleReference.expression, node.moduleReference.expression.text, node.isTypeOnly);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** The row a repo-relative path belongs to: a file row naming it, else the longest folder row containing it. */
export function rowOf(rows: readonly LayerRow[], path: string): LayerRow | undefined {
  const fileRow = rows.find((row) => CODE_FILE.test(row.folder) && stripExtension(row.folder) === stripExtension(path));
  if (fileRow) return fileRow;
  const folders = rows.filter((row) => !CODE_FILE.test(row.folder) && path.startsWith(`${row.folder}/`));
  return folders.sort((a, b) => b.folder.length - a.folder.length)[0];
}

function describeRow(row: LayerRow): string {
  return row.layer === undefined ? `${row.folder}, outside the layers` : `${row.folder}, layer ${row.layer}`;
}

/** The layer rule an import from `from` to another folder `to` runs against (undefined when it is allowed). */
function brokenLayerRule(from: LayerRow, to: LayerRow): string | undefined {
  if (to.layer === undefined) return `${from.folder} imports nothing from ${to.folder}: it is not product code`;
  if (from.only) return from.only.includes(to.folder) ? undefined : `${from.folder} may import only ${from.only.join(', ')}`;
  if (from.also.includes(to.folder) || from.layer === undefined || to.layer < from.layer) return undefined;
  if (to.layer === from.layer) return `${from.folder} and ${to.folder} are both layer ${from.layer}: folders of one layer do not import each other (unless the table's "may also import" says so)`;
  return `${from.folder} (layer ${from.layer}) may import only lower layers, not ${to.folder} (layer ${to.layer})`;
}

/** The rule an import from `from` of `target` (a path in `to`) runs against (undefined when it is allowed). */
function brokenRule(from: LayerRow, to: LayerRow, target: string): string | undefined {
  if (from === to) return undefined;
  const layerRule = brokenLayerRule(from, to);
  if (layerRule) return layerRule;
  if (to.entry !== undefined && stripExtension(target) !== stripExtension(`${to.folder}/${to.entry}`)) {
    return `${to.folder} is imported only through its entry point ${to.folder}/${to.entry}`;
  }
  return undefined;
}

/** Every import of `files` that runs against the table. */
export function checkImports(rows: readonly LayerRow[], files: readonly SourceFile[]): Violation[] {
  const violations: Violation[] = [];
  const push = (file: string, ref: ImportRef, target: string, rule: string) =>
    violations.push({ file, line: ref.line, specifier: ref.specifier, rule, message: `${file}:${ref.line} imports '${ref.specifier}' (${target}): ${rule}` });
  for (const file of files) {
    const from = rowOf(rows, file.path);
    if (!from) {
      violations.push({ file: file.path, line: 0, specifier: '', rule: 'every product file is in a folder of the Layout table', message: `${file.path}: in no folder of the README "Layout" table` });
      continue;
    }
    for (const ref of importsOf(file.path, file.text)) {
      const { specifier } = ref;
      if (specifier.startsWith('.')) {
        const target = posix.normalize(posix.join(posix.dirname(file.path), specifier));
        const to = target.startsWith('..') ? undefined : rowOf(rows, target);
        if (!to) {
          push(file.path, ref, target, 'imports stay inside the folders of the Layout table');
          continue;
        }
        const rule = brokenRule(from, to, target);
        if (rule) push(file.path, ref, describeRow(to), rule);
      } else if (specifier.startsWith('@tensorflow/') && from.folder !== 'src/tensor') {
        push(file.path, ref, 'package', 'only src/tensor imports @tensorflow/* (everything else uses src/tensor)');
      }
    }
  }
  return violations;
}

/** The product files under `root` (PRODUCT_ROOTS; not node_modules, not generated notebooks/out). */
export function productFiles(root: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name === 'node_modules' || entry.name.startsWith('.') || path === 'notebooks/out') continue;
        walk(path);
      } else if (CODE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        out.push({ path, text: readFileSync(join(root, path), 'utf8') });
      }
    }
  };
  for (const dir of PRODUCT_ROOTS) walk(dir);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
