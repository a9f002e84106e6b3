import { BatchWriteItemCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTable, startProxyHarness, type ProxyHarness } from './dynamodb-proxy-harness';

let harness: ProxyHarness;

beforeAll(async () => {
  harness = await startProxyHarness();
  await createTable(harness.dynamo('eu-west-1'), 'orders');
  await createTable(harness.dynamo('eu-west-1'), 'ledger');
  await createTable(harness.dynamo('us-east-1'), 'orders');
});

afterAll(async () => {
  await harness?.stop();
});

beforeEach(() => {
  harness.proxy.meter.reset();
});

const row = (region: string, table: string, operation: string) =>
  harness.proxy.meter.snapshot().find((r) => r.region === region && r.table === table && r.operation === operation);

describe('DynamoDB proxy metering', () => {
  it('counts requests and consumed capacity per region, table and operation', async () => {
    const west = harness.dynamo('eu-west-1');
    await west.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'o-1' } } }));
    await west.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'o-2' } } }));
    await west.send(new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'o-1' } }, ConsistentRead: true }));
    await harness.dynamo('us-east-1').send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'o-1' } } }));

    const westPuts = row('eu-west-1', 'orders', 'PutItem');
    const westGets = row('eu-west-1', 'orders', 'GetItem');
    const eastPuts = row('us-east-1', 'orders', 'PutItem');

    expect(westPuts).toMatchObject({ requests: 2, writeCapacityUnits: 2, readCapacityUnits: 0, errors: 0 });
    expect(westGets).toMatchObject({ requests: 1, readCapacityUnits: 1, writeCapacityUnits: 0 });
    expect(eastPuts).toMatchObject({ requests: 1, writeCapacityUnits: 1 });
    expect(harness.proxy.meter.totals({ region: 'eu-west-1' })).toEqual({
      requests: 3,
      readCapacityUnits: 1,
      writeCapacityUnits: 2,
      errors: 0,
    });
  });

  it('splits a BatchWriteItem over two tables into one row per table', async () => {
    await harness.dynamo('eu-west-1').send(
      new BatchWriteItemCommand({
        RequestItems: {
          orders: [{ PutRequest: { Item: { pk: { S: 'b-1' } } } }, { PutRequest: { Item: { pk: { S: 'b-2' } } } }],
          ledger: [{ PutRequest: { Item: { pk: { S: 'b-3' } } } }],
        },
      }),
    );

    expect(row('eu-west-1', 'orders', 'BatchWriteItem')).toMatchObject({ requests: 1, writeCapacityUnits: 2 });
    expect(row('eu-west-1', 'ledger', 'BatchWriteItem')).toMatchObject({ requests: 1, writeCapacityUnits: 1 });
  });

  it('hides the ConsumedCapacity it injected but keeps the one the caller asked for', async () => {
    const west = harness.dynamo('eu-west-1');

    const unasked = await west.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'c-1' } } }));
    const explicitNone = await west.send(
      new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'c-2' } }, ReturnConsumedCapacity: 'NONE' }),
    );
    const asked = await west.send(
      new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'c-3' } }, ReturnConsumedCapacity: 'TOTAL' }),
    );

    expect(unasked.ConsumedCapacity).toBeUndefined();
    expect(explicitNone.ConsumedCapacity).toBeUndefined();
    expect(asked.ConsumedCapacity).toEqual({ TableName: 'orders', CapacityUnits: 1 });
    expect(row('eu-west-1', 'orders', 'PutItem')?.writeCapacityUnits).toBe(3);
  });

  it('counts failed requests as errors and stream operations without capacity', async () => {
    const failed = harness
      .dynamo('eu-west-1')
      .send(new GetItemCommand({ TableName: 'no-such-table', Key: { pk: { S: 'x' } } }));
    await expect(failed).rejects.toThrow();

    await harness.streams('eu-west-1').send(new ListStreamsCommand({ TableName: 'orders' }));

    expect(row('eu-west-1', 'no-such-table', 'GetItem')).toMatchObject({
      requests: 1,
      errors: 1,
      readCapacityUnits: 0,
    });
    expect(row('eu-west-1', 'orders', 'ListStreams')).toMatchObject({
      requests: 1,
      errors: 0,
      readCapacityUnits: 0,
      writeCapacityUnits: 0,
    });
  });
});
