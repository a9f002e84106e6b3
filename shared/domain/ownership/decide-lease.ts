import { isExpiredForTakeover, isValidAt, leaseFrom, newestLease, type Lease, type LeaseSettings } from './lease';
import { isMajority, judgeWrite, type WriteAck } from './quorum';

/** What a contender does after reading a majority of regions. */
export type AcquireDecision =
  /** Nobody holds a live lease: write this one (epoch above every epoch seen) to every region. */
  | { kind: 'write'; lease: Lease }
  /** The contender itself holds the newest live lease (say, from before a restart): renew that epoch. */
  | { kind: 'renew'; lease: Lease }
  /** Someone else holds a live lease: try again once `until` (its expiry plus the margin) has passed. */
  | { kind: 'held'; by: string; epoch: number; until: number }
  | { kind: 'no-quorum'; answered: number };

/**
 * Decides an acquire from the answers of the regions that answered (undefined = no lease there).
 * `startedAt` is the contender's clock when the round began; the new lease's expiry counts from it.
 */
export const decideAcquire = (
  answers: ReadonlyArray<Lease | undefined>,
  regionCount: number,
  contender: string,
  startedAt: number,
  settings: LeaseSettings,
): AcquireDecision => {
  if (!isMajority(answers.length, regionCount)) return { kind: 'no-quorum', answered: answers.length };
  const live = answers.filter(
    (lease): lease is Lease => lease !== undefined && !isExpiredForTakeover(lease, startedAt, settings.marginMs),
  );
  const newestLive = newestLease(live);
  if (newestLive?.holder === contender) return { kind: 'renew', lease: newestLive };
  if (newestLive) {
    const until = Math.max(...live.map((lease) => lease.expiresAt)) + settings.marginMs;
    return { kind: 'held', by: newestLive.holder, epoch: newestLive.epoch, until };
  }
  const highestEpoch = Math.max(0, ...answers.map((lease) => lease?.epoch ?? 0));
  return { kind: 'write', lease: leaseFrom(contender, highestEpoch + 1, startedAt, settings) };
};

/** What a majority read says about a lease; `settled` when a majority of all regions hold it. */
export type LeaseReading =
  { kind: 'read'; lease: Lease | undefined; settled: boolean } | { kind: 'no-quorum'; answered: number };

/**
 * Reads a lease from the answers of the regions that answered. A (holder, epoch) held by a majority of
 * all regions is committed: it is the answer, `settled`. Otherwise the newest answer is given unsettled:
 * it may be an attempt that reached only a minority (a lost race at the same epoch, or a takeover that
 * failed while the holder renewed elsewhere), so it is for display and diagnostics, never for safety.
 */
export const readCommittedLease = (answers: ReadonlyArray<Lease | undefined>, regionCount: number): LeaseReading => {
  if (!isMajority(answers.length, regionCount)) return { kind: 'no-quorum', answered: answers.length };
  if (isMajority(answers.filter((lease) => lease === undefined).length, regionCount))
    return { kind: 'read', lease: undefined, settled: true };
  const sameLease = (a: Lease, b: Lease) => a.holder === b.holder && a.epoch === b.epoch;
  const leases = answers.filter((lease): lease is Lease => lease !== undefined);
  const committed = leases.find((lease) =>
    isMajority(leases.filter((other) => sameLease(other, lease)).length, regionCount),
  );
  if (committed)
    return { kind: 'read', lease: newestLease(leases.filter((l) => sameLease(l, committed))), settled: true };
  return { kind: 'read', lease: newestLease(leases), settled: false };
};

/** How an acquire's or renew's write went, judged on the writer's clock when the last ack arrived. */
export type LeaseWriteVerdict =
  /** Committed while still valid: the writer holds the lease until `validUntil` on its own clock. */
  | { kind: 'held'; lease: Lease }
  /** A majority accepted, but only after the lease's validity had ended: the writer holds nothing. */
  | { kind: 'too-late'; lease: Lease }
  /** A majority answered and too few accepted; `current` is the newest value that refused it. */
  | { kind: 'refused'; current: Lease | undefined }
  | { kind: 'no-quorum'; answered: number };

/** Judges a lease write: committed and still valid at `now`, or why not. */
export const judgeLeaseWrite = (
  lease: Lease,
  acks: ReadonlyArray<WriteAck<Lease>>,
  regionCount: number,
  now: number,
  marginMs: number,
): LeaseWriteVerdict => {
  const verdict = judgeWrite(acks, regionCount);
  if (verdict.kind === 'no-quorum') return verdict;
  if (verdict.kind === 'refused') return { kind: 'refused', current: newestLease(verdict.refusals) };
  return isValidAt(lease, now, marginMs) ? { kind: 'held', lease } : { kind: 'too-late', lease };
};
