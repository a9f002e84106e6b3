import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createInboxTable } from '../../shared/adapters/inbox-table';
import { createQuarantineTable } from '../../shared/adapters/quarantine-table';
import { createControlTable } from '../../shared/adapters/control-table';
import { createDocumentClient } from '../../shared/clients';
import { readConfig } from '../../shared/config';
import { buildOnFirstCall, withMiddleware } from '../../shared/middleware';
import { logger, metrics } from '../../shared/observability';
import { createCatalogProvider } from '../../shared/services/catalog-provider';
import { ingestEvent, type IngestDeps, type IngestOutcome } from '../../shared/services/ingest-event';

/** The ingest function: one EventBridge event from the ingress rule into the inbox (or quarantine). */
export const createHandler =
  (deps: IngestDeps) =>
  async (event: unknown): Promise<IngestOutcome> => {
    const outcome = await ingestEvent(event, deps);
    if (outcome.outcome === 'quarantined')
      logger.warn('event quarantined', { reason: outcome.reason, detail: outcome.message });
    else
      logger.info(`event ${outcome.outcome}`, {
        idempotencyKey: outcome.id,
        routesVersion: outcome.routesVersion,
        home: deps.region,
      });
    return outcome;
  };

const defaultDeps = (): IngestDeps => {
  const config = readConfig(process.env);
  const client = createDocumentClient(config);
  const control = createControlTable({ client, tableName: config.tables.control });
  return {
    region: config.region,
    catalogs: createCatalogProvider({ control, ttlMs: config.routesCacheTtlMs, now: Date.now }),
    inbox: createInboxTable({ client, tableName: config.tables.inbox }),
    quarantine: createQuarantineTable({ client, tableName: config.tables.quarantine }),
    now: () => new Date(),
    newId: randomUUID,
    maxEventBytes: config.maxEventBytes,
    retentionDays: config.retentionDays,
    count: (metric, value) => metrics.addMetric(metric, MetricUnit.Count, value),
  };
};

export const handler = withMiddleware(buildOnFirstCall(defaultDeps, createHandler));
