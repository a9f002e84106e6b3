import { DescribeEventBusCommand, EventBridgeServiceException, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { failureOf, orderPlaced, startEventBridgeHarness, type EventBridgeHarness } from './eventbridge-harness';

let harness: EventBridgeHarness;

beforeAll(async () => {
  harness = await startEventBridgeHarness();
});

afterEach(() => {
  harness.faults.clear();
});

afterAll(async () => {
  await harness?.stop();
});

/** One attempt, so the SDK's own retries do not hide the fault. */
const oneShot = (region: string) => harness.client(region, { maxAttempts: 1 });

const threeEntries = () => new PutEventsCommand({ Entries: [orderPlaced(), orderPlaced(), orderPlaced()] });

describe('local EventBridge fault injection', () => {
  it('throttles every request of a region at throttleRate 1 with a 400 ThrottlingException, and recovers when cleared', async () => {
    harness.faults.set('events', 'us-east-1', { throttleRate: 1 });

    const throttled = await failureOf(oneShot('us-east-1').send(threeEntries()));
    const otherRegion = await oneShot('eu-west-1').send(threeEntries());
    harness.faults.clear('events', 'us-east-1');
    const recovered = await oneShot('us-east-1').send(threeEntries());

    expect(throttled).toMatchObject({
      name: 'ThrottlingException',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400 },
    });
    expect(otherRegion.FailedEntryCount).toBe(0);
    expect(recovered.FailedEntryCount).toBe(0);
  });

  it('clears a fault after `remaining` affected requests', async () => {
    harness.faults.set('events', 'ap-southeast-2', { throttleRate: 1, remaining: 1 });

    const first = await failureOf(oneShot('ap-southeast-2').send(new DescribeEventBusCommand({})));
    const second = await oneShot('ap-southeast-2').send(new DescribeEventBusCommand({}));

    expect(first).toMatchObject({ name: 'ThrottlingException' });
    expect(second.Name).toBe('default');
    expect(harness.faults.list()).toEqual([]);
  });

  it('narrows a fault to one operation', async () => {
    harness.faults.set('events', 'us-east-1', { throttleRate: 1, operation: 'PutEvents' });

    const described = await oneShot('us-east-1').send(new DescribeEventBusCommand({}));
    const put = await failureOf(oneShot('us-east-1').send(threeEntries()));

    expect(described.Name).toBe('default');
    expect(put).toMatchObject({ name: 'ThrottlingException' });
  });

  it('fails every entry with InternalFailure at internalFailureRate 1 and records none of them', async () => {
    harness.faults.set('events', 'eu-west-1', { internalFailureRate: 1 });
    const before = harness.server.inspector.listEvents({ region: 'eu-west-1' }).length;

    const out = await oneShot('eu-west-1').send(threeEntries());

    expect(out.FailedEntryCount).toBe(3);
    expect(out.Entries).toEqual(
      Array.from({ length: 3 }, () => ({ ErrorCode: 'InternalFailure', ErrorMessage: 'Internal Service Failure' })),
    );
    expect(harness.server.inspector.listEvents({ region: 'eu-west-1' })).toHaveLength(before);
  });

  it('fails no entry at internalFailureRate 0', async () => {
    harness.faults.set('events', 'eu-west-1', { internalFailureRate: 0 });

    const out = await oneShot('eu-west-1').send(threeEntries());

    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries?.every((e) => e.EventId !== undefined)).toBe(true);
  });

  it('fails the share of entries the random source selects at a partial internalFailureRate', async () => {
    const rolls = [0.1, 0.9, 0.2, 0.8];
    const seeded = await startEventBridgeHarness({ random: () => rolls.shift() ?? 0.99 });
    try {
      seeded.faults.set('events', 'us-east-1', { internalFailureRate: 0.5 });

      const out = await seeded
        .client('us-east-1')
        .send(new PutEventsCommand({ Entries: [orderPlaced(), orderPlaced(), orderPlaced(), orderPlaced()] }));

      expect(out.FailedEntryCount).toBe(2);
      expect(out.Entries?.map((e) => e.ErrorCode ?? 'ok')).toEqual(['InternalFailure', 'ok', 'InternalFailure', 'ok']);
    } finally {
      await seeded.stop();
    }
  });

  it('drops the connection when a region is down with refuse, which the SDK reports as a network error', async () => {
    harness.faults.set('events', 'us-east-1', { down: 'refuse' });

    const error = await failureOf(oneShot('us-east-1').send(threeEntries()));

    expect(error).toMatchObject({ code: 'ECONNRESET' });
    expect(error).not.toBeInstanceOf(EventBridgeServiceException);
    expect((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBeUndefined();
  });

  it('answers 503 ServiceUnavailableException when a region is down with 503', async () => {
    harness.faults.set('events', 'us-east-1', { down: '503' });

    const error = await failureOf(oneShot('us-east-1').send(new DescribeEventBusCommand({})));

    expect(error).toMatchObject({ name: 'ServiceUnavailableException', $metadata: { httpStatusCode: 503 } });
  });

  it('fails a request held by slowMs when its region goes down meanwhile, and stores none of its events', async () => {
    // Prepare
    harness.faults.set('events', 'eu-west-1', { slowMs: 300 });
    const before = harness.server.inspector.listEvents({ region: 'eu-west-1', source: 'held.then.down' }).length;

    // Act: the region goes down while the call is held.
    const call = failureOf(
      oneShot('eu-west-1').send(new PutEventsCommand({ Entries: [orderPlaced({ Source: 'held.then.down' })] })),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    harness.faults.set('events', 'eu-west-1', { down: '503' });
    const error = await call;

    // Assess
    expect(error).toMatchObject({ name: 'ServiceUnavailableException' });
    expect(harness.server.inspector.listEvents({ region: 'eu-west-1', source: 'held.then.down' })).toHaveLength(before);
  });

  it('delays responses by slowMs in the slowed region only', async () => {
    // A delay far beyond what a starved machine adds to one request, so the unslowed region's bound holds.
    harness.faults.set('events', 'eu-west-1', { slowMs: 3_000 });

    const slowStart = Date.now();
    await oneShot('eu-west-1').send(new DescribeEventBusCommand({}));
    const slowMs = Date.now() - slowStart;
    const fastStart = Date.now();
    await oneShot('us-east-1').send(new DescribeEventBusCommand({}));
    const fastMs = Date.now() - fastStart;

    expect(slowMs).toBeGreaterThanOrEqual(2_990);
    expect(fastMs).toBeLessThan(2_000);
  });
});
