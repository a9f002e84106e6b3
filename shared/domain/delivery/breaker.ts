/**
 * A circuit breaker per (target, region), fed by PutEvents outcomes (decision 014). Pure transitions on
 * an immutable state; the caller passes the time. Breakers never change a region's health.
 *
 *   closed ──N consecutive failures, or failure rate ≥ r over the window──▶ open (openedAt = now)
 *   open ──now ≥ openedAt + cooldownMs: canSend allows one probe, markProbeSent──▶ half-open
 *   half-open ──probe succeeds──▶ closed (history cleared, cool-down back to base)
 *   half-open ──probe fails──▶ open (openedAt = now, cool-down doubled up to the cap)
 */

export type BreakerStatus = 'closed' | 'open' | 'half-open';

export type BreakerState = {
  status: BreakerStatus;
  consecutiveFailures: number;
  /** The last outcomes while closed, oldest first; true = success. */
  recent: readonly boolean[];
  openedAt?: number;
  cooldownMs: number;
  probeInFlight: boolean;
};

export type BreakerSettings = {
  /** Open after this many failures in a row. */
  consecutiveFailures: number;
  /** How many recent outcomes the failure rate is measured over. */
  windowSize: number;
  /** The failure rate is not judged on fewer outcomes than this. */
  minSamples: number;
  /** Open when failures / outcomes in the window reach this. */
  failureRate: number;
  baseCooldownMs: number;
  maxCooldownMs: number;
};

export type SendDecision = { allowed: boolean; probe: boolean; retryAt?: number };

/**
 * Decision 014's thresholds. The cool-down starts at 5 s (a few send retries) and doubles to 2 min, so a
 * target that came back is tried again within a couple of sweeper runs (the sweeper runs every minute).
 */
export const DEFAULT_BREAKER_SETTINGS: Readonly<BreakerSettings> = Object.freeze({
  consecutiveFailures: 5,
  windowSize: 20,
  minSamples: 10,
  failureRate: 0.5,
  baseCooldownMs: 5_000,
  maxCooldownMs: 120_000,
});

/** A closed breaker with no history and the base cool-down. */
export const initialBreaker = (settings: BreakerSettings): BreakerState => ({
  status: 'closed',
  consecutiveFailures: 0,
  recent: [],
  cooldownMs: settings.baseCooldownMs,
  probeInFlight: false,
});

const failureRateReached = (recent: readonly boolean[], settings: BreakerSettings): boolean => {
  if (recent.length < settings.minSamples) return false;
  const failures = recent.filter((success) => !success).length;
  return failures / recent.length >= settings.failureRate;
};

const recordWhileClosed = (
  state: BreakerState,
  success: boolean,
  now: number,
  settings: BreakerSettings,
): BreakerState => {
  const recent = [...state.recent, success].slice(-settings.windowSize);
  const consecutiveFailures = success ? 0 : state.consecutiveFailures + 1;
  const trips = consecutiveFailures >= settings.consecutiveFailures || failureRateReached(recent, settings);
  return trips
    ? { ...state, status: 'open', consecutiveFailures, recent, openedAt: now, probeInFlight: false }
    : { ...state, consecutiveFailures, recent };
};

const recordProbe = (state: BreakerState, success: boolean, now: number, settings: BreakerSettings): BreakerState =>
  success
    ? initialBreaker(settings)
    : {
        ...state,
        status: 'open',
        openedAt: now,
        cooldownMs: Math.min(state.cooldownMs * 2, settings.maxCooldownMs),
        probeInFlight: false,
      };

/**
 * Applies one PutEvents outcome. While open, outcomes of sends made before the breaker opened are ignored:
 * only the probe decides whether it closes. While half-open, the next outcome is taken as the probe's, so
 * the caller must record the probe whatever happens (a send that throws is a failure).
 */
export const recordOutcome = (
  state: BreakerState,
  success: boolean,
  now: number,
  settings: BreakerSettings,
): BreakerState => {
  switch (state.status) {
    case 'closed':
      return recordWhileClosed(state, success, now, settings);
    case 'half-open':
      return recordProbe(state, success, now, settings);
    case 'open':
      return state;
  }
};

/**
 * Whether a send may go now. Closed: yes. Open: no until `openedAt + cooldownMs`, then yes as a probe.
 * Half-open (a probe in flight): no; `retryAt` is then an estimate, one cool-down on, by which time the
 * probe has normally settled.
 */
export const canSend = (state: BreakerState, now: number): SendDecision => {
  if (state.status === 'closed') return { allowed: true, probe: false };
  if (state.status === 'half-open') return { allowed: false, probe: false, retryAt: now + state.cooldownMs };
  const retryAt = (state.openedAt ?? now) + state.cooldownMs;
  return now >= retryAt ? { allowed: true, probe: true } : { allowed: false, probe: false, retryAt };
};

/** Records that the one probe `canSend` allowed has gone out; no other send is allowed until its outcome. */
export const markProbeSent = (state: BreakerState): BreakerState =>
  state.status === 'open' ? { ...state, status: 'half-open', probeInFlight: true } : state;
