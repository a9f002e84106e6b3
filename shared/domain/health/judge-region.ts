/**
 * How one region judges another from one observation per health tick, with hysteresis so that a glitch
 * is not an outage and a flapping region does not flip between failed and healthy every tick.
 *
 *   healthy ──a miss, or a target bus failing──▶ degraded ──recoverAfterOks ok ticks in a row──▶ healthy
 *   healthy | degraded ──failAfterMisses misses within the last windowTicks──▶ failed
 *   failed ──recoverAfterOks ok ticks in a row──▶ recovering ──completeRecovery (after handback)──▶ healthy
 *   recovering ──failAfterMisses misses within the window──▶ failed
 *   any ──operator flag set──▶ fenced ──flag cleared──▶ recovering (failed if the window already says so)
 *
 * Target buses never make a region failed: a bad target is not a region failure (decision 014).
 */

export type RegionState = 'healthy' | 'degraded' | 'failed' | 'recovering' | 'fenced';

export type Observation = {
  /** The region observed. */
  region: string;
  at: number;
  /** Whether the observer could read the region's coord table. */
  reachable: boolean;
  /** Age of the region's latest heartbeat, written only when its own DynamoDB and ingress bus probes pass. */
  heartbeatAgeMs?: number;
  /** The region's latest probe results, read with its heartbeat. */
  probes?: { dynamodb: boolean; ingressBus: boolean; targetBuses: Record<string, boolean> };
};

export type Judgement = {
  region: string;
  state: RegionState;
  /** When the region entered its current state. */
  since: number;
  /** The last `windowTicks` ticks, oldest first; true = ok. */
  history: readonly boolean[];
  /** When the region last completed a recovery (handback done). */
  recoveredAt?: number;
};

export type HealthSettings = {
  /** M: how many recent ticks are remembered. */
  windowTicks: number;
  /** N: misses within the last M ticks that make a region failed. */
  failAfterMisses: number;
  /** Ok ticks in a row that end degraded, or take a failed region to recovering. */
  recoverAfterOks: number;
  /** A heartbeat older than this is a miss. */
  heartbeatStaleMs: number;
};

/**
 * Decision 013 on AWS: 3 misses of 5 ticks. A heartbeat is written every 10 s tick, so one older than two
 * ticks and the 5 s skew margin is stale. The local cloud ticks every second: pass `heartbeatStaleMs: 2_500`.
 */
export const DEFAULT_HEALTH_SETTINGS: Readonly<HealthSettings> = Object.freeze({
  windowTicks: 5,
  failAfterMisses: 3,
  recoverAfterOks: 3,
  heartbeatStaleMs: 25_000,
});

const checkSettings = (settings: HealthSettings): void => {
  const { windowTicks, failAfterMisses, recoverAfterOks } = settings;
  // Only the last windowTicks ticks are kept, so a longer run could never be counted.
  const fits = (count: number) => Number.isInteger(count) && count >= 1 && count <= windowTicks;
  if (!fits(failAfterMisses) || !fits(recoverAfterOks)) {
    throw new RangeError(
      `health settings need 1 ≤ failAfterMisses, recoverAfterOks ≤ windowTicks (${windowTicks}), ` +
        `got ${failAfterMisses} and ${recoverAfterOks}`,
    );
  }
};

const isMiss = (observation: Observation, settings: HealthSettings): boolean =>
  !observation.reachable ||
  observation.heartbeatAgeMs === undefined ||
  observation.heartbeatAgeMs > settings.heartbeatStaleMs ||
  observation.probes?.dynamodb === false ||
  observation.probes?.ingressBus === false;

const targetBusFailing = (observation: Observation): boolean =>
  Object.values(observation.probes?.targetBuses ?? {}).some((ok) => !ok);

const trailingOks = (history: readonly boolean[]): number => {
  const lastMiss = history.lastIndexOf(false);
  return history.length - 1 - lastMiss;
};

type Tick = { history: readonly boolean[]; ok: boolean; targetsOk: boolean; fenced: boolean };

const nextState = (previous: RegionState | undefined, tick: Tick, settings: HealthSettings): RegionState => {
  if (tick.fenced) return 'fenced';
  const failing = tick.history.filter((ok) => !ok).length >= settings.failAfterMisses;
  const recovered = trailingOks(tick.history) >= settings.recoverAfterOks;
  switch (previous) {
    case 'failed':
      return recovered ? 'recovering' : 'failed';
    case 'recovering':
    case 'fenced':
      return failing ? 'failed' : 'recovering';
    default:
      if (failing) return 'failed';
      if (!tick.ok || !tick.targetsOk) return 'degraded';
      return previous === 'degraded' && !recovered ? 'degraded' : 'healthy';
  }
};

/** Judges a region from its previous judgement and this tick's observation; `fenced` is the operator flag. */
export const judge = (
  previous: Judgement | undefined,
  observation: Observation,
  settings: HealthSettings,
  fenced: boolean,
): Judgement => {
  checkSettings(settings);
  if (previous && previous.region !== observation.region) {
    throw new RangeError(`an observation of ${observation.region} cannot update the judgement of ${previous.region}`);
  }
  const ok = !isMiss(observation, settings);
  const history = [...(previous?.history ?? []), ok].slice(-settings.windowTicks);
  const state = nextState(
    previous?.state,
    { history, ok, targetsOk: !targetBusFailing(observation), fenced },
    settings,
  );
  return {
    region: observation.region,
    state,
    since: previous && previous.state === state ? previous.since : observation.at,
    history,
    ...(previous?.recoveredAt === undefined ? {} : { recoveredAt: previous.recoveredAt }),
  };
};

/** Marks a recovering region healthy once replication has caught up and ownership was handed back; else a no-op. */
export const completeRecovery = (judgement: Judgement, now: number): Judgement =>
  judgement.state === 'recovering' ? { ...judgement, state: 'healthy', since: now, recoveredAt: now } : judgement;
