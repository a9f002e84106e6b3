import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { findTables } from '../dynamodb/dynamo-call';

/**
 * Write counts per (region, table), so that a quiet shard is read again when its table was written
 * rather than four times a second. DynamoDB Local takes the latest and earliest sequence numbers
 * of a shard with scans of every stream record of the region on each GetRecords (see
 * sequence-watermark and local/dynamodb/README.md): with tens of thousands of records, the polls of
 * quiet shards alone took the engine's one SQLite thread. AWS has no such cost.
 *
 * Only writes made through the local cloud are counted (the DynamoDB proxy and the replicator):
 * a record that appears otherwise (a TTL deletion, a write straight to the engine) is read by the
 * next poll a quiet shard still makes at least once a second (UNWRITTEN_SHARD_POLL_MS in shard-loop).
 */
export class TableWrites {
  private readonly counts = new Map<string, number>();

  /** Counts one write request (applied or not) naming these tables in `region`. */
  note(region: string, tables: readonly string[]): void {
    for (const table of tables) {
      const key = keyOf(region, table);
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
  }

  /** Write requests answered so far for one table of one region. */
  count(region: string, table: string): number {
    return this.counts.get(keyOf(region, table)) ?? 0;
  }
}

const keyOf = (region: string, table: string): string => `${region}\u0000${table}`;

/** DynamoDB operations that can write a stream record (PartiQL statements included). */
const WRITE_OPERATIONS = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
  'ExecuteStatement',
  'BatchExecuteStatement',
  'ExecuteTransaction',
]);

/** Whether an operation (as `X-Amz-Target` names it) can write a stream record. */
export const isWriteOperation = (operation: string): boolean => WRITE_OPERATIONS.has(operation);

/**
 * Counts the writes a client sends straight to the engine (the replicator's), once answered or failed:
 * a call that failed on the way back may still have been applied.
 */
export const countWritesOf = (client: DynamoDBClient, region: string, writes: TableWrites): DynamoDBClient => {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      try {
        return await next(args);
      } finally {
        // The SDK's input has the wire's shape: the proxy's finder reads every place a table is named.
        if (isWriteOperation(operation))
          writes.note(region, [...new Set(findTables(args.input as Record<string, unknown>))]);
      }
    },
    { step: 'initialize', name: 'countTableWrites' },
  );
  return client;
};
