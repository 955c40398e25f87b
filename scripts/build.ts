/**
 * `npm run build`: the package's JavaScript. Empties dist/, compiles src, models and samplers with
 * tsconfig.build.json (JS, .d.ts, source maps; layout dist/src, dist/models, dist/samplers), copies
 * the non-TypeScript files the code loads at run time (every file of those folders that is neither
 * .ts nor .md, e.g. src/inference/workerBootstrap.mjs) and makes the command (dist/src/cli/bin.js)
 * executable. Also run by `prepack`, so `npm pack` always packs a fresh build.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const SOURCE_FOLDERS = ['src', 'models', 'samplers'];
export const BIN = 'dist/src/cli/bin.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/** The run-time assets: files of the compiled folders that tsc does not emit (not .ts, not docs). */
export function assetFiles(root = ROOT): string[] {
  return SOURCE_FOLDERS.flatMap((folder) => filesUnder(join(root, folder)))
    .filter((path) => !path.endsWith('.ts') && !path.endsWith('.md'))
    .map((path) => relative(root, path).split(sep).join('/'));
}

export function build(): void {
  const started = Date.now();
  rmSync(DIST, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed (exit ${result.status ?? result.signal})`);
  const assets = assetFiles();
  for (const asset of assets) {
    const target = join(DIST, asset);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(ROOT, asset), target);
  }
  const bin = join(ROOT, BIN);
  if (!existsSync(bin)) throw new Error(`${BIN} was not produced by the build`);
  chmodSync(bin, 0o755);
  // stderr: `npm pack --json` runs this through prepack, and its stdout is the pack's JSON.
  console.error(`build: dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s (assets: ${assets.join(', ') || 'none'})`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) build();
