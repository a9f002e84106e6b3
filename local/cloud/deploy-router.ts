import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileCatalog, parseCatalogYaml } from '../../shared/domain/catalog';
import { bundleFunctions, functionEntries } from '../lambda/bundle-functions';
import { createStreamMapping, type StreamMapping } from '../lambda/stream-mapping';
import { startReplicator, type Replicator } from '../replication/replicator';
import { replicationControlRoutes } from '../replication/replication-control-routes';
import { createStageTables } from './create-tables';
import type { LocalCloud } from './local-cloud';
import { ROUTER_FUNCTIONS, routerEnvironment, type RouterEnvironmentInput } from './router-environment';
import { queueArn, wireEventBridge } from './wire-event-bridge';
import { publishCatalog } from './publish-catalog';
import { physicalTableName } from '../../shared/table-definitions';

export interface RouterOptions {
  stage?: string;
  /** Routes catalog YAML text; the sample catalog when omitted. */
  catalogYaml?: string;
  replicationLagMs?: number;
  /** How often the replicator polls each table's stream in each region (default 50 ms). */
  replicationPollMs?: number;
  routesCacheTtlSeconds?: number;
  maxEventBytes?: number;
  logLevel?: string;
  /** Where bundles go (default .local/build). */
  buildDir?: string;
  /** How often each region's health function runs; 0 turns the schedule off. */
  healthIntervalMs?: number;
  onProgress?: (step: string) => void;
}

/** The router as deployed on the local cloud. */
export interface RouterDeployment {
  readonly stage: string;
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
  const stage = options.stage ?? 'local';
  const progress = options.onProgress ?? (() => undefined);
  const catalogYaml = options.catalogYaml ?? readFileSync(SAMPLE_CATALOG_PATH, 'utf8');
  const catalog = compileCatalog(parseCatalogYaml(catalogYaml));
  progress('creating tables in every region');
  const tableNames = await createStageTables(cloud.endpoints.dynamodb, stage, cloud.regions);
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
    functionEntries(ROUTER_FUNCTIONS, root),
    options.buildDir ?? join(root, '.local', 'build'),
  );
  const env: RouterEnvironmentInput = {
    stage,
    regions: cloud.regions,
    dynamodbEndpoint: cloud.endpoints.dynamodb,
    eventBridgeEndpoint: cloud.endpoints.eventBridge,
    routesCacheTtlSeconds: options.routesCacheTtlSeconds ?? 5,
    maxEventBytes: options.maxEventBytes ?? 262_144,
    logLevel: options.logLevel ?? 'INFO',
  };
  progress('deploying functions and wiring EventBridge in each region');
  const mappings = new Map<string, StreamMapping>();
  for (const region of cloud.regions) {
    for (const name of ROUTER_FUNCTIONS) {
      await cloud.runtime.deploy({
        region,
        functionName: name,
        bundlePath: bundles[name] ?? '',
        environment: routerEnvironment(env, name),
        timeoutMs: 30_000,
      });
    }
    await wireEventBridge(cloud.endpoints.eventBridge, stage, region, catalog);
  }
  progress(`publishing routes catalog version ${catalog.version}`);
  await publishCatalog(cloud, { stage, yaml: catalogYaml, version: catalog.version });
  for (const region of cloud.regions) mappings.set(region, await mapInboxStream(cloud, stage, region));
  cloud.onStop(async () => {
    await Promise.all([...mappings.values()].map((m) => m.stop()));
  });
  scheduleHealth(cloud, options.healthIntervalMs ?? 60_000);
  return {
    stage,
    replicator,
    mappings,
    catalogVersion: catalog.version,
    tables: {
      inbox: physicalTableName(stage, 'inbox'),
      ledger: physicalTableName(stage, 'ledger'),
      control: physicalTableName(stage, 'control'),
      quarantine: physicalTableName(stage, 'quarantine'),
    },
  };
};

/** The route function's mapping, as serverless.yml declares it: owned INSERTs and MODIFYs, partial batch responses, bisect, retries, DLQ. */
const mapInboxStream = (cloud: LocalCloud, stage: string, region: string): Promise<StreamMapping> =>
  createStreamMapping({
    region,
    tableName: physicalTableName(stage, 'inbox'),
    functionName: 'route',
    invoker: cloud.runtime,
    dynamodbEndpoint: cloud.endpoints.dynamodb,
    startingPosition: 'TRIM_HORIZON',
    queues: cloud.queues,
    batchSize: 100,
    maximumBatchingWindowInSeconds: 0,
    filterCriteria: {
      Filters: [
        { Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { owner: { S: [region] } } } }) },
        { Pattern: JSON.stringify({ eventName: ['MODIFY'] }) },
      ],
    },
    functionResponseTypes: ['ReportBatchItemFailures'],
    bisectBatchOnFunctionError: true,
    maximumRetryAttempts: 10,
    destinationConfig: { onFailure: { destination: queueArn(region, `switchyard-${stage}-route-dlq`) } },
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
