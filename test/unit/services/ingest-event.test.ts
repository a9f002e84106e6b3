import { describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/ingest/handler';
import { buildIngressEvent, keyIdOf } from '../../helpers/factories';
import { DYNAMODB_ITEM_LIMIT_BYTES, itemBytes } from '../../helpers/fakes';
import { createIngestDeps } from '../../helpers/ingest-deps';

describe('ingest handler', () => {
  it('stores a new event and opens its event row for the sweeper after the grace period', async () => {
    // Prepare
    const { deps, inbox, ledger, metrics } = createIngestDeps();

    // Act
    const outcome = await createHandler(deps)(buildIngressEvent());

    // Assess
    expect(outcome).toMatchObject({ outcome: 'stored', id: keyIdOf('com.switchyard.orders', 'o-1'), zone: 'global' });
    expect(inbox.items()).toHaveLength(1);
    expect(ledger.openRows()).toEqual([
      expect.objectContaining({ due: '2026-11-27T10:00:04.000Z', row: expect.objectContaining({ home: 'us-east-1' }) }),
    ]);
    expect(metrics.counts.get('Ingested')).toBe(1);
  });

  it('recognises a retry of its own acceptance, and counts no duplicate', async () => {
    // Prepare
    const { deps, metrics } = createIngestDeps();
    const handle = createHandler(deps);
    await handle(buildIngressEvent());

    // Act
    const outcome = await handle(buildIngressEvent());

    // Assess
    expect(outcome.outcome).toBe('retried');
    expect(metrics.counts.get('DuplicateDropped')).toBeUndefined();
    expect(metrics.counts.get('IngestRetried')).toBe(1);
  });

  it('drops another event with a key inside its dedupe window as a duplicate, opening nothing', async () => {
    // Prepare
    const { deps, ledger, metrics } = createIngestDeps();
    const handle = createHandler(deps);
    await handle(buildIngressEvent());

    // Act
    const outcome = await handle(buildIngressEvent({ id: 'another-event-id' }));

    // Assess
    expect(outcome.outcome).toBe('duplicate');
    expect(ledger.openRows()).toHaveLength(1);
    expect(metrics.counts.get('DuplicateDropped')).toBe(1);
  });

  it('records the dropped repeat beside its key, naming the event it repeated', async () => {
    // Prepare
    const { deps, ledger } = createIngestDeps();
    const handle = createHandler(deps);
    await handle(buildIngressEvent());

    // Act
    await handle(buildIngressEvent({ id: 'another-event-id' }));

    // Assess
    expect(ledger.drops()).toEqual([
      expect.objectContaining({
        eventId: 'another-event-id',
        home: 'us-east-1',
        kept: { eventId: buildIngressEvent().id, home: 'us-east-1' },
        expiresAt: expect.any(Number),
      }),
    ]);
  });

  it('counts a repeat once when EventBridge invokes ingest again for it (after a failure or a timeout)', async () => {
    // Prepare: the repeat was dropped and counted once; its invocation then failed (or middy timed it out).
    const { deps, ledger, metrics, log } = createIngestDeps();
    const handle = createHandler(deps);
    await handle(buildIngressEvent());
    await handle(buildIngressEvent({ id: 'another-event-id' }));

    // Act: EventBridge's retry of that same event
    const outcome = await handle(buildIngressEvent({ id: 'another-event-id' }));

    // Assess
    expect(outcome.outcome).toBe('duplicate');
    expect(metrics.counts.get('DuplicateDropped')).toBe(1);
    expect(ledger.drops()).toHaveLength(1);
    expect(log.lines.map((l) => l.message)).toContain('repeat already dropped and counted by an earlier attempt');
  });

  it('counts the switchyard: resources it strips', async () => {
    const { deps, metrics } = createIngestDeps();
    await createHandler(deps)(buildIngressEvent({ resources: ['switchyard:key:x', 'switchyard:attempt:1'] }));
    expect(metrics.counts.get('TraceResourcesStripped')).toBe(2);
  });

  it('quarantines an event the inbox refuses for good, keeping the quarantine item within DynamoDB’s limit', async () => {
    // Prepare: a 210 KB key inside a 210 KB detail makes an inbox item (detail + full key text) over 400 KB
    const { deps, quarantine } = createIngestDeps();
    const event = buildIngressEvent({ detail: { orderId: 'k'.repeat(210_000), total: 1 } });

    // Act
    const outcome = await createHandler(deps)(event);

    // Assess
    expect(outcome).toMatchObject({ outcome: 'quarantined', reason: 'store-rejected' });
    expect(itemBytes(quarantine.items()[0])).toBeLessThanOrEqual(DYNAMODB_ITEM_LIMIT_BYTES);
  });

  it('quarantines an event whose rejection message would repeat a huge field, within DynamoDB’s limit', async () => {
    // Prepare: detail.tenant is copied into the unknown-tenant message
    const { deps, quarantine } = createIngestDeps();
    const event = buildIngressEvent({ detail: { orderId: 'o-1', tenant: 't'.repeat(250_000) } });

    // Act
    const outcome = await createHandler(deps)(event);

    // Assess
    expect(outcome).toMatchObject({ outcome: 'quarantined', reason: 'unknown-tenant' });
    expect(itemBytes(quarantine.items()[0])).toBeLessThanOrEqual(DYNAMODB_ITEM_LIMIT_BYTES);
  });
});
