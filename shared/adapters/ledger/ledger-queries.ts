import { BatchWriteCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeliveryRow, EventRow } from '../../domain/delivery/ledger-entry';
import { LEDGER_INDEX } from '../../table-definitions';
import { storeError } from '../aws-errors';

/** One page of a paginated read; `next` is opaque and absent on the last page. */
export interface Page<T> {
  items: T[];
  next?: string;
}

/** Every row the ledger holds for one event id. */
export interface LedgerRows {
  events: EventRow[];
  deliveries: DeliveryRow[];
  /** One per home whose copy of the key lost to another home's (the repeats of the replication window). */
  duplicates: Record<string, unknown>[];
  /** The repeats of the key that ingest dropped, one row per dropped EventBridge event. */
  drops: Record<string, unknown>[];
}

/** The partition of the replication probe rows: not an event id (those start with `k1` or `h1:`). */
export const REPLICATION_PROBE_ID = 'probe#replication';

const encodeToken = (key: Record<string, unknown> | undefined): string | undefined =>
  key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;
const decodeToken = (token: string | undefined): Record<string, unknown> | undefined =>
  token ? (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Record<string, unknown>) : undefined;

/** Reads of the ledger that serve the sweeper, reconcile, replay and erase: keys and indexes from table-definitions. */
export const ledgerQueries = (client: DynamoDBDocumentClient, tableOf: (zone: string) => string) => {
  const query = async <T>(
    zone: string,
    operation: string,
    input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>,
    page?: string,
  ): Promise<Page<T>> => {
    const table = tableOf(zone);
    try {
      const out = await client.send(
        new QueryCommand({ TableName: table, ...input, ExclusiveStartKey: decodeToken(page) }),
      );
      const next = encodeToken(out.LastEvaluatedKey);
      return { items: (out.Items ?? []) as T[], ...(next ? { next } : {}) };
    } catch (error) {
      throw storeError(table, operation, error);
    }
  };
  return {
    /** Every row of one event, strongly consistent in this replica. */
    async rows(zone: string, id: string): Promise<LedgerRows> {
      const rows: Record<string, unknown>[] = [];
      let page: string | undefined;
      do {
        const out = await query<Record<string, unknown>>(
          zone,
          'Query(rows)',
          {
            KeyConditionExpression: 'id = :id',
            ExpressionAttributeValues: { ':id': id },
            ConsistentRead: true,
          },
          page,
        );
        rows.push(...out.items);
        page = out.next;
      } while (page);
      return {
        events: rows.filter((r) => r.kind === 'event') as unknown as EventRow[],
        deliveries: rows.filter((r) => r.kind === 'delivery') as unknown as DeliveryRow[],
        duplicates: rows.filter((r) => r.kind === 'duplicate'),
        drops: rows.filter((r) => r.kind === 'dropped'),
      };
    },

    /** Unsettled event rows of one `<home>#<shard>` partition that are due by `now`, oldest due first. */
    dueEvents(zone: string, shard: string, now: string, limit: number, page?: string): Promise<Page<EventRow>> {
      const { name, partitionKey, sortKey } = LEDGER_INDEX.sweep;
      return query<EventRow>(
        zone,
        'Query(sweep)',
        {
          IndexName: name,
          KeyConditionExpression: `${partitionKey} = :shard AND ${sortKey} <= :now`,
          ExpressionAttributeValues: { ':shard': shard, ':now': now },
          Limit: limit,
        },
        page,
      );
    },

    /** Event rows of one `<home>#<shard>` partition received inside [from, to]. */
    receivedEvents(
      zone: string,
      shard: string,
      window: { from: string; to: string },
      limit: number,
      page?: string,
    ): Promise<Page<EventRow>> {
      const { name, partitionKey, sortKey } = LEDGER_INDEX.received;
      return query<EventRow>(
        zone,
        'Query(received)',
        {
          IndexName: name,
          KeyConditionExpression: `${partitionKey} = :shard AND ${sortKey} BETWEEN :from AND :to`,
          ExpressionAttributeValues: { ':shard': shard, ':from': window.from, ':to': window.to },
          Limit: limit,
        },
        page,
      );
    },

    /** The latest `receivedAt` in one `<home>#<shard>` partition of the `received` index, or undefined when it is empty. */
    async latestReceived(zone: string, shard: string): Promise<string | undefined> {
      const { name, partitionKey } = LEDGER_INDEX.received;
      const out = await query<EventRow>(zone, 'Query(received, latest)', {
        IndexName: name,
        KeyConditionExpression: `${partitionKey} = :shard`,
        ExpressionAttributeValues: { ':shard': shard },
        ScanIndexForward: false,
        Limit: 1,
      });
      return out.items[0]?.receivedAt;
    },

    /** The page token that resumes a `receivedEvents` read just after this row (a job's cursor). */
    receivedPosition(row: Pick<EventRow, 'id' | 'sk' | 'receivedShard' | 'receivedAt'>): string {
      const { partitionKey, sortKey } = LEDGER_INDEX.received;
      return (
        encodeToken({ id: row.id, sk: row.sk, [partitionKey]: row.receivedShard, [sortKey]: row.receivedAt }) ?? ''
      );
    },

    /** Parked delivery rows of one `<tenant>#<shard>` partition, oldest first. */
    parkedDeliveries(zone: string, shard: string, limit: number, page?: string): Promise<Page<DeliveryRow>> {
      const { name, partitionKey } = LEDGER_INDEX.parked;
      return query<DeliveryRow>(
        zone,
        'Query(parked)',
        {
          IndexName: name,
          KeyConditionExpression: `${partitionKey} = :shard`,
          ExpressionAttributeValues: { ':shard': shard },
          Limit: limit,
        },
        page,
      );
    },

    /** Every region's latest replication probe row in this zone table: region → when it was written. */
    async replicationProbes(zone: string): Promise<Record<string, string>> {
      const out = await query<{ sk: string; at: string }>(zone, 'Query(probes)', {
        KeyConditionExpression: 'id = :id',
        ExpressionAttributeValues: { ':id': REPLICATION_PROBE_ID },
        ConsistentRead: true,
      });
      return Object.fromEntries(out.items.map((p) => [p.sk, p.at]));
    },

    /** Deletes every row of one event (erase); returns how many there were. */
    async deleteAll(zone: string, id: string): Promise<number> {
      const table = tableOf(zone);
      const { events, deliveries, duplicates, drops } = await this.rows(zone, id);
      const keys = [...events, ...deliveries, ...duplicates, ...drops].map((r) => ({
        id,
        sk: String((r as { sk: unknown }).sk),
      }));
      for (let i = 0; i < keys.length; i += 25) {
        let pending = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
        for (let attempt = 0; pending.length > 0; attempt += 1) {
          if (attempt > 5)
            throw storeError(table, 'BatchWriteItem(erase)', new Error(`${pending.length} deletes stayed unprocessed`));
          try {
            const out = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
            pending = (out.UnprocessedItems?.[table] ?? []) as typeof pending;
          } catch (error) {
            throw storeError(table, 'BatchWriteItem(erase)', error);
          }
          if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
        }
      }
      return keys.length;
    },
  };
};

export type LedgerQueries = ReturnType<typeof ledgerQueries>;
