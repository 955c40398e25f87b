/**
 * The `mixwell` command line: dispatches to the commands in ./commands, whose options, usage and
 * help come from their tables in ./tables. `mixwell --help` / `-h` / `help` list every command;
 * `mixwell help <command>` and `mixwell <command> --help` / `-h` print that command's help (usage,
 * description, every option with its default); `--version` / `-V` the version. Exit codes: 0
 * success, 1 failure (the message names what is wrong), 2 usage error (with the failing command's
 * usage, or the list when the command itself is unknown).
 */
import { UsageError } from './args.js';
import { COMMANDS } from './commands/index.js';
import { commandHelp, commandList, usageText } from './help.js';

function usage(): string {
  return commandList(Object.values(COMMANDS).map((command) => command.spec));
}

/** A file-system error (no such file, permission, a directory) in words, naming the file and what to do; undefined for other errors. */
export function describeFileError(error: unknown): string | undefined {
  const { code, path } = (error ?? {}) as { code?: string; path?: string };
  if (typeof path !== 'string') return undefined;
  switch (code) {
    case 'ENOENT':
      return `${path}: no such file or directory (check the path; relative paths are from ${process.cwd()})`;
    case 'EACCES':
    case 'EPERM':
      return `${path}: permission denied (check the file's or directory's permissions)`;
    case 'EISDIR':
      return `${path}: is a directory, where a file was expected`;
    case 'ENOTDIR':
      return `${path}: a part of the path is not a directory`;
    case 'ENOSPC':
      return `${path}: no space left on the device`;
    default:
      return undefined;
  }
}

/** The command of that name (own keys only: `mixwell toString` is an unknown command, not Object's). */
function commandOf(name: string): (typeof COMMANDS)[string] | undefined {
  return Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
}

/** The usage shown with a usage error: the command's usage line and where its options are described. */
function commandUsage(name: string): string {
  return `${usageText(COMMANDS[name].spec)}\n(mixwell ${name} --help describes every option)`;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    // loaded here only: the start-up path stays free of the run directory's modules (and tfjs)
    const { packageVersion } = await import('../config/packageVersion.js');
    process.stdout.write(`mixwell ${packageVersion()}\n`);
    return 0;
  }
  if (name === 'help' && rest.length > 0) {
    if (!commandOf(rest[0])) {
      process.stderr.write(`mixwell: help: unknown command "${rest[0]}"\n${usage()}\n`);
      return 2;
    }
    process.stdout.write(commandHelp(COMMANDS[rest[0]].spec) + '\n');
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name === undefined ? 2 : 0;
  }
  try {
    const command = commandOf(name);
    if (!command) throw new UsageError(`unknown command "${name}"`);
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(commandHelp(command.spec) + '\n');
      return 0;
    }
    return (await command.run(rest)) ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`mixwell: ${error.message}\n${commandOf(name) ? commandUsage(name) : usage()}\n`);
      return 2;
    }
    process.stderr.write(`mixwell: ${describeFileError(error) ?? (error as Error).message}\n`);
    return 1;
  }
}
