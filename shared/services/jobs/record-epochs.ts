import type { ControlJobs } from '../../adapters/control-jobs';
import type { LedgerTable } from '../../adapters/ledger-table';
import { allShards } from '../../table-definitions';
import type { OwnershipView } from '../ownership-view';

/** A takeover older than this is recorded without watermarks: the replica may hold late arrivals by then. */
const WATERMARK_WINDOW_MS = 60_000;

/**
 * Records, once per ownership epoch, who owns each (zone, home) and since when; a successor that
 * just took over another region's home also records its watermarks (per index shard, the latest
 * event it holds), so reconcile can tell later which of that region's events never reached it.
 * Called by the sweeper every pass; `recorded` remembers what this container already wrote.
 */
export const recordEpochs = async (
  deps: {
    region: string;
    ownership: OwnershipView;
    control: Pick<ControlJobs, 'getEpoch' | 'recordEpoch'>;
    ledger: Pick<LedgerTable, 'query'>;
    now: () => Date;
  },
  recorded: Set<string>,
): Promise<void> => {
  for (const o of await deps.ownership.all()) {
    const key = `${o.zone}#${o.home}#${o.epoch}`;
    if (recorded.has(key)) continue;
    if (!(await deps.control.getEpoch(o.zone, o.home, o.epoch))) {
      const fresh = deps.now().getTime() - Date.parse(o.since) < WATERMARK_WINDOW_MS;
      const watermarks =
        o.home !== deps.region && fresh
          ? Object.fromEntries(
              await Promise.all(
                allShards(o.home).map(
                  async (shard) => [shard, (await deps.ledger.query.latestReceived(o.zone, shard)) ?? ''] as const,
                ),
              ),
            )
          : undefined;
      await deps.control.recordEpoch({
        zone: o.zone,
        home: o.home,
        epoch: o.epoch,
        holder: deps.region,
        since: o.since,
        ...(watermarks ? { watermarks } : {}),
      });
    }
    recorded.add(key);
  }
};
