import type { DeliveryRow } from '../delivery/ledger-entry';
import { sameIncarnation } from '../jobs/selection';
import type { PlannedDelivery } from '../routing/plan-deliveries';

/** What reconcile found for one planned delivery of an event. */
export type DeliveryClass =
  | 'delivered-once'
  | 'delivered-more-than-once'
  | 'missing'
  | 'parked'
  | 'waiting'
  | 'residency-blocked'
  | 'never-replicated';

/** Every class, in the order reports list them. */
export const DELIVERY_CLASSES: readonly DeliveryClass[] = [
  'delivered-once',
  'delivered-more-than-once',
  'missing',
  'parked',
  'waiting',
  'residency-blocked',
  'never-replicated',
];

/** One owner's copy of a delivery, as its ledger row says. */
export interface DeliveryCopy {
  owner: string;
  epoch: number;
  status: DeliveryRow['status'];
  attempts: number;
  /** Sends repeated by this owner after an attempt whose outcome was unknown. */
  redeliveries: number;
  deliveredAt?: string;
  region: string;
}

/** One planned delivery with its class and the evidence for it. */
export interface ClassifiedDelivery {
  to: string;
  target: string;
  region: string;
  routes: string[];
  class: DeliveryClass;
  /** For `never-replicated`: whether it is delivered (by the home, after it came back) or still missing. */
  state?: 'delivered' | 'missing';
  copies: DeliveryCopy[];
  reason?: string;
}

/** The outage a reconcile window came from: events its region accepted then may never have left it. */
export interface OutageContext {
  region: string;
  takeoverAt: string;
  /** When the region owned its home again (the handback), if it has. */
  recoveredAt?: string;
  /**
   * The latest `receivedAt` the successor held, at takeover, in this event's index shard ('' for
   * none): anything the region accepted later cannot have reached the successor before it failed.
   */
  watermark?: string;
}

export interface ClassifyInput {
  planned: readonly PlannedDelivery[];
  rows: readonly DeliveryRow[];
  home: string;
  receivedAt: string;
  now: Date;
  outage?: OutageContext;
}

const copyOf = (r: DeliveryRow): DeliveryCopy => ({
  owner: r.owner,
  epoch: r.epoch,
  status: r.status,
  attempts: r.attempts,
  redeliveries: r.redeliveries ?? 0,
  region: r.region,
  ...(r.deliveredAt ? { deliveredAt: r.deliveredAt } : {}),
});

/** The class the ordinary rows of one delivery give it (replays on a job's own rows are not repeats). */
const classOfRows = (rows: readonly DeliveryRow[], now: Date): { class: DeliveryClass; reason?: string } => {
  const delivered = rows.filter((r) => r.status === 'delivered');
  if (delivered.length > 1 || delivered.some((r) => (r.redeliveries ?? 0) > 0))
    return { class: 'delivered-more-than-once' };
  if (delivered.length === 1) return { class: 'delivered-once' };
  const parked = rows.find((r) => r.status === 'parked');
  if (parked) return { class: 'parked', reason: parked.lastError ?? 'parked' };
  const waiting = rows.find(
    (r) => r.status === 'waiting' || (r.status === 'claimed' && (r.due ?? '') > now.toISOString()),
  );
  if (waiting) return { class: 'waiting', reason: waiting.lastError ?? `claimed by ${waiting.owner}` };
  return { class: 'missing' };
};

/**
 * An event the failed region accepted that the successor did not hold when it took over: newer
 * than the successor's watermark for its shard, and accepted before the region came back. Without
 * a watermark: accepted before the takeover, never worked on by another owner, and worked on by
 * its home only after the takeover. Its writes reached the zone only when the region returned.
 */
const neverReplicated = (input: ClassifyInput, rows: readonly DeliveryRow[]): boolean => {
  const { outage } = input;
  if (!outage || input.home !== outage.region) return false;
  if (outage.watermark !== undefined)
    return input.receivedAt > outage.watermark && (!outage.recoveredAt || input.receivedAt < outage.recoveredAt);
  if (input.receivedAt >= outage.takeoverAt) return false;
  return rows.every((r) => r.owner === input.home && r.firstClaimedAt >= outage.takeoverAt);
};

/** Classifies every planned delivery of one event from all owners' ledger rows of it. */
export const classifyDeliveries = (input: ClassifyInput): ClassifiedDelivery[] => {
  const rows = input.rows.filter((r) => sameIncarnation(r, input.receivedAt) && r.replayJob === undefined);
  const lateArrival = neverReplicated(input, rows);
  return input.planned.map((delivery): ClassifiedDelivery => {
    const own = rows.filter((r) => r.to === delivery.to);
    const base = {
      to: delivery.to,
      target: delivery.target,
      region: delivery.region,
      routes: [...delivery.routes],
      copies: own.map(copyOf),
    };
    if (delivery.blocked) return { ...base, class: 'residency-blocked', reason: delivery.blocked.message };
    const found = classOfRows(own, input.now);
    if (lateArrival && (found.class === 'delivered-once' || found.class === 'missing'))
      return { ...base, class: 'never-replicated', state: found.class === 'missing' ? 'missing' : 'delivered' };
    return { ...base, ...found };
  });
};

/** Whether reconcile delivers this one now: it is missing (never-replicated and still missing included). */
export const needsDelivery = (c: ClassifiedDelivery): boolean =>
  c.class === 'missing' || (c.class === 'never-replicated' && c.state === 'missing');
