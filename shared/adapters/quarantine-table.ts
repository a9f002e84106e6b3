import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { QuarantineItem } from '../domain/ingest/ingress-event';
import { StoreUnavailableError } from '../domain/infrastructure-errors';

export interface QuarantineTable {
  put(item: QuarantineItem): Promise<void>;
}

/** The quarantine adapter: every rejected event is written here with its reason. */
export const createQuarantineTable = ({
  client,
  tableName,
}: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): QuarantineTable => ({
  async put(item) {
    try {
      await client.send(new PutCommand({ TableName: tableName, Item: item }));
    } catch (error) {
      throw new StoreUnavailableError(tableName, 'PutItem', error);
    }
  },
});
