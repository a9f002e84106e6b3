import type { ShardContext, ShardRecord } from '../dynamodb-streams/stream-reader';
import type { BatchOutcome } from './batch-response';

/** Why a batch was given up on, as Lambda names it in the invocation record. */
export type OnFailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/** The batch and invocation facts an on-failure record describes. */
export interface OnFailureInput {
  requestId: string;
  functionArn: string;
  condition: OnFailureCondition;
  approximateInvokeCount: number;
  outcome: BatchOutcome | undefined;
  shard: ShardContext;
  records: readonly ShardRecord[];
  now: Date;
}

const arrival = (record: ShardRecord | undefined): string | undefined =>
  record?.record.dynamodb?.ApproximateCreationDateTime === undefined
    ? undefined
    : new Date(record.record.dynamodb.ApproximateCreationDateTime * 1000).toISOString().replace('.000Z', 'Z');

/**
 * The invocation record Lambda sends to an on-failure destination for a discarded stream batch:
 * it describes the batch (shard and sequence range) rather than carrying the records.
 */
export const buildOnFailureRecord = (input: OnFailureInput): Record<string, unknown> => {
  const first = input.records[0];
  const last = input.records[input.records.length - 1];
  const failed = input.outcome?.kind === 'failure' && input.outcome.functionError;
  return {
    requestContext: {
      requestId: input.requestId,
      functionArn: input.functionArn,
      condition: input.condition,
      approximateInvokeCount: input.approximateInvokeCount,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', ...(failed ? { functionError: 'Unhandled' } : {}) },
    version: '1.0',
    timestamp: input.now.toISOString(),
    DDBStreamBatchInfo: {
      shardId: input.shard.shardId,
      startSequenceNumber: first?.sequenceNumber,
      endSequenceNumber: last?.sequenceNumber,
      approximateArrivalOfFirstRecord: arrival(first),
      approximateArrivalOfLastRecord: arrival(last),
      batchSize: input.records.length,
      streamArn: input.shard.streamArn,
    },
  };
};
