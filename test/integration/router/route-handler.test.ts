import { randomUUID } from 'node:crypto';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHandler as createIngestHandler } from '../../../functions/ingest/handler';
import { createHandler as createRouteHandler } from '../../../functions/route/handler';
import { buildInboxItem, buildIngressEvent } from '../../helpers/factories';
import { startRouterHarness, streamEvent, type RouterHarness } from './router-harness';

const HOME = 'us-east-1';
const OTHER = 'eu-west-1';

let harness: RouterHarness;

beforeAll(async () => {
  harness = await startRouterHarness({ stage: 'itroute', regions: [HOME, OTHER] });
  for (const region of [HOME, OTHER]) {
    const published = await harness.publishSampleCatalog(region);
    if (!published.ok) throw new Error(`sample catalog not published in ${region}: ${published.error.message}`);
  }
});

afterAll(async () => {
  await harness?.stop();
});

afterEach(() => {
  harness.cloud.faults.clear();
});

/** Ingests an event through the ingest handler of a region and returns its inbox id. */
const ingest = async (region: string, event: unknown): Promise<string> => {
  const outcome = await createIngestHandler(harness.ingestDeps(region))(event);
  if (outcome.outcome === 'quarantined') throw new Error(`event quarantined: ${outcome.reason}`);
  return outcome.id;
};

const order = (total = 42) => {
  const orderId = `o-${randomUUID()}`;
  return buildIngressEvent({ id: randomUUID(), detail: { orderId, total } });
};

const payment = () =>
  buildIngressEvent({
    id: randomUUID(),
    source: 'com.switchyard.payments',
    'detail-type': 'PaymentCaptured',
    detail: { paymentId: `p-${randomUUID()}`, amount: 10 },
  });

/** The events a target bus received for one inbox id, found by Switchyard's key resource. */
const deliveredTo = (region: string, bus: string, id: string) =>
  harness.cloud.eventBridge.inspector
    .listEvents({ region, bus })
    .filter((e) => e.envelope.resources.includes(`switchyard:key:${id}`));

const ledger = (id: string, to: string) => harness.getItem(HOME, 'ledger', { id, to });

/** The route function of a region, with its deps (and their metrics) kept for assertions. */
const router = (region = HOME, overrides: Parameters<RouterHarness['routeDeps']>[1] = {}) => {
  const deps = harness.routeDeps(region, overrides);
  return {
    route: (records: DynamoDBRecord[]) => createRouteHandler(deps)(streamEvent(records)),
    metrics: deps.metrics.totals,
  };
};

describe('route handler over real inbox stream records', () => {
  it('delivers an ingested order to the fulfilment bus of its home region with the switchyard trace resources', async () => {
    // Prepare
    const event = order(42);
    const id = await ingest(HOME, event);
    const records = await harness.inboxStreamRecords(HOME, [id]);

    // Act
    const response = await router().route(records);

    // Assess
    expect(records.map((r) => r.eventName)).toEqual(['INSERT']);
    expect(response).toEqual({ batchItemFailures: [] });
    const delivered = deliveredTo(HOME, 'fulfilment', id);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.envelope).toMatchObject({
      source: event.source,
      'detail-type': 'OrderPlaced',
      detail: event.detail,
    });
    expect(delivered[0]?.envelope.resources).toEqual([
      `switchyard:key:${id}`,
      `switchyard:origin:${HOME}`,
      `switchyard:event:${event.id}`,
      'switchyard:attempt:1',
    ]);
    expect(await ledger(id, `fulfilment#${HOME}`)).toMatchObject({
      status: 'delivered',
      owner: HOME,
      busEventId: delivered[0]?.envelope.id,
      attempts: 1,
    });
    expect(await ledger(id, `analytics#${HOME}`)).toBeUndefined();
    expect(deliveredTo(OTHER, 'fulfilment', id)).toEqual([]);
  });

  it('fans a payment out to the ledger-sync bus of every region in its residency zone', async () => {
    // Prepare
    const id = await ingest(HOME, payment());
    const records = await harness.inboxStreamRecords(HOME, [id]);

    // Act
    const response = await router().route(records);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(deliveredTo(HOME, 'ledger-sync', id)).toHaveLength(1);
    expect(deliveredTo(OTHER, 'ledger-sync', id)).toHaveLength(1);
    expect(await ledger(id, `ledger-sync#${HOME}`)).toMatchObject({ status: 'delivered' });
    expect(await ledger(id, `ledger-sync#${OTHER}`)).toMatchObject({
      status: 'delivered',
      region: OTHER,
      bus: 'ledger-sync',
    });
  });

  it('delivers nothing more when the same stream records are routed again, counting them as already settled', async () => {
    // Prepare
    const id = await ingest(HOME, order(1_500));
    const records = await harness.inboxStreamRecords(HOME, [id]);
    await router().route(records);
    const firstLedger = await ledger(id, `analytics#${HOME}`);

    // Act
    const again = router();
    const response = await again.route(records);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(deliveredTo(HOME, 'fulfilment', id)).toHaveLength(1);
    expect(deliveredTo(HOME, 'analytics', id)).toHaveLength(1);
    expect(await ledger(id, `analytics#${HOME}`)).toEqual(firstLedger);
    expect(again.metrics.get('AlreadySettled')).toBe(2);
    expect(again.metrics.get('Delivered')).toBeUndefined();
    expect(again.metrics.get('HeldByOtherOwner')).toBeUndefined();
  });

  it('reports the record for retry and keeps the claim with its last error while the target region fails every entry, then delivers it once', async () => {
    // Prepare
    const id = await ingest(HOME, payment());
    const records = await harness.inboxStreamRecords(HOME, [id]);
    harness.cloud.faults.set('events', OTHER, { internalFailureRate: 1 });

    // Act
    const failing = await router().route(records);
    const heldClaim = await ledger(id, `ledger-sync#${OTHER}`);
    harness.cloud.faults.clear('events', OTHER);
    const recovered = router();
    const retried = await recovered.route(records);

    // Assess
    expect(failing.batchItemFailures).toEqual([{ itemIdentifier: records[0]?.dynamodb?.SequenceNumber }]);
    expect(heldClaim).toMatchObject({ status: 'claimed', owner: HOME, open: OTHER });
    expect(heldClaim?.lastError).toMatch(/^InternalFailure: /);
    expect(retried.batchItemFailures).toEqual([]);
    expect(deliveredTo(OTHER, 'ledger-sync', id)).toHaveLength(1);
    expect(deliveredTo(HOME, 'ledger-sync', id)).toHaveLength(1);
    expect(await ledger(id, `ledger-sync#${OTHER}`)).toMatchObject({
      status: 'delivered',
      attempts: 2,
      redeliveries: 0,
    });
    expect(recovered.metrics.get('Redelivered')).toBeUndefined();
  });

  it('counts a replicated overwrite that changed the home of an event it owned as one duplicate, and routes nothing for it', async () => {
    // Prepare: both regions ingest the same key inside the replication window; eu-west-1's item then overwrites us-east-1's replica.
    const event = order(42);
    const id = await ingest(HOME, event);
    await router().route(await harness.inboxStreamRecords(HOME, [id]));
    await ingest(OTHER, { ...event, id: randomUUID() });
    const replicated = await harness.getItem(OTHER, 'inbox', { id });
    await harness.adapters(HOME).client.send(new PutCommand({ TableName: harness.tables.inbox, Item: replicated }));
    const modify = (await harness.inboxStreamRecords(HOME, [id], 2)).filter((r) => r.eventName === 'MODIFY');

    // Act
    const first = router();
    const response = await first.route(modify);
    const second = router();
    await second.route(modify);

    // Assess
    expect(modify).toHaveLength(1);
    expect(response.batchItemFailures).toEqual([]);
    expect(await harness.getItem(HOME, 'control', { pk: 'DUPLICATE', sk: id })).toMatchObject({
      homes: [OTHER, HOME],
      detectedIn: HOME,
    });
    expect(first.metrics.get('DuplicateDetected')).toBe(1);
    expect(second.metrics.get('DuplicateDetected')).toBeUndefined();
    expect(deliveredTo(HOME, 'fulfilment', id)).toHaveLength(1);
    expect(deliveredTo(OTHER, 'fulfilment', id)).toEqual([]);
  });

  it('parks the copy for a region that is unavailable with its reason and delivers the rest', async () => {
    // Prepare
    const id = await ingest(HOME, payment());
    const records = await harness.inboxStreamRecords(HOME, [id]);

    // Act
    const response = await router(HOME, { availableRegions: () => new Set([HOME]) }).route(records);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(deliveredTo(HOME, 'ledger-sync', id)).toHaveLength(1);
    expect(deliveredTo(OTHER, 'ledger-sync', id)).toEqual([]);
    expect(await ledger(id, `ledger-sync#${OTHER}`)).toMatchObject({
      status: 'parked',
      attempts: 0,
      open: OTHER,
      lastError: `region-unavailable: ${OTHER} is unavailable`,
    });
  });

  it('parks an event pinned to a routes version this region does not have as unroutable instead of retrying it forever', async () => {
    // Prepare
    const item = buildInboxItem({
      id: `com.switchyard.orders#o-${randomUUID()}`,
      routesVersion: 99,
      receivedAt: new Date().toISOString(),
    });
    await harness.adapters(HOME).client.send(new PutCommand({ TableName: harness.tables.inbox, Item: item }));
    const records = await harness.inboxStreamRecords(HOME, [item.id]);

    // Act
    const response = await router().route(records);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const parked = await ledger(item.id, `unroutable#${HOME}`);
    expect(parked).toMatchObject({ status: 'parked', routesVersion: 99 });
    expect(parked?.lastError).toMatch(/^unroutable: CatalogVersionNotFoundError: Routes catalog version 99/);
    expect(deliveredTo(HOME, 'fulfilment', item.id)).toEqual([]);
  });

  it('reports only the record whose ledger writes fail for retry, sending nothing for it', async () => {
    // Prepare
    const id = await ingest(HOME, order(42));
    const records = await harness.inboxStreamRecords(HOME, [id]);
    harness.cloud.faults.set('dynamodb', HOME, { down: '503', table: harness.tables.ledger });

    // Act
    const response = await router().route(records);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: records[0]?.dynamodb?.SequenceNumber }]);
    expect(deliveredTo(HOME, 'fulfilment', id)).toEqual([]);
    harness.cloud.faults.clear('dynamodb', HOME);
    expect(await ledger(id, `fulfilment#${HOME}`)).toBeUndefined();
  });

  it('routes an event whose ownership moved to this region (takeover of a fenced home) to the failover bus, and ignores the replica it does not own', async () => {
    // Prepare: us-east-1 ingests, its item replicates to eu-west-1, then eu-west-1 takes ownership while us-east-1 is fenced.
    const event = order(42);
    const id = await ingest(HOME, event);
    const replica = await harness.getItem(HOME, 'inbox', { id });
    const euInbox = harness.adapters(OTHER).client;
    await euInbox.send(new PutCommand({ TableName: harness.tables.inbox, Item: replica }));
    await euInbox.send(
      new UpdateCommand({
        TableName: harness.tables.inbox,
        Key: { id },
        UpdateExpression: 'SET #owner = :eu',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':eu': OTHER },
      }),
    );
    const records = await harness.inboxStreamRecords(OTHER, [id], 2);

    // Act
    const response = await router(OTHER, { availableRegions: () => new Set([OTHER]) }).route(records);

    // Assess
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY']);
    expect(response.batchItemFailures).toEqual([]);
    const delivered = deliveredTo(OTHER, 'fulfilment', id);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.envelope.resources).toContain(`switchyard:origin:${HOME}`);
    expect(await harness.getItem(OTHER, 'ledger', { id, to: `fulfilment#${OTHER}` })).toMatchObject({
      status: 'delivered',
      owner: OTHER,
    });
    expect(deliveredTo(HOME, 'fulfilment', id)).toEqual([]);
  });

  it('sends the deliveries of a whole batch to one region in a single PutEvents call', async () => {
    // Prepare
    const ids = await Promise.all([order(), order(), order()].map((e) => ingest(HOME, e)));
    const records = await harness.inboxStreamRecords(HOME, ids, 3);
    const { route, metrics } = router();

    // Act
    const response = await route(records);

    // Assess
    expect(records).toHaveLength(3);
    expect(response.batchItemFailures).toEqual([]);
    expect(metrics.get('PutEventsCalls')).toBe(1);
    expect(metrics.get('Delivered')).toBe(3);
    for (const id of ids) expect(deliveredTo(HOME, 'fulfilment', id)).toHaveLength(1);
  });

  it('reports only the record whose target region keeps failing, and delivers the other records of the batch', async () => {
    // Prepare
    const orderId = await ingest(HOME, order());
    const paymentId = await ingest(HOME, payment());
    const records = await harness.inboxStreamRecords(HOME, [orderId, paymentId], 2);
    const paymentRecord = records.find((r) => r.dynamodb?.Keys?.id?.S === paymentId);
    harness.cloud.faults.set('events', OTHER, { internalFailureRate: 1 });

    // Act
    const response = await router().route(records);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: paymentRecord?.dynamodb?.SequenceNumber }]);
    expect(deliveredTo(HOME, 'fulfilment', orderId)).toHaveLength(1);
    expect(await ledger(orderId, `fulfilment#${HOME}`)).toMatchObject({ status: 'delivered' });
  });

  it('treats a target region whose EventBridge answers 503 as an unknown outcome, and counts the resend after recovery as a redelivery', async () => {
    // Prepare
    const id = await ingest(HOME, payment());
    const records = await harness.inboxStreamRecords(HOME, [id]);
    harness.cloud.faults.set('events', OTHER, { down: '503' });

    // Act
    const failing = await router().route(records);
    const claimAfterOutage = await ledger(id, `ledger-sync#${OTHER}`);
    harness.cloud.faults.clear('events', OTHER);
    const recovered = router();
    const retried = await recovered.route(records);

    // Assess
    expect(failing.batchItemFailures).toEqual([{ itemIdentifier: records[0]?.dynamodb?.SequenceNumber }]);
    expect(claimAfterOutage).toMatchObject({ status: 'claimed', open: OTHER });
    expect(claimAfterOutage).not.toHaveProperty('failedToken');
    expect(retried.batchItemFailures).toEqual([]);
    expect(recovered.metrics.get('Redelivered')).toBe(1);
    expect(await ledger(id, `ledger-sync#${OTHER}`)).toMatchObject({ status: 'delivered', redeliveries: 1 });
    expect(deliveredTo(OTHER, 'ledger-sync', id)).toHaveLength(1);
  });
});
