import { FUNCTIONS } from '../../stages/lib/deployment-settings';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from './local-cloud';
import { deployRouter, type RouterDeployment, type RouterOptions } from './deploy-router';
import { MetricsTally, STATUS_METRICS } from './metrics-tally';
import { createOwnershipStatus, type OwnershipStatus } from './ownership-status';

/** The local cloud with Switchyard deployed on it: what `npm start` runs and what e2e tests drive. */
export interface RouterCloud {
  readonly cloud: LocalCloud;
  readonly router: RouterDeployment;
  readonly tally: MetricsTally;
  status(): Record<string, Record<string, number>>;
  /** Each region's state and who owns each (zone, home) at which epoch, read from the coord tables now. */
  ownership(): Promise<OwnershipStatus>;
  stop(): Promise<void>;
}

/** Starts the local cloud and deploys the router on it. */
export const startRouterCloud = async (
  options: LocalCloudOptions & { router?: RouterOptions } = {},
): Promise<RouterCloud> => {
  const tally = new MetricsTally();
  const onLog = options.runtime?.onLog;
  const cloud = await startLocalCloud({
    ...options,
    runtime: {
      ...options.runtime,
      onLog: (line) => {
        tally.observe(line);
        onLog?.(line);
      },
    },
  });
  try {
    const router = await deployRouter(cloud, options.router);
    const status = (): Record<string, Record<string, number>> =>
      Object.fromEntries(
        cloud.regions.map((region) => [
          region,
          Object.fromEntries(STATUS_METRICS.map((m) => [m, tally.get(region, m)])),
        ]),
      );
    const ownership = createOwnershipStatus(cloud, router.tables.coord, router.config.residencyZones);
    cloud.onStop(async () => ownership.close());
    cloud.addRoutes([
      {
        method: 'GET',
        path: '/ownership',
        description:
          'Each region’s state (quorum verdict, each region’s judgement, drill faults) and who owns each (zone, home) at which epoch.',
        handle: async () => ({ body: await ownership.read() }),
      },
      {
        method: 'GET',
        path: '/status',
        description: 'Router counters per region (from the functions’ EMF metrics).',
        handle: () => ({ body: { stage: router.stage, routesVersion: router.catalogVersion, regions: status() } }),
      },
      {
        method: 'GET',
        path: '/functions',
        description: 'Invocation counters of every function in every region.',
        handle: () => ({
          body: {
            functions: cloud.regions.flatMap((region) =>
              FUNCTIONS.map((name) => ({
                region,
                name,
                ...cloud.runtime.stats(region, name),
              })),
            ),
          },
        }),
      },
      {
        method: 'GET',
        path: '/functions/:region/:name/logs',
        description: 'Recent log lines of one function in one region.',
        handle: ({ params }) => ({ body: { lines: cloud.runtime.logs(params.region ?? '', params.name ?? '') } }),
      },
      {
        method: 'GET',
        path: '/mappings',
        description: 'State of the inbox stream mappings of each region (one per zone table).',
        handle: () => ({
          body: {
            mappings: [...router.mappings].flatMap(([region, list]) =>
              list.map((m) => ({ region, table: m.options.tableName, streamArn: m.streamArn, ...m.stats() })),
            ),
          },
        }),
      },
    ]);
    return { cloud, router, tally, status, ownership: () => ownership.read(), stop: () => cloud.stop() };
  } catch (error) {
    await cloud.stop();
    throw error;
  }
};
