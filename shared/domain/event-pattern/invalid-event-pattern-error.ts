import { DomainError } from '../errors';

/** Raised when an event pattern cannot be compiled; `reason` mirrors the text AWS puts after "Reason:". */
export class InvalidEventPatternError extends DomainError {
  readonly code = 'InvalidEventPattern';

  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Event pattern is not valid. Reason: ${reason}`, options);
  }
}

/** Throws an InvalidEventPatternError; typed `never` so validation reads as straight-line code. */
export const rejectPattern = (reason: string): never => {
  throw new InvalidEventPatternError(reason);
};
