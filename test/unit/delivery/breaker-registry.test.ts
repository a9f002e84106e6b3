import { describe, expect, it } from 'vitest';
import { DEFAULT_BREAKER_SETTINGS, type BreakerSettings } from '../../../shared/domain/delivery/breaker';
import { createBreakers } from '../../../shared/domain/delivery/breaker-registry';

const settings: BreakerSettings = { ...DEFAULT_BREAKER_SETTINGS, baseCooldownMs: 1_000, maxCooldownMs: 4_000 };
const T0 = 1_700_000_000_000;

/** A registry whose clock the test moves by hand. */
const registryAt = (start = T0) => {
  const clock = { now: start };
  return { clock, breakers: createBreakers(settings, () => clock.now) };
};

const failFiveTimes = (breakers: ReturnType<typeof createBreakers>, target: string, region: string) => {
  for (let i = 0; i < 5; i += 1) breakers.record(target, region, false);
};

describe('createBreakers', () => {
  it('treats a pair it has never seen as usable', () => {
    const { breakers } = registryAt();
    expect(breakers.usable('orders-bus', 'eu-west-1')).toBe(true);
    expect(breakers.retryAt('orders-bus', 'eu-west-1')).toBeUndefined();
  });

  it('opens the breaker of one (target, region) without touching the others', () => {
    // Prepare
    const { breakers } = registryAt();

    // Act
    failFiveTimes(breakers, 'orders-bus', 'eu-west-1');

    // Assess
    expect(breakers.usable('orders-bus', 'eu-west-1')).toBe(false);
    expect(breakers.retryAt('orders-bus', 'eu-west-1')).toBe(T0 + 1_000);
    expect(breakers.usable('orders-bus', 'us-east-1')).toBe(true);
    expect(breakers.usable('billing-bus', 'eu-west-1')).toBe(true);
  });

  it('keeps a target whose name contains # apart from another pair', () => {
    // Prepare
    const { breakers } = registryAt();

    // Act
    failFiveTimes(breakers, 'a#b', 'eu-west-1');

    // Assess
    expect(breakers.usable('a', 'b#eu-west-1')).toBe(true);
    expect(breakers.usable('a#b', 'eu-west-1')).toBe(false);
  });

  it('answers usable to exactly one caller after the cool-down: that send is the probe', () => {
    // Prepare
    const { clock, breakers } = registryAt();
    failFiveTimes(breakers, 'orders-bus', 'eu-west-1');
    clock.now = T0 + 1_000;

    // Act
    const answers = [1, 2, 3].map(() => breakers.usable('orders-bus', 'eu-west-1'));

    // Assess
    expect(answers).toEqual([true, false, false]);
    expect(breakers.snapshot()).toEqual([
      { target: 'orders-bus', region: 'eu-west-1', status: 'half-open', openedAt: T0, cooldownMs: 1_000 },
    ]);
  });

  it('closes after a successful probe and reopens for twice as long after a failed one', () => {
    // Prepare
    const { clock, breakers } = registryAt();
    failFiveTimes(breakers, 'orders-bus', 'eu-west-1');
    failFiveTimes(breakers, 'billing-bus', 'eu-west-1');
    clock.now = T0 + 1_000;
    breakers.usable('orders-bus', 'eu-west-1');
    breakers.usable('billing-bus', 'eu-west-1');

    // Act
    breakers.record('orders-bus', 'eu-west-1', true);
    breakers.record('billing-bus', 'eu-west-1', false);

    // Assess
    expect(breakers.usable('orders-bus', 'eu-west-1')).toBe(true);
    expect(breakers.retryAt('billing-bus', 'eu-west-1')).toBe(T0 + 3_000);
    expect(breakers.snapshot()).toEqual([
      { target: 'billing-bus', region: 'eu-west-1', status: 'open', openedAt: T0 + 1_000, cooldownMs: 2_000 },
    ]);
  });

  it('lists no breakers while every one is closed', () => {
    // Prepare
    const { breakers } = registryAt();
    breakers.record('orders-bus', 'eu-west-1', false);
    breakers.record('orders-bus', 'eu-west-1', true);

    // Assess
    expect(breakers.snapshot()).toEqual([]);
  });
});
