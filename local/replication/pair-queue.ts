import type { AttributeValue } from 'aws-lambda';
import { errorBackoffMs, type Stopper } from '../dynamodb-streams/stopper';
import type { ItemVersion } from './item-version';

/** One item version waiting to be replicated from its origin to one other region. */
export interface QueuedWrite {
  tableName: string;
  keyId: string;
  keys: Record<string, AttributeValue>;
  version: ItemVersion;
}

/** Replication lag and throughput of one directed region pair. */
export interface PairStats {
  source: string;
  target: string;
  partitioned: boolean;
  pending: number;
  applied: number;
  /** Versions not written at delivery: a newer write of the item had won meanwhile, or the target already held it. */
  superseded: number;
  replicationLagMs: { last: number; max: number; average: number };
}

/** The replicator's settings and apply step, as one pair queue sees them. */
export interface PairQueueDeps {
  lagMs: () => number;
  /** Applies a write; resolves with whether it was applied (false: superseded or already there). */
  deliver: (write: QueuedWrite) => Promise<boolean>;
  stopper: Stopper;
  onError: (error: unknown) => void;
}

/** How many writes of one pair may be in flight at once; writes of one item never overlap. */
const MAX_IN_FLIGHT = 32;

/**
 * Writes from one region to another, each released `lagMs` after it was written, held while
 * partitioned. Different items replicate concurrently; the writes of one item stay in order.
 */
export class PairQueue {
  private readonly items: QueuedWrite[] = [];
  private readonly queuedIds = new Set<string>();
  private readonly busyItems = new Set<string>();
  private partitionedNow = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly lag = { count: 0, total: 0, last: 0, max: 0 };
  private applied = 0;
  private superseded = 0;
  private failures = 0;

  constructor(
    readonly source: string,
    readonly target: string,
    private readonly deps: PairQueueDeps,
  ) {}

  /** Queues a write unless the same version of the item is already waiting. */
  push(write: QueuedWrite): void {
    const id = versionId(write);
    if (this.queuedIds.has(id)) return;
    this.queuedIds.add(id);
    this.items.push(write);
    this.pump();
  }

  setPartitioned(partitioned: boolean): void {
    this.partitionedNow = partitioned;
    this.pump();
  }

  get partitioned(): boolean {
    return this.partitionedNow;
  }

  /** Writes that will be delivered without a heal: nothing is pending while the pair is partitioned. */
  get deliverable(): number {
    return this.partitionedNow ? 0 : this.items.length;
  }

  stats(): PairStats {
    const { count, total, last, max } = this.lag;
    return {
      source: this.source,
      target: this.target,
      partitioned: this.partitionedNow,
      pending: this.items.length,
      applied: this.applied,
      superseded: this.superseded,
      replicationLagMs: { last, max, average: count === 0 ? 0 : Math.round(total / count) },
    };
  }

  /**
   * Starts every released write whose item has nothing in flight, oldest first, up to the
   * concurrency limit, and wakes up again when the next write is due.
   */
  pump(): void {
    if (this.partitionedNow || this.deps.stopper.isStopped()) return;
    const now = Date.now();
    const blocked = new Set<string>();
    for (const write of this.items) {
      if (this.busyItems.size >= MAX_IN_FLIGHT) return;
      const item = itemId(write);
      if (this.busyItems.has(item) || blocked.has(item)) {
        blocked.add(item);
        continue;
      }
      const due = write.version.writtenAt + this.deps.lagMs() - now;
      if (due > 0) return this.wakeIn(Math.min(due, 25));
      blocked.add(item);
      this.start(write, item);
    }
  }

  private wakeIn(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, ms);
  }

  private start(write: QueuedWrite, item: string): void {
    this.busyItems.add(item);
    void this.deliver(write).finally(() => {
      this.busyItems.delete(item);
      this.pump();
    });
  }

  private async deliver(write: QueuedWrite): Promise<void> {
    try {
      const applied = await this.deps.deliver(write);
      this.failures = 0;
      this.items.splice(this.items.indexOf(write), 1);
      this.queuedIds.delete(versionId(write));
      if (applied) this.recordLag(Date.now() - write.version.writtenAt);
      else this.superseded += 1;
    } catch (error) {
      // A target region that is down fails every attempt: report the first error, then back off.
      if (this.failures === 0) this.deps.onError(error);
      this.failures += 1;
      await this.deps.stopper.sleep(errorBackoffMs(50, this.failures));
    }
  }

  private recordLag(lagMs: number): void {
    this.applied += 1;
    this.lag.count += 1;
    this.lag.total += lagMs;
    this.lag.last = lagMs;
    this.lag.max = Math.max(this.lag.max, lagMs);
  }
}

const itemId = (write: QueuedWrite): string => `${write.tableName}|${write.keyId}`;
const versionId = (write: QueuedWrite): string => `${itemId(write)}|${write.version.origin}|${write.version.serial}`;
