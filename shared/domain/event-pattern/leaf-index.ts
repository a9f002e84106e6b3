import type { ArrayMembership, EventLeaf } from './flatten-event';

/** Leaves of one path, bucketed so those inside a given array element are found without a scan. */
export interface LeafIndex {
  readonly leaves: readonly EventLeaf[];
  // Only arrays that every leaf sits in are bucketed; for those, an element index picks one bucket.
  readonly sharedArrayIds: ReadonlySet<number>;
  readonly buckets: ReadonlyMap<string, readonly EventLeaf[]>;
}

const bucketKey = (arrayId: number, index: number): string => `${arrayId}:${index}`;

const findSharedArrayIds = (leaves: readonly EventLeaf[]): Set<number> => {
  const [first, ...rest] = leaves;
  const ids = [...(first?.membership.keys() ?? [])];
  return new Set(ids.filter((id) => rest.every((leaf) => leaf.membership.has(id))));
};

/** Builds the bucketed index of a path's leaves. */
export const indexLeaves = (leaves: readonly EventLeaf[]): LeafIndex => {
  const sharedArrayIds = findSharedArrayIds(leaves);
  const buckets = new Map<string, EventLeaf[]>();
  for (const leaf of leaves) {
    for (const arrayId of sharedArrayIds) {
      const key = bucketKey(arrayId, leaf.membership.get(arrayId) ?? -1);
      const bucket = buckets.get(key);
      if (bucket === undefined) buckets.set(key, [leaf]);
      else bucket.push(leaf);
    }
  }
  return { leaves, sharedArrayIds, buckets };
};

/** Narrows the leaves to those that could sit inside the array elements already chosen (a superset). */
export const leavesWithin = (index: LeafIndex, membership: ArrayMembership): readonly EventLeaf[] => {
  for (const [arrayId, elementIndex] of membership) {
    if (index.sharedArrayIds.has(arrayId)) return index.buckets.get(bucketKey(arrayId, elementIndex)) ?? [];
  }
  return index.leaves;
};
