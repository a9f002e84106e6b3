import {
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBRecord } from 'aws-lambda';
import { localCredentials } from '../../../local/aws/credentials';
import { startDynamoEngine, type DynamoEngine } from '../../../local/dynamodb/engine';
import { bundleFunctions } from '../../../local/lambda/bundle-functions';
import type { FunctionInvoker } from '../../../local/lambda/function-invoker';
import { LambdaRuntime } from '../../../local/lambda/lambda-runtime';

/** Generous polling: the suites share a small machine with other suites and JVMs. */
export const POLL = { timeout: 20_000, interval: 20 } as const;

/** One invocation as the mapping made it: the item ids in the batch and how it ended. */
export interface RecordedInvocation {
  region: string;
  ids: string[];
  records: DynamoDBRecord[];
  at: number;
  /** Pending until the invocation returns: a batch still in flight has not succeeded. */
  outcome: 'pending' | 'ok' | 'error';
}

/** Passes invocations through to the real runtime, remembering each batch for assertions. */
export class RecordingInvoker implements FunctionInvoker {
  readonly invocations: RecordedInvocation[] = [];

  constructor(private readonly inner: FunctionInvoker) {}

  async invoke(region: string, functionName: string, payload: unknown): Promise<unknown> {
    const records = (payload as { Records: DynamoDBRecord[] }).Records;
    const entry: RecordedInvocation = { region, ids: records.map(idOf), records, at: Date.now(), outcome: 'pending' };
    this.invocations.push(entry);
    try {
      const result = await this.inner.invoke(region, functionName, payload);
      entry.outcome = 'ok';
      return result;
    } catch (error) {
      entry.outcome = 'error';
      throw error;
    }
  }

  /** Ids of every record in a batch that succeeded. */
  succeededIds(): string[] {
    return this.invocations.filter((i) => i.outcome === 'ok').flatMap((i) => i.ids);
  }
}

const idOf = (record: DynamoDBRecord): string => record.dynamodb?.Keys?.id?.S ?? '?';

/** DynamoDB Local plus the local Lambda runtime with the stream-consumer fixture deployed. */
export interface StreamHarness {
  engine: DynamoEngine;
  runtime: LambdaRuntime;
  client(region: string): DynamoDBClient;
  createTable(region: string, tableName: string): Promise<void>;
  put(region: string, tableName: string, id: string, extra?: Record<string, AttributeValue>): Promise<void>;
  remove(region: string, tableName: string, id: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the engine and the runtime; `regions` each get a copy of the stream-consumer function. */
export const startStreamHarness = async (regions: readonly string[]): Promise<StreamHarness> => {
  const outDir = mkdtempSync(join(tmpdir(), 'switchyard-esm-'));
  const entry = join(__dirname, '../../fixtures/functions/stream-consumer/handler.ts');
  const [engine, bundles] = await Promise.all([
    startDynamoEngine(),
    bundleFunctions({ 'stream-consumer': entry }, outDir),
  ]);
  const runtime = new LambdaRuntime();
  for (const region of regions) {
    await runtime.deploy({
      region,
      functionName: 'stream-consumer',
      bundlePath: bundles['stream-consumer'] ?? '',
      environment: {},
    });
  }
  const clients = new Map<string, DynamoDBClient>();
  const client = (region: string): DynamoDBClient => {
    const existing =
      clients.get(region) ?? new DynamoDBClient({ region, endpoint: engine.endpoint, credentials: localCredentials });
    clients.set(region, existing);
    return existing;
  };
  return {
    engine,
    runtime,
    client,
    createTable: (region, tableName) => createStreamTable(client(region), tableName),
    put: async (region, TableName, id, extra = {}) => {
      await client(region).send(new PutItemCommand({ TableName, Item: { id: { S: id }, ...extra } }));
    },
    remove: async (region, TableName, id) => {
      await client(region).send(new DeleteItemCommand({ TableName, Key: { id: { S: id } } }));
    },
    stop: async () => {
      await runtime.stop();
      for (const c of clients.values()) c.destroy();
      await engine.stop();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
};

/** Creates a table keyed on `id` with the NEW_AND_OLD_IMAGES stream global tables require. */
export const createStreamTable = async (client: DynamoDBClient, TableName: string): Promise<void> => {
  await client.send(
    new CreateTableCommand({
      TableName,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
};
