/**
 * The npm package's manifest, checked without building or packing (that is `npm run
 * check:package`): package.json's entry points, command and files name what tsconfig.build.json
 * and scripts/build.ts produce; tsx is a development tool only; no `overrides` (a consumer
 * installing the tarball would not get them); the source loads no .ts file by URL at run time, so
 * the built JavaScript finds everything it loads.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assetFiles } from '../scripts/build.js';
import { packageVersion } from '../src/config/packageVersion.js';

const ROOT = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const buildConfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8'));
const FOLDERS = ['src', 'models', 'samplers'];

/** The source file tsc compiles to a dist path (dist/src/index.js, .d.ts -> src/index.ts). */
function sourceOf(distPath: string): string {
  expect(distPath, `${distPath} is not under dist/`).toMatch(/^(\.\/)?dist\//);
  return distPath.replace(/^(\.\/)?dist\//, '').replace(/\.(d\.ts|js)$/, '.ts');
}

function exists(path: string): boolean {
  try {
    readFileSync(join(ROOT, path));
    return true;
  } catch {
    return false;
  }
}

/** A module's text without its comments (examples in doc comments are not loads). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(`${dir}/${e.name}`) : [`${dir}/${e.name}`]));
}

describe('the build (tsconfig.build.json)', () => {
  it('compiles src, models and samplers to dist/ with the layout dist/<folder>, declarations and source maps', () => {
    expect(buildConfig.extends).toBe('./tsconfig.json');
    expect(buildConfig.include).toEqual(FOLDERS);
    expect(buildConfig.compilerOptions).toMatchObject({ noEmit: false, rootDir: '.', outDir: 'dist', declaration: true, declarationMap: true, sourceMap: true });
    expect(pkg.scripts.build).toBe('tsx scripts/build.ts');
    expect(pkg.scripts.prepack).toBe('npm run build');
    expect(pkg.scripts['check:package']).toBe('tsx scripts/check-package.ts');
  });

  it('copies the non-TypeScript files the code loads (the worker-thread bootstrap)', () => {
    expect(assetFiles()).toContain('src/inference/workerBootstrap.mjs');
    expect(assetFiles().filter((f) => f.endsWith('.ts') || f.endsWith('.md'))).toEqual([]);
  });
});

describe('package.json', () => {
  it('exports the public API (src/index.ts) and its types, and package.json; nothing deeper', () => {
    expect(Object.keys(pkg.exports)).toEqual(['.', './package.json']);
    expect(pkg.exports['.']).toEqual({ types: './dist/src/index.d.ts', import: './dist/src/index.js' });
    expect(Object.keys(pkg.exports['.'])[0]).toBe('types');
    expect(pkg.exports['./package.json']).toBe('./package.json');
    expect(pkg.main).toBe(pkg.exports['.'].import);
    expect(pkg.types).toBe(pkg.exports['.'].types);
    for (const path of [pkg.main, pkg.types]) expect(exists(sourceOf(path)), `${path}: no ${sourceOf(path)}`).toBe(true);
    expect(pkg.type).toBe('module');
  });

  it('the mixwell command is the compiled src/cli/bin.ts, a node script', () => {
    expect(pkg.bin).toEqual({ mixwell: 'dist/src/cli/bin.js' });
    const source = readFileSync(join(ROOT, sourceOf(pkg.bin.mixwell)), 'utf8');
    expect(source.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(code(source)).not.toMatch(/['"]tsx/);
  });

  it('packs only the build, the examples and the README: no tests, bench, scripts or notebooks', () => {
    expect(pkg.files).toEqual(['dist/src', 'dist/models', 'dist/samplers', 'examples', 'README.md']);
    for (const folder of FOLDERS) expect(pkg.files).toContain(`dist/${folder}`);
    for (const entry of pkg.files as string[]) expect(entry).not.toMatch(/test|bench|scripts|notebooks|scratch|^src|^models|^samplers|^dist$/);
    expect(exists('examples/geo.csv') && exists('examples/geo.config.json')).toBe(true);
  });

  it('tsx is a development dependency only; no overrides; flechette pinned directly', () => {
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies']) expect(pkg[field]?.tsx, `tsx in ${field}`).toBeUndefined();
    expect(pkg.devDependencies.tsx).toBeDefined();
    expect(pkg.devDependencies.typescript).toBeDefined();
    expect(pkg.overrides).toBeUndefined();
    expect(pkg.resolutions).toBeUndefined();
    // arquero's range (^2.0.0) would take flechette 2.7.0, whose dependency @uwdata/wk-geojson the
    // registry lacks; an exact direct dependency is hoisted and satisfies arquero's range.
    expect(pkg.dependencies['@uwdata/flechette']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.dependencies.arquero).toBeDefined();
  });

  it('the version the CLI and provenance report is package.json\'s', () => {
    expect(packageVersion()).toBe(pkg.version);
  });
});

describe('what the built code loads at run time', () => {
  const files = FOLDERS.flatMap(sourceFiles).filter((f) => /\.(ts|mjs)$/.test(f));

  it('no module loads a .ts file or a file outside the build by a literal URL', () => {
    const offenders: string[] = [];
    for (const file of files) {
      const text = code(readFileSync(join(ROOT, file), 'utf8'));
      for (const m of text.matchAll(/new URL\(\s*(['"`])([^'"`]+)\1\s*,\s*import\.meta\.url/g)) {
        const target = m[2];
        if (target.endsWith('.ts') || target.includes('package.json') || !target.startsWith('.')) offenders.push(`${file}: ${target}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('tsx is loaded only when running from source (.ts), in the two places that start workers', () => {
    const users = files.filter((file) => /['"]tsx(\/[^'"]*)?['"]/.test(code(readFileSync(join(ROOT, file), 'utf8'))));
    expect(users.sort()).toEqual(['src/batch/workerProcess.ts', 'src/inference/workerBootstrap.mjs']);
    expect(readFileSync(join(ROOT, 'src/batch/workerProcess.ts'), 'utf8')).toMatch(/FROM_SOURCE \? \['--import'/);
    expect(readFileSync(join(ROOT, 'src/inference/workerBootstrap.mjs'), 'utf8')).toMatch(/if \(entry\.endsWith\('\.ts'\)\) \{\n\s*const \{ register \} = await import\('tsx\/esm\/api'\)/);
  });
});
