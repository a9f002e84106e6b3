import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHandler as createIngest } from '../../../functions/ingest/handler';
import { createHandler as createRoute } from '../../../functions/route/handler';
import { eventRowInput } from '../../../shared/adapters/ledger-table';
import type { EventRow } from '../../../shared/domain/delivery/ledger-entry';
import type { IngressEvent } from '../../../shared/domain/ingest/ingress-event';
import type { RouteDeps } from '../../../shared/services/route-records';
import { LEDGER_ROW } from '../../../shared/table-definitions';
import { startRouterHarness, streamEvent, type RouterHarness } from './router-harness';

/** The first element, which the test has just made sure exists. */
const first = <T>(items: readonly T[]): T => {
  const [item] = items;
  if (item === undefined) throw new Error('expected at least one item');
  return item;
};

const HOME = 'us-east-1';
const PEER = 'eu-west-1';

let harness: RouterHarness;

beforeAll(async () => {
  harness = await startRouterHarness({ stage: 'itroute', regions: [HOME, PEER] });
  await harness.publishSampleCatalog(HOME);
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

beforeEach(() => {
  harness.cloud.faults.clear();
  harness.cloud.eventBridge.inspector.clearEvents();
});

const order = (detail: Record<string, unknown> = {}): IngressEvent => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'OrderPlaced',
  source: 'com.switchyard.orders',
  account: '000000000000',
  time: '2026-11-30T10:00:00Z',
  region: HOME,
  resources: [],
  detail: { orderId: `o-${randomUUID()}`, total: 5, ...detail },
});

/** Ingests events in HOME and returns their ids and their inbox stream records, as the mapping would hand them to route. */
const ingest = async (events: IngressEvent[]) => {
  const handle = createIngest(harness.ingestDeps(HOME));
  const ids: string[] = [];
  for (const e of events) {
    const outcome = await handle(e);
    if (outcome.outcome !== 'stored') throw new Error(`not stored: ${JSON.stringify(outcome)}`);
    ids.push(outcome.id);
  }
  return { ids, records: await harness.inboxStreamRecords(HOME, 'global', ids, ids.length) };
};

const route = (overrides: Partial<RouteDeps> = {}) => {
  const deps = harness.routeDeps(HOME, overrides);
  return { handle: createRoute(deps), deps };
};

const delivered = (bus = 'fulfilment') => harness.cloud.eventBridge.inspector.listEvents({ bus });
const resourcesOf = (e: ReturnType<typeof delivered>[number]) =>
  e.envelope.resources.filter((r) => r.startsWith('switchyard:'));
const eventRow = (id: string) =>
  harness.getItem(HOME, harness.tables.zone('global', 'ledger'), { id, sk: LEDGER_ROW.event(HOME) });

/** This region's lease on (global, HOME) at epoch 1, valid until `validUntil` (ms). */
const leaseUntil = (validUntil: number) => ({
  zone: 'global',
  home: HOME,
  epoch: 1,
  since: '2000-01-01T00:00:00.000Z',
  validUntil,
});

/** An ownership view whose reads answer `answers` in turn, the last one from then on. */
const viewAnswering = (...answers: (ReturnType<typeof leaseUntil> | undefined)[]) => {
  let reads = 0;
  return { current: async () => answers[Math.min(reads++, answers.length - 1)], all: async () => [] };
};

describe('route handler', () => {
  it('delivers a new event once to its home bus with its trace, confirms it and takes its event row off the sweep index', async () => {
    // Prepare
    const { ids, records } = await ingest([order()]);
    const { handle, deps } = route();
    // Act
    const response = await handle(streamEvent(records));
    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const copies = delivered().filter((e) => e.region === HOME);
    expect(copies).toHaveLength(1);
    expect(resourcesOf(first(copies))).toEqual(
      expect.arrayContaining([
        `switchyard:key:${ids[0]}`,
        `switchyard:origin:${HOME}`,
        'switchyard:attempt:1',
        `switchyard:epoch:${HOME}:1`,
        'switchyard:hop:1',
      ]),
    );
    expect(
      await harness.getItem(HOME, harness.tables.zone('global', 'ledger'), {
        id: first(ids),
        sk: LEDGER_ROW.delivery('fulfilment#local', HOME),
      }),
    ).toMatchObject({
      status: 'delivered',
      owner: HOME,
      epoch: 1,
      tenant: 'orders',
      routes: ['orders-to-fulfilment'],
    });
    expect((await eventRow(first(ids)))?.sweepShard).toBeUndefined();
    expect(deps.metrics.counts.get('Delivered')).toBe(1);
  });

  it('leaves an event it does not own to the owner’s sweeper: nothing sent, the event row stays open', async () => {
    // Prepare
    const { ids, records } = await ingest([order()]);
    const { handle, deps } = route({ ownership: { current: async () => undefined, all: async () => [] } });
    // Act
    await handle(streamEvent(records));
    // Assess
    expect(delivered()).toEqual([]);
    expect(deps.metrics.counts.get('NotOwned')).toBe(1);
    expect((await eventRow(first(ids)))?.sweepShard).toEqual(expect.any(String));
  });

  it('makes no claim once its lease has ended, however recently it read the ownership', async () => {
    // Prepare: the ownership was valid when read; by the claim, the lease has ended (a starved machine
    // can spend seconds between the two, and a successor may take over once the lease ends).
    const { ids, records } = await ingest([order()]);
    const { handle, deps } = route({ ownership: viewAnswering(leaseUntil(Date.now()), undefined) });
    // Act
    await handle(streamEvent(records));
    // Assess: nothing claimed or sent under the old lease; the event stays open for the next owner.
    const row = await harness.getItem(HOME, harness.tables.zone('global', 'ledger'), {
      id: first(ids),
      sk: LEDGER_ROW.delivery('fulfilment#local', HOME),
    });
    expect(row).toBeUndefined();
    expect(delivered()).toEqual([]);
    expect(deps.metrics.counts.get('NotOwned')).toBeGreaterThan(0);
    expect((await eventRow(first(ids)))?.sweepShard).toEqual(expect.any(String));
  });

  it('keeps routing under a lease renewed since it read the ownership', async () => {
    // Prepare: the validity read with the ownership has passed, but the health function renewed the
    // lease at the same epoch meanwhile (a long sweep or replay holds its ownership for minutes).
    const { ids, records } = await ingest([order()]);
    const { handle, deps } = route({
      ownership: viewAnswering(leaseUntil(Date.now()), leaseUntil(Date.now() + 60_000)),
    });
    // Act
    await handle(streamEvent(records));
    // Assess
    expect(delivered().filter((e) => resourcesOf(e).some((r) => r.includes(first(ids))))).toHaveLength(1);
    expect(deps.metrics.counts.get('NotOwned')).toBeUndefined();
  });

  it('sends nothing more under a lease that ended between its claim and its next send', async () => {
    // Prepare: the first send's answer is lost, so the delivery goes out again after a back-off; the
    // lease ends during that back-off.
    const { ids, records } = await ingest([order()]);
    harness.cloud.faults.set('events', HOME, { lostResponseRate: 1, remaining: 1 });
    const held = leaseUntil(Date.now() + 60_000);
    const { handle, deps } = route({
      ownership: viewAnswering(held, undefined),
      sleep: async () => {
        held.validUntil = Date.now();
      },
    });
    // Act
    await handle(streamEvent(records));
    // Assess: one copy (attempt 1); the claim stays open, to expire and pass to the next owner.
    const attempts = delivered().map((e) => resourcesOf(e).find((r) => r.startsWith('switchyard:attempt:')));
    expect(attempts).toEqual(['switchyard:attempt:1']);
    expect(deps.metrics.counts.get('NotOwned')).toBe(1);
    expect(
      await harness.getItem(HOME, harness.tables.zone('global', 'ledger'), {
        id: first(ids),
        sk: LEDGER_ROW.delivery('fulfilment#local', HOME),
      }),
    ).toMatchObject({ status: 'claimed', epoch: 1 });
  });

  it('opens the event row of an event it does not own when its ingest stopped before opening it, so the owner’s sweeper finds it', async () => {
    // Prepare: the item is stored, its event row is not (ingest's region went dark between the two writes).
    const { ids, records } = await ingest([order()]);
    const key = { id: first(ids), sk: LEDGER_ROW.event(HOME) };
    await harness.deleteItem(HOME, harness.tables.zone('global', 'ledger'), key);
    const { handle, deps } = route({ ownership: { current: async () => undefined, all: async () => [] } });
    // Act
    await handle(streamEvent(records));
    // Assess
    expect(delivered()).toEqual([]);
    const row = await eventRow(first(ids));
    expect(row).toMatchObject({ kind: 'event', home: HOME, tenant: 'orders', sweepShard: expect.any(String) });
    expect(Date.parse(String(row?.due))).toBeLessThanOrEqual(Date.now());
    expect(deps.log.lines.map((l) => l.message)).toContain(
      'event row was missing (its ingest stopped, or has not yet written it, after storing the item): opened for the owner',
    );
  });

  it('leaves a settled event row settled when a retried batch brings an event it does not own (the owner delivered it meanwhile)', async () => {
    // Prepare: the owner has delivered the event and settled its row; the home region, back but not yet owner, sees the record again.
    const { ids, records } = await ingest([order()]);
    const { handle, deps } = route({ ownership: { current: async () => undefined, all: async () => [] } });
    const stored = (await eventRow(first(ids))) as EventRow;
    await deps.ledger.events.settle(eventRowInput(stored), { settled: true, now: new Date().toISOString() });
    // Act
    await handle(streamEvent(records));
    // Assess: still settled, off the sweep index, and nothing sent or logged as missing.
    const row = await eventRow(first(ids));
    expect(row).toMatchObject({ settledAt: expect.any(String) });
    expect(row?.sweepShard).toBeUndefined();
    expect(delivered()).toEqual([]);
    expect(deps.log.lines.filter((l) => l.message.startsWith('event row was missing'))).toEqual([]);
  });

  it('fails a local delivery over to the next region of the target’s order while the home region is unusable', async () => {
    // Prepare
    const { records } = await ingest([order()]);
    const { handle, deps } = route({ regionUsable: (region) => region !== HOME });
    // Act
    await handle(streamEvent(records));
    // Assess
    expect(delivered().map((e) => e.region)).toEqual([PEER]);
    expect(deps.metrics.counts.get('FailedOver')).toBe(1);
  });

  it('never fails the record while a target bus is down: the delivery waits with a due time and the event row stays open', async () => {
    // Prepare
    const { ids, records } = await ingest([order()]);
    harness.cloud.faults.set('events', HOME, { down: '503', bus: 'fulfilment' });
    const { handle, deps } = route();
    // Act
    const response = await handle(streamEvent(records));
    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const row = await harness.getItem(HOME, harness.tables.zone('global', 'ledger'), {
      id: first(ids),
      sk: LEDGER_ROW.delivery('fulfilment#local', HOME),
    });
    expect(row).toMatchObject({
      status: 'waiting',
      due: expect.any(String),
      lastError: expect.stringContaining('ServiceUnavailable'),
    });
    expect((await eventRow(first(ids)))?.due).toEqual(row?.due);
    expect(deps.metrics.counts.get('Waiting')).toBe(1);
  });

  it('keeps an unroutable event open while its parked row cannot be written, and parks it once the ledger answers', async () => {
    // Prepare: an order whose stored detail is not JSON (a bad restore), and a ledger that answers 503
    // to the next three UpdateItems (the SDK's three attempts of the parked row's write).
    const { ids, records } = await ingest([order()]);
    const corrupt = records.map((r) => ({
      ...r,
      dynamodb: { ...r.dynamodb, NewImage: { ...r.dynamodb?.NewImage, detail: { S: '{not json' } } },
    }));
    const ledger = harness.tables.zone('global', 'ledger');
    const parkedRow = () =>
      harness.getItem(HOME, ledger, { id: first(ids), sk: LEDGER_ROW.delivery('unroutable#-', HOME) });
    harness.cloud.faults.set('dynamodb', HOME, { down: '503', table: ledger, operation: 'UpdateItem', remaining: 3 });
    // Act
    const { handle, deps } = route();
    await handle(streamEvent(corrupt));
    // Assess: not parked and not settled, due again soon.
    expect(await parkedRow()).toBeUndefined();
    expect(deps.metrics.counts.get('Parked')).toBeUndefined();
    expect((await eventRow(first(ids)))?.due).toEqual(expect.any(String));
    // Act: the ledger answers again.
    const again = route();
    await again.handle(streamEvent(corrupt));
    // Assess: parked with the reason, and the event row is off the sweep index; one log line says why,
    // with the keys that find the event (its key only as a digest).
    expect(await parkedRow()).toMatchObject({ status: 'parked', lastError: expect.stringContaining('unroutable') });
    expect((await eventRow(first(ids)))?.due).toBeUndefined();
    const lines = again.deps.log.lines.filter((l) => l.message === 'event not routable');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.fields).toMatchObject({
      eventId: expect.any(String),
      keyDigest: expect.stringMatching(/^[0-9a-f]{64}$/),
      home: HOME,
      zone: 'global',
      routesVersion: 1,
      epoch: expect.any(Number),
      problem: expect.stringContaining('JSON'),
    });
    expect(JSON.stringify(lines[0]?.fields)).not.toContain(first(ids));
  });

  it('re-sends a PutEvents whose response was lost as attempt 2 and counts the possible repeat', async () => {
    // Prepare: the bus accepts the call, then the connection drops before the answer.
    const { ids, records } = await ingest([order()]);
    harness.cloud.faults.set('events', HOME, { lostResponseRate: 1, remaining: 1 });
    const { handle, deps } = route();
    // Act
    await handle(streamEvent(records));
    // Assess
    const attempts = delivered().map((e) => resourcesOf(e).find((r) => r.startsWith('switchyard:attempt:')));
    expect(attempts).toEqual(['switchyard:attempt:1', 'switchyard:attempt:2']);
    expect(deps.metrics.counts.get('Redelivered')).toBe(1);
    expect(
      await harness.getItem(HOME, harness.tables.zone('global', 'ledger'), {
        id: first(ids),
        sk: LEDGER_ROW.delivery('fulfilment#local', HOME),
      }),
    ).toMatchObject({
      status: 'delivered',
      attempts: 2,
      redeliveries: 1,
    });
  });

  it('does not deliver again an event older than its epoch that the previous owner already delivered', async () => {
    // Prepare: a delivery row written by another owner, then our ownership begins after the event was received.
    const { ids, records } = await ingest([order()]);
    const { ledger } = harness.adapters(HOME);
    const now = new Date();
    const item = await harness.adapters(HOME).inbox.get('global', first(ids));
    if (!item) throw new Error('the inbox item is missing');
    const sk = LEDGER_ROW.delivery('fulfilment#local', PEER);
    const claim = {
      zone: 'global',
      id: first(ids),
      sk,
      to: 'fulfilment#local',
      target: 'fulfilment',
      region: PEER,
      bus: 'fulfilment',
      owner: PEER,
      home: HOME,
      epoch: 2,
      token: randomUUID(),
      now: now.toISOString(),
      claimDue: new Date(now.getTime() + 60_000).toISOString(),
      receivedAt: item.receivedAt,
      windowEnd: item.windowEnd,
      tenant: 'orders',
      routes: ['orders-to-fulfilment'],
      routesVersion: 1,
      expiresAt: item.expiresAt,
    };
    await ledger.deliveries.claim(claim);
    await ledger.deliveries.confirm({
      zone: 'global',
      id: first(ids),
      sk,
      token: claim.token,
      attempt: 1,
      busEventId: 'x',
      now: now.toISOString(),
      redelivered: false,
    });
    const since = new Date(Date.now() + 1_000).toISOString();
    const { handle, deps } = route({
      ownership: { current: async (zone, home) => ({ zone, home, epoch: 3, since }), all: async () => [] },
    });
    // Act
    await handle(streamEvent(records));
    // Assess
    expect(delivered()).toEqual([]);
    expect(deps.metrics.counts.get('DeliveredElsewhere')).toBe(1);
  });

  it('records and counts a duplicate when a replicated overwrite changes the home of an event this region accepted', async () => {
    // Prepare: the same key accepted in PEER later overwrites ours (what last-writer-wins replication does).
    const e = order();
    const { ids } = await ingest([e]);
    const { inbox } = harness.adapters(HOME);
    const ours = await inbox.get('global', first(ids));
    await harness.adapters(HOME).client.send(
      new (await import('@aws-sdk/lib-dynamodb')).PutCommand({
        TableName: harness.tables.zone('global', 'inbox'),
        Item: { ...ours, home: PEER, eventId: randomUUID() },
      }),
    );
    const records = (await harness.inboxStreamRecords(HOME, 'global', ids, 2)).filter((r) => r.eventName === 'MODIFY');
    const { handle, deps } = route();
    // Act
    await handle(streamEvent(records));
    // Assess
    expect(
      await harness.getItem(HOME, harness.tables.zone('global', 'ledger'), {
        id: first(ids),
        sk: LEDGER_ROW.duplicate(HOME),
      }),
    ).toMatchObject({ lost: HOME, lostTo: PEER, homes: [PEER, HOME].sort() });
    expect(deps.metrics.counts.get('DuplicateDetected')).toBe(1);
  });
});
