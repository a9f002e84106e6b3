import { measureJson, safeStringify } from '../../shared/domain/json-shape';
import type { EventEnvelope } from './envelope';
import { RingBuffer } from './ring-buffer';

/** One event accepted on a bus, as the inspection API shows it. */
export interface RecordedEvent {
  /** Order of arrival across all buses; receivedAt alone ties within a millisecond. */
  sequence: number;
  region: string;
  bus: string;
  envelope: EventEnvelope;
  receivedAt: string;
  matchedRules: string[];
  traceHeader?: string;
  /** `PutEvents`, or the ARN of the rule that forwarded the event from another bus. */
  via: string;
}

/**
 * Levels of a recorded event the inspection API lists. JSON.stringify recurses per level and overflows the stack a
 * few thousand levels down, while a 256 KB detail can nest a hundred thousand: deeper levels are listed as a marker.
 */
export const INSPECTABLE_DEPTH = 512;

/** The event itself when it is shallow enough to serialize, else a copy with its deepest levels marked. */
export const toInspectable = (event: RecordedEvent): RecordedEvent => {
  const limits = { maxDepth: INSPECTABLE_DEPTH, maxBytes: Number.POSITIVE_INFINITY };
  if (measureJson(event, limits).ok) return event;
  return JSON.parse(safeStringify(event, { ...limits, maxChars: Number.POSITIVE_INFINITY })) as RecordedEvent;
};

/** Delivery counters of one rule target. */
export interface DeliveryStats {
  region: string;
  bus: string;
  rule: string;
  ruleArn: string;
  targetId: string;
  targetArn: string;
  attempts: number;
  successes: number;
  failures: number;
  retries: number;
  deadLettered: number;
  dropped: number;
  lastError?: { code: string; message: string; at: string };
}

export interface EventQuery {
  region?: string;
  bus?: string;
  source?: string;
  limit?: number;
}

/** Records what reached each bus and what happened to each delivery, and tracks work in flight. */
export class EventInspector {
  private readonly events = new Map<string, RingBuffer<RecordedEvent>>();
  private readonly deliveries = new Map<string, DeliveryStats>();
  /** Background work (a delivery and its retries), with what it is, for a wait that runs out. */
  private readonly inFlight = new Map<Promise<unknown>, string>();
  private readonly listeners = new Set<(event: RecordedEvent) => void>();
  /** Entries addressed to a custom bus that does not exist: AWS accepts and drops them. */
  droppedForMissingBus = 0;
  private sequence = 0;

  constructor(readonly capacityPerBus = 10_000) {}

  recordEvent(fields: Omit<RecordedEvent, 'sequence'>): void {
    const event = { sequence: (this.sequence += 1), ...fields };
    const key = `${event.region}|${event.bus}`;
    let buffer = this.events.get(key);
    if (!buffer) {
      buffer = new RingBuffer(this.capacityPerBus);
      this.events.set(key, buffer);
    }
    buffer.push(event);
    for (const listener of this.listeners) {
      // A drill's listener must never turn an accepted PutEvents into a 500.
      try {
        listener(event);
      } catch (error) {
        console.error('inspector listener failed:', error);
      }
    }
  }

  /** Calls `listener` synchronously for every event accepted from now on (before PutEvents answers); returns an unsubscribe. */
  onEvent(listener: (event: RecordedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Matching events, newest last; `limit` keeps the newest ones. */
  listEvents(query: EventQuery = {}): RecordedEvent[] {
    const matches = [...this.events.entries()]
      .filter(([key]) => keyMatches(key, query))
      .flatMap(([, buffer]) => buffer.toArray())
      .filter((e) => query.source === undefined || e.envelope.source === query.source)
      .sort((a, b) => a.sequence - b.sequence);
    return query.limit === undefined ? matches : matches.slice(-query.limit);
  }

  /** Events overwritten by the ring buffers, per `region|bus`. */
  droppedCounts(): Record<string, number> {
    return Object.fromEntries(
      [...this.events.entries()].filter(([, b]) => b.dropped > 0).map(([k, b]) => [k, b.dropped]),
    );
  }

  clearEvents(): void {
    this.events.clear();
    this.droppedForMissingBus = 0;
  }

  /** The counters of one target, created on first use. */
  deliveryStats(
    base: Omit<DeliveryStats, 'attempts' | 'successes' | 'failures' | 'retries' | 'deadLettered' | 'dropped'>,
  ): DeliveryStats {
    const key = `${base.ruleArn}|${base.targetId}`;
    let stats = this.deliveries.get(key);
    if (!stats) {
      stats = { ...base, attempts: 0, successes: 0, failures: 0, retries: 0, deadLettered: 0, dropped: 0 };
      this.deliveries.set(key, stats);
    }
    return stats;
  }

  listDeliveries(): DeliveryStats[] {
    return [...this.deliveries.values()].map((s) => ({ ...s }));
  }

  /** Registers background work so idle() waits for it; work that rejects is reported, never silently lost. */
  track(work: Promise<unknown>, what = 'background work'): void {
    this.inFlight.set(work, what);
    const done = (): void => void this.inFlight.delete(work);
    void work.then(done, (error: unknown) => {
      done();
      console.error('eventbridge: background work failed:', error);
    });
  }

  /**
   * Resolves once no delivery is in flight, including deliveries started while waiting. After
   * `timeoutMs` it fails instead, naming what is still in flight and each target's last error.
   */
  async idle(timeoutMs = Number.POSITIVE_INFINITY): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`EventBridge work still in flight after ${timeoutMs} ms: ${this.describeInFlight()}`);
      let timer: NodeJS.Timeout | undefined;
      const timeUp = new Promise((resolve) => (timer = setTimeout(resolve, left)));
      await Promise.race([Promise.allSettled([...this.inFlight.keys()]), timeUp]).finally(() => clearTimeout(timer));
    }
  }

  private describeInFlight(): string {
    const counts = new Map<string, number>();
    for (const what of this.inFlight.values()) counts.set(what, (counts.get(what) ?? 0) + 1);
    const work = [...counts].map(([what, n]) => `${n} × ${what}`);
    const errors = [...this.deliveries.values()].flatMap((s) =>
      s.lastError
        ? [
            `${s.region}/${s.rule}/${s.targetId}: ${s.attempts} attempts, last ${s.lastError.code} ${s.lastError.message} at ${s.lastError.at}`,
          ]
        : [],
    );
    return `${work.join('; ')}${errors.length > 0 ? `; last errors: ${errors.join('; ')}` : ''}`;
  }
}

const keyMatches = (key: string, query: EventQuery): boolean => {
  const [region, bus] = key.split('|');
  return (query.region === undefined || region === query.region) && (query.bus === undefined || bus === query.bus);
};
