import { describe, expect, it } from 'vitest';
import {
  decideAcquire,
  judgeLeaseWrite,
  majorityOf,
  readCommittedLease,
  type Lease,
  type LeaseSettings,
  type WriteAck,
} from '../../../shared/domain/ownership';

const SETTINGS: LeaseSettings = { durationMs: 1_000, marginMs: 200 };
const old: Lease = { holder: 'us-east-1', epoch: 2, expiresAt: 5_000 };
const accepted: WriteAck<Lease> = { kind: 'accepted' };
const silent: WriteAck<Lease> = { kind: 'no-answer' };

describe('majorityOf', () => {
  it('is more than half of the regions', () => {
    expect([1, 2, 3, 4, 5].map(majorityOf)).toEqual([1, 2, 2, 3, 3]);
  });

  it('rejects a region count that is not a positive integer', () => {
    expect(() => majorityOf(0)).toThrow(RangeError);
  });
});

describe('decideAcquire', () => {
  it('writes the next epoch, lasting the lease duration from the round start, when every lease seen is expired by the margin', () => {
    const decision = decideAcquire([old, undefined], 3, 'eu-west-1', 5_200, SETTINGS);
    expect(decision).toEqual({ kind: 'write', lease: { holder: 'eu-west-1', epoch: 3, expiresAt: 6_200 } });
  });

  it('gives up while any answer is live, saying when to try again', () => {
    const live: Lease = { holder: 'ap-southeast-2', epoch: 1, expiresAt: 5_500 };
    const decision = decideAcquire([old, live], 3, 'eu-west-1', 5_199, SETTINGS);
    expect(decision).toEqual({ kind: 'held', by: 'us-east-1', epoch: 2, until: 5_700 });
  });

  it('renews instead when the newest live lease is the contender’s own', () => {
    expect(decideAcquire([old, old], 3, 'us-east-1', 4_000, SETTINGS)).toEqual({ kind: 'renew', lease: old });
  });

  it('reports no quorum when fewer than a majority answered', () => {
    expect(decideAcquire([undefined, undefined], 5, 'eu-west-1', 0, SETTINGS)).toEqual({
      kind: 'no-quorum',
      answered: 2,
    });
  });
});

describe('readCommittedLease', () => {
  const winner: Lease = { holder: 'us-east-1', epoch: 3, expiresAt: 1_000 };
  const loser: Lease = { holder: 'eu-west-1', epoch: 3, expiresAt: 1_001 };

  it('reads the lease a majority of all regions hold as settled, over a newer attempt at the same epoch', () => {
    expect(readCommittedLease([winner, loser, winner], 3)).toEqual({ kind: 'read', lease: winner, settled: true });
  });

  it('takes the latest expiry of the settled lease while a renew is still landing', () => {
    const renewed = { ...winner, expiresAt: 2_000 };
    expect(readCommittedLease([winner, renewed, old], 3)).toEqual({ kind: 'read', lease: renewed, settled: true });
  });

  it('gives the newest answer, unsettled, when no lease is on a majority of all regions', () => {
    expect(readCommittedLease([winner, loser], 3)).toEqual({ kind: 'read', lease: loser, settled: false });
    expect(readCommittedLease([old, undefined], 3)).toEqual({ kind: 'read', lease: old, settled: false });
  });

  it('reads nothing, settled, when a majority of all regions hold no lease', () => {
    expect(readCommittedLease([undefined, undefined, old], 3)).toEqual({
      kind: 'read',
      lease: undefined,
      settled: true,
    });
  });
});

describe('judgeLeaseWrite', () => {
  const lease: Lease = { holder: 'eu-west-1', epoch: 3, expiresAt: 6_000 };

  it('holds the lease once a majority accepted while it is still valid', () => {
    expect(judgeLeaseWrite(lease, [accepted, accepted, silent], 3, 5_799, 200)).toEqual({ kind: 'held', lease });
  });

  it('holds nothing when the majority came in after the validity ended', () => {
    expect(judgeLeaseWrite(lease, [accepted, accepted, silent], 3, 5_800, 200).kind).toBe('too-late');
  });

  it('is refused with the newest evidence when a majority answered but too few accepted', () => {
    const verdict = judgeLeaseWrite(
      lease,
      [accepted, { kind: 'refused', existing: old }, { kind: 'refused', existing: undefined }],
      3,
      0,
      200,
    );
    expect(verdict).toEqual({ kind: 'refused', current: old });
  });

  it('has no quorum when too few regions answered at all', () => {
    expect(judgeLeaseWrite(lease, [accepted, silent, silent], 3, 0, 200)).toEqual({ kind: 'no-quorum', answered: 1 });
  });
});
