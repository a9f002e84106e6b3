import { callerRegionOf } from '../aws/caller-region';
import type { CredentialScope } from '../aws/sigv4';

/** Told of every change to one pair: `partitioned` is the pair's new state. */
export type PartitionListener = (regionA: string, regionB: string, partitioned: boolean) => void;

/**
 * Which regions of the local cloud cannot reach each other. One fact shared by the replicator,
 * the DynamoDB proxy and the EventBridge endpoint; partitions are symmetric.
 */
export class Partitions {
  private readonly pairs = new Set<string>();
  private readonly listeners = new Set<PartitionListener>();

  /** `regions` are the cloud's regions; names outside them are refused. */
  constructor(readonly regions: readonly string[]) {}

  /** Cuts a from b (and b from a); a no-op when they already are. */
  set(regionA: string, regionB: string): void {
    this.change(regionA, regionB, true);
  }

  /** Heals the partition between a and b; a no-op when there is none. */
  clear(regionA: string, regionB: string): void {
    this.change(regionA, regionB, false);
  }

  /** Heals every partition. */
  clearAll(): void {
    for (const [a, b] of this.list()) this.clear(a, b);
  }

  isPartitioned(regionA: string, regionB: string): boolean {
    return this.pairs.has(pairKey(regionA, regionB));
  }

  /** Partitioned pairs, each sorted by name, in name order. */
  list(): Array<[string, string]> {
    return [...this.pairs].sort().map((key) => key.split('|') as [string, string]);
  }

  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: PartitionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Throws RangeError naming the cloud's regions when `region` is not one of them. */
  assertRegion(region: string): void {
    if (!this.regions.includes(region))
      throw new RangeError(`Unknown region ${JSON.stringify(region)}; the local cloud has ${this.regions.join(', ')}`);
  }

  private change(regionA: string, regionB: string, partitioned: boolean): void {
    this.assertRegion(regionA);
    this.assertRegion(regionB);
    if (regionA === regionB) throw new RangeError('A partition needs two different regions');
    const key = pairKey(regionA, regionB);
    if (this.pairs.has(key) === partitioned) return;
    if (partitioned) this.pairs.add(key);
    else this.pairs.delete(key);
    for (const listener of [...this.listeners]) listener(regionA, regionB, partitioned);
  }
}

const pairKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

/**
 * True when a signed request comes from a function of a region partitioned from the region it is
 * addressed to (from its SigV4 scope). Callers outside any region are never cut off.
 */
export const isCutOffByPartition = (
  partitions: Partitions | undefined,
  scope: CredentialScope | undefined,
): boolean => {
  const caller = callerRegionOf(scope?.accessKeyId);
  if (!partitions || !scope || caller === undefined || caller === scope.region) return false;
  return partitions.isPartitioned(caller, scope.region);
};
