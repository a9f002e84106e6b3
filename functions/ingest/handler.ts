import { readConfig } from '../../shared/config';
import { buildOnFirstCall, withMiddleware } from '../../shared/middleware';
import { ingestEvent, type IngestDeps, type IngestOutcome } from '../../shared/services/ingest-event';
import { ingestDepsFor, localClientFor, quorumStoreFor } from '../../shared/wiring';

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
  return {
    ...ingestDepsFor(config, localClientFor(config), quorumStoreFor(config)),
    // Lambda sets the invocation's trace header here (active or pass-through tracing).
    traceHeader: () => process.env._X_AMZN_TRACE_ID,
  };
};

export const handler = withMiddleware(buildOnFirstCall(defaultDeps, createHandler));
