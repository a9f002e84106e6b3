import { DomainError } from './errors';

/** A table could not be read or written right now (throttled, down, timed out); the caller retries. */
export class StoreUnavailableError extends DomainError {
  readonly code = 'StoreUnavailable';

  constructor(
    readonly table: string,
    readonly operation: string,
    cause: unknown,
  ) {
    super(`${operation} on ${table} failed: ${describe(cause)}. The record will be retried.`, { cause });
  }
}

/**
 * A table refused the request for good (a validation error, an item too large): retrying the same
 * write cannot help, so the caller parks or quarantines with this reason instead.
 */
export class StoreRejectedError extends DomainError {
  readonly code = 'StoreRejected';

  constructor(
    readonly table: string,
    readonly operation: string,
    readonly errorCode: string,
    cause: unknown,
  ) {
    super(`${operation} on ${table} was refused (${errorCode}): ${describe(cause)}`, { cause });
  }
}

/**
 * A whole PutEvents call to a region failed; `retryable` says whether trying again can help, and
 * `outcomeUnknown` that the entries may have reached the bus anyway (timeout, dropped connection, 5xx).
 */
export class BusCallFailedError extends DomainError {
  readonly code = 'BusCallFailed';

  constructor(
    readonly region: string,
    readonly retryable: boolean,
    readonly errorCode: string,
    cause: unknown,
    readonly outcomeUnknown = false,
  ) {
    super(`PutEvents to ${region} failed (${errorCode}): ${describe(cause)}`, { cause });
  }
}

const describe = (cause: unknown): string =>
  cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
