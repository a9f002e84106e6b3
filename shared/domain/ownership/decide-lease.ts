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

/** The lease a majority read shows: the newest answer, since any committed lease is among a majority's answers. */
export const readCommittedLease = (
  answers: ReadonlyArray<Lease | undefined>,
  regionCount: number,
): { kind: 'read'; lease: Lease | undefined } | { kind: 'no-quorum'; answered: number } =>
  isMajority(answers.length, regionCount)
    ? { kind: 'read', lease: newestLease(answers) }
    : { kind: 'no-quorum', answered: answers.length };

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
