import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { localCredentials } from '../../local/aws/credentials';
import type { Catalog } from '../../shared/domain/catalog';

/** The baseline's idempotency table: its own name, so the meter's rows separate it from Switchyard's tables. */
export const BASELINE_TABLE = 'bench-baseline-idempotency';

/** The baseline's copy of a catalog bus. */
export const baselineBus = (bus: string): string => `baseline-${bus}`;

/**
 * Creates, through the metering proxy and the local EventBridge, what the baseline would deploy in
 * every region: a Powertools idempotency table (key `id`, on-demand) and a copy of each target bus.
 */
export const provisionBaseline = async (
  endpoints: { dynamodb: string; eventBridge: string },
  regions: readonly string[],
  catalog: Catalog,
): Promise<void> => {
  await Promise.all(
    regions.map(async (region) => {
      const dynamodb = new DynamoDBClient({ region, endpoint: endpoints.dynamodb, credentials: localCredentials });
      const events = new EventBridgeClient({ region, endpoint: endpoints.eventBridge, credentials: localCredentials });
      try {
        await dynamodb.send(
          new CreateTableCommand({
            TableName: BASELINE_TABLE,
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          }),
        );
        const buses = new Set(
          [...catalog.targets.values()].flatMap((t) =>
            [...t.buses].filter(([r]) => r === region).map(([, bus]) => bus),
          ),
        );
        for (const bus of buses) await events.send(new CreateEventBusCommand({ Name: baselineBus(bus) }));
      } finally {
        dynamodb.destroy();
        events.destroy();
      }
    }),
  );
};
