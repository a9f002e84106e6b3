import type { EventPattern } from '../event-pattern';

export type DeliveryMode = 'local' | 'fanout' | 'pinned';

/** How events of one source are keyed, owned and confined. */
export interface SourcePolicy {
  source: string;
  tenant: string;
  /** Path segments of the idempotency key, e.g. ['detail', 'orderId']; undefined means the event id. */
  keyPath?: readonly string[];
  residency: string;
}

export interface Target {
  name: string;
  buses: ReadonlyMap<string, string>;
  failover: readonly string[];
}

export interface Route {
  name: string;
  tenant: string;
  pattern: EventPattern;
  targets: readonly string[];
  mode: DeliveryMode;
  regions?: readonly string[];
}

/** A validated, compiled routes catalog version: what ingest pins and route plans against. */
export interface Catalog {
  version: number;
  sources: ReadonlyMap<string, SourcePolicy>;
  zones: ReadonlyMap<string, readonly string[]>;
  targets: ReadonlyMap<string, Target>;
  routes: readonly Route[];
}
