import type { DeliveryRow } from '../delivery/ledger-entry';
import type { Selection, StatusFilter } from './job-model';

/** The earliest time a window may start when the operator gives none. */
const BEGINNING = '1970-01-01T00:00:00.000Z';

/** Where one planned delivery stands in the ledger, over every owner's row of it. */
export type DeliveryStatus = 'delivered' | 'parked' | 'waiting' | 'in-flight' | 'missing';

/** The fields of an event row a selection reads (no inbox read needed to decide). */
export interface EventFacts {
  id: string;
  eventId: string;
  tenant: string;
  source: string;
  receivedAt: string;
}

/** The fields of a planned delivery a selection reads. */
export interface DeliveryFacts {
  to: string;
  target: string;
  region: string;
  routes: readonly string[];
}

/** True for a Switchyard key (`k1[…]` or `h1:<sha256>`), false for an EventBridge event id. */
export const isEventKey = (value: string): boolean => value.startsWith('k1[') || value.startsWith('h1:');

/** The received-at window a selection covers, closed at both ends; no `to` means up to now. */
export const windowOf = (selection: Pick<Selection, 'from' | 'to'>, now: Date): { from: string; to: string } => ({
  from: selection.from ? new Date(selection.from).toISOString() : BEGINNING,
  to: selection.to ? new Date(selection.to).toISOString() : now.toISOString(),
});

/** Whether an event (its ledger event row) falls inside the selection's tenant, source, window and ids. */
export const eventMatches = (
  selection: Selection,
  event: EventFacts,
  now: Date,
  ids?: ReadonlySet<string>,
): boolean => {
  if (selection.tenant !== undefined && event.tenant !== selection.tenant) return false;
  if (selection.source !== undefined && event.source !== selection.source) return false;
  const { from, to } = windowOf(selection, now);
  if (event.receivedAt < from || event.receivedAt > to) return false;
  return !ids || ids.has(event.id) || ids.has(event.eventId);
};

/** Whether a planned delivery matches the selection's route, target and (delivery) region. */
export const deliveryMatches = (selection: Selection, delivery: DeliveryFacts): boolean =>
  (selection.route === undefined || delivery.routes.includes(selection.route)) &&
  (selection.target === undefined || delivery.target === selection.target) &&
  (selection.region === undefined || delivery.region === selection.region);

/** A row written for this incarnation of the key, not one an earlier incarnation left behind (decision 012). */
export const sameIncarnation = (row: Pick<DeliveryRow, 'windowEnd'>, receivedAt: string): boolean =>
  row.windowEnd > Date.parse(receivedAt);

/**
 * Where a delivery stands over every owner's row of it: delivered wins (some owner delivered it),
 * then parked, then waiting, then a claim still in flight; no row (or only expired claims) is missing.
 */
export const statusOf = (rows: readonly DeliveryRow[], now: Date): DeliveryStatus => {
  if (rows.some((r) => r.status === 'delivered')) return 'delivered';
  if (rows.some((r) => r.status === 'parked')) return 'parked';
  if (rows.some((r) => r.status === 'waiting')) return 'waiting';
  if (rows.some((r) => r.status === 'claimed' && (r.due ?? '') > now.toISOString())) return 'in-flight';
  return 'missing';
};

/** Whether a status passes the selection's filter (`all`, or absent, lets everything through). */
export const statusMatches = (filter: StatusFilter | undefined, status: DeliveryStatus): boolean =>
  filter === undefined || filter === 'all' || filter === status;
