import { describe, expect, it } from 'vitest';
import {
  acceptsAcquire,
  acceptsRenew,
  isExpiredForTakeover,
  isValidAt,
  validUntil,
  type Lease,
} from '../../../shared/domain/ownership';

const MARGIN = 200;
const held: Lease = { holder: 'us-east-1', epoch: 4, expiresAt: 10_000 };

describe('lease validity', () => {
  it('lets the holder act until the margin before expiry, and a successor only from the margin after it', () => {
    expect(validUntil(held, MARGIN)).toBe(9_800);
    expect([isValidAt(held, 9_799, MARGIN), isValidAt(held, 9_800, MARGIN)]).toEqual([true, false]);
    expect([isExpiredForTakeover(held, 10_199, MARGIN), isExpiredForTakeover(held, 10_200, MARGIN)]).toEqual([
      false,
      true,
    ]);
  });
});

describe('acceptsAcquire', () => {
  const proposed: Lease = { holder: 'eu-west-1', epoch: 5, expiresAt: 12_000 };

  it('accepts where the region holds nothing yet', () => {
    expect(acceptsAcquire(undefined, proposed, 0, MARGIN)).toBe(true);
  });

  it('refuses while the current lease is not expired by more than the margin', () => {
    expect(acceptsAcquire(held, proposed, 10_199, MARGIN)).toBe(false);
  });

  it('accepts an older epoch expired by more than the margin', () => {
    expect(acceptsAcquire(held, proposed, 10_200, MARGIN)).toBe(true);
  });

  it('refuses an epoch that is not above the stored one, however long ago it expired', () => {
    expect(acceptsAcquire(held, { ...proposed, epoch: 4 }, 99_000, MARGIN)).toBe(false);
  });
});

describe('acceptsRenew', () => {
  const renewed: Lease = { ...held, expiresAt: 11_000 };

  it('accepts the holder renewing its own epoch, even after expiry', () => {
    expect(acceptsRenew(held, renewed, 50_000, MARGIN)).toBe(true);
  });

  it('refuses a renew that would shorten a later one (a renew delayed in the network)', () => {
    expect(acceptsRenew({ ...held, expiresAt: 12_000 }, renewed, 9_000, MARGIN)).toBe(false);
  });

  it('refuses another holder, and a newer epoch taken over from the holder', () => {
    expect(acceptsRenew({ ...held, holder: 'eu-west-1' }, renewed, 9_000, MARGIN)).toBe(false);
    expect(acceptsRenew({ holder: 'eu-west-1', epoch: 5, expiresAt: 0 }, renewed, 99_000, MARGIN)).toBe(false);
  });

  it('heals a region that missed the acquire: absent, or a lower epoch expired by the margin', () => {
    const older: Lease = { holder: 'ap-southeast-2', epoch: 3, expiresAt: 8_000 };
    expect(acceptsRenew(undefined, renewed, 9_000, MARGIN)).toBe(true);
    expect(acceptsRenew(older, renewed, 8_200, MARGIN)).toBe(true);
    expect(acceptsRenew(older, renewed, 8_199, MARGIN)).toBe(false);
  });

  it('does not heal over the same epoch left by another contender, so one epoch keeps one holder', () => {
    expect(acceptsRenew({ holder: 'eu-west-1', epoch: 4, expiresAt: 0 }, renewed, 99_000, MARGIN)).toBe(false);
  });
});
