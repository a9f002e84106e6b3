import type { RouterHarness } from '../../../local/harness/router-harness';
import { zoneOf } from '../../../local/harness/workload';
import type { EventAudit } from './delivery-audit';

type Item = Record<string, unknown>;

/** An owner's lease on its own home in one zone before a partition, and when a successor took it over. */
export interface FencedLease {
  zone: string;
  epoch: number;
  /** The last validity the owner held (its lease's expiry minus the skew margin). */
  validUntil: number;
  takeoverAt: number;
}

/**
 * Delivery rows `owner` wrote on its own home's events under its old epoch at or after the
 * successor's takeover of that zone (read from the owner's own ledgers): there must be none.
 */
export const staleEpochClaims = async (
  harness: RouterHarness,
  owner: string,
  leases: readonly FencedLease[],
): Promise<Item[]> => {
  const rows = await Promise.all(
    leases.map(async (lease) =>
      (await harness.scan(owner, harness.tables.zone(lease.zone, 'ledger'))).filter(
        (r) =>
          r.kind === 'delivery' &&
          r.owner === owner &&
          r.home === owner &&
          Number(r.epoch) <= lease.epoch &&
          Date.parse(String(r.claimedAt)) >= lease.takeoverAt,
      ),
    ),
  );
  return rows.flat();
};

/** Copies that reached a bus under `owner`'s old epoch of the event's zone at or after the takeover: there must be none. */
export const staleEpochCopies = (
  audits: readonly EventAudit[],
  owner: string,
  leases: readonly FencedLease[],
): Array<{ key: string; to: string; epoch: string; afterTakeoverMs: number }> =>
  audits.flatMap((audit) => {
    const lease = leases.find((l) => l.zone === zoneOf(audit.event));
    if (!lease || audit.event.region !== owner) return [];
    return audit.copies
      .filter((c) => c.epoch === `${owner}:${lease.epoch}` && c.at >= lease.takeoverAt)
      .map((c) => ({ key: audit.event.key, to: c.to, epoch: c.epoch, afterTakeoverMs: c.at - lease.takeoverAt }));
  });

/** When the owner last claimed under its old epoch in each zone (from its own ledgers), for the figures. */
export const lastOldEpochClaims = async (
  harness: RouterHarness,
  owner: string,
  leases: readonly FencedLease[],
): Promise<Map<string, number>> => {
  const entries = await Promise.all(
    leases.map(async (lease) => {
      const rows = (await harness.scan(owner, harness.tables.zone(lease.zone, 'ledger'))).filter(
        (r) => r.kind === 'delivery' && r.owner === owner && r.home === owner && Number(r.epoch) === lease.epoch,
      );
      return [lease.zone, Math.max(0, ...rows.map((r) => Date.parse(String(r.claimedAt))))] as const;
    }),
  );
  return new Map(entries);
};
