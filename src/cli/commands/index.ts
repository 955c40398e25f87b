/**
 * The registry of CLI commands: name -> { usage, run(argv) }. Each command lives in its own file in
 * this folder and throws UsageError for bad arguments; it is imported only when it runs, so
 * `mixwell --help` and `mixwell <command> --help` load no command (and no tfjs): the usage lines
 * are in usage.ts.
 */
import { USAGE } from './usage.js';

export interface Command {
  readonly usage: string;
  run(argv: readonly string[]): Promise<void>;
}

type Name = keyof typeof USAGE;

const LOADERS: Readonly<Record<Name, () => Promise<{ run(argv: readonly string[]): Promise<void> }>>> = {
  fit: () => import('./fit.js'),
  summary: () => import('./summary.js'),
  report: () => import('./report.js'),
  inspect: () => import('./inspect.js'),
  optimize: () => import('./optimize.js'),
  scenario: () => import('./scenario.js'),
  mediation: () => import('./mediation.js'),
  compare: () => import('./compare.js'),
  batch: () => import('./batch.js'),
  worker: () => import('./worker.js'),
};

export const COMMANDS: Readonly<Record<string, Command>> = Object.fromEntries(
  (Object.keys(LOADERS) as Name[]).map((name) => [name, { usage: USAGE[name], run: async (argv: readonly string[]) => (await LOADERS[name]()).run(argv) }]),
);
