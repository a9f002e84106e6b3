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

/** A FIFO of writes from one region to another, released `lagMs` after each write, held while partitioned. */
export class PairQueue {
  private readonly items: QueuedWrite[] = [];
  private partitionedNow = false;
  private draining = false;
  private inFlight = false;
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
    const queued = this.items.some((w) => w.version === write.version && w.keyId === write.keyId && w.tableName === write.tableName);
    if (!queued) this.items.push(write);
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
    return this.partitionedNow ? 0 : this.items.length + (this.inFlight ? 1 : 0);
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

  /** Starts draining unless already draining, partitioned or stopped. */
  pump(): void {
    if (this.draining || this.partitionedNow || this.deps.stopper.isStopped()) return;
    this.draining = true;
    void this.drain().finally(() => {
      this.draining = false;
      if (this.items.length > 0) this.pump();
    });
  }

  private async drain(): Promise<void> {
    while (this.items.length > 0 && !this.partitionedNow && !this.deps.stopper.isStopped()) {
      const head = this.items[0] as QueuedWrite;
      const wait = head.version.writtenAt + this.deps.lagMs() - Date.now();
      // Short naps re-check the partition flag and the lag, both of which may change meanwhile.
      if (wait > 0) {
        await this.deps.stopper.sleep(Math.min(wait, 25));
        continue;
      }
      if (!(await this.deliverHead(head))) return;
    }
  }

  private async deliverHead(head: QueuedWrite): Promise<boolean> {
    this.inFlight = true;
    try {
      const applied = await this.deps.deliver(head);
      this.failures = 0;
      this.items.shift();
      if (applied) this.recordLag(Date.now() - head.version.writtenAt);
      else this.superseded += 1;
      return true;
    } catch (error) {
      // A target region that is down fails every attempt: report the first error, then back off.
      if (this.failures === 0) this.deps.onError(error);
      this.failures += 1;
      await this.deps.stopper.sleep(errorBackoffMs(50, this.failures));
      return !this.deps.stopper.isStopped();
    } finally {
      this.inFlight = false;
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
