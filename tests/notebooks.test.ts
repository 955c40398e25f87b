/**
 * The notebooks (notebooks/*.ts) are walkthroughs of the public API, so they may import only
 * '../src/index.js', Node's built-ins ('node:...') and each other ('./x.js', files of notebooks/);
 * nothing else from src/, models/ or samplers/, and no other package. A static check of every
 * import (static, re-export, dynamic and require) with TypeScript's own pre-processor: nothing is
 * run or fitted. Also: every notebook NN-name.ts opens with a comment saying what it shows and
 * takes its sampler budget from the environment (notebooks/settings.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const DIR = fileURLToPath(new URL('../notebooks/', import.meta.url));
const files = readdirSync(DIR).filter((f) => f.endsWith('.ts')).sort();
const notebooks = files.filter((f) => /^\d\d-.+\.ts$/.test(f));

/** Every module specifier a file imports: import/export ... from, import(), require(). */
function importsOf(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

/** Why a specifier is not allowed in a notebook (undefined when it is). */
function forbidden(specifier: string): string | undefined {
  if (specifier === '../src/index.js') return undefined;
  if (specifier.startsWith('node:')) return undefined;
  const local = /^\.\/([A-Za-z0-9_-]+)\.js$/.exec(specifier);
  if (local) return files.includes(`${local[1]}.ts`) ? undefined : `${specifier} is not a file of notebooks/`;
  return `${specifier} is neither the public API (../src/index.js), a Node built-in (node:...) nor a notebooks/ file`;
}

describe('notebooks', () => {
  it('there are the three walkthroughs', () => {
    expect(notebooks).toEqual(['01-national.ts', '02-geo-pooling.ts', '03-budget.ts']);
  });

  it('the import check itself sees every form of import', () => {
    const sample = [
      "import { a } from '../src/index.js';",
      "import type { B } from '../src/mmm/fit.js';",
      "export { c } from '../models/mmm/config.js';",
      "const d = await import('../samplers/index.js');",
      "const e = require('vega');",
      "import './settings.js';",
    ].join('\n');
    const found = importsOf(sample);
    expect(found).toEqual(['../src/index.js', '../src/mmm/fit.js', '../models/mmm/config.js', '../samplers/index.js', 'vega', './settings.js']);
    expect(found.map(forbidden).map((why) => why === undefined)).toEqual([true, false, false, false, false, true]);
  });

  for (const file of files) {
    it(`${file} imports only the public API, node: built-ins and notebooks/ files`, () => {
      const source = readFileSync(join(DIR, file), 'utf8');
      const imports = importsOf(source);
      expect(imports.length, 'no imports found: the check would be vacuous').toBeGreaterThan(0);
      expect(imports.map((s) => forbidden(s)).filter((why) => why !== undefined)).toEqual([]);
    });
  }

  for (const file of notebooks) {
    it(`${file} says what it shows, uses the public API and reads its settings from the environment`, () => {
      const source = readFileSync(join(DIR, file), 'utf8');
      expect(source.startsWith('/**\n * Notebook ')).toBe(true);
      expect(importsOf(source)).toContain('../src/index.js');
      expect(source).toMatch(/notebookSettings\('[^']+'\)/);
      expect(source).toContain(`notebookSettings('${file.replace(/\.ts$/, '')}')`);
    });
  }

  it('settings come from MIXWELL_NOTEBOOK_* variables with small defaults', () => {
    const source = readFileSync(join(DIR, 'settings.ts'), 'utf8');
    for (const name of ['MIXWELL_NOTEBOOK_DRAWS', 'MIXWELL_NOTEBOOK_WARMUP', 'MIXWELL_NOTEBOOK_CHAINS', 'MIXWELL_NOTEBOOK_SEED', 'MIXWELL_NOTEBOOK_OUT']) expect(source).toContain(name);
  });
});
