import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from 'aws-lambda';

/** An item image in the Lambda stream shape; `null` stands for a deleted item. */
export type ItemImage = Record<string, AttributeValue> | null;

/** One write of one item somewhere: the unit last-writer-wins orders. */
export interface ItemVersion {
  /** When the replicator saw the write in its origin region's stream (epoch ms). */
  writtenAt: number;
  origin: string;
  /** Tie-breaker between writes in one region within one millisecond: stream order. */
  serial: number;
  image: ItemImage;
}

/** Orders versions by write time, then by region name so every replica picks the same winner. */
export const compareVersions = (a: ItemVersion, b: ItemVersion): number =>
  a.writtenAt - b.writtenAt || a.origin.localeCompare(b.origin) || a.serial - b.serial;

const sortValue = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortValue);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((name) => {
        const inner = (value as Record<string, unknown>)[name];
        // Sets have no order; DynamoDB may return their members in any order.
        const isSet = (name === 'SS' || name === 'NS' || name === 'BS') && Array.isArray(inner);
        return [name, isSet ? [...(inner as string[])].sort() : sortValue(inner)];
      }),
  );
};

/** A text that is equal for equal images whatever the attribute or set-member order. */
export const canonicalImage = (image: ItemImage | undefined): string =>
  image ? JSON.stringify(sortValue(image)) : 'DELETED';

/** Identifies an item by its key attributes, whatever their order. */
export const itemKeyId = (keys: Record<string, AttributeValue>): string => canonicalImage(keys);

const toSdkAttribute = (value: AttributeValue): SdkAttributeValue => {
  if (value.B !== undefined) return { B: Buffer.from(value.B, 'base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b, 'base64')) };
  if (value.M !== undefined) return { M: toSdkImage(value.M) };
  if (value.L !== undefined) return { L: value.L.map(toSdkAttribute) };
  return value as SdkAttributeValue;
};

/** Converts a Lambda-shaped image (binaries as base64) back to what PutItem takes. */
export const toSdkImage = (image: Record<string, AttributeValue>): Record<string, SdkAttributeValue> =>
  Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toSdkAttribute(value)]));
