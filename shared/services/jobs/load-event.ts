import type { LedgerRows } from '../../adapters/ledger-table';
import type { EventRow } from '../../domain/delivery/ledger-entry';
import type { InboxItem } from '../../domain/ingest/ingress-event';
import { planDeliveries, type PlannedDelivery } from '../../domain/routing/plan-deliveries';
import type { JobDeps } from './job-deps';

/** An event a job works on: the stored event, every ledger row of it, and its plan. */
export interface LoadedEvent {
  row: EventRow;
  item: InboxItem;
  rows: LedgerRows;
  /** The plan with what is usable now: where deliveries would go if sent now. */
  plan: PlannedDelivery[];
  /** The plan as if every region were usable: what the event should have had (reconcile classifies against it). */
  fullPlan: PlannedDelivery[];
}

/** Why a loaded event is not worked on by this part. */
export type NotLoaded = { skip: 'gone' } | { skip: 'other-part' } | { skip: 'unplannable'; reason: string };

/**
 * Reads an event for a job: its inbox item (gone: deleted, expired, or a newer incarnation of the
 * key), all its ledger rows, and its plan against its pinned catalog version. An event two homes
 * accepted (the cross-region window) is worked once, by the part of the home whose item the inbox kept.
 */
export const loadEvent = async (
  row: EventRow,
  known: LedgerRows | undefined,
  deps: Pick<JobDeps, 'inbox' | 'ledger' | 'catalogs' | 'regionUsable' | 'breakers'>,
): Promise<LoadedEvent | NotLoaded> => {
  const item = await deps.inbox.get(row.zone, row.id);
  if (!item || Date.parse(item.receivedAt) >= row.windowEnd) return { skip: 'gone' };
  const rows = known ?? (await deps.ledger.query.rows(row.zone, row.id));
  if (item.home !== row.home && rows.events.some((e) => e.home === item.home)) return { skip: 'other-part' };
  try {
    const catalog = await deps.catalogs.version(item.routesVersion);
    const usable = (target: string, region: string): boolean =>
      deps.regionUsable(region) && deps.breakers.retryAt(target, region) === undefined;
    return {
      row,
      item,
      rows,
      plan: planDeliveries({ item, catalog, usable }),
      fullPlan: planDeliveries({ item, catalog, usable: () => true }),
    };
  } catch (error) {
    return { skip: 'unplannable', reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
};
