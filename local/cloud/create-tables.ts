import {
  CreateTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from '../../shared/table-definitions';
import type { TableInstance } from '../../stages/lib/table-layout';
import { localCredentials } from '../aws/credentials';

/** The CreateTable input for one table: on-demand, and a NEW_AND_OLD_IMAGES stream where the definition has one. */
export const createTableInput = (name: string, definition: TableDefinition): CreateTableCommandInput => {
  const attributes = new Set([definition.partitionKey, ...(definition.sortKey ? [definition.sortKey] : [])]);
  for (const index of definition.indexes) attributes.add(index.partitionKey).add(index.sortKey);
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((attribute) => ({ AttributeName: attribute, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: definition.partitionKey, KeyType: 'HASH' },
      ...(definition.sortKey ? [{ AttributeName: definition.sortKey, KeyType: 'RANGE' as const }] : []),
    ],
    ...(definition.indexes.length > 0
      ? {
          GlobalSecondaryIndexes: definition.indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          })),
        }
      : {}),
    ...(definition.stream
      ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }
      : {}),
  };
};

/** Creates every table of the layout in each of its regions, with TTL where the definition has it. */
export const createStageTables = async (endpoint: string, layout: readonly TableInstance[]): Promise<void> => {
  const regions = [...new Set(layout.flatMap((t) => t.regions))];
  await Promise.all(
    regions.map(async (region) => {
      const client = new DynamoDBClient({ region, endpoint, credentials: localCredentials });
      try {
        for (const table of layout.filter((t) => t.regions.includes(region))) {
          // DynamoDB Local creates tables ACTIVE at once, so there is nothing to wait for.
          await client.send(new CreateTableCommand(createTableInput(table.name, table.definition)));
          const ttl = table.definition.ttlAttribute;
          if (ttl) {
            await client.send(
              new UpdateTimeToLiveCommand({
                TableName: table.name,
                TimeToLiveSpecification: { AttributeName: ttl, Enabled: true },
              }),
            );
          }
        }
      } finally {
        client.destroy();
      }
    }),
  );
};
