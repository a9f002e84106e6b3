import { ControlRequestError, type ControlRoute } from '../control/route-table';
import type { RegionStates } from '../lambda/region-states';
import type { Partitions } from './partitions';

/** What the region-failure drill routes act on. */
export interface DrillControlDeps {
  regions: readonly string[];
  partitions: Partitions;
  /** The Lambda runtime's per-region state (`runtime.regionStates`). */
  regionStates: RegionStates;
}

/** Turns a model's RangeError into the control API's 400 with the same message. */
const asBadRequest = <T>(action: () => T): T => {
  try {
    return action();
  } catch (error) {
    if (error instanceof RangeError) throw new ControlRequestError(error.message);
    throw error;
  }
};

const requireRegion = (deps: DrillControlDeps, region: string | undefined): string => {
  if (region === undefined || !deps.regions.includes(region))
    throw new ControlRequestError(
      `Unknown region ${JSON.stringify(region)}; the local cloud has ${deps.regions.join(', ')}`,
    );
  return region;
};

const field = (body: unknown, name: string): unknown =>
  typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;

const regionView = (deps: DrillControlDeps, region: string) => ({ region, ...deps.regionStates.describe(region) });

const partitionsView = (deps: DrillControlDeps) => ({ body: { partitions: deps.partitions.list() } });

const regionRoutes = (deps: DrillControlDeps): ControlRoute[] => [
  {
    method: 'GET',
    path: '/regions',
    description: 'The regions this local cloud emulates, with each one’s function state and clock skew.',
    handle: () => ({
      body: {
        regions: [...deps.regions],
        states: Object.fromEntries(deps.regions.map((r) => [r, deps.regionStates.describe(r)])),
      },
    }),
  },
  {
    method: 'PUT',
    path: '/regions/:region/functions',
    description:
      'Stops or restarts a region’s functions: {"state":"stopped"|"running"}. Stopped: invokes fail, stream mappings pause.',
    handle: ({ params, body }) => {
      const region = requireRegion(deps, params.region);
      const state = field(body, 'state');
      if (state !== 'stopped' && state !== 'running')
        throw new ControlRequestError('Body must be {"state": "stopped"} or {"state": "running"}');
      deps.regionStates.setFunctions(region, state);
      return { body: regionView(deps, region) };
    },
  },
  {
    method: 'PUT',
    path: '/regions/:region/clock',
    description: 'Skews the Date seen by a region’s functions: {"skewMs": n}, |n| <= 60000.',
    handle: ({ params, body }) => {
      const region = requireRegion(deps, params.region);
      const skewMs = field(body, 'skewMs');
      if (typeof skewMs !== 'number') throw new ControlRequestError('Body must be {"skewMs": <integer ms>}');
      asBadRequest(() => deps.regionStates.setClockSkew(region, skewMs));
      return { body: regionView(deps, region) };
    },
  },
  {
    method: 'DELETE',
    path: '/regions/:region/clock',
    description: 'Resets a region’s function clock to real time.',
    handle: ({ params }) => {
      const region = requireRegion(deps, params.region);
      deps.regionStates.setClockSkew(region, 0);
      return { body: regionView(deps, region) };
    },
  },
];

const partitionRoutes = (deps: DrillControlDeps): ControlRoute[] => [
  {
    method: 'GET',
    path: '/partitions',
    description: 'Partitioned region pairs.',
    handle: () => partitionsView(deps),
  },
  {
    method: 'PUT',
    path: '/partitions/:a/:b',
    description:
      'Partitions two regions: replication between them is held, their functions’ calls across are refused (connection reset), bus-to-bus forwarding fails and is retried.',
    handle: ({ params }) => {
      asBadRequest(() => deps.partitions.set(params.a ?? '', params.b ?? ''));
      return partitionsView(deps);
    },
  },
  {
    method: 'DELETE',
    path: '/partitions/:a/:b',
    description: 'Heals the partition between two regions; held replication is delivered in order.',
    handle: ({ params }) => {
      asBadRequest(() => deps.partitions.clear(params.a ?? '', params.b ?? ''));
      return partitionsView(deps);
    },
  },
  {
    method: 'DELETE',
    path: '/partitions',
    description: 'Heals every partition.',
    handle: () => {
      deps.partitions.clearAll();
      return partitionsView(deps);
    },
  },
];

/** The region-failure drill's control routes: region function state and clock, and partitions. */
export const drillControlRoutes = (deps: DrillControlDeps): ControlRoute[] => [
  ...regionRoutes(deps),
  ...partitionRoutes(deps),
];
