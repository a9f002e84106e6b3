import { describe, expect, it } from 'vitest';
import { claimOutcome, refusedClaimOutcome } from '../../../shared/domain/delivery/ledger-entry';

const RECEIVED_AT = '2026-11-27T10:00:01.000Z';
const RECEIVED_MS = Date.parse(RECEIVED_AT);

describe('claimOutcome', () => {
  it('reports a first attempt when nothing was there before', () => {
    expect(claimOutcome(undefined, 't-1')).toEqual({ kind: 'claimed', attempt: 1, suspectedRedelivery: false });
  });

  it('reports a first attempt when the replaced row had no status (an item without delivery state)', () => {
    expect(claimOutcome({ attempts: 4, token: 't-0' }, 't-1')).toEqual({
      kind: 'claimed',
      attempt: 1,
      suspectedRedelivery: false,
    });
  });

  it('recognises its own token as an SDK retry of this claim: same attempt, nothing repeated', () => {
    // Prepare: the first send of this claim wrote the row, its response was lost, the SDK sent it again
    const previous = { status: 'claimed' as const, attempts: 3, token: 't-3' };

    // Act
    const outcome = claimOutcome(previous, 't-3');

    // Assess
    expect(outcome).toEqual({ kind: 'claimed', attempt: 3, suspectedRedelivery: false });
  });

  it('does not suspect a redelivery when the previous attempt is known not to have reached the bus', () => {
    const outcome = claimOutcome({ status: 'waiting', attempts: 2, token: 't-2', failedToken: 't-2' }, 't-3');
    expect(outcome).toEqual({ kind: 'claimed', attempt: 3, suspectedRedelivery: false });
  });

  it('suspects a redelivery when the previous claim may have reached the bus', () => {
    const outcome = claimOutcome({ status: 'claimed', attempts: 1, token: 't-1' }, 't-2');
    expect(outcome).toEqual({ kind: 'claimed', attempt: 2, suspectedRedelivery: true });
  });

  it('suspects a redelivery when the recorded failure belongs to an earlier token', () => {
    const outcome = claimOutcome({ status: 'claimed', attempts: 2, token: 't-2', failedToken: 't-1' }, 't-3');
    expect(outcome).toEqual({ kind: 'claimed', attempt: 3, suspectedRedelivery: true });
  });

  it('counts from one when the replaced row kept no attempt count', () => {
    const outcome = claimOutcome({ status: 'waiting', token: 't-1', failedToken: 't-1' }, 't-2');
    expect(outcome).toEqual({ kind: 'claimed', attempt: 1, suspectedRedelivery: false });
  });
});

describe('refusedClaimOutcome', () => {
  it('reports a row whose dedupe window ended before this event arrived as left behind', () => {
    const outcome = refusedClaimOutcome({ status: 'delivered', windowEnd: RECEIVED_MS - 1 }, RECEIVED_AT);
    expect(outcome).toEqual({ kind: 'left-behind', windowEnd: RECEIVED_MS - 1 });
  });

  it('treats a window ending exactly when this event arrived as ended', () => {
    const outcome = refusedClaimOutcome({ status: 'claimed', owner: 'eu-west-1', windowEnd: RECEIVED_MS }, RECEIVED_AT);
    expect(outcome).toEqual({ kind: 'left-behind', windowEnd: RECEIVED_MS });
  });

  it.each(['delivered', 'parked'] as const)('reports a %s delivery of this incarnation as settled', (status) => {
    const outcome = refusedClaimOutcome({ status, owner: 'eu-west-1', windowEnd: RECEIVED_MS + 1 }, RECEIVED_AT);
    expect(outcome).toEqual({ kind: 'settled', status });
  });

  it('reports a live claim by another worker as held, with its owner and when it is due', () => {
    // Act
    const outcome = refusedClaimOutcome(
      { status: 'claimed', owner: 'eu-west-1', due: '2026-11-27T10:05:00.000Z', windowEnd: RECEIVED_MS + 1 },
      RECEIVED_AT,
    );

    // Assess
    expect(outcome).toEqual({ kind: 'held', owner: 'eu-west-1', due: '2026-11-27T10:05:00.000Z' });
  });

  it('reports a waiting row without a due time as held, with no due', () => {
    const outcome = refusedClaimOutcome({ status: 'waiting', owner: 'us-east-1' }, RECEIVED_AT);
    expect(outcome).toEqual({ kind: 'held', owner: 'us-east-1' });
  });

  it('reports an unknown holder when the refused write returned no row', () => {
    expect(refusedClaimOutcome(undefined, RECEIVED_AT)).toEqual({ kind: 'held', owner: 'unknown' });
  });
});
