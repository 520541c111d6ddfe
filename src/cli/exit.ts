// Exit codes of the `huashu` command line and the error a command raises to stop with one.
// Kept apart from main.ts so the command files import it without importing main.ts back.
export const EXIT_OK = 0;
export const EXIT_INVALID_INPUT = 1;
export const EXIT_USAGE = 2;

/** Raised by a command to stop with a message and an exit code. */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    message = '',
  ) {
    super(message);
  }
}
