import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Stopper } from '../dynamodb-streams/stopper';
import type { ShardRecord } from '../dynamodb-streams/stream-reader';
import { ItemStates, observeWrite, offerVersion, type ItemState } from './item-states';
import { compareVersions, type ItemVersion } from './item-version';
import { PairQueue, type PairStats, type QueuedWrite } from './pair-queue';
import { ReplicaWriter } from './replica-writer';

/** Counters of what the replicator has seen and done. */
export interface ReplicationCounters {
  /** Writes made by callers, as seen in the streams. */
  localWrites: number;
  /** Stream records caused by the replicator's own writes, not replicated again. */
  echoesSuppressed: number;
  /** Local writes that arrived already older than another region's write of the item. */
  localWritesLost: number;
  /** Winners written back into their own region after an older replicated write overwrote them. */
  repairs: number;
  /**
   * Replicated writes a region refused because it held a write the replicator had not read yet: a
   * newer local write (which then wins) or one from before replication started.
   */
  appliesRefused: number;
}

/**
 * Last-writer-wins replication between regions: decides, per stream record, whether it is a new
 * local write or an echo of our own apply, queues winners to the other regions, and repairs a
 * region whose newest local write was overwritten by an older replicated one.
 */
export class ReplicationEngine {
  readonly counters: ReplicationCounters = {
    localWrites: 0,
    echoesSuppressed: 0,
    localWritesLost: 0,
    repairs: 0,
    appliesRefused: 0,
  };
  lastActivityAt = Date.now();
  private repairsInFlight = 0;
  private serial = 0;
  private readonly states = new ItemStates();
  private readonly writers = new Map<string, ReplicaWriter>();
  private readonly pairs = new Map<string, PairQueue>();

  constructor(
    readonly regions: readonly string[],
    clients: ReadonlyMap<string, DynamoDBClient>,
    private readonly deps: {
      lagMs: () => number;
      stopper: Stopper;
      onError: (error: unknown) => void;
      /** Resolves once `region`'s stream of the table has been read past `since` (or waiting is pointless). */
      streamReadPast: (region: string, tableName: string, since: number) => Promise<void>;
    },
  ) {
    for (const region of regions)
      this.writers.set(region, new ReplicaWriter(region, clients.get(region) as DynamoDBClient));
    for (const source of regions) {
      for (const target of this.others(source)) {
        const deliver = (write: QueuedWrite): Promise<boolean> =>
          this.apply(target, this.states.get(write.tableName, write), write.version);
        this.pairs.set(`${source}>${target}`, new PairQueue(source, target, { ...deps, deliver }));
      }
    }
  }

  /** Processes one record of `region`'s stream, in stream order. */
  handleRecord(region: string, tableName: string, record: ShardRecord): void {
    const write = observeWrite(record.record);
    if (!write) return;
    this.lastActivityAt = Date.now();
    const state = this.states.get(tableName, write);
    const echo = this.writer(region).takeEcho(tableName, write.keyId, write.content);
    if (echo) {
      this.counters.echoesSuppressed += 1;
      state.present.set(region, echo);
    } else {
      this.counters.localWrites += 1;
      const version: ItemVersion = {
        writtenAt: record.observedAt,
        origin: region,
        serial: (this.serial += 1),
        image: write.image,
      };
      state.present.set(region, version);
      if (offerVersion(state, version))
        this.others(region).forEach((target) => this.pair(region, target).push(queued(state, version)));
      else this.counters.localWritesLost += 1;
    }
    this.reconcile(region, state);
  }

  setPartition(a: string, b: string, partitioned: boolean): void {
    this.pair(a, b).setPartitioned(partitioned);
    this.pair(b, a).setPartitioned(partitioned);
  }

  pairStats(): PairStats[] {
    return [...this.pairs.values()].map((p) => p.stats());
  }

  /** True while a deliverable write, a repair, or the stream record of an apply is outstanding. */
  busy(): boolean {
    return (
      this.repairsInFlight > 0 ||
      [...this.pairs.values()].some((p) => p.deliverable > 0) ||
      [...this.writers.values()].some((w) => w.pendingEchoes > 0)
    );
  }

  /**
   * Brings `region` back to the item's winner when the last thing written there was not it. A
   * winner already written there, whose stream record is still to be read, needs nothing: the
   * record read now is an older one (replication lags most on a loaded machine).
   */
  private reconcile(region: string, state: ItemState): void {
    const winner = state.winner;
    if (!winner || state.present.get(region) === winner) return;
    if (this.writer(region).awaitsEcho(state.tableName, state.keyId, winner)) return;
    if (winner.origin !== region) return this.pair(winner.origin, region).push(queued(state, winner));
    this.counters.repairs += 1;
    this.repairsInFlight += 1;
    void this.apply(region, state, winner)
      .catch(this.deps.onError)
      .finally(() => {
        this.repairsInFlight -= 1;
      });
  }

  /**
   * Writes a version into `target` unless it lost to another region's write or the target holds it
   * or newer. The write is conditional on the image the target last held as far as the replicator
   * knows, so it never lands on a local write whose stream record is still unread: as on AWS, a
   * replica never shows an older write over a newer one, even for a moment. When the target refuses,
   * its stream is read past the refusal: a local write found there is newer and wins; if none is
   * found, what the target holds predates replication and is written over, still conditionally.
   */
  private apply(target: string, state: ItemState, version: ItemVersion): Promise<boolean> {
    const writer = this.writer(target);
    return writer.serially(`${state.tableName}|${state.keyId}`, async () => {
      while (shouldApply(state, target, version)) {
        const known = state.present.get(target);
        const held = writer.lastUnread(state.tableName, state.keyId) ?? known;
        const outcome = await writer.write(state.tableName, state.keyId, state.keys, version, held?.image ?? null);
        this.lastActivityAt = Date.now();
        if (outcome === 'unchanged') state.present.set(target, version);
        if (typeof outcome === 'string') return true;
        this.counters.appliesRefused += 1;
        await this.deps.streamReadPast(target, state.tableName, Date.now());
        if (this.deps.stopper.isStopped()) return false;
        if (state.present.get(target) === known && !writer.lastUnread(state.tableName, state.keyId))
          state.present.set(target, { writtenAt: 0, origin: target, serial: 0, image: outcome.refused });
      }
      return false;
    });
  }

  private others(region: string): string[] {
    return this.regions.filter((r) => r !== region);
  }

  private writer(region: string): ReplicaWriter {
    return this.writers.get(region) as ReplicaWriter;
  }

  private pair(source: string, target: string): PairQueue {
    return this.pairs.get(`${source}>${target}`) as PairQueue;
  }
}

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

const queued = (state: ItemState, version: ItemVersion): QueuedWrite => ({
  tableName: state.tableName,
  keyId: state.keyId,
  keys: state.keys,
  version,
});
