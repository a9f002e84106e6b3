/**
 * The one source of truth for how Switchyard is deployed: resource names, the function list,
 * the inbox stream mappings, the ingress rule and its retry policy, async retries, schedules and
 * every function's environment. serverless.yml reads these through stages/derive.cjs, and the
 * local cloud deploys from the same values (test/package/local-drift.test.ts proves they agree).
 */
import { functionName, ingressBusName } from '../../shared/resource-names';
import { stageTableName, zoneTableName, type StageTableName, type ZoneTableName } from '../../shared/table-definitions';
import type { StageConfig } from './stage-file';

/** Every Lambda function of a region's stack. */
export const FUNCTIONS = ['ingest', 'route', 'sweeper', 'health', 'admin'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

/** Queue logical id → physical name suffix. */
export const QUEUES = {
  IngestDlq: 'ingest-dlq',
  IngestFailedQueue: 'ingest-failed',
  RouteFailedQueue: 'route-failed',
} as const;
export type QueueId = keyof typeof QUEUES;

/** The physical names of a stage's resources. */
export const stageNames = (stage: string) => ({
  service: `switchyard-${stage}`,
  function: (fn: FunctionName) => functionName(stage, fn),
  table: (logical: StageTableName) => stageTableName(stage, logical),
  zoneTable: (zone: string, logical: ZoneTableName) => zoneTableName(stage, zone, logical),
  queue: (id: QueueId) => `switchyard-${stage}-${QUEUES[id]}`,
  ingressBus: ingressBusName(stage),
  ingestRule: `switchyard-${stage}-ingest`,
  schedule: (fn: 'health' | 'sweeper') => `switchyard-${stage}-${fn}`,
});

/** The zones whose tables have a replica in `region`: the route function reads each one's inbox stream. */
export const zonesIn = (config: StageConfig, region: string): string[] =>
  Object.entries(config.residencyZones)
    .filter(([, regions]) => regions.includes(region))
    .map(([zone]) => zone);

/**
 * The route function's inbox stream mappings, one per zone table in the region. Up to 100 records
 * and no batching window: a router's latency matters more than fuller batches (PutEvents batching
 * happens per invocation). TRIM_HORIZON: a mapping created after the replica sees every record
 * still in the stream; the ledger makes the re-read idempotent. Retries are rare: route settles
 * every record itself and leaves retryable work to the sweeper (docs/decisions/014).
 */
export const ROUTE_STREAM_MAPPING = {
  batchSize: 100,
  maximumBatchingWindowInSeconds: 0,
  maximumRetryAttempts: 10,
  bisectBatchOnFunctionError: true,
  functionResponseType: 'ReportBatchItemFailures',
  startingPosition: 'TRIM_HORIZON',
} as const;

/** Route what this region ingested; MODIFY is a replicated overwrite, i.e. a duplicate to detect and count. */
export const routeFilterPatterns = (region: string) => [
  { eventName: ['INSERT'], dynamodb: { NewImage: { home: { S: [region] } } } },
  { eventName: ['MODIFY'] },
];

/**
 * The ingress rule: every event on the ingress bus goes to ingest, which validates and
 * quarantines and never drops. EventBridge retries a failed invoke for an hour, 20 times, then
 * dead-letters; Lambda's own async retries (INGEST_ASYNC_RETRIES) cover the handler throwing.
 */
export const INGEST_RULE = {
  pattern: { source: [{ prefix: '' }] },
  retryPolicy: { maximumEventAge: 3600, maximumRetryAttempts: 20 },
} as const;
export const INGEST_ASYNC_RETRIES = 2;
/** A missed health tick or sweep is superseded by the next invocation; retrying a stale one only adds noise. */
export const SCHEDULED_ASYNC_RETRIES = 0;

/** `rate(5 minutes)` → milliseconds. */
export const scheduleMs = (schedule: string): number => {
  const match = /^rate\((\d+) (minute|minutes|hour|hours)\)$/.exec(schedule);
  if (!match) throw new RangeError(`Unsupported schedule ${schedule}; use rate(N minutes) or rate(N hours)`);
  return Number(match[1]) * (match[2]?.startsWith('hour') ? 3_600_000 : 60_000);
};

/**
 * Timeouts in seconds. The scheduled functions loop for one schedule period (ticks or passes)
 * and stop a tick early, so an invocation never overlaps the next by design.
 */
export const functionTimeouts = (config: StageConfig): Record<FunctionName, number> => ({
  ingest: 10,
  route: 60,
  sweeper: Math.min(900, scheduleMs(config.sweeper.schedule) / 1000 + 30),
  health: Math.min(900, scheduleMs(config.health.schedule) / 1000 + 30),
  admin: 300,
});

/** The 12-digit account of a principal ARN, or the pseudo parameter that stands for it. */
const accountOf = (principal: string): string => principal.split(':')[4] ?? '';

/** Environment variables the functions read (shared/config.ts validates them). */
export const functionEnvironment = (stage: string, config: StageConfig): Record<string, string> => {
  const names = stageNames(stage);
  const bindings = Object.fromEntries(
    Object.entries(config.publishers).map(([tenant, b]) => [
      tenant,
      { sources: b.sources, accounts: [...new Set(b.principals.map(accountOf))] },
    ]),
  );
  return {
    STAGE: stage,
    STAGE_REGIONS: config.regions.join(','),
    PRIMARY_REGION: config.primaryRegion,
    ZONES: JSON.stringify(config.residencyZones),
    TENANT_BINDINGS: JSON.stringify(bindings),
    ROUTES_CACHE_TTL_SECONDS: String(config.limits.routesCacheTtlSeconds),
    MAX_EVENT_BYTES: String(config.limits.maxEventBytes),
    HOP_LIMIT: String(config.limits.hopLimit),
    RETENTION_DAYS: String(config.retentionDays),
    ZONE_RETENTION_DAYS: JSON.stringify(config.zoneRetentionDays ?? {}),
    HEALTH_TICK_MS: String(config.health.tickSeconds * 1000),
    HEALTH_RUN_MS: String(scheduleMs(config.health.schedule)),
    LEASE_MS: String(config.health.leaseSeconds * 1000),
    LEASE_MARGIN_MS: String(config.health.skewMarginSeconds * 1000),
    REGION_TIMEOUT_MS: String(config.health.regionTimeoutMs),
    SWEEP_PASS_MS: String(config.sweeper.passSeconds * 1000),
    SWEEP_RUN_MS: String(scheduleMs(config.sweeper.schedule)),
    SWEEP_GRACE_MS: String(config.sweeper.graceSeconds * 1000),
    CLAIM_TIMEOUT_MS: String(config.sweeper.claimTimeoutSeconds * 1000),
    WAITING_HORIZON_MS: String(config.sweeper.waitingHorizonHours * 3_600_000),
    INGRESS_BUS_NAME: names.ingressBus,
    POWERTOOLS_SERVICE_NAME: names.service,
    POWERTOOLS_METRICS_NAMESPACE: 'Switchyard',
    POWERTOOLS_LOG_LEVEL: config.logLevel,
    NODE_OPTIONS: '--enable-source-maps',
  };
};
