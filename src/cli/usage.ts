/**
 * A command's usage line from its option table (tables/spec.ts), POSIX-style: positionals first,
 * then the options in table order; an optional option in [brackets], a required one bare, an
 * exclusive group as (a | b) when one is required and [a | b] otherwise, and an option that goes
 * with another inside that one's brackets: `[--tradeoff A,B [--tradeoff-points N]]`.
 */
import { placeholder } from './args.js';
import type { CommandSpec, OptionSpec } from './tables/spec.js';

/** The usage line as its top-level items (`mixwell`, the command, each positional and option group), for wrapping. */
export function usageItems(spec: CommandSpec): string[] {
  const byName = new Map(spec.options.map((o) => [o.name, o]));
  const groups = spec.rules.flatMap((rule) => ('oneOf' in rule ? [rule] : []));
  const dependents = new Map<string, string[]>();
  for (const rule of spec.rules) if ('requires' in rule) dependents.set(rule.requires, [...(dependents.get(rule.requires) ?? []), ...rule.options]);
  const isDependent = (name: string) => [...dependents.values()].some((names) => names.includes(name));
  const done = new Set<string>();

  const bare = (option: OptionSpec) => (option.kind === 'flag' ? `--${option.name}` : `--${option.name} ${placeholder(option)}`);
  /** The option with what goes with it: each dependent in brackets, an exclusive group of dependents as one [a | b]. */
  const withDependents = (option: OptionSpec): string => {
    const parts = [bare(option)];
    for (const name of dependents.get(option.name) ?? []) {
      if (done.has(name)) continue;
      const group = groups.find((g) => g.oneOf.includes(name) && g.oneOf.every((n) => (dependents.get(option.name) ?? []).includes(n)));
      const members = group ? group.oneOf : [name];
      members.forEach((n) => done.add(n));
      parts.push(`[${members.map((n) => withDependents(byName.get(n)!)).join(' | ')}]`);
    }
    return parts.join(' ');
  };

  const items = ['mixwell', spec.name];
  for (const positional of spec.positionals) {
    const count = positional.count;
    if (count === undefined) items.push(positional.name);
    else if (count === 'optional') items.push(`[${positional.name}]`);
    else items.push(...Array.from({ length: Math.max(0, count.atLeast - 1) }, () => positional.name), `${positional.name}...`);
  }
  for (const option of spec.options) {
    if (done.has(option.name) || isDependent(option.name)) continue;
    const group = groups.find((g) => g.oneOf.includes(option.name));
    if (group) {
      group.oneOf.forEach((n) => done.add(n));
      const text = group.oneOf.map((n) => withDependents(byName.get(n)!)).join(' | ');
      items.push(group.required ? `(${text})` : `[${text}]`);
    } else {
      done.add(option.name);
      items.push(option.required ? withDependents(option) : `[${withDependents(option)}]`);
    }
  }
  return items;
}

/** The usage line on one line. */
export function usageLine(spec: CommandSpec): string {
  return usageItems(spec).join(' ');
}
