import type { DynamoDBRecord } from 'aws-lambda';
import type { ControlTable } from '../adapters/control-table';
import type { InboxItem } from '../domain/ingest/ingress-event';
import { StoreUnavailableError } from '../domain/infrastructure-errors';
import { DELIVERY_CONCURRENCY, mapWithConcurrency } from '../domain/map-with-concurrency';
import { planDeliveries, type PlannedDelivery } from '../domain/routing/plan-deliveries';
import type { CatalogProvider } from './catalog-provider';
import { claimDeliveries, type ClaimDeps, type ClaimedDelivery } from './claim-deliveries';
import { sendDeliveries, type SendDeps } from './send-deliveries';
import { decideChange, readInboxChange } from './stream-images';

export interface RouteDeps extends Omit<ClaimDeps, 'now' | 'epoch' | 'owner'>, SendDeps {
  region: string;
  catalogs: CatalogProvider;
  control: ControlTable;
  availableRegions: () => ReadonlySet<string>;
}

/** Each event claims one to a few deliveries at once; this keeps the claims in flight near DELIVERY_CONCURRENCY. */
const CLAIMING_EVENTS = DELIVERY_CONCURRENCY / 2;

interface Work {
  sequenceNumber: string;
  item: InboxItem;
  planned: PlannedDelivery[];
  /** Why the event cannot be planned at all (corrupt item, unknown version); it is parked, not retried forever. */
  unroutable?: string;
}

/**
 * Routes one stream batch: plan every owned event against its pinned routes version, claim,
 * send in shared PutEvents batches, confirm. Returns the sequence numbers of records to retry.
 */
export const routeRecords = async (records: readonly DynamoDBRecord[], deps: RouteDeps): Promise<string[]> => {
  const failed = new Set<string>();
  const works: Work[] = [];
  for (const record of records) {
    const change = readInboxChange(record);
    const action = decideChange(change, deps.region);
    if (action.action === 'count-duplicate') {
      await countDuplicate(action.id, action.homes, deps).catch(() => failed.add(change.sequenceNumber));
    } else if (action.action === 'route') {
      const work = await planWork(change.sequenceNumber, action.item, deps).catch((error: unknown) => {
        if (error instanceof StoreUnavailableError) failed.add(change.sequenceNumber);
        else throw error;
      });
      if (work) works.push(work);
    }
  }
  // A batch of only duplicates or foreign records needs no claims, so no epoch read either.
  const failedInOrder = (): string[] =>
    records.map((r) => r.dynamodb?.SequenceNumber ?? '').filter((s) => failed.has(s));
  if (works.length === 0) return failedInOrder();
  const epoch = await deps.control.getRegionEpoch(deps.region);
  const claimDeps: ClaimDeps = { ...deps, owner: deps.region, epoch, now: deps.now() };
  const unroutable = works.filter((w) => w.unroutable);
  await Promise.all(unroutable.map((w) => parkUnroutable(w, claimDeps).catch(() => failed.add(w.sequenceNumber))));
  const claimed: ClaimedDelivery[] = [];
  const sequenceOf = new Map<string, string>();
  // Events are claimed a few at a time so a 100-record batch never queues hundreds of writes on one client.
  await mapWithConcurrency(
    works.filter((w) => !w.unroutable),
    CLAIMING_EVENTS,
    async (work) => {
      sequenceOf.set(work.item.id, work.sequenceNumber);
      deps.metrics.add('Routed', 1);
      try {
        claimed.push(...(await claimDeliveries(work.item, work.planned, claimDeps)));
      } catch {
        failed.add(work.sequenceNumber);
      }
    },
  );
  const sendable = claimed.filter((c) => !failed.has(sequenceOf.get(c.item.id) ?? ''));
  const unsettled = await sendDeliveries(sendable, deps);
  for (const u of unsettled) failed.add(sequenceOf.get(u.item.id) ?? '');
  return failedInOrder();
};

/** Plans one event. Store outages propagate (the record is retried); anything else marks the event unroutable. */
const planWork = async (sequenceNumber: string, item: Partial<InboxItem>, deps: RouteDeps): Promise<Work> => {
  const full = item as InboxItem;
  try {
    if (typeof item.id !== 'string' || typeof item.routesVersion !== 'number' || typeof item.home !== 'string') {
      throw new TypeError('inbox item lacks home or routesVersion');
    }
    const catalog = await deps.catalogs.version(item.routesVersion);
    return {
      sequenceNumber,
      item: full,
      planned: planDeliveries({ item: full, catalog, availableRegions: deps.availableRegions() }),
    };
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    return {
      sequenceNumber,
      item: full,
      planned: [],
      unroutable: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
};

/** Parks an unplannable event in the ledger under `unroutable#<region>`, so it is visible and replayable. */
const parkUnroutable = async (work: Work, deps: ClaimDeps): Promise<void> => {
  const parked = await deps.ledger.parkUnclaimed({
    id: work.item.id,
    to: `unroutable#${deps.owner}`,
    target: 'unroutable',
    region: deps.owner,
    bus: '-',
    owner: deps.owner,
    epoch: deps.epoch,
    token: deps.newToken(),
    routesVersion: typeof work.item.routesVersion === 'number' ? work.item.routesVersion : 0,
    now: deps.now.toISOString(),
    expiresAt: Math.floor(deps.now.getTime() / 1000) + deps.retentionDays * 86_400,
    error: `unroutable: ${work.unroutable ?? 'unknown'}`,
  });
  if (parked === 'parked') deps.metrics.add('Parked', 1);
};

const countDuplicate = async (id: string, homes: string[], deps: RouteDeps): Promise<void> => {
  const recorded = await deps.control.recordDuplicate({
    id,
    homes,
    detectedIn: deps.region,
    detectedAt: deps.now().toISOString(),
  });
  if (recorded) deps.metrics.add('DuplicateDetected', 1);
};
