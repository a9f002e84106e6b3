import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { Context } from 'aws-lambda';
import { localCredentials } from '../../local/aws/credentials';
import type { Catalog } from '../../shared/domain/catalog';
import { createBaselineHandler, type BaselineHandler } from './handler';
import { lambdaContext } from './lambda-context';
import type { OrderEvent } from './plan-targets';
import { BASELINE_TABLE, baselineBus } from './provision';

/** The baseline deployed in every region: one handler per region, SDK clients created once as at Lambda module scope. */
export class BaselineFleet {
  putEventsCalls = 0;
  private readonly handlers = new Map<string, BaselineHandler>();
  private readonly clients: Array<{ destroy(): void }> = [];

  constructor(endpoints: { dynamodb: string; eventBridge: string }, regions: readonly string[], catalog: Catalog) {
    const events = new Map(
      regions.map((r) => [
        r,
        new EventBridgeClient({ region: r, endpoint: endpoints.eventBridge, credentials: localCredentials }),
      ]),
    );
    this.clients.push(...events.values());
    for (const region of regions) {
      const dynamodb = new DynamoDBClient({ region, endpoint: endpoints.dynamodb, credentials: localCredentials });
      this.clients.push(dynamodb);
      const eventBridgeFor = (target: string): EventBridgeClient => {
        const client = events.get(target);
        if (!client) throw new Error(`baseline: no EventBridge client for ${target}`);
        return client;
      };
      const onPutEvents = (): void => void (this.putEventsCalls += 1);
      this.handlers.set(
        region,
        createBaselineHandler({
          region,
          catalog,
          tableName: BASELINE_TABLE,
          dynamodb,
          eventBridgeFor,
          busName: baselineBus,
          onPutEvents,
        }),
      );
    }
  }

  /** Invokes the event's regional handler, as the ingress rule in that region would. */
  invoke(
    event: OrderEvent,
    context: Context = lambdaContext('baseline-router', event.region),
  ): Promise<{ delivered: number }> {
    const handler = this.handlers.get(event.region);
    if (!handler) return Promise.reject(new Error(`baseline: not deployed in ${event.region}`));
    return handler(event, context);
  }

  destroy(): void {
    for (const client of this.clients) client.destroy();
  }
}
