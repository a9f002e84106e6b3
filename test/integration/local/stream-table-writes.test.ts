import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { GetRecordsCommand, type DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { localCredentials } from '../../../local/aws/credentials';
import { startDynamoProxy, type DynamoProxy } from '../../../local/dynamodb/dynamo-proxy';
import { EMPTY_READS_BEFORE_WAITING, QUIET_SHARD_POLL_MS } from '../../../local/dynamodb-streams/shard-loop';
import { startStreamReader, type StreamReader } from '../../../local/dynamodb-streams/stream-reader';
import { countWritesOf, TableWrites } from '../../../local/dynamodb-streams/table-writes';
import { FaultRegistry } from '../../../local/faults/fault-registry';
import { createTable, startProxyHarness, type ProxyHarness } from './dynamodb-proxy-harness';

/**
 * Quiet stream shards are read when their table is written (table-writes), not four times a
 * second: each GetRecords costs DynamoDB Local scans of every stream record of the region.
 */
const REGION = 'eu-west-1';
const POLL = { timeout: 20_000, interval: 20 } as const;
const item = (pk: string) => ({ pk: { S: pk } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * Past the empty reads a shard makes after its last write (EMPTY_READS_BEFORE_WAITING, backing off
 * to 250 ms), however slowly a starved machine answers them: until `count()` has not moved for 1 s.
 */
const untilQuiet = async (count: () => number): Promise<void> => {
  await sleep(EMPTY_READS_BEFORE_WAITING * QUIET_SHARD_POLL_MS + 500);
  for (let last = -1, round = 0; round < 20 && count() !== last; round += 1) {
    last = count();
    await sleep(1_000);
  }
};

let harness: ProxyHarness;
const writes = new TableWrites();

beforeAll(async () => {
  harness = await startProxyHarness({ writes });
  for (const table of ['orders', 'ledger', 'quiet', 'unwatched'])
    await createTable(harness.dynamo(REGION), table, true);
}, 120_000);

afterAll(async () => {
  await harness?.stop();
});

describe('write counts', () => {
  it('count each write request the engine answered through the proxy, per region and table, and no read', async () => {
    const client = harness.dynamo(REGION);
    await client.send(new PutItemCommand({ TableName: 'orders', Item: item('o-1') }));
    await client.send(
      new BatchWriteItemCommand({
        RequestItems: {
          orders: [{ PutRequest: { Item: item('o-2') } }],
          ledger: [{ PutRequest: { Item: item('l-1') } }],
        },
      }),
    );
    // Refused by its condition, but answered: counting it only costs a poll that finds nothing.
    await expect(
      client.send(
        new PutItemCommand({ TableName: 'orders', Item: item('o-1'), ConditionExpression: 'attribute_not_exists(pk)' }),
      ),
    ).rejects.toThrow();
    await client.send(new GetItemCommand({ TableName: 'orders', Key: item('o-1') }));
    await client.send(
      new QueryCommand({
        TableName: 'ledger',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'l-1' } },
      }),
    );
    expect(writes.count(REGION, 'orders')).toBe(3);
    expect(writes.count(REGION, 'ledger')).toBe(1);
    expect(writes.count('us-east-1', 'orders')).toBe(0);
  });

  it("count the writes a client sends straight to the engine (the replicator's)", async () => {
    const own = new TableWrites();
    const direct = new DynamoDBClient({
      endpoint: harness.engine.endpoint,
      region: REGION,
      credentials: localCredentials,
    });
    await createTable(direct, 'direct');
    countWritesOf(direct, REGION, own);
    await direct.send(new PutItemCommand({ TableName: 'direct', Item: item('d-1') }));
    await direct.send(new DeleteItemCommand({ TableName: 'direct', Key: item('d-1') }));
    await direct.send(new BatchWriteItemCommand({ RequestItems: { direct: [{ PutRequest: { Item: item('d-2') } }] } }));
    await direct.send(new GetItemCommand({ TableName: 'direct', Key: item('d-2') }));
    direct.destroy();
    expect(own.count(REGION, 'direct')).toBe(3);
  });
});

describe('a quiet shard whose writes are counted', () => {
  const got: Record<string, string[]> = { quiet: [], unwatched: [] };
  const reads: Record<string, number> = { quiet: 0, unwatched: 0 };
  let streams: DynamoDBStreamsClient;
  let readers: StreamReader[] = [];
  let uncounted: DynamoProxy;

  beforeAll(async () => {
    streams = harness.streams(REGION);
    const send = streams.send.bind(streams) as (command: unknown) => Promise<unknown>;
    vi.spyOn(streams, 'send').mockImplementation(((command: unknown) => {
      if (command instanceof GetRecordsCommand) {
        const table = Object.keys(reads).find((t) => command.input.ShardIterator?.includes(`table/${t}/`));
        if (table) reads[table] = (reads[table] ?? 0) + 1;
      }
      return send(command);
    }) as typeof streams.send);
    // A write through this proxy reaches the engine uncounted, as a TTL deletion would appear.
    uncounted = await startDynamoProxy({ engineEndpoint: harness.engine.endpoint, faults: new FaultRegistry() });
    const reader = (tableName: string, counted: boolean) =>
      startStreamReader({
        client: streams,
        region: REGION,
        tableName,
        startingPosition: 'LATEST',
        // So long that only a counted write can explain a prompt read.
        ...(counted ? { writes, unwrittenPollMs: 60_000 } : {}),
        consume: async (_shard, records) => {
          got[tableName]?.push(...records.map((r) => r.record.dynamodb?.Keys?.pk?.S ?? '?'));
          const last = records[records.length - 1];
          return last ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: last.sequenceNumber } : undefined;
        },
      });
    readers = [await reader('quiet', true), await reader('unwatched', false)];
  }, 60_000);

  afterAll(async () => {
    await Promise.all(readers.map((r) => r.stop()));
    await uncounted?.stop();
    vi.restoreAllMocks();
  });

  it('is not read once it has been quiet a while and nothing is written, where an uncounted one is read four times a second', async () => {
    await untilQuiet(() => reads.quiet ?? 0);
    const before = { ...reads };
    await sleep(2_000);
    expect((reads.quiet ?? 0) - (before.quiet ?? 0)).toBe(0);
    expect((reads.unwatched ?? 0) - (before.unwatched ?? 0)).toBeGreaterThan(0);
  });

  it('is read as soon as its table is written, each record once and in order', async () => {
    const client = harness.dynamo(REGION);
    await client.send(new PutItemCommand({ TableName: 'quiet', Item: item('q1') }));
    await vi.waitFor(() => expect(got.quiet).toEqual(['q1']), POLL);
    for (const pk of ['q2', 'q3', 'q4']) await client.send(new PutItemCommand({ TableName: 'quiet', Item: item(pk) }));
    await vi.waitFor(() => expect(got.quiet).toEqual(['q1', 'q2', 'q3', 'q4']), POLL);
  });

  it('reads an uncounted record with the next counted one, having missed nothing', async () => {
    const outside = new DynamoDBClient({
      endpoint: uncounted.endpoint,
      region: REGION,
      credentials: { accessKeyId: 'AKIAOUTSIDE', secretAccessKey: 'not-checked' },
    });
    try {
      await untilQuiet(() => reads.quiet ?? 0);
      await outside.send(new PutItemCommand({ TableName: 'quiet', Item: item('q5') }));
      await sleep(1_000);
      expect(got.quiet).toEqual(['q1', 'q2', 'q3', 'q4']);
      await harness.dynamo(REGION).send(new PutItemCommand({ TableName: 'quiet', Item: item('q6') }));
      await vi.waitFor(() => expect(got.quiet).toEqual(['q1', 'q2', 'q3', 'q4', 'q5', 'q6']), POLL);
    } finally {
      outside.destroy();
    }
  });
});
