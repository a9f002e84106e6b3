import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { InboxItem } from '../domain/ingest/ingress-event';
import { isConditionalCheckFailed, storeError } from './aws-errors';

/** What storing a new event found. */
export type PutOutcome =
  | { outcome: 'stored' }
  /** Our own earlier write of this event (same event id and home): an SDK, Lambda or EventBridge retry. */
  | { outcome: 'retried' }
  /** The key is taken inside its dedupe window by another event. */
  | { outcome: 'duplicate'; existing: Pick<InboxItem, 'home' | 'eventId' | 'receivedAt'> };

export interface InboxTable {
  /** Stores a new event in its zone's inbox unless its key is taken inside the dedupe window (in this replica). */
  putNew(item: InboxItem): Promise<PutOutcome>;
  get(zone: string, id: string): Promise<InboxItem | undefined>;
  /** Deletes an event (erase); true when it existed. */
  delete(zone: string, id: string): Promise<boolean>;
  /** Ids of every event whose key encoding starts with `prefix` (erase of a partial composite key; a scan, so rare). */
  idsWithPrefix(zone: string, prefix: string): Promise<string[]>;
}

/*
 * The dedupe put. Timeline of one key:
 *   receivedAt ──── dedupe window ────▶ windowEnd ──── (TTL deletes the row some time later)
 *   a put here is a duplicate          a put here is a new event, even if the old row still exists
 */
const keyIsFree = 'attribute_not_exists(id)';
const windowEnded = 'windowEnd <= :now';

/** The inbox adapter: one table per residency zone; the conditional put is the dedupe. */
export const createInboxTable = ({
  client,
  tableOf,
}: {
  client: DynamoDBDocumentClient;
  tableOf: (zone: string) => string;
}): InboxTable => ({
  async putNew(item) {
    const table = tableOf(item.zone);
    try {
      await client.send(
        new PutCommand({
          TableName: table,
          Item: item,
          ConditionExpression: `${keyIsFree} OR ${windowEnded}`,
          ExpressionAttributeValues: { ':now': Date.parse(item.receivedAt) },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { outcome: 'stored' };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw storeError(table, 'PutItem', error);
      // The document client unmarshalls results, not errors: the item on a failed condition is in wire format.
      const wire = (error as { Item?: Record<string, AttributeValue> }).Item;
      const existing = (wire ? unmarshall(wire) : {}) as Partial<InboxItem>;
      if (existing.eventId === item.eventId && existing.home === item.home) return { outcome: 'retried' };
      return {
        outcome: 'duplicate',
        existing: {
          home: existing.home ?? '?',
          eventId: existing.eventId ?? '?',
          receivedAt: existing.receivedAt ?? '?',
        },
      };
    }
  },
  async get(zone, id) {
    const table = tableOf(zone);
    try {
      const result = await client.send(new GetCommand({ TableName: table, Key: { id }, ConsistentRead: true }));
      return result.Item as InboxItem | undefined;
    } catch (error) {
      throw storeError(table, 'GetItem', error);
    }
  },
  async idsWithPrefix(zone, prefix) {
    const table = tableOf(zone);
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined;
    try {
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: table,
            ProjectionExpression: 'id',
            FilterExpression: 'begins_with(id, :prefix) OR begins_with(keyText, :prefix)',
            ExpressionAttributeValues: { ':prefix': prefix },
            ExclusiveStartKey: start,
          }),
        );
        ids.push(...(page.Items ?? []).map((item) => String(item.id)));
        start = page.LastEvaluatedKey;
      } while (start);
    } catch (error) {
      throw storeError(table, 'Scan(erase)', error);
    }
    return ids;
  },
  async delete(zone, id) {
    const table = tableOf(zone);
    try {
      const result = await client.send(new DeleteCommand({ TableName: table, Key: { id }, ReturnValues: 'ALL_OLD' }));
      return result.Attributes !== undefined;
    } catch (error) {
      throw storeError(table, 'DeleteItem', error);
    }
  },
});
