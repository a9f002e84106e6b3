/**
 * DynamoDB Local keeps data per (access key, region) but writes the fixed pseudo-region
 * `ddblocal` into everything it returns: TableArn, LatestStreamArn, StreamArn, IndexArn,
 * shard iterators (which embed the stream ARN) and stream records' `awsRegion`. The proxy
 * swaps it for the caller's region on the way out and back on the way in, so ARNs a client
 * got from the proxy round-trip. Only string values under ARN-like keys are touched: item data
 * is always wrapped in AttributeValue objects ({"S": ...}), so user strings are never rewritten.
 */
export const ENGINE_REGION = 'ddblocal';

const arnPrefix = (region: string): string => `arn:aws:dynamodb:${region}:`;

const ARN_KEY = /(?:Arn|ARN|ShardIterator)$/;
const MESSAGE_KEY = /^[Mm]essage$/;
/** Subtrees that only ever hold item data; skipping them keeps big Scan answers cheap. */
const ITEM_DATA = new Set([
  'Item',
  'Items',
  'Attributes',
  'Keys',
  'Key',
  'NewImage',
  'OldImage',
  'LastEvaluatedKey',
  'ExpressionAttributeValues',
]);

type StringRewrite = (key: string, value: string) => string;

const walk = (value: unknown, rewrite: StringRewrite): unknown => {
  if (Array.isArray(value)) return value.map((entry) => walk(entry, rewrite));
  if (typeof value !== 'object' || value === null) return value;
  const object = value as Record<string, unknown>;
  for (const [key, entry] of Object.entries(object)) {
    if (ITEM_DATA.has(key)) continue;
    object[key] = typeof entry === 'string' ? rewrite(key, entry) : walk(entry, rewrite);
  }
  return object;
};

/** True when a request body may carry one of the caller's ARNs that the engine knows as `ddblocal`. */
export const requestNeedsRewrite = (body: Buffer, region: string): boolean => body.includes(arnPrefix(region));

/** True when an engine answer mentions `ddblocal` at all; most item answers do not. */
export const responseNeedsRewrite = (body: Buffer): boolean => body.includes(ENGINE_REGION);

/** Rewrites the caller's region in ARNs of a parsed request to the engine's `ddblocal`, in place. */
export const rewriteRequestRegion = (json: Record<string, unknown>, region: string): void => {
  const from = arnPrefix(region);
  const to = arnPrefix(ENGINE_REGION);
  walk(json, (key, value) => (ARN_KEY.test(key) && value.startsWith(from) ? to + value.slice(from.length) : value));
};

/** Rewrites `ddblocal` in ARNs, `awsRegion` and error messages of a parsed answer to the caller's region, in place. */
export const rewriteResponseRegion = (json: Record<string, unknown>, region: string): void => {
  const from = arnPrefix(ENGINE_REGION);
  const to = arnPrefix(region);
  walk(json, (key, value) => {
    if (key === 'awsRegion') return value === ENGINE_REGION ? region : value;
    if (ARN_KEY.test(key) || MESSAGE_KEY.test(key)) return value.replaceAll(from, to);
    return value;
  });
};
