import type { InboxTable } from '../adapters/inbox-table';
import { eventRowInput } from '../adapters/ledger-table';
import type { EventRow } from '../domain/delivery/ledger-entry';
import { StoreRejectedError, StoreUnavailableError } from '../domain/infrastructure-errors';
import { allShards } from '../table-definitions';
import type { DeliveryDeps, EventWork, Ownership } from './delivery/delivery-deps';
import { driveEvents } from './delivery/drive-events';
import type { OwnershipView } from './ownership-view';

export interface SweepDeps extends DeliveryDeps {
  ownership: OwnershipView;
  inbox: InboxTable;
  /** Event rows read per index partition per pass. */
  pageSize: number;
  /** An event row whose inbox item has not arrived after this long is settled as missing (and logged). */
  missingInboxAfterMs: number;
}

/** What one sweep pass did. */
export interface SweepReport {
  owned: Ownership[];
  due: number;
  settled: number;
  /** Age of the oldest unsettled event found (ms), the sweeper's lag. */
  lagMs: number;
  failures: string[];
}

/**
 * One pass of the sweeper, the guarantee behind the stream: for every (zone, home) this region owns
 * now, every event row due by now is driven like the stream path would, after reading all its
 * ledger rows, so a delivery another owner made is not repeated. Records the stream gave up on,
 * events stranded by a crash, deliveries waiting for a target, a dead region's replicated events
 * after takeover: all end here.
 */
export const sweepOnce = async (deps: SweepDeps): Promise<SweepReport> => {
  const now = deps.now();
  const owned = await deps.ownership.all();
  const report: SweepReport = { owned, due: 0, settled: 0, lagMs: 0, failures: [] };
  for (const ownership of owned) {
    for (const shard of allShards(ownership.home)) {
      try {
        const page = await deps.ledger.query.dueEvents(ownership.zone, shard, now.toISOString(), deps.pageSize);
        if (page.items.length === 0) continue;
        report.due += page.items.length;
        report.lagMs = Math.max(report.lagMs, ...page.items.map((r) => now.getTime() - Date.parse(r.receivedAt)));
        const works = (await Promise.all(page.items.map((row) => workFor(row, ownership, deps)))).flat();
        const results = await driveEvents(works, deps);
        report.settled += results.filter((r) => r.settled).length;
      } catch (error) {
        if (!(error instanceof StoreUnavailableError || error instanceof StoreRejectedError)) throw error;
        report.failures.push(`${ownership.zone}/${shard}: ${error.message}`);
      }
    }
  }
  deps.metrics.count('Swept', report.due);
  deps.metrics.timing('SweeperLagMs', report.lagMs);
  return report;
};

/** The work for one due event row; none when its inbox item is not here yet, or the row is left behind. */
const workFor = async (row: EventRow, ownership: Ownership, deps: SweepDeps): Promise<EventWork[]> => {
  const item = await deps.inbox.get(row.zone, row.id);
  const now = deps.now();
  const input = eventRowInput(row);
  if (!item || Date.parse(item.receivedAt) >= row.windowEnd) {
    // Replication can bring a ledger row before its inbox item; only a long absence is final.
    const age = now.getTime() - Date.parse(row.receivedAt);
    const gone = !item ? age > deps.missingInboxAfterMs : true;
    const settlement = gone
      ? { settled: true as const, now: now.toISOString() }
      : { settled: false as const, due: new Date(now.getTime() + 5_000).toISOString(), now: now.toISOString() };
    await deps.ledger.events.settle(input, settlement);
    if (gone) {
      const why = item ? 'a newer incarnation of its key replaced it' : 'its inbox item never arrived';
      deps.log.forEvent({ eventId: row.eventId, home: row.home, zone: row.zone }, 'warn', `event row settled: ${why}`);
    }
    return [];
  }
  const rows = await deps.ledger.query.rows(row.zone, row.id);
  return [{ item, ownership, rows, row: input }];
};
