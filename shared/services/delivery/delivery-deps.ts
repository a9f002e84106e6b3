import type { EventBusPublisher } from '../../adapters/event-bus';
import type { EventRowInput, LedgerRows, LedgerTable } from '../../adapters/ledger-table';
import type { BackoffPolicy } from '../../domain/delivery/backoff';
import type { Breakers } from '../../domain/delivery/breaker-registry';
import type { InboxItem } from '../../domain/ingest/ingress-event';
import type { CatalogProvider } from '../catalog-provider';
import type { OwnershipView } from '../ownership-view';
import type { LogPort, MetricsPort } from '../telemetry';

/** The lease under which this router works on one (zone, home). */
export interface Ownership {
  zone: string;
  home: string;
  epoch: number;
  /** When this epoch began: an event received earlier may have been handled by the previous owner. */
  since: string;
  /**
   * When this region's right to route ends, on its own clock (ms): no claim is made and no claimed
   * delivery is sent from then on, however long ago the ownership was read. Absent only where the
   * caller fences otherwise (unit tests of the pure steps).
   */
  validUntil?: number;
}

/** One event to drive to settled. */
export interface EventWork {
  item: InboxItem;
  ownership: Ownership;
  /** Every ledger row of the event, when the caller read them (sweeper, takeover, replay). */
  rows?: LedgerRows;
  /**
   * The event row to settle when the pass ends: the one the sweeper picked up, which may belong to
   * another home's acceptance of the same key (the cross-region window). Default: the item's own.
   */
  row?: EventRowInput;
  /** A replay job sending this work: its deliveries carry `switchyard:replay:<job>`. */
  replayJob?: string;
  /** Replay `force`: deliver again on fresh rows of the job, even what is already delivered. */
  force?: boolean;
}

export interface DeliverySettings {
  /** How long a claim holds before another worker may take it over (longer than an invocation). */
  claimTtlMs: number;
  maxBatchBytes: number;
  /** PutEvents rounds within one invocation for transient failures. */
  maxRounds: number;
  backoff: BackoffPolicy;
  /** Backoff of a waiting delivery between sweeps, by attempt. */
  waitBackoff: BackoffPolicy;
  /** A delivery waiting longer than this since its first attempt is parked and reported. */
  waitingHorizonMs: number;
  /** A catalog version missing for less than this after the event was received is a replication lag, not an error. */
  catalogGraceMs: number;
}

export interface DeliveryDeps {
  /** This router's region: the owner of every claim it makes. */
  region: string;
  ledger: LedgerTable;
  bus: EventBusPublisher;
  catalogs: CatalogProvider;
  breakers: Breakers;
  /** Whether a region is healthy enough to deliver to (from the health function's judgement). */
  regionUsable: (region: string) => boolean;
  metrics: MetricsPort;
  log: LogPort;
  now: () => Date;
  newToken: () => string;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  settings: DeliverySettings;
  /** What this region may route now: a claim or send whose lease outlived its read asks again. */
  ownership?: Pick<OwnershipView, 'current'>;
}

/** Where one planned delivery stands after a pass. */
export interface DeliveryState {
  to: string;
  status: 'delivered' | 'parked' | 'waiting' | 'held';
  /** When to look again (waiting, held). */
  due?: string;
  reason?: string;
}

/** What a pass did with one event. */
export interface EventResult {
  id: string;
  zone: string;
  home: string;
  settled: boolean;
  due?: string;
  deliveries: DeliveryState[];
  /** Why the event could not be planned (it is parked as unroutable, or left for later). */
  problem?: string;
}
