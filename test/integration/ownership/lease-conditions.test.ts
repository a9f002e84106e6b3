import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isConditionalCheckFailed } from '../../../shared/adapters/aws-errors';
import { leaseItemKey } from '../../../shared/adapters/coord-keys';
import type { Condition } from '../../../shared/adapters/quorum-calls';
import { acquireCondition, leaseItem, renewCondition } from '../../../shared/adapters/quorum-lease-conditions';
import { acceptsAcquire, acceptsRenew, type Lease, type LeaseSettings } from '../../../shared/domain/ownership';
import { COORD_TABLE, REGIONS, startQuorumHarness, type QuorumHarness } from './quorum-harness';

const SETTINGS: LeaseSettings = { durationMs: 1_000, marginMs: 200 };

let harness: QuorumHarness;
let client: DynamoDBDocumentClient;

beforeAll(async () => {
  harness = await startQuorumHarness();
  client = harness.client(REGIONS[0]);
});

afterAll(async () => {
  await harness?.stop();
});

interface Case {
  existing: Lease | undefined;
  written: Lease;
  now: number;
}

/** Every combination around the boundaries: same or other holder, lower/equal/higher epoch, earlier/equal/later expiry, now on either side of expiry + margin. */
const cases = (): Case[] => {
  const stored: Array<Lease | undefined> = [undefined, { holder: 'A', epoch: 5, expiresAt: 10_000 }];
  const written = ['A', 'B'].flatMap((holder) =>
    [4, 5, 6].flatMap((epoch) => [9_000, 10_000, 11_000].map((expiresAt) => ({ holder, epoch, expiresAt }))),
  );
  return stored.flatMap((existing) =>
    written.flatMap((lease) => [10_199, 10_200].map((now) => ({ existing, written: lease, now }))),
  );
};

/** Seeds a fresh item, then runs the conditional put DynamoDB would run for the protocol, and reports whether it was accepted. */
const acceptedByDynamo = async (index: number, c: Case, condition: Condition): Promise<boolean> => {
  const key = leaseItemKey('conditions', `case-${index}`);
  await client.send(new DeleteCommand({ TableName: COORD_TABLE, Key: key }));
  if (c.existing) await client.send(new PutCommand({ TableName: COORD_TABLE, Item: leaseItem(key, c.existing) }));
  try {
    await client.send(
      new PutCommand({
        TableName: COORD_TABLE,
        Item: leaseItem(key, c.written),
        ConditionExpression: condition.expression,
        ExpressionAttributeNames: condition.names,
        ExpressionAttributeValues: condition.values,
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
};

const compare = async (
  rule: (c: Case) => boolean,
  condition: (c: Case) => Condition,
): Promise<{ mismatches: unknown[]; accepted: number; total: number }> => {
  const all = cases();
  const outcomes: boolean[] = [];
  // A few at a time: the machine is shared.
  for (let start = 0; start < all.length; start += 8) {
    const batch = all.slice(start, start + 8);
    outcomes.push(...(await Promise.all(batch.map((c, i) => acceptedByDynamo(start + i, c, condition(c))))));
  }
  const mismatches = all.flatMap((c, i) => (outcomes[i] === rule(c) ? [] : [{ ...c, dynamo: outcomes[i] }]));
  return { mismatches, accepted: outcomes.filter(Boolean).length, total: all.length };
};

describe('lease conditions in DynamoDB', () => {
  it('accept an acquire exactly where the domain rule does', async () => {
    const result = await compare(
      (c) => acceptsAcquire(c.existing, c.written, c.now, SETTINGS.marginMs),
      (c) => acquireCondition(c.written, c.now, SETTINGS),
    );
    expect(result.mismatches).toEqual([]);
    expect(result.accepted).toBeGreaterThan(0);
    expect(result.accepted).toBeLessThan(result.total);
  });

  it('accept a renew exactly where the domain rule does', async () => {
    const result = await compare(
      (c) => acceptsRenew(c.existing, c.written, c.now, SETTINGS.marginMs),
      (c) => renewCondition(c.written, c.now, SETTINGS),
    );
    expect(result.mismatches).toEqual([]);
    expect(result.accepted).toBeGreaterThan(0);
    expect(result.accepted).toBeLessThan(result.total);
  });
});
