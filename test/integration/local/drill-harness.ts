import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startControlServer, type ControlServer } from '../../../local/control/control-server';
import { startDynamoEngine, type DynamoEngine } from '../../../local/dynamodb/engine';
import { startDynamoProxy, type DynamoProxy } from '../../../local/dynamodb/dynamo-proxy';
import { startEventBridgeServer, type EventBridgeServer } from '../../../local/eventbridge/server';
import { drillControlRoutes } from '../../../local/faults/drill-control-routes';
import { FaultRegistry } from '../../../local/faults/fault-registry';
import { Partitions } from '../../../local/faults/partitions';
import { bundleFunctions } from '../../../local/lambda/bundle-functions';
import { LambdaRuntime } from '../../../local/lambda/lambda-runtime';
import { QueueStore } from '../../../local/queues/queue-store';

export const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;

/** A test client's credentials: not a function's, so the caller is in no region. */
const testCredentials = { accessKeyId: 'AKIATESTCALLER', secretAccessKey: 'not-checked' };

/** The pieces of the local cloud a region-failure drill touches, wired as startLocalCloud wires them. */
export interface DrillHarness {
  engine: DynamoEngine;
  proxy: DynamoProxy;
  eventBridge: EventBridgeServer;
  runtime: LambdaRuntime;
  partitions: Partitions;
  queues: QueueStore;
  control: ControlServer;
  /** A test client of DynamoDB (through the proxy) in `region`, one attempt per call. */
  dynamo(region: string): DynamoDBClient;
  /** A test client of the local EventBridge in `region`. */
  events(region: string): EventBridgeClient;
  /** Calls the control API (the drill routes) and returns status and JSON body. */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  stop(): Promise<void>;
}

/** Starts DynamoDB Local, the proxy, EventBridge, the runtime with `fixtures` in every region, and the drill routes. */
export const startDrillHarness = async (fixtures: readonly string[]): Promise<DrillHarness> => {
  const outDir = mkdtempSync(join(tmpdir(), 'switchyard-drill-'));
  const entries = Object.fromEntries(
    fixtures.map((name) => [name, join(__dirname, '../../fixtures/functions', name, 'handler.ts')]),
  );
  const [engine, bundles] = await Promise.all([startDynamoEngine(), bundleFunctions(entries, outDir)]);
  const faults = new FaultRegistry();
  const partitions = new Partitions(REGIONS);
  const queues = new QueueStore();
  const runtime = new LambdaRuntime();
  const proxy = await startDynamoProxy({ engineEndpoint: engine.endpoint, faults, partitions });
  const eventBridge = await startEventBridgeServer({
    faults,
    queues,
    invoker: runtime,
    partitions,
    retryTimeScale: 0.0001,
  });
  const environment = { DYNAMODB_ENDPOINT: proxy.endpoint, EVENTBRIDGE_ENDPOINT: eventBridge.endpoint };
  for (const region of REGIONS)
    for (const name of fixtures)
      await runtime.deploy({ region, functionName: name, bundlePath: bundles[name] ?? '', environment });
  const control = await startControlServer(
    drillControlRoutes({ regions: REGIONS, partitions, regionStates: runtime.regionStates }),
  );
  const clients: Array<{ destroy(): void }> = [];
  const track = <T extends { destroy(): void }>(client: T): T => {
    clients.push(client);
    return client;
  };
  return {
    engine,
    proxy,
    eventBridge,
    runtime,
    partitions,
    queues,
    control,
    dynamo: (region) =>
      track(new DynamoDBClient({ region, endpoint: proxy.endpoint, credentials: testCredentials, maxAttempts: 1 })),
    events: (region) =>
      track(new EventBridgeClient({ region, endpoint: eventBridge.endpoint, credentials: testCredentials })),
    call: async (method, path, body) => {
      const response = await fetch(`${control.endpoint}${path}`, {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    stop: async () => {
      for (const client of clients) client.destroy();
      await control.stop();
      await runtime.stop();
      await eventBridge.stop();
      await proxy.stop();
      await engine.stop();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
};
