import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { localCredentials } from '../aws/credentials';
import { createStopper } from '../dynamodb-streams/stopper';
import { startStreamReader, type ShardRecord, type StreamReader } from '../dynamodb-streams/stream-reader';
import { ItemStates, observeWrite, offerVersion, type ItemState } from './item-states';
import { compareVersions, type ItemVersion } from './item-version';
import { PairQueue, type PairStats, type QueuedWrite } from './pair-queue';
import { ReplicaWriter } from './replica-writer';

export type { PairStats } from './pair-queue';

export interface ReplicatorOptions {
  regions: readonly string[];
  /** Tables that exist, with NEW_AND_OLD_IMAGES streams, in every region. */
  tableNames: readonly string[];
  dynamodbEndpoint: string;
  lagMs?: number;
  pollIntervalMs?: number;
  onError?: (error: unknown) => void;
}

/** What the replicator has done so far. */
export interface ReplicatorStatus {
  lagMs: number;
  regions: string[];
  tableNames: string[];
  partitions: Array<[string, string]>;
  pairs: PairStats[];
  /** Writes made by callers, as seen in the streams. */
  localWrites: number;
  /** Stream records caused by the replicator's own writes, not replicated again. */
  echoesSuppressed: number;
  /** Local writes that arrived already older than another region's write of the item. */
  localWritesLost: number;
  /** Winners written back into their own region after an older replicated write overwrote them. */
  repairs: number;
}

/** A running global-tables emulator. */
export interface Replicator {
  setLag(lagMs: number): void;
  setPartition(regionA: string, regionB: string, partitioned: boolean): void;
  status(): ReplicatorStatus;
  /** Resolves once no write is pending, in flight or unread; writes held by a partition do not count. */
  idle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Emulates DynamoDB global tables (MREC): every item write in one region reaches the others after
 * the lag, through PutItem/DeleteItem so it shows in their streams; last writer wins per item.
 */
export const startReplicator = async (options: ReplicatorOptions): Promise<Replicator> => {
  const regions = [...options.regions];
  const stopper = createStopper();
  const onError = options.onError ?? ((error: unknown) => console.error('replicator:', error));
  const counters = { localWrites: 0, echoesSuppressed: 0, localWritesLost: 0, repairs: 0 };
  const activity = { lastAt: Date.now(), repairsInFlight: 0 };
  const settings = { lagMs: validLag(options.lagMs ?? 50) };
  const dynamo = new Map(regions.map((r) => [r, new DynamoDBClient({ region: r, endpoint: options.dynamodbEndpoint, credentials: localCredentials })]));
  const writers = new Map(regions.map((r) => [r, new ReplicaWriter(r, dynamo.get(r) as DynamoDBClient)]));
  const states = new ItemStates();
  const pairs = new Map<string, PairQueue>();
  let serial = 0;

  const writer = (region: string): ReplicaWriter => writers.get(region) as ReplicaWriter;
  const pair = (source: string, target: string): PairQueue => pairs.get(`${source}>${target}`) as PairQueue;

  /** Writes a version into `target` unless it lost to another region's write or the target already has it or newer. */
  const applyVersion = (target: string, state: ItemState, version: ItemVersion): Promise<boolean> =>
    writer(target).serially(async () => {
      if (!shouldApply(state, target, version)) return false;
      const changed = await writer(target).write(state.tableName, state.keyId, state.keys, version);
      if (!changed) state.present.set(target, version);
      activity.lastAt = Date.now();
      return true;
    });

  for (const source of regions) {
    for (const target of regions.filter((r) => r !== source)) {
      const deliver = (write: QueuedWrite): Promise<boolean> =>
        applyVersion(target, states.get(write.tableName, write), write.version);
      pairs.set(`${source}>${target}`, new PairQueue(source, target, { lagMs: () => settings.lagMs, deliver, stopper, onError }));
    }
  }

  /** Brings `region` back to the item's winner when the last thing written there was not it. */
  const reconcile = (region: string, state: ItemState): void => {
    const winner = state.winner;
    if (!winner || state.present.get(region) === winner) return;
    if (winner.origin !== region) return pair(winner.origin, region).push(queued(state, winner));
    counters.repairs += 1;
    activity.repairsInFlight += 1;
    void applyVersion(region, state, winner)
      .catch(onError)
      .finally(() => {
        activity.repairsInFlight -= 1;
      });
  };

  const handleRecord = (region: string, tableName: string, record: ShardRecord): void => {
    const write = observeWrite(record.record);
    if (!write) return;
    activity.lastAt = Date.now();
    const state = states.get(tableName, write);
    const echo = writer(region).takeEcho(tableName, write.keyId, write.content);
    if (echo) {
      counters.echoesSuppressed += 1;
      state.present.set(region, echo);
    } else {
      counters.localWrites += 1;
      const version: ItemVersion = { writtenAt: record.observedAt, origin: region, serial: (serial += 1), image: write.image };
      state.present.set(region, version);
      if (offerVersion(state, version)) regions.filter((r) => r !== region).forEach((target) => pair(region, target).push(queued(state, version)));
      else counters.localWritesLost += 1;
    }
    reconcile(region, state);
  };

  const streams = regions.map((r) => new DynamoDBStreamsClient({ region: r, endpoint: options.dynamodbEndpoint, credentials: localCredentials }));
  const readers: StreamReader[] = await Promise.all(
    regions.flatMap((region, i) =>
      options.tableNames.map((tableName) =>
        startStreamReader({
          client: streams[i] as DynamoDBStreamsClient,
          region,
          tableName,
          startingPosition: 'LATEST',
          pollIntervalMs: options.pollIntervalMs,
          onError,
          consume: async (_shard, records) => {
            records.forEach((record) => handleRecord(region, tableName, record));
            const last = records[records.length - 1];
            return last ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: last.sequenceNumber } : undefined;
          },
        }),
      ),
    ),
  );

  const busy = (): boolean =>
    activity.repairsInFlight > 0 || [...pairs.values()].some((p) => p.deliverable > 0) || [...writers.values()].some((w) => w.pendingEchoes > 0);

  return {
    setLag: (lagMs) => {
      settings.lagMs = validLag(lagMs);
    },
    setPartition: (a, b, partitioned) => {
      for (const region of [a, b]) if (!regions.includes(region)) throw new RangeError(`Unknown region ${region}; replicating ${regions.join(', ')}`);
      if (a === b) throw new RangeError('A partition needs two different regions');
      pair(a, b).setPartitioned(partitioned);
      pair(b, a).setPartitioned(partitioned);
    },
    status: () => ({
      lagMs: settings.lagMs,
      regions,
      tableNames: [...options.tableNames],
      partitions: [...pairs.values()].filter((p) => p.partitioned && p.source < p.target).map((p) => [p.source, p.target] as [string, string]),
      pairs: [...pairs.values()].map((p) => p.stats()),
      ...counters,
    }),
    idle: (timeoutMs = 15_000) => waitUntilQuiet(busy, () => activity.lastAt, Math.max(150, (options.pollIntervalMs ?? 20) * 5), timeoutMs),
    stop: async () => {
      stopper.stop();
      await Promise.all(readers.map((r) => r.stop()));
      for (const client of [...dynamo.values(), ...streams]) client.destroy();
    },
  };
};

/**
 * A later write from the same origin is queued behind this one, so this one still applies (each
 * write shows in the replica's stream); a newer write from another region means this one lost.
 */
const shouldApply = (state: ItemState, target: string, version: ItemVersion): boolean => {
  const winner = state.winner;
  const present = state.present.get(target);
  if (!winner || (winner !== version && winner.origin !== version.origin)) return false;
  return present === undefined || compareVersions(version, present) > 0;
};

const queued = (state: ItemState, version: ItemVersion): QueuedWrite => ({ tableName: state.tableName, keyId: state.keyId, keys: state.keys, version });

const validLag = (lagMs: number): number => {
  if (!Number.isFinite(lagMs) || lagMs < 0) throw new RangeError(`lagMs must be a number >= 0, got ${lagMs}`);
  return lagMs;
};

/** Quiet means nothing busy and no stream activity for `settleMs`: long enough for a fresh write to reach a stream and be read. */
const waitUntilQuiet = async (busy: () => boolean, lastActivityAt: () => number, settleMs: number, timeoutMs: number): Promise<void> => {
  const started = Date.now();
  while (busy() || Date.now() - Math.max(lastActivityAt(), started) < settleMs) {
    if (Date.now() - started > timeoutMs) throw new Error(`Replication did not become idle within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
