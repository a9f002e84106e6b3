import { startControlServer, type ControlServer } from '../control/control-server';
import type { ControlRoute } from '../control/route-table';
import { startDynamoEngine, type DynamoEngine } from '../dynamodb/engine';
import { startDynamoProxy, type DynamoProxy } from '../dynamodb/dynamo-proxy';
import { dynamoControlRoutes } from '../dynamodb/dynamo-control-routes';
import { RegionWatermarks } from '../dynamodb-streams/sequence-watermark';
import { TableWrites } from '../dynamodb-streams/table-writes';
import { startEventBridgeServer, type EventBridgeServer } from '../eventbridge/server';
import { eventBridgeControlRoutes } from '../eventbridge/control-routes';
import { drillControlRoutes } from '../faults/drill-control-routes';
import { FaultRegistry } from '../faults/fault-registry';
import { Partitions } from '../faults/partitions';
import { LambdaRuntime, type LambdaRuntimeOptions } from '../lambda/lambda-runtime';
import { startLambdaApiServer } from '../lambda-api/lambda-api-server';
import { QueueStore } from '../queues/queue-store';
import { LOCAL_STAGE } from './local-stage';
import { startSqsApiServer } from '../sqs-api/sqs-api-server';

export const DEFAULT_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
export const DEFAULT_PORTS = { dynamodb: 8000, eventBridge: 4010, control: 4000, lambda: 4020, sqs: 4030 } as const;

export interface LocalCloudOptions {
  regions?: readonly string[];
  /** Ports on 127.0.0.1; 0 picks a free one (what tests use). */
  ports?: { dynamodb?: number; eventBridge?: number; control?: number; lambda?: number; sqs?: number };
  maxEntryBytes?: number;
  runtime?: LambdaRuntimeOptions;
  /** More control routes, e.g. the router's status and replication. */
  extraRoutes?: () => ControlRoute[];
}

/** The running local multi-region cloud: DynamoDB (behind the region-aware proxy), EventBridge, Lambda and the control API. */
export interface LocalCloud {
  readonly regions: readonly string[];
  readonly endpoints: {
    dynamodb: string;
    eventBridge: string;
    control: string;
    lambda: string;
    /** SQS (JSON protocol) over the queue store: the failure queues admin lists and redrives. */
    sqs: string;
    dynamodbEngine: string;
  };
  readonly faults: FaultRegistry;
  /** Region partitions, shared by the DynamoDB proxy, EventBridge and the replicator. */
  readonly partitions: Partitions;
  /** The engine's stream watermarks, one per region, shared by every stream reader (replicator, mappings). */
  readonly streamWatermarks: RegionWatermarks;
  /** Write requests per region and table (proxy and replicator), so quiet stream shards are read when written. */
  readonly tableWrites: TableWrites;
  readonly queues: QueueStore;
  readonly runtime: LambdaRuntime;
  readonly eventBridge: EventBridgeServer;
  readonly dynamodb: DynamoProxy;
  /** Adds control routes after start (the router deployment registers its own). */
  addRoutes(routes: ControlRoute[]): void;
  /** Registers cleanup that runs (in reverse order) before the engines stop. */
  onStop(cleanup: () => Promise<void>): void;
  stop(): Promise<void>;
}

/** Starts the local cloud; every server binds to loopback only. */
export const startLocalCloud = async (options: LocalCloudOptions = {}): Promise<LocalCloud> => {
  const regions = [...(options.regions ?? DEFAULT_REGIONS)];
  const ports = { ...DEFAULT_PORTS, ...options.ports };
  const faults = new FaultRegistry();
  const partitions = new Partitions(regions);
  const queues = new QueueStore();
  const tableWrites = new TableWrites();
  const runtime = new LambdaRuntime(options.runtime);
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse())
      await cleanup().catch((error: unknown) => console.error('local cloud: stop step failed:', error));
  };
  try {
    const engine: DynamoEngine = await startDynamoEngine();
    cleanups.push(() => engine.stop());
    const dynamodb = await startDynamoProxy({
      engineEndpoint: engine.endpoint,
      port: ports.dynamodb,
      faults,
      partitions,
      writes: tableWrites,
    });
    cleanups.push(() => dynamodb.stop());
    const eventBridge = await startEventBridgeServer({
      port: ports.eventBridge,
      faults,
      queues,
      invoker: runtime,
      partitions,
      // Rule retries run 100× faster than on AWS: the ingress rule's hour of retries (serverless.yml)
      // spans about 36 s here, so a few seconds of cold starts on a loaded machine never dead-letter.
      retryTimeScale: 0.01,
      ...(options.maxEntryBytes ? { maxEntryBytes: options.maxEntryBytes } : {}),
    });
    cleanups.push(() => eventBridge.stop());
    cleanups.push(() => runtime.stop());
    const lambdaApi = await startLambdaApiServer({
      port: ports.lambda,
      invoker: runtime,
      logs: (region, name) => runtime.logs(region, name),
      isDeployed: (region, name) => runtime.stats(region, name) !== undefined,
      stage: LOCAL_STAGE,
    });
    cleanups.push(() => lambdaApi.stop());
    const sqsApi = await startSqsApiServer({ port: ports.sqs, queues });
    cleanups.push(() => sqsApi.stop());
    const routes: ControlRoute[] = [
      ...dynamoControlRoutes({ faults, meter: dynamodb.meter }),
      ...eventBridgeControlRoutes({ inspector: eventBridge.inspector, queues }),
      ...(options.extraRoutes?.() ?? []),
      ...drillControlRoutes({ regions, partitions, regionStates: runtime.regionStates }),
    ];
    const control: ControlServer = await startControlServer(routes, ports.control);
    cleanups.push(() => control.stop());
    return {
      regions,
      endpoints: {
        dynamodb: dynamodb.endpoint,
        eventBridge: eventBridge.endpoint,
        control: control.endpoint,
        lambda: lambdaApi.endpoint,
        sqs: sqsApi.endpoint,
        dynamodbEngine: engine.endpoint,
      },
      faults,
      partitions,
      streamWatermarks: new RegionWatermarks(),
      tableWrites,
      queues,
      runtime,
      eventBridge,
      dynamodb,
      addRoutes: (extra) => routes.push(...extra),
      onStop: (cleanup) => cleanups.push(cleanup),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};
