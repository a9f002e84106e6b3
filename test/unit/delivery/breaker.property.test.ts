import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canSend,
  initialBreaker,
  markProbeSent,
  recordOutcome,
  type BreakerSettings,
  type BreakerState,
} from '../../../shared/domain/delivery/breaker';

const settingsArb: fc.Arbitrary<BreakerSettings> = fc
  .record({
    consecutiveFailures: fc.integer({ min: 1, max: 8 }),
    windowSize: fc.integer({ min: 1, max: 30 }),
    minSamples: fc.integer({ min: 1, max: 30 }),
    failureRate: fc.double({ min: 0.05, max: 1, noNaN: true }),
    baseCooldownMs: fc.integer({ min: 1, max: 10_000 }),
    growth: fc.integer({ min: 1, max: 64 }),
  })
  .map(({ growth, ...s }) => ({ ...s, maxCooldownMs: s.baseCooldownMs * growth }));

/** What a router does at one moment: try to send (and later report the outcome), or just let time pass. */
type Step = { advanceMs: number; success: boolean };
const steps = fc.array(fc.record({ advanceMs: fc.integer({ min: 0, max: 5_000 }), success: fc.boolean() }), {
  maxLength: 80,
});

/** Drives a breaker as a router would: sends only when canSend allows, marking probes, recording outcomes. */
const drive = (settings: BreakerSettings, plan: readonly Step[], start = 0) => {
  let state = initialBreaker(settings);
  let now = start;
  for (const step of plan) {
    now += step.advanceMs;
    const decision = canSend(state, now);
    if (!decision.allowed) continue;
    if (decision.probe) state = markProbeSent(state);
    state = recordOutcome(state, step.success, now, settings);
  }
  return { state, now };
};

describe('breaker properties', () => {
  it('never stays closed through N consecutive failures, from any history', () => {
    fc.assert(
      fc.property(settingsArb, steps, (settings, plan) => {
        // Prepare
        const { state: start, now } = drive(settings, plan);
        if (start.status !== 'closed') return;

        // Act
        let state: BreakerState = start;
        for (let i = 0; i < settings.consecutiveFailures; i += 1) state = recordOutcome(state, false, now, settings);

        // Assess
        expect(state.status).toBe('open');
      }),
      { numRuns: 1_000 },
    );
  });

  it('after the cool-down allows exactly one probe until that probe settles', () => {
    fc.assert(
      fc.property(
        settingsArb,
        steps,
        fc.array(fc.integer({ min: 0, max: 100_000 }), { maxLength: 5 }),
        (settings, plan, later) => {
          // Prepare: force the breaker open after any history
          const driven = drive(settings, plan);
          let state = driven.state;
          if (state.status === 'closed') {
            for (let i = 0; i < settings.consecutiveFailures; i += 1)
              state = recordOutcome(state, false, driven.now, settings);
          }
          if (state.status === 'half-open') state = recordOutcome(state, false, driven.now, settings);
          const reopenAt = (state.openedAt ?? Number.NaN) + state.cooldownMs;

          // Act
          const before = canSend(state, reopenAt - 1);
          const probe = canSend(state, reopenAt);
          const afterProbe = markProbeSent(state);
          const others = later.map((ms) => canSend(afterProbe, reopenAt + ms));

          // Assess
          expect(before).toEqual({ allowed: false, probe: false, retryAt: reopenAt });
          expect(probe).toEqual({ allowed: true, probe: true });
          expect(others.every((decision) => !decision.allowed)).toBe(true);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('keeps the cool-down between the base and the cap and the window within its size', () => {
    fc.assert(
      fc.property(settingsArb, steps, (settings, plan) => {
        const { state } = drive(settings, plan);
        expect(state.cooldownMs).toBeGreaterThanOrEqual(settings.baseCooldownMs);
        expect(state.cooldownMs).toBeLessThanOrEqual(settings.maxCooldownMs);
        expect(state.recent.length).toBeLessThanOrEqual(settings.windowSize);
      }),
      { numRuns: 500 },
    );
  });
});
