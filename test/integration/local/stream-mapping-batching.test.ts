import { UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultRegistry } from '../../../local/faults/fault-registry';
import { startDynamoProxy } from '../../../local/dynamodb/dynamo-proxy';
import { createStreamMapping, type StreamMapping } from '../../../local/lambda/stream-mapping';
import { QueueStore } from '../../../local/queues/queue-store';
import { POLL, RecordingInvoker, startStreamHarness, type StreamHarness } from './stream-mapping-harness';

const REGION = 'us-east-1';

describe('DynamoDB stream event source mapping: batching, filtering and record shape', () => {
  let harness: StreamHarness;
  const mappings: StreamMapping[] = [];

  beforeAll(async () => {
    harness = await startStreamHarness([REGION]);
  });

  afterAll(async () => {
    await Promise.all(mappings.map((m) => m.stop()));
    await harness.stop();
  });

  const startMapping = async (tableName: string, extra: Partial<Parameters<typeof createStreamMapping>[0]> = {}) => {
    const invoker = new RecordingInvoker(harness.runtime);
    const mapping = await createStreamMapping({
      region: REGION,
      tableName,
      functionName: 'stream-consumer',
      invoker,
      dynamodbEndpoint: harness.engine.endpoint,
      startingPosition: 'TRIM_HORIZON',
      queues: new QueueStore(),
      ...extra,
    });
    mappings.push(mapping);
    return { invoker, mapping };
  };

  it('delivers records in shard order in batches of at most BatchSize', async () => {
    await harness.createTable(REGION, 'batch-size');
    for (let i = 1; i <= 7; i += 1) await harness.put(REGION, 'batch-size', `r${i}`);
    const { invoker } = await startMapping('batch-size', { batchSize: 3 });
    await expect.poll(() => invoker.succeededIds().length, POLL).toBe(7);
    expect(invoker.invocations.map((i) => i.ids)).toEqual([['r1', 'r2', 'r3'], ['r4', 'r5', 'r6'], ['r7']]);
  });

  it('holds records for up to the batching window before invoking', async () => {
    await harness.createTable(REGION, 'window');
    const { invoker } = await startMapping('window', { maximumBatchingWindowInSeconds: 2, startingPosition: 'LATEST' });
    const firstWrite = Date.now();
    for (const id of ['w1', 'w2', 'w3']) await harness.put(REGION, 'window', id);
    await expect.poll(() => invoker.invocations.length, POLL).toBe(1);
    expect(invoker.invocations[0]?.ids).toEqual(['w1', 'w2', 'w3']);
    expect((invoker.invocations[0]?.at ?? 0) - firstWrite).toBeGreaterThanOrEqual(1_950);
  });

  it('invokes with what is there, without waiting for a full batch, when there is no batching window', async () => {
    await harness.createTable(REGION, 'no-window');
    const { invoker } = await startMapping('no-window', { startingPosition: 'LATEST' });
    await harness.put(REGION, 'no-window', 'n1');
    await expect.poll(() => invoker.succeededIds(), POLL).toEqual(['n1']);
    await harness.put(REGION, 'no-window', 'n2');
    await expect.poll(() => invoker.succeededIds(), POLL).toEqual(['n1', 'n2']);
    expect(invoker.invocations.map((i) => i.ids)).toEqual([['n1'], ['n2']]);
  });

  it('passes only INSERTs owned by its region through the filter criteria and checkpoints past the rest', async () => {
    await harness.createTable(REGION, 'filtered');
    const pattern = JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { owner: { S: [REGION] } } } });
    const { invoker, mapping } = await startMapping('filtered', {
      filterCriteria: { Filters: [{ Pattern: pattern }] },
    });
    await harness.put(REGION, 'filtered', 'mine', { owner: { S: REGION } });
    await harness.put(REGION, 'filtered', 'theirs', { owner: { S: 'eu-west-1' } });
    await harness.put(REGION, 'filtered', 'mine', { owner: { S: REGION }, touched: { BOOL: true } });
    await harness.remove(REGION, 'filtered', 'mine');
    await harness.put(REGION, 'filtered', 'mine-too', { owner: { S: REGION } });
    await expect.poll(() => mapping.stats().filtered, POLL).toBe(3);
    await expect.poll(() => invoker.succeededIds(), POLL).toEqual(['mine', 'mine-too']);
    expect(invoker.invocations.flatMap((i) => i.records.map((r) => r.eventName))).toEqual(['INSERT', 'INSERT']);
  });

  it('delivers records in the Lambda shape with the real region, base64 binaries and TTL deletions as service REMOVEs', async () => {
    const faults = new FaultRegistry();
    const proxy = await startDynamoProxy({ engineEndpoint: harness.engine.endpoint, faults });
    try {
      await harness.createTable(REGION, 'shape');
      await harness.client(REGION).send(
        new UpdateTimeToLiveCommand({
          TableName: 'shape',
          TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
        }),
      );
      const { invoker } = await startMapping('shape', { dynamodbEndpoint: proxy.endpoint });
      await harness.put(REGION, 'shape', 'bin', { blob: { B: new Uint8Array([1, 2, 3]) } });
      await harness.put(REGION, 'shape', 'expired', { expiresAt: { N: String(Math.floor(Date.now() / 1000) - 60) } });
      await expect.poll(() => invoker.invocations.flatMap((i) => i.records).length, POLL).toBe(3);
      const [insert, , ttl] = invoker.invocations.flatMap((i) => i.records);
      expect(insert).toMatchObject({
        eventName: 'INSERT',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: REGION,
      });
      expect(insert?.dynamodb).toMatchObject({
        NewImage: { id: { S: 'bin' }, blob: { B: 'AQID' } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      });
      expect(typeof insert?.dynamodb?.ApproximateCreationDateTime).toBe('number');
      expect(insert?.eventSourceARN).toMatch(/^arn:aws:dynamodb:us-east-1:\d{12}:table\/shape\/stream\//);
      expect(ttl).toMatchObject({
        eventName: 'REMOVE',
        userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
      });
      expect(ttl?.dynamodb?.OldImage?.id).toEqual({ S: 'expired' });
    } finally {
      await proxy.stop();
    }
  });
});
