import {
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type DynamoDBStreamsClient,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { errorBackoffMs } from './stopper';
import { toLambdaRecord } from './stream-record';

/** A stream record in the Lambda shape, with the moment this reader first saw it. */
export interface ShardRecord {
  record: DynamoDBRecord;
  sequenceNumber: string;
  /** Epoch ms when fetched; DynamoDB Local truncates ApproximateCreationDateTime to the minute. */
  observedAt: number;
}

/** Where a consumer wants its shard to continue. */
export type ShardPosition =
  { type: 'AFTER_SEQUENCE_NUMBER'; sequenceNumber: string } | { type: 'AT_SEQUENCE_NUMBER'; sequenceNumber: string };

/** The shard a consumer is handed records from. */
export interface ShardContext {
  shardId: string;
  /** The stream ARN with the real region. */
  streamArn: string;
}

/**
 * Receives the records buffered at the shard's current position, in order, and returns where to
 * continue; `undefined` consumes nothing (e.g. a batching window still open). One call per shard at a time.
 */
export type ShardConsumer = (
  shard: ShardContext,
  records: readonly ShardRecord[],
) => Promise<ShardPosition | undefined>;

/** Everything one shard's read loop needs. */
export interface ShardLoopOptions {
  client: DynamoDBStreamsClient;
  /** The ARN exactly as the endpoint returned it, for API calls. */
  rawStreamArn: string;
  shard: ShardContext;
  region: string;
  initialIterator: string | undefined;
  pollIntervalMs: number;
  consume: ShardConsumer;
  onError: (error: unknown) => void;
  isStopped: () => boolean;
  sleep: (ms: number) => Promise<void>;
}

const MAX_BUFFERED = 10_000;

/**
 * A quiet shard is polled less often (up to 4× the interval after a few empty reads), so an idle
 * local cloud does not spin the CPU; the first record read resets it to the base interval.
 */
const idleDelayMs = (baseMs: number, idlePolls: number): number =>
  baseMs * 2 ** Math.min(Math.max(idlePolls - 1, 0), 2);
const GET_RECORDS_LIMIT = 1_000;

/** Reads one shard until it is closed and fully consumed, or until stopped. */
export const runShardLoop = async (options: ShardLoopOptions): Promise<'finished' | 'stopped'> => {
  const state = {
    iterator: options.initialIterator,
    buffer: [] as ShardRecord[],
    lastFetched: undefined as string | undefined,
  };
  let failures = 0;
  let idlePolls = 0;
  while (!options.isStopped()) {
    try {
      const before = state.buffer.length;
      if (state.iterator !== undefined && state.buffer.length < MAX_BUFFERED) await fetchInto(options, state);
      if (state.buffer.length === 0 && state.iterator === undefined) return 'finished';
      idlePolls = state.buffer.length === before ? idlePolls + 1 : 0;
      const progressed = state.buffer.length > 0 && (await consumeBuffer(options, state));
      failures = 0;
      if (progressed) continue;
    } catch (error) {
      if (options.isStopped()) break;
      // A region outage (a fault drill) fails every poll: report the first error, then back off.
      if (failures === 0) options.onError(error);
      failures += 1;
    }
    await options.sleep(
      failures === 0
        ? idleDelayMs(options.pollIntervalMs, idlePolls)
        : errorBackoffMs(options.pollIntervalMs, failures),
    );
  }
  return 'stopped';
};

interface LoopState {
  iterator: string | undefined;
  buffer: ShardRecord[];
  lastFetched: string | undefined;
}

const fetchInto = async (options: ShardLoopOptions, state: LoopState): Promise<void> => {
  try {
    const page = await options.client.send(
      new GetRecordsCommand({ ShardIterator: state.iterator, Limit: GET_RECORDS_LIMIT }),
    );
    const observedAt = Date.now();
    for (const raw of page.Records ?? []) {
      const record = toLambdaRecord(raw, options.region, options.rawStreamArn);
      const sequenceNumber = raw.dynamodb?.SequenceNumber ?? '';
      state.buffer.push({ record, sequenceNumber, observedAt });
      state.lastFetched = sequenceNumber;
    }
    state.iterator = page.NextShardIterator ?? undefined;
  } catch (error) {
    if (!(error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException)) throw error;
    // Iterators expire after 15 minutes; continue after what is already buffered.
    state.iterator = state.lastFetched
      ? await getIterator(options, 'AFTER_SEQUENCE_NUMBER', state.lastFetched)
      : await getIterator(options, 'TRIM_HORIZON');
  }
};

/** Hands the buffer to the consumer and applies its decision; true when it made progress. */
const consumeBuffer = async (options: ShardLoopOptions, state: LoopState): Promise<boolean> => {
  const position = await options.consume(options.shard, state.buffer);
  if (position === undefined) return false;
  const index = state.buffer.findIndex((r) => r.sequenceNumber === position.sequenceNumber);
  if (index >= 0) {
    state.buffer = state.buffer.slice(position.type === 'AFTER_SEQUENCE_NUMBER' ? index + 1 : index);
    return state.buffer.length > 0;
  }
  // Outside the buffer: re-read from the stream at the consumer's position.
  state.buffer = [];
  state.iterator = await getIterator(options, position.type, position.sequenceNumber);
  return false;
};

/** Obtains a shard iterator; undefined when the shard is closed and holds nothing there. */
export const getIterator = async (
  options: Pick<ShardLoopOptions, 'client' | 'rawStreamArn' | 'shard'>,
  type: ShardIteratorType,
  sequenceNumber?: string,
): Promise<string | undefined> => {
  const out = await options.client.send(
    new GetShardIteratorCommand({
      StreamArn: options.rawStreamArn,
      ShardId: options.shard.shardId,
      ShardIteratorType: type,
      SequenceNumber: sequenceNumber,
    }),
  );
  return out.ShardIterator ?? undefined;
};
