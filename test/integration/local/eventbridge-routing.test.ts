import {
  CreateEventBusCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryStats, RecordedEvent } from '../../../local/eventbridge';
import type { QueuedMessage } from '../../../local/queues/queue-store';
import {
  busArn,
  functionArn,
  orderPlaced,
  queueArn,
  startEventBridgeHarness,
  type EventBridgeHarness,
} from './eventbridge-harness';

let harness: EventBridgeHarness;

beforeAll(async () => {
  harness = await startEventBridgeHarness();
});

afterAll(async () => {
  await harness?.stop();
});

const pattern = (source: string): string => JSON.stringify({ source: [source] });

/** Creates a bus (unless default) with one rule on `source` pointing at `targetArn`. */
const route = async (
  region: string,
  bus: string,
  rule: string,
  source: string,
  targetArn: string,
  extra: object = {},
): Promise<string> => {
  const eb = harness.client(region);
  if (bus !== 'default') await eb.send(new CreateEventBusCommand({ Name: bus }));
  const { RuleArn } = await eb.send(
    new PutRuleCommand({ Name: rule, EventBusName: bus, EventPattern: pattern(source) }),
  );
  await eb.send(
    new PutTargetsCommand({ Rule: rule, EventBusName: bus, Targets: [{ Id: 'target', Arn: targetArn, ...extra }] }),
  );
  return RuleArn ?? '';
};

const publish = async (region: string, source: string): Promise<string> => {
  const out = await harness.client(region).send(new PutEventsCommand({ Entries: [orderPlaced({ Source: source })] }));
  await harness.server.inspector.idle();
  return out.Entries?.[0]?.EventId ?? '';
};

describe('routing between buses and regions', () => {
  it('forwards an event put in us-east-1 to a bus in eu-west-1, where it is recorded unchanged and triggers that bus rule', async () => {
    harness.invoker.deploy('eu-west-1', 'replica-handler');
    const forwardArn = await route('us-east-1', 'default', 'to-europe', 'cross.region', busArn('eu-west-1', 'mirror'));
    await route('eu-west-1', 'mirror', 'on-mirror', 'cross.region', functionArn('eu-west-1', 'replica-handler'));

    const eventId = await publish('us-east-1', 'cross.region');

    const [arrived] = harness.server.inspector.listEvents({ region: 'eu-west-1', bus: 'mirror' });
    expect(arrived).toMatchObject({ via: forwardArn, matchedRules: ['on-mirror'] });
    expect(arrived?.envelope).toMatchObject({ id: eventId, region: 'us-east-1', source: 'cross.region' });
    const [call] = harness.invoker.callsTo('replica-handler');
    expect(call).toMatchObject({ region: 'eu-west-1', payload: { id: eventId } });
  });

  it('refuses a third region with THIRD_REGION_HOP_DETECTED, dead-lettering the event', async () => {
    await route('us-east-1', 'default', 'hop-1', 'three.regions', busArn('eu-west-1', 'hop-bus'));
    await route('eu-west-1', 'hop-bus', 'hop-2', 'three.regions', busArn('ap-southeast-2', 'default'), {
      DeadLetterConfig: { Arn: queueArn('eu-west-1', 'hop-dlq') },
    });

    const eventId = await publish('us-east-1', 'three.regions');

    expect(
      harness.server.inspector.listEvents({ region: 'ap-southeast-2' }).some((e) => e.envelope.id === eventId),
    ).toBe(false);
    expect(harness.queues.list({ queueName: 'hop-dlq' })[0]?.attributes.ERROR_CODE).toBe('THIRD_REGION_HOP_DETECTED');
  });

  it('retries forwarding while the destination region is down and dead-letters when retries run out', async () => {
    await route('us-east-1', 'default', 'to-down-region', 'down.region', busArn('ap-southeast-2', 'default'), {
      RetryPolicy: { MaximumRetryAttempts: 2 },
      DeadLetterConfig: { Arn: queueArn('us-east-1', 'down-dlq') },
    });
    harness.faults.set('events', 'ap-southeast-2', { down: 'refuse' });

    try {
      await publish('us-east-1', 'down.region');
    } finally {
      harness.faults.clear();
    }

    expect(harness.queues.list({ queueName: 'down-dlq' })[0]?.attributes).toMatchObject({
      ERROR_CODE: 'CROSS_REGION_INGESTION_FAILED',
      RETRY_ATTEMPTS: '2',
    });
  });

  it('records the event on an SQS recorder target with the envelope as the body', async () => {
    await route('ap-southeast-2', 'default', 'record-all', 'recorded.source', queueArn('ap-southeast-2', 'recorder'));

    const eventId = await publish('ap-southeast-2', 'recorded.source');

    const [message] = harness.queues.list({ region: 'ap-southeast-2', queueName: 'recorder' });
    expect(JSON.parse(message?.body ?? '{}')).toMatchObject({
      id: eventId,
      source: 'recorded.source',
      region: 'ap-southeast-2',
    });
  });
});

describe('inspection routes', () => {
  it('lists events filtered by region, bus, source and limit, and forgets them on DELETE', async () => {
    await publish('us-east-1', 'inspect.a');
    await publish('us-east-1', 'inspect.a');
    await publish('us-east-1', 'inspect.b');

    const filtered = await harness.inspect<{ events: RecordedEvent[] }>(
      '/inspect/events?region=us-east-1&bus=default&source=inspect.a',
    );
    const limited = await harness.inspect<{ events: RecordedEvent[] }>('/inspect/events?region=us-east-1&limit=1');
    const deleted = await fetch(`${harness.control.endpoint}/inspect/events`, { method: 'DELETE' });
    const after = await harness.inspect<{ events: RecordedEvent[] }>('/inspect/events');

    expect(filtered.events.map((e) => e.envelope.source)).toEqual(['inspect.a', 'inspect.a']);
    expect(limited.events.map((e) => e.envelope.source)).toEqual(['inspect.b']);
    expect(deleted.status).toBe(200);
    expect(after.events).toEqual([]);
  });

  it('shows queue messages and per-target delivery counters', async () => {
    const ruleArn = await route(
      'eu-west-1',
      'default',
      'counted',
      'counted.source',
      queueArn('eu-west-1', 'counted-queue'),
    );

    await publish('eu-west-1', 'counted.source');
    const queues = await harness.inspect<{ messages: QueuedMessage[] }>(
      '/inspect/queues?region=eu-west-1&queue=counted-queue',
    );
    const deliveries = await harness.inspect<{ deliveries: DeliveryStats[] }>('/inspect/deliveries');

    expect(queues.messages).toHaveLength(1);
    expect(deliveries.deliveries.find((d) => d.ruleArn === ruleArn)).toMatchObject({
      targetId: 'target',
      attempts: 1,
      successes: 1,
      failures: 0,
      deadLettered: 0,
    });
  });

  it('keeps only the newest events per bus and reports how many it dropped', async () => {
    const small = await startEventBridgeHarness({ eventsPerBus: 3 });
    try {
      const eb = small.client('us-east-1');
      for (const n of [1, 2, 3, 4, 5])
        await eb.send(new PutEventsCommand({ Entries: [orderPlaced({ Detail: JSON.stringify({ n }) })] }));

      const body = await small.inspect<{ events: RecordedEvent[]; droppedByRingBuffer: Record<string, number> }>(
        '/inspect/events',
      );

      expect(body.events.map((e) => e.envelope.detail.n)).toEqual([3, 4, 5]);
      expect(body.droppedByRingBuffer).toEqual({ 'us-east-1|default': 2 });
    } finally {
      await small.stop();
    }
  });
});
