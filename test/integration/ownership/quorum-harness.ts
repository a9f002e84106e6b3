import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localCredentials } from '../../../local/aws/credentials';
import { startLocalCloud, type LocalCloud } from '../../../local/cloud/local-cloud';
import { COORD_KEYS } from '../../../shared/adapters/coord-keys';
import { createQuorumStore, type QuorumStore, type QuorumStoreOptions } from '../../../shared/adapters/quorum-store';

export const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
export const COORD_TABLE = 'itquorum-coord';

/** A local cloud with a coord table (not replicated) in every region, and quorum stores over it. */
export interface QuorumHarness {
  cloud: LocalCloud;
  /** A quorum store over every region's coord table; `overrides` change its settings or table. */
  store(overrides?: Partial<Omit<QuorumStoreOptions, 'clients'>>): QuorumStore;
  /** The document client of one region, to seed or inspect its coord table directly. */
  client(region: string): DynamoDBDocumentClient;
  stop(): Promise<void>;
}

/** Starts the local cloud and creates the coord table in each region. */
export const startQuorumHarness = async (): Promise<QuorumHarness> => {
  const cloud = await startLocalCloud({
    regions: REGIONS,
    ports: { dynamodb: 0, eventBridge: 0, control: 0, lambda: 0, sqs: 0 },
  });
  const low = REGIONS.map(
    (region) =>
      new DynamoDBClient({ region, endpoint: cloud.endpoints.dynamodb, credentials: localCredentials, maxAttempts: 2 }),
  );
  try {
    await Promise.all(
      low.map((client) =>
        client.send(
          new CreateTableCommand({
            TableName: COORD_TABLE,
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [
              { AttributeName: COORD_KEYS.partitionKey, AttributeType: 'S' },
              { AttributeName: COORD_KEYS.sortKey, AttributeType: 'S' },
            ],
            KeySchema: [
              { AttributeName: COORD_KEYS.partitionKey, KeyType: 'HASH' },
              { AttributeName: COORD_KEYS.sortKey, KeyType: 'RANGE' },
            ],
          }),
        ),
      ),
    );
  } catch (error) {
    low.forEach((client) => client.destroy());
    await cloud.stop();
    throw error;
  }
  const clients = new Map(REGIONS.map((region, i) => [region, DynamoDBDocumentClient.from(low[i] as DynamoDBClient)]));
  return {
    cloud,
    store: (overrides = {}) =>
      createQuorumStore({
        clients,
        tableName: COORD_TABLE,
        now: Date.now,
        // Generous against a loaded machine: a DynamoDB Local call rarely takes more than a few tens of ms.
        settings: { durationMs: 2_000, marginMs: 300 },
        regionTimeoutMs: 1_500,
        ...overrides,
      }),
    client: (region) => {
      const client = clients.get(region as (typeof REGIONS)[number]);
      if (!client) throw new Error(`no client for ${region}`);
      return client;
    },
    async stop() {
      low.forEach((client) => client.destroy());
      await cloud.stop();
    },
  };
};

/** Calls `attempt` until `done` holds for its result (polling, not sleeping a fixed time), or fails after `timeoutMs`. */
export const pollUntil = async <T>(
  attempt: () => Promise<T>,
  done: (result: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await attempt();
    if (done(result)) return result;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms; last result: ${JSON.stringify(result)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};
