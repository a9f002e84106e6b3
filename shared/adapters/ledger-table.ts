import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { deliveryReopen } from './ledger/delivery-reopen';
import { deliveryRows } from './ledger/delivery-rows';
import { eventRows } from './ledger/event-rows';
import { jobItemExpiry, jobRows } from './ledger/job-rows';
import { ledgerQueries } from './ledger/ledger-queries';
import { reportRows } from './ledger/report-rows';

export type { ClaimRequest } from './ledger/delivery-rows';
export type { DroppedRepeat, DuplicateRecord, EventRowInput, EventSettlement } from './ledger/event-rows';
export { eventRowInput } from './ledger/event-rows';
export type { PartCursor, RetryEntry } from './ledger/job-rows';
export type { LedgerRows, Page } from './ledger/ledger-queries';

/**
 * The ledger adapter: one table per residency zone holding, per event id, its event rows, its
 * delivery rows (per owner), its duplicate record and the repeats dropped at ingest; and the cursors and report rows of replay and
 * reconcile jobs, which hold event keys and so stay in the zone. Writes are conditional and idempotent
 * (docs/decisions/012 and 014); reads are paginated with opaque tokens.
 */
export const createLedgerTable = ({
  client,
  tableOf,
  retentionDays,
}: {
  client: DynamoDBDocumentClient;
  tableOf: (zone: string) => string;
  /** How long the zone keeps events: job items, which name event keys, never outlive them. */
  retentionDays?: (zone: string) => number;
}) => {
  const jobExpiry = jobItemExpiry(retentionDays);
  return {
    deliveries: { ...deliveryRows(client, tableOf), ...deliveryReopen(client, tableOf) },
    events: eventRows(client, tableOf),
    query: ledgerQueries(client, tableOf),
    jobs: { ...jobRows(client, tableOf, jobExpiry), ...reportRows(client, tableOf, jobExpiry) },
  };
};

export type LedgerTable = ReturnType<typeof createLedgerTable>;
