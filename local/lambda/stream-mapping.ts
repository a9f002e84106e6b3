import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { compileEventPattern } from '../../shared/domain/event-pattern';
import { LOCAL_ACCOUNT_ID, localCredentials } from '../aws/credentials';
import type { SequenceWatermark } from '../dynamodb-streams/sequence-watermark';
import type { TableWrites } from '../dynamodb-streams/table-writes';
import { createStopper } from '../dynamodb-streams/stopper';
import { startStreamReader, type ShardConsumer, type ShardRecord } from '../dynamodb-streams/stream-reader';
import type { QueueStore } from '../queues/queue-store';
import { deliverBatch, type DeliveryPolicy } from './batch-delivery';
import type { FunctionInvoker } from './function-invoker';
import { emptyStreamMappingStats, type StreamMappingStats } from './stream-mapping-stats';

export type { StreamMappingStats } from './stream-mapping-stats';

/** A DynamoDB stream event source mapping, with the AWS parameter names and defaults. */
export interface StreamMappingOptions {
  region: string;
  tableName: string;
  functionName: string;
  invoker: FunctionInvoker;
  dynamodbEndpoint: string;
  startingPosition: 'LATEST' | 'TRIM_HORIZON';
  queues: QueueStore;
  batchSize?: number;
  maximumBatchingWindowInSeconds?: number;
  filterCriteria?: { Filters: ReadonlyArray<{ Pattern: string }> };
  functionResponseTypes?: ReadonlyArray<'ReportBatchItemFailures'>;
  bisectBatchOnFunctionError?: boolean;
  maximumRetryAttempts?: number;
  maximumRecordAgeInSeconds?: number;
  destinationConfig?: { onFailure: { destination: string } };
  /** Pause before re-invoking a failed batch. */
  retryDelayMs?: number;
  pollIntervalMs?: number;
  /** Receives stream read errors (the first of each streak); defaults to console.error. */
  onError?: (error: unknown) => void;
  /** The region's stream watermark in the cloud's engine, shared with the replicator (sequence-watermark). */
  watermark?: SequenceWatermark;
  /** The cloud's write counts: a quiet shard is read again when its table is written (table-writes). */
  writes?: TableWrites;
}

/** A running mapping. */
export interface StreamMapping {
  readonly streamArn: string;
  /** The settings it was created with, as given. */
  readonly options: Readonly<StreamMappingOptions>;
  stats(): StreamMappingStats;
  stop(): Promise<void>;
}

interface BatchSelection {
  batch: ShardRecord[];
  /** The last record looked at, matched or filtered: the checkpoint once the batch is done. */
  lastExamined: string | undefined;
  filtered: number;
  ready: boolean;
}

/** Takes up to `batchSize` matching records; ready when full, when the window has passed, or when all were filtered. */
export const selectBatch = (
  buffered: readonly ShardRecord[],
  settings: { batchSize: number; windowMs: number; matches: (record: ShardRecord) => boolean; now: number },
): BatchSelection => {
  const selection: BatchSelection = { batch: [], lastExamined: undefined, filtered: 0, ready: false };
  for (const record of buffered) {
    selection.lastExamined = record.sequenceNumber;
    if (settings.matches(record)) selection.batch.push(record);
    else selection.filtered += 1;
    if (selection.batch.length === settings.batchSize) break;
  }
  const first = selection.batch[0];
  selection.ready =
    !first || selection.batch.length === settings.batchSize || settings.now - first.observedAt >= settings.windowMs;
  return selection;
};

/** Compiles FilterCriteria; a record passes when any filter matches its Lambda shape, or when there are none. */
const compileFilters = (criteria: StreamMappingOptions['filterCriteria']): ((record: ShardRecord) => boolean) => {
  const patterns = (criteria?.Filters ?? []).map((filter) => compileEventPattern(filter.Pattern));
  return (record) => patterns.length === 0 || patterns.some((pattern) => pattern.matches(record.record));
};

/** Starts polling the table's stream and invoking the function with batches, following AWS semantics. */
export const createStreamMapping = async (options: StreamMappingOptions): Promise<StreamMapping> => {
  const stats = emptyStreamMappingStats();
  const stopper = createStopper();
  const matches = compileFilters(options.filterCriteria);
  const policy = buildPolicy(options, stats, stopper);
  const settings = {
    batchSize: options.batchSize ?? 100,
    windowMs: (options.maximumBatchingWindowInSeconds ?? 0) * 1000,
    matches,
  };
  const consume: ShardConsumer = async (shard, buffered) => {
    const selection = selectBatch(buffered, { ...settings, now: Date.now() });
    if (!selection.ready || selection.lastExamined === undefined) return undefined;
    if (selection.batch.length > 0) await deliverBatch(policy, shard, selection.batch);
    // Stopping mid-batch must not checkpoint records that were never delivered.
    if (stopper.isStopped()) return undefined;
    stats.filtered += selection.filtered;
    return { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: selection.lastExamined };
  };
  const client = new DynamoDBStreamsClient({
    region: options.region,
    endpoint: options.dynamodbEndpoint,
    credentials: localCredentials,
  });
  const reader = await startStreamReader({
    client,
    region: options.region,
    tableName: options.tableName,
    startingPosition: options.startingPosition,
    pollIntervalMs: options.pollIntervalMs,
    onError: options.onError,
    watermark: options.watermark,
    writes: options.writes,
    consume,
  });
  return {
    streamArn: reader.streamArn,
    options,
    stats: () => ({ ...stats }),
    stop: async () => {
      stopper.stop();
      await reader.stop();
      client.destroy();
    },
  };
};

const buildPolicy = (
  options: StreamMappingOptions,
  stats: StreamMappingStats,
  stopper: DeliveryPolicy['stopper'],
): DeliveryPolicy => {
  const destination = options.destinationConfig?.onFailure.destination;
  return {
    invoke: (payload) => options.invoker.invoke(options.region, options.functionName, payload),
    functionArn: `arn:aws:lambda:${options.region}:${LOCAL_ACCOUNT_ID}:function:${options.functionName}`,
    reportBatchItemFailures: options.functionResponseTypes?.includes('ReportBatchItemFailures') ?? false,
    bisectBatchOnFunctionError: options.bisectBatchOnFunctionError ?? false,
    maximumRetryAttempts: options.maximumRetryAttempts ?? -1,
    maximumRecordAgeInSeconds: options.maximumRecordAgeInSeconds ?? -1,
    retryDelayMs: options.retryDelayMs ?? 200,
    sendOnFailure: destination ? (body) => options.queues.send(destination, body) : undefined,
    stats,
    stopper,
  };
};
