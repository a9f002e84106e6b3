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

/** Calls to another region's coord table: a region that does not answer within the stage's region timeout counts as not answering. */
const remoteRequestHandler = (timeoutMs: number) => ({
  ...REQUEST_HANDLER,
  connectionTimeout: timeoutMs,
  requestTimeout: timeoutMs,
});

const documentClient = (
  config: Pick<RouterConfig, 'dynamodbEndpoint' | 'health'>,
  region: string,
  remote: boolean,
): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region,
      // SDK retries are kept for throttling: every conditional write is idempotent (docs/decisions/012),
      // so a re-sent write is recognised rather than miscounted. Remote calls get one quick try.
      maxAttempts: remote ? 1 : 3,
      requestHandler: remote ? remoteRequestHandler(config.health.regionTimeoutMs) : REQUEST_HANDLER,
      ...(config.dynamodbEndpoint ? { endpoint: config.dynamodbEndpoint } : {}),
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );

/** Creates the DynamoDB document client for the function's own region. */
export const createDocumentClient = (
  config: Pick<RouterConfig, 'region' | 'dynamodbEndpoint' | 'health'>,
): DynamoDBDocumentClient => documentClient(config, config.region, false);

/** One document client per region for the quorum store and peers' coord tables, created on first use. */
export const createRemoteDocumentClients = (
  config: Pick<RouterConfig, 'dynamodbEndpoint' | 'health'>,
): ((region: string) => DynamoDBDocumentClient) => {
  const clients = new Map<string, DynamoDBDocumentClient>();
  return (region) => {
    const existing = clients.get(region) ?? documentClient(config, region, true);
    clients.set(region, existing);
    return existing;
  };
};

/**
 * Returns one EventBridge client per target region, created on first use and kept for the
 * container's life. One attempt: retries have one owner, the router, so every re-send is a
 * counted attempt carrying its number (docs/decisions/014).
 */
export const createEventBridgeClients = (
  config: Pick<RouterConfig, 'eventBridgeEndpoint'>,
): ((region: string) => EventBridgeClient) => {
  const clients = new Map<string, EventBridgeClient>();
  return (region) => {
    let client = clients.get(region);
    if (!client) {
      client = new EventBridgeClient({
        region,
        maxAttempts: 1,
        requestHandler: REQUEST_HANDLER,
        ...(config.eventBridgeEndpoint ? { endpoint: config.eventBridgeEndpoint } : {}),
      });
      clients.set(region, client);
    }
    return client;
  };
};
