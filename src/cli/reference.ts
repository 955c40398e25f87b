/**
 * The CLI reference in Markdown (docs/cli.md) from the option tables (tables/): per command its
 * usage line, description, arguments, options (value, default, what it does) and rules. Written
 * by `npm run docs` (scripts/docs.ts); tests/docs.test.ts fails when docs/cli.md is outdated.
 */
import { placeholder } from './args.js';
import { defaultText } from './help.js';
import { TABLES } from './tables/index.js';
import type { CommandSpec } from './tables/spec.js';
import { usageLine } from './usage.js';

/** A table cell: pipes escaped, no line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function code(text: string): string {
  return text === '' ? '' : `\`${cell(text)}\``;
}

function commandSection(spec: CommandSpec): string {
  const lines = [`## ${spec.name}`, '', '```sh', usageLine(spec), '```', '', spec.description, ''];
  if (spec.positionals.length > 0) {
    lines.push('| argument | what |', '|---|---|', ...spec.positionals.map((p) => `| ${code(p.count === undefined ? p.name : p.count === 'optional' ? `[${p.name}]` : `${p.name}...`)} | ${cell(p.description)} |`), '');
  }
  lines.push(
    '| option | value | what | default |',
    '|---|---|---|---|',
    ...spec.options.map((o) => `| ${code(`--${o.name}`)} | ${code(placeholder(o))} | ${cell(o.description)} | ${cell(defaultText(o))} |`),
    '',
  );
  if (spec.rules.length > 0) lines.push('Rules:', '', ...spec.rules.map((rule) => `- ${cell(rule.message)}`), '');
  return lines.join('\n');
}

/** docs/cli.md: every command of the registry's tables, in their order. */
export function cliReference(): string {
  return cliReferenceMarkdown(Object.values(TABLES));
}

/** The reference of these commands. */
export function cliReferenceMarkdown(specs: readonly CommandSpec[]): string {
  return [
    '# Command-line reference',
    '',
    '<!-- Generated from src/cli/tables/ by `npm run docs`: edit the tables, not this file. -->',
    '',
    '`mixwell <command> --help` (or `-h`, or `mixwell help <command>`) prints the same for one command;',
    '`mixwell --help` lists the commands and `mixwell --version` (`-V`) prints the version. Options take',
    'their value as `--name value` or `--name=value`; `--` ends the options. Exit codes: 0 success, 1 failure',
    "(the message names what is wrong), 2 usage error (with the command's usage).",
    '',
    '| command | what |',
    '|---|---|',
    ...specs.map((spec) => `| [${spec.name}](#${spec.name}) | ${cell(spec.summary)} |`),
    '',
    ...specs.map(commandSection),
  ].join('\n');
}
