import type { Lease, LeaseSettings } from '../domain/ownership/lease';
import { MalformedCoordItemError } from '../domain/ownership/ownership-errors';
import { COORD_KEYS } from './coord-keys';
import { allOf, anyOf, type Condition } from './quorum-calls';

/*
 * The region-side rules of shared/domain/ownership/lease-rules.ts as DynamoDB conditions. The writer's
 * clock `now` goes in as `:takeoverHorizon = now − margin`, since DynamoDB has no clock of its own.
 *
 *   stored lease:  ─── E − m ─── E ─── E + m ───▶  (writer's clock)
 *   expiredByMargin holds from here ────┘         (E ≤ now − m)
 */
const absent = `attribute_not_exists(#pk)`;
const expiredByMargin = `#expiresAt <= :takeoverHorizon`;
const olderEpoch = `#epoch < :epoch`;
const heldByMe = `#holder = :holder AND #epoch = :epoch`;
/** A delayed renew must not shorten a later one. */
const notShortened = `#expiresAt <= :expiresAt`;

const { attributes } = COORD_KEYS;
const names = {
  '#pk': COORD_KEYS.partitionKey,
  '#holder': attributes.holder,
  '#epoch': attributes.epoch,
  '#expiresAt': attributes.expiresAt,
};

/** A successor's acquire: absent, or an older epoch expired by more than the margin. */
export const acquireCondition = (proposed: Lease, now: number, settings: LeaseSettings): Condition => ({
  expression: anyOf(absent, allOf(expiredByMargin, olderEpoch)),
  names: { '#pk': names['#pk'], '#epoch': names['#epoch'], '#expiresAt': names['#expiresAt'] },
  values: { ':takeoverHorizon': now - settings.marginMs, ':epoch': proposed.epoch },
});

/** A holder's renew: its own epoch without shortening it, or healing an absent or expired lower epoch. */
export const renewCondition = (renewed: Lease, now: number, settings: LeaseSettings): Condition => ({
  expression: anyOf(allOf(heldByMe, notShortened), absent, allOf(expiredByMargin, olderEpoch)),
  names,
  values: {
    ':holder': renewed.holder,
    ':epoch': renewed.epoch,
    ':expiresAt': renewed.expiresAt,
    ':takeoverHorizon': now - settings.marginMs,
  },
});

/** The item a lease is stored as. */
export const leaseItem = (key: Record<string, string>, lease: Lease): Record<string, unknown> => ({
  ...key,
  [attributes.holder]: lease.holder,
  [attributes.epoch]: lease.epoch,
  [attributes.expiresAt]: lease.expiresAt,
});

/** The lease in a coord item; an item of another shape is rejected rather than read as no lease. */
export const parseLease = (item: Record<string, unknown>): Lease => {
  const holder = item[attributes.holder];
  const epoch = item[attributes.epoch];
  const expiresAt = item[attributes.expiresAt];
  if (typeof holder !== 'string' || typeof epoch !== 'number' || typeof expiresAt !== 'number')
    throw new MalformedCoordItemError(item);
  return { holder, epoch, expiresAt };
};
