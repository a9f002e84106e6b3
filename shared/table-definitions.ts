/**
 * Every table, its keys, indexes and scope, in one place: serverless (stages/lib), the local
 * cloud and the adapters all name keys and indexes from here (docs/decisions/011-zone-scoped-storage.md).
 */
import { keyDigest, keyShard } from './domain/ingest/key-encoding';

/** Where a table's data may live. */
export type TableScope =
  /** A global table whose replicas are exactly one residency zone's regions. */
  | 'zone'
  /** A global table in every stage region; it holds no payload and no raw key. */
  | 'stage'
  /** One table per region, never replicated. */
  | 'region';

export type ZoneTableName = 'inbox' | 'ledger';
export type StageTableName = 'control' | 'quarantine' | 'coord';
export type LogicalTable = ZoneTableName | StageTableName;

export interface IndexDefinition {
  name: string;
  partitionKey: string;
  sortKey: string;
}

export interface TableDefinition {
  logical: LogicalTable;
  scope: TableScope;
  partitionKey: string;
  sortKey?: string;
  indexes: readonly IndexDefinition[];
  ttlAttribute?: string;
  /** Global tables need NEW_AND_OLD_IMAGES streams; the inbox stream also feeds route. */
  stream: boolean;
}

/** The ledger's indexes (all sharded: no partition is keyed by a region or a tenant alone). */
export const LEDGER_INDEX = {
  /** Every event row by `<home>#<shard>`, ordered by `receivedAt`: reconcile, replay and what-if windows. */
  received: { name: 'received', partitionKey: 'receivedShard', sortKey: 'receivedAt' },
  /** Event rows not yet settled, by `<home>#<shard>`, ordered by `due`: the sweeper. */
  sweep: { name: 'sweep', partitionKey: 'sweepShard', sortKey: 'due' },
  /** Parked delivery rows by `<tenant>#<shard>`, ordered by `parkedAt`: `parked list`. */
  parked: { name: 'parked', partitionKey: 'parkedShard', sortKey: 'parkedAt' },
} as const satisfies Record<string, IndexDefinition>;

export const TABLES: Readonly<Record<LogicalTable, TableDefinition>> = Object.freeze({
  inbox: { logical: 'inbox', scope: 'zone', partitionKey: 'id', indexes: [], ttlAttribute: 'expiresAt', stream: true },
  ledger: {
    logical: 'ledger',
    scope: 'zone',
    partitionKey: 'id',
    sortKey: 'sk',
    indexes: Object.values(LEDGER_INDEX),
    ttlAttribute: 'expiresAt',
    stream: true,
  },
  control: {
    logical: 'control',
    scope: 'stage',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [],
    ttlAttribute: 'expiresAt',
    stream: true,
  },
  quarantine: {
    logical: 'quarantine',
    scope: 'region',
    partitionKey: 'id',
    indexes: [],
    ttlAttribute: 'expiresAt',
    stream: false,
  },
  coord: { logical: 'coord', scope: 'region', partitionKey: 'pk', sortKey: 'sk', indexes: [], stream: false },
});

/** Tables that exist once per residency zone. */
export const ZONE_TABLES: readonly ZoneTableName[] = ['inbox', 'ledger'];
/** Tables that exist once per stage (control) or once per region (quarantine, coord). */
export const STAGE_TABLES: readonly StageTableName[] = ['control', 'quarantine', 'coord'];

/** A zone table's physical name, e.g. `switchyard-prod-eu-inbox`. */
export const zoneTableName = (stage: string, zone: string, logical: ZoneTableName): string =>
  `switchyard-${stage}-${zone}-${logical}`;

/** A stage or regional table's physical name, e.g. `switchyard-prod-control`. */
export const stageTableName = (stage: string, logical: StageTableName): string => `switchyard-${stage}-${logical}`;

/** Index partitions per home or tenant: enough to spread a region's write rate well past one partition's. */
export const INDEX_SHARDS = 8;

/** The sharded index partition of an event: `<home or tenant>#<n>`. */
export const shardOf = (owner: string, id: string): string => `${owner}#${keyShard(id, INDEX_SHARDS)}`;

/** Every shard partition of one home or tenant. */
export const allShards = (owner: string): string[] => Array.from({ length: INDEX_SHARDS }, (_, n) => `${owner}#${n}`);

/** Longest EventBridge event id the ledger keeps as it is, in UTF-8 bytes (AWS's are 36-byte UUIDs). */
const EVENT_ID_KEPT_BYTES = 256;

/**
 * An EventBridge event id as a ledger key or attribute holds it: as it is, or `sha256:<hex>` when a
 * direct invoke sent a longer one (a sort key holds at most 1,024 bytes, an item 400 KB).
 */
export const storedEventId = (eventId: string): string =>
  Buffer.byteLength(eventId, 'utf8') <= EVENT_ID_KEPT_BYTES ? eventId : `sha256:${keyDigest(eventId)}`;

/** Sort keys of the ledger rows of one event (partition key: the event's id). */
export const LEDGER_ROW = {
  /** One per region that accepted the event (two when a key was accepted in two regions at once). */
  event: (home: string): string => `event@${home}`,
  /** One per planned delivery and owner region, so two owners' deliveries both survive replication. */
  delivery: (to: string, owner: string): string => `${to}@${owner}`,
  /**
   * The record that a region's copy of a key lost to another region's (both accepted it inside the
   * replication window): one per losing home, written only by that home, so each repeat counts once.
   */
  duplicate: (lostHome: string): string => `duplicate@${lostHome}`,
  /** One per repeat that ingest dropped (its own EventBridge event id): the drop is counted once, by whoever writes it. */
  dropped: (eventId: string): string => `dropped@${storedEventId(eventId)}`,
} as const;

/**
 * Items of replay and reconcile jobs in a zone's ledger (they hold event keys, so they stay in the
 * zone): partitions that cannot collide with an event id, which starts `k1` or `h1:`.
 */
export const LEDGER_JOB = {
  /** The partition of a job's cursors and of its selection by event ids. */
  partition: (jobId: string): string => `job#${jobId}`,
  /** One cursor (and lock) per home: the part of the job a (zone, home) owner works. */
  part: (home: string): string => `part@${home}`,
  /** The event ids a job was started with. */
  selection: 'selection',
  /** The partition of a reconcile report's rows. */
  report: (reportId: string): string => `report#${reportId}`,
  /** One report row per (event, delivery): the key digest keeps the sort key short. */
  reportRow: (keyDigest: string, to: string): string => `${keyDigest}#${to}`,
} as const;

/** The prefix of every event row's sort key. */
export const EVENT_ROW_PREFIX = 'event@';

/** The zone of an inbox stream ARN (`arn:…:table/switchyard-<stage>-<zone>-inbox/stream/…`), or undefined. */
export const zoneOfInboxStream = (stage: string, arn: string): string | undefined => {
  const table = /:table\/([^/]+)\/stream\//.exec(arn)?.[1];
  const prefix = `switchyard-${stage}-`;
  if (!table?.startsWith(prefix) || !table.endsWith('-inbox')) return undefined;
  return table.slice(prefix.length, -'-inbox'.length) || undefined;
};
