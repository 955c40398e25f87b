/**
 * The registry of CLI commands: name -> { spec, run(argv) }. Each command lives in its own file in
 * this folder, parses its arguments with its option table (../tables/, through ../args.ts) and
 * throws UsageError for bad arguments; it is imported only when it runs, so `mixwell --help` and
 * `mixwell <command> --help` load no command (and no tfjs): the tables import nothing.
 */
import { TABLES, type CommandName, type CommandSpec } from '../tables/index.js';

export interface Command {
  readonly spec: CommandSpec;
  /** Resolves to the exit code when it is not 0 (e.g. 130 for a fit stopped by Ctrl-C). */
  run(argv: readonly string[]): Promise<number | void>;
}

const LOADERS: Readonly<Record<CommandName, () => Promise<{ run(argv: readonly string[]): Promise<number | void> }>>> = {
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
  (Object.keys(TABLES) as CommandName[]).map((name) => [name, { spec: TABLES[name], run: async (argv: readonly string[]) => (await LOADERS[name]()).run(argv) }]),
);
