import type { Shard } from '@aws-sdk/client-dynamodb-streams';

/** What to do with a shard not yet started: read it from a position, or mark it done unread. */
export type ShardStart = { shardId: string; action: 'LATEST' | 'TRIM_HORIZON' | 'SKIP' };

/**
 * Decides which shards to start now. A child waits until its parent has been read to the end, so
 * records of one item stay in order across a shard split; a parent that has aged out no longer
 * blocks. On the first pass from LATEST, closed shards are skipped and open ones start at LATEST;
 * every shard found later starts at TRIM_HORIZON, as Lambda does.
 */
export const planShardStarts = (
  shards: readonly Shard[],
  started: ReadonlySet<string>,
  finished: ReadonlySet<string>,
  initial?: 'LATEST' | 'TRIM_HORIZON',
): ShardStart[] => {
  const known = new Set(shards.map((s) => s.ShardId));
  const plan: ShardStart[] = [];
  for (const shard of shards) {
    const shardId = shard.ShardId;
    if (!shardId || started.has(shardId)) continue;
    const closed = shard.SequenceNumberRange?.EndingSequenceNumber !== undefined;
    if (initial === 'LATEST') {
      plan.push({ shardId, action: closed ? 'SKIP' : 'LATEST' });
      continue;
    }
    const parent = shard.ParentShardId;
    if (parent && known.has(parent) && !finished.has(parent)) continue;
    plan.push({ shardId, action: 'TRIM_HORIZON' });
  }
  return plan;
};
