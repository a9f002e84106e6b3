import type { FaultRegistry } from '../faults/fault-registry';
import type { Partitions } from '../faults/partitions';
import type { FunctionInvoker } from '../lambda/function-invoker';
import type { QueueStore } from '../queues/queue-store';
import type { EventEnvelope } from './envelope';
import type { EventInspector } from './inspector';
import type { EventBridgeStore, Rule } from './store';
import { deliverToTarget } from './target-delivery';
import type { Timers } from './timers';

/** How an event reached a bus; bus-to-bus forwarding extends it. */
export interface IngestMeta {
  via: string;
  traceHeader?: string;
  /** Regions the event has been on, in order; AWS refuses a third. */
  regions: string[];
  hops: number;
}

export interface RouterDeps {
  store: EventBridgeStore;
  inspector: EventInspector;
  queues: QueueStore;
  faults: FaultRegistry;
  timers: Timers;
  invoker?: FunctionInvoker;
  partitions?: Partitions;
  retryTimeScale: number;
  random: () => number;
  now: () => Date;
}

/** Puts events on buses: records them, matches the enabled rules and starts deliveries in the background. */
export class EventRouter {
  constructor(private readonly deps: RouterDeps) {}

  /** False when the bus does not exist (the caller decides whether that is an error). */
  ingest(region: string, busName: string, envelope: EventEnvelope, meta: IngestMeta): boolean {
    const bus = this.deps.store.findBus(region, busName);
    if (!bus) return false;
    const matched = [...bus.rules.values()].filter(
      (rule) => isEnabled(rule) && rule.pattern?.matches(envelope) === true,
    );
    this.deps.inspector.recordEvent({
      region,
      bus: busName,
      envelope,
      receivedAt: this.deps.now().toISOString(),
      matchedRules: matched.map((r) => r.name),
      traceHeader: meta.traceHeader,
      via: meta.via,
    });
    for (const rule of matched) {
      for (const target of rule.targets.values()) {
        this.deps.inspector.track(
          this.startDelivery(rule, target.id, envelope, meta),
          `delivery ${region}/${busName}/${rule.name} → ${target.id}`,
        );
      }
    }
    return true;
  }

  /** Yields first so the PutEvents response is written before any target is called. */
  private async startDelivery(rule: Rule, targetId: string, envelope: EventEnvelope, meta: IngestMeta): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    const target = rule.targets.get(targetId);
    if (!target) return;
    await deliverToTarget(
      { ...this.deps, ingest: (r, b, e, m) => this.ingest(r, b, e, m) },
      { rule, target, envelope, meta },
    );
  }
}

const isEnabled = (rule: Rule): boolean => rule.state !== 'DISABLED';
