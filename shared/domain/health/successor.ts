import type { RegionState } from './judge-region';

const CAN_TAKE_OVER: ReadonlySet<RegionState | 'unknown'> = new Set(['healthy', 'degraded']);

/**
 * The region that takes over a failed home's events of one zone: the first region in the zone's order,
 * other than the home, that is healthy or degraded; undefined when none is (the zone's events wait).
 */
export const successorOf = (
  zoneRegions: readonly string[],
  home: string,
  stateOf: (region: string) => RegionState | 'unknown',
): string | undefined => zoneRegions.find((region) => region !== home && CAN_TAKE_OVER.has(stateOf(region)));
