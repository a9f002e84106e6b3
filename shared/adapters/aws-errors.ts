import { StoreRejectedError, StoreUnavailableError } from '../domain/infrastructure-errors';

/** The parts of an AWS SDK v3 error the adapters look at. */
interface SdkErrorLike {
  name?: string;
  code?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

const THROTTLING = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'LimitExceededException',
  'ThrottledException',
]);

const NETWORK = new Set([
  'TimeoutError',
  'RequestTimeout',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'NetworkingError',
  'AbortError',
]);

const asSdkError = (error: unknown): SdkErrorLike =>
  typeof error === 'object' && error !== null ? (error as SdkErrorLike) : {};

/** The error's AWS code or name, for logs and ledger reasons. */
export const errorCodeOf = (error: unknown): string => {
  const e = asSdkError(error);
  return e.name ?? e.code ?? 'UnknownError';
};

/** True for DynamoDB's "your condition did not hold" (per item or inside a transaction). */
export const isConditionalCheckFailed = (error: unknown): boolean =>
  errorCodeOf(error) === 'ConditionalCheckFailedException';

/**
 * True when a transaction was cancelled because the condition on its item at `index` did not hold.
 * A cancellation for a conflicting transaction, throttling or validation is not that, and must not
 * be read as "the item exists" or "the item is missing".
 */
export const isTransactionConditionFailed = (error: unknown, index: number): boolean =>
  errorCodeOf(error) === 'TransactionCanceledException' &&
  (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons?.[index]?.Code ===
    'ConditionalCheckFailed';

/** DynamoDB errors that say the request itself is wrong: the same request will fail again. */
const PERMANENT_STORE_ERRORS = new Set([
  'ValidationException',
  'SerializationException',
  'ItemCollectionSizeLimitExceededException',
]);

/** Translates a DynamoDB SDK error into the domain's: permanent (StoreRejectedError) or retryable (StoreUnavailableError). */
export const storeError = (
  table: string,
  operation: string,
  error: unknown,
): StoreRejectedError | StoreUnavailableError =>
  PERMANENT_STORE_ERRORS.has(errorCodeOf(error))
    ? new StoreRejectedError(table, operation, errorCodeOf(error), error)
    : new StoreUnavailableError(table, operation, error);

/** True when the service refused the call for rate: it was not processed, so nothing was delivered. */
export const isThrottlingError = (error: unknown): boolean => THROTTLING.has(errorCodeOf(error));

/** True when retrying the same call later can succeed: throttling, 5xx, timeouts and dropped connections. */
export const isRetryableAwsError = (error: unknown): boolean => {
  const e = asSdkError(error);
  const status = e.$metadata?.httpStatusCode;
  if (
    THROTTLING.has(errorCodeOf(error)) ||
    NETWORK.has(errorCodeOf(error)) ||
    (e.code !== undefined && NETWORK.has(e.code))
  )
    return true;
  if (e.$retryable) return true;
  return status === undefined ? true : status >= 500;
};
