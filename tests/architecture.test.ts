/**
 * The layering of README.md "Layout", enforced: every import of every product file (src/, models/,
 * samplers/, bin/, notebooks/, scripts/) resolved to its folder and checked against the table
 * (tests/support/layering.ts). A failure lists each offending import with its file, line and the
 * rule it breaks. The checker is itself tested on in-memory files that break each rule once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkImports, importsOf, productFiles, readLayerTable, rowOf, type LayerRow, type SourceFile } from './support/layering.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('the README "Layout" table', () => {
  const rows = readLayerTable(README);

  it('has a row, a layer and a description for every folder it names, and each folder exists', () => {
    expect(rows.length).toBeGreaterThan(20);
    for (const row of rows) expect(existsSync(`${ROOT}${row.folder}`), `${row.folder} (README "Layout") does not exist`).toBe(true);
    const layered = rows.filter((r) => r.layer !== undefined);
    expect(layered.map((r) => r.folder)).toEqual(expect.arrayContaining(['src/tensor', 'src/ppl', 'samplers', 'models/mmm', 'src/inference', 'src/charts', 'src/cli', 'src/index.ts']));
  });

  it('places the folders as stated: tensor at the bottom, models above the ppl contracts, charts below the report and run files', () => {
    const layer = (folder: string) => rows.find((r) => r.folder === folder)?.layer;
    expect(layer('src/tensor')).toBe(0);
    expect(layer('src/ppl')!).toBeLessThan(layer('models/mmm')!);
    expect(layer('samplers')).toBe(layer('models/mmm'));
    expect(layer('models/mmm')!).toBeLessThan(layer('src/inference')!);
    expect(layer('src/analysis')!).toBeLessThan(layer('src/charts')!);
    expect(layer('src/charts')!).toBeLessThan(layer('src/run')!);
    expect(layer('src/run')!).toBeLessThan(layer('src/report')!);
    expect(layer('src/cli')!).toBeLessThan(layer('src/index.ts')!);
    expect(rows.find((r) => r.folder === 'models/mmm')?.entry).toBe('index.ts');
    expect(rows.find((r) => r.folder === 'notebooks')?.only).toEqual(['src/index.ts']);
  });

  it('a malformed table is an error naming README.md, the row and the column', () => {
    const table = (row: string) => `# x\n\n## Layout\n\n| folder | layer | what it is |\n|---|---|---|\n${row}\n`;
    expect(() => readLayerTable('# no layout here\n')).toThrow('README.md: no "## Layout" section');
    expect(() => readLayerTable(table('| `src/a` | two | a |'))).toThrow('README.md: "Layout" table row 1 (src/a): "layer" must be a whole number or "-", got "two"');
    expect(() => readLayerTable(table('| src/a | 1 | a |'))).toThrow('README.md: "Layout" table row 1: "folder" must be one `path`');
    expect(() => readLayerTable(table('| `src/a` | 1 |'))).toThrow('README.md: "Layout" table row 1: 2 cells, the header has 3');
    expect(() => readLayerTable('## Layout\n\n| folder | what it is |\n|---|---|\n| `a` | b |\n')).toThrow('README.md: "Layout" table: no "layer" column');
  });
});

describe('the imports of the product code', () => {
  const rows = readLayerTable(README);
  const files = productFiles(ROOT);

  it('scans every product folder', () => {
    for (const root of ['src/', 'models/', 'samplers/', 'bin/', 'notebooks/', 'scripts/']) {
      expect(files.some((f) => f.path.startsWith(root)), `no files under ${root}`).toBe(true);
    }
    expect(files.reduce((n, f) => n + importsOf(f.path, f.text).length, 0)).toBeGreaterThan(1000);
  });

  it('every product file is in the table and every import follows it', () => {
    const violations = checkImports(rows, files);
    expect(violations.map((v) => v.message), `imports against README "Layout":\n${violations.map((v) => v.message).join('\n')}`).toEqual([]);
  });
});

describe('the import check itself', () => {
  const rows: LayerRow[] = readLayerTable(README);
  const check = (path: string, text: string) => checkImports(rows, [{ path, text }]);

  it('fails a lower layer importing a higher one, naming the file, the import and the rule', () => {
    const wrong: SourceFile = { path: 'src/distributions/wrong.ts', text: "import { analyzeMedia } from '../analysis/index.js';\n" };
    const violations = checkImports(rows, [wrong]);
    expect(violations).toHaveLength(1);
    expect(violations[0].message).toBe(
      "src/distributions/wrong.ts:1 imports '../analysis/index.js' (src/analysis, layer 6): src/distributions (layer 1) may import only lower layers, not src/analysis (layer 6)",
    );
  });

  it('sees every form of import: type-only, re-export, export * as, dynamic, import types, multi-line', () => {
    const text = [
      '/** import { x } from "../../samplers/index.js" in a comment is no import */',
      "import type { MmmFit } from '../mmm/fit.js';",
      "export { writeRun } from '../run/index.js';",
      "export * as report from '../report/index.js';",
      "const cli = await import('../cli/main.js');",
      "type Api = typeof import('../index.js');",
      'import {',
      '  TEXT,',
      "} from '../charts/index.js';",
      "const s = \"import { z } from '../batch/index.js'\";",
    ].join('\n');
    const found = importsOf('src/analysis/x.ts', text);
    expect(found.map((f) => f.specifier)).toEqual(['../mmm/fit.js', '../run/index.js', '../report/index.js', '../cli/main.js', '../index.js', '../charts/index.js']);
    expect(found.map((f) => f.typeOnly)).toEqual([true, false, false, false, true, false]);
    const violations = check('src/analysis/x.ts', text);
    expect(violations.map((v) => `${v.line} ${v.specifier}`)).toEqual(['2 ../mmm/fit.js', '3 ../run/index.js', '4 ../report/index.js', '5 ../cli/main.js', '6 ../index.js', '9 ../charts/index.js']);
  });

  it('fails two folders of one layer importing each other, unless the table allows it', () => {
    expect(check('samplers/x.ts', "import { createGeoMmm } from '../models/mmm/index.js';\n").map((v) => v.rule)).toEqual([
      'samplers and models/mmm are both layer 4: folders of one layer do not import each other (unless the table\'s "may also import" says so)',
    ]);
    expect(check('models/mmm/x.ts', "import { createMediationModel } from '../mediation/index.js';\n")).toHaveLength(1);
    expect(check('models/mediation/x.ts', "import { buildPrior } from '../mmm/index.js';\n")).toEqual([]);
  });

  it('fails an import that bypasses a model family\'s entry point', () => {
    const violations = check('src/analysis/x.ts', "import type { MmmDesign } from '../../models/mmm/design.js';\n");
    expect(violations.map((v) => v.message)).toEqual([
      "src/analysis/x.ts:1 imports '../../models/mmm/design.js' (models/mmm, layer 4): models/mmm is imported only through its entry point models/mmm/index.ts",
    ]);
    expect(check('models/mediation/x.ts', "import { saturate } from '../mmm/transforms.js';\n")).toHaveLength(1);
    expect(check('src/analysis/x.ts', "import { designDims } from '../../models/mmm/index.js';\n")).toEqual([]);
    expect(check('models/mmm/x.ts', "import { designDims } from './design.js';\n")).toEqual([]);
  });

  it('fails tfjs outside src/tensor, notebooks beyond the public API, imports of tests and files outside the table', () => {
    expect(check('src/ppl/x.ts', "import * as tf from '@tensorflow/tfjs';\n").map((v) => v.rule)).toEqual(['only src/tensor imports @tensorflow/* (everything else uses src/tensor)']);
    expect(check('src/tensor/x.ts', "import * as tf from '@tensorflow/tfjs';\n")).toEqual([]);
    expect(check('notebooks/04-x.ts', "import { analyzeMedia } from '../src/analysis/index.js';\n").map((v) => v.rule)).toEqual(['notebooks may import only src/index.ts']);
    expect(check('notebooks/04-x.ts', "import { fitMmm } from '../src/index.js';\nimport { fmt } from './settings.js';\nimport { join } from 'node:path';\n")).toEqual([]);
    expect(check('src/report/x.ts', "import { writeExampleRun } from '../../tests/fixtures/charts/exampleRun.js';\n").map((v) => v.rule)).toEqual([
      'src/report imports nothing from tests: it is not product code',
    ]);
    expect(check('src/nowhere/x.ts', "import { tf } from '../tensor/index.js';\n").map((v) => v.message)).toEqual(['src/nowhere/x.ts: in no folder of the README "Layout" table']);
    expect(check('src/cli/x.ts', "import { x } from '../../../outside.js';\n").map((v) => v.rule)).toEqual(['imports stay inside the folders of the Layout table']);
  });

  it('maps files to rows: a file row before its folder, the longest folder otherwise', () => {
    expect(rowOf(rows, 'src/index.ts')?.folder).toBe('src/index.ts');
    expect(rowOf(rows, 'src/index.js')?.folder).toBe('src/index.ts');
    expect(rowOf(rows, 'models/mmm/fused/likelihoodHost.ts')?.folder).toBe('models/mmm');
    expect(rowOf(rows, 'samplers/adaptation/welford.ts')?.folder).toBe('samplers');
    expect(rowOf(rows, 'src/indexes/x.ts')).toBeUndefined();
  });
});
