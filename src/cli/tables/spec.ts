/**
 * The shape of a command's option table (one per command in this folder): its positionals, its
 * options with their kind, placeholder, description and default, and the rules between options
 * (exclusive groups, an option that goes with another). The one source of the command's parsing
 * (../args.ts), its usage line (../usage.ts), its `--help` (../help.ts) and docs/cli.md
 * (../reference.ts). Types only: the tables import nothing at run time, so `--help` loads no
 * command and no tfjs.
 */

interface OptionBase {
  /** The long name, without the dashes. */
  readonly name: string;
  /** What it does and its unit: one or two sentences. */
  readonly description: string;
  /** The default in words (for a flag: what happens without it); absent only when required. */
  readonly default?: string;
  /** The command fails without it: `<command> needs --name PLACEHOLDER` (or `missing`). */
  readonly required?: boolean;
  /** The usage error when a required option is missing, if not the standard one. */
  readonly missing?: string;
}

/** A value, an integer >= min, a finite number (>= min), one of fixed values, or a flag without value. */
export type OptionSpec =
  | (OptionBase & { readonly kind: 'string'; readonly placeholder: string })
  | (OptionBase & { readonly kind: 'integer'; readonly placeholder: string; readonly min: number })
  | (OptionBase & { readonly kind: 'number'; readonly placeholder: string; readonly min?: number })
  | (OptionBase & { readonly kind: 'enum'; readonly values: readonly string[] })
  | (OptionBase & { readonly kind: 'flag' });

export interface PositionalSpec {
  /** Its placeholder in the usage line (DIR, MANIFEST). */
  readonly name: string;
  readonly description: string;
  /** How many: exactly one (absent), zero or one ('optional'), or at least `atLeast` (DIR DIR...). */
  readonly count?: 'optional' | { readonly atLeast: number };
  /** The usage error when too few are given. */
  readonly missing: string;
}

/**
 * At most one of `oneOf` (`required`: at least one, unless the `unless` option is given), or: each
 * of `options` only together with `requires`. `message` is the usage error when it is broken, and
 * the rule's line in the help.
 */
export type RuleSpec =
  | { readonly oneOf: readonly string[]; readonly required?: { readonly unless?: string }; readonly message: string }
  | { readonly options: readonly string[]; readonly requires: string; readonly message: string };

export interface CommandSpec {
  readonly name: string;
  /** One line for `mixwell --help`. */
  readonly summary: string;
  /** One paragraph for `mixwell <command> --help` and docs/cli.md. */
  readonly description: string;
  readonly positionals: readonly PositionalSpec[];
  /** In usage-line order. */
  readonly options: readonly OptionSpec[];
  readonly rules: readonly RuleSpec[];
}

type ValueOf<O> = O extends { readonly kind: 'flag' }
  ? true
  : O extends { readonly kind: 'integer' | 'number' }
    ? number
    : O extends { readonly kind: 'enum'; readonly values: readonly (infer V)[] }
      ? V
      : string;

type OptionOf<S extends CommandSpec> = S['options'][number];

/** The parsed options of a command, typed from its table: required ones present, others optional. */
export type OptionValues<S extends CommandSpec> = {
  readonly [O in OptionOf<S> as O extends { readonly required: true } ? O['name'] : never]: ValueOf<O>;
} & {
  readonly [O in OptionOf<S> as O extends { readonly required: true } ? never : O['name']]?: ValueOf<O>;
};
