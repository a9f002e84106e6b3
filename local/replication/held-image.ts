import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from 'aws-lambda';
import { toSdkImage, type ItemImage } from './item-version';

/**
 * A condition that holds only while the item is `image` (or absent, for `null`): a replicated
 * write carries it so that it never lands on a local write the replicator has not read yet. On
 * AWS a replica compares the write's timestamp with its own atomically; here the replicator
 * learns of a local write only from the stream, some 20-30 ms (more on a loaded machine) later.
 *
 * Equality is checked on up to MAX_COMPARED attributes, keeping the expression well under
 * DynamoDB's 4 KB; the key attributes make every image's check at least as strict as absence.
 */
export interface HeldImageCondition {
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues?: Record<string, SdkAttributeValue>;
}

const MAX_COMPARED = 100;

export const heldImageCondition = (keys: Record<string, AttributeValue>, image: ItemImage): HeldImageCondition => {
  const keyName = Object.keys(keys).sort()[0] as string;
  if (!image) return { ConditionExpression: 'attribute_not_exists(#k)', ExpressionAttributeNames: { '#k': keyName } };
  const names = Object.keys(image).sort().slice(0, MAX_COMPARED);
  const values = toSdkImage(image);
  return {
    ConditionExpression: names.map((_, i) => `#a${i} = :a${i}`).join(' AND '),
    ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#a${i}`, name])),
    ExpressionAttributeValues: Object.fromEntries(
      names.map((name, i) => [`:a${i}`, values[name] as SdkAttributeValue]),
    ),
  };
};
