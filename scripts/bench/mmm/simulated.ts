/**
 * Data sets of other sizes and seeds from the Stan peer's simulator (../shared/bench/stan/simulate.py,
 * the reference model with realistic true values), for checking that the default fit holds beyond
 * geo-20 (issue 18: G from 5 to 40, 52 to 156 weeks, 3 to 6 channels). A size `sim-GxTxC-seed`
 * runs the simulator as a module with that size added to its table and its output directory set
 * to the OS temp dir (shared/ is read-only, and nothing of it is copied into the project); the CSV
 * and its truth.json are reused when present (the simulator is deterministic).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface SimulatedSize {
  readonly id: string;
  readonly geos: number;
  readonly weeks: number;
  readonly channels: number;
  readonly seed: number;
}

/** `sim-8x104x4-1` -> 8 geos, 104 weeks, 4 channels, seed 1; undefined for other names. */
export function parseSimulatedSize(size: string): SimulatedSize | undefined {
  const match = /^sim-(\d+)x(\d+)x(\d+)-(\d+)$/.exec(size);
  if (!match) return undefined;
  const [geos, weeks, channels, seed] = match.slice(1).map(Number);
  if (geos < 2 || weeks < 20 || channels < 1 || channels > 6) throw new Error(`${size}: needs 2+ geos, 20+ weeks and 1 to 6 channels (the simulator's channel archetypes)`);
  return { id: size, geos, weeks, channels, seed };
}

/** The CSV of a simulated size (written on first use). */
export function simulatedData(shared: string, size: SimulatedSize): string {
  const directory = join(tmpdir(), 'mixwell-simulated');
  const csv = join(directory, `${size.id}.csv`);
  if (existsSync(csv)) return csv;
  mkdirSync(directory, { recursive: true });
  const stanDir = resolve(shared, 'bench', 'stan');
  const program = [
    'import sys',
    `sys.path.insert(0, ${JSON.stringify(stanDir)})`,
    'import simulate',
    `simulate.DATA_DIR = ${JSON.stringify(directory)}`,
    // a distinct seed stream per size and seed: 20230000 + 1000 seed + G
    `simulate.SIZES[${JSON.stringify(size.id)}] = dict(G=${size.geos}, T=${size.weeks}, C=${size.channels}, K=2, seed=${20230000 + 1000 * size.seed + size.geos})`,
    `simulate.main(['simulate.py', ${JSON.stringify(size.id)}])`,
  ].join('\n');
  execFileSync('python3', ['-c', program], { stdio: ['ignore', 'inherit', 'inherit'] });
  return csv;
}
