import { describe, expect, it } from 'vitest';
import { claimOutcome, refusedClaimOutcome } from '../../../shared/domain/delivery/ledger-entry';

describe('claimOutcome', () => {
  it('reports a first attempt when nothing was there before', () => {
    expect(claimOutcome(undefined)).toEqual({ kind: 'claimed', attempt: 1, suspectedRedelivery: false });
  });

  it('does not suspect a redelivery when the previous attempt is known to have failed', () => {
    const outcome = claimOutcome({ status: 'claimed', attempts: 2, token: 't-2', failedToken: 't-2' });
    expect(outcome).toEqual({ kind: 'claimed', attempt: 3, suspectedRedelivery: false });
  });

  it('suspects a redelivery when the previous attempt may have reached the bus', () => {
    const outcome = claimOutcome({ status: 'claimed', attempts: 1, token: 't-1' });
    expect(outcome).toEqual({ kind: 'claimed', attempt: 2, suspectedRedelivery: true });
  });

  it('suspects a redelivery when an earlier failure was recorded for a different token', () => {
    const outcome = claimOutcome({ status: 'claimed', attempts: 2, token: 't-2', failedToken: 't-1' });
    expect(outcome.kind === 'claimed' && outcome.suspectedRedelivery).toBe(true);
  });
});

describe('refusedClaimOutcome', () => {
  it.each(['delivered', 'parked'] as const)('reports a %s delivery as settled', (status) => {
    expect(refusedClaimOutcome({ status, owner: 'eu-west-1', epoch: 2 })).toEqual({ kind: 'settled', status });
  });

  it('reports a claim held by another owner at a higher epoch', () => {
    expect(refusedClaimOutcome({ status: 'claimed', owner: 'eu-west-1', epoch: 5 })).toEqual({
      kind: 'held',
      owner: 'eu-west-1',
      epoch: 5,
    });
  });

  it('reports an unknown holder when the condition failure carried no item', () => {
    expect(refusedClaimOutcome(undefined)).toEqual({ kind: 'held', owner: 'unknown', epoch: 0 });
  });
});
