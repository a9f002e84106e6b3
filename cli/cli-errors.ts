/** The CLI's exit codes: scripts branch on them, so they never change meaning. */
export const EXIT = { ok: 0, refused: 1, usage: 2, unreachable: 3 } as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The typed error the admin function answered with: `{ ok: false, error: { code, message, issues? } }`. */
export interface AdminErrorBody {
  code: string;
  message: string;
  issues?: unknown;
}

/** A mistake on the command line (a missing file, a bad value): exit 2, with what to type instead. */
export class UsageError extends Error {
  readonly exitCode = EXIT.usage;
  constructor(
    message: string,
    readonly next?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The admin function answered, and refused (or failed): exit 1. */
export class AdminRefusedError extends Error {
  readonly exitCode = EXIT.refused;
  constructor(
    readonly action: string,
    readonly error: AdminErrorBody,
    readonly next?: string,
  ) {
    super(error.message);
    this.name = 'AdminRefusedError';
  }
}

/** The admin function could not be called at all (network, credentials, no such function, IAM): exit 3. */
export class CannotReachError extends Error {
  readonly exitCode = EXIT.unreachable;
  constructor(
    message: string,
    readonly next: string,
    readonly code = 'CannotReach',
  ) {
    super(message);
    this.name = 'CannotReachError';
  }
}

/** Any error the CLI knows how to explain. */
export type CliError = UsageError | AdminRefusedError | CannotReachError;

/** Whether an error is one the CLI explains itself (anything else is a bug and shows its stack). */
export const isCliError = (error: unknown): error is CliError =>
  error instanceof UsageError || error instanceof AdminRefusedError || error instanceof CannotReachError;
