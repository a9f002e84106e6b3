import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileCatalog, parseCatalogYaml } from '../../shared/domain/catalog';
import { bundleFunctions, functionEntries } from '../lambda/bundle-functions';
import { createStreamMapping, type StreamMapping } from '../lambda/stream-mapping';
import { startReplicator, type Replicator } from '../replication/replicator';
import { replicationControlRoutes } from '../replication/replication-control-routes';
import { createStageTables } from './create-tables';
import type { LocalCloud } from './local-cloud';
import { LOCAL_STAGE, loadLocalStage, type LocalStage } from './local-stage';
import { queueArn, wireEventBridge } from './wire-event-bridge';
import { publishCatalog } from './publish-catalog';
import { FUNCTIONS, ROUTE_STREAM_MAPPING, routeFilterPatterns, scheduleMs } from '../../stages/lib/deployment-settings';
import type { StageConfig } from '../../stages/lib/stage-file';

export interface RouterOptions {
  stage?: string;
  /** Routes catalog YAML text; the sample catalog when omitted. */
  catalogYaml?: string;
  replicationLagMs?: number;
  /** How often the replicator polls each table's stream in each region (default 50 ms). */
  replicationPollMs?: number;
  routesCacheTtlSeconds?: number;
  maxEventBytes?: number;
  logLevel?: StageConfig['logLevel'];
  /** Where bundles go (default .local/build). */
  buildDir?: string;
  /** How often each region's health function runs (default: the stage's schedule); 0 turns it off. */
  healthIntervalMs?: number;
  onProgress?: (step: string) => void;
}

/** The router as deployed on the local cloud. */
export interface RouterDeployment {
  readonly stage: string;
  /** The stage file as deployed: narrowed to the cloud's regions, with the run's overrides. */
  readonly config: StageConfig;
  readonly healthIntervalMs: number;
  readonly replicator: Replicator;
  readonly mappings: ReadonlyMap<string, StreamMapping>;
  readonly tables: { inbox: string; ledger: string; control: string; quarantine: string };
  readonly catalogVersion: number;
}

export const SAMPLE_CATALOG_PATH = join(__dirname, '..', '..', 'routes', 'sample.yaml');

/**
 * Deploys Switchyard on the local cloud as serverless.yml does on AWS: tables in every region
 * (replicated), bundled functions per region, the ingress rule, the inbox stream mapping, the
 * target buses, and the active routes catalog.
 */
export const deployRouter = async (cloud: LocalCloud, options: RouterOptions = {}): Promise<RouterDeployment> => {
  const stage = loadLocalStage(options.stage ?? LOCAL_STAGE, cloud.regions, {
    ...(options.routesCacheTtlSeconds !== undefined ? { routesCacheTtlSeconds: options.routesCacheTtlSeconds } : {}),
    ...(options.maxEventBytes !== undefined ? { maxEventBytes: options.maxEventBytes } : {}),
    ...(options.logLevel !== undefined ? { logLevel: options.logLevel } : {}),
  });
  const progress = options.onProgress ?? (() => undefined);
  const catalogYaml = options.catalogYaml ?? readFileSync(SAMPLE_CATALOG_PATH, 'utf8');
  const catalog = compileCatalog(parseCatalogYaml(catalogYaml));
  progress('creating tables in every region');
  const tableNames = await createStageTables(cloud.endpoints.dynamodb, stage.stage, cloud.regions);
  const replicator = await startReplicator({
    regions: cloud.regions,
    tableNames,
    dynamodbEndpoint: cloud.endpoints.dynamodbEngine,
    lagMs: options.replicationLagMs ?? 50,
    pollIntervalMs: options.replicationPollMs ?? 50,
    partitions: cloud.partitions,
  });
  cloud.onStop(() => replicator.stop());
  cloud.addRoutes(replicationControlRoutes(replicator));
  progress('bundling functions with esbuild');
  const root = join(__dirname, '..', '..');
  const bundles = await bundleFunctions(
    functionEntries(FUNCTIONS, root),
    options.buildDir ?? join(root, '.local', 'build'),
  );
  progress('deploying functions and wiring EventBridge in each region');
  const endpoints = { dynamodb: cloud.endpoints.dynamodb, eventBridge: cloud.endpoints.eventBridge };
  for (const region of cloud.regions) {
    for (const name of FUNCTIONS) {
      await cloud.runtime.deploy({
        region,
        functionName: name,
        bundlePath: bundles[name] ?? '',
        environment: stage.environment(name, endpoints),
        timeoutMs: 30_000,
      });
    }
    await wireEventBridge(cloud.endpoints.eventBridge, stage, region, catalog);
  }
  progress(`publishing routes catalog version ${catalog.version}`);
  await publishCatalog(cloud, { stage: stage.stage, yaml: catalogYaml, version: catalog.version });
  const mappings = new Map<string, StreamMapping>();
  for (const region of cloud.regions) mappings.set(region, await mapInboxStream(cloud, stage, region));
  cloud.onStop(async () => {
    await Promise.all([...mappings.values()].map((m) => m.stop()));
  });
  const healthIntervalMs = options.healthIntervalMs ?? scheduleMs(stage.config.health.schedule);
  scheduleHealth(cloud, healthIntervalMs);
  return {
    stage: stage.stage,
    config: stage.config,
    replicator,
    mappings,
    healthIntervalMs,
    catalogVersion: catalog.version,
    tables: {
      inbox: stage.names.table('inbox'),
      ledger: stage.names.table('ledger'),
      control: stage.names.table('control'),
      quarantine: stage.names.table('quarantine'),
    },
  };
};

/** The route function's inbox stream mapping, with the settings serverless.yml declares (stages/lib/deployment-settings.ts). */
const mapInboxStream = (cloud: LocalCloud, stage: LocalStage, region: string): Promise<StreamMapping> =>
  createStreamMapping({
    region,
    tableName: stage.names.table('inbox'),
    functionName: 'route',
    invoker: cloud.runtime,
    dynamodbEndpoint: cloud.endpoints.dynamodb,
    queues: cloud.queues,
    startingPosition: ROUTE_STREAM_MAPPING.startingPosition,
    batchSize: ROUTE_STREAM_MAPPING.batchSize,
    maximumBatchingWindowInSeconds: ROUTE_STREAM_MAPPING.maximumBatchingWindowInSeconds,
    filterCriteria: { Filters: routeFilterPatterns(region).map((pattern) => ({ Pattern: JSON.stringify(pattern) })) },
    functionResponseTypes: [ROUTE_STREAM_MAPPING.functionResponseType],
    bisectBatchOnFunctionError: ROUTE_STREAM_MAPPING.bisectBatchOnFunctionError,
    maximumRetryAttempts: ROUTE_STREAM_MAPPING.maximumRetryAttempts,
    destinationConfig: { onFailure: { destination: queueArn(region, stage.names.queue('RouteFailedQueue')) } },
  });

/** Runs each region's health function on an interval, as the schedule does on AWS. */
const scheduleHealth = (cloud: LocalCloud, intervalMs: number): void => {
  if (intervalMs <= 0) return;
  const timer = setInterval(() => {
    for (const region of cloud.regions)
      void cloud.runtime
        .invoke(region, 'health', { source: 'aws.events', 'detail-type': 'Scheduled Event' })
        .catch(() => undefined);
  }, intervalMs);
  timer.unref();
  cloud.onStop(async () => clearInterval(timer));
};
