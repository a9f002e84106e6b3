import type { Catalog } from '../../shared/domain/catalog';
import type { IngestDeps } from '../../shared/services/ingest-event';
import { createCountingMetrics, createMemoryLog } from '../../shared/services/telemetry';
import { SAMPLE_RETENTION, sampleBindings, sampleCatalog } from './factories';
import { createFakeInbox, createFakeLedger, createFakeQuarantine, createStaticCatalogs } from './fakes';

/** Ids q-1, q-2, … in call order. */
export const createIdSequence = (prefix = 'q') => {
  let n = 0;
  return () => `${prefix}-${++n}`;
};

/**
 * Ingest deps for `region` over in-memory tables: the sample catalog as the active version, the
 * sample bindings, 14-day retention, hop limit 3 and a clock standing at 2026-11-27T10:00:01Z
 * (move it with `setNow`). Returns the fakes so a test can look at what was written.
 */
export const createIngestDeps = (
  options: { region?: string; catalog?: Catalog; inboxRejectAbove?: number; overrides?: Partial<IngestDeps> } = {},
) => {
  const inbox = createFakeInbox(options.inboxRejectAbove ? { rejectAbove: options.inboxRejectAbove } : {});
  const ledger = createFakeLedger();
  const quarantine = createFakeQuarantine();
  const metrics = createCountingMetrics();
  const log = createMemoryLog();
  let now = Date.parse('2026-11-27T10:00:01.000Z');
  const deps: IngestDeps = {
    region: options.region ?? 'us-east-1',
    catalogs: createStaticCatalogs(options.catalog ?? sampleCatalog()),
    inbox,
    ledger: ledger.ledger,
    quarantine,
    now: () => new Date(now),
    newId: createIdSequence(),
    maxEventBytes: 262_144,
    retention: SAMPLE_RETENTION,
    bindings: sampleBindings(),
    hopLimit: 3,
    sweepGraceMs: 3_000,
    metrics,
    log,
    ...options.overrides,
  };
  return {
    deps,
    inbox,
    ledger,
    quarantine,
    metrics,
    log,
    setNow: (ms: number) => {
      now = ms;
    },
  };
};
