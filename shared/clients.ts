import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { RouterConfig } from './config';

/**
 * Tight timeouts: a router stuck on one slow region must fail fast and retry, not hold its shard.
 * The connection timeout also runs while a request waits for a free socket, so the pool is sized
 * above the route function's write fan-out (see DELIVERY_CONCURRENCY) instead of the SDK's 50.
 */
const REQUEST_HANDLER = {
  connectionTimeout: 1_000,
  requestTimeout: 3_000,
  httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 128 }),
  httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 128 }),
};

/** Creates the DynamoDB document client for the function's own region. */
export const createDocumentClient = (
  config: Pick<RouterConfig, 'region' | 'dynamodbEndpoint'>,
): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: config.region,
      maxAttempts: 3,
      requestHandler: REQUEST_HANDLER,
      ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}),
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );

/** Returns one EventBridge client per target region, created on first use and kept for the container's life. */
export const createEventBridgeClients = (
  config: Pick<RouterConfig, 'eventBridgeEndpoint'>,
): ((region: string) => EventBridgeClient) => {
  const clients = new Map<string, EventBridgeClient>();
  return (region) => {
    let client = clients.get(region);
    if (!client) {
      client = new EventBridgeClient({
        region,
        maxAttempts: 2,
        requestHandler: REQUEST_HANDLER,
        ...(config.eventBridgeEndpoint ? { endpoint: config.eventBridgeEndpoint } : {}),
      });
      clients.set(region, client);
    }
    return client;
  };
};
