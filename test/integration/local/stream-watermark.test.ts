import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetShardIteratorCommand,
  type GetShardIteratorCommandInput,
} from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { localCredentials } from '../../../local/aws/credentials';
import { startDynamoEngine, type DynamoEngine } from '../../../local/dynamodb/engine';
import {
  createSequenceWatermark,
  iteratorPosition,
  type SequenceWatermark,
} from '../../../local/dynamodb-streams/sequence-watermark';
import { idleDelayMs, QUIET_SHARD_POLL_MS } from '../../../local/dynamodb-streams/shard-loop';
import {
  findLatestStreamArn,
  startStreamReader,
  type StreamReader,
} from '../../../local/dynamodb-streams/stream-reader';

/**
 * Quiet shards skip the engine's records of other tables (sequence-watermark): proven on DynamoDB
 * Local itself, since the iterator shape and the sequence it walks are the engine's.
 */
const REGION = 'us-east-1';
const QUIET = 'watermark-quiet';
const BUSY = 'watermark-busy';
const POLL = { timeout: 60_000, interval: 20 } as const;

let engine: DynamoEngine;
let dynamo: DynamoDBClient;
let streams: DynamoDBStreamsClient;

const createTable = (tableName: string) =>
  dynamo.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );

const putOne = (tableName: string, id: string) =>
  dynamo.send(new PutItemCommand({ TableName: tableName, Item: { id: { S: id } } }));

/** Writes `count` items to the busy table, 25 a call. */
const fillBusy = async (prefix: string, count: number): Promise<void> => {
  for (let at = 0; at < count; at += 25) {
    const ids = Array.from({ length: Math.min(25, count - at) }, (_, i) => `${prefix}-${at + i}`);
    await dynamo.send(
      new BatchWriteItemCommand({
        RequestItems: { [BUSY]: ids.map((id) => ({ PutRequest: { Item: { id: { S: id } } } })) },
      }),
    );
  }
};

beforeAll(async () => {
  engine = await startDynamoEngine();
  const config = { region: REGION, endpoint: engine.endpoint, credentials: localCredentials };
  dynamo = new DynamoDBClient(config);
  streams = new DynamoDBStreamsClient(config);
  await createTable(QUIET);
  await createTable(BUSY);
}, 120_000);

afterAll(async () => {
  dynamo?.destroy();
  streams?.destroy();
  await engine?.stop();
});

describe('a shard iterator of DynamoDB Local', () => {
  it("reads its position from the engine's own iterator: an empty shard's LATEST is where the shard starts", async () => {
    const streamArn = await findLatestStreamArn(streams, QUIET);
    const described = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const shard = described.StreamDescription?.Shards?.[0];
    const iterator = await streams.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard?.ShardId, ShardIteratorType: 'LATEST' }),
    );
    expect(iteratorPosition(iterator.ShardIterator ?? '')).toBe(
      BigInt(shard?.SequenceNumberRange?.StartingSequenceNumber ?? -1),
    );
  });

  it('trusts no other shape', () => {
    const encode = (text: string) => Buffer.from(text).toString('base64');
    expect(iteratorPosition('')).toBeUndefined();
    expect(iteratorPosition('arn:aws:dynamodb:us-east-1:1:table/t/stream/x|1|AAAA')).toBeUndefined();
    expect(iteratorPosition(`arn|001|${encode('shard|12x|0')}`)).toBeUndefined();
    expect(iteratorPosition(`arn|001|${encode('shard|12')}`)).toBeUndefined();
    expect(iteratorPosition(`arn|001|${encode('stream|shard|12|0')}`)).toBeUndefined();
    expect(iteratorPosition(`arn|001|not base64!`)).toBeUndefined();
    expect(iteratorPosition(`arn|001|${encode('shardId-1|000000000000000000042|000123')}`)).toBe(42n);
  });

  it('keeps the highest sequence number it was shown, and ignores what is not one', () => {
    const watermark = createSequenceWatermark();
    expect(watermark.highest()).toBeUndefined();
    for (const seen of ['000000000000000000120', '99', 'x1', '000000000000000000119']) watermark.observe(seen);
    expect(watermark.highest()).toBe(120n);
  });
});

describe('readers sharing a watermark', () => {
  const got: Record<string, string[]> = { [QUIET]: [], [BUSY]: [] };
  let watermark: SequenceWatermark;
  let readers: StreamReader[] = [];
  const skips: GetShardIteratorCommandInput[] = [];

  beforeAll(async () => {
    watermark = createSequenceWatermark();
    const send = streams.send.bind(streams) as (command: unknown) => Promise<unknown>;
    vi.spyOn(streams, 'send').mockImplementation(((command: unknown) => {
      if (command instanceof GetShardIteratorCommand && command.input.ShardIteratorType === 'AFTER_SEQUENCE_NUMBER')
        skips.push(command.input);
      return send(command);
    }) as typeof streams.send);
    readers = await Promise.all(
      [QUIET, BUSY].map((tableName) =>
        startStreamReader({
          client: streams,
          region: REGION,
          tableName,
          startingPosition: 'LATEST',
          watermark,
          consume: async (_shard, records) => {
            got[tableName]?.push(...records.map((r) => r.record.dynamodb?.Keys?.id?.S ?? '?'));
            const last = records[records.length - 1];
            return last ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: last.sequenceNumber } : undefined;
          },
        }),
      ),
    );
  }, 60_000);

  afterAll(async () => {
    await Promise.all(readers.map((r) => r.stop()));
    vi.restoreAllMocks();
  });

  it("moves the quiet shard past the busy table's records, and it still reads each of its own once, in order", async () => {
    await putOne(QUIET, 'q1');
    await fillBusy('a', 600);
    await vi.waitFor(() => expect(got[BUSY]).toHaveLength(600), POLL);
    // The quiet reader's next empty read was sent after the busy records were handed out.
    await vi.waitFor(() => expect(skips.length).toBeGreaterThan(0), POLL);
    await putOne(QUIET, 'q2');
    // Its records and the busy table's, written side by side while it skips.
    await Promise.all([
      fillBusy('b', 600),
      (async () => {
        for (const id of ['q3', 'q4', 'q5']) await putOne(QUIET, id);
      })(),
    ]);
    await putOne(QUIET, 'q6');
    await vi.waitFor(() => expect(got[BUSY]).toHaveLength(1_200), POLL);
    // A skip that went backwards would read a record twice; one past a record would lose it.
    await vi.waitFor(() => expect(got[QUIET]).toEqual(['q1', 'q2', 'q3', 'q4', 'q5', 'q6']), POLL);
  });
});

describe('polling a quiet shard', () => {
  it('backs off from the base interval to four polls a second, as Lambda polls a stream shard, and never below the base', () => {
    expect([1, 2, 3, 4, 5, 6, 20].map((idle) => idleDelayMs(20, idle))).toEqual([20, 40, 80, 160, 250, 250, 250]);
    expect(idleDelayMs(50, 0)).toBe(50);
    expect(idleDelayMs(1_000, 9)).toBe(1_000);
    expect(QUIET_SHARD_POLL_MS).toBe(250);
  });
});
