/**
 * The `mixwell` command line: dispatches to the commands in ./commands (see their usage lines).
 * Exit codes: 0 success, 1 failure (the message names what is wrong), 2 usage error.
 */
import { UsageError } from './args.js';
import { COMMANDS } from './commands/index.js';

function usage(): string {
  return ['usage:', ...Object.values(COMMANDS).map((command) => `  ${command.usage}`)].join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name === undefined ? 2 : 0;
  }
  try {
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`unknown command "${name}"`);
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`usage:\n  ${command.usage}\n`);
      return 0;
    }
    await command.run(rest);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`mixwell: ${error.message}\n${usage()}\n`);
      return 2;
    }
    process.stderr.write(`mixwell: ${(error as Error).message}\n`);
    return 1;
  }
}
