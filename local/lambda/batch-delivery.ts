import { randomUUID } from 'node:crypto';
import type { ShardContext, ShardRecord } from '../dynamodb-streams/stream-reader';
import type { Stopper } from '../dynamodb-streams/stopper';
import { interpretBatchResponse, type BatchOutcome } from './batch-response';
import { FunctionInvocationError, FunctionServiceUnavailableError } from './function-invoker';
import { buildOnFailureRecord, type OnFailureCondition } from './on-failure-record';
import type { StreamMappingStats } from './stream-mapping-stats';

/** The mapping settings and collaborators that decide how one batch is delivered and retried. */
export interface DeliveryPolicy {
  invoke: (payload: unknown) => Promise<unknown>;
  functionArn: string;
  reportBatchItemFailures: boolean;
  bisectBatchOnFunctionError: boolean;
  maximumRetryAttempts: number;
  maximumRecordAgeInSeconds: number;
  retryDelayMs: number;
  sendOnFailure: ((body: string) => void) | undefined;
  stats: StreamMappingStats;
  stopper: Stopper;
}

interface PendingBatch {
  records: ShardRecord[];
  /** Failed attempts counting towards MaximumRetryAttempts; a bisect starts each half afresh. */
  failures: number;
  invocations: number;
  lastOutcome?: BatchOutcome;
}

/**
 * Delivers one batch until every record succeeded or was given up on, in shard order: partial
 * failures resume at the earliest failed record, errors bisect when enabled, and exhausted
 * batches go to the on-failure destination. While the region's functions are stopped the batch
 * waits, counting no attempt. Returns early, undelivered, when the mapping stops.
 */
export const deliverBatch = async (
  policy: DeliveryPolicy,
  shard: ShardContext,
  records: ShardRecord[],
): Promise<void> => {
  const work: PendingBatch[] = [{ records, failures: 0, invocations: 0 }];
  while (work.length > 0 && !policy.stopper.isStopped()) {
    const batch = work[0] as PendingBatch;
    if (batch.invocations > 0 || batch.failures > 0)
      await policy.stopper.sleep(retryDelay(policy.retryDelayMs, batch.failures));
    if (recordAgeExceeded(policy, batch)) {
      giveUp(policy, shard, batch, 'RecordAgeExceeded');
      work.shift();
      continue;
    }
    const outcome = await invokeBatch(policy, batch);
    if (!outcome) return;
    if (outcome.kind === 'success') work.shift();
    else work.splice(0, 1, ...afterFailure(policy, shard, batch, outcome));
  }
};

/**
 * Retries back off exponentially (base, 2×, 4× … up to 32× the base), so a function failing because
 * a dependency is overloaded gets room to recover before its records run out of attempts.
 */
const retryDelay = (baseMs: number, failures: number): number => baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 5);

/** What remains to deliver after a failed invocation of `batch`. */
const afterFailure = (
  policy: DeliveryPolicy,
  shard: ShardContext,
  batch: PendingBatch,
  outcome: BatchOutcome,
): PendingBatch[] => {
  policy.stats.failures += 1;
  if (outcome.kind === 'partial') batch.records = batch.records.slice(outcome.failedIndex);
  if (outcome.kind === 'failure' && policy.bisectBatchOnFunctionError && batch.records.length > 1) {
    const middle = Math.ceil(batch.records.length / 2);
    return [batch.records.slice(0, middle), batch.records.slice(middle)].map((half) => ({
      records: half,
      failures: 0,
      invocations: 0,
    }));
  }
  batch.failures += 1;
  const exhausted = policy.maximumRetryAttempts >= 0 && batch.failures > policy.maximumRetryAttempts;
  if (!exhausted) {
    policy.stats.retries += 1;
    return [batch];
  }
  giveUp(policy, shard, batch, 'RetryAttemptsExhausted');
  return [];
};

/**
 * Invokes once the region's functions run: an unavailable Lambda service is an outage, not the
 * function's failure, so the batch pauses at its checkpoint. Undefined when the mapping stopped meanwhile.
 */
const invokeBatch = async (policy: DeliveryPolicy, batch: PendingBatch): Promise<BatchOutcome | undefined> => {
  const last = batch.records[batch.records.length - 1];
  for (;;) {
    const iteratorAgeMs = last ? Date.now() - last.observedAt : 0;
    const outcome = await invokeOnce(policy, batch.records);
    policy.stats.paused = outcome === SERVICE_UNAVAILABLE;
    if (outcome !== SERVICE_UNAVAILABLE) {
      policy.stats.batches += 1;
      policy.stats.records += batch.records.length;
      policy.stats.iteratorAgeMs = iteratorAgeMs;
      batch.invocations += 1;
      batch.lastOutcome = outcome;
      return outcome;
    }
    await policy.stopper.sleep(policy.retryDelayMs);
    if (policy.stopper.isStopped()) return undefined;
  }
};

const SERVICE_UNAVAILABLE = Symbol('service unavailable');

const invokeOnce = async (
  policy: DeliveryPolicy,
  records: readonly ShardRecord[],
): Promise<BatchOutcome | typeof SERVICE_UNAVAILABLE> => {
  try {
    const result = await policy.invoke({ Records: records.map((r) => r.record) });
    if (!policy.reportBatchItemFailures) return { kind: 'success' };
    return interpretBatchResponse(
      result,
      records.map((r) => r.sequenceNumber),
    );
  } catch (error) {
    if (error instanceof FunctionServiceUnavailableError) return SERVICE_UNAVAILABLE;
    if (error instanceof FunctionInvocationError)
      return { kind: 'failure', errorType: error.errorType, errorMessage: error.errorMessage, functionError: true };
    const message = error instanceof Error ? error.message : String(error);
    return {
      kind: 'failure',
      errorType: error instanceof Error ? error.name : 'Error',
      errorMessage: message,
      functionError: false,
    };
  }
};

const recordAgeExceeded = (policy: DeliveryPolicy, batch: PendingBatch): boolean => {
  const oldest = batch.records[0];
  if (policy.maximumRecordAgeInSeconds < 0 || !oldest) return false;
  return Date.now() - oldest.observedAt > policy.maximumRecordAgeInSeconds * 1000;
};

/** Discards a batch, telling the on-failure destination (when one is set) which records were skipped. */
const giveUp = (
  policy: DeliveryPolicy,
  shard: ShardContext,
  batch: PendingBatch,
  condition: OnFailureCondition,
): void => {
  policy.stats.discardedRecords += batch.records.length;
  if (!policy.sendOnFailure) return;
  const record = buildOnFailureRecord({
    requestId: randomUUID(),
    functionArn: policy.functionArn,
    condition,
    approximateInvokeCount: batch.invocations,
    outcome: batch.lastOutcome,
    shard,
    records: batch.records,
    now: new Date(),
  });
  policy.sendOnFailure(JSON.stringify(record));
  policy.stats.onFailureSends += 1;
};
