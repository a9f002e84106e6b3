import type { ClaimRequest } from '../../adapters/ledger-table';
import type { InboxItem } from '../../domain/ingest/ingress-event';
import type { PlannedDelivery } from '../../domain/routing/plan-deliveries';
import type { OwnershipView } from '../ownership-view';
import type { Ownership } from './delivery-deps';

/** What one claim of one planned delivery names: the row, the owner and its lease, the time it holds. */
export interface ClaimFor {
  item: Pick<InboxItem, 'id' | 'home' | 'receivedAt' | 'windowEnd' | 'tenant' | 'routesVersion' | 'expiresAt'>;
  delivery: PlannedDelivery;
  ownership: Ownership;
  /** The region claiming (this router's). */
  owner: string;
  /** The delivery row's sort key: the owner's ordinary row, or a force replay's own. */
  sk: string;
  token: string;
  now: Date;
  claimTtlMs: number;
  replayJob?: string;
}

/**
 * Whether this region still holds the lease behind an ownership at `at` (ms, its own clock): within
 * the validity it was read with, or renewed since at the same epoch. Checked again at each claim and
 * each send: on a starved machine seconds can pass between reading the ownership and acting on it,
 * and a successor may take over once the lease ends.
 */
export const leaseHeld = async (
  ownership: Ownership,
  at: number,
  view: Pick<OwnershipView, 'current'> | undefined,
): Promise<boolean> => {
  if (ownership.validUntil === undefined || at < ownership.validUntil) return true;
  const renewed = await view?.current(ownership.zone, ownership.home);
  return renewed?.epoch === ownership.epoch;
};

/** The ledger claim of one delivery, the same for the stream, the sweeper and replay jobs. */
export const claimRequestFor = (c: ClaimFor): ClaimRequest => ({
  zone: c.ownership.zone,
  id: c.item.id,
  sk: c.sk,
  to: c.delivery.to,
  target: c.delivery.target,
  region: c.delivery.region,
  bus: c.delivery.bus,
  owner: c.owner,
  home: c.item.home,
  epoch: c.ownership.epoch,
  token: c.token,
  now: c.now.toISOString(),
  claimDue: new Date(c.now.getTime() + c.claimTtlMs).toISOString(),
  receivedAt: c.item.receivedAt,
  windowEnd: c.item.windowEnd,
  tenant: c.item.tenant,
  routes: c.delivery.routes,
  routesVersion: c.item.routesVersion,
  expiresAt: c.item.expiresAt,
  ...(c.replayJob ? { replayJob: c.replayJob } : {}),
});
