import { Command, CommanderError } from 'commander';
import { parseMemoryLimit, parsePositiveInt } from './options.js';
import { UserError } from '../errors.js';
import { COMMANDS } from './commands/index.js';
import type { CliContext } from './context.js';

/** The commander program with every subcommand registered. */
export function program(context: CliContext = { exitCode: 0, store: {} }): Command {
  const cli = new Command('stagewise')
    .description('Is a staged migration between authentication providers hurting anyone?')
    .option('--debug', 'print stack traces for unexpected errors')
    .option('--memory-limit <size>', "DuckDB's memory limit, e.g. 4GB (default: 80% of RAM); beyond it DuckDB spills to disk", parseMemoryLimit)
    .option('--threads <n>', 'DuckDB worker threads (default: one per core)', parsePositiveInt)
    .showHelpAfterError()
    .exitOverride();
  // Program options come before the command (`stagewise --memory-limit 2GB baseline …`); every store a command opens uses them.
  cli.hook('preAction', () => {
    const { memoryLimit, threads } = cli.opts<{ memoryLimit?: string; threads?: number }>();
    context.store = { ...(memoryLimit === undefined ? {} : { memoryLimit }), ...(threads === undefined ? {} : { threads }) };
  });
  for (const register of COMMANDS) register(cli, context);
  // Subcommands inherit exitOverride so commander throws instead of exiting.
  for (const command of cli.commands) command.exitOverride();
  return cli;
}

/** Runs the CLI on `argv` (as `process.argv`) and returns the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  const context: CliContext = { exitCode: 0, store: {} };
  const cli = program(context);
  try {
    await cli.parseAsync([...argv]);
    return context.exitCode;
  } catch (error) {
    return exitCodeFor(error, Boolean(cli.opts()['debug']));
  }
}

function exitCodeFor(error: unknown, debug: boolean): number {
  if (error instanceof CommanderError) {
    // commander has printed it; help and version are not failures.
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : error.exitCode;
  }
  if (error instanceof UserError) {
    console.error(`error: ${error.message}`);
    return error.exitCode;
  }
  console.error(`unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  console.error(debug ? error : 'Run again with --debug for the stack trace.');
  return 70; // EX_SOFTWARE: a bug in this toolkit
}
