import type { DynamoDBRecord } from 'aws-lambda';
import { eventRowInput } from '../adapters/ledger-table';
import type { InboxItem } from '../domain/ingest/ingress-event';
import { StoreRejectedError, StoreUnavailableError } from '../domain/infrastructure-errors';
import type { DeliveryDeps, EventWork } from './delivery/delivery-deps';
import { driveEvents } from './delivery/drive-events';
import type { OwnershipView } from './ownership-view';
import { decideChange, readInboxChange } from './stream-images';

export interface RouteDeps extends DeliveryDeps {
  ownership: OwnershipView;
  /** The zone whose inbox a stream record came from (from its event source ARN). */
  zoneOfStream: (eventSourceArn: string) => string | undefined;
}

/**
 * Routes one inbox stream batch, the fast path: every new event this region ingested and still
 * owns is planned, claimed, sent in shared PutEvents batches and confirmed. Nothing is handed back
 * for retry: work that cannot finish now stays open on its event row for the sweeper, so a target
 * that is down never holds the shard. Returns no record to retry: an unexpected error throws and
 * fails the batch, which the mapping retries and bisects.
 */
export const routeRecords = async (records: readonly DynamoDBRecord[], deps: RouteDeps): Promise<string[]> => {
  const works: EventWork[] = [];
  for (const record of records) {
    const zone = deps.zoneOfStream(record.eventSourceARN ?? '');
    const change = readInboxChange(record);
    const action = decideChange(change, deps.region);
    if (!zone || action.action === 'ignore') continue;
    if (action.action === 'count-duplicate') {
      await countDuplicate(zone, action, deps);
      continue;
    }
    const item = action.item as InboxItem;
    const ownership = await deps.ownership.current(zone, item.home);
    if (!ownership) {
      // Not ours right now (fenced, recovering, or lease not renewed): the owner's sweeper has it.
      deps.metrics.count('NotOwned');
      await leaveToOwner(zone, item, deps);
      continue;
    }
    const work: EventWork = { item, ownership };
    // An event older than this epoch may have been delivered by the previous owner: read its rows first.
    if (item.receivedAt < ownership.since) works.push({ ...work, rows: await deps.ledger.query.rows(zone, item.id) });
    else works.push(work);
  }
  if (works.length > 0) await driveEvents(works, deps);
  return [];
};

/**
 * The owner's sweeper finds an event by its event row, which ingest opens after storing the item.
 * An ingest stopped between the two writes (its region went dark) leaves an item with no row, and
 * its retry may never come (EventBridge dead-letters it): open the row here, due now, or the event
 * would be stranded. Where the row exists (nearly always), open or settled, the conditional put
 * changes nothing; if ingest's own put is merely still on its way, it then finds the row and is a no-op.
 */
const leaveToOwner = async (zone: string, item: InboxItem, deps: RouteDeps): Promise<void> => {
  const opened = await deps.ledger.events.open(eventRowInput(item), deps.now().toISOString());
  if (opened === 'opened')
    deps.log.forEvent(
      { eventId: item.eventId, home: item.home, zone },
      'warn',
      'event row was missing (its ingest stopped, or has not yet written it, after storing the item): opened for the owner',
    );
};

const countDuplicate = async (
  zone: string,
  { id, lost, lostTo, expiresAt }: { id: string; lost: string; lostTo: string; expiresAt?: number },
  deps: RouteDeps,
): Promise<void> => {
  const homes = [lost, lostTo].sort();
  try {
    const first = await deps.ledger.events.recordDuplicate(zone, id, {
      lost,
      lostTo,
      homes,
      detectedIn: deps.region,
      detectedAt: deps.now().toISOString(),
      // The record expires with the event it is about (TTL), so no raw key outlives its retention.
      ...(expiresAt !== undefined ? { expiresAt } : {}),
    });
    if (first) deps.metrics.count('DuplicateDetected');
  } catch (error) {
    if (!(error instanceof StoreUnavailableError || error instanceof StoreRejectedError)) throw error;
    // Both deliveries stay on record in the ledger; reconcile counts them even without this record.
    deps.log.warn('duplicate not recorded', { zone, homes, error: error.message });
  }
};
