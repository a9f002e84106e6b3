import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStreamMapping, type StreamMapping } from '../../../local/lambda/stream-mapping';
import { QueueStore } from '../../../local/queues/queue-store';
import { POLL, RecordingInvoker, startStreamHarness, type StreamHarness } from './stream-mapping-harness';

const REGION = 'eu-west-1';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const DLQ = `arn:aws:sqs:${REGION}:000000000000:stream-consumer-failures`;

describe('DynamoDB stream event source mapping: failures, retries and on-failure destination', () => {
  let harness: StreamHarness;
  const mappings: StreamMapping[] = [];

  beforeAll(async () => {
    harness = await startStreamHarness([REGION]);
  });

  afterAll(async () => {
    await Promise.all(mappings.map((m) => m.stop()));
    await harness.stop();
  });

  /** Writes the items first, then maps from TRIM_HORIZON, so the first batch holds all of them. */
  const mapAfterWriting = async (
    tableName: string,
    items: Array<[string, Record<string, unknown>?]>,
    extra: Record<string, unknown>,
  ) => {
    await harness.createTable(REGION, tableName);
    for (const [id, attributes] of items) await harness.put(REGION, tableName, id, (attributes ?? {}) as never);
    const invoker = new RecordingInvoker(harness.runtime);
    const queues = new QueueStore();
    const mapping = await createStreamMapping({
      region: REGION,
      tableName,
      functionName: 'stream-consumer',
      invoker,
      dynamodbEndpoint: harness.engine.endpoint,
      startingPosition: 'TRIM_HORIZON',
      queues,
      retryDelayMs: 20,
      ...extra,
    });
    mappings.push(mapping);
    return { invoker, queues, mapping };
  };

  it('retries from the earliest reported item failure and never re-delivers the records before it', async () => {
    const items: Array<[string, Record<string, unknown>?]> = [
      ['p1'],
      ['p2', { failTimes: { N: '1' } }],
      ['p3'],
      ['p4', { failTimes: { N: '1' } }],
      ['p5'],
    ];
    const { invoker, mapping } = await mapAfterWriting('partial', items, {
      functionResponseTypes: ['ReportBatchItemFailures'],
    });
    await expect.poll(() => invoker.invocations.length, POLL).toBe(2);
    await sleep(300);
    expect(invoker.invocations.map((i) => i.ids)).toEqual([
      ['p1', 'p2', 'p3', 'p4', 'p5'],
      ['p2', 'p3', 'p4', 'p5'],
    ]);
    expect(mapping.stats()).toMatchObject({ batches: 2, failures: 1, retries: 1 });
  });

  it('retries the whole batch when an item identifier names no record of the batch', async () => {
    const items: Array<[string, Record<string, unknown>?]> = [['b1'], ['b2', { bogusFailure: { BOOL: true } }], ['b3']];
    const { invoker } = await mapAfterWriting('bogus', items, { functionResponseTypes: ['ReportBatchItemFailures'] });
    await expect.poll(() => invoker.invocations.length, POLL).toBe(2);
    await sleep(300);
    expect(invoker.invocations.map((i) => i.ids)).toEqual([
      ['b1', 'b2', 'b3'],
      ['b1', 'b2', 'b3'],
    ]);
  });

  it('ignores a partial batch response when the mapping does not report batch item failures', async () => {
    const items: Array<[string, Record<string, unknown>?]> = [['i1', { failTimes: { N: '1' } }], ['i2']];
    const { invoker, mapping } = await mapAfterWriting('unreported', items, {});
    await expect.poll(() => invoker.succeededIds(), POLL).toEqual(['i1', 'i2']);
    await sleep(300);
    expect(mapping.stats()).toMatchObject({ batches: 1, failures: 0 });
  });

  it('bisects a failing batch until the poison record is alone, delivers the rest, and sends only the poison to the destination', async () => {
    const items: Array<[string, Record<string, unknown>?]> = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8'].map(
      (id) => [id, id === 'k5' ? { poison: { BOOL: true } } : {}],
    );
    const { invoker, queues } = await mapAfterWriting('bisect', items, {
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 1,
      destinationConfig: { onFailure: { destination: DLQ } },
    });
    await expect.poll(() => invoker.succeededIds().sort(), POLL).toEqual(['k1', 'k2', 'k3', 'k4', 'k6', 'k7', 'k8']);
    expect(invoker.invocations.map((i) => i.ids.join(','))).toEqual([
      'k1,k2,k3,k4,k5,k6,k7,k8',
      'k1,k2,k3,k4',
      'k5,k6,k7,k8',
      'k5,k6',
      'k5',
      'k5',
      'k6',
      'k7,k8',
    ]);
    const [message] = queues.list({ queueName: 'stream-consumer-failures' });
    const poison = invoker.invocations[4]?.records[0]?.dynamodb?.SequenceNumber;
    expect(JSON.parse(message?.body ?? '{}').DDBStreamBatchInfo).toMatchObject({
      batchSize: 1,
      startSequenceNumber: poison,
      endSequenceNumber: poison,
    });
  });

  it('gives up after MaximumRetryAttempts, sends the on-failure invocation record, and moves on to later records', async () => {
    const items: Array<[string, Record<string, unknown>?]> = [['m1'], ['m2', { poison: { BOOL: true } }]];
    const { invoker, queues, mapping } = await mapAfterWriting('exhausted', items, {
      maximumRetryAttempts: 2,
      destinationConfig: { onFailure: { destination: DLQ } },
    });
    await expect.poll(() => queues.list().length, POLL).toBe(1);
    await harness.put(REGION, 'exhausted', 'm3');
    await expect.poll(() => invoker.succeededIds(), POLL).toEqual(['m3']);
    expect(invoker.invocations.map((i) => i.ids.join(','))).toEqual(['m1,m2', 'm1,m2', 'm1,m2', 'm3']);
    const record = JSON.parse(queues.list()[0]?.body ?? '{}');
    const [first, second] = invoker.invocations[0]?.records ?? [];
    expect(record).toMatchObject({
      requestContext: {
        functionArn: `arn:aws:lambda:${REGION}:000000000000:function:stream-consumer`,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 3,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      DDBStreamBatchInfo: {
        shardId: expect.stringMatching(/^shardId-/),
        startSequenceNumber: first?.dynamodb?.SequenceNumber,
        endSequenceNumber: second?.dynamodb?.SequenceNumber,
        batchSize: 2,
        streamArn: mapping.streamArn,
      },
    });
    expect(mapping.streamArn).toMatch(/^arn:aws:dynamodb:eu-west-1:/);
    expect(typeof record.requestContext.requestId).toBe('string');
    expect(Number.isNaN(Date.parse(record.timestamp))).toBe(false);
    expect(mapping.stats()).toMatchObject({ onFailureSends: 1, retries: 2, discardedRecords: 2 });
  });
  it('gives up on a batch older than MaximumRecordAgeInSeconds even with unlimited retries', async () => {
    const items: Array<[string, Record<string, unknown>?]> = [['a1', { poison: { BOOL: true } }]];
    // 3 s: room for a cold start and a retry on a starved machine before the age runs out.
    const { queues, mapping } = await mapAfterWriting('aged', items, {
      maximumRecordAgeInSeconds: 3,
      retryDelayMs: 200,
      destinationConfig: { onFailure: { destination: DLQ } },
    });
    await expect.poll(() => queues.list().length, POLL).toBe(1);
    const record = JSON.parse(queues.list()[0]?.body ?? '{}');
    expect(record.requestContext.condition).toBe('RecordAgeExceeded');
    expect(record.requestContext.approximateInvokeCount).toBeGreaterThanOrEqual(2);
    expect(mapping.stats().discardedRecords).toBe(1);
  });
});
