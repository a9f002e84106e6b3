import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { compileCatalog, parseCatalogYaml, type CatalogDocument } from '../../shared/domain/catalog';
import { narrowCatalog } from './narrow-catalog';
import { FUNCTIONS, functionTimeouts, scheduleMs, zonesIn } from '../../stages/lib/deployment-settings';
import type { StageConfig } from '../../stages/lib/stage-file';
import { tableLayout } from '../../stages/lib/table-layout';
import { bundleFunctions, functionEntries } from '../lambda/bundle-functions';
import type { StreamMapping } from '../lambda/stream-mapping';
import type { Replicator } from '../replication/replicator';
import { replicationControlRoutes } from '../replication/replication-control-routes';
import { createStageTables } from './create-tables';
import type { LocalCloud } from './local-cloud';
import { LOCAL_STAGE, loadLocalStage, type LocalStage } from './local-stage';
import { mapInboxStreams } from './map-inbox-streams';
import { publishCatalog } from './publish-catalog';
import { startStageReplication } from './stage-replication';
import { scheduleFunctions, waitForOwnership, type ScheduleClock } from './schedule-functions';
import { wireEventBridge } from './wire-event-bridge';

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
  onProgress?: (step: string) => void;
}

/** The router as deployed on the local cloud. */
export interface RouterDeployment {
  readonly stage: string;
  /** The stage file as deployed: narrowed to the cloud's regions, with the run's overrides. */
  readonly config: StageConfig;
  readonly replicator: Replicator;
  /** Each region's inbox stream mappings, one per zone table it holds. */
  readonly mappings: ReadonlyMap<string, readonly StreamMapping[]>;
  /** How often the scheduled functions are invoked. */
  readonly schedules: { health: number; sweeper: number };
  /** When each scheduled function last started, per region. */
  readonly scheduleClock: ScheduleClock;
  readonly tables: LocalStage['tables'];
  readonly catalogVersion: number;
}

export const SAMPLE_CATALOG_PATH = join(__dirname, '..', '..', 'routes', 'sample.yaml');

/**
 * Deploys Switchyard on the local cloud as serverless does on AWS, from the same stage file and
 * settings: zone tables replicated only inside their zone, regional quarantine and coord tables,
 * the control table everywhere, bundled functions per region, the ingress rule and bus policy,
 * one inbox stream mapping per zone table, the schedules, and the active routes catalog. Resolves
 * once every region owns its own home in every zone.
 */
export const deployRouter = async (cloud: LocalCloud, options: RouterOptions = {}): Promise<RouterDeployment> => {
  const stage = loadLocalStage(options.stage ?? LOCAL_STAGE, cloud.regions, {
    ...(options.routesCacheTtlSeconds !== undefined ? { routesCacheTtlSeconds: options.routesCacheTtlSeconds } : {}),
    ...(options.maxEventBytes !== undefined ? { maxEventBytes: options.maxEventBytes } : {}),
    ...(options.logLevel !== undefined ? { logLevel: options.logLevel } : {}),
  });
  const progress = options.onProgress ?? (() => undefined);
  const given = parseCatalogYaml(options.catalogYaml ?? readFileSync(SAMPLE_CATALOG_PATH, 'utf8')) as CatalogDocument;
  const narrowed = narrowCatalog(given, cloud.regions);
  if (narrowed.changed)
    progress(`the catalog names regions this cloud does not run: using it narrowed to ${cloud.regions.join(', ')}`);
  const catalogYaml = stringify(narrowed.document);
  const catalog = compileCatalog(narrowed.document);
  const layout = tableLayout(stage.stage, stage.config);
  progress('creating tables: each zone in its own regions, quarantine and coord in every region');
  await createStageTables(cloud.endpoints.dynamodb, layout);
  const replicator = await startStageReplication(cloud, layout, {
    lagMs: options.replicationLagMs ?? 50,
    pollIntervalMs: options.replicationPollMs ?? 50,
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
  const timeouts = functionTimeouts(stage.config);
  for (const region of cloud.regions) {
    for (const name of FUNCTIONS) {
      await cloud.runtime.deploy({
        region,
        functionName: name,
        bundlePath: bundles[name] ?? '',
        environment: stage.environment(name, cloud.endpoints),
        timeoutMs: timeouts[name] * 1000,
      });
    }
    await wireEventBridge(cloud.endpoints.eventBridge, stage, region, catalog);
  }
  const schedules = {
    health: scheduleMs(stage.config.health.schedule),
    sweeper: scheduleMs(stage.config.sweeper.schedule),
  };
  const scheduleClock = scheduleFunctions(cloud, schedules);
  progress(`publishing routes catalog version ${catalog.version}`);
  await publishCatalog(cloud, stage, catalogYaml, catalog.version);
  const mappings = new Map<string, StreamMapping[]>();
  for (const region of cloud.regions)
    mappings.set(region, await mapInboxStreams(cloud, stage, region, zonesIn(stage.config, region)));
  cloud.onStop(async () => {
    await Promise.all([...mappings.values()].flat().map((m) => m.stop()));
  });
  progress('waiting for every region to own its home in each of its zones');
  await waitForOwnership(cloud, stage);
  return {
    stage: stage.stage,
    config: stage.config,
    replicator,
    mappings,
    schedules,
    scheduleClock,
    tables: stage.tables,
    catalogVersion: catalog.version,
  };
};
