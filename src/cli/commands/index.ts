/**
 * The registry of CLI commands: name -> { usage, run(argv) }. Each command lives in its own file in
 * this folder and throws UsageError for bad arguments.
 */
import * as batch from './batch.js';
import * as compare from './compare.js';
import * as fit from './fit.js';
import * as inspect from './inspect.js';
import * as mediation from './mediation.js';
import * as optimize from './optimize.js';
import * as scenario from './scenario.js';
import * as report from './report.js';
import * as summary from './summary.js';
import * as worker from './worker.js';

export interface Command {
  readonly usage: string;
  run(argv: readonly string[]): Promise<void>;
}

export const COMMANDS: Readonly<Record<string, Command>> = {
  fit,
  summary,
  report,
  inspect,
  optimize,
  scenario,
  mediation,
  compare,
  batch,
  worker,
};
