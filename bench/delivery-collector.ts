import type { Catalog } from '../shared/domain/catalog';
import type { EventInspector, RecordedEvent } from '../local/eventbridge/inspector';

/** One event that reached a target bus, tied back to the workload key it carries. */
export interface Arrival {
  key: string;
  to: string;
  receivedAtMs: number;
}

/** Reads the idempotency key from a delivered event by its source's key path in the catalog (both sides keep detail unchanged). */
export const workloadKeyOf = (catalog: Catalog, envelope: { source: string; detail: unknown }): string | undefined => {
  // The workload's key is the first key component (a composite key adds a version to the same customer id).
  const path = catalog.sources.get(envelope.source)?.keyPaths[0] ?? [];
  let value: unknown = envelope;
  for (const segment of path)
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[segment] : undefined;
  return typeof value === 'string' ? value : undefined;
};

/**
 * Collects arrivals on the given buses for the given keys as they happen. Listening, rather than
 * listing the inspector on every poll, keeps the bench's own cost flat as deliveries grow.
 */
export class DeliveryCollector {
  readonly arrivals: Arrival[] = [];
  private readonly unsubscribe: () => void;

  constructor(
    inspector: EventInspector,
    catalog: Catalog,
    keys: ReadonlySet<string>,
    isTargetBus: (bus: string) => boolean,
  ) {
    this.unsubscribe = inspector.onEvent((event: RecordedEvent) => {
      if (!isTargetBus(event.bus)) return;
      const key = workloadKeyOf(catalog, event.envelope);
      if (key === undefined || !keys.has(key)) return;
      this.arrivals.push({ key, to: `${event.bus}#${event.region}`, receivedAtMs: Date.parse(event.receivedAt) });
    });
  }

  get count(): number {
    return this.arrivals.length;
  }

  /** Resolves once `expected` arrivals are in, or after the timeout (the report then shows the shortfall). */
  async until(expected: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.count < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    return this.count >= expected;
  }

  stop(): void {
    this.unsubscribe();
  }
}
