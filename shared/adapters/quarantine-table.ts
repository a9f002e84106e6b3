import {
  DeleteCommand,
  PutCommand,
  ScanCommand,
  type DynamoDBDocumentClient,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { QuarantineItem } from '../domain/ingest/ingress-event';
import { storeError } from './aws-errors';

export interface QuarantineTable {
  put(item: QuarantineItem): Promise<void>;
  /**
   * Deletes every item of `source` with this key digest, and those quarantined before a key could be
   * derived whose stored event contains `needle` (erase).
   */
  eraseMatching(source: string, keyDigest: string, needle: string): Promise<number>;
  /**
   * Deletes every item of `source` whose stored event contains `needle`, key digest or not: erase of a
   * partial key, whose quarantined events' digests (of full keys) it cannot compute.
   */
  eraseMentioning(source: string, needle: string): Promise<number>;
}

/** The quarantine adapter: one table per region, never replicated, so bad input stays where it arrived. */
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
      throw storeError(tableName, 'PutItem', error);
    }
  },
  eraseMatching(source, keyDigest, needle) {
    return eraseWhere(client, tableName, {
      FilterExpression:
        '#source = :source AND (keyDigest = :digest OR (attribute_not_exists(keyDigest) AND contains(#event, :needle)))',
      ExpressionAttributeNames: { '#source': 'source', '#event': 'event' },
      ExpressionAttributeValues: { ':source': source, ':digest': keyDigest, ':needle': needle },
    });
  },
  eraseMentioning(source, needle) {
    return eraseWhere(client, tableName, {
      FilterExpression: '#source = :source AND contains(#event, :needle)',
      ExpressionAttributeNames: { '#source': 'source', '#event': 'event' },
      ExpressionAttributeValues: { ':source': source, ':needle': needle },
    });
  },
});

/** Scans with a filter and deletes what it finds; returns how many items it deleted. */
const eraseWhere = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  filter: Pick<ScanCommandInput, 'FilterExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>,
): Promise<number> => {
  let erased = 0;
  let start: Record<string, unknown> | undefined;
  try {
    do {
      // Erase is rare and quarantine is small; a scan filtered to one source finds what a key index could not
      // (events quarantined before their key could be derived).
      const page = await client.send(new ScanCommand({ TableName: tableName, ...filter, ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) {
        await client.send(new DeleteCommand({ TableName: tableName, Key: { id: item.id } }));
        erased += 1;
      }
      start = page.LastEvaluatedKey;
    } while (start);
  } catch (error) {
    throw storeError(tableName, 'Scan/DeleteItem(erase)', error);
  }
  return erased;
};
