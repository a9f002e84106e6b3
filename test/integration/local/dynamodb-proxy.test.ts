import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  DescribeTableCommand,
  ListTablesCommand,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
} from '@aws-sdk/client-dynamodb-streams';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCredentials } from '../../../local/aws/credentials';
import { createTable, startProxyHarness, type ProxyHarness } from './dynamodb-proxy-harness';

const AWS_CLI = '/usr/bin/aws';
const execFileAsync = promisify(execFile);

let harness: ProxyHarness;

beforeAll(async () => {
  harness = await startProxyHarness();
});

afterAll(async () => {
  await harness?.stop();
});

describe('DynamoDB proxy in front of DynamoDB Local', () => {
  it('rejects a conditional put of an existing item with ConditionalCheckFailedException', async () => {
    const docs = DynamoDBDocumentClient.from(harness.dynamo('us-east-1'));
    await createTable(harness.dynamo('us-east-1'), 'conditional');
    const put = () =>
      docs.send(
        new PutCommand({
          TableName: 'conditional',
          Item: { pk: 'k1' },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );

    await put();

    await expect(put()).rejects.toBeInstanceOf(ConditionalCheckFailedException);
  });

  it('applies a transaction atomically and cancels it as a whole when one condition fails', async () => {
    const docs = DynamoDBDocumentClient.from(harness.dynamo('us-east-1'));
    await createTable(harness.dynamo('us-east-1'), 'ledger');
    await docs.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: 'ledger', Item: { pk: 'a', n: 1 } } },
          { Put: { TableName: 'ledger', Item: { pk: 'b', n: 1 } } },
        ],
      }),
    );

    const failing = docs.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: 'ledger',
              Key: { pk: 'a' },
              UpdateExpression: 'SET n = :two',
              ExpressionAttributeValues: { ':two': 2 },
            },
          },
          {
            ConditionCheck: {
              TableName: 'ledger',
              Key: { pk: 'missing' },
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
        ],
      }),
    );

    await expect(failing).rejects.toBeInstanceOf(TransactionCanceledException);
    const a = await docs.send(new GetCommand({ TableName: 'ledger', Key: { pk: 'a' } }));
    expect(a.Item).toEqual({ pk: 'a', n: 1 });
  });

  it('serves stream records through the same port, naming the caller region in awsRegion and every ARN', async () => {
    const region = 'ap-southeast-2';
    const streamArn = await createTable(harness.dynamo(region), 'streamed', true);
    const docs = DynamoDBDocumentClient.from(harness.dynamo(region));
    await docs.send(new PutCommand({ TableName: 'streamed', Item: { pk: 'o-1', amount: 40 } }));
    await docs.send(
      new UpdateCommand({
        TableName: 'streamed',
        Key: { pk: 'o-1' },
        UpdateExpression: 'SET amount = :t',
        ExpressionAttributeValues: { ':t': 42 },
      }),
    );
    const streams = harness.streams(region);

    const listed = await streams.send(new ListStreamsCommand({ TableName: 'streamed' }));
    const described = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const shardId = described.StreamDescription?.Shards?.[0]?.ShardId;
    const iterator = await streams.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const records = await streams.send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator }));

    expect(streamArn).toMatch(/^arn:aws:dynamodb:ap-southeast-2:000000000000:table\/streamed\/stream\//);
    expect(listed.Streams?.map((s) => s.StreamArn)).toEqual([streamArn]);
    expect(described.StreamDescription?.StreamArn).toBe(streamArn);
    expect(records.Records?.map((r) => [r.eventName, r.awsRegion])).toEqual([
      ['INSERT', region],
      ['MODIFY', region],
    ]);
    expect(records.Records?.[1]?.dynamodb?.OldImage).toEqual({ pk: { S: 'o-1' }, amount: { N: '40' } });
    expect(records.Records?.[1]?.dynamodb?.NewImage).toEqual({ pk: { S: 'o-1' }, amount: { N: '42' } });
    expect(records.NextShardIterator).toMatch(/^arn:aws:dynamodb:ap-southeast-2:/);
  });

  it('reports TableArn in the caller region, not ddblocal', async () => {
    await createTable(harness.dynamo('eu-west-1'), 'arn-check');

    const described = await harness.dynamo('eu-west-1').send(new DescribeTableCommand({ TableName: 'arn-check' }));

    expect(described.Table?.TableArn).toBe('arn:aws:dynamodb:eu-west-1:000000000000:table/arn-check');
  });

  it('keeps the same table name in two regions apart', async () => {
    const east = DynamoDBDocumentClient.from(harness.dynamo('us-east-1'));
    const west = DynamoDBDocumentClient.from(harness.dynamo('eu-west-1'));
    await createTable(harness.dynamo('us-east-1'), 'isolated');
    await createTable(harness.dynamo('eu-west-1'), 'isolated');
    await east.send(new PutCommand({ TableName: 'isolated', Item: { pk: 'k', home: 'us-east-1' } }));
    await west.send(new PutCommand({ TableName: 'isolated', Item: { pk: 'k', home: 'eu-west-1' } }));

    const fromEast = await east.send(new GetCommand({ TableName: 'isolated', Key: { pk: 'k' } }));
    const fromWest = await west.send(new GetCommand({ TableName: 'isolated', Key: { pk: 'k' } }));

    expect(fromEast.Item?.home).toBe('us-east-1');
    expect(fromWest.Item?.home).toBe('eu-west-1');
  });

  it('shows one region the same data whatever access key the caller signs with', async () => {
    const writer = DynamoDBDocumentClient.from(
      harness.dynamo('eu-west-1', { credentials: { accessKeyId: 'WRITERKEY', secretAccessKey: 'a' } }),
    );
    const reader = DynamoDBDocumentClient.from(
      harness.dynamo('eu-west-1', { credentials: { accessKeyId: 'READERKEY', secretAccessKey: 'b' } }),
    );
    await createTable(harness.dynamo('eu-west-1'), 'shared-keys');

    await writer.send(new PutCommand({ TableName: 'shared-keys', Item: { pk: 'k', by: 'writer' } }));
    const read = await reader.send(new GetCommand({ TableName: 'shared-keys', Key: { pk: 'k' } }));

    expect(read.Item).toEqual({ pk: 'k', by: 'writer' });
    const engineDirect = new DynamoDBClient({
      endpoint: harness.engine.endpoint,
      region: 'eu-west-1',
      credentials: localCredentials,
    });
    const stored = await engineDirect.send(new ListTablesCommand({}));
    engineDirect.destroy();
    expect(stored.TableNames).toContain('shared-keys');
  });

  it('passes a large item with multi-byte text through byte for byte', async () => {
    const docs = DynamoDBDocumentClient.from(harness.dynamo('eu-west-1'));
    await createTable(harness.dynamo('eu-west-1'), 'large-items');
    const text = 'Zürich → 東京 🚆 '.repeat(14_000);

    await docs.send(new PutCommand({ TableName: 'large-items', Item: { pk: 'big', text } }));
    const read = await docs.send(new GetCommand({ TableName: 'large-items', Key: { pk: 'big' } }));

    expect(Buffer.byteLength(text)).toBeGreaterThan(300_000);
    expect(read.Item?.text).toBe(text);
  });

  it('leaves item data that mentions ddblocal or the region untouched', async () => {
    const docs = DynamoDBDocumentClient.from(harness.dynamo('eu-west-1'));
    await createTable(harness.dynamo('eu-west-1'), 'arn-data');
    const item = {
      pk: 'k',
      TableArn: 'arn:aws:dynamodb:ddblocal:000000000000:table/x',
      awsRegion: 'ddblocal',
      mine: 'arn:aws:dynamodb:eu-west-1:000000000000:table/y',
    };

    await docs.send(new PutCommand({ TableName: 'arn-data', Item: item }));
    const read = await docs.send(new GetCommand({ TableName: 'arn-data', Key: { pk: 'k' } }));

    expect(read.Item).toEqual(item);
  });

  it('answers an unsigned request with a 400 AWS JSON error that explains what is missing', async () => {
    const response = await fetch(harness.proxy.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' },
      body: '{}',
    });

    expect(response.status).toBe(400);
    const body = (await response.json()) as { __type: string; message: string };
    expect(body.__type).toMatch(/#MissingAuthenticationTokenException$/);
    expect(body.message).toContain('SigV4');
  });

  it('lists tables from /usr/bin/aws with --region eu-west-1', async (context) => {
    if (!existsSync(AWS_CLI)) return context.skip(`${AWS_CLI} (AWS CLI v2) is not installed on this machine`);
    await createTable(harness.dynamo('eu-west-1'), 'cli-visible');

    // Asynchronous on purpose: a synchronous child would block the event loop the in-process proxy answers on.
    const { stdout } = await execFileAsync(
      AWS_CLI,
      [
        'dynamodb',
        'list-tables',
        '--endpoint-url',
        harness.proxy.endpoint,
        '--region',
        'eu-west-1',
        '--output',
        'json',
      ],
      {
        env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIACLI', AWS_SECRET_ACCESS_KEY: 'cli', AWS_PAGER: '' },
      },
    );

    expect((JSON.parse(stdout) as { TableNames: string[] }).TableNames).toContain('cli-visible');
  });

  it('lists no tables of another region', async () => {
    await createTable(harness.dynamo('us-east-1'), 'east-only');

    const listed = await harness.dynamo('ap-southeast-2').send(new ListTablesCommand({}));

    expect(listed.TableNames).not.toContain('east-only');
  });
});
