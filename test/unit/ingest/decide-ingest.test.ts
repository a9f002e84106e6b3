import { describe, expect, it } from 'vitest';
import { decideIngest } from '../../../shared/domain/ingest/decide-ingest';
import { DAY_MS } from '../../../shared/domain/retention';
import { buildIngestContext, buildIngressEvent, sampleCatalogWith } from '../../helpers/factories';
import { nestedDetail, quarantined, stored } from './ingest-decisions';

const NOW = new Date('2026-11-27T10:00:01.000Z');
const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);

describe('decideIngest: storing', () => {
  it('stores a valid event under its typed key, in its zone, homed in the ingest region', () => {
    // Prepare
    const event = buildIngressEvent({ resources: ['arn:aws:example'] });

    // Act
    const decision = decideIngest(event, buildIngestContext({ region: 'ap-southeast-2' }));

    // Assess
    expect(decision).toEqual({
      kind: 'store',
      strippedTrace: 0,
      item: {
        id: 'k1["com.switchyard.orders","s:o-1"]',
        eventId: event.id,
        source: 'com.switchyard.orders',
        detailType: 'OrderPlaced',
        detail: '{"orderId":"o-1","total":42}',
        resources: ['arn:aws:example'],
        time: event.time,
        account: event.account,
        home: 'ap-southeast-2',
        receivedAt: NOW.toISOString(),
        windowEnd: NOW.getTime() + 14 * DAY_MS,
        tenant: 'orders',
        zone: 'global',
        routesVersion: 1,
        hops: 0,
        expiresAt: NOW_SECONDS + 14 * 86_400,
      },
    });
  });

  it('pins the version of the catalog it decided with', () => {
    const catalog = sampleCatalogWith((doc) => {
      doc.version = 7;
    });
    expect(stored(decideIngest(buildIngressEvent(), buildIngestContext({ catalog }))).routesVersion).toBe(7);
  });

  it('ends the dedupe window after the source’s dedupeWindow while keeping the event for its retention', () => {
    // Prepare
    const catalog = sampleCatalogWith((doc) => {
      Object.assign(doc.tenants.orders?.sources[0] ?? {}, { dedupeWindow: '2h' });
    });

    // Act
    const item = stored(decideIngest(buildIngressEvent(), buildIngestContext({ catalog })));

    // Assess
    expect(item.windowEnd).toBe(NOW.getTime() + 2 * 3_600_000);
    expect(item.expiresAt).toBe(NOW_SECONDS + 14 * 86_400);
  });

  it('caps a dedupe window longer than the retention, so a key is never remembered past its event', () => {
    const catalog = sampleCatalogWith((doc) => {
      Object.assign(doc.tenants.orders?.sources[0] ?? {}, { dedupeWindow: '30d' });
    });
    const item = stored(decideIngest(buildIngressEvent(), buildIngestContext({ catalog })));
    expect(item.windowEnd).toBe(NOW.getTime() + 14 * DAY_MS);
  });

  it('keeps events of a zone with its own retention for that long', () => {
    // Prepare
    const retention = { defaultDays: 14, zoneDays: { global: 30, eu: 7 } };

    // Act
    const item = stored(decideIngest(buildIngressEvent(), buildIngestContext({ retention })));

    // Assess
    expect(item.expiresAt).toBe(NOW_SECONDS + 30 * 86_400);
    expect(item.windowEnd).toBe(NOW.getTime() + 30 * DAY_MS);
  });

  it('narrows the retention to the tenant’s, but never beyond the zone’s', () => {
    // Prepare
    const withTenantDays = (days: number) =>
      sampleCatalogWith((doc) => {
        Object.assign(doc.tenants.orders ?? {}, { retentionDays: days });
      });

    // Act
    const shorter = stored(decideIngest(buildIngressEvent(), buildIngestContext({ catalog: withTenantDays(3) })));
    const longer = stored(decideIngest(buildIngressEvent(), buildIngestContext({ catalog: withTenantDays(90) })));

    // Assess
    expect(shorter.expiresAt).toBe(NOW_SECONDS + 3 * 86_400);
    expect(shorter.windowEnd).toBe(NOW.getTime() + 3 * DAY_MS);
    expect(longer.expiresAt).toBe(NOW_SECONDS + 14 * 86_400);
  });

  it('carries the invocation’s trace header on the item, and none when there is none', () => {
    const traced = stored(decideIngest(buildIngressEvent(), buildIngestContext({ traceHeader: 'Root=1-abc' })));
    const untraced = stored(decideIngest(buildIngressEvent(), buildIngestContext()));
    expect(traced.traceHeader).toBe('Root=1-abc');
    expect(untraced).not.toHaveProperty('traceHeader');
  });

  it('stores an event whose detail.tenant names the owning tenant', () => {
    const event = buildIngressEvent({ detail: { orderId: 'o-1', tenant: 'orders' } });
    expect(decideIngest(event, buildIngestContext()).kind).toBe('store');
  });

  it('stores a detail nested well inside the depth limit', () => {
    expect(decideIngest(buildIngressEvent({ detail: nestedDetail(50) }), buildIngestContext()).kind).toBe('store');
  });
});

describe('decideIngest: malformed envelopes', () => {
  const { id: _id, ...withoutId } = buildIngressEvent();

  it.each([
    ['an event without an id', withoutId, 'id'],
    ['an event whose time is not ISO 8601', buildIngressEvent({ time: 'yesterday' }), 'time'],
    ['an event whose resources are not strings', { ...buildIngressEvent(), resources: [42] }, 'resources'],
    ['a plain string', 'hello', ''],
  ])('quarantines %s as invalid-envelope, keeping it as received', (_name, raw, path) => {
    // Act
    const item = quarantined(decideIngest(raw, buildIngestContext()));

    // Assess
    expect(item.reason).toBe('invalid-envelope');
    expect(item.message).toMatch(new RegExp(`^not an EventBridge event: ${path}`));
    expect(item).not.toHaveProperty('source');
    expect(item.event).toBe(JSON.stringify(raw));
  });

  it('quarantines a value with no JSON form as invalid-envelope instead of throwing', () => {
    expect(quarantined(decideIngest(undefined, buildIngestContext())).reason).toBe('invalid-envelope');
    expect(quarantined(decideIngest(10n, buildIngestContext())).reason).toBe('invalid-envelope');
  });

  it.each([
    ['an array', [1, 2], 'detail must be a JSON object, got an array'],
    ['a string', 'text', 'detail must be a JSON object, got string'],
    ['null', null, 'detail must be a JSON object, got object'],
    ['missing', undefined, 'detail must be a JSON object, got undefined'],
  ])('quarantines a detail that is %s as detail-not-object', (_name, detail, message) => {
    const item = quarantined(decideIngest(buildIngressEvent({ detail }), buildIngestContext()));
    expect(item).toMatchObject({ reason: 'detail-not-object', message, source: 'com.switchyard.orders' });
  });

  it.each([2_000, 100_000])('quarantines a detail nested %i deep as too-deep without throwing', (levels) => {
    // Prepare
    const event = buildIngressEvent({ detail: nestedDetail(levels) });

    // Act
    const item = quarantined(decideIngest(event, buildIngestContext()));

    // Assess
    expect(item.reason).toBe('too-deep');
    expect(item.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(item.event).toContain('[depth limit]');
  });
});
