/**
 * What every notebook shares: the sampler budget read from the environment (small defaults, so the
 * three notebooks together run in a few minutes on two cores), a fresh output folder
 * notebooks/out/<name>/, and `say`, which prints a line of the narrative and keeps it in
 * <out>/narrative.txt. Like the notebooks, this file uses nothing but the public API and Node.
 *
 *   MIXWELL_NOTEBOOK_DRAWS    draws per chain after warmup (default 100)
 *   MIXWELL_NOTEBOOK_WARMUP   warmup iterations per chain (default: the draws, at least 100)
 *   MIXWELL_NOTEBOOK_CHAINS   chains (default 2)
 *   MIXWELL_NOTEBOOK_SEED     sampler seed (default 1)
 *   MIXWELL_NOTEBOOK_OUT      output root (default notebooks/out)
 *
 * The defaults are for a quick walk-through, not for conclusions: the health check will say so.
 * For real use set e.g. MIXWELL_NOTEBOOK_DRAWS=1000 MIXWELL_NOTEBOOK_CHAINS=4.
 */
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (examples/ lives there), whatever the working directory. */
export const ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface NotebookSettings {
  readonly chains: number;
  readonly warmup: number;
  readonly draws: number;
  readonly seed: number;
  /** notebooks/out/<name>/, emptied at the start. */
  readonly out: string;
  /** Print a line of the narrative and append it to <out>/narrative.txt. */
  readonly say: (...lines: string[]) => void;
}

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

export function notebookSettings(name: string): NotebookSettings {
  const draws = positiveInteger('MIXWELL_NOTEBOOK_DRAWS', 100);
  const warmup = positiveInteger('MIXWELL_NOTEBOOK_WARMUP', Math.max(draws, 100));
  const chains = positiveInteger('MIXWELL_NOTEBOOK_CHAINS', 2);
  const seed = positiveInteger('MIXWELL_NOTEBOOK_SEED', 1);
  const out = join(process.env.MIXWELL_NOTEBOOK_OUT || join(ROOT, 'notebooks', 'out'), name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const narrative = join(out, 'narrative.txt');
  const say = (...lines: string[]) => {
    for (const line of lines) {
      console.log(line);
      appendFileSync(narrative, line + '\n');
    }
  };
  return { chains, warmup, draws, seed, out, say };
}

/** A plain-text table: first column left-aligned, the rest right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/** 3 significant digits, thousands separated. */
export function fmt(x: number | undefined, digits = 3): string {
  return x === undefined || !Number.isFinite(x) ? '-' : Number(x.toPrecision(digits)).toLocaleString('en-US');
}
