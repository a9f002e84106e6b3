import type { CoordTable } from '../adapters/coord-table';
import type { Judgement } from '../domain/health';

/** This region's own judgement of every region, as its health function last wrote it (a hint, not a verdict). */
export interface RegionView {
  /** Reads the judgements again when the cached ones are older than the cache period. */
  refresh(): Promise<void>;
  /** Whether deliveries should be sent to `region` now: anything but failed or fenced; unknown regions are tried. */
  usable(region: string): boolean;
}

/** A region view over the local coord table, cached for `cacheMs`; a failed read keeps the last view. */
export const createRegionView = ({
  coord,
  now,
  cacheMs,
}: {
  coord: Pick<CoordTable, 'readJudgements'>;
  now: () => number;
  cacheMs: number;
}): RegionView => {
  let states = new Map<string, string>();
  let readAt = -Infinity;
  return {
    async refresh() {
      if (now() - readAt < cacheMs) return;
      readAt = now();
      const items = await coord.readJudgements().catch(() => undefined);
      const judgements = items?.find((j) => j.sk === 'all')?.judgements as Record<string, Judgement> | undefined;
      if (judgements) states = new Map(Object.values(judgements).map((j) => [j.region, j.state]));
    },
    usable: (region) => {
      const state = states.get(region);
      return state !== 'failed' && state !== 'fenced';
    },
  };
};
