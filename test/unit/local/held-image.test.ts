import { describe, expect, it } from 'vitest';
import { heldImageCondition } from '../../../local/replication/held-image';

describe('the condition a replicated write carries: the item is still the image the replicator knew', () => {
  it('requires absence when the replicator knows of no item', () => {
    expect(heldImageCondition({ sk: { S: 'b' }, id: { S: 'a' } }, null)).toEqual({
      ConditionExpression: 'attribute_not_exists(#k)',
      ExpressionAttributeNames: { '#k': 'id' },
    });
  });

  it('requires every attribute equal, binaries converted as PutItem takes them', () => {
    const condition = heldImageCondition(
      { id: { S: 'a' } },
      { v: { N: '2' }, id: { S: 'a' }, blob: { B: Buffer.from('hi').toString('base64') } },
    );
    expect(condition.ConditionExpression).toBe('#a0 = :a0 AND #a1 = :a1 AND #a2 = :a2');
    expect(condition.ExpressionAttributeNames).toEqual({ '#a0': 'blob', '#a1': 'id', '#a2': 'v' });
    expect(condition.ExpressionAttributeValues?.[':a0']).toEqual({ B: Buffer.from('hi') });
    expect(condition.ExpressionAttributeValues?.[':a2']).toEqual({ N: '2' });
  });

  it('compares at most 100 attributes, so the expression stays under the 4 KB DynamoDB allows', () => {
    const image = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`attribute${i}`, { S: 'x'.repeat(10) }]));
    const condition = heldImageCondition({ attribute0: { S: 'x' } }, image);
    expect(Object.keys(condition.ExpressionAttributeNames)).toHaveLength(100);
    expect(Buffer.byteLength(condition.ConditionExpression)).toBeLessThan(4_096);
  });
});
