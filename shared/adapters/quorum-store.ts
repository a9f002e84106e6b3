import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  decideAcquire,
  judgeLeaseWrite,
  readCommittedLease,
  type LeaseWriteVerdict,
} from '../domain/ownership/decide-lease';
import { isExpiredForTakeover, leaseFrom, validUntil, type Lease, type LeaseSettings } from '../domain/ownership/lease';
import { leaseItemKey } from './coord-keys';
import {
  answeredValues,
  readEveryRegion,
  toAcks,
  writeEveryRegion,
  type Condition,
  type QuorumTables,
  type RegionReadReply,
  type RegionWriteReply,
} from './quorum-calls';
import { acquireCondition, leaseItem, parseLease, renewCondition } from './quorum-lease-conditions';
import { createRegisterOperations, type RegisterReadResult, type RegisterWriteResult } from './quorum-registers';

export type { RegionReadReply, RegionWriteReply } from './quorum-calls';
export type { RegisterAnswers, RegisterReadResult, RegisterWriteResult } from './quorum-registers';

/** What each region said during one lease operation, for diagnostics. */
export interface LeaseAnswers {
  read?: Array<RegionReadReply<Lease>>;
  write?: Array<RegionWriteReply<Lease>>;
}

/** A lease read from a majority of regions. */
export type LeaseReadResult =
  /** `settled`: a majority of all regions hold this lease; otherwise it is the newest answer, perhaps a failed attempt. */
  | { outcome: 'read'; lease: Lease | undefined; settled: boolean; answers: LeaseAnswers }
  | { outcome: 'no-quorum'; answered: number; answers: LeaseAnswers };

/** `validUntil` is on the caller's clock: act as owner only while `now() < validUntil`. */
export type AcquireResult =
  | { outcome: 'acquired'; lease: Lease; validUntil: number; answers: LeaseAnswers }
  /** Someone else holds a live lease; a takeover may succeed from `until` on (its expiry plus the margin). */
  | { outcome: 'held'; by: string; epoch: number; until: number; answers: LeaseAnswers }
  /** Lost a race: a majority answered and refused; `current` is the newest lease that refused. */
  | { outcome: 'refused'; current: Lease | undefined; answers: LeaseAnswers }
  /** A majority accepted only after the lease's validity had ended; nothing is held. */
  | { outcome: 'too-late'; lease: Lease; answers: LeaseAnswers }
  | { outcome: 'no-quorum'; answered: number; answers: LeaseAnswers };

/** `validUntil` is on the caller's clock; a failed renew leaves the previous `validUntil` as the end of ownership. */
export type RenewResult =
  | { outcome: 'renewed'; lease: Lease; validUntil: number; answers: LeaseAnswers }
  /** A majority answered and refused (taken over, or never held); `current` is the newest lease that refused. */
  | { outcome: 'lost'; current: Lease | undefined; answers: LeaseAnswers }
  | { outcome: 'too-late'; lease: Lease; answers: LeaseAnswers }
  | { outcome: 'no-quorum'; answered: number; answers: LeaseAnswers };

export interface QuorumStore {
  /** Reads the lease on (zone, home) from a majority; for status and diagnostics, never for deciding to act. */
  readLease(zone: string, home: string): Promise<LeaseReadResult>;
  /** Takes the lease for `contender` if nobody holds a live one (renews it if `contender` already does). */
  acquire(zone: string, home: string, contender: string): Promise<AcquireResult>;
  /** Extends `holder`'s lease under `epoch`, counting the new expiry from the start of this call. */
  renew(zone: string, home: string, holder: string, epoch: number): Promise<RenewResult>;
  /** Reads register `name`, writing a version seen on fewer than a majority back first. */
  readRegister(name: string): Promise<RegisterReadResult>;
  /** Writes `value` as `version` of register `name`; an equal or higher version already there wins (same value: idempotent). */
  writeRegister(name: string, version: number, value: unknown): Promise<RegisterWriteResult>;
}

export interface QuorumStoreOptions {
  /** One client per region, keyed by region; every region's coord table is one member of the quorum. */
  clients: ReadonlyMap<string, DynamoDBDocumentClient>;
  tableName: string;
  now: () => number;
  settings: LeaseSettings;
  /** A region slower than this counts as no answer (default 1 s). */
  regionTimeoutMs?: number;
}

/** A lease write that ended without holding anything, as a result. */
const notHeld = (
  verdict: Extract<LeaseWriteVerdict, { kind: 'too-late' | 'no-quorum' }>,
  answers: LeaseAnswers,
): Extract<RenewResult, { outcome: 'too-late' | 'no-quorum' }> =>
  verdict.kind === 'too-late'
    ? { outcome: 'too-late', lease: verdict.lease, answers }
    : { outcome: 'no-quorum', answered: verdict.answered, answers };

/** The quorum store over every region's coord table: leases on (zone, home) and versioned registers. */
export const createQuorumStore = ({
  clients,
  tableName,
  now,
  settings,
  regionTimeoutMs = 1_000,
}: QuorumStoreOptions): QuorumStore => {
  if (clients.size === 0) throw new RangeError('The quorum store needs at least one region');
  const tables: QuorumTables = { clients, tableName, regionTimeoutMs };
  const regionCount = clients.size;
  const margin = settings.marginMs;

  const writeLease = (item: Record<string, unknown>, condition: Condition) =>
    writeEveryRegion(tables, item, condition, parseLease);

  /** Renews (holder, epoch) for a round that began at `startedAt`, the moment its expiry counts from. */
  const renewFrom = async (
    key: Record<string, string>,
    holder: string,
    epoch: number,
    startedAt: number,
    read?: Array<RegionReadReply<Lease>>,
  ): Promise<RenewResult> => {
    const lease = leaseFrom(holder, epoch, startedAt, settings);
    const write = await writeLease(leaseItem(key, lease), renewCondition(lease, now(), settings));
    const answers = { ...(read ? { read } : {}), write };
    const verdict = judgeLeaseWrite(lease, toAcks(write), regionCount, now(), margin);
    if (verdict.kind === 'held') return { outcome: 'renewed', lease, validUntil: validUntil(lease, margin), answers };
    if (verdict.kind === 'refused') return { outcome: 'lost', current: verdict.current, answers };
    return notHeld(verdict, answers);
  };

  /** A refused acquire: `held` when the refusing lease is someone else's live one, else a lost race. */
  const refusal = (contender: string, current: Lease | undefined, answers: LeaseAnswers): AcquireResult =>
    current && current.holder !== contender && !isExpiredForTakeover(current, now(), margin)
      ? { outcome: 'held', by: current.holder, epoch: current.epoch, until: current.expiresAt + margin, answers }
      : { outcome: 'refused', current, answers };

  return {
    async readLease(zone, home) {
      const read = await readEveryRegion(tables, leaseItemKey(zone, home), parseLease);
      const result = readCommittedLease(answeredValues(read), regionCount);
      return result.kind === 'read'
        ? { outcome: 'read', lease: result.lease, settled: result.settled, answers: { read } }
        : { outcome: 'no-quorum', answered: result.answered, answers: { read } };
    },

    async acquire(zone, home, contender) {
      const key = leaseItemKey(zone, home);
      const startedAt = now();
      const read = await readEveryRegion(tables, key, parseLease);
      const decision = decideAcquire(answeredValues(read), regionCount, contender, startedAt, settings);
      if (decision.kind === 'no-quorum')
        return { outcome: 'no-quorum', answered: decision.answered, answers: { read } };
      if (decision.kind === 'held') {
        const { by, epoch, until } = decision;
        return { outcome: 'held', by, epoch, until, answers: { read } };
      }
      if (decision.kind === 'renew') {
        const renewed = await renewFrom(key, contender, decision.lease.epoch, startedAt, read);
        if (renewed.outcome === 'renewed') return { ...renewed, outcome: 'acquired' };
        return renewed.outcome === 'lost' ? refusal(contender, renewed.current, renewed.answers) : renewed;
      }
      const { lease } = decision;
      const write = await writeLease(leaseItem(key, lease), acquireCondition(lease, now(), settings));
      const answers = { read, write };
      const verdict = judgeLeaseWrite(lease, toAcks(write), regionCount, now(), margin);
      if (verdict.kind === 'held')
        return { outcome: 'acquired', lease, validUntil: validUntil(lease, margin), answers };
      if (verdict.kind === 'refused') return refusal(contender, verdict.current, answers);
      return notHeld(verdict, answers);
    },

    renew: (zone, home, holder, epoch) => renewFrom(leaseItemKey(zone, home), holder, epoch, now()),

    ...createRegisterOperations(tables),
  };
};
