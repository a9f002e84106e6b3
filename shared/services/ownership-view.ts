import type { CoordTable, OwnsEntry } from '../adapters/coord-table';
import type { Ownership } from './delivery/delivery-deps';

/** What this region may route now, as its health function last committed it. */
export interface OwnershipView {
  /** The valid ownership of (zone, home), or undefined when this region must not route it now. */
  current(zone: string, home: string): Promise<Ownership | undefined>;
  /** Every ownership this region holds validly now. */
  all(): Promise<Ownership[]>;
}

/**
 * Reads the local `owns` items (one GetItem-sized Query, cached for `cacheMs`) and filters by
 * validity at the moment of asking, so a region that stopped renewing stops routing when its
 * validity ends even with a warm cache. No call leaves the region on the hot path.
 */
export const createOwnershipView = ({
  coord,
  now,
  cacheMs,
}: {
  coord: Pick<CoordTable, 'readOwns'>;
  now: () => number;
  cacheMs: number;
}): OwnershipView => {
  let cached: { entries: OwnsEntry[]; at: number } | undefined;
  const load = async (): Promise<OwnsEntry[]> => {
    if (!cached || now() - cached.at >= cacheMs) cached = { entries: await coord.readOwns(), at: now() };
    return cached.entries;
  };
  const valid = (entry: OwnsEntry): boolean => now() < entry.validUntil;
  const toOwnership = (e: OwnsEntry): Ownership => ({
    zone: e.zone,
    home: e.home,
    epoch: e.epoch,
    since: e.since,
    validUntil: e.validUntil,
  });
  return {
    async current(zone, home) {
      const entry = (await load()).find((e) => e.zone === zone && e.home === home);
      return entry && valid(entry) ? toOwnership(entry) : undefined;
    },
    async all() {
      return (await load()).filter(valid).map(toOwnership);
    },
  };
};
