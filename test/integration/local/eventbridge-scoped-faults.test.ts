import {
  CreateEventBusCommand,
  DescribeEventBusCommand,
  EventBridgeServiceException,
  PutEventsCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startControlServer, type ControlServer } from '../../../local/control/control-server';
import { dynamoControlRoutes } from '../../../local/dynamodb/dynamo-control-routes';
import { DynamoMeter } from '../../../local/dynamodb/dynamo-meter';
import { failureOf, orderPlaced, startEventBridgeHarness, type EventBridgeHarness } from './eventbridge-harness';

const REGION = 'eu-west-1';
let harness: EventBridgeHarness;
let control: ControlServer;

beforeAll(async () => {
  harness = await startEventBridgeHarness();
  control = await startControlServer(dynamoControlRoutes({ faults: harness.faults, meter: new DynamoMeter() }));
  await harness.client(REGION).send(new CreateEventBusCommand({ Name: 'fulfilment' }));
  await harness.client(REGION).send(new CreateEventBusCommand({ Name: 'billing' }));
  await harness.client(REGION).send(new CreateEventBusCommand({ Name: 'ledger-sync' }));
});

afterEach(() => {
  harness.faults.clear();
});

afterAll(async () => {
  await control?.stop();
  await harness?.stop();
});

const client = (maxAttempts: number) => harness.client(REGION, { maxAttempts });

const recorded = (source: string): number => harness.server.inspector.listEvents({ region: REGION, source }).length;

describe('local EventBridge lost responses', () => {
  it('stores the events of a call whose response is lost once, and the SDK sees a network error', async () => {
    harness.faults.set('events', REGION, { lostResponseRate: 1 });

    const error = await failureOf(
      client(1).send(new PutEventsCommand({ Entries: [orderPlaced({ Source: 'lost.once' })] })),
    );

    expect(error).toMatchObject({ code: 'ECONNRESET' });
    expect(error).not.toBeInstanceOf(EventBridgeServiceException);
    expect(recorded('lost.once')).toBe(1);
  });

  it('stores the events twice when the SDK retries a call whose first response was lost', async () => {
    harness.faults.set('events', REGION, { lostResponseRate: 1, remaining: 1 });

    const out = await client(2).send(new PutEventsCommand({ Entries: [orderPlaced({ Source: 'lost.retried' })] }));

    expect(out.FailedEntryCount).toBe(0);
    expect(out.$metadata.attempts).toBe(2);
    expect(recorded('lost.retried')).toBe(2);
    expect(harness.faults.list()).toEqual([]);
  });
});

describe('local EventBridge faults narrowed to one bus', () => {
  it('answers 503 to a PutEvents call whose entries all go to the bus that is down', async () => {
    harness.faults.set('events', REGION, { down: '503', bus: 'fulfilment' });

    const error = await failureOf(
      client(1).send(new PutEventsCommand({ Entries: [orderPlaced({ EventBusName: 'fulfilment' })] })),
    );

    expect(error).toMatchObject({ name: 'ServiceUnavailableException', $metadata: { httpStatusCode: 503 } });
  });

  it('fails only the down bus entries of a mixed call with InternalFailure', async () => {
    harness.faults.set('events', REGION, { down: '503', bus: 'fulfilment' });

    const out = await client(1).send(
      new PutEventsCommand({
        Entries: [
          orderPlaced({ EventBusName: 'fulfilment', Source: 'mixed.call' }),
          orderPlaced({ EventBusName: 'billing', Source: 'mixed.call' }),
          orderPlaced({ Source: 'mixed.call' }),
        ],
      }),
    );

    expect(out.FailedEntryCount).toBe(1);
    expect(out.Entries?.[0]).toEqual({ ErrorCode: 'InternalFailure', ErrorMessage: 'Internal Service Failure' });
    expect(harness.server.inspector.listEvents({ region: REGION, source: 'mixed.call' }).map((e) => e.bus)).toEqual([
      'billing',
      'default',
    ]);
  });

  it('keeps two buses of one region down at once and fails only their entries of a mixed call', async () => {
    // Prepare
    harness.faults.set('events', REGION, { down: '503', bus: 'fulfilment' });
    harness.faults.set('events', REGION, { down: '503', bus: 'ledger-sync' });

    // Act
    const mixed = await client(1).send(
      new PutEventsCommand({
        Entries: [
          orderPlaced({ EventBusName: 'fulfilment', Source: 'two.down' }),
          orderPlaced({ EventBusName: 'ledger-sync', Source: 'two.down' }),
          orderPlaced({ EventBusName: 'billing', Source: 'two.down' }),
        ],
      }),
    );
    const onlyDown = await failureOf(
      client(1).send(
        new PutEventsCommand({
          Entries: [orderPlaced({ EventBusName: 'fulfilment' }), orderPlaced({ EventBusName: 'ledger-sync' })],
        }),
      ),
    );

    // Assess
    expect(mixed.Entries?.map((e) => e.ErrorCode ?? 'ok')).toEqual(['InternalFailure', 'InternalFailure', 'ok']);
    expect(onlyDown).toMatchObject({ name: 'ServiceUnavailableException' });
    expect(harness.faults.list().map((f) => f.faults.bus)).toEqual(['fulfilment', 'ledger-sync']);
  });

  it('replaces every bus fault of a region with a region-wide fault', () => {
    harness.faults.set('events', REGION, { down: '503', bus: 'fulfilment' });
    harness.faults.set('events', REGION, { down: '503', bus: 'ledger-sync' });

    harness.faults.set('events', REGION, { slowMs: 10 });

    expect(harness.faults.list()).toEqual([{ service: 'events', region: REGION, faults: { slowMs: 10 } }]);
  });

  it('answers 503 to DescribeEventBus of the down bus while the other buses of the region work', async () => {
    harness.faults.set('events', REGION, { down: '503', bus: 'fulfilment' });

    const down = await failureOf(client(1).send(new DescribeEventBusCommand({ Name: 'fulfilment' })));
    const billing = await client(1).send(new DescribeEventBusCommand({ Name: 'billing' }));
    const put = await client(1).send(new PutEventsCommand({ Entries: [orderPlaced({ EventBusName: 'billing' })] }));

    expect(down).toMatchObject({ name: 'ServiceUnavailableException' });
    expect(billing.Name).toBe('billing');
    expect(put.FailedEntryCount).toBe(0);
  });

  it('accepts bus and lostResponseRate through the control API and names a bad field', async () => {
    const putFaults = (body: unknown) =>
      fetch(`${control.endpoint}/faults/events/${REGION}`, { method: 'PUT', body: JSON.stringify(body) });

    const accepted = await putFaults({ bus: 'fulfilment', lostResponseRate: 0.5 });
    const badRate = await putFaults({ lostResponseRate: 1.5 });
    const dynamoBus = await fetch(`${control.endpoint}/faults/dynamodb/${REGION}`, {
      method: 'PUT',
      body: JSON.stringify({ bus: 'fulfilment' }),
    });

    expect(accepted.status).toBe(200);
    expect(harness.faults.match({ service: 'events', region: REGION, bus: 'fulfilment' })).toMatchObject({
      lostResponseRate: 0.5,
    });
    expect(badRate.status).toBe(400);
    expect(await badRate.text()).toContain('lostResponseRate');
    expect(dynamoBus.status).toBe(400);
    expect(await dynamoBus.text()).toContain('bus');
  });

  it('rejects a bus that is not an event bus name with a RangeError naming the field', () => {
    expect(() => harness.faults.set('events', REGION, { bus: 'no spaces' })).toThrow(/^bus must be an event bus name/);
    expect(() => harness.faults.set('events', REGION, { lostResponseRate: -0.1 })).toThrow(RangeError);
  });
});
