import { CreateTableCommand, DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, type DynamoDBStreamsClientConfig } from '@aws-sdk/client-dynamodb-streams';
import { startDynamoEngine, type DynamoEngine } from '../../../local/dynamodb/engine';
import { startDynamoProxy, type DynamoProxy } from '../../../local/dynamodb/dynamo-proxy';
import type { TableWrites } from '../../../local/dynamodb-streams/table-writes';
import { FaultRegistry } from '../../../local/faults/fault-registry';

/** DynamoDB Local plus the region-aware proxy in front of it, for one test file. */
export interface ProxyHarness {
  engine: DynamoEngine;
  proxy: DynamoProxy;
  faults: FaultRegistry;
  /** A DynamoDB client that talks to the proxy; credentials are arbitrary, as in real tests. */
  dynamo(region: string, config?: Partial<DynamoDBClientConfig>): DynamoDBClient;
  streams(region: string, config?: Partial<DynamoDBStreamsClientConfig>): DynamoDBStreamsClient;
  stop(): Promise<void>;
}

const anyCredentials = { accessKeyId: 'AKIATESTCALLER', secretAccessKey: 'not-checked' };

/** Starts a fresh in-memory engine and a proxy on ephemeral ports. */
export const startProxyHarness = async (options: { writes?: TableWrites } = {}): Promise<ProxyHarness> => {
  const engine = await startDynamoEngine();
  const faults = new FaultRegistry();
  const proxy = await startDynamoProxy({ engineEndpoint: engine.endpoint, faults, writes: options.writes });
  const clients: Array<{ destroy(): void }> = [];
  const track = <T extends { destroy(): void }>(client: T): T => {
    clients.push(client);
    return client;
  };
  return {
    engine,
    proxy,
    faults,
    dynamo: (region, config = {}) =>
      track(new DynamoDBClient({ endpoint: proxy.endpoint, region, credentials: anyCredentials, ...config })),
    streams: (region, config = {}) =>
      track(new DynamoDBStreamsClient({ endpoint: proxy.endpoint, region, credentials: anyCredentials, ...config })),
    stop: async () => {
      for (const client of clients) client.destroy();
      await proxy.stop();
      await engine.stop();
    },
  };
};

/** Creates an on-demand table keyed by `pk`, optionally with a NEW_AND_OLD_IMAGES stream. */
export const createTable = async (
  client: DynamoDBClient,
  tableName: string,
  withStream = false,
): Promise<string | undefined> => {
  const created = await client.send(
    new CreateTableCommand({
      TableName: tableName,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      ...(withStream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {}),
    }),
  );
  return created.TableDescription?.LatestStreamArn;
};
