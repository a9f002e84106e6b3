import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTable, startProxyHarness, type ProxyHarness } from './dynamodb-proxy-harness';

let harness: ProxyHarness;

beforeAll(async () => {
  harness = await startProxyHarness();
  await createTable(harness.dynamo('eu-west-1'), 'ledger');
});

afterAll(async () => {
  await harness?.stop();
});

afterEach(() => {
  harness.faults.clear();
});

const putEntry = (id: string, maxAttempts: number) =>
  harness
    .dynamo('eu-west-1', { maxAttempts })
    .send(new PutItemCommand({ TableName: 'ledger', Item: { pk: { S: id }, amount: { N: '42' } } }));

const readEntry = async (id: string) =>
  (await harness.dynamo('eu-west-1').send(new GetItemCommand({ TableName: 'ledger', Key: { pk: { S: id } } }))).Item;

describe('DynamoDB proxy lost responses', () => {
  it('writes the item of a PutItem whose response is lost, while the SDK sees a connection reset', async () => {
    harness.faults.set('dynamodb', 'eu-west-1', { lostResponseRate: 1 });

    const error = await putEntry('lost-1', 1).then(
      () => undefined,
      (failure: unknown) => failure as { code?: string; $metadata?: { httpStatusCode?: number } },
    );
    harness.faults.clear();

    expect(error?.code).toBe('ECONNRESET');
    expect(error?.$metadata?.httpStatusCode).toBeUndefined();
    expect(await readEntry('lost-1')).toEqual({ pk: { S: 'lost-1' }, amount: { N: '42' } });
  });

  it('lets a retried PutItem succeed once the fault runs out, and meters both attempts', async () => {
    harness.faults.set('dynamodb', 'eu-west-1', { lostResponseRate: 1, table: 'ledger', remaining: 1 });
    const before = harness.proxy.meter.totals({ region: 'eu-west-1' }).requests;

    const out = await putEntry('lost-2', 2);

    expect(out.$metadata.attempts).toBe(2);
    expect(harness.proxy.meter.totals({ region: 'eu-west-1' }).requests - before).toBe(2);
    expect(harness.faults.list()).toEqual([]);
  });
});
