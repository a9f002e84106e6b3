import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../shared/domain/delivery/backoff';

const policy = { baseMs: 100, capMs: 1_000 };
const ALMOST_ONE = 0.999_999;

describe('backoffDelay', () => {
  it('returns no delay when the random draw is zero', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });

  it('stays below base × 2^attempt', () => {
    expect(backoffDelay(2, policy, () => ALMOST_ONE)).toBe(399);
  });

  it('grows with the attempt number', () => {
    // Act
    const delays = [0, 1, 2, 3].map((attempt) => backoffDelay(attempt, policy, () => ALMOST_ONE));

    // Assess
    expect(delays).toEqual([99, 199, 399, 799]);
  });

  it('never exceeds the cap, however many attempts', () => {
    const delays = [4, 10, 60].map((attempt) => backoffDelay(attempt, policy, () => ALMOST_ONE));
    expect(delays).toEqual([999, 999, 999]);
  });

  it('spreads delays uniformly using the random source (full jitter)', () => {
    // Prepare
    let draws = 0;
    const random = () => {
      draws += 1;
      return 0.25;
    };

    // Act
    const delay = backoffDelay(3, policy, random);

    // Assess
    expect(delay).toBe(200);
    expect(draws).toBe(1);
  });

  it('treats a negative attempt as the first', () => {
    expect(backoffDelay(-2, policy, () => 0.5)).toBe(50);
  });
});
