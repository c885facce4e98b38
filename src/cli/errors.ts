/** drctl's exit codes and the error type that carries one. */

/** Documented exit codes of every drctl command. */
export const EXIT = {
  /** Success. */
  ok: 0,
  /** A claim is invalid, or an objective is not met. */
  invalid: 1,
  /** Wrong usage: unknown command or flag, missing or unreadable file. */
  usage: 2,
  /** The cluster or git failed. */
  external: 3,
  /** A bug in drctl itself (DRCTL_DEBUG=1 prints the stack trace). */
  internal: 4,
} as const;

/** An error drctl reports as one line on stderr, exiting with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
