/**
 * The CLI's option tables (src/cli/tables/) as the one source of parsing, usage and help: every
 * command's `--help` lists every option of its table with its default, `help <command>` equals
 * `<command> --help`, an unknown option is a usage error showing that command's usage only, each
 * command parses with its own table and reads every option in it, the parser's errors name the
 * option, and the help path (src/cli/main.ts and what it imports statically) loads no command
 * and no tfjs. In-process through main() where possible; one spawn of bin/mixwell.js.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommand, placeholder, UsageError } from '../src/cli/args.js';
import { commandHelp, wrap } from '../src/cli/help.js';
import { runMain } from './support/cliMain.js';
import { TABLES, type CommandSpec, type OptionSpec } from '../src/cli/tables/index.js';
import { usageLine } from '../src/cli/usage.js';

const run = runMain;

const SPECS: readonly CommandSpec[] = Object.values(TABLES);
/** Whitespace collapsed, so wrapped text can be searched for. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

/** A value the option accepts. */
function sample(option: OptionSpec): string | undefined {
  switch (option.kind) {
    case 'flag':
      return undefined;
    case 'enum':
      return option.values[option.values.length - 1];
    case 'integer':
      return String(option.min + 1);
    case 'number':
      return String((option.min ?? 0) + 0.5);
    case 'string':
      return option.name === 'tradeoff' ? 'tv,search' : `x-${option.name}`;
  }
}

/** The smallest argv the command's table accepts: its positionals and required options (and optimize's budget target). */
function minimalArgv(spec: CommandSpec): string[] {
  const argv = spec.positionals.flatMap((p) => (p.count === 'optional' ? [] : Array.from({ length: p.count === undefined ? 1 : p.count.atLeast }, (_, i) => `${p.name.toLowerCase()}${i}`)));
  for (const option of spec.options) if (option.required) argv.push(`--${option.name}`, sample(option)!);
  if (spec.name === 'optimize') argv.push('--budget', '1'); // its one budget target
  return argv;
}

describe('the option tables', () => {
  it('are complete: unique names, a placeholder, a sentence and a default (or required) for every option; rules name options of the table', () => {
    expect(Object.keys(TABLES)).toEqual(['fit', 'summary', 'report', 'inspect', 'optimize', 'scenario', 'mediation', 'compare', 'batch', 'worker']);
    for (const spec of SPECS) {
      const names = spec.options.map((o) => o.name);
      expect(new Set(names).size, spec.name).toBe(names.length);
      expect(spec.description.length, spec.name).toBeGreaterThan(80);
      for (const option of spec.options) {
        const at = `${spec.name} --${option.name}`;
        expect(option.name, at).toMatch(/^[a-z][a-z-]*$/);
        expect(option.description, at).toMatch(/^[A-Z].*\.$/s);
        if (option.kind !== 'flag') expect(placeholder(option), at).not.toBe('');
        expect(option.required === true || (option.default !== undefined && option.default !== ''), `${at}: a default, or required`).toBe(true);
        if (option.required) expect(option.default, `${at}: required, so no default`).toBeUndefined();
      }
      for (const rule of spec.rules) {
        const named = 'oneOf' in rule ? [...rule.oneOf, ...(rule.required?.unless ? [rule.required.unless] : [])] : [...rule.options, rule.requires];
        for (const name of named) expect(names, `${spec.name} rule "${rule.message}"`).toContain(name);
      }
    }
  });

  it('each command parses with its own table and reads every option in it', () => {
    for (const spec of SPECS) {
      const file = `src/cli/commands/${spec.name}.ts`;
      const text = readFileSync(file, 'utf8');
      expect(text, file).toContain(`parseCommand(${spec.name.toUpperCase()}, argv)`);
      expect(text, file).toContain(`from '../tables/${spec.name}.js'`);
      // the command's file and the command files it imports helpers from (scenario: optimize.ts futureOption)
      const helpers = [...text.matchAll(/from '\.\/(\w+)\.js'/g)].map((m) => readFileSync(`src/cli/commands/${m[1]}.ts`, 'utf8'));
      const source = [text, ...helpers].join('\n');
      for (const option of spec.options) {
        const read = new RegExp(`options\\.${option.name}\\b|options\\['${option.name}'\\]|'${option.name}':|[{,]\\s*${option.name}\\s*[,}][^;]*= options`);
        expect(source, `${spec.name} reads --${option.name}`).toMatch(read);
      }
    }
  });

  it('the parser accepts every option of each table with a value of its kind, and returns it typed', () => {
    for (const spec of SPECS) {
      for (const option of spec.options.filter((o) => !o.required)) {
        const argv = minimalArgv(spec);
        const value = sample(option);
        const requires = spec.rules.find((r) => 'requires' in r && r.options.includes(option.name));
        if (requires && 'requires' in requires) argv.push(`--${requires.requires}`, sample(spec.options.find((o) => o.name === requires.requires)!)!);
        // an exclusive partner already in argv (optimize --budget) makes way
        const partner = spec.rules.find((r) => 'oneOf' in r && r.oneOf.includes(option.name));
        const cleaned = partner && 'oneOf' in partner ? dropOptions(argv, partner.oneOf.filter((n) => n !== option.name), spec) : argv;
        const given = [...cleaned, ...(value === undefined ? [`--${option.name}`] : [`--${option.name}`, value])];
        const parsed = parseCommand(spec, given).options as Record<string, unknown>;
        const expected = option.kind === 'flag' ? true : option.kind === 'integer' || option.kind === 'number' ? Number(value) : value;
        expect(parsed[option.name], `${spec.name} --${option.name}`).toEqual(expected);
        // --name=value is the same
        if (value !== undefined) expect((parseCommand(spec, [...cleaned, `--${option.name}=${value}`]).options as Record<string, unknown>)[option.name]).toEqual(expected);
      }
    }
  });
});

/** argv without the given options (and their values). */
function dropOptions(argv: readonly string[], names: readonly string[], spec: CommandSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2) : undefined;
    if (name !== undefined && names.includes(name)) {
      if (spec.options.find((o) => o.name === name)?.kind !== 'flag') i++;
      continue;
    }
    out.push(argv[i]);
  }
  return out;
}

describe('the parser', () => {
  const parse = (name: keyof typeof TABLES, argv: string[]) => () => parseCommand(TABLES[name], argv);

  it('names the option in every error', () => {
    expect(parse('fit', ['--data', 'd', '--out', 'o', '--bogus'])).toThrow(new UsageError('unknown option --bogus'));
    expect(parse('fit', ['--data', 'd', '--out'])).toThrow(new UsageError('option --out needs a value'));
    expect(parse('fit', ['--data', '--out', 'o'])).toThrow(new UsageError('option --data needs a value'));
    expect(parse('fit', ['--data', 'd', '--out', 'o', '--chains', 'two'])).toThrow(new UsageError('--chains must be an integer >= 1, got two'));
    expect(parse('fit', ['--data', 'd', '--out', 'o', '--chains', '0'])).toThrow(new UsageError('--chains must be an integer >= 1, got 0'));
    expect(parse('fit', ['--data', 'd', '--out', 'o', '--seed', '1.5'])).toThrow(new UsageError('--seed must be an integer >= 0, got 1.5'));
    expect(parse('fit', ['--data', 'd', '--out', 'o', '--seed='])).toThrow(new UsageError('--seed must be an integer >= 0, got '));
    expect(parse('fit', ['--data', 'd', '--out', 'o', '--backend', 'gpu'])).toThrow(new UsageError('--backend must be one of tensorflow, wasm, cpu, got gpu'));
    expect(parse('fit', ['--data', 'd', '--out', 'o', '--quiet=yes'])).toThrow(new UsageError('option --quiet takes no value, got --quiet=yes'));
    expect(parse('fit', ['--data', 'd', '--out', 'o', '--roi-threshold', 'x'])).toThrow(new UsageError('--roi-threshold must be a number, got x'));
    expect(parse('optimize', ['run', '--budget', '-5'])).toThrow(new UsageError('--budget must be >= 0, got -5'));
  });

  it('checks positionals, required options and the rules, with the commands\' own messages', () => {
    expect(parse('fit', ['--data', 'd'])).toThrow(new UsageError('fit needs --out DIR'));
    expect(parse('fit', ['--data', 'd', '--out', 'o', 'extra'])).toThrow(new UsageError('unexpected argument "extra"'));
    expect(parse('mediation', ['--data', 'd'])).toThrow(new UsageError('mediation needs --config FILE (with "mediators")'));
    expect(parse('worker', [])).toThrow(new UsageError('worker needs --queue redis://HOST:PORT'));
    expect(parse('worker', ['--queue', 'redis://h:1'])).toThrow(new UsageError('worker needs --root DIR'));
    expect(parse('batch', ['m.json', '--root', 'd', '--confine'])).toThrow(new UsageError('give either --root DIR or --confine'));
    expect(parse('summary', [])).toThrow(new UsageError('summary needs one run directory'));
    expect(parse('summary', ['a', 'b'])).toThrow(new UsageError('unexpected argument "b"'));
    expect(parse('compare', ['a'])).toThrow(new UsageError('compare needs two or more run directories'));
    expect(parseCommand(TABLES.compare, ['a', 'b', 'c']).positionals).toEqual(['a', 'b', 'c']);
    expect(parseCommand(TABLES.batch, []).positionals).toEqual([]);
    expect(parse('batch', ['m.json', 'n.json'])).toThrow(new UsageError('unexpected argument "n.json"'));
    expect(parse('report', ['run', '--allocation', 'a.json', '--no-budget'])).toThrow(new UsageError('report takes --allocation FILE or --no-budget, not both'));
    const exactlyOne = new UsageError('optimize needs exactly one of --budget B, --target-kpi K or --target-mroi R (or only --tradeoff A,B)');
    expect(parse('optimize', ['run'])).toThrow(exactlyOne);
    expect(parse('optimize', ['run', '--budget', '1', '--target-mroi', '2'])).toThrow(exactlyOne);
    expect(parseCommand(TABLES.optimize, ['run', '--tradeoff', 'tv,search']).options.tradeoff).toBe('tv,search');
    expect(parse('optimize', ['run', '--budget', '1', '--tradeoff-points', '5'])).toThrow(new UsageError('--tradeoff-points goes with --tradeoff A,B'));
    expect(parse('scenario', ['run', '--plan', 'p', '--periods', '4', '--future', 'f.csv'])).toThrow(/--periods goes without --future/);
    expect(parse('scenario', ['run', '--plan', 'p', '--future-follows'])).toThrow(new UsageError('--future-follows goes with --future FILE'));
    expect(parse('batch', ['m.json', '--wait'])).toThrow(new UsageError('--status and --wait need --queue redis://HOST:PORT'));
    expect(parse('batch', ['m.json', '--queue', 'redis://h:1', '--wait', '--status'])).toThrow(new UsageError('give either --status or --wait'));
  });

  it('takes --name=value, keeps the last of a repeated option and ends the options at --', () => {
    const { options, positionals } = parseCommand(TABLES.compare, ['--out=o1', 'a', '--out', 'o2', '--', '--b', '-c']);
    expect(options.out).toBe('o2');
    expect(positionals).toEqual(['a', '--b', '-c']);
    expect(parseCommand(TABLES.optimize, ['run', '--target-kpi', '-5']).options['target-kpi']).toBe(-5);
    const fit = parseCommand(TABLES.fit, ['--data=a=b.csv', '--out', 'o', '--chains', '2', '--no-log-lik']).options;
    expect(fit).toEqual({ data: 'a=b.csv', out: 'o', chains: 2, 'no-log-lik': true });
  });
});

describe('help from the tables', () => {
  it('<command> --help prints the usage line, the description and every option with its placeholder and default, wrapped at 80 columns', async () => {
    for (const spec of SPECS) {
      const result = await run([spec.name, '--help']);
      expect(result.code, spec.name).toBe(0);
      expect(result.stderr, spec.name).toBe('');
      expect(result.stdout, spec.name).toMatch(new RegExp(`^usage:\\n {2}mixwell ${spec.name}\\b`));
      const text = flat(result.stdout);
      expect(text).toContain(usageLine(spec));
      expect(text).toContain(flat(spec.description));
      for (const option of spec.options) {
        const label = option.kind === 'flag' ? `--${option.name}` : `--${option.name} ${placeholder(option)}`;
        expect(text, `${spec.name} ${label}`).toContain(`${label} ${flat(option.description)} ${option.required ? 'Required.' : `Default: ${flat(option.default!)}.`}`);
      }
      for (const positional of spec.positionals) expect(text).toContain(`${positional.name} ${flat(positional.description)}`);
      for (const rule of spec.rules) expect(text).toContain(`- ${flat(rule.message)}`);
      expect(text).toContain('-h, --help Print this help and exit.');
      for (const line of result.stdout.split('\n')) expect(line.length, `${spec.name}: "${line}"`).toBeLessThanOrEqual(80);
      expect(result.stdout).toBe(commandHelp(spec) + '\n');
    }
  });

  it('help <command> and <command> -h print the same as <command> --help', async () => {
    for (const spec of SPECS) {
      const help = await run([spec.name, '--help']);
      expect(await run(['help', spec.name]), spec.name).toEqual(help);
      expect(await run([spec.name, '-h']), spec.name).toEqual(help);
    }
  });

  it('mixwell --help lists every command on one line each; --version prints the package version', async () => {
    const list = await run(['--help']);
    expect(list.code).toBe(0);
    const lines = list.stdout.split('\n');
    for (const spec of SPECS) expect(lines.filter((line) => line.startsWith(`  ${spec.name} `)), spec.name).toEqual([`  ${spec.name.padEnd(9)}  ${spec.summary}`]);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    const version = JSON.parse(readFileSync('package.json', 'utf8')).version as string;
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `mixwell ${version}\n`, stderr: '' });
  });

  it('an unknown option exits 2 with that command\'s usage only', async () => {
    for (const spec of SPECS) {
      const result = await run([spec.name, '--no-such-option']);
      expect(result.code, spec.name).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr, spec.name).toMatch(new RegExp(`^mixwell: unknown option --no-such-option\\nusage:\\n {2}mixwell ${spec.name}\\b`));
      expect(result.stderr.match(/^ {2}mixwell \S+/gm), spec.name).toEqual([`  mixwell ${spec.name}`]);
      expect(result.stderr).toContain(`(mixwell ${spec.name} --help describes every option)`);
    }
  });

  it('usage lines nest what goes together: exclusive groups, and options that go with another inside its brackets', () => {
    expect(usageLine(TABLES.optimize)).toBe(
      'mixwell optimize DIR (--budget B | --target-kpi K | --target-mroi R) [--periods N | --future FILE [--future-follows]] [--bounds FILE] ' +
        '[--objective mean|qNN|cvar|cvarNN|meansd] [--risk-aversion L] [--geo-level] [--max-draws N] [--decision-draws N] [--seed N] ' +
        '[--tradeoff A,B [--tradeoff-points N] | --optimal-frequency] [--effectiveness-periods N] [--out DIR]',
    );
    expect(usageLine(TABLES.batch)).toBe(
      'mixwell batch [MANIFEST] [--out DIR] [--root DIR | --confine] [--workers N] [--retries N] [--fits-per-worker N] [--checkpoint-every SECONDS] [--force] [--stability] [--queue redis://HOST:PORT [--wait | --status]] [--queue-name NAME] [--queue-prefix PREFIX] [--tls-ca FILE] [--tls-insecure]',
    );
    expect(usageLine(TABLES.worker)).toMatch(/^mixwell worker --queue redis:\/\/HOST:PORT --root DIR \[--queue-name NAME\]/);
    expect(usageLine(TABLES.compare)).toBe('mixwell compare DIR DIR... [--out DIR]');
    expect(usageLine(TABLES.fit)).toMatch(/^mixwell fit --data FILE \[--config FILE\] --out DIR \[--chains N\]/);
    expect(wrap('a bb ccc dddd', 6)).toEqual(['a bb', 'ccc', 'dddd']);
  });
});

describe('the help path', () => {
  /** Files src/cli/main.ts loads at start-up: its static imports, recursively (not `import()`, not `import type`). */
  function staticImports(entry: string): { files: string[]; packages: string[] } {
    const files = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (files.has(file)) return;
      files.add(file);
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
        const specifier = match[1];
        if (specifier.startsWith('.')) visit(normalize(join(dirname(file), specifier.replace(/\.js$/, '.ts'))));
        else packages.add(specifier);
      }
    };
    visit(entry);
    return { files: [...files].sort(), packages: [...packages].sort() };
  }

  it('main.ts loads only src/cli files, no command and no package but node built-ins (so --help never loads tfjs)', () => {
    const { files, packages } = staticImports('src/cli/main.ts');
    expect(files).toContain('src/cli/tables/optimize.ts');
    for (const file of files) expect(file).toMatch(/^src\/cli\/(main|args|help|usage|commands\/index|tables\/\w+)\.ts$/);
    expect(packages.every((p) => p.startsWith('node:')), packages.join(', ')).toBe(true);
  });

  it('bin/mixwell.js fit --help prints the help and exits 0', () => {
    const stdout = execFileSync(process.execPath, ['bin/mixwell.js', 'fit', '--help'], { encoding: 'utf8' });
    expect(stdout).toBe(commandHelp(TABLES.fit) + '\n');
  });
});
