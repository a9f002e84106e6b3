import { randomUUID } from 'node:crypto';
import { createQuarantineTable } from '../../shared/adapters/quarantine-table';
import { readConfig } from '../../shared/config';
import { buildOnFirstCall, withMiddleware } from '../../shared/middleware';
import { powertoolsLog, powertoolsMetrics } from '../../shared/observability';
import { ingestEvent, type IngestDeps, type IngestOutcome } from '../../shared/services/ingest-event';
import { catalogsFor, controlFor, localClientFor, quorumStoreFor, zoneTablesFor } from '../../shared/wiring';

/** The ingest function: one EventBridge event from the ingress rule into its zone's inbox (or this region's quarantine). */
export const createHandler =
  (deps: IngestDeps) =>
  async (event: unknown): Promise<IngestOutcome> => {
    const outcome = await ingestEvent(event, deps);
    if (outcome.outcome === 'quarantined')
      deps.log.warn('event quarantined', { reason: outcome.reason, detail: outcome.message });
    else
      deps.log.info(`event ${outcome.outcome}`, {
        keyDigest: outcome.keyDigest,
        zone: outcome.zone,
        routesVersion: outcome.routesVersion,
        home: deps.region,
      });
    return outcome;
  };

const defaultDeps = (): IngestDeps => {
  const config = readConfig(process.env);
  const client = localClientFor(config);
  const zones = zoneTablesFor(config, client);
  return {
    region: config.region,
    catalogs: catalogsFor(config, controlFor(config, client), quorumStoreFor(config)),
    inbox: zones.inbox,
    ledger: zones.ledger,
    quarantine: createQuarantineTable({ client, tableName: config.tables.quarantine }),
    now: () => new Date(),
    newId: randomUUID,
    maxEventBytes: config.maxEventBytes,
    retention: config.retention,
    bindings: config.bindings,
    hopLimit: config.hopLimit,
    sweepGraceMs: config.sweeper.graceMs,
    // Lambda sets the invocation's trace header here (active or pass-through tracing).
    traceHeader: () => process.env._X_AMZN_TRACE_ID,
    metrics: powertoolsMetrics,
    log: powertoolsLog,
  };
};

export const handler = withMiddleware(buildOnFirstCall(defaultDeps, createHandler));
