import { randomUUID } from 'node:crypto';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { createControlTable } from '../../shared/adapters/control-table';
import { createEventBusPublisher } from '../../shared/adapters/event-bus';
import { createLedgerTable } from '../../shared/adapters/ledger-table';
import { createDocumentClient, createEventBridgeClients } from '../../shared/clients';
import { readConfig } from '../../shared/config';
import { buildOnFirstCall, withMiddleware } from '../../shared/middleware';
import { logger, powertoolsSink } from '../../shared/observability';
import { createCatalogProvider } from '../../shared/services/catalog-provider';
import { routeRecords, type RouteDeps } from '../../shared/services/route-records';

/** The route function: one inbox stream batch in, every planned delivery sent once, failures reported per record. */
export const createHandler =
  (deps: RouteDeps) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const failed = await routeRecords(event.Records, deps);
    if (failed.length > 0) logger.warn('records left for retry', { count: failed.length, region: deps.region });
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  };

const defaultDeps = (): RouteDeps => {
  const config = readConfig(process.env);
  const client = createDocumentClient(config);
  const control = createControlTable({ client, tableName: config.tables.control });
  const regions = new Set(config.stageRegions);
  return {
    region: config.region,
    control,
    catalogs: createCatalogProvider({ control, ttlMs: config.routesCacheTtlMs, now: Date.now }),
    ledger: createLedgerTable({ client, tableName: config.tables.ledger }),
    bus: createEventBusPublisher({ clientFor: createEventBridgeClients(config) }),
    availableRegions: () => regions,
    now: () => new Date(),
    newToken: randomUUID,
    random: Math.random,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    metrics: powertoolsSink,
    retentionDays: config.retentionDays,
    maxBatchBytes: config.maxEventBytes,
    maxRounds: 4,
    backoff: { baseMs: 50, capMs: 1_000 },
  };
};

export const handler = withMiddleware(buildOnFirstCall(defaultDeps, createHandler));
