import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localCredentials } from '../local/aws/credentials';
import type { RouterHarness } from '../local/harness/router-harness';
import type { InboxItem } from '../shared/domain/ingest/ingress-event';
import { encodeKey } from '../shared/domain/ingest/key-encoding';
import { mapWithConcurrency } from '../shared/domain/map-with-concurrency';
import { LEDGER_ROW, shardOf } from '../shared/table-definitions';

/** Where the bench's events live: the one-region `eu` zone, so nothing is replicated while it runs. */
export const REGION = 'eu-west-1';
export const ZONE = 'eu';
export const SOURCE = 'com.switchyard.eu.customers';

/** A stored EU customer event and its settled event row. */
const storedEvent = (run: string, n: number, receivedAt: string) => {
  const id = encodeKey(SOURCE, [
    { type: 's', value: `${run}-${n}` },
    { type: 'n', value: 1 },
  ]).id;
  const expiresAt = Math.floor(Date.now() / 1000) + 86_400;
  const windowEnd = Date.parse(receivedAt) + 86_400_000;
  const item: InboxItem = {
    id,
    eventId: randomUUID(),
    source: SOURCE,
    detailType: 'CustomerUpdated',
    detail: JSON.stringify({ customerId: `${run}-${n}`, version: 1 }),
    resources: [],
    time: receivedAt.replace(/\.\d{3}Z$/, 'Z'),
    account: '000000000000',
    home: REGION,
    receivedAt,
    windowEnd,
    tenant: 'eu-customers',
    zone: ZONE,
    routesVersion: 1,
    hops: 0,
    expiresAt,
  };
  const row = {
    id,
    sk: LEDGER_ROW.event(REGION),
    kind: 'event',
    home: REGION,
    zone: ZONE,
    tenant: item.tenant,
    source: SOURCE,
    eventId: item.eventId,
    receivedAt,
    windowEnd,
    routesVersion: 1,
    receivedShard: shardOf(REGION, id),
    settledAt: receivedAt,
    expiresAt,
  };
  return { item, row };
};

/**
 * Writes the events straight into the zone's tables with settled event rows (the bench measures the
 * replay, not ingest or route; a force replay sends whatever the ledger shows).
 */
export const seed = async (harness: RouterHarness, run: string, count: number): Promise<void> => {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: REGION,
      endpoint: harness.rc.cloud.endpoints.dynamodbEngine,
      credentials: localCredentials,
    }),
  );
  // One event every 10 ms over the last minutes, as a busy producer would leave them (not all at one instant).
  const start = Date.now() - count * 10 - 60_000;
  const events = Array.from({ length: count }, (_, n) => storedEvent(run, n, new Date(start + n * 10).toISOString()));
  const write = async (table: string, items: Record<string, unknown>[]): Promise<void> => {
    const chunks = Array.from({ length: Math.ceil(items.length / 25) }, (_, i) => items.slice(i * 25, i * 25 + 25));
    await mapWithConcurrency(chunks, 4, async (chunk) => {
      let pending = chunk.map((Item) => ({ PutRequest: { Item } }));
      while (pending.length > 0) {
        const out = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        pending = (out.UnprocessedItems?.[table] ?? []) as typeof pending;
      }
    });
  };
  try {
    await write(
      harness.tables.zone(ZONE, 'ledger'),
      events.map((e) => e.row),
    );
    await write(
      harness.tables.zone(ZONE, 'inbox'),
      events.map((e) => ({ ...e.item })),
    );
  } finally {
    client.destroy();
  }
};
