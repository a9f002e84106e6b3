import { describe, expect, it } from 'vitest';
import { decideIngest } from '../../../shared/domain/ingest/decide-ingest';
import { keyDigest } from '../../../shared/domain/ingest/key-encoding';
import {
  buildIngestContext,
  buildIngressEvent,
  keyIdOf,
  sampleBindings,
  sampleCatalogWith,
} from '../../helpers/factories';
import { quarantined, stored } from './ingest-decisions';

const EU = 'com.switchyard.eu.customers';
const euContext = () => buildIngestContext({ region: 'eu-west-1' });
const euEvent = (detail: Record<string, unknown>) =>
  buildIngressEvent({ source: EU, 'detail-type': 'CustomerUpdated', detail });

/** An order event as the Lambda runtime hands it over: parsed from JSON text, numbers already rounded. */
const orderFromJson = (orderIdJson: string) =>
  buildIngressEvent({ detail: JSON.parse(`{"orderId":${orderIdJson},"total":1}`) as Record<string, unknown> });

describe('decideIngest: idempotency keys', () => {
  it('quarantines a key that is an unsafe integer instead of rounding it', () => {
    // Prepare: both parse to the same double, 12345678901234567000
    const first = orderFromJson('12345678901234567891');
    const second = orderFromJson('12345678901234567890');

    // Act
    const decisions = [first, second].map((event) => decideIngest(event, buildIngestContext()));

    // Assess
    for (const decision of decisions) {
      expect(quarantined(decision)).toMatchObject({
        reason: 'unsafe-number-key',
        message: expect.stringContaining('send large or fractional ids as strings'),
      });
      expect(decision.item).not.toHaveProperty('keyDigest');
    }
  });

  it('quarantines a fractional number key as unsafe-number-key', () => {
    expect(quarantined(decideIngest(orderFromJson('1.5'), buildIngestContext())).reason).toBe('unsafe-number-key');
  });

  it('stores the largest safe integer as a number key', () => {
    const item = stored(decideIngest(orderFromJson(String(Number.MAX_SAFE_INTEGER)), buildIngestContext()));
    expect(item.id).toBe(`k1["com.switchyard.orders","n:${Number.MAX_SAFE_INTEGER}"]`);
  });

  it('gives 1 and 1.0 one key, since they are the same JSON number', () => {
    const one = stored(decideIngest(orderFromJson('1'), buildIngestContext()));
    const onePointZero = stored(decideIngest(orderFromJson('1.0'), buildIngestContext()));
    expect(onePointZero.id).toBe(one.id);
  });

  it('keeps a string key apart from a number key with the same digits', () => {
    // Act
    const asString = stored(decideIngest(orderFromJson('"42"'), buildIngestContext()));
    const asNumber = stored(decideIngest(orderFromJson('42'), buildIngestContext()));

    // Assess
    expect(asString.id).toBe('k1["com.switchyard.orders","s:42"]');
    expect(asNumber.id).toBe('k1["com.switchyard.orders","n:42"]');
  });

  it('keeps source com.a with key x#1 apart from source com.a#x with key 1', () => {
    // Prepare: the phase-1 id `<source>#<value>` was com.a#x#1 for both
    const catalog = sampleCatalogWith((doc) => {
      doc.tenants.orders?.sources.push(
        { source: 'com.a', idempotencyKey: 'detail.k', residency: 'global' },
        { source: 'com.a#x', idempotencyKey: 'detail.k', residency: 'global' },
      );
    });
    const ctx = buildIngestContext({ catalog, bindings: new Map() });

    // Act
    const a = stored(decideIngest(buildIngressEvent({ source: 'com.a', detail: { k: 'x#1' } }), ctx));
    const ax = stored(decideIngest(buildIngressEvent({ source: 'com.a#x', detail: { k: '1' } }), ctx));

    // Assess
    expect(a.id).toBe('k1["com.a","s:x#1"]');
    expect(ax.id).toBe('k1["com.a#x","s:1"]');
  });

  it('keys an EU customer update by customer id and version together', () => {
    // Act
    const v1 = stored(decideIngest(euEvent({ customerId: 'c-1', version: 1 }), euContext()));
    const v2 = stored(decideIngest(euEvent({ customerId: 'c-1', version: 2 }), euContext()));

    // Assess
    expect(v1.id).toBe('k1["com.switchyard.eu.customers","s:c-1","n:1"]');
    expect(v2.id).toBe(keyIdOf(EU, 'c-1', 2));
    expect(v1).toMatchObject({ zone: 'eu', home: 'eu-west-1', tenant: 'eu-customers' });
  });

  it('quarantines an EU customer update without a version as missing-key, naming the path', () => {
    const item = quarantined(decideIngest(euEvent({ customerId: 'c-1' }), euContext()));
    expect(item).toMatchObject({ reason: 'missing-key', message: expect.stringContaining('detail.version') });
  });

  it.each([
    ['missing', { total: 42 }],
    ['empty', { orderId: '' }],
    ['an object', { orderId: { id: 'o-1' } }],
    ['inherited through __proto__', JSON.parse('{"__proto__":{"orderId":"o-1"}}') as Record<string, unknown>],
  ])('quarantines an event whose key is %s as missing-key', (_name, detail) => {
    const item = quarantined(decideIngest(buildIngressEvent({ detail }), buildIngestContext()));
    expect(item).toMatchObject({
      reason: 'missing-key',
      message: expect.stringContaining('detail.orderId'),
      eventId: buildIngressEvent().id,
    });
  });

  it('hashes a key whose encoding is over 1,024 bytes and keeps the full text', () => {
    // Act
    const item = stored(
      decideIngest(buildIngressEvent({ detail: { orderId: 'ü'.repeat(600) } }), buildIngestContext()),
    );

    // Assess
    expect(item.id).toMatch(/^h1:[0-9a-f]{64}$/);
    expect(item.keyText).toBe(`k1["com.switchyard.orders","s:${'ü'.repeat(600)}"]`);
    expect(item.id).toBe(keyIdOf('com.switchyard.orders', 'ü'.repeat(600)));
  });

  it('keeps the key digest of a quarantined event whose key could be read, so erase finds it', () => {
    // Prepare: an account no tenant binding allows
    const ctx = buildIngestContext({ bindings: sampleBindings(['999999999999']) });

    // Act
    const item = quarantined(decideIngest(buildIngressEvent(), ctx));

    // Assess
    expect(item.reason).toBe('unbound-publisher');
    expect(item.keyDigest).toBe(keyDigest('k1["com.switchyard.orders","s:o-1"]'));
  });
});
