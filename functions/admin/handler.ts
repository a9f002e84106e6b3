import { randomUUID } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { createCoordTable } from '../../shared/adapters/coord-table';
import { createFailureQueues } from '../../shared/adapters/failure-queues';
import { createQuarantineTable } from '../../shared/adapters/quarantine-table';
import { createRemoteDocumentClients } from '../../shared/clients';
import { ConfigError, readConfig, type RouterConfig } from '../../shared/config';
import { buildOnFirstCall, withMiddleware } from '../../shared/middleware';
import { powertoolsLog } from '../../shared/observability';
import type { AdminDeps } from '../../shared/services/admin/admin-deps';
import { runAdmin, type AdminResponse } from '../../shared/services/admin/run-admin';
import { createCallerVerifier } from '../../shared/services/admin/verify-caller';
import { ingestEvent } from '../../shared/services/ingest-event';
import { QUEUES, stageNames, type QueueId } from '../../stages/lib/deployment-settings';
import { controlFor, ingestDepsFor, localClientFor, quorumStoreFor, zoneTablesFor } from '../../shared/wiring';

/** The admin function (direct invoke by operator roles only): one action from the registry per call, every call audited. */
export const createHandler =
  (deps: AdminDeps & { requestId?: { current?: string } }) =>
  async (event: unknown, context?: Context): Promise<AdminResponse> => {
    if (deps.requestId) deps.requestId.current = context?.awsRequestId;
    const response = await runAdmin(event, deps);
    if (response.ok) deps.log.info('admin action done', { action: response.action });
    else deps.log.warn('admin action refused', { action: response.action, code: response.error.code });
    return response;
  };

/** Failure queue → its logical id in the stage (the physical name comes from there). */
const QUEUE_IDS = Object.fromEntries(Object.entries(QUEUES).map(([id, suffix]) => [suffix, id])) as Record<
  (typeof QUEUES)[QueueId],
  QueueId
>;

/** The SQS client for this region's failure queues; the local cloud points it at its SQS endpoint. */
const sqsClientFor = (config: RouterConfig): SQSClient => {
  const endpoint = process.env.SQS_ENDPOINT?.trim();
  if (endpoint && !/^https?:\/\/\S+$/.test(endpoint))
    throw new ConfigError('SQS_ENDPOINT', `must be an http(s) URL, got "${endpoint}"`);
  return new SQSClient({ region: config.region, ...(endpoint ? { endpoint } : {}) });
};

const defaultDeps = (): AdminDeps & { requestId: { current?: string } } => {
  const config = readConfig(process.env);
  const client = localClientFor(config);
  const remote = createRemoteDocumentClients(config);
  const zones = zoneTablesFor(config, client);
  const quorum = quorumStoreFor(config);
  // Redrive ingests a dead-lettered event again through this region's own ingest path, dedupe included.
  const redriveDeps = ingestDepsFor(config, client, quorum);
  const requestId: { current?: string } = {};
  const stsEndpoint = process.env.STS_ENDPOINT?.trim();
  return {
    requestId,
    region: config.region,
    stage: config.stage,
    regions: config.stageRegions,
    zones: config.zones,
    compileOptions: {
      stage: {
        name: config.stage,
        zones: Object.fromEntries(config.zones),
        retention: { defaultDays: config.retention.defaultDays, zoneDays: config.retention.zoneDays },
        bindings: Object.fromEntries([...config.bindings].map(([tenant, b]) => [tenant, [...b.sources]])),
      },
    },
    control: controlFor(config, client),
    quorum,
    inbox: zones.inbox,
    ledger: zones.ledger,
    quarantineOf: (region) =>
      createQuarantineTable({
        client: region === config.region ? client : remote(region),
        tableName: config.tables.quarantine,
      }),
    peerCoord: (region) =>
      createCoordTable({ client: region === config.region ? client : remote(region), tableName: config.tables.coord }),
    verifyCaller: createCallerVerifier({
      region: config.region,
      ...(stsEndpoint ? { stsEndpoint } : {}),
      requestId: () => requestId.current,
    }),
    failureQueues: createFailureQueues({
      client: sqsClientFor(config),
      queueName: (queue) => stageNames(config.stage).queue(QUEUE_IDS[queue]),
    }),
    ingest: (event) => ingestEvent(event, redriveDeps),
    dryRunWaitMs: 240_000,
    now: () => new Date(),
    newId: randomUUID,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    log: powertoolsLog,
  };
};

export const handler = withMiddleware(buildOnFirstCall(defaultDeps, createHandler));
