/**
 * Ownership of one (zone, home): who holds it, under which epoch, until when (ms since the epoch,
 * on the clock of the region that wrote it).
 */
export interface Lease {
  holder: string;
  epoch: number;
  expiresAt: number;
}

/** How long a lease lasts and how far apart two clocks may be; every rule below leaves the margin on both sides. */
export interface LeaseSettings {
  durationMs: number;
  marginMs: number;
}

/*
 * One lease, on the clocks involved (E = expiresAt, m = margin):
 *
 *   ── acquired/renewed ──────── E − m ──────────── E ──────────── E + m ─────────────▶
 *      the holder acts (own clock) │  nobody acts: the two margins  │ a successor may write
 *                                                                     (on its own clock)
 *
 * With every clock within ±m of real time, the holder stops before real time E and a successor's
 * takeover is stamped no earlier than real time E, so the two never act at the same moment.
 */

/** The last moment (on the holder's clock) at which the holder may still act as owner. */
export const validUntil = (lease: Lease, marginMs: number): number => lease.expiresAt - marginMs;

/** True while the holder may act: the lease is not within the margin of its expiry on this clock. */
export const isValidAt = (lease: Lease, now: number, marginMs: number): boolean => now < validUntil(lease, marginMs);

/** True once the lease is expired by more than the margin on this clock, so a successor may take it. */
export const isExpiredForTakeover = (lease: Lease, now: number, marginMs: number): boolean =>
  lease.expiresAt + marginMs <= now;

/** A lease for `holder` under `epoch` that lasts the lease duration from `startedAt` (when its round began). */
export const leaseFrom = (holder: string, epoch: number, startedAt: number, settings: LeaseSettings): Lease => ({
  holder,
  epoch,
  expiresAt: startedAt + settings.durationMs,
});

/**
 * Orders leases by epoch, then expiry, then holder, so "the newest answer" is the same whatever order
 * the regions answered in.
 */
export const compareLeases = (a: Lease, b: Lease): number =>
  a.epoch - b.epoch || a.expiresAt - b.expiresAt || (a.holder < b.holder ? -1 : a.holder > b.holder ? 1 : 0);

/** The newest of these leases, or undefined when there is none. */
export const newestLease = (leases: ReadonlyArray<Lease | undefined>): Lease | undefined =>
  leases.reduce<Lease | undefined>(
    (newest, lease) => (lease && (!newest || compareLeases(lease, newest) > 0) ? lease : newest),
    undefined,
  );

/** True when both describe the same lease. */
export const sameLease = (a: Lease | undefined, b: Lease | undefined): boolean =>
  a !== undefined && b !== undefined && compareLeases(a, b) === 0;
