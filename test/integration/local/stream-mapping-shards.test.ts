import type { Shard } from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import { planShardStarts } from '../../../local/dynamodb-streams/shard-plan';

// DynamoDB Local never splits a shard, so shard lineage is proven on the planning rule itself.
const shard = (id: string, parent?: string, ending?: string): Shard => ({
  ShardId: id,
  ParentShardId: parent,
  SequenceNumberRange: { StartingSequenceNumber: '1', EndingSequenceNumber: ending },
});

describe('stream shard planning', () => {
  const lineage = [shard('parent', undefined, '100'), shard('child', 'parent'), shard('orphan', 'trimmed-away')];

  it('reads a closed parent before its child, and starts a child whose parent aged out at once', () => {
    expect(planShardStarts(lineage, new Set(), new Set(), 'TRIM_HORIZON')).toEqual([
      { shardId: 'parent', action: 'TRIM_HORIZON' },
      { shardId: 'orphan', action: 'TRIM_HORIZON' },
    ]);
  });

  it('starts the child from its beginning once the parent has been read to the end', () => {
    const started = new Set(['parent', 'orphan']);
    expect(planShardStarts(lineage, started, new Set(), undefined)).toEqual([]);
    expect(planShardStarts(lineage, started, new Set(['parent']), undefined)).toEqual([
      { shardId: 'child', action: 'TRIM_HORIZON' },
    ]);
  });

  it('skips closed shards and starts open ones at LATEST when a mapping starts from LATEST', () => {
    expect(planShardStarts(lineage, new Set(), new Set(), 'LATEST')).toEqual([
      { shardId: 'parent', action: 'SKIP' },
      { shardId: 'child', action: 'LATEST' },
      { shardId: 'orphan', action: 'LATEST' },
    ]);
  });
});
