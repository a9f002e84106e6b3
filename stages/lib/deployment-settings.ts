/**
 * The one source of truth for how Switchyard is deployed: resource names, the function list,
 * the inbox stream mapping, the ingress rule and its retry policy, async retries, schedules and
 * every function's environment. serverless.yml reads these through stages/derive.cjs, and the
 * local cloud deploys from the same values (test/package/local-drift.test.ts proves they agree).
 */
import { physicalTableName, type TableDefinition } from '../../shared/table-definitions';
import type { StageConfig } from './stage-file';

/** Every Lambda function of a region's stack. */
export const FUNCTIONS = ['ingest', 'route', 'health', 'admin'] as const;
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
  function: (fn: FunctionName) => `switchyard-${stage}-${fn}`,
  table: (logical: TableDefinition['logical']) => physicalTableName(stage, logical),
  queue: (id: QueueId) => `switchyard-${stage}-${QUEUES[id]}`,
  ingressBus: `switchyard-${stage}-ingress`,
  ingestRule: `switchyard-${stage}-ingest`,
  healthSchedule: `switchyard-${stage}-health`,
});

/**
 * The route function's inbox stream mapping. Up to 100 records and no batching window: a router's
 * latency matters more than fuller batches (PutEvents batching happens per invocation).
 * TRIM_HORIZON: a region whose mapping is created after the replica sees every record still in
 * the stream; the ledger makes the re-read idempotent.
 */
export const ROUTE_STREAM_MAPPING = {
  batchSize: 100,
  maximumBatchingWindowInSeconds: 0,
  maximumRetryAttempts: 10,
  bisectBatchOnFunctionError: true,
  functionResponseType: 'ReportBatchItemFailures',
  startingPosition: 'TRIM_HORIZON',
} as const;

/** Route what this region owns; MODIFY is a replicated overwrite, i.e. a duplicate to detect and count. */
export const routeFilterPatterns = (region: string) => [
  { eventName: ['INSERT'], dynamodb: { NewImage: { owner: { S: [region] } } } },
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
/** A missed health probe is superseded by the next one; retrying a stale one only adds noise. */
export const HEALTH_ASYNC_RETRIES = 0;

/** Environment variables the functions read (shared/config.ts validates them). */
export const functionEnvironment = (stage: string, config: StageConfig): Record<string, string> => {
  const names = stageNames(stage);
  return {
    STAGE: stage,
    STAGE_REGIONS: config.regions.join(','),
    PRIMARY_REGION: config.primaryRegion,
    INBOX_TABLE: names.table('inbox'),
    LEDGER_TABLE: names.table('ledger'),
    CONTROL_TABLE: names.table('control'),
    QUARANTINE_TABLE: names.table('quarantine'),
    INGRESS_BUS_NAME: names.ingressBus,
    ROUTES_CACHE_TTL_SECONDS: String(config.limits.routesCacheTtlSeconds),
    MAX_EVENT_BYTES: String(config.limits.maxEventBytes),
    RETENTION_DAYS: String(config.retentionDays),
    POWERTOOLS_SERVICE_NAME: names.service,
    POWERTOOLS_METRICS_NAMESPACE: 'Switchyard',
    POWERTOOLS_LOG_LEVEL: config.logLevel,
    NODE_OPTIONS: '--enable-source-maps',
  };
};

/** `rate(5 minutes)` → milliseconds. */
export const scheduleMs = (schedule: string): number => {
  const match = /^rate\((\d+) (minute|minutes|hour|hours)\)$/.exec(schedule);
  if (!match) throw new RangeError(`Unsupported schedule ${schedule}; use rate(N minutes) or rate(N hours)`);
  return Number(match[1]) * (match[2]?.startsWith('hour') ? 3_600_000 : 60_000);
};
