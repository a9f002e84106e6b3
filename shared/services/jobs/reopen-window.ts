import type { LedgerTable } from '../../adapters/ledger-table';
import { allShards } from '../../table-definitions';
import { eventRowInput } from '../../adapters/ledger-table';

/** Events one reopen touches at most: a stream batch holds at most a few hundred. */
const MAX_REOPENED = 10_000;

/**
 * Reopens for the sweeper every event a home received in a window (a stream batch route gave up
 * on): each event row becomes due now, so the sweeper of the home's owner reads all its rows and
 * sends only what no owner delivered. Returns how many were reopened.
 */
export const reopenWindow = async (
  deps: { ledger: Pick<LedgerTable, 'query' | 'events'>; now: () => Date },
  batch: { zone: string; region: string; from: string; to: string },
): Promise<number> => {
  let reopened = 0;
  for (const shard of allShards(batch.region)) {
    let page: string | undefined;
    do {
      const out = await deps.ledger.query.receivedEvents(batch.zone, shard, batch, 100, page);
      for (const row of out.items) {
        const now = deps.now().toISOString();
        await deps.ledger.events.settle(eventRowInput(row), { settled: false, due: now, now });
        reopened += 1;
      }
      page = reopened < MAX_REOPENED ? out.next : undefined;
    } while (page);
  }
  return reopened;
};
