import {
  canSend,
  initialBreaker,
  markProbeSent,
  recordOutcome,
  type BreakerSettings,
  type BreakerState,
} from './breaker';

/** An open or half-open breaker, as metrics report it. */
export type OpenBreaker = {
  target: string;
  region: string;
  status: 'open' | 'half-open';
  openedAt?: number;
  cooldownMs: number;
};

export interface Breakers {
  /**
   * Whether a send to (target, region) may go now. Once an open breaker's cool-down has passed this returns
   * true to exactly one caller, whose send is the probe: that caller must `record` its outcome, whatever
   * happens (a send that throws is a failure), or the breaker stays half-open.
   */
  usable(target: string, region: string): boolean;
  /** When a send that is not usable now should be tried again; undefined when it is usable. */
  retryAt(target: string, region: string): number | undefined;
  /** Feeds one PutEvents outcome (true = accepted) to the breaker of (target, region). */
  record(target: string, region: string, success: boolean): void;
  /** The breakers that are not closed, for metrics. */
  snapshot(): OpenBreaker[];
}

type Entry = { target: string; region: string; state: BreakerState };

/** An in-memory breaker per (target, region) for one router process, reading the time from `now`. */
export const createBreakers = (settings: BreakerSettings, now: () => number): Breakers => {
  const entries = new Map<string, Entry>();
  const entryOf = (target: string, region: string): Entry => {
    // Not `${target}#${region}`: a target named `a#b` in region `c` would share it with `a` in `b#c`.
    const key = JSON.stringify([target, region]);
    const existing = entries.get(key);
    if (existing) return existing;
    const created = { target, region, state: initialBreaker(settings) };
    entries.set(key, created);
    return created;
  };

  return {
    usable(target, region) {
      const entry = entryOf(target, region);
      const decision = canSend(entry.state, now());
      if (decision.probe) entry.state = markProbeSent(entry.state);
      return decision.allowed;
    },
    retryAt(target, region) {
      return canSend(entryOf(target, region).state, now()).retryAt;
    },
    record(target, region, success) {
      const entry = entryOf(target, region);
      entry.state = recordOutcome(entry.state, success, now(), settings);
    },
    snapshot() {
      return [...entries.values()].flatMap(({ target, region, state }): OpenBreaker[] =>
        state.status === 'closed'
          ? []
          : [{ target, region, status: state.status, openedAt: state.openedAt, cooldownMs: state.cooldownMs }],
      );
    },
  };
};
