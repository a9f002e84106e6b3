import type { InboxTable } from '../adapters/inbox-table';
import type { QuarantineTable } from '../adapters/quarantine-table';
import { decideIngest } from '../domain/ingest/decide-ingest';
import type { CatalogProvider } from './catalog-provider';

export interface IngestDeps {
  region: string;
  catalogs: CatalogProvider;
  inbox: InboxTable;
  quarantine: QuarantineTable;
  now: () => Date;
  newId: () => string;
  maxEventBytes: number;
  retentionDays: number;
  count: (metric: 'Ingested' | 'DuplicateDropped' | 'Quarantined', value: number) => void;
}

export type IngestOutcome =
  | { outcome: 'stored' | 'duplicate'; id: string; routesVersion: number }
  | { outcome: 'quarantined'; reason: string; message: string };

/** Ingests one event: pin the active routes version, store it once, or quarantine it with its reason. */
export const ingestEvent = async (event: unknown, deps: IngestDeps): Promise<IngestOutcome> => {
  const catalog = await deps.catalogs.active();
  const decision = decideIngest(event, {
    catalog,
    region: deps.region,
    now: deps.now(),
    quarantineId: deps.newId(),
    maxEventBytes: deps.maxEventBytes,
    retentionDays: deps.retentionDays,
  });
  if (decision.kind === 'quarantine') {
    await deps.quarantine.put(decision.item);
    deps.count('Quarantined', 1);
    return { outcome: 'quarantined', reason: decision.item.reason, message: decision.item.message };
  }
  const stored = await deps.inbox.putNew(decision.item);
  deps.count(stored === 'stored' ? 'Ingested' : 'DuplicateDropped', 1);
  return { outcome: stored, id: decision.item.id, routesVersion: catalog.version };
};
