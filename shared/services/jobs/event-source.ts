import type { LedgerRows, LedgerTable } from '../../adapters/ledger-table';
import type { EventRow } from '../../domain/delivery/ledger-entry';
import { isEventKey } from '../../domain/jobs/selection';
import { mapWithConcurrency } from '../../domain/map-with-concurrency';
import { allShards, INDEX_SHARDS } from '../../table-definitions';

/** Keys whose ledger rows are read at once. */
const KEY_READS = 16;

/** Where a part's reading stands: an index shard (or a place in a list of keys) and the position in it. */
export interface Position {
  shard: number;
  after?: string;
}

/** One event row to work on, the position just after it, and its ledger rows when the source read them. */
export interface SourcedEvent {
  row: EventRow;
  next: Position;
  rows?: LedgerRows;
}

/** A page of events; `next` is where to continue when the page is empty but the source is not done. */
export interface SourcedPage {
  events: SourcedEvent[];
  next: Position;
  exhausted: boolean;
}

export interface SourceInput {
  ledger: Pick<LedgerTable, 'query'>;
  zone: string;
  home: string;
  window: { from: string; to: string };
  pageSize: number;
  /** Selected Switchyard keys, when the job names events by key: read directly instead of the index. */
  keys?: readonly string[];
}

/**
 * Reads the next events of one (zone, home) part: from the `received` index, shard after shard
 * over the window (no scan, no hot partition), or, when the job names its events by key, straight
 * from those keys' ledger rows.
 */
export const readEvents = async (input: SourceInput, at: Position): Promise<SourcedPage> =>
  input.keys ? readKeys(input, input.keys, at) : readIndex(input, at);

const readIndex = async (input: SourceInput, at: Position): Promise<SourcedPage> => {
  const shard = allShards(input.home)[at.shard];
  if (shard === undefined) return { events: [], next: at, exhausted: true };
  const page = await input.ledger.query.receivedEvents(input.zone, shard, input.window, input.pageSize, at.after);
  const endOfShard = (): Position => ({ shard: at.shard + 1 });
  const events = page.items.map((row, i): SourcedEvent => ({
    row,
    next:
      i === page.items.length - 1 && !page.next
        ? endOfShard()
        : { shard: at.shard, after: input.ledger.query.receivedPosition(row) },
  }));
  const next = page.next ? { shard: at.shard, after: page.next } : endOfShard();
  return { events, next, exhausted: !page.next && at.shard + 1 >= INDEX_SHARDS };
};

const readKeys = async (input: SourceInput, keys: readonly string[], at: Position): Promise<SourcedPage> => {
  const slice = keys.slice(at.shard, at.shard + input.pageSize);
  const read = await mapWithConcurrency(slice, KEY_READS, (id) => input.ledger.query.rows(input.zone, id));
  const events: SourcedEvent[] = read.flatMap((rows, i) => {
    const row = rows.events.find((e) => e.home === input.home);
    return row ? [{ row, rows, next: { shard: at.shard + i + 1 } }] : [];
  });
  const next = { shard: at.shard + slice.length };
  return { events, next, exhausted: next.shard >= keys.length };
};

/** The keys among a job's selected ids (EventBridge event ids are matched while reading the window instead). */
export const keysOf = (ids: readonly string[] | undefined): string[] | undefined => {
  if (!ids) return undefined;
  const keys = ids.filter(isEventKey);
  return keys.length === ids.length ? [...new Set(keys)].sort() : undefined;
};
