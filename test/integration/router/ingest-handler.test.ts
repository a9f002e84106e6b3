import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/ingest/handler';
import { NoActiveCatalogError } from '../../../shared/domain/catalog';
import type { IngressEvent } from '../../../shared/domain/ingest/ingress-event';
import { encodeKey } from '../../../shared/domain/ingest/key-encoding';
import type { IngestDeps } from '../../../shared/services/ingest-event';
import { LEDGER_ROW } from '../../../shared/table-definitions';
import { startRouterHarness, type RouterHarness } from './router-harness';

const REGION = 'eu-west-1';
const OTHER = 'us-east-1';
const ACCOUNT = '000000000000';

let harness: RouterHarness;

beforeAll(async () => {
  harness = await startRouterHarness({ stage: 'itingest', regions: [OTHER, REGION] });
  await harness.publishSampleCatalog(REGION);
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

const event = (overrides: Partial<IngressEvent> = {}): IngressEvent => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'OrderPlaced',
  source: 'com.switchyard.orders',
  account: ACCOUNT,
  time: '2026-11-30T10:00:00Z',
  region: REGION,
  resources: [],
  detail: { orderId: `o-${randomUUID()}`, total: 42 },
  ...overrides,
});

const bound: IngestDeps['bindings'] = new Map([
  ['orders', { sources: new Set(['com.switchyard.orders']), accounts: new Set([ACCOUNT]) }],
  ['payments', { sources: new Set(['com.switchyard.payments']), accounts: new Set([ACCOUNT]) }],
  ['eu-customers', { sources: new Set(['com.switchyard.eu.customers']), accounts: new Set([ACCOUNT]) }],
]);

const ingestIn = (region: string, overrides: Partial<IngestDeps> = {}) => {
  const deps = harness.ingestDeps(region, { bindings: bound, ...overrides });
  return { handle: createHandler(deps), deps };
};

describe('ingest handler', () => {
  it('stores an event in its zone inbox under its typed key, and opens its event row for the sweeper', async () => {
    // Prepare
    const e = event();
    const orderId = (e.detail as { orderId: string }).orderId;
    const id = encodeKey('com.switchyard.orders', [{ type: 's', value: orderId }]).id;
    // Act
    const outcome = await ingestIn(REGION).handle(e);
    // Assess
    expect(outcome).toMatchObject({ outcome: 'stored', id, zone: 'global', routesVersion: 1 });
    expect(await harness.getItem(REGION, harness.tables.zone('global', 'inbox'), { id })).toMatchObject({
      id,
      eventId: e.id,
      home: REGION,
      tenant: 'orders',
      zone: 'global',
      hops: 0,
      detail: JSON.stringify(e.detail),
    });
    const row = await harness.getItem(REGION, harness.tables.zone('global', 'ledger'), {
      id,
      sk: LEDGER_ROW.event(REGION),
    });
    expect(row).toMatchObject({
      kind: 'event',
      home: REGION,
      eventId: e.id,
      sweepShard: expect.stringMatching(/^eu-west-1#\d$/),
    });
  });

  it('counts a repeat of the same key as a duplicate, and a redelivery of the same event as a retry', async () => {
    // Prepare
    const first = event();
    const { handle, deps } = ingestIn(REGION);
    await handle(first);
    // Act
    const redelivered = await handle(first);
    const repeat = await handle({ ...first, id: randomUUID() });
    // Assess
    expect(redelivered).toMatchObject({ outcome: 'retried' });
    expect(repeat).toMatchObject({ outcome: 'duplicate' });
    expect(Object.fromEntries(deps.metrics.counts)).toMatchObject({
      Ingested: 1,
      IngestRetried: 1,
      DuplicateDropped: 1,
    });
  });

  it('keeps a string key and a number key with the same digits apart', async () => {
    // Prepare
    const { handle } = ingestIn(REGION);
    const paymentId = Date.now();
    const asNumber = event({
      source: 'com.switchyard.payments',
      'detail-type': 'PaymentCaptured',
      detail: { paymentId },
    });
    const asString = event({
      source: 'com.switchyard.payments',
      'detail-type': 'PaymentCaptured',
      detail: { paymentId: String(paymentId) },
    });
    // Act
    const outcomes = [await handle(asNumber), await handle(asString)];
    // Assess
    expect(outcomes.map((o) => o.outcome)).toEqual(['stored', 'stored']);
  });

  it('quarantines an unsafe integer key, in the region that received it, with the reason', async () => {
    // Prepare
    const newId = randomUUID();
    const e = event({ detail: { orderId: 12345678901234567000 } });
    // Act
    const outcome = await ingestIn(REGION, { newId: () => newId }).handle(e);
    // Assess
    expect(outcome).toMatchObject({ outcome: 'quarantined', reason: 'unsafe-number-key' });
    expect(await harness.getItem(REGION, harness.tables.quarantine, { id: newId })).toMatchObject({
      reason: 'unsafe-number-key',
      region: REGION,
    });
    expect(await harness.getItem(OTHER, harness.tables.quarantine, { id: newId })).toBeUndefined();
  });

  it('quarantines an event published outside its residency zone without storing its detail', async () => {
    // Prepare: an EU customer event arriving in us-east-1.
    const newId = randomUUID();
    const e = event({
      source: 'com.switchyard.eu.customers',
      'detail-type': 'CustomerUpdated',
      region: OTHER,
      detail: { customerId: 'secret-customer', version: 1 },
    });
    await harness.publishSampleCatalog(OTHER);
    // Act
    const outcome = await ingestIn(OTHER, { newId: () => newId }).handle(e);
    // Assess
    expect(outcome).toMatchObject({ outcome: 'quarantined', reason: 'outside-residency' });
    const stored = await harness.getItem(OTHER, harness.tables.quarantine, { id: newId });
    expect(stored).toMatchObject({
      reason: 'outside-residency',
      source: 'com.switchyard.eu.customers',
      digest: expect.any(String),
    });
    expect(stored?.event).toBeUndefined();
    expect(JSON.stringify(stored)).not.toContain('secret-customer');
  });

  it('quarantines an event from an account not bound to its tenant', async () => {
    // Act
    const outcome = await ingestIn(REGION).handle(event({ account: '111122223333' }));
    // Assess
    expect(outcome).toMatchObject({ outcome: 'quarantined', reason: 'unbound-publisher' });
  });

  it('strips producer-sent switchyard: resources and counts them, keeping the producer’s own', async () => {
    // Prepare
    const e = event({ resources: ['arn:aws:s3:::bucket', 'switchyard:key:forged', 'switchyard:origin:elsewhere'] });
    const { handle, deps } = ingestIn(REGION);
    // Act
    const outcome = await handle(e);
    // Assess
    expect(outcome.outcome).toBe('stored');
    const id = (outcome as { id: string }).id;
    const stored = await harness.getItem(REGION, harness.tables.zone('global', 'inbox'), { id });
    expect(stored?.resources).toEqual(['arn:aws:s3:::bucket']);
    expect(deps.metrics.counts.get('TraceResourcesStripped')).toBe(2);
  });

  it('quarantines an event nested too deep for the matcher instead of failing', async () => {
    // Prepare: 5,000 levels, built without recursion.
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 5_000; i += 1) deep = { a: deep };
    // Act
    const outcome = await ingestIn(REGION).handle(event({ detail: { orderId: 'deep', nested: deep } }));
    // Assess
    expect(outcome).toMatchObject({ outcome: 'quarantined', reason: 'too-deep' });
  });

  it("stores an event in a cold container on this region's copy of the routes pointer while no majority answers", async () => {
    // Prepare: the other region of the two refuses every call, so the quorum read has one answer of two.
    const { handle, deps } = ingestIn(REGION);
    harness.cloud.faults.set('dynamodb', OTHER, { down: 'refuse' });
    const input = event();
    const { id } = encodeKey('com.switchyard.orders', [
      { type: 's', value: (input.detail as { orderId: string }).orderId },
    ]);

    // Act
    const outcome = await handle(input).finally(() => harness.cloud.faults.clear());

    // Assess
    expect(outcome).toMatchObject({ outcome: 'stored', id, routesVersion: 1 });
    expect(await deps.inbox.get('global', id)).toMatchObject({ eventId: input.id, home: REGION, routesVersion: 1 });
  });

  it('fails the invocation (so Lambda retries it) when no routes catalog is active anywhere', async () => {
    // Prepare: a region whose quorum register is unreadable because nothing was ever activated.
    const { handle } = ingestIn(REGION, {
      catalogs: {
        active: () => Promise.reject(new NoActiveCatalogError()),
        version: () => Promise.reject(new Error('unused')),
      },
    });
    // Act / Assess
    await expect(handle(event())).rejects.toBeInstanceOf(NoActiveCatalogError);
  });
});
