/**
 * Mixwell's own version, read from its package.json: the nearest one named "mixwell" above this
 * module, so the same code finds it when run from source (src/config/ -> ../../package.json) and from
 * the built package (dist/src/config/ -> ../../../package.json).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageVersion(): string {
  if (cached !== undefined) return cached;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'mixwell' && typeof pkg.version === 'string') return (cached = pkg.version);
    }
    if (dirname(dir) === dir) throw new Error(`mixwell's package.json not found above ${start}`);
  }
}
