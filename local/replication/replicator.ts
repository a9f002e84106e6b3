import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { localCredentials } from '../aws/credentials';
import type { RegionWatermarks } from '../dynamodb-streams/sequence-watermark';
import { countWritesOf, type TableWrites } from '../dynamodb-streams/table-writes';
import { createStopper, type Stopper } from '../dynamodb-streams/stopper';
import { startStreamReader, type StreamReader } from '../dynamodb-streams/stream-reader';
import { Partitions } from '../faults/partitions';
import type { PairStats } from './pair-queue';
import { ReplicationEngine, type ReplicationCounters } from './replication-engine';

export type { PairStats } from './pair-queue';

/** Regions and tables to replicate, the engine (or proxy) endpoint, and the initial lag. */
export interface ReplicatorOptions {
  regions: readonly string[];
  /** Tables that exist, with NEW_AND_OLD_IMAGES streams, in every region. */
  tableNames: readonly string[];
  dynamodbEndpoint: string;
  lagMs?: number;
  pollIntervalMs?: number;
  onError?: (error: unknown) => void;
  /** The cloud's partitions, shared with the other engines; the replicator keeps its own when omitted. */
  partitions?: Partitions;
  /** The stream watermarks of the engine at `dynamodbEndpoint`, one per region (sequence-watermark). */
  watermarks?: RegionWatermarks;
  /** The cloud's write counts: the replicator's own writes are counted, and its readers follow them. */
  writes?: TableWrites;
}

/** What the replicator has done so far. */
export interface ReplicatorStatus extends ReplicationCounters {
  lagMs: number;
  regions: string[];
  tableNames: string[];
  /** Partitioned region pairs, each sorted by name. */
  partitions: Array<[string, string]>;
  /** Per directed pair: queue, applied and superseded counts, and ReplicationLagMs. */
  pairs: PairStats[];
}

/** A running global-tables emulator. */
export interface Replicator {
  setLag(lagMs: number): void;
  /** Sets the partition in the shared model, so it holds for every engine that follows it. */
  setPartition(regionA: string, regionB: string, partitioned: boolean): void;
  status(): ReplicatorStatus;
  /** Resolves once no write is pending, in flight or unread; writes held by a partition do not count. */
  idle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Emulates DynamoDB global tables (MREC): every item write in one region reaches the others after
 * the lag, through PutItem/DeleteItem so it shows in their streams; last writer wins per item.
 * Replication starts from LATEST: items written before the replicator started are not copied.
 */
export const startReplicator = async (options: ReplicatorOptions): Promise<Replicator> => {
  const regions = [...options.regions];
  const stopper = createStopper();
  const onError = options.onError ?? ((error: unknown) => console.error('replicator:', error));
  const settings = { lagMs: validLag(options.lagMs ?? 50) };
  const clientOptions = (region: string) => ({
    region,
    endpoint: options.dynamodbEndpoint,
    credentials: localCredentials,
  });
  const writes = options.writes;
  const dynamo = new Map(
    regions.map((r) => {
      const client = new DynamoDBClient(clientOptions(r));
      return [r, writes ? countWritesOf(client, r, writes) : client];
    }),
  );
  const streams = new Map(regions.map((r) => [r, new DynamoDBStreamsClient(clientOptions(r))]));
  const readerOf = new Map<string, StreamReader>();
  const engine = new ReplicationEngine(regions, dynamo, {
    lagMs: () => settings.lagMs,
    stopper,
    onError,
    streamReadPast: (region, tableName, since) => {
      const reader = readerOf.get(`${region}|${tableName}`);
      return reader ? readPast(reader, since, stopper) : Promise.resolve();
    },
  });
  const partitions = options.partitions ?? new Partitions(regions);
  const unfollow = followPartitions(partitions, engine);
  const readers: StreamReader[] = await Promise.all(
    regions.flatMap((region) =>
      options.tableNames.map(async (tableName) => {
        const reader = await startStreamReader({
          client: streams.get(region) as DynamoDBStreamsClient,
          region,
          tableName,
          startingPosition: 'LATEST',
          pollIntervalMs: options.pollIntervalMs,
          onError,
          watermark: options.watermarks?.of(region),
          writes,
          consume: async (_shard, records) => {
            records.forEach((record) => engine.handleRecord(region, tableName, record));
            const last = records[records.length - 1];
            return last ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: last.sequenceNumber } : undefined;
          },
        });
        readerOf.set(`${region}|${tableName}`, reader);
        return reader;
      }),
    ),
  );
  const settleMs = Math.max(150, (options.pollIntervalMs ?? 20) * 5);
  return {
    setLag: (lagMs) => {
      settings.lagMs = validLag(lagMs);
    },
    setPartition: (a, b, partitioned) => {
      for (const region of [a, b])
        if (!regions.includes(region))
          throw new RangeError(`Unknown region ${region}; replicating ${regions.join(', ')}`);
      if (a === b) throw new RangeError('A partition needs two different regions');
      if (partitioned) partitions.set(a, b);
      else partitions.clear(a, b);
    },
    status: () => {
      const pairs = engine.pairStats();
      const partitions = pairs
        .filter((p) => p.partitioned && p.source < p.target)
        .map((p): [string, string] => [p.source, p.target]);
      return {
        lagMs: settings.lagMs,
        regions,
        tableNames: [...options.tableNames],
        partitions,
        pairs,
        ...engine.counters,
      };
    },
    idle: (timeoutMs = 15_000) =>
      waitUntilQuiet(
        {
          busy: () => engine.busy(),
          lastActivityAt: () => engine.lastActivityAt,
          currentAsOf: () => Math.min(...readers.map((r) => r.currentAsOf())),
        },
        settleMs,
        timeoutMs,
      ),
    stop: async () => {
      unfollow();
      stopper.stop();
      await Promise.all(readers.map((r) => r.stop()));
      for (const client of [...dynamo.values(), ...streams.values()]) client.destroy();
    },
  };
};

/** Holds the engine's pairs as the shared model says, now and on every change; returns the unsubscribe. */
const followPartitions = (partitions: Partitions, engine: ReplicationEngine): (() => void) => {
  const replicated = (region: string): boolean => engine.regions.includes(region);
  for (const [a, b] of partitions.list()) if (replicated(a) && replicated(b)) engine.setPartition(a, b, true);
  return partitions.onChange((a, b, partitioned) => {
    if (replicated(a) && replicated(b)) engine.setPartition(a, b, partitioned);
  });
};

const validLag = (lagMs: number): number => {
  if (!Number.isFinite(lagMs) || lagMs < 0) throw new RangeError(`lagMs must be a number >= 0, got ${lagMs}`);
  return lagMs;
};

/**
 * How long after a write its stream record may still be unreadable: DynamoDB Local shows it some
 * 20-30 ms after answering the write. A shard's empty read sent later than this after the last
 * activity proves it holds nothing unread from before.
 */
const STREAM_RECORD_DELAY_MS = 100;

/**
 * How long quiet lasts before idle stops waiting for a shard's empty read: a shard whose reads keep
 * failing (a drill's outage, a starved engine resetting connections) never makes one, and must not
 * hold idle back forever (a hog pass timed out the region-failure drill's 60 s wait on it).
 */
const SHARD_READ_WAIT_MS = 5_000;

/**
 * Waits until every shard of the reader has made an empty read sent STREAM_RECORD_DELAY_MS after
 * `since`: any write made before `since` has then been read. A shard whose reads keep failing
 * gives up after SHARD_READ_WAIT_MS, as idle does.
 */
const readPast = async (reader: StreamReader, since: number, stopper: Stopper) => {
  const started = Date.now();
  while (
    reader.currentAsOf() < since + STREAM_RECORD_DELAY_MS &&
    Date.now() - started < SHARD_READ_WAIT_MS &&
    !stopper.isStopped()
  )
    await stopper.sleep(10);
};

/**
 * Quiet means nothing busy, no stream activity for `settleMs`, and every shard's last empty read
 * sent at least STREAM_RECORD_DELAY_MS after the last activity (or the call), or else
 * SHARD_READ_WAIT_MS of quiet. A fixed settle time alone is not enough on a loaded machine, where
 * one GetRecords can outlast it (a hog pass saw a write unread after 150 ms of quiet).
 */
const waitUntilQuiet = async (
  state: { busy: () => boolean; lastActivityAt: () => number; currentAsOf: () => number },
  settleMs: number,
  timeoutMs: number,
): Promise<void> => {
  const started = Date.now();
  const quietFrom = () => Math.max(state.lastActivityAt(), started);
  const unread = () =>
    state.currentAsOf() < quietFrom() + STREAM_RECORD_DELAY_MS && Date.now() - quietFrom() < SHARD_READ_WAIT_MS;
  while (state.busy() || Date.now() - quietFrom() < settleMs || unread()) {
    if (Date.now() - started > timeoutMs) throw new Error(`Replication did not become idle within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
