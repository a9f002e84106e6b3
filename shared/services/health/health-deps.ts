import type { CoordTable, Heartbeat } from '../../adapters/coord-table';
import type { OutageRecord } from '../../adapters/control-table';
import type { QuorumStore } from '../../adapters/quorum-store';
import type { HealthSettings } from '../../domain/health';
import type { LogPort, MetricsPort } from '../telemetry';

/** A peer's coord table, read across regions (heartbeat and judgements) with a short timeout. */
export type PeerCoord = Pick<CoordTable, 'readHeartbeat' | 'readJudgements'>;

/** This region's own dependencies, probed every tick. */
export interface Probes {
  /** Writes and reads back an item in this region's DynamoDB. */
  dynamodb(): Promise<void>;
  /** Describes this region's ingress bus. */
  ingressBus(): Promise<void>;
  /** Describes every target bus in this region; true per bus that answered. */
  targetBuses(): Promise<Record<string, boolean>>;
}

/** The probe rows each region writes into every zone table it holds: seeing a peer's recent one means its writes reach us. */
export interface ReplicationProbes {
  write(zone: string, region: string, at: string): Promise<void>;
  read(zone: string): Promise<Record<string, string>>;
}

export interface HealthTiming extends HealthSettings {
  tickMs: number;
  leaseMs: number;
  marginMs: number;
  /** A peer's probe newer than this proves its replication to us has caught up. */
  catchUpMs: number;
}

export interface HealthDeps {
  region: string;
  regions: readonly string[];
  zones: ReadonlyMap<string, readonly string[]>;
  quorum: QuorumStore;
  coord: CoordTable;
  peer: (region: string) => PeerCoord;
  probes: Probes;
  replication: ReplicationProbes;
  recordOutage: (outage: OutageRecord) => Promise<void>;
  timing: HealthTiming;
  now: () => number;
  metrics: MetricsPort;
  log: LogPort;
}

/** What a heartbeat carries beyond the probes: what its peers need to decide takeover and handback. */
export interface HeartbeatExtras {
  /** Every live peer's recent probe row is visible here: replication to this region has caught up. */
  caughtUp: boolean;
  /** This region's last quorum operation reached a majority: it can hold leases. */
  quorumOk: boolean;
}

export type RegionHeartbeat = Heartbeat & Partial<HeartbeatExtras>;

/** Operator overrides per region, in the quorum store's `fences` register. */
export type FenceMode = 'fence' | 'drain';
export type Fences = Readonly<Record<string, { mode: FenceMode; at: string; by: string }>>;
export const FENCES_REGISTER = 'fences';
export const ROUTES_REGISTER = 'routes-active';
