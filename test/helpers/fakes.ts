import type { ControlTable, DuplicateRecord, RegionHeartbeat } from '../../shared/adapters/control-table';
import type { InboxTable } from '../../shared/adapters/inbox-table';
import type { ClaimRequest, LedgerTable } from '../../shared/adapters/ledger-table';
import type { QuarantineTable } from '../../shared/adapters/quarantine-table';
import { CatalogVersionConflictError, CatalogVersionNotFoundError } from '../../shared/domain/catalog';
import { claimOutcome, refusedClaimOutcome, type LedgerEntry } from '../../shared/domain/delivery/ledger-entry';
import type { InboxItem, QuarantineItem } from '../../shared/domain/ingest/ingress-event';
import { StoreUnavailableError } from '../../shared/domain/infrastructure-errors';

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

type StoredEntry = Partial<LedgerEntry> & { id: string; to: string };

/** An in-memory ledger with the adapter's conditions: claim new or claimed-at-lower-or-equal-epoch, token-conditioned confirm/park. */
export const createFakeLedger = () => {
  const entries = new Map<string, StoredEntry>();
  const outages = createOutages('ledger');
  const keyOf = (id: string, to: string) => `${id}|${to}`;
  const claimFields = (r: ClaimRequest) => ({
    id: r.id,
    to: r.to,
    owner: r.owner,
    epoch: r.epoch,
    token: r.token,
    open: r.region,
    due: r.now,
    claimedAt: r.now,
    expiresAt: r.expiresAt,
    target: r.target,
    region: r.region,
    bus: r.bus,
    routesVersion: r.routesVersion,
  });
  const ledger: LedgerTable = {
    async claim(r) {
      outages.check('claim');
      const old = entries.get(keyOf(r.id, r.to));
      if (old && !(old.status === 'claimed' && (old.epoch ?? 0) <= r.epoch)) return refusedClaimOutcome({ ...old });
      entries.set(keyOf(r.id, r.to), {
        ...old,
        ...claimFields(r),
        status: 'claimed',
        attempts: (old?.attempts ?? 0) + 1,
      });
      return claimOutcome(old && { ...old });
    },
    async confirm(c) {
      outages.check('confirm');
      const old = entries.get(keyOf(c.id, c.to));
      if (!old || old.token !== c.token) return 'lost';
      const { open: _open, due: _due, lastError: _lastError, ...kept } = old;
      entries.set(keyOf(c.id, c.to), {
        ...kept,
        status: 'delivered',
        deliveredAt: c.now,
        busEventId: c.busEventId,
        redeliveries: (old.redeliveries ?? 0) + (c.redelivered ? 1 : 0),
      });
      return 'confirmed';
    },
    async recordFailure(f) {
      outages.check('recordFailure');
      const old = entries.get(keyOf(f.id, f.to));
      if (!old || old.token !== f.token || old.status !== 'claimed') return 'lost';
      entries.set(keyOf(f.id, f.to), { ...old, lastError: f.error, failedToken: f.token, due: f.due });
      return 'recorded';
    },
    async park(p) {
      outages.check('park');
      const old = entries.get(keyOf(p.id, p.to));
      if (!old || old.token !== p.token) return 'lost';
      entries.set(keyOf(p.id, p.to), {
        ...old,
        status: 'parked',
        lastError: p.error,
        parkedAt: p.now,
        failedToken: p.token,
      });
      return 'parked';
    },
    async parkUnclaimed(r) {
      outages.check('parkUnclaimed');
      const old = entries.get(keyOf(r.id, r.to));
      if (old && old.status !== 'parked') return 'settled';
      entries.set(keyOf(r.id, r.to), {
        ...old,
        ...claimFields(r),
        status: 'parked',
        attempts: old?.attempts ?? 0,
        lastError: r.error,
        parkedAt: r.now,
        failedToken: r.token,
      });
      return old ? 'settled' : 'parked';
    },
  };
  return {
    ...ledger,
    failOn: outages.failOn,
    /** The stored entry for (id, to), as a copy. */
    entry: (id: string, to: string): StoredEntry | undefined => {
      const found = entries.get(keyOf(id, to));
      return found && { ...found };
    },
    all: (): StoredEntry[] => [...entries.values()].map((e) => ({ ...e })),
  };
};

export type FakeLedger = ReturnType<typeof createFakeLedger>;

/** An in-memory control table: immutable catalog versions, active pointer with audit, epochs, duplicates, heartbeats. */
export const createFakeControl = (
  seed: { documents?: Record<number, unknown>; active?: number; epochs?: Record<string, number> } = {},
) => {
  const documents = new Map<number, string>(
    Object.entries(seed.documents ?? {}).map(([v, d]) => [Number(v), JSON.stringify(d)]),
  );
  let active = seed.active;
  const epochs = new Map(Object.entries(seed.epochs ?? {}));
  const duplicates = new Map<string, DuplicateRecord>();
  const heartbeats: RegionHeartbeat[] = [];
  const audit: Array<{ action: string; actor: string; at: string; details: Record<string, unknown> }> = [];
  const reads = { activeVersion: 0, catalogDocument: 0 };
  const outages = createOutages('control');
  const control: ControlTable = {
    async getActiveVersion() {
      outages.check('getActiveVersion');
      reads.activeVersion += 1;
      return active;
    },
    async getCatalogDocument(version) {
      outages.check('getCatalogDocument');
      reads.catalogDocument += 1;
      const text = documents.get(version);
      return text === undefined ? undefined : (JSON.parse(text) as unknown);
    },
    async putCatalogVersion(version, document, actor, now) {
      outages.check('putCatalogVersion');
      const text = JSON.stringify(document);
      const existing = documents.get(version);
      if (existing !== undefined) {
        if (existing === text) return 'unchanged';
        throw new CatalogVersionConflictError(version);
      }
      documents.set(version, text);
      audit.push({ action: 'routes.publish', actor, at: now, details: { version } });
      return 'published';
    },
    async activateVersion(version, actor, now) {
      outages.check('activateVersion');
      if (!documents.has(version)) throw new CatalogVersionNotFoundError(version);
      const previous = active;
      active = version;
      audit.push({ action: 'routes.activate', actor, at: now, details: { version, previous } });
      return previous === undefined ? {} : { previous };
    },
    async getRegionEpoch(region) {
      outages.check('getRegionEpoch');
      return epochs.get(region) ?? 0;
    },
    async recordDuplicate(record) {
      outages.check('recordDuplicate');
      if (duplicates.has(record.id)) return false;
      duplicates.set(record.id, { ...record });
      return true;
    },
    async putHeartbeat(heartbeat) {
      outages.check('putHeartbeat');
      heartbeats.push({ ...heartbeat });
    },
  };
  return {
    ...control,
    failOn: outages.failOn,
    setActive: (version: number | undefined) => {
      active = version;
    },
    duplicates: () => [...duplicates.values()],
    heartbeats: () => [...heartbeats],
    audit: () => [...audit],
    reads,
  };
};

export type FakeControl = ReturnType<typeof createFakeControl>;

/** An in-memory inbox whose put is conditional on the key being new, like `attribute_not_exists(id)`. */
export const createFakeInbox = () => {
  const items = new Map<string, InboxItem>();
  const outages = createOutages('inbox');
  const inbox: InboxTable = {
    async putNew(item) {
      outages.check('putNew');
      if (items.has(item.id)) return 'duplicate';
      items.set(item.id, { ...item });
      return 'stored';
    },
    async get(id) {
      outages.check('get');
      const found = items.get(id);
      return found && { ...found };
    },
  };
  return { ...inbox, failOn: outages.failOn, items: () => [...items.values()] };
};

/** An in-memory quarantine that keeps every rejected event. */
export const createFakeQuarantine = () => {
  const items: QuarantineItem[] = [];
  const outages = createOutages('quarantine');
  const quarantine: QuarantineTable = {
    async put(item) {
      outages.check('put');
      items.push({ ...item });
    },
  };
  return { ...quarantine, failOn: outages.failOn, items: () => [...items] };
};
