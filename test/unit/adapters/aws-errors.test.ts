import { describe, expect, it } from 'vitest';
import {
  isConditionalCheckFailed,
  isRetryableAwsError,
  isThrottlingError,
  isTransactionConditionFailed,
  storeError,
} from '../../../shared/adapters/aws-errors';
import { StoreRejectedError, StoreUnavailableError } from '../../../shared/domain/infrastructure-errors';

/** An error shaped as the SDK throws it. */
const sdkError = (name: string, httpStatusCode?: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode }, ...extra });

describe('translating AWS SDK errors', () => {
  it('makes a request DynamoDB calls wrong for good a StoreRejectedError, which is parked or quarantined, never retried', () => {
    for (const name of ['ValidationException', 'SerializationException', 'ItemCollectionSizeLimitExceededException']) {
      const error = storeError('inbox', 'PutItem(event)', sdkError(name, 400));
      expect(error, name).toBeInstanceOf(StoreRejectedError);
      expect(error).toMatchObject({ table: 'inbox', operation: 'PutItem(event)', errorCode: name });
    }
  });

  it('makes throttling, 5xx, timeouts and dropped connections a StoreUnavailableError, retried later', () => {
    const transient = [
      sdkError('ProvisionedThroughputExceededException', 400),
      sdkError('InternalServerError', 500),
      sdkError('TimeoutError'),
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    ];
    for (const cause of transient) {
      expect(storeError('ledger', 'UpdateItem(claim)', cause), cause.message).toBeInstanceOf(StoreUnavailableError);
      expect(isRetryableAwsError(cause), cause.message).toBe(true);
    }
  });

  it('does not retry a 4xx that is not throttling', () => {
    expect(isRetryableAwsError(sdkError('AccessDeniedException', 400))).toBe(false);
    expect(isThrottlingError(sdkError('ThrottlingException', 400))).toBe(true);
    expect(isThrottlingError(sdkError('AccessDeniedException', 400))).toBe(false);
  });

  it('reads a failed condition only as such: per item, or for the one transaction item whose condition failed', () => {
    const cancelled = sdkError('TransactionCanceledException', 400, {
      CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
    });
    expect(isConditionalCheckFailed(sdkError('ConditionalCheckFailedException', 400))).toBe(true);
    expect(isConditionalCheckFailed(sdkError('ValidationException', 400))).toBe(false);
    expect(isTransactionConditionFailed(cancelled, 1)).toBe(true);
    expect(isTransactionConditionFailed(cancelled, 0)).toBe(false);
    const conflict = sdkError('TransactionCanceledException', 400, {
      CancellationReasons: [{ Code: 'TransactionConflict' }],
    });
    expect(isTransactionConditionFailed(conflict, 0)).toBe(false);
  });
});
