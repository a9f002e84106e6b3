import {
  DescribeStreamCommand,
  ListStreamsCommand,
  type DynamoDBStreamsClient,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import { getIterator, runShardLoop, type ShardConsumer } from './shard-loop';
import { planShardStarts } from './shard-plan';
import { rewriteLocalRegion } from './stream-record';
import type { SequenceWatermark } from './sequence-watermark';
import type { TableWrites } from './table-writes';
import { createStopper } from './stopper';

export type { ShardConsumer, ShardContext, ShardPosition, ShardRecord } from './shard-loop';

/** Which table's stream to read, where to start, and who consumes it. */
export interface StreamReaderOptions {
  /** A DynamoDB Streams client signed for `region`, pointed at the engine or the proxy. */
  client: DynamoDBStreamsClient;
  region: string;
  tableName: string;
  /** Where to start on the shards open now; shards found later always start at TRIM_HORIZON, as on AWS. */
  startingPosition: 'LATEST' | 'TRIM_HORIZON';
  consume: ShardConsumer;
  pollIntervalMs?: number;
  shardDiscoveryIntervalMs?: number;
  onError?: (error: unknown) => void;
  /** The region's watermark in the engine database this client reads; lets quiet shards skip ahead. */
  watermark?: SequenceWatermark;
  /** The cloud's write counts: a quiet shard is read again when its table is written (table-writes). */
  writes?: TableWrites;
  /** With `writes`: how often a quiet shard is read when its table is not written (shard-loop). */
  unwrittenPollMs?: number;
}

/** A running reader over every shard of one table's latest stream. */
export interface StreamReader {
  /** The stream ARN with the real region. */
  readonly streamArn: string;
  /**
   * The latest time as of which every open shard held all its readable records: the oldest among the
   * shards of the send time of its last empty read; -Infinity until every open shard has made one.
   */
  currentAsOf(): number;
  stop(): Promise<void>;
}

/** Finds a table's latest stream ARN as the endpoint spells it. */
export const findLatestStreamArn = async (client: DynamoDBStreamsClient, tableName: string): Promise<string> => {
  const out = await client.send(new ListStreamsCommand({ TableName: tableName }));
  const latest = (out.Streams ?? []).sort((a, b) => (a.StreamLabel ?? '').localeCompare(b.StreamLabel ?? '')).pop();
  if (!latest?.StreamArn) throw new Error(`Table ${tableName} has no stream; create it with a StreamSpecification.`);
  return latest.StreamArn;
};

/** Every shard of a stream, across DescribeStream pages. */
export const describeShards = async (client: DynamoDBStreamsClient, streamArn: string): Promise<Shard[]> => {
  const shards: Shard[] = [];
  let start: string | undefined;
  do {
    const out = await client.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }));
    shards.push(...(out.StreamDescription?.Shards ?? []));
    start = out.StreamDescription?.LastEvaluatedShardId;
  } while (start);
  return shards;
};

/**
 * Starts reading a table's stream: every shard in order, a parent shard fully before its children.
 * Resolves once the open shards have iterators, so writes made afterwards are seen even from LATEST.
 */
export const startStreamReader = async (options: StreamReaderOptions): Promise<StreamReader> => {
  const rawStreamArn = await findLatestStreamArn(options.client, options.tableName);
  const streamArn = rewriteLocalRegion(rawStreamArn, options.region);
  const onError =
    options.onError ??
    ((error: unknown) => console.error(`stream reader ${options.tableName}@${options.region}:`, error));
  const stopper = createStopper();
  const writes = options.writes;
  const started = new Set<string>();
  const finished = new Set<string>();
  const current = new Map<string, number>();
  const loops: Promise<void>[] = [];

  const startShard = (shardId: string, initialIterator: string | undefined): void => {
    started.add(shardId);
    const shard = { shardId, streamArn };
    const loop = runShardLoop({
      ...options,
      rawStreamArn,
      shard,
      initialIterator,
      onError,
      pollIntervalMs: options.pollIntervalMs ?? 20,
      tableWrites: writes && (() => writes.count(options.region, options.tableName)),
      onCurrent: (asOf) => current.set(shardId, asOf),
      isStopped: stopper.isStopped,
      sleep: stopper.sleep,
    }).then((outcome) => {
      if (outcome !== 'finished') return;
      finished.add(shardId);
      discoverSerially();
    });
    loops.push(loop);
  };

  /** Starts the shards the plan allows; see planShardStarts for the order and positions. */
  const discover = async (initial?: 'LATEST' | 'TRIM_HORIZON'): Promise<void> => {
    const shards = await describeShards(options.client, rawStreamArn);
    for (const { shardId, action } of planShardStarts(shards, started, finished, initial)) {
      started.add(shardId);
      if (action === 'SKIP') finished.add(shardId);
      else
        startShard(
          shardId,
          await getIterator({ client: options.client, rawStreamArn, shard: { shardId, streamArn } }, action),
        );
    }
  };

  // Discovery runs from a timer and from finishing shards; chaining keeps two runs from racing.
  let discovering = Promise.resolve();
  const discoverSerially = (): void => {
    discovering = discovering.then(() => (stopper.isStopped() ? undefined : discover())).catch(onError);
  };
  await discover(options.startingPosition);
  const timer = setInterval(discoverSerially, options.shardDiscoveryIntervalMs ?? 1_000);
  return {
    streamArn,
    currentAsOf: () => {
      const open = [...started].filter((shardId) => !finished.has(shardId));
      return Math.min(...open.map((shardId) => current.get(shardId) ?? -Infinity));
    },
    stop: async () => {
      clearInterval(timer);
      stopper.stop();
      await Promise.all(loops);
      await discovering;
    },
  };
};
