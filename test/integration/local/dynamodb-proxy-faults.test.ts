import {
  GetItemCommand,
  ListTablesCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  DescribeStreamCommand,
  LimitExceededException,
  ListStreamsCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTable, startProxyHarness, type ProxyHarness } from './dynamodb-proxy-harness';

let harness: ProxyHarness;
let streamArn: string | undefined;

beforeAll(async () => {
  harness = await startProxyHarness();
  streamArn = await createTable(harness.dynamo('eu-west-1'), 'hot', true);
  await createTable(harness.dynamo('eu-west-1'), 'cold');
});

afterAll(async () => {
  await harness?.stop();
});

afterEach(() => {
  harness.faults.clear();
});

/** A client that gives up after one attempt, so each fault shows up as the error it produced. */
const oneShot = (region: string) => harness.dynamo(region, { maxAttempts: 1 });

const put = (region: string, table: string) =>
  oneShot(region).send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'k' } } }));

const errorOf = async (
  promise: Promise<unknown>,
): Promise<{ name: string; code?: string; $metadata?: { httpStatusCode?: number } }> => {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; code?: string };
  }
  throw new Error('expected the call to fail');
};

describe('DynamoDB proxy fault injection', () => {
  it('resets the connection of a region that is down with refuse, and only that region', async () => {
    harness.faults.set('dynamodb', 'eu-west-1', { down: 'refuse' });

    const refused = await errorOf(oneShot('eu-west-1').send(new ListTablesCommand({})));
    const otherRegion = await oneShot('us-east-1').send(new ListTablesCommand({}));

    expect(refused.code).toBe('ECONNRESET');
    expect(refused.$metadata?.httpStatusCode).toBeUndefined();
    expect(otherRegion.$metadata.httpStatusCode).toBe(200);
    harness.faults.clear('dynamodb', 'eu-west-1');
    await expect(oneShot('eu-west-1').send(new ListTablesCommand({}))).resolves.toBeDefined();
  });

  it('answers 503 ServiceUnavailable while a region is down with 503, and serves again once healed', async () => {
    harness.faults.set('dynamodb', 'eu-west-1', { down: '503' });

    const unavailable = await errorOf(put('eu-west-1', 'cold'));

    expect(unavailable.$metadata?.httpStatusCode).toBe(503);
    expect(unavailable.name).toBe('ServiceUnavailable');
    harness.faults.set('dynamodb', 'eu-west-1', {});
    await expect(put('eu-west-1', 'cold')).resolves.toBeDefined();
  });

  it('adds at least slowMs of latency to a slowed region', async () => {
    // A delay far beyond what a starved machine adds to one request, so the healed bound holds.
    harness.faults.set('dynamodb', 'eu-west-1', { slowMs: 3_000 });

    const started = performance.now();
    await put('eu-west-1', 'cold');
    const slowed = performance.now() - started;
    harness.faults.clear();
    const healedStart = performance.now();
    await put('eu-west-1', 'cold');
    const healed = performance.now() - healedStart;

    expect(slowed).toBeGreaterThanOrEqual(3_000);
    expect(healed).toBeLessThan(2_000);
  });

  it('throttles every request at throttleRate 1 with ProvisionedThroughputExceededException', async () => {
    harness.faults.set('dynamodb', 'eu-west-1', { throttleRate: 1 });

    const throttled = await errorOf(put('eu-west-1', 'cold'));

    expect(throttled).toBeInstanceOf(ProvisionedThroughputExceededException);
    harness.faults.clear();
    await expect(put('eu-west-1', 'cold')).resolves.toBeDefined();
  });

  it('throttles stream reads with the streams API errors', async () => {
    const streams = harness.streams('eu-west-1');
    const described = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const shardId = described.StreamDescription?.Shards?.[0]?.ShardId;
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    harness.faults.set('dynamodb', 'eu-west-1', { throttleRate: 1 });
    const oneShotStreams = harness.streams('eu-west-1', { maxAttempts: 1 });

    const getRecords = await errorOf(oneShotStreams.send(new GetRecordsCommand({ ShardIterator })));
    const listStreams = await errorOf(oneShotStreams.send(new ListStreamsCommand({})));

    expect(getRecords).toBeInstanceOf(LimitExceededException);
    expect(listStreams.name).toBe('ThrottlingException');
  });

  it('narrows a fault to one table', async () => {
    harness.faults.set('dynamodb', 'eu-west-1', { throttleRate: 1, table: 'hot' });

    const hot = await errorOf(put('eu-west-1', 'hot'));

    expect(hot).toBeInstanceOf(ProvisionedThroughputExceededException);
    await expect(put('eu-west-1', 'cold')).resolves.toBeDefined();
  });

  it('narrows a fault to one operation', async () => {
    harness.faults.set('dynamodb', 'eu-west-1', { down: '503', operation: 'GetItem' });

    const get = await errorOf(
      oneShot('eu-west-1').send(new GetItemCommand({ TableName: 'cold', Key: { pk: { S: 'k' } } })),
    );

    expect(get.$metadata?.httpStatusCode).toBe(503);
    await expect(put('eu-west-1', 'cold')).resolves.toBeDefined();
  });

  it('clears a fault by itself after `remaining` affected requests', async () => {
    harness.faults.set('dynamodb', 'eu-west-1', { down: '503', remaining: 2 });

    const first = await errorOf(put('eu-west-1', 'cold'));
    const second = await errorOf(put('eu-west-1', 'cold'));
    const third = await put('eu-west-1', 'cold');

    expect([first.$metadata?.httpStatusCode, second.$metadata?.httpStatusCode, third.$metadata.httpStatusCode]).toEqual(
      [503, 503, 200],
    );
    expect(harness.faults.list()).toEqual([]);
  });

  it('lets an SDK client with retries ride out a single throttled request', async () => {
    harness.faults.set('dynamodb', 'eu-west-1', { throttleRate: 1, remaining: 1 });

    const result = await harness
      .dynamo('eu-west-1', { maxAttempts: 2 })
      .send(new PutItemCommand({ TableName: 'cold', Item: { pk: { S: 'r' } } }));

    expect(result.$metadata.attempts).toBe(2);
  });

  it('meters injected failures as errors', async () => {
    harness.proxy.meter.reset();
    harness.faults.set('dynamodb', 'eu-west-1', { throttleRate: 1 });

    await errorOf(put('eu-west-1', 'cold'));

    expect(harness.proxy.meter.totals({ region: 'eu-west-1', table: 'cold', operation: 'PutItem' })).toMatchObject({
      requests: 1,
      errors: 1,
      writeCapacityUnits: 0,
    });
  });
});
