import { createHash } from 'node:crypto';

/**
 * Typed, injective idempotency keys (decision 012).
 *
 * `id = "k1" + JSON.stringify([source, "s:<string>" | "n:<integer>" | "e:<event id>", ...])`. JSON escaping
 * keeps any character (`#`, `"`, `\`, unicode) from moving a boundary, and the type prefix keeps `1` and
 * `"1"` apart, so different inputs give different ids. An encoding over 1,024 UTF-8 bytes is replaced by
 * `h1:<sha256>` so the id stays well inside DynamoDB's 2,048-byte partition-key limit.
 */

/** One typed part of a key: a string value, a safe integer, or the EventBridge event id. */
export type KeyComponent = { type: 's'; value: string } | { type: 'n'; value: number } | { type: 'e'; value: string };

/** A key path already split on dots: `['id']` (the event id) or `['detail', ...]`. */
export type KeyPath = readonly string[];

/** Why an event's key cannot be used: it is quarantined with this reason. */
export type KeyRefusal = { ok: false; reason: 'missing-key' | 'unsafe-number-key'; message: string };

export type KeyComponentsResult = { ok: true; components: KeyComponent[] } | KeyRefusal;

export type EncodedKey = { id: string; keyText?: string };

/** Above this many UTF-8 bytes the encoding is hashed; the full text is kept in `keyText`. */
export const MAX_KEY_ENCODING_BYTES = 1024;

const EVENT_ID_PATH: KeyPath = ['id'];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

// Own properties only: a key named `constructor` or `__proto__` must not read Object.prototype.
const readOwnPath = (root: unknown, segments: readonly string[]): unknown => {
  let value = root;
  for (const segment of segments) {
    if (!isRecord(value) || !Object.hasOwn(value, segment)) return undefined;
    value = value[segment];
  }
  return value;
};

const missing = (where: string, why: string): KeyRefusal => ({
  ok: false,
  reason: 'missing-key',
  message: `idempotency key ${where} ${why}`,
});

const readComponent = (event: { id: string; detail: unknown }, path: KeyPath): KeyComponent | KeyRefusal => {
  const where = path.join('.');
  if (path.length === 1 && path[0] === 'id') {
    const id: unknown = event.id;
    return typeof id === 'string' && id !== '' ? { type: 'e', value: id } : missing(where, 'is missing or empty');
  }
  if (path[0] !== 'detail') return missing(where, 'is not a supported key path (only id or detail.<path>)');
  const value = readOwnPath(Object.hasOwn(event, 'detail') ? event.detail : undefined, path.slice(1));
  if (typeof value === 'string' && value !== '') return { type: 's', value };
  if (typeof value === 'number') {
    return Number.isSafeInteger(value)
      ? { type: 'n', value }
      : {
          ok: false,
          reason: 'unsafe-number-key',
          message:
            `idempotency key ${where} is a number that is not a safe integer (|n| ≤ 2^53 − 1), so it may ` +
            'already have been rounded when the event was parsed: send large or fractional ids as strings',
        };
  }
  return missing(where, 'is missing or not a non-empty string or safe integer');
};

/**
 * Reads every key path from the event, in order; with no paths the EventBridge event id is the key,
 * so EventBridge's own redeliveries still dedupe. The first path that cannot be used is reported.
 */
export const readKeyComponents = (
  event: { id: string; detail: unknown },
  paths: readonly KeyPath[],
): KeyComponentsResult => {
  const components: KeyComponent[] = [];
  for (const path of paths.length > 0 ? paths : [EVENT_ID_PATH]) {
    const component = readComponent(event, path);
    if ('ok' in component) return component;
    components.push(component);
  }
  return { ok: true, components };
};

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

const componentText = (component: KeyComponent): string =>
  `${component.type}:${component.type === 'n' ? String(component.value) : component.value}`;

/** Encodes a source and its key components as the inbox id (hashed, with `keyText`, when over 1,024 bytes). */
export const encodeKey = (source: string, components: readonly KeyComponent[]): EncodedKey => {
  const encoding = `k1${JSON.stringify([source, ...components.map(componentText)])}`;
  if (Buffer.byteLength(encoding, 'utf8') <= MAX_KEY_ENCODING_BYTES) return { id: encoding };
  return { id: `h1:${sha256Hex(encoding)}`, keyText: encoding };
};

/** The source a readable key id (`k1[…]`) names; undefined for a hashed id or anything else. */
export const sourceOfKeyId = (id: string): string | undefined => {
  if (!id.startsWith('k1[')) return undefined;
  try {
    const [source] = JSON.parse(id.slice(2)) as unknown[];
    return typeof source === 'string' ? source : undefined;
  } catch {
    return undefined;
  }
};

/** SHA-256 hex of a key id, for logs and stage-wide records that must not hold raw keys. */
export const keyDigest = (id: string): string => sha256Hex(id);

/** Spreads ids over `shards` (1 to 256) by the first byte of their SHA-256. */
export const keyShard = (id: string, shards: number): number => {
  // One byte has 256 values: more shards than that would silently leave the rest empty.
  if (!Number.isInteger(shards) || shards < 1 || shards > 256) {
    throw new RangeError(`keyShard needs an integer shard count from 1 to 256, got ${shards}`);
  }
  const firstByte = createHash('sha256').update(id, 'utf8').digest()[0] ?? 0;
  return firstByte % shards;
};
