import type { InboxTable } from '../adapters/inbox-table';
import { eventRowInput, type LedgerTable } from '../adapters/ledger-table';
import type { QuarantineTable } from '../adapters/quarantine-table';
import { decideIngest, type PublisherBindings } from '../domain/ingest/decide-ingest';
import type { InboxItem, QuarantineItem } from '../domain/ingest/ingress-event';
import { keyDigest } from '../domain/ingest/key-encoding';
import { clipUtf8 } from '../domain/json-shape';
import { StoreRejectedError } from '../domain/infrastructure-errors';
import type { RetentionSettings } from '../domain/retention';
import type { CatalogProvider } from './catalog-provider';
import type { LogPort, MetricsPort } from './telemetry';

export interface IngestDeps {
  region: string;
  catalogs: CatalogProvider;
  inbox: InboxTable;
  ledger: LedgerTable;
  quarantine: QuarantineTable;
  now: () => Date;
  newId: () => string;
  maxEventBytes: number;
  retention: RetentionSettings;
  bindings: PublisherBindings;
  hopLimit: number;
  /** How long the stream path has before the sweeper looks at a new event. */
  sweepGraceMs: number;
  /** The invocation's X-Ray trace header, passed on to the deliveries. */
  traceHeader?: () => string | undefined;
  metrics: MetricsPort;
  log: LogPort;
}

export type IngestOutcome =
  | { outcome: 'stored' | 'retried' | 'duplicate'; id: string; keyDigest: string; zone: string; routesVersion: number }
  | { outcome: 'quarantined'; reason: string; message: string };

/**
 * Ingests one event: pin the active routes version, store it once in its zone's inbox and open
 * its event row for the sweeper, or quarantine it, in this region, with its reason. A repeat of
 * our own acceptance (an SDK, Lambda or EventBridge retry) re-opens nothing and is not counted as
 * a duplicate.
 */
export const ingestEvent = async (event: unknown, deps: IngestDeps): Promise<IngestOutcome> => {
  const catalog = await deps.catalogs.active();
  const traceHeader = deps.traceHeader?.();
  const decision = decideIngest(event, {
    catalog,
    region: deps.region,
    now: deps.now(),
    quarantineId: deps.newId(),
    maxEventBytes: deps.maxEventBytes,
    retention: deps.retention,
    bindings: deps.bindings,
    hopLimit: deps.hopLimit,
    ...(traceHeader ? { traceHeader } : {}),
  });
  if (decision.kind === 'quarantine') return quarantine(decision.item, deps);
  if (decision.strippedTrace > 0) deps.metrics.count('TraceResourcesStripped', decision.strippedTrace);
  const { item } = decision;
  let stored;
  try {
    stored = await deps.inbox.putNew(item);
  } catch (error) {
    // A permanent refusal (the item itself is wrong) is bad input: quarantined with the reason, never lost.
    if (!(error instanceof StoreRejectedError)) throw error;
    return quarantine(storeRejected(item, error, deps), deps);
  }
  const outcome = { id: item.id, keyDigest: keyDigest(item.id), zone: item.zone, routesVersion: item.routesVersion };
  if (stored.outcome === 'duplicate') {
    await countDrop(item, stored.existing, deps);
    return { outcome: 'duplicate', ...outcome };
  }
  await openEventRow(item, deps);
  deps.metrics.count(stored.outcome === 'stored' ? 'Ingested' : 'IngestRetried');
  return { outcome: stored.outcome, ...outcome };
};

/**
 * Counts a dropped repeat once per EventBridge event, by a conditional write of its drop row.
 * EventBridge re-invokes ingest with the same event when an invocation fails or times out, and a
 * timed-out invocation may run on and count its drop anyway (middy answers just before the deadline
 * and leaves the handler running; its metric goes out with a later invocation's flush). Only the
 * attempt whose drop row lands counts.
 */
const countDrop = async (item: InboxItem, kept: { eventId: string; home: string }, deps: IngestDeps): Promise<void> => {
  const first = await deps.ledger.events.recordDrop(item.zone, item.id, {
    eventId: item.eventId,
    home: item.home,
    receivedAt: item.receivedAt,
    kept: { eventId: kept.eventId, home: kept.home },
    token: deps.newId(),
    expiresAt: item.expiresAt,
  });
  if (first) deps.metrics.count('DuplicateDropped');
  else deps.log.info('repeat already dropped and counted by an earlier attempt', { eventId: item.eventId });
};

const openEventRow = async (item: InboxItem, deps: IngestDeps): Promise<void> => {
  const due = new Date(Date.parse(item.receivedAt) + deps.sweepGraceMs).toISOString();
  await deps.ledger.events.open(eventRowInput(item), due);
};

const quarantine = async (item: QuarantineItem, deps: IngestDeps): Promise<IngestOutcome> => {
  await deps.quarantine.put(item);
  deps.metrics.count('Quarantined');
  return { outcome: 'quarantined', reason: item.reason, message: item.message };
};

const storeRejected = (item: InboxItem, error: StoreRejectedError, deps: IngestDeps): QuarantineItem => ({
  id: deps.newId(),
  reason: 'store-rejected',
  message: `the inbox refused the event: ${error.message}`,
  region: item.home,
  receivedAt: item.receivedAt,
  source: item.source,
  eventId: item.eventId,
  detailType: item.detailType,
  account: item.account,
  routesVersion: item.routesVersion,
  keyDigest: keyDigest(item.id),
  digest: keyDigest(item.detail),
  // Capped in bytes: the refused item may itself be over DynamoDB's 400 KB (a long detail and a long key text).
  event: clipUtf8(JSON.stringify(item), 300_000),
  expiresAt: item.expiresAt,
});
