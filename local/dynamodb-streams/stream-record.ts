import type { AttributeValue as SdkAttributeValue, _Record as SdkRecord } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';

/** DynamoDB Local names every region `ddblocal`; the local cloud must show the real one. */
const LOCAL_REGION = 'ddblocal';

/** Replaces DynamoDB Local's `ddblocal` region inside an ARN; a no-op when a proxy already did it. */
export const rewriteLocalRegion = (arn: string, region: string): string =>
  arn.replace(`:dynamodb:${LOCAL_REGION}:`, `:dynamodb:${region}:`);

const toBase64 = (bytes: Uint8Array | string): string =>
  typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('base64');

/** Converts one SDK attribute value to the JSON shape Lambda delivers (binary as base64). */
export const toLambdaAttribute = (value: SdkAttributeValue): AttributeValue => {
  if (value.B !== undefined) return { B: toBase64(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(toBase64) };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaAttribute) };
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  // The Streams SDK deserializes an empty map ({"M": {}}) to {}: nothing else comes back without a member.
  if (Object.keys(value).length === 0) return { M: {} };
  throw new RangeError(`Unsupported attribute value: ${JSON.stringify(Object.keys(value))}`);
};

/** Converts an SDK attribute map (an image or keys) to the Lambda JSON shape. */
export const toLambdaImage = (image: Record<string, SdkAttributeValue>): Record<string, AttributeValue> =>
  Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toLambdaAttribute(value)]));

const optionalImage = (
  image: Record<string, SdkAttributeValue> | undefined,
): Record<string, AttributeValue> | undefined => (image === undefined ? undefined : toLambdaImage(image));

/**
 * DynamoDB Local reports TTL deletions with an event name the SDK does not know and without the
 * service identity; AWS reports them as REMOVE by dynamodb.amazonaws.com, which consumers filter on.
 */
const isTtlDeletion = (record: SdkRecord): boolean =>
  record.eventName !== 'INSERT' && record.eventName !== 'MODIFY' && record.eventName !== 'REMOVE';

/** Converts an SDK stream record to the record of a Lambda DynamoDB stream event (§5). */
export const toLambdaRecord = (record: SdkRecord, region: string, streamArn: string): DynamoDBRecord => {
  const data = record.dynamodb ?? {};
  const ttl = isTtlDeletion(record) || record.userIdentity?.PrincipalId === 'dynamodb.amazonaws.com';
  const created = data.ApproximateCreationDateTime;
  const converted: DynamoDBRecord = {
    eventID: record.eventID,
    eventName: ttl ? 'REMOVE' : (record.eventName as DynamoDBRecord['eventName']),
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: {
      ApproximateCreationDateTime: created === undefined ? undefined : Math.floor(new Date(created).getTime() / 1000),
      Keys: optionalImage(data.Keys),
      NewImage: optionalImage(data.NewImage),
      OldImage: optionalImage(data.OldImage),
      SequenceNumber: data.SequenceNumber,
      SizeBytes: data.SizeBytes,
      StreamViewType: data.StreamViewType,
    },
    eventSourceARN: rewriteLocalRegion(streamArn, region),
  };
  if (ttl) converted.userIdentity = { type: 'Service', principalId: 'dynamodb.amazonaws.com' };
  return dropUndefined(converted);
};

/** Lambda's JSON has no `undefined` members; dropping them keeps deep-equality and filters honest. */
const dropUndefined = (record: DynamoDBRecord): DynamoDBRecord => {
  const dynamodb = Object.fromEntries(Object.entries(record.dynamodb ?? {}).filter(([, v]) => v !== undefined));
  return { ...Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)), dynamodb };
};
