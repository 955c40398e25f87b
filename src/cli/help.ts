/**
 * The help texts from the option tables (tables/): `mixwell <command> --help` (usage line, the
 * command's paragraph, its arguments, every option with placeholder, description and default, and
 * the rules), the usage shown with a usage error, and `mixwell --help` (one line per command).
 * Wrapped at 80 columns, descriptions aligned in a column.
 */
import { placeholder } from './args.js';
import type { CommandSpec, OptionSpec } from './tables/spec.js';
import { usageItems } from './usage.js';

const WIDTH = 80;
/** Widest option or argument label before the descriptions start on the next line. */
const LABEL_WIDTH = 24;

/** Words filled into lines of at most `width` characters (a longer word gets a line of its own). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** `usage:` and the command's usage line, wrapped between its items, continuation lines indented under the command. */
export function usageText(spec: CommandSpec): string {
  const lines: string[] = [];
  let line = '  ';
  for (const item of usageItems(spec)) {
    if (line.trim() && line.length + 1 + item.length > WIDTH) {
      lines.push(line);
      line = `      ${item}`;
    } else line = line.trim() ? `${line} ${item}` : `  ${item}`;
  }
  lines.push(line);
  return ['usage:', ...lines].join('\n');
}

/** Labels and texts as two aligned columns (a label too wide for its column gets a line of its own). */
function columns(rows: readonly (readonly [string, string])[]): string[] {
  const labelWidth = Math.min(LABEL_WIDTH, Math.max(...rows.map(([label]) => label.length)));
  const indent = 2 + labelWidth + 2;
  return rows.flatMap(([label, text]) => {
    const body = wrap(text, WIDTH - indent);
    const head = `  ${label}`;
    if (label.length > labelWidth) return [head, ...body.map((l) => ' '.repeat(indent) + l)];
    return body.map((l, i) => (i === 0 ? head.padEnd(indent) : ' '.repeat(indent)) + l);
  });
}

/** The option's label: `--name PLACEHOLDER`. */
export function optionLabel(option: OptionSpec): string {
  return option.kind === 'flag' ? `--${option.name}` : `--${option.name} ${placeholder(option)}`;
}

/** The default as shown: "required", or the table's text. */
export function defaultText(option: OptionSpec): string {
  return option.required ? 'required' : (option.default ?? 'none');
}

/** The option's description with its default (or "Required."). */
function optionText(option: OptionSpec): string {
  return option.required ? `${option.description} Required.` : `${option.description} Default: ${defaultText(option)}.`;
}

/** The full help of a command. */
export function commandHelp(spec: CommandSpec): string {
  const parts = [usageText(spec), wrap(spec.description, WIDTH).join('\n')];
  if (spec.positionals.length > 0) parts.push(['Arguments:', ...columns(spec.positionals.map((p) => [p.name, p.description]))].join('\n'));
  const options = spec.options.map((o): [string, string] => [optionLabel(o), optionText(o)]);
  parts.push(['Options:', ...columns([...options, ['-h, --help', 'Print this help and exit.']])].join('\n'));
  if (spec.rules.length > 0) parts.push(['Rules:', ...spec.rules.flatMap((rule) => wrap(rule.message, WIDTH - 4).map((l, i) => `${i === 0 ? '  - ' : '    '}${l}`))].join('\n'));
  return parts.join('\n\n');
}

/** `mixwell --help`: every command with its one line. */
export function commandList(specs: readonly CommandSpec[]): string {
  return [
    'usage: mixwell <command> [options]',
    '',
    'Commands:',
    ...columns(specs.map((spec) => [spec.name, spec.summary])),
    '',
    'mixwell help <command> or mixwell <command> --help: the command\'s options.',
    'mixwell --version (-V): the version.',
  ].join('\n');
}
