/**
 * The one metrics port and the one log port every service writes through. The handlers back them
 * with Powertools (EMF metrics flushed per invocation, JSON logs); tests use the in-memory ones.
 * Every metric a dashboard widget or alarm names is one of these (test/package/operations.test.ts).
 */

/** Counters. */
export type CountMetric =
  | 'Ingested'
  | 'DuplicateDropped'
  | 'IngestRetried'
  | 'Quarantined'
  | 'TraceResourcesStripped'
  | 'Routed'
  | 'Delivered'
  | 'DeliveredElsewhere'
  | 'DeliveryRetried'
  | 'Redelivered'
  | 'FailedOver'
  | 'Waiting'
  | 'Parked'
  | 'Replayed'
  | 'AlreadySettled'
  | 'ClaimHeld'
  | 'ClaimLost'
  | 'DuplicateDetected'
  | 'PutEventsCalls'
  | 'NotOwned'
  | 'Swept'
  | 'RegionUnhealthy'
  | 'LeaseAcquired'
  | 'LeaseLost'
  | 'LeaseRenewUnanswered'
  | 'RoutesPointerUnanswered'
  | 'BreakerOpen';

/** Durations and ages, in milliseconds. */
export type TimingMetric =
  'EndToEndLatencyMs' | 'SweeperLagMs' | 'ReplicationLagMs' | 'ProbeDynamoDbMs' | 'ProbeEventBridgeMs';

export interface MetricsPort {
  count(metric: CountMetric, value?: number): void;
  timing(metric: TimingMetric, ms: number): void;
  /** Publishes what was counted so far (long-running scheduled functions flush after each pass, not at the end). */
  flush(): void;
}

/** Correlation keys every log line about an event carries (never its payload or raw key). */
export interface EventKeys {
  eventId?: string;
  keyDigest?: string;
  home?: string;
  zone?: string;
  routesVersion?: number;
  epoch?: number;
}

export interface LogPort {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** Logs with the event's correlation keys appended (Powertools appendKeys), then removes them. */
  forEvent(keys: EventKeys, level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void;
}

/** Metrics kept in memory: for tests and the local status line. */
export const createCountingMetrics = (): MetricsPort & {
  counts: Map<CountMetric, number>;
  timings: Map<TimingMetric, number[]>;
} => {
  const counts = new Map<CountMetric, number>();
  const timings = new Map<TimingMetric, number[]>();
  return {
    counts,
    timings,
    count: (metric, value = 1) => counts.set(metric, (counts.get(metric) ?? 0) + value),
    timing: (metric, ms) => timings.set(metric, [...(timings.get(metric) ?? []), ms]),
    flush: () => undefined,
  };
};

/** A log that keeps its lines in memory, for tests. */
export const createMemoryLog = (): LogPort & {
  lines: Array<{ level: string; message: string; fields: Record<string, unknown> }>;
} => {
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
  const write =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      lines.push({ level, message, fields });
  return {
    lines,
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    forEvent: (keys, level, message, fields = {}) => lines.push({ level, message, fields: { ...keys, ...fields } }),
  };
};
