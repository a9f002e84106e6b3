/** The rows the ledger keeps per event (docs/decisions/011 and 014). */

/** The life of one delivery row. */
export type DeliveryStatus = 'claimed' | 'waiting' | 'delivered' | 'parked';

/** One region's acceptance of an event: the sweeper's work item while it is unsettled. */
export interface EventRow {
  id: string;
  sk: string;
  kind: 'event';
  home: string;
  zone: string;
  tenant: string;
  source: string;
  eventId: string;
  receivedAt: string;
  windowEnd: number;
  routesVersion: number;
  /** `<home>#<shard>`: the `received` index. */
  receivedShard: string;
  /** Set while unsettled, with `due`: the `sweep` index. */
  sweepShard?: string;
  due?: string;
  settledAt?: string;
  expiresAt: number;
}

/** One planned delivery of an event, as one owner region made (or is making) it. */
export interface DeliveryRow {
  id: string;
  sk: string;
  kind: 'delivery';
  /** `<target>#<placement>`, placement `local` or a region. */
  to: string;
  target: string;
  region: string;
  bus: string;
  /** The region that claimed it, under its lease on (zone, home) with `epoch`. */
  owner: string;
  home: string;
  epoch: number;
  token: string;
  status: DeliveryStatus;
  attempts: number;
  /** claimed: when the claim expires; waiting: when to try again. */
  due?: string;
  firstClaimedAt: string;
  claimedAt: string;
  deliveredAt?: string;
  parkedAt?: string;
  busEventId?: string;
  lastError?: string;
  /** The token of an attempt known not to have reached the bus. */
  failedToken?: string;
  /** Sends repeated after an attempt whose outcome was unknown. */
  redeliveries?: number;
  receivedAt: string;
  windowEnd: number;
  tenant: string;
  routes: string[];
  routesVersion: number;
  replayJob?: string;
  /** `<tenant>#<shard>` while parked: the `parked` index. */
  parkedShard?: string;
  expiresAt?: number;
}

/** What a claim attempt found. */
export type ClaimResult =
  | { kind: 'claimed'; attempt: number; suspectedRedelivery: boolean }
  | { kind: 'settled'; status: 'delivered' | 'parked' }
  | { kind: 'held'; owner: string; due?: string }
  /** The row belongs to an earlier incarnation of the key (its window ended): overwrite it as new. */
  | { kind: 'left-behind'; windowEnd: number };

/**
 * Interprets the row a successful claim replaced. A previous claim whose send was never marked
 * failed may have reached the bus before its confirm was lost, so this send may repeat it. The
 * previous row carrying our own token means the SDK re-sent this very claim: nothing repeats.
 */
export const claimOutcome = (previous: Partial<DeliveryRow> | undefined, token: string): ClaimResult => {
  if (!previous?.status) return { kind: 'claimed', attempt: 1, suspectedRedelivery: false };
  if (previous.token === token) return { kind: 'claimed', attempt: previous.attempts ?? 1, suspectedRedelivery: false };
  return {
    kind: 'claimed',
    attempt: (previous.attempts ?? 0) + 1,
    suspectedRedelivery: previous.failedToken !== previous.token,
  };
};

/** Interprets the row that made a claim's condition fail. */
export const refusedClaimOutcome = (existing: Partial<DeliveryRow> | undefined, receivedAt: string): ClaimResult => {
  if (existing?.windowEnd !== undefined && existing.windowEnd <= Date.parse(receivedAt)) {
    return { kind: 'left-behind', windowEnd: existing.windowEnd };
  }
  if (existing?.status === 'delivered' || existing?.status === 'parked')
    return { kind: 'settled', status: existing.status };
  return { kind: 'held', owner: existing?.owner ?? 'unknown', ...(existing?.due ? { due: existing.due } : {}) };
};
