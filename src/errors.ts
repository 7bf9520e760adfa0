/** A failure the user can fix (a missing file, a bad option, a bad plan); printed as one line by the CLI. */
export class UserError extends Error {
  /** The process exit status the CLI returns for this error. */
  readonly exitCode: number;

  constructor(message: string, exitCode = 1, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

/** The first line of an error's message, for one-line diagnostics. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0] ?? '';
}
