import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import type { Catalog } from '../../shared/domain/catalog';
import { planTargets, type OrderEvent } from './plan-targets';

/** What one regional baseline function needs; the bench passes local-cloud clients in. */
export interface BaselineDeps {
  region: string;
  catalog: Catalog;
  /** The idempotency table in this region (a regional table, as Powertools documents it). */
  tableName: string;
  dynamodb: DynamoDBClient;
  eventBridgeFor: (region: string) => EventBridgeClient;
  /** The baseline's copy of a catalog bus, so its arrivals never mix with Switchyard's. */
  busName: (bus: string) => string;
  /** Counts PutEvents calls; the baseline has no EMF, so the bench counts at the call site. */
  onPutEvents: () => void;
}

export type BaselineHandler = (event: OrderEvent, context: Context) => Promise<{ delivered: number }>;

/** A PutEvents partial failure does not throw (STYLE.md): fail the invocation so Powertools releases the key for a retry. */
const sendOne = async (deps: BaselineDeps, event: OrderEvent, region: string, bus: string): Promise<void> => {
  deps.onPutEvents();
  const result = await deps.eventBridgeFor(region).send(
    new PutEventsCommand({
      Entries: [
        {
          Source: event.source,
          DetailType: event['detail-type'],
          Detail: JSON.stringify(event.detail),
          Resources: event.resources,
          EventBusName: deps.busName(bus),
        },
      ],
    }),
  );
  if (result.FailedEntryCount)
    throw new Error(`PutEvents to ${bus} in ${region} failed: ${JSON.stringify(result.Entries)}`);
};

/** The business function: plan the event's deliveries and send each one in its own PutEvents call. */
const deliverEach =
  (deps: BaselineDeps) =>
  async (event: OrderEvent, _context: Context): Promise<{ delivered: number }> => {
    const deliveries = planTargets(event, deps.catalog);
    await Promise.all(deliveries.map((d) => sendOne(deps, event, d.region, d.bus)));
    return { delivered: deliveries.length };
  };

/**
 * The baseline router of one region, built the usual way: one Powertools-idempotent function per
 * source, keyed by the same path the catalog gives that source (e.g. `detail.orderId`).
 */
export const createBaselineHandler = (deps: BaselineDeps): BaselineHandler => {
  const bySource = new Map<string, BaselineHandler>();
  for (const [source, policy] of deps.catalog.sources) {
    const paths = policy.keyPaths.map((path) => path.join('.'));
    // A JMESPath multiselect list keys on every component of a composite key.
    const keyExpression = paths.length > 1 ? `[${paths.join(', ')}]` : (paths[0] ?? 'id');
    const persistenceStore = new DynamoDBPersistenceLayer({
      tableName: deps.tableName,
      keyAttr: 'id',
      awsSdkV3Client: deps.dynamodb,
    });
    const config = new IdempotencyConfig({ eventKeyJmesPath: keyExpression, throwOnNoIdempotencyKey: true });
    bySource.set(
      source,
      makeIdempotent(deliverEach(deps), { persistenceStore, config, keyPrefix: `baseline-${deps.region}-${source}` }),
    );
  }
  return async (event, context) => {
    const handler = bySource.get(event.source);
    if (!handler) throw new Error(`baseline: no function for source ${event.source}`);
    return handler(event, context);
  };
};
