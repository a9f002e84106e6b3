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

const readKeyValue = (
  event: Record<string, unknown>,
  path: readonly string[],
): { ok: true; text: string } | { ok: false; message: string } => {
  const value = readPath(event, path);
  const where = path.join('.');
  if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, text: String(value) };
  if (typeof value !== 'string' || value.trim() === '') {
    return { ok: false, message: `idempotency key ${where} is missing or not a non-empty string or number` };
  }
  if (Buffer.byteLength(value, 'utf8') > MAX_KEY_VALUE_BYTES)
    return { ok: false, message: `idempotency key ${where} is longer than ${MAX_KEY_VALUE_BYTES} bytes` };
  return { ok: true, text: value };
};

/**
 * Derives the inbox id: `<source>#<key value>` from the source's key path (values joined by `#` for a
 * composite key, until decision 012's encoding replaces this), or `<source>#event:<event id>` when none is
 * configured, so EventBridge's own redeliveries dedupe too.
 */
export const deriveIdempotencyKey = (
  event: Record<string, unknown> & { id: string; source: string },
  policy: SourcePolicy,
): KeyResult => {
  if (policy.keyPaths.length === 0) return { ok: true, id: `${event.source}#event:${event.id}` };
  const values: string[] = [];
  for (const path of policy.keyPaths) {
    const value = readKeyValue(event, path);
    if (!value.ok) return value;
    values.push(value.text);
  }
  return { ok: true, id: `${event.source}#${values.join('#')}` };
};
