/**
 * Every command's option table, in the order `mixwell --help` lists them. Import-free apart from
 * the tables themselves, so main.ts answers `--help` without loading any command (or tfjs).
 */
import type { CommandSpec } from './spec.js';
import { BATCH } from './batch.js';
import { COMPARE } from './compare.js';
import { FIT } from './fit.js';
import { INSPECT } from './inspect.js';
import { MEDIATION } from './mediation.js';
import { OPTIMIZE } from './optimize.js';
import { REPORT } from './report.js';
import { SCENARIO } from './scenario.js';
import { SUMMARY } from './summary.js';
import { WORKER } from './worker.js';

export const TABLES = {
  fit: FIT,
  summary: SUMMARY,
  report: REPORT,
  inspect: INSPECT,
  optimize: OPTIMIZE,
  scenario: SCENARIO,
  mediation: MEDIATION,
  compare: COMPARE,
  batch: BATCH,
  worker: WORKER,
} as const satisfies Readonly<Record<string, CommandSpec>>;

export type CommandName = keyof typeof TABLES;

export type { CommandSpec, OptionSpec, OptionValues, PositionalSpec, RuleSpec } from './spec.js';
