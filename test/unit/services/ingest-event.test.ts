import { describe, expect, it } from 'vitest';
import { NoActiveCatalogError } from '../../../shared/domain/catalog';
import { StoreUnavailableError } from '../../../shared/domain/infrastructure-errors';
import { createCatalogProvider } from '../../../shared/services/catalog-provider';
import { ingestEvent, type IngestDeps } from '../../../shared/services/ingest-event';
import { buildIngressEvent, sampleCatalogDocument } from '../../helpers/factories';
import { createFakeControl, createFakeInbox, createFakeQuarantine } from '../../helpers/fakes';

const NOW = new Date('2026-11-27T10:00:01.000Z');

const createIngest = (seed: { active?: number } = { active: 1 }) => {
  const control = createFakeControl({ documents: { 1: sampleCatalogDocument() }, ...seed });
  const inbox = createFakeInbox();
  const quarantine = createFakeQuarantine();
  const counts = new Map<string, number>();
  const deps: IngestDeps = {
    region: 'eu-west-1',
    catalogs: createCatalogProvider({ control, ttlMs: 5_000, now: () => NOW.getTime() }),
    inbox,
    quarantine,
    now: () => NOW,
    newId: () => 'q-1',
    maxEventBytes: 262_144,
    retentionDays: 14,
    count: (metric, value) => counts.set(metric, (counts.get(metric) ?? 0) + value),
  };
  return { deps, inbox, quarantine, counts };
};

describe('ingestEvent', () => {
  it('stores a new event pinned to the active routes version', async () => {
    // Prepare
    const ingest = createIngest();

    // Act
    const outcome = await ingestEvent(buildIngressEvent(), ingest.deps);

    // Assess
    expect(outcome).toEqual({ outcome: 'stored', id: 'com.switchyard.orders#o-1', routesVersion: 1 });
    expect(ingest.inbox.items()).toEqual([
      expect.objectContaining({ id: 'com.switchyard.orders#o-1', home: 'eu-west-1', routesVersion: 1 }),
    ]);
    expect(ingest.counts.get('Ingested')).toBe(1);
  });

  it('drops a second event with the same key as a duplicate', async () => {
    // Prepare
    const ingest = createIngest();
    await ingestEvent(buildIngressEvent(), ingest.deps);

    // Act
    const outcome = await ingestEvent(buildIngressEvent({ id: 'another-eventbridge-id' }), ingest.deps);

    // Assess
    expect(outcome).toMatchObject({ outcome: 'duplicate', id: 'com.switchyard.orders#o-1' });
    expect(ingest.inbox.items()).toHaveLength(1);
    expect(ingest.counts.get('DuplicateDropped')).toBe(1);
  });

  it('quarantines a rejected event with its reason and does not store it', async () => {
    // Prepare
    const ingest = createIngest();

    // Act
    const outcome = await ingestEvent(buildIngressEvent({ detail: { total: 1 } }), ingest.deps);

    // Assess
    expect(outcome).toMatchObject({ outcome: 'quarantined', reason: 'missing-key' });
    expect(ingest.quarantine.items()).toEqual([
      expect.objectContaining({ id: 'q-1', reason: 'missing-key', region: 'eu-west-1' }),
    ]);
    expect(ingest.inbox.items()).toEqual([]);
    expect(ingest.counts.get('Quarantined')).toBe(1);
  });

  it('fails with NoActiveCatalogError before any routes version is active', async () => {
    const ingest = createIngest({});
    await expect(ingestEvent(buildIngressEvent(), ingest.deps)).rejects.toBeInstanceOf(NoActiveCatalogError);
    expect(ingest.counts.size).toBe(0);
  });

  it('lets an inbox outage fail the invocation so EventBridge retries it', async () => {
    // Prepare
    const ingest = createIngest();
    ingest.inbox.failOn('putNew');

    // Act
    const act = ingestEvent(buildIngressEvent(), ingest.deps);

    // Assess
    await expect(act).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(ingest.counts.size).toBe(0);
  });
});
