import { describe, expect, it } from 'vitest';
import type { SourcePolicy } from '../../../shared/domain/catalog';
import { deriveIdempotencyKey, readPath } from '../../../shared/domain/ingest/idempotency-key';
import { buildIngressEvent } from '../../helpers/factories';

const policy = (keyPath?: string): SourcePolicy => ({
  source: 'com.switchyard.orders',
  tenant: 'orders',
  residency: 'global',
  keyPaths: keyPath ? [keyPath.split('.')] : [],
});

const eventWith = (detail: unknown) =>
  buildIngressEvent({ detail }) as ReturnType<typeof buildIngressEvent> & Record<string, unknown>;

describe('deriveIdempotencyKey', () => {
  it('prefixes the value at the key path with the source', () => {
    const key = deriveIdempotencyKey(eventWith({ orderId: 'o-7' }), policy('detail.orderId'));
    expect(key).toEqual({ ok: true, id: 'com.switchyard.orders#o-7' });
  });

  it('follows a nested key path', () => {
    const key = deriveIdempotencyKey(eventWith({ order: { ref: 'r-1' } }), policy('detail.order.ref'));
    expect(key).toEqual({ ok: true, id: 'com.switchyard.orders#r-1' });
  });

  it('accepts a numeric key', () => {
    const key = deriveIdempotencyKey(eventWith({ orderId: 1042 }), policy('detail.orderId'));
    expect(key).toEqual({ ok: true, id: 'com.switchyard.orders#1042' });
  });

  it('falls back to the EventBridge event id when the source has no key path', () => {
    const key = deriveIdempotencyKey(eventWith({}), policy());
    expect(key).toEqual({ ok: true, id: `com.switchyard.orders#event:${buildIngressEvent().id}` });
  });

  it.each([
    ['missing', {}],
    ['empty', { orderId: '' }],
    ['only whitespace', { orderId: '   ' }],
    ['a boolean', { orderId: true }],
    ['an object', { orderId: { id: 1 } }],
    ['null', { orderId: null }],
  ])('rejects a key that is %s, naming the path', (_name, detail) => {
    const key = deriveIdempotencyKey(eventWith(detail), policy('detail.orderId'));
    expect(key).toEqual({
      ok: false,
      message: 'idempotency key detail.orderId is missing or not a non-empty string or number',
    });
  });

  it('rejects an ASCII key longer than 1024 characters and accepts one of exactly 1024', () => {
    // Act
    const tooLong = deriveIdempotencyKey(eventWith({ orderId: 'k'.repeat(1025) }), policy('detail.orderId'));
    const longest = deriveIdempotencyKey(eventWith({ orderId: 'k'.repeat(1024) }), policy('detail.orderId'));

    // Assess
    expect(tooLong).toEqual({ ok: false, message: 'idempotency key detail.orderId is longer than 1024 bytes' });
    expect(longest.ok).toBe(true);
  });

  it('rejects a key whose UTF-8 form is over 1024 bytes, so the inbox id fits a DynamoDB partition key', () => {
    // Prepare: 700 characters, 2,100 bytes
    const event = eventWith({ orderId: '€'.repeat(700) });

    // Act
    const key = deriveIdempotencyKey(event, policy('detail.orderId'));

    // Assess
    expect(key).toEqual({ ok: false, message: 'idempotency key detail.orderId is longer than 1024 bytes' });
  });

  it('does not descend into arrays', () => {
    const key = deriveIdempotencyKey(eventWith({ items: [{ id: 'a' }] }), policy('detail.items.0.id'));
    expect(key.ok).toBe(false);
  });
});

describe('readPath', () => {
  it('reads envelope fields named with dashes', () => {
    expect(readPath({ 'detail-type': 'OrderPlaced' }, ['detail-type'])).toBe('OrderPlaced');
  });

  it('returns undefined past a scalar', () => {
    expect(readPath({ detail: 'text' }, ['detail', 'length'])).toBeUndefined();
  });
});
