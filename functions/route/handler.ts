import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { readConfig } from '../../shared/config';
import { buildOnFirstCall, withMiddleware } from '../../shared/middleware';
import { routeRecords, type RouteDeps } from '../../shared/services/route-records';
import { deliveryDepsFor, localClientFor, ownershipFor } from '../../shared/wiring';
import { zoneOfInboxStream } from '../../shared/table-definitions';

/** The route function: one inbox stream batch in, every new event it owns delivered once; the rest is the sweeper's. */
export const createHandler =
  (deps: RouteDeps & { refresh?: () => Promise<void> }) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    await deps.refresh?.();
    const failed = await routeRecords(event.Records, deps);
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  };

const defaultDeps = (): RouteDeps & { refresh: () => Promise<void> } => {
  const config = readConfig(process.env);
  const client = localClientFor(config);
  const { deps, refresh } = deliveryDepsFor(config, client);
  return {
    ...deps,
    refresh,
    ownership: ownershipFor(config, client),
    zoneOfStream: (arn) => zoneOfInboxStream(config.stage, arn),
  };
};

export const handler = withMiddleware(buildOnFirstCall(defaultDeps, createHandler));
