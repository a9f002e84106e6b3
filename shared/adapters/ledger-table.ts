import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { deliveryRows } from './ledger/delivery-rows';
import { eventRows } from './ledger/event-rows';
import { ledgerQueries } from './ledger/ledger-queries';

export type { ClaimRequest } from './ledger/delivery-rows';
export type { DuplicateRecord, EventRowInput, EventSettlement } from './ledger/event-rows';
export type { LedgerRows, Page } from './ledger/ledger-queries';

/**
 * The ledger adapter: one table per residency zone holding, per event id, its event rows, its
 * delivery rows (per owner) and its duplicate record. Writes are conditional and idempotent
 * (docs/decisions/012 and 014); reads are paginated with opaque tokens.
 */
export const createLedgerTable = ({
  client,
  tableOf,
}: {
  client: DynamoDBDocumentClient;
  tableOf: (zone: string) => string;
}) => ({
  deliveries: deliveryRows(client, tableOf),
  events: eventRows(client, tableOf),
  query: ledgerQueries(client, tableOf),
});

export type LedgerTable = ReturnType<typeof createLedgerTable>;
