import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/ingest/handler';
import { NoActiveCatalogError } from '../../../shared/domain/catalog';
import { buildIngressEvent } from '../../helpers/factories';
import { startRouterHarness, type RouterHarness } from './router-harness';

const REGION = 'us-east-1';
/** Never gets a catalog: ingest there has nothing to pin events to. */
const UNPUBLISHED_REGION = 'eu-west-1';

let harness: RouterHarness;

beforeAll(async () => {
  harness = await startRouterHarness({ stage: 'itingest', regions: [REGION, UNPUBLISHED_REGION] });
  const published = await harness.publishSampleCatalog(REGION);
  if (!published.ok) throw new Error(`sample catalog not published: ${published.error.message}`);
});

afterAll(async () => {
  await harness?.stop();
});

const ingestIn = (region: string, newId: () => string = randomUUID) =>
  createHandler(harness.ingestDeps(region, { newId }));

describe('ingest handler', () => {
  it('stores an event in the inbox under its idempotency key, owned by and pinned in the ingest region', async () => {
    // Prepare
    const orderId = `o-${randomUUID()}`;
    const event = buildIngressEvent({ id: randomUUID(), detail: { orderId, total: 42 } });
    const before = Math.floor(Date.now() / 1000);

    // Act
    const outcome = await ingestIn(REGION)(event);

    // Assess
    const id = `com.switchyard.orders#${orderId}`;
    expect(outcome).toEqual({ outcome: 'stored', id, routesVersion: 1 });
    const item = await harness.getItem(REGION, 'inbox', { id });
    expect(item).toMatchObject({
      id,
      eventId: event.id,
      source: 'com.switchyard.orders',
      detailType: 'OrderPlaced',
      detail: JSON.stringify({ orderId, total: 42 }),
      home: REGION,
      owner: REGION,
      tenant: 'orders',
      residency: 'global',
      routesVersion: 1,
    });
    expect(item?.expiresAt).toBeGreaterThanOrEqual(before + 14 * 86_400);
    expect(item?.expiresAt).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 14 * 86_400);
  });

  it('drops a second event with the same idempotency key as a duplicate and keeps the first one stored', async () => {
    // Prepare
    const paymentId = `p-${randomUUID()}`;
    const first = buildIngressEvent({
      id: randomUUID(),
      source: 'com.switchyard.payments',
      'detail-type': 'PaymentCaptured',
      detail: { paymentId, amount: 10 },
    });
    const retry = { ...first, id: randomUUID(), detail: { paymentId, amount: 99 } };
    const ingest = ingestIn(REGION);
    await ingest(first);

    // Act
    const outcome = await ingest(retry);

    // Assess
    const id = `com.switchyard.payments#${paymentId}`;
    expect(outcome).toEqual({ outcome: 'duplicate', id, routesVersion: 1 });
    expect(await harness.getItem(REGION, 'inbox', { id })).toMatchObject({
      eventId: first.id,
      detail: JSON.stringify({ paymentId, amount: 10 }),
      residency: 'transatlantic',
    });
  });

  const badInputs: Array<{ name: string; event: unknown; reason: string; message: RegExp }> = [
    {
      name: 'an envelope that is not an EventBridge event',
      event: { hello: 'world' },
      reason: 'invalid-envelope',
      message: /not an EventBridge event/,
    },
    {
      name: 'a detail that is not an object',
      event: buildIngressEvent({ detail: ['o-1'] }),
      reason: 'detail-not-object',
      message: /an array/,
    },
    {
      name: 'an oversized event',
      event: buildIngressEvent({ detail: { orderId: 'o-big', blob: 'x'.repeat(270_000) } }),
      reason: 'oversized',
      message: /over the 262144-byte limit/,
    },
    {
      name: 'an event without its idempotency key',
      event: buildIngressEvent({ detail: { total: 5 } }),
      reason: 'missing-key',
      message: /detail\.orderId/,
    },
    {
      name: 'an undeclared source',
      event: buildIngressEvent({ source: 'com.example.unknown' }),
      reason: 'unknown-source',
      message: /com\.example\.unknown/,
    },
    {
      name: 'a detail.tenant that does not own the source',
      event: buildIngressEvent({ detail: { orderId: 'o-t', tenant: 'payments' } }),
      reason: 'unknown-tenant',
      message: /"payments"/,
    },
    {
      name: 'an event ingested outside its residency zone',
      event: buildIngressEvent({
        source: 'com.switchyard.eu.customers',
        'detail-type': 'CustomerUpdated',
        detail: { customerId: 'c-1' },
      }),
      reason: 'outside-residency',
      message: /zone eu/,
    },
  ];

  it.each(badInputs)('quarantines $name with reason $reason and the raw event', async ({ event, reason, message }) => {
    // Prepare
    const quarantineId = randomUUID();

    // Act
    const outcome = await ingestIn(REGION, () => quarantineId)(event);

    // Assess
    expect(outcome).toMatchObject({ outcome: 'quarantined', reason });
    const item = await harness.getItem(REGION, 'quarantine', { id: quarantineId });
    expect(item).toMatchObject({ id: quarantineId, reason, region: REGION, routesVersion: 1 });
    expect(item?.message).toMatch(message);
    expect(typeof item?.event).toBe('string');
    expect((item?.event as string).length).toBeGreaterThan(0);
  });

  it('keeps the raw event of a quarantined event so it can be inspected', async () => {
    // Prepare
    const quarantineId = randomUUID();
    const event = buildIngressEvent({ id: randomUUID(), detail: { total: 7 } });

    // Act
    await ingestIn(REGION, () => quarantineId)(event);

    // Assess
    const item = await harness.getItem(REGION, 'quarantine', { id: quarantineId });
    expect(JSON.parse(item?.event as string)).toEqual(event);
    expect(item).toMatchObject({ source: event.source, eventId: event.id });
  });

  it('throws NoActiveCatalogError when no routes version is active in the region, storing nothing', async () => {
    // Prepare
    const orderId = `o-${randomUUID()}`;
    const event = buildIngressEvent({ detail: { orderId } });

    // Act
    const ingest = ingestIn(UNPUBLISHED_REGION)(event);

    // Assess
    await expect(ingest).rejects.toBeInstanceOf(NoActiveCatalogError);
    expect(
      await harness.getItem(UNPUBLISHED_REGION, 'inbox', { id: `com.switchyard.orders#${orderId}` }),
    ).toBeUndefined();
  });
});
