import type { Command } from 'commander';

/** State one CLI run shares with its commands: the exit status a command asks for without throwing. */
export interface CliContext {
  /** 0 unless a command set it (`evaluate` sets 3 when it finds a regression). */
  exitCode: number;
}

/** A subcommand: adds itself to the program. */
export type RegisterCommand = (cli: Command, context: CliContext) => void;
