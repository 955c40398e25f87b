/**
 * Command-line parsing driven by a command's option table (tables/spec.ts): `--name value`,
 * `--name=value`, `--flag`, positionals, `--` ending the options. Every value is checked against
 * its kind (integer >= min, finite number >= min, one of fixed values), then the positional count,
 * the required options and the table's rules; each failure is a UsageError naming the option
 * ("unknown option --x", "option --x needs a value", "--chains must be an integer >= 1, got x").
 *
 * Our own parser rather than node:util parseArgs (strict): util.parseArgs only knows strings and
 * booleans, so kinds, minimums, required options and rules would be a second pass anyway; its
 * errors are Node's sentences (they differ between Node versions and would have to be rewritten
 * from the message text to keep ours); and it refuses a value that starts with a dash
 * (`--target-kpi -5` must reach the command's own check, "must be >= 0") and treats `-x` as an
 * unknown short option. The loop below is short, and the messages and behaviour stay ours.
 */
import type { CommandSpec, OptionSpec, OptionValues, RuleSpec } from './tables/spec.js';

export class UsageError extends Error {}

export interface ParsedArgs<S extends CommandSpec> {
  readonly positionals: string[];
  readonly options: OptionValues<S>;
}

/** Parse argv (the arguments after the command name) against the command's table; UsageError on anything the table does not allow. */
export function parseCommand<S extends CommandSpec>(spec: S, argv: readonly string[]): ParsedArgs<S> {
  const positionals: string[] = [];
  const options: Record<string, string | number | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    const option = spec.options.find((o) => o.name === name);
    if (!option) throw new UsageError(`unknown option --${name}`);
    if (option.kind === 'flag') {
      if (inline !== undefined) throw new UsageError(`option --${name} takes no value, got --${name}=${inline}`);
      options[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`option --${name} needs a value`);
    options[name] = optionValue(option, value);
  }
  checkPositionals(spec, positionals);
  for (const option of spec.options) {
    if (option.required && options[option.name] === undefined) throw new UsageError(option.missing ?? `${spec.name} needs --${option.name} ${placeholder(option)}`);
  }
  for (const rule of spec.rules) checkRule(rule, options);
  return { positionals, options: options as OptionValues<S> };
}

/** The value's placeholder in usage lines and help (FILE, N; the values of an enum as a|b|c). */
export function placeholder(option: OptionSpec): string {
  return option.kind === 'flag' ? '' : option.kind === 'enum' ? option.values.join('|') : option.placeholder;
}

/** The value of a --name value pair, checked against the option's kind. */
function optionValue(option: OptionSpec, value: string): string | number {
  const name = option.name;
  switch (option.kind) {
    case 'string':
      return value;
    case 'enum':
      if (!option.values.includes(value)) throw new UsageError(`--${name} must be one of ${option.values.join(', ')}, got ${value}`);
      return value;
    case 'integer': {
      const parsed = value.trim() === '' ? NaN : Number(value);
      if (!Number.isInteger(parsed) || parsed < option.min) throw new UsageError(`--${name} must be an integer >= ${option.min}, got ${value}`);
      return parsed;
    }
    case 'number': {
      const parsed = value.trim() === '' ? NaN : Number(value);
      if (!Number.isFinite(parsed)) throw new UsageError(`--${name} must be a number, got ${value}`);
      if (option.min !== undefined && parsed < option.min) throw new UsageError(`--${name} must be >= ${option.min}, got ${value}`);
      return parsed;
    }
    case 'flag':
      throw new Error(`--${name} is a flag`);
  }
}

/** Too many positionals: "unexpected argument"; too few: the missing one's message. */
function checkPositionals(spec: CommandSpec, positionals: readonly string[]): void {
  let min = 0;
  let max = 0;
  for (const positional of spec.positionals) {
    const count = positional.count;
    if (count === undefined) {
      min += 1;
      max += 1;
    } else if (count === 'optional') max += 1;
    else {
      min += count.atLeast;
      max = Infinity;
    }
    if (positionals.length < min) throw new UsageError(positional.missing);
  }
  if (positionals.length > max) throw new UsageError(`unexpected argument "${positionals[max]}"`);
}

function checkRule(rule: RuleSpec, options: Readonly<Record<string, unknown>>): void {
  const given = (name: string) => options[name] !== undefined;
  if ('oneOf' in rule) {
    const count = rule.oneOf.filter(given).length;
    const needed = rule.required !== undefined && !(rule.required.unless !== undefined && given(rule.required.unless));
    if (count > 1 || (needed && count === 0)) throw new UsageError(rule.message);
  } else if (rule.options.some(given) && !given(rule.requires)) throw new UsageError(rule.message);
}
