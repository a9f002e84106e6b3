import type { SourcePolicy } from '../catalog';

/** In UTF-8 bytes: with the source prefix the inbox id stays under DynamoDB's 2048-byte partition-key limit. */
const MAX_KEY_VALUE_BYTES = 1024;

export type KeyResult = { ok: true; id: string } | { ok: false; message: string };

/** Reads a dotted path (already split) out of the event envelope. */
export const readPath = (event: Record<string, unknown>, path: readonly string[]): unknown =>
  path.reduce<unknown>(
    (value, segment) =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? (value as Record<string, unknown>)[segment]
        : undefined,
    event,
  );

/**
 * Derives the inbox id: `<source>#<key value>` from the source's key path, or `<source>#event:<event id>`
 * when none is configured, so EventBridge's own redeliveries dedupe too.
 */
export const deriveIdempotencyKey = (
  event: Record<string, unknown> & { id: string; source: string },
  policy: SourcePolicy,
): KeyResult => {
  if (!policy.keyPath) return { ok: true, id: `${event.source}#event:${event.id}` };
  const value = readPath(event, policy.keyPath);
  const where = policy.keyPath.join('.');
  if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, id: `${event.source}#${String(value)}` };
  if (typeof value !== 'string' || value.trim() === '') {
    return { ok: false, message: `idempotency key ${where} is missing or not a non-empty string or number` };
  }
  if (Buffer.byteLength(value, 'utf8') > MAX_KEY_VALUE_BYTES)
    return { ok: false, message: `idempotency key ${where} is longer than ${MAX_KEY_VALUE_BYTES} bytes` };
  return { ok: true, id: `${event.source}#${value}` };
};
