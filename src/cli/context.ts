import type { Command } from 'commander';
import type { OpenOptions } from '../store/open.js';

/** State one CLI run shares with its commands: the exit status a command asks for without throwing. */
export interface CliContext {
  /** 0 unless a command set it (`evaluate` sets 3 when it finds a regression). */
  exitCode: number;
  /** DuckDB settings from the program's `--memory-limit` and `--threads`, for every store a command opens. */
  store: Pick<OpenOptions, 'memoryLimit' | 'threads'>;
}

/** A subcommand: adds itself to the program. */
export type RegisterCommand = (cli: Command, context: CliContext) => void;
