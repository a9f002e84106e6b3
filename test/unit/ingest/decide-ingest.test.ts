import { describe, expect, it } from 'vitest';
import { buildOutboundEntry } from '../../../shared/domain/delivery/outbound-entry';
import { decideIngest, type IngestContext, type IngestDecision } from '../../../shared/domain/ingest/decide-ingest';
import type { QuarantineItem } from '../../../shared/domain/ingest/ingress-event';
import { buildIngressEvent, sampleCatalog } from '../../helpers/factories';

const NOW = new Date('2026-11-27T10:00:01.000Z');
const context = (overrides: Partial<IngestContext> = {}): IngestContext => ({
  catalog: sampleCatalog(),
  region: 'us-east-1',
  now: NOW,
  quarantineId: 'q-1',
  maxEventBytes: 262_144,
  retentionDays: 14,
  ...overrides,
});

const quarantined = (decision: IngestDecision): QuarantineItem => {
  if (decision.kind !== 'quarantine') throw new Error(`expected a quarantine, got ${decision.kind}`);
  return decision.item;
};

describe('decideIngest', () => {
  it('stores a valid event keyed by its source and key path, owned by the ingest region', () => {
    // Prepare
    const event = buildIngressEvent({ resources: ['arn:aws:example'] });

    // Act
    const decision = decideIngest(event, context({ region: 'ap-southeast-2' }));

    // Assess
    expect(decision).toEqual({
      kind: 'store',
      item: {
        id: 'com.switchyard.orders#o-1',
        eventId: event.id,
        source: 'com.switchyard.orders',
        detailType: 'OrderPlaced',
        detail: '{"orderId":"o-1","total":42}',
        resources: ['arn:aws:example'],
        time: event.time,
        account: event.account,
        home: 'ap-southeast-2',
        owner: 'ap-southeast-2',
        receivedAt: NOW.toISOString(),
        tenant: 'orders',
        residency: 'global',
        routesVersion: 1,
        expiresAt: Math.floor(NOW.getTime() / 1000) + 14 * 86_400,
      },
    });
  });

  it('stores an event whose detail.tenant names the owning tenant', () => {
    const decision = decideIngest(buildIngressEvent({ detail: { orderId: 'o-1', tenant: 'orders' } }), context());
    expect(decision.kind).toBe('store');
  });

  it.each([
    [
      'an event without an id',
      (() => {
        const { id: _id, ...rest } = buildIngressEvent();
        return rest;
      })(),
      'id',
    ],
    ['an event whose time is not ISO 8601', buildIngressEvent({ time: 'yesterday' }), 'time'],
    ['a plain string', 'hello', ''],
  ])('quarantines %s as invalid-envelope', (_name, raw, path) => {
    // Act
    const item = quarantined(decideIngest(raw, context()));

    // Assess
    expect(item.reason).toBe('invalid-envelope');
    expect(item.message).toMatch(new RegExp(`^not an EventBridge event: ${path}`));
    expect(item).not.toHaveProperty('source');
    expect(item.event).toBe(JSON.stringify(raw));
  });

  it.each([
    ['an array', [1, 2], 'detail must be a JSON object, got an array'],
    ['a string', 'text', 'detail must be a JSON object, got string'],
    ['null', null, 'detail must be a JSON object, got object'],
  ])('quarantines a detail that is %s as detail-not-object', (_name, detail, message) => {
    const item = quarantined(decideIngest(buildIngressEvent({ detail }), context()));
    expect(item).toMatchObject({ reason: 'detail-not-object', message, source: 'com.switchyard.orders' });
  });

  it('quarantines an event over the byte limit as oversized, counting it as EventBridge does', () => {
    // Prepare: 14 (time) + 21 (source) + 11 (detail-type) + detail JSON bytes
    const detail = { orderId: 'o-1', note: 'x'.repeat(100) };
    const size = 14 + 21 + 11 + JSON.stringify(detail).length;

    // Act
    const decision = decideIngest(buildIngressEvent({ detail }), context({ maxEventBytes: size - 1 }));

    // Assess
    expect(quarantined(decision)).toMatchObject({
      reason: 'oversized',
      message: `event is ${size} bytes, over the ${size - 1}-byte limit`,
    });
  });

  it('quarantines an event that fits the limit alone but not with the trace resources delivery adds', () => {
    // Prepare
    const detail = { orderId: 'o-1', note: 'x'.repeat(100) };
    const size = 14 + 21 + 11 + JSON.stringify(detail).length;

    // Act
    const decision = decideIngest(buildIngressEvent({ detail }), context({ maxEventBytes: size + 50 }));

    // Assess
    expect(quarantined(decision)).toMatchObject({
      reason: 'oversized',
      message: expect.stringContaining('trace resources'),
    });
  });

  it('stores an event whose delivered form fits the limit', () => {
    // Prepare
    const detail = { orderId: 'o-1', note: 'x'.repeat(100) };
    const maxEventBytes = 14 + 21 + 11 + JSON.stringify(detail).length + 500;

    // Act
    const decision = decideIngest(buildIngressEvent({ detail }), context({ maxEventBytes }));

    // Assess
    if (decision.kind !== 'store') throw new Error(`expected a store, got ${decision.item.reason}`);
    expect(buildOutboundEntry(decision.item, 'fulfilment', 1).size).toBeLessThanOrEqual(maxEventBytes);
  });

  it('truncates the kept copy of a very large quarantined event', () => {
    const item = quarantined(
      decideIngest(buildIngressEvent({ detail: { orderId: 'o-1', blob: 'y'.repeat(310_000) } }), context()),
    );
    expect(item.reason).toBe('oversized');
    expect(item.event.length).toBe(300_000 + '…[truncated]'.length);
    expect(item.event.endsWith('…[truncated]')).toBe(true);
  });

  it('quarantines an event without its idempotency key as missing-key', () => {
    const item = quarantined(decideIngest(buildIngressEvent({ detail: { total: 42 } }), context()));
    expect(item).toMatchObject({
      reason: 'missing-key',
      message: expect.stringContaining('detail.orderId'),
      eventId: buildIngressEvent().id,
    });
  });

  it('quarantines an event from a source no tenant declares as unknown-source', () => {
    const item = quarantined(decideIngest(buildIngressEvent({ source: 'com.example.unknown' }), context()));
    expect(item).toMatchObject({
      reason: 'unknown-source',
      message: 'source com.example.unknown is not declared in routes version 1',
      routesVersion: 1,
    });
  });

  it('quarantines an event whose detail.tenant claims another tenant as unknown-tenant', () => {
    const item = quarantined(
      decideIngest(buildIngressEvent({ detail: { orderId: 'o-1', tenant: 'payments' } }), context()),
    );
    expect(item).toMatchObject({
      reason: 'unknown-tenant',
      message: 'detail.tenant "payments" is not the tenant that owns com.switchyard.orders',
    });
  });

  it.each([
    ['an EU customer event', 'com.switchyard.eu.customers', { customerId: 'c-1' }, 'us-east-1'],
    ['a payment', 'com.switchyard.payments', { paymentId: 'p-1' }, 'ap-southeast-2'],
  ])('quarantines %s ingested outside its residency zone', (_name, source, detail, region) => {
    const item = quarantined(decideIngest(buildIngressEvent({ source, detail }), context({ region })));
    expect(item).toMatchObject({ reason: 'outside-residency', region });
    expect(item.message).toContain(`not ${region}`);
  });

  it('records the quarantine id, time and expiry it was given', () => {
    const item = quarantined(
      decideIngest(
        buildIngressEvent({ source: 'com.example.unknown' }),
        context({ quarantineId: 'q-42', retentionDays: 1 }),
      ),
    );
    expect(item).toMatchObject({
      id: 'q-42',
      receivedAt: NOW.toISOString(),
      expiresAt: Math.floor(NOW.getTime() / 1000) + 86_400,
    });
  });
});
