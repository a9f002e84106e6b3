import { ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startControlServer, type ControlServer } from '../../../local/control/control-server';
import { dynamoControlRoutes } from '../../../local/dynamodb/dynamo-control-routes';
import { createTable, startProxyHarness, type ProxyHarness } from './dynamodb-proxy-harness';

let harness: ProxyHarness;
let control: ControlServer;

beforeAll(async () => {
  harness = await startProxyHarness();
  control = await startControlServer(dynamoControlRoutes({ faults: harness.faults, meter: harness.proxy.meter }));
  await createTable(harness.dynamo('eu-west-1'), 'orders');
});

afterAll(async () => {
  await control?.stop();
  await harness?.stop();
});

afterEach(() => {
  harness.faults.clear();
});

/** The fields of the control API's answers these tests read. */
interface ControlBody {
  error?: string;
  faults?: unknown;
  rows?: unknown[];
  totals?: { byRegion: Record<string, unknown> };
}

const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: ControlBody }> => {
  const response = await fetch(`${control.endpoint}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as ControlBody };
};

describe('fault and metering control routes', () => {
  it('turns a DynamoDB fault on and off for one region through PUT and DELETE', async () => {
    const client = harness.dynamo('eu-west-1', { maxAttempts: 1 });

    const put = await call('PUT', '/faults/dynamodb/eu-west-1', { down: '503' });
    const whileDown = await client
      .send(new ListTablesCommand({}))
      .catch((error: { $metadata?: { httpStatusCode?: number } }) => error);
    const removed = await call('DELETE', '/faults/dynamodb/eu-west-1');
    const healed = await client.send(new ListTablesCommand({}));

    expect(put).toEqual({ status: 200, body: { service: 'dynamodb', region: 'eu-west-1', faults: { down: '503' } } });
    expect(whileDown.$metadata?.httpStatusCode).toBe(503);
    expect(removed.status).toBe(200);
    expect(healed.$metadata.httpStatusCode).toBe(200);
  });

  it('lists the faults of both services and clears them all at once', async () => {
    await call('PUT', '/faults/dynamodb/us-east-1', { slowMs: 50, table: 'orders' });
    await call('PUT', '/faults/events/eu-west-1', { internalFailureRate: 0.5, remaining: 3 });

    const listed = await call('GET', '/faults');
    const cleared = await call('DELETE', '/faults');

    expect(listed.body.faults).toEqual(
      expect.arrayContaining([
        { service: 'dynamodb', region: 'us-east-1', faults: { slowMs: 50, table: 'orders' } },
        { service: 'events', region: 'eu-west-1', faults: { internalFailureRate: 0.5, remaining: 3 } },
      ]),
    );
    expect(cleared.status).toBe(200);
    expect(harness.faults.list()).toEqual([]);
  });

  it.each([
    ['a rate above 1', '/faults/dynamodb/eu-west-1', { throttleRate: 2 }, 'throttleRate'],
    ['an unknown down mode', '/faults/dynamodb/eu-west-1', { down: 'sometimes' }, 'down'],
    ['an unknown field', '/faults/dynamodb/eu-west-1', { slow: 100 }, 'slow'],
    ['a fractional slowMs', '/faults/dynamodb/eu-west-1', { slowMs: 1.5 }, 'slowMs'],
    ['an unknown service', '/faults/lambda/eu-west-1', { slowMs: 10 }, 'service'],
    ['a malformed region', '/faults/dynamodb/europe', { slowMs: 10 }, 'region'],
    ['a body that is not an object', '/faults/dynamodb/eu-west-1', [1, 2], 'body'],
  ])('rejects %s with 400 and a message naming the problem', async (_case, path, body, named) => {
    const response = await call('PUT', path, body);

    expect(response.status).toBe(400);
    expect(response.body.error).toContain(named);
    expect(harness.faults.list()).toEqual([]);
  });

  it('reports metering rows with totals per region, and resets them', async () => {
    await call('DELETE', '/metering');
    await harness.dynamo('eu-west-1').send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'm-1' } } }));

    const metered = await call('GET', '/metering');
    const reset = await call('DELETE', '/metering');
    const after = await call('GET', '/metering');

    expect(metered.body.rows).toEqual([
      {
        region: 'eu-west-1',
        table: 'orders',
        operation: 'PutItem',
        requests: 1,
        readCapacityUnits: 0,
        writeCapacityUnits: 1,
        errors: 0,
      },
    ]);
    expect(metered.body.totals?.byRegion['eu-west-1']).toEqual({
      requests: 1,
      readCapacityUnits: 0,
      writeCapacityUnits: 1,
      errors: 0,
    });
    expect(reset.status).toBe(200);
    expect(after.body.rows).toEqual([]);
  });
});
