import type { EventPattern } from '../event-pattern';
import type { KeyPath } from '../ingest/key-encoding';

export type { KeyPath };

export type DeliveryMode = 'local' | 'fanout' | 'pinned';

/** How events of one source are keyed, owned and confined. */
export interface SourcePolicy {
  source: string;
  tenant: string;
  /** The idempotency key's paths in order, e.g. [['detail', 'orderId']]; empty means the EventBridge event id. */
  keyPaths: readonly KeyPath[];
  /** How long a repeated key counts as a duplicate; absent means the source's retention (decision 012). */
  dedupeWindowMs?: number;
  residency: string;
}

export interface TenantPolicy {
  name: string;
  /** How long this tenant's events are kept; absent means the stage's retention for the source's zone. */
  retentionDays?: number;
}

export interface Target {
  name: string;
  buses: ReadonlyMap<string, string>;
  failover: readonly string[];
}

/** What of an event's detail a target receives: only the listed paths, or everything with the listed paths hashed. */
export type Projection = { kind: 'fields'; paths: readonly KeyPath[] } | { kind: 'redact'; paths: readonly KeyPath[] };

export interface Route {
  name: string;
  tenant: string;
  pattern: EventPattern;
  targets: readonly string[];
  mode: DeliveryMode;
  regions?: readonly string[];
  /** Absent means the target receives the whole detail. */
  projection?: Projection;
}

/** A validated, compiled routes catalog version: what ingest pins and route plans against. */
export interface Catalog {
  version: number;
  sources: ReadonlyMap<string, SourcePolicy>;
  tenants: ReadonlyMap<string, TenantPolicy>;
  zones: ReadonlyMap<string, readonly string[]>;
  targets: ReadonlyMap<string, Target>;
  routes: readonly Route[];
}

/** The stage's retention: a default, and per stage zone where it differs. */
export interface StageRetention {
  defaultDays: number;
  zoneDays?: Record<string, number>;
}

/** What the stage a catalog is published to allows: the catalog may only narrow it. */
export interface StageCeiling {
  /** The stage's name, used to point at `stages/<name>.yml` in messages. */
  name?: string;
  /** The stage's residency zones and their regions. */
  zones: Record<string, readonly string[]>;
  retention?: StageRetention;
  /** Per tenant, the sources the stage's publishers may send for it. */
  bindings?: Record<string, readonly string[]>;
}

/** Without a stage, a catalog is checked on its own (local tools and tests). */
export interface CompileOptions {
  stage?: StageCeiling;
}
