import { isExpiredForTakeover, type Lease } from './lease';

/*
 * The conditions each region applies to a write on its own copy of a lease. DynamoDB has no clock
 * of its own in a condition: `now` is the writer's clock when it built the request. A request that
 * arrives late carries an earlier `now`, which only makes a takeover condition harder to meet.
 *
 * Per region the epoch never decreases, and an epoch, once written with a holder, keeps that holder:
 * two contenders can therefore never both get a majority for one epoch.
 */

/** A successor's acquire: the region holds nothing, or an older epoch expired by more than the margin. */
export const acceptsAcquire = (
  existing: Lease | undefined,
  proposed: Lease,
  now: number,
  marginMs: number,
): boolean => {
  const absent = existing === undefined;
  const expiredByMargin = existing !== undefined && isExpiredForTakeover(existing, now, marginMs);
  const olderEpoch = existing !== undefined && existing.epoch < proposed.epoch;
  return absent || (expiredByMargin && olderEpoch);
};

/**
 * A holder's renew of its epoch. Also heals a region that missed the acquire (absent, or an expired
 * lower epoch). The expiry never moves backwards: a renew delayed in the network must not shorten a
 * later one, or a successor could take over while the holder still acts on the later expiry.
 */
export const acceptsRenew = (existing: Lease | undefined, renewed: Lease, now: number, marginMs: number): boolean => {
  const heldByMe = existing?.holder === renewed.holder && existing.epoch === renewed.epoch;
  const notShortened = existing !== undefined && existing.expiresAt <= renewed.expiresAt;
  const absent = existing === undefined;
  const expiredByMargin = existing !== undefined && isExpiredForTakeover(existing, now, marginMs);
  const lowerEpoch = existing !== undefined && existing.epoch < renewed.epoch;
  return (heldByMe && notShortened) || absent || (expiredByMargin && lowerEpoch);
};
