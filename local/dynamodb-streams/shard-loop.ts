import {
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type DynamoDBStreamsClient,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { iteratorPosition, type SequenceWatermark } from './sequence-watermark';
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
  /** The region's watermark, shared by every reader of the same engine database; see sequence-watermark. */
  watermark?: SequenceWatermark;
  /**
   * Write requests answered so far for this shard's table (table-writes). Given, a quiet shard is
   * read again once its table is written, and at least every QUIET_SHARD_POLL_MS otherwise.
   */
  tableWrites?: () => number;
  /** How often a quiet shard with counted writes is read when unwritten; UNWRITTEN_SHARD_POLL_MS by default. */
  unwrittenPollMs?: number;
  /**
   * Called after each read that found nothing new with nothing left to consume, with the time the
   * read was sent: the shard then holds every record readable at that time (see StreamReader.currentAsOf).
   */
  onCurrent?: (asOf: number) => void;
}

const MAX_BUFFERED = 10_000;

/**
 * How often a quiet shard is polled at the least: Lambda polls each shard of a DynamoDB stream four
 * times a second. Every GetRecords costs DynamoDB Local a walk of all the region's stream records
 * (it takes the shard's latest sequence number with an unindexed MAX), so quiet shards polled
 * faster than this slowed everything else as records piled up.
 */
export const QUIET_SHARD_POLL_MS = 250;

/**
 * How often a quiet shard whose table's writes are counted (tableWrites) is polled when nothing is
 * written to it: only records written past the local cloud (TTL deletions, writes straight to the
 * engine) wait for this poll; a counted write wakes the shard within its base interval.
 */
export const UNWRITTEN_SHARD_POLL_MS = 1_000;

/**
 * Empty reads after a counted write before a shard waits for the next one: DynamoDB Local shows a
 * write's stream record some 20-30 ms after answering it (later on a loaded machine), so the shard
 * keeps its backoff (idleDelayMs: about 1.3 s at a 20 ms base) before it waits.
 */
export const EMPTY_READS_BEFORE_WAITING = 8;

/**
 * A quiet shard is polled less often, doubling the pause after each empty read up to
 * QUIET_SHARD_POLL_MS (never below the base interval); the first record read resets it.
 */
export const idleDelayMs = (baseMs: number, idlePolls: number): number =>
  Math.max(baseMs, Math.min(QUIET_SHARD_POLL_MS, baseMs * 2 ** Math.min(Math.max(idlePolls - 1, 0), 8)));
const GET_RECORDS_LIMIT = 1_000;
/** A quiet shard moves its iterator once the region has written this many records past it. */
const SKIP_AFTER_RECORDS = 256n;

/** Reads one shard until it is closed and fully consumed, or until stopped. */
export const runShardLoop = async (options: ShardLoopOptions): Promise<'finished' | 'stopped'> => {
  const state = {
    iterator: options.initialIterator,
    buffer: [] as ShardRecord[],
    lastFetched: undefined as string | undefined,
  };
  let failures = 0;
  let idlePolls = 0;
  let writesBeforeRead: number | undefined;
  while (!options.isStopped()) {
    try {
      const before = state.buffer.length;
      const sentAt = Date.now();
      // Counted before the request: a write counted after it wakes a waiting shard (untilWritten).
      writesBeforeRead = options.tableWrites?.();
      if (state.iterator !== undefined && state.buffer.length < MAX_BUFFERED) await fetchInto(options, state);
      if (state.buffer.length === 0 && state.iterator === undefined) return 'finished';
      idlePolls = state.buffer.length === before ? idlePolls + 1 : 0;
      if (state.buffer.length === 0) options.onCurrent?.(sentAt);
      const progressed = state.buffer.length > 0 && (await consumeBuffer(options, state));
      failures = 0;
      if (progressed) continue;
    } catch (error) {
      if (options.isStopped()) break;
      // A region outage (a fault drill) fails every poll: report the first error, then back off.
      if (failures === 0) options.onError(error);
      failures += 1;
    }
    const quiet = failures === 0 && state.buffer.length === 0 && idlePolls >= EMPTY_READS_BEFORE_WAITING;
    if (quiet && writesBeforeRead !== undefined) {
      // Written: back to the base interval, while the write's record becomes readable.
      if (await untilWritten(options, writesBeforeRead)) idlePolls = 0;
    } else
      await options.sleep(
        failures === 0
          ? idleDelayMs(options.pollIntervalMs, idlePolls)
          : errorBackoffMs(options.pollIntervalMs, failures),
      );
  }
  return 'stopped';
};

/**
 * Waits, in steps of the base interval, until the shard's table was written after `writesBefore`
 * (counted before the empty read), or the unwritten poll interval, or a stop; true when written.
 */
const untilWritten = async (options: ShardLoopOptions, writesBefore: number): Promise<boolean> => {
  const step = Math.max(1, options.pollIntervalMs);
  for (let waited = 0; waited < (options.unwrittenPollMs ?? UNWRITTEN_SHARD_POLL_MS); waited += step) {
    await options.sleep(step);
    if (options.isStopped()) return false;
    if (options.tableWrites?.() !== writesBefore) return true;
  }
  return false;
};

interface LoopState {
  iterator: string | undefined;
  buffer: ShardRecord[];
  lastFetched: string | undefined;
}

const fetchInto = async (options: ShardLoopOptions, state: LoopState): Promise<void> => {
  try {
    // Read before the request: every record up to it was committed before this read was sent.
    const settled = options.watermark?.highest();
    const page = await options.client.send(
      new GetRecordsCommand({ ShardIterator: state.iterator, Limit: GET_RECORDS_LIMIT }),
    );
    const observedAt = Date.now();
    for (const raw of page.Records ?? []) {
      const record = toLambdaRecord(raw, options.region, options.rawStreamArn);
      const sequenceNumber = raw.dynamodb?.SequenceNumber ?? '';
      state.buffer.push({ record, sequenceNumber, observedAt });
      state.lastFetched = sequenceNumber;
      options.watermark?.observe(sequenceNumber);
    }
    state.iterator = page.NextShardIterator ?? undefined;
    if (!page.Records?.length && settled !== undefined) await skipQuietStretch(options, state, settled);
  } catch (error) {
    if (!(error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException)) throw error;
    // Iterators expire after 15 minutes; continue after what is already buffered.
    state.iterator = state.lastFetched
      ? await getIterator(options, 'AFTER_SEQUENCE_NUMBER', state.lastFetched)
      : await getIterator(options, 'TRIM_HORIZON');
  }
};

/**
 * After an empty read sent once the region's records up to `settled` were committed, the shard
 * holds nothing up to `settled`: its next reads start after it rather than walking the engine's
 * records of other tables again (see sequence-watermark). Never moves the iterator backwards.
 */
const skipQuietStretch = async (options: ShardLoopOptions, state: LoopState, settled: bigint): Promise<void> => {
  const position = state.iterator === undefined ? undefined : iteratorPosition(state.iterator);
  if (position === undefined || settled < position + SKIP_AFTER_RECORDS) return;
  try {
    state.iterator = await getIterator(options, 'AFTER_SEQUENCE_NUMBER', settled.toString());
  } catch (error) {
    // A number outside this shard's range (a shard opened later, or closed before it): read on as before.
    if (!(error instanceof Error && error.name === 'ValidationException')) throw error;
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
