import {
  CreateTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { physicalTableName, TABLE_DEFINITIONS, type TableDefinition } from '../../shared/table-definitions';
import { localCredentials } from '../aws/credentials';

/** The CreateTable input for one global table: on-demand, NEW_AND_OLD_IMAGES stream (global tables require it). */
export const createTableInput = (stage: string, definition: TableDefinition): CreateTableCommandInput => {
  const attributes = new Set([definition.partitionKey, ...(definition.sortKey ? [definition.sortKey] : [])]);
  for (const index of definition.indexes) attributes.add(index.partitionKey).add(index.sortKey);
  return {
    TableName: physicalTableName(stage, definition.logical),
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
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
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  };
};

/** Creates the stage's four tables, with TTL, in every region (the replicas of the global tables). */
export const createStageTables = async (
  endpoint: string,
  stage: string,
  regions: readonly string[],
): Promise<string[]> => {
  await Promise.all(
    regions.map(async (region) => {
      const client = new DynamoDBClient({ region, endpoint, credentials: localCredentials });
      for (const definition of TABLE_DEFINITIONS) {
        const input = createTableInput(stage, definition);
        // DynamoDB Local creates tables ACTIVE at once, so there is nothing to wait for.
        await client.send(new CreateTableCommand(input));
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName: input.TableName,
            TimeToLiveSpecification: { AttributeName: definition.ttlAttribute, Enabled: true },
          }),
        );
      }
      client.destroy();
    }),
  );
  return TABLE_DEFINITIONS.map((d) => physicalTableName(stage, d.logical));
};
