import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { InboxItem } from '../domain/ingest/ingress-event';
import { StoreUnavailableError } from '../domain/infrastructure-errors';
import { isConditionalCheckFailed } from './aws-errors';

export interface InboxTable {
  /** Stores a new event; 'duplicate' when an item with this idempotency key already exists in this replica. */
  putNew(item: InboxItem): Promise<'stored' | 'duplicate'>;
  get(id: string): Promise<InboxItem | undefined>;
}

/** The inbox adapter: the conditional put is the dedupe. */
export const createInboxTable = ({
  client,
  tableName,
}: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): InboxTable => ({
  async putNew(item) {
    try {
      await client.send(
        new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(id)' }),
      );
      return 'stored';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'duplicate';
      throw new StoreUnavailableError(tableName, 'PutItem', error);
    }
  },
  async get(id) {
    try {
      const result = await client.send(new GetCommand({ TableName: tableName, Key: { id }, ConsistentRead: true }));
      return result.Item as InboxItem | undefined;
    } catch (error) {
      throw new StoreUnavailableError(tableName, 'GetItem', error);
    }
  },
});
