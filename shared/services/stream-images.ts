import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { InboxItem } from '../domain/ingest/ingress-event';

/** The inbox images of one stream record, unmarshalled. */
export interface InboxChange {
  sequenceNumber: string;
  eventName: string;
  newItem?: Partial<InboxItem>;
  oldItem?: Partial<InboxItem>;
}

const image = (value: unknown): Partial<InboxItem> | undefined =>
  value ? (unmarshall(value as Record<string, AttributeValue>) as Partial<InboxItem>) : undefined;

/** Reads a DynamoDB stream record of the inbox into plain objects. */
export const readInboxChange = (record: DynamoDBRecord): InboxChange => {
  const newItem = image(record.dynamodb?.NewImage);
  const oldItem = image(record.dynamodb?.OldImage);
  return {
    sequenceNumber: record.dynamodb?.SequenceNumber ?? '',
    eventName: record.eventName ?? 'UNKNOWN',
    ...(newItem ? { newItem } : {}),
    ...(oldItem ? { oldItem } : {}),
  };
};

/** The new image is a later use of the key: received once the old one's dedupe window had ended. */
const isNewIncarnation = (oldItem: Partial<InboxItem>, newItem: Partial<InboxItem>): boolean =>
  typeof oldItem.windowEnd === 'number' &&
  typeof newItem.receivedAt === 'string' &&
  oldItem.eventId !== newItem.eventId &&
  oldItem.windowEnd <= Date.parse(newItem.receivedAt);

/** What the router does with one inbox change. */
export type ChangeAction =
  | { action: 'route'; item: Partial<InboxItem> }
  | { action: 'count-duplicate'; id: string; lost: string; lostTo: string; expiresAt?: number }
  | { action: 'ignore' };

/**
 * Routes new events this region ingested (the stream fast path; events of other homes are the
 * sweeper's, under their owner's lease). A replicated overwrite that changed `home` of an event
 * this region ingested means two regions accepted the same key inside the replication window:
 * both routed it, and this region's copy lost, so this region records and counts the repeat. Under
 * last writer wins only losing copies are overwritten: N copies give N - 1 counts, one per loser.
 */
export const decideChange = (change: InboxChange, region: string): ChangeAction => {
  const { newItem, oldItem } = change;
  if (change.eventName === 'INSERT' && newItem?.home === region) return { action: 'route', item: newItem };
  if (change.eventName !== 'MODIFY' || !newItem || !oldItem) return { action: 'ignore' };
  // A key used again after its dedupe window overwrites the row its last use left (TTL deletes lazily):
  // a new event, routed like an insert by the region that accepted it, and no duplicate.
  if (isNewIncarnation(oldItem, newItem))
    return newItem.home === region ? { action: 'route', item: newItem } : { action: 'ignore' };
  if (oldItem.home !== newItem.home && oldItem.home === region && typeof newItem.id === 'string') {
    return {
      action: 'count-duplicate',
      id: newItem.id,
      lost: region,
      lostTo: newItem.home ?? '?',
      ...(typeof newItem.expiresAt === 'number' ? { expiresAt: newItem.expiresAt } : {}),
    };
  }
  return { action: 'ignore' };
};
