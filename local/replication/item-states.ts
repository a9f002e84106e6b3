import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { canonicalImage, compareVersions, itemKeyId, type ItemImage, type ItemVersion } from './item-version';

/** What the replicator knows about one item: the global winner and the version each region holds. */
export interface ItemState {
  tableName: string;
  keyId: string;
  keys: Record<string, AttributeValue>;
  winner?: ItemVersion;
  present: Map<string, ItemVersion>;
}

/** One stream record reduced to what replication needs. */
export interface ObservedWrite {
  keys: Record<string, AttributeValue>;
  keyId: string;
  image: ItemImage;
  content: string;
}

/** Reads the key and resulting image of a stream record; a REMOVE (TTL included) yields no image. */
export const observeWrite = (record: DynamoDBRecord): ObservedWrite | undefined => {
  const keys = record.dynamodb?.Keys;
  if (!keys) return undefined;
  const image = record.eventName === 'REMOVE' ? null : (record.dynamodb?.NewImage ?? null);
  return { keys, keyId: itemKeyId(keys), image, content: canonicalImage(image) };
};

/** Every item's state, created on first sight. */
export class ItemStates {
  private readonly items = new Map<string, ItemState>();

  get(tableName: string, write: Pick<ObservedWrite, 'keyId' | 'keys'>): ItemState {
    const id = `${tableName}|${write.keyId}`;
    const existing = this.items.get(id);
    if (existing) return existing;
    const created: ItemState = { tableName, keyId: write.keyId, keys: write.keys, present: new Map() };
    this.items.set(id, created);
    return created;
  }
}

/** Makes `version` the winner when it is newer; true when it won. */
export const offerVersion = (state: ItemState, version: ItemVersion): boolean => {
  if (state.winner && compareVersions(version, state.winner) <= 0) return false;
  state.winner = version;
  return true;
};
