import type { ControlTable } from '../../shared/adapters/control-table';
import type { InboxTable, PutOutcome } from '../../shared/adapters/inbox-table';
import type { DroppedRepeat, EventRowInput, LedgerTable } from '../../shared/adapters/ledger-table';
import type { QuarantineTable } from '../../shared/adapters/quarantine-table';
import type { Catalog } from '../../shared/domain/catalog';
import type { InboxItem, QuarantineItem } from '../../shared/domain/ingest/ingress-event';
import { StoreRejectedError, StoreUnavailableError } from '../../shared/domain/infrastructure-errors';
import type { CatalogProvider } from '../../shared/services/catalog-provider';

export { createDeterministicRandom, createInstantSleep, createScriptedBus } from './scripted-bus';

/** Makes chosen operations of a fake throw StoreUnavailableError, as the real adapters do when a table is down. */
const createOutages = (table: string) => {
  const remaining = new Map<string, number>();
  return {
    /** The next `times` calls of `operation` fail (every call when `times` is omitted). */
    failOn(operation: string, times = Number.POSITIVE_INFINITY): void {
      remaining.set(operation, times);
    },
    check(operation: string): void {
      const left = remaining.get(operation) ?? 0;
      if (left <= 0) return;
      remaining.set(operation, left - 1);
      throw new StoreUnavailableError(table, operation, new Error('ServiceUnavailable'));
    },
  };
};

/** An object whose every member throws: a port the code under test was not expected to use. */
export const unexpectedPort = (what: string): never =>
  new Proxy(
    {},
    {
      get: (_target, member) => {
        throw new Error(`${what}.${String(member)} is not implemented by this fake: the code under test used it`);
      },
    },
  ) as never;

/** DynamoDB's item size limit. */
export const DYNAMODB_ITEM_LIMIT_BYTES = 400 * 1024;

/** An item's size as DynamoDB roughly counts it (names and values): the UTF-8 bytes of its JSON. */
export const itemBytes = (item: unknown): number => Buffer.byteLength(JSON.stringify(item), 'utf8');

const refuseOversized = (table: string, item: unknown, limit: number): void => {
  if (itemBytes(item) <= limit) return;
  const cause = new Error('Item size has exceeded the maximum allowed size');
  throw new StoreRejectedError(table, 'PutItem', 'ValidationException', cause);
};

/**
 * An in-memory inbox with the adapter's dedupe put: stored when the key is free or its stored item's
 * window has ended, `retried` for our own earlier write (same event id and home), else `duplicate`.
 * Like DynamoDB it refuses items over 400 KB (`rejectAbove` lowers that, to reach the refusal cheaply).
 */
export const createFakeInbox = ({ rejectAbove = DYNAMODB_ITEM_LIMIT_BYTES }: { rejectAbove?: number } = {}) => {
  const items = new Map<string, InboxItem>();
  const outages = createOutages('inbox');
  const keyOf = (zone: string, id: string) => `${zone}|${id}`;
  const inbox: InboxTable = {
    async putNew(item): Promise<PutOutcome> {
      outages.check('putNew');
      refuseOversized('inbox', item, rejectAbove);
      const existing = items.get(keyOf(item.zone, item.id));
      if (!existing || existing.windowEnd <= Date.parse(item.receivedAt)) {
        items.set(keyOf(item.zone, item.id), structuredClone(item));
        return { outcome: 'stored' };
      }
      if (existing.eventId === item.eventId && existing.home === item.home) return { outcome: 'retried' };
      const { home, eventId, receivedAt } = existing;
      return { outcome: 'duplicate', existing: { home, eventId, receivedAt } };
    },
    async get(zone, id) {
      outages.check('get');
      const found = items.get(keyOf(zone, id));
      return found && structuredClone(found);
    },
    async delete(zone, id) {
      outages.check('delete');
      return items.delete(keyOf(zone, id));
    },
    async idsWithPrefix(zone, prefix) {
      outages.check('idsWithPrefix');
      return [...items.values()]
        .filter((i) => i.zone === zone && (i.id.startsWith(prefix) || i.keyText?.startsWith(prefix)))
        .map((i) => i.id);
    },
  };
  return { ...inbox, failOn: outages.failOn, items: () => [...items.values()] };
};

export type FakeInbox = ReturnType<typeof createFakeInbox>;

/**
 * An in-memory ledger for ingest: `events.open` keeps one event row per (id, home) and answers
 * `exists` for a second open; `events.recordDrop` keeps one drop row per dropped EventBridge event.
 * Any other ledger member throws, so a test notices an unexpected use.
 */
export const createFakeLedger = () => {
  const rows = new Map<string, { row: EventRowInput; due: string }>();
  const drops = new Map<string, DroppedRepeat>();
  const outages = createOutages('ledger');
  const events = {
    async open(row: EventRowInput, due: string): Promise<'opened' | 'exists'> {
      outages.check('open');
      const key = `${row.zone}|${row.id}|${row.home}`;
      if (rows.has(key)) return 'exists';
      rows.set(key, { row: structuredClone(row), due });
      return 'opened';
    },
    async recordDrop(zone: string, id: string, drop: DroppedRepeat): Promise<boolean> {
      outages.check('recordDrop');
      const key = `${zone}|${id}|${drop.eventId}`;
      const existing = drops.get(key);
      if (existing) return existing.token === drop.token;
      drops.set(key, structuredClone(drop));
      return true;
    },
  };
  const ledger = { events, deliveries: unexpectedPort('ledger.deliveries'), query: unexpectedPort('ledger.query') };
  return {
    // Only `events.open` and `events.recordDrop` are real; the cast states that the rest of the port is deliberately absent.
    ledger: ledger as unknown as LedgerTable,
    failOn: outages.failOn,
    /** The open event rows, with the due time each was opened with. */
    openRows: () => [...rows.values()],
    /** The dropped repeats, one per EventBridge event. */
    drops: () => [...drops.values()],
  };
};

export type FakeLedger = ReturnType<typeof createFakeLedger>;

/** An in-memory quarantine that keeps every rejected event; like DynamoDB it refuses items over 400 KB. */
export const createFakeQuarantine = () => {
  const items: QuarantineItem[] = [];
  const outages = createOutages('quarantine');
  const quarantine: QuarantineTable = {
    async put(item) {
      outages.check('put');
      refuseOversized('quarantine', item, DYNAMODB_ITEM_LIMIT_BYTES);
      items.push(structuredClone(item));
    },
    async eraseMatching(source, keyDigest, needle) {
      outages.check('eraseMatching');
      const before = items.length;
      const kept = items.filter(
        (i) =>
          i.source !== source ||
          (i.keyDigest !== undefined ? i.keyDigest !== keyDigest : !(i.event ?? '').includes(needle)),
      );
      items.splice(0, items.length, ...kept);
      return before - kept.length;
    },
    async eraseMentioning(source, needle) {
      outages.check('eraseMentioning');
      const before = items.length;
      const kept = items.filter((i) => i.source !== source || !(i.event ?? '').includes(needle));
      items.splice(0, items.length, ...kept);
      return before - kept.length;
    },
  };
  return { ...quarantine, failOn: outages.failOn, items: () => [...items] };
};

export type FakeQuarantine = ReturnType<typeof createFakeQuarantine>;

/**
 * The catalog documents of a control table. A version in `lagging` has not replicated to this
 * region yet: an eventually consistent read misses it, a strongly consistent one finds it.
 */
export const createFakeCatalogStore = (documents: Record<number, unknown>, lagging: readonly number[] = []) => {
  const stored = new Map(Object.entries(documents).map(([v, d]) => [Number(v), JSON.stringify(d)]));
  const behind = new Set(lagging);
  const reads: Array<{ version: number; consistent: boolean }> = [];
  const outages = createOutages('control');
  const control: Pick<ControlTable, 'getCatalogDocument'> = {
    async getCatalogDocument(version, options = {}) {
      outages.check('getCatalogDocument');
      const consistent = options.consistent === true;
      reads.push({ version, consistent });
      const text = stored.get(version);
      if (text === undefined || (behind.has(version) && !consistent)) return undefined;
      return JSON.parse(text) as unknown;
    },
  };
  return {
    control,
    reads,
    failOn: outages.failOn,
    /** Stores a version (published elsewhere, replicated here). */
    put: (version: number, document: unknown) => {
      stored.set(version, JSON.stringify(document));
      behind.delete(version);
    },
  };
};

/** A catalog provider that serves one compiled catalog as the active version and as every version. */
export const createStaticCatalogs = (catalog: Catalog): CatalogProvider => ({
  active: async () => catalog,
  version: async () => catalog,
});
