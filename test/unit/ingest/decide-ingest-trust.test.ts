import { describe, expect, it } from 'vitest';
import { decideIngest } from '../../../shared/domain/ingest/decide-ingest';
import { keyDigest } from '../../../shared/domain/ingest/key-encoding';
import { buildIngestContext, buildIngressEvent, keyIdOf, sampleBindings } from '../../helpers/factories';
import { nestedDetail, quarantined, stored } from './ingest-decisions';

describe('decideIngest: who may publish what', () => {
  it('quarantines an event from a source no tenant declares as unknown-source', () => {
    const item = quarantined(decideIngest(buildIngressEvent({ source: 'com.example.unknown' }), buildIngestContext()));
    expect(item).toMatchObject({
      reason: 'unknown-source',
      message: 'source com.example.unknown is not declared in routes version 1',
      source: 'com.example.unknown',
    });
  });

  it('quarantines an event whose detail.tenant claims another tenant as unknown-tenant', () => {
    const event = buildIngressEvent({ detail: { orderId: 'o-1', tenant: 'payments' } });
    expect(quarantined(decideIngest(event, buildIngestContext()))).toMatchObject({
      reason: 'unknown-tenant',
      message: 'detail.tenant "payments" is not the tenant that owns com.switchyard.orders',
    });
  });

  it('quarantines an event from an account not bound to the tenant as unbound-publisher', () => {
    const event = buildIngressEvent({ account: '999999999999' });
    expect(quarantined(decideIngest(event, buildIngestContext()))).toMatchObject({
      reason: 'unbound-publisher',
      message: 'account 999999999999 is not bound to publish com.switchyard.orders (tenant orders) in this stage',
      account: '999999999999',
    });
  });

  it('quarantines a bound account publishing a source its tenant binding does not list', () => {
    // Prepare: the orders tenant's publishers may only send com.switchyard.payments
    const bindings = new Map([
      ['orders', { sources: new Set(['com.switchyard.payments']), accounts: new Set(['123456789012']) }],
    ]);

    // Act
    const item = quarantined(decideIngest(buildIngressEvent(), buildIngestContext({ bindings })));

    // Assess
    expect(item.reason).toBe('unbound-publisher');
  });

  it('enforces no binding when the stage binds no publishers', () => {
    const event = buildIngressEvent({ account: '999999999999' });
    expect(decideIngest(event, buildIngestContext({ bindings: new Map() })).kind).toBe('store');
  });

  it('stores from any account the tenant binds', () => {
    const ctx = buildIngestContext({ bindings: sampleBindings(['111111111111', '222222222222']) });
    expect(decideIngest(buildIngressEvent({ account: '222222222222' }), ctx).kind).toBe('store');
  });
});

describe('decideIngest: residency', () => {
  it.each([
    ['an EU customer event', 'com.switchyard.eu.customers', { customerId: 'c-1', version: 1 }, 'us-east-1'],
    ['a payment', 'com.switchyard.payments', { paymentId: 'p-1' }, 'ap-southeast-2'],
  ])('quarantines %s ingested outside its residency zone', (_name, source, detail, region) => {
    const item = quarantined(decideIngest(buildIngressEvent({ source, detail }), buildIngestContext({ region })));
    expect(item).toMatchObject({ reason: 'outside-residency', region });
    expect(item.message).toContain(`not ${region}`);
  });

  it('keeps only metadata and digests of an event that arrived outside its zone, never its data', () => {
    // Prepare
    const secret = 'Jeanne-Dupont-FR7630006000011234567890189';
    const event = buildIngressEvent({
      source: 'com.switchyard.eu.customers',
      'detail-type': 'CustomerUpdated',
      detail: { customerId: 'c-1', version: 1, iban: secret },
    });

    // Act
    const item = quarantined(decideIngest(event, buildIngestContext({ region: 'us-east-1' })));

    // Assess
    expect(item).not.toHaveProperty('event');
    expect(item).toMatchObject({
      reason: 'outside-residency',
      source: 'com.switchyard.eu.customers',
      eventId: event.id,
      detailType: 'CustomerUpdated',
      account: event.account,
      keyDigest: keyDigest(keyIdOf('com.switchyard.eu.customers', 'c-1', 1)),
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(JSON.stringify(item)).not.toContain(secret);
    expect(JSON.stringify(item)).not.toContain('c-1');
  });
});

describe('decideIngest: residency of what quarantine keeps', () => {
  const secret = 'Jeanne-Dupont-FR7630006000011234567890189';
  const euEvent = (overrides: Record<string, unknown>) => ({
    ...buildIngressEvent({
      source: 'com.switchyard.eu.customers',
      'detail-type': 'CustomerUpdated',
      detail: { customerId: 'c-1', version: 1, iban: secret },
    }),
    ...overrides,
  });

  // Residency is checked first where the envelope parses; an envelope that does not parse keeps its own reason.
  it.each([
    [
      'oversized',
      'outside-residency',
      euEvent({ detail: { customerId: 'c-1', version: 1, iban: secret, blob: 'x'.repeat(300_000) } }),
    ],
    ['detail-not-object', 'outside-residency', euEvent({ detail: [secret] })],
    ['unbound-publisher', 'outside-residency', euEvent({ account: '999999999999' })],
    [
      'unknown-tenant',
      'outside-residency',
      euEvent({ detail: { customerId: 'c-1', version: 1, iban: secret, tenant: 'orders' } }),
    ],
    ['invalid-envelope', 'invalid-envelope', euEvent({ time: 'yesterday' })],
    ['too-deep', 'too-deep', euEvent({ detail: { iban: secret, deep: nestedDetail(200) } })],
  ])(
    'keeps no copy of an EU event that arrives outside its zone, %s too (quarantined as %s)',
    (_flaw, reason, event) => {
      // Act
      const item = quarantined(decideIngest(event, buildIngestContext({ region: 'us-east-1' })));

      // Assess
      expect(item.reason).toBe(reason);
      expect(item).not.toHaveProperty('event');
      expect(JSON.stringify(item)).not.toContain(secret);
    },
  );

  it('keeps the copy of an EU event quarantined inside its zone', () => {
    const event = euEvent({ account: '999999999999' });
    const item = quarantined(decideIngest(event, buildIngestContext({ region: 'eu-west-1' })));
    expect(item.event).toContain(secret);
  });
});

describe('decideIngest: the switchyard: trace namespace', () => {
  it('strips a forged switchyard:key: resource and counts it', () => {
    // Prepare
    const event = buildIngressEvent({
      resources: ['arn:aws:s3:::bucket', 'switchyard:key:k1["com.switchyard.orders","s:o-999"]'],
    });

    // Act
    const decision = decideIngest(event, buildIngestContext());

    // Assess
    expect(decision.kind === 'store' && decision.strippedTrace).toBe(1);
    expect(stored(decision).resources).toEqual(['arn:aws:s3:::bucket']);
  });

  it('reads the hop count an earlier delivery wrote, then strips it', () => {
    // Act
    const decision = decideIngest(
      buildIngressEvent({ resources: ['switchyard:hop:2', 'switchyard:origin:eu-west-1'] }),
      buildIngestContext({ hopLimit: 3 }),
    );

    // Assess
    expect(stored(decision)).toMatchObject({ hops: 2, resources: [] });
    expect(decision.kind === 'store' && decision.strippedTrace).toBe(2);
  });

  it('quarantines an event that reached the hop limit as routing-loop', () => {
    // Act
    const item = quarantined(
      decideIngest(buildIngressEvent({ resources: ['switchyard:hop:3'] }), buildIngestContext({ hopLimit: 3 })),
    );

    // Assess
    expect(item).toMatchObject({
      reason: 'routing-loop',
      message: expect.stringContaining('hop limit 3'),
      keyDigest: keyDigest(keyIdOf('com.switchyard.orders', 'o-1')),
    });
  });

  it('counts the largest of several hop entries', () => {
    const event = buildIngressEvent({ resources: ['switchyard:hop:1', 'switchyard:hop:5', 'switchyard:hop:2'] });
    expect(quarantined(decideIngest(event, buildIngestContext({ hopLimit: 5 }))).reason).toBe('routing-loop');
  });
});
