import { describe, expect, it } from 'vitest';
import {
  canSend,
  DEFAULT_BREAKER_SETTINGS,
  initialBreaker,
  markProbeSent,
  recordOutcome,
  type BreakerSettings,
  type BreakerState,
} from '../../../shared/domain/delivery/breaker';

const settings: BreakerSettings = { ...DEFAULT_BREAKER_SETTINGS, baseCooldownMs: 1_000, maxCooldownMs: 3_000 };
const T0 = 1_700_000_000_000;

/** Applies outcomes one millisecond apart, starting at `at`. */
const feed = (state: BreakerState, outcomes: readonly boolean[], at = T0): BreakerState =>
  outcomes.reduce((s, success, i) => recordOutcome(s, success, at + i, settings), state);

const failures = (count: number): boolean[] => Array.from({ length: count }, () => false);

/** A breaker that opened at `openedAt` after five failures in a row. */
const openedAt = (at: number): BreakerState =>
  recordOutcome(feed(initialBreaker(settings), failures(4)), false, at, settings);

describe('breaker transitions', () => {
  it('starts closed, with the base cool-down, and lets sends through', () => {
    // Act
    const state = initialBreaker(settings);

    // Assess
    expect(state).toMatchObject({ status: 'closed', cooldownMs: 1_000, probeInFlight: false });
    expect(canSend(state, T0)).toEqual({ allowed: true, probe: false });
  });

  it('stays closed after four failures in a row and opens on the fifth', () => {
    // Act
    const afterFour = feed(initialBreaker(settings), failures(4));
    const afterFive = recordOutcome(afterFour, false, T0 + 10, settings);

    // Assess
    expect(afterFour.status).toBe('closed');
    expect(afterFive).toMatchObject({ status: 'open', openedAt: T0 + 10 });
  });

  it('counts failures in a row from the last success', () => {
    const state = feed(initialBreaker(settings), [...failures(4), true, ...failures(4)]);
    expect(state).toMatchObject({ status: 'closed', consecutiveFailures: 4 });
  });

  it('opens when half of at least ten outcomes failed, without five in a row', () => {
    // Prepare: never two failures in a row; the tenth outcome makes 5 failures of 10
    const pattern = [false, true, false, true, false, true, false, true, true, false];

    // Act
    const afterNine = feed(initialBreaker(settings), pattern.slice(0, 9));
    const afterTen = feed(initialBreaker(settings), pattern);

    // Assess
    expect(afterNine.status).toBe('closed');
    expect(afterTen.status).toBe('open');
  });

  it('does not judge the failure rate on fewer than ten outcomes', () => {
    const state = feed(initialBreaker(settings), [false, true, false, true, false, true, false, false]);
    expect(state.status).toBe('closed');
  });

  it('judges the rate over the last twenty outcomes, so old successes do not dilute new failures', () => {
    // Prepare: thirty successes, then success/failure alternating: 10 of the last 20 fail on the 20th
    const history = [...Array.from({ length: 30 }, () => true), ...Array.from({ length: 20 }, (_, i) => i % 2 === 0)];

    // Act
    const beforeLast = feed(initialBreaker(settings), history.slice(0, -1));
    const afterLast = feed(initialBreaker(settings), history);

    // Assess
    expect(beforeLast.status).toBe('closed');
    expect(beforeLast.recent).toHaveLength(20);
    expect(afterLast.status).toBe('open');
  });

  it('refuses sends while open and says when to retry', () => {
    const decision = canSend(openedAt(T0), T0 + 999);
    expect(decision).toEqual({ allowed: false, probe: false, retryAt: T0 + 1_000 });
  });

  it('allows a probe once the cool-down has passed, and nothing else until it settles', () => {
    // Prepare
    const open = openedAt(T0);

    // Act
    const first = canSend(open, T0 + 1_000);
    const probing = markProbeSent(open);
    const second = canSend(probing, T0 + 1_001);

    // Assess
    expect(first).toEqual({ allowed: true, probe: true });
    expect(probing).toMatchObject({ status: 'half-open', probeInFlight: true });
    expect(second).toMatchObject({ allowed: false, probe: false });
  });

  it('closes on a successful probe, clearing the history and the cool-down', () => {
    // Act
    const state = recordOutcome(markProbeSent(openedAt(T0)), true, T0 + 1_200, settings);

    // Assess
    expect(state).toEqual(initialBreaker(settings));
    expect(canSend(state, T0 + 1_201)).toEqual({ allowed: true, probe: false });
  });

  it('reopens on a failed probe with the cool-down doubled, then capped', () => {
    // Act
    const once = recordOutcome(markProbeSent(openedAt(T0)), false, T0 + 1_000, settings);
    const twice = recordOutcome(markProbeSent(once), false, T0 + 3_000, settings);
    const thrice = recordOutcome(markProbeSent(twice), false, T0 + 7_000, settings);

    // Assess
    expect([once, twice, thrice].map((s) => [s.status, s.openedAt, s.cooldownMs])).toEqual([
      ['open', T0 + 1_000, 2_000],
      ['open', T0 + 3_000, 3_000],
      ['open', T0 + 7_000, 3_000],
    ]);
    expect(canSend(twice, T0 + 5_999)).toMatchObject({ allowed: false, retryAt: T0 + 6_000 });
  });

  it('ignores outcomes of sends made before it opened: only the probe decides', () => {
    // Act
    const state = feed(openedAt(T0), [true, true, true], T0 + 1);

    // Assess
    expect(state).toEqual(openedAt(T0));
  });

  it('estimates a retry one cool-down on while a probe is in flight', () => {
    const decision = canSend(markProbeSent(openedAt(T0)), T0 + 1_500);
    expect(decision).toEqual({ allowed: false, probe: false, retryAt: T0 + 2_500 });
  });

  it('does not turn a closed breaker half-open when asked to mark a probe', () => {
    const state = initialBreaker(settings);
    expect(markProbeSent(state)).toBe(state);
  });

  it('uses decision 014 thresholds by default', () => {
    expect(DEFAULT_BREAKER_SETTINGS).toMatchObject({
      consecutiveFailures: 5,
      windowSize: 20,
      minSamples: 10,
      failureRate: 0.5,
    });
  });
});
