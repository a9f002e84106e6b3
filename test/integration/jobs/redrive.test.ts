import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyOf, RouterHarness } from '../../../local/harness/router-harness';
import { stageNames, type QueueId } from '../../../stages/lib/deployment-settings';
import { adminCall, deleteDeliveryRows, order, orderKey, ORDERS } from './support/job-harness';

const REGION = 'us-east-1';

/** An order as the ingress rule hands it to ingest (and as the ingest DLQ keeps it). */
const envelope = (orderId: string) => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'OrderPlaced',
  source: ORDERS,
  account: '000000000000',
  time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  region: REGION,
  resources: [],
  detail: { orderId, total: 5 },
});

describe('redrive of the failure queues through the admin function', () => {
  let harness: RouterHarness;
  const run = `rd${Date.now().toString(36)}`;
  const arnOf = (id: QueueId): string => `arn:aws:sqs:${REGION}:000000000000:${stageNames(harness.stage).queue(id)}`;
  const deliveredCopies = (orderId: string) =>
    harness.delivered(REGION, 'fulfilment').filter((e) => keyOf(e) === orderKey(orderId));

  beforeAll(async () => {
    harness = await RouterHarness.start();
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
  });

  it('ingests a dead-lettered event again and delivers it; the same event redriven twice is a duplicate, not a second delivery', async () => {
    // Prepare: EventBridge gave up invoking ingest for this event (twice, the same event).
    const event = envelope(`${run}-dlq`);
    const attributes = { ERROR_CODE: 'SDK_CLIENT_ERROR', ERROR_MESSAGE: 'function throttled' };
    harness.rc.cloud.queues.send(arnOf('IngestDlq'), JSON.stringify(event), attributes);
    // Act
    const listed = await adminCall<{ depth: number; messages: { resolved: Record<string, unknown> }[] }>(harness, {
      action: 'redrive.list',
      queue: 'ingest-dlq',
    });
    const first = await adminCall<Record<string, number>>(harness, { action: 'redrive.run', queue: 'ingest-dlq' });
    await harness.waitFor('the redriven event delivered', () => deliveredCopies(`${run}-dlq`).length >= 1);
    harness.rc.cloud.queues.send(arnOf('IngestDlq'), JSON.stringify(event), attributes);
    const second = await adminCall<Record<string, number>>(harness, { action: 'redrive.run', queue: 'ingest-dlq' });
    await harness.settle();
    // Assess
    expect(listed.depth).toBe(1);
    expect(listed.messages[0]?.resolved).toEqual({
      id: orderKey(`${run}-dlq`),
      kind: 'event',
      source: ORDERS,
      eventId: event.id,
      region: REGION,
      reason: 'SDK_CLIENT_ERROR: function throttled',
    });
    expect(first).toMatchObject({ redriven: 1, alreadyStored: 0, failed: 0 });
    expect(second).toMatchObject({ redriven: 0, alreadyStored: 1, failed: 0 });
    expect(deliveredCopies(`${run}-dlq`)).toHaveLength(1);
    expect(harness.rc.cloud.queues.list({ queueName: stageNames(harness.stage).queue('IngestDlq') })).toEqual([]);
  }, 120_000);

  it('ingests the event of an ingest on-failure record and delivers it', async () => {
    // Prepare: Lambda's async on-failure record after ingest threw on every retry.
    const record = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: { requestId: randomUUID(), condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: envelope(`${run}-failed`),
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'boom' },
    };
    harness.rc.cloud.queues.send(arnOf('IngestFailedQueue'), JSON.stringify(record));
    // Act
    const result = await adminCall<Record<string, number>>(harness, { action: 'redrive.run', queue: 'ingest-failed' });
    // Assess
    expect(result).toMatchObject({ redriven: 1, failed: 0 });
    await harness.waitFor('the redriven event delivered', () => deliveredCopies(`${run}-failed`).length >= 1);
  }, 120_000);

  it('reopens the events of a route on-failure record for the sweeper, which delivers what the ledger does not show', async () => {
    // Prepare: an order delivered, whose delivery row the ledger then lost; route's on-failure record covers its arrival.
    await harness.publish(REGION, [order(`${run}-route`)]);
    await harness.waitFor('the order delivered', () => deliveredCopies(`${run}-route`).length >= 1);
    await harness.settle();
    const id = orderKey(`${run}-route`);
    await deleteDeliveryRows(harness, harness.tables.zone('global', 'ledger'), [
      { id, sk: 'fulfilment#local@us-east-1' },
    ]);
    const now = Date.now();
    const record = {
      requestContext: { requestId: randomUUID(), condition: 'RetryAttemptsExhausted', approximateInvokeCount: 11 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: new Date(now).toISOString(),
      DDBStreamBatchInfo: {
        shardId: 'shardId-00000001',
        startSequenceNumber: '100',
        endSequenceNumber: '101',
        approximateArrivalOfFirstRecord: new Date(now - 20_000).toISOString(),
        approximateArrivalOfLastRecord: new Date(now).toISOString(),
        batchSize: 1,
        streamArn: `arn:aws:dynamodb:${REGION}:000000000000:table/${harness.tables.zone('global', 'inbox')}/stream/2026-11-30T00:00:00.000`,
      },
    };
    harness.rc.cloud.queues.send(arnOf('RouteFailedQueue'), JSON.stringify(record));
    // Act
    const result = await adminCall<Record<string, number>>(harness, { action: 'redrive.run', queue: 'route-failed' });
    // Assess
    expect(result.reopenedEvents).toBeGreaterThanOrEqual(1);
    expect(result.failed).toBe(0);
    await harness.waitFor('the lost delivery made again', () => deliveredCopies(`${run}-route`).length >= 2);
  }, 120_000);

  it('leaves a message it cannot resolve in the queue, listed with the reason', async () => {
    // Prepare
    harness.rc.cloud.queues.send(arnOf('IngestDlq'), 'not an event');
    // Act
    const result = await adminCall<{ failed: number; messages: { outcome: string }[] }>(harness, {
      action: 'redrive.run',
      queue: 'ingest-dlq',
    });
    const listed = await adminCall<{ messages: { resolved: { kind: string; reason: string } }[] }>(harness, {
      action: 'redrive.list',
      queue: 'ingest-dlq',
    });
    // Assess
    expect(result.failed).toBe(1);
    expect(result.messages[0]?.outcome).toBe('unrecognised');
    expect(listed.messages.map((m) => m.resolved.kind)).toEqual(['unrecognised']);
  }, 60_000);
});
