/** The life of one planned delivery in the ledger. */
export type DeliveryStatus = 'claimed' | 'delivered' | 'parked';

/** A ledger item: one (event, target#region) delivery. */
export interface LedgerEntry {
  id: string;
  to: string;
  status: DeliveryStatus;
  owner: string;
  epoch: number;
  token: string;
  attempts: number;
  target: string;
  region: string;
  bus: string;
  routesVersion: number;
  /** The target region while the delivery is not yet delivered (sparse GSI key for sweeps and replay). */
  open?: string;
  due?: string;
  claimedAt: string;
  deliveredAt?: string;
  parkedAt?: string;
  busEventId?: string;
  lastError?: string;
  /** Set to the token of an attempt known to have failed before reaching the bus. */
  failedToken?: string;
  /** Deliveries repeated after an attempt whose outcome was unknown (crash between send and confirm). */
  redeliveries?: number;
  expiresAt: number;
}

/** What a claim attempt found. */
export type ClaimResult =
  | { kind: 'claimed'; attempt: number; suspectedRedelivery: boolean }
  | { kind: 'settled'; status: 'delivered' | 'parked' }
  | { kind: 'held'; owner: string; epoch: number };

/**
 * Interprets the ledger item a successful claim replaced. A previous claim whose token was never
 * marked failed may have reached the bus before its confirm was lost, so this send may repeat it.
 */
export const claimOutcome = (previous: Partial<LedgerEntry> | undefined): ClaimResult => {
  if (!previous?.status) return { kind: 'claimed', attempt: 1, suspectedRedelivery: false };
  return {
    kind: 'claimed',
    attempt: (previous.attempts ?? 0) + 1,
    suspectedRedelivery: previous.failedToken !== previous.token,
  };
};

/** Interprets the ledger item that made a claim's condition fail. */
export const refusedClaimOutcome = (existing: Partial<LedgerEntry> | undefined): ClaimResult => {
  if (existing?.status === 'delivered' || existing?.status === 'parked')
    return { kind: 'settled', status: existing.status };
  return { kind: 'held', owner: existing?.owner ?? 'unknown', epoch: existing?.epoch ?? 0 };
};
