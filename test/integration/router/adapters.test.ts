import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimRequest } from '../../../shared/adapters/ledger-table';
import type { InboxItem } from '../../../shared/domain/ingest/ingress-event';
import { encodeKey } from '../../../shared/domain/ingest/key-encoding';
import { LEDGER_ROW, shardOf, storedEventId } from '../../../shared/table-definitions';
import { startRouterHarness, type RouterHarness } from './router-harness';

const REGION = 'us-east-1';
const ZONE = 'global';

let harness: RouterHarness;

beforeAll(async () => {
  harness = await startRouterHarness({ stage: 'itadapters', regions: [REGION] });
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

let serial = 0;
const freshId = (): string =>
  encodeKey('com.switchyard.orders', [{ type: 's', value: `o-${Date.now()}-${(serial += 1)}` }]).id;

const item = (id: string, overrides: Partial<InboxItem> = {}): InboxItem => ({
  id,
  eventId: randomUUID(),
  source: 'com.switchyard.orders',
  detailType: 'OrderPlaced',
  detail: '{"orderId":"o-1"}',
  resources: [],
  time: '2026-11-30T10:00:00Z',
  account: '000000000000',
  home: REGION,
  receivedAt: new Date().toISOString(),
  windowEnd: Date.now() + 60_000,
  tenant: 'orders',
  zone: ZONE,
  routesVersion: 1,
  hops: 0,
  expiresAt: Math.floor(Date.now() / 1000) + 86_400,
  ...overrides,
});

const claimRequest = (id: string, overrides: Partial<ClaimRequest> = {}): ClaimRequest => {
  const now = new Date();
  return {
    zone: ZONE,
    id,
    sk: LEDGER_ROW.delivery('fulfilment#local', REGION),
    to: 'fulfilment#local',
    target: 'fulfilment',
    region: REGION,
    bus: 'fulfilment',
    owner: REGION,
    home: REGION,
    epoch: 1,
    token: randomUUID(),
    now: now.toISOString(),
    claimDue: new Date(now.getTime() + 60_000).toISOString(),
    receivedAt: now.toISOString(),
    windowEnd: now.getTime() + 60_000,
    tenant: 'orders',
    routes: ['orders-to-fulfilment'],
    routesVersion: 1,
    expiresAt: Math.floor(now.getTime() / 1000) + 86_400,
    ...overrides,
  };
};

describe('inbox adapter', () => {
  it('stores a new key, recognises its own retry, and refuses another event with the key inside the window', async () => {
    // Prepare
    const { inbox } = harness.adapters(REGION);
    const first = item(freshId());
    // Act
    const stored = await inbox.putNew(first);
    const retried = await inbox.putNew({ ...first, receivedAt: new Date().toISOString() });
    const duplicate = await inbox.putNew({ ...first, eventId: randomUUID() });
    // Assess
    expect(stored).toEqual({ outcome: 'stored' });
    expect(retried).toEqual({ outcome: 'retried' });
    expect(duplicate).toMatchObject({ outcome: 'duplicate', existing: { home: REGION, eventId: first.eventId } });
  });

  it('accepts the key again once its dedupe window has ended, even though the old item is still there', async () => {
    // Prepare: an incarnation whose window ended a second ago (TTL has not deleted it).
    const { inbox } = harness.adapters(REGION);
    const id = freshId();
    await inbox.putNew(item(id, { windowEnd: Date.now() - 1_000 }));
    // Act
    const again = await inbox.putNew(item(id));
    // Assess
    expect(again).toEqual({ outcome: 'stored' });
  });
});

describe('ledger delivery rows', () => {
  it('claims a new delivery as attempt 1 and treats the SDK re-sending that very claim as the same attempt', async () => {
    // Prepare
    const { ledger } = harness.adapters(REGION);
    const request = claimRequest(freshId());
    // Act
    const first = await ledger.deliveries.claim(request);
    const resent = await ledger.deliveries.claim(request);
    // Assess
    expect(first).toEqual({ kind: 'claimed', attempt: 1, suspectedRedelivery: false });
    expect(resent).toEqual({ kind: 'claimed', attempt: 1, suspectedRedelivery: false });
  });

  it('refuses a second worker while a claim is live, then lets it take over an expired claim as a suspected repeat', async () => {
    // Prepare
    const { ledger } = harness.adapters(REGION);
    const id = freshId();
    await ledger.deliveries.claim(claimRequest(id, { claimDue: new Date(Date.now() + 60_000).toISOString() }));
    // Act
    const held = await ledger.deliveries.claim(claimRequest(id));
    const expired = await ledger.deliveries.claim(
      claimRequest(id, { now: new Date(Date.now() + 120_000).toISOString() }),
    );
    // Assess
    expect(held).toMatchObject({ kind: 'held', owner: REGION });
    expect(expired).toEqual({ kind: 'claimed', attempt: 2, suspectedRedelivery: true });
  });

  it('does not count a repeat when the earlier attempt is known not to have reached the bus', async () => {
    // Prepare: attempt 1 failed with a throttle (known not sent), and waits.
    const { ledger } = harness.adapters(REGION);
    const first = claimRequest(freshId());
    await ledger.deliveries.claim(first);
    await ledger.deliveries.wait({
      zone: ZONE,
      id: first.id,
      sk: first.sk,
      token: first.token,
      due: new Date(Date.now() - 1).toISOString(),
      error: 'ThrottlingException: slow down',
      knownNotSent: true,
      attempt: 1,
    });
    // Act
    const second = await ledger.deliveries.claim(claimRequest(first.id));
    // Assess
    expect(second).toEqual({ kind: 'claimed', attempt: 2, suspectedRedelivery: false });
  });

  it('numbers the next claim above every attempt a claim sent, and counts the repeat, when two rounds were lost', async () => {
    // Prepare: attempts 1 and 2 of one claim both lost their answers; the delivery waits.
    const { ledger } = harness.adapters(REGION);
    const first = claimRequest(freshId());
    await ledger.deliveries.claim(first);
    await ledger.deliveries.wait({
      zone: ZONE,
      id: first.id,
      sk: first.sk,
      token: first.token,
      due: new Date(Date.now() - 1).toISOString(),
      error: 'TimeoutError: socket hang up',
      knownNotSent: false,
      attempt: 2,
    });
    // Act
    const next = await ledger.deliveries.claim(claimRequest(first.id));
    // Assess
    expect(next).toEqual({ kind: 'claimed', attempt: 3, suspectedRedelivery: true });
  });

  it('does not count a repeat when the delivery was only held waiting (nothing sent), as for a region judged down', async () => {
    // Prepare: the region is unusable, so the delivery is held waiting twice without a send.
    const { ledger } = harness.adapters(REGION);
    const request = claimRequest(freshId());
    const due = new Date(Date.now() - 1).toISOString();
    await ledger.deliveries.hold({ ...request, status: 'waiting', error: 'region-unusable: down', due });
    await ledger.deliveries.hold({ ...request, token: randomUUID(), status: 'waiting', error: 'still down', due });
    // Act
    const claimed = await ledger.deliveries.claim(claimRequest(request.id));
    // Assess
    expect(claimed).toEqual({ kind: 'claimed', attempt: 1, suspectedRedelivery: false });
  });

  it('still counts a repeat when a hold takes over a claim that expired with its send unknown', async () => {
    // Prepare: attempt 1 was claimed and never confirmed; after it expired the delivery was held waiting.
    const { ledger } = harness.adapters(REGION);
    const first = claimRequest(freshId(), { claimDue: new Date(Date.now() - 1).toISOString() });
    await ledger.deliveries.claim(first);
    const due = new Date(Date.now() - 1).toISOString();
    await ledger.deliveries.hold({ ...claimRequest(first.id), status: 'waiting', error: 'region-unusable', due });
    // Act
    const second = await ledger.deliveries.claim(claimRequest(first.id));
    // Assess
    expect(second).toEqual({ kind: 'claimed', attempt: 2, suspectedRedelivery: true });
  });

  it('confirms once per token, idempotently, and reports a settled delivery to a later claim', async () => {
    // Prepare
    const { ledger } = harness.adapters(REGION);
    const request = claimRequest(freshId());
    await ledger.deliveries.claim(request);
    const key = { zone: ZONE, id: request.id, sk: request.sk, token: request.token };
    // Act
    const confirmed = await ledger.deliveries.confirm({
      ...key,
      attempt: 1,
      busEventId: 'e-1',
      now: new Date().toISOString(),
      redelivered: false,
    });
    const again = await ledger.deliveries.confirm({
      ...key,
      attempt: 1,
      busEventId: 'e-1',
      now: new Date().toISOString(),
      redelivered: false,
    });
    const later = await ledger.deliveries.claim(claimRequest(request.id));
    // Assess
    expect([confirmed, again]).toEqual(['confirmed', 'confirmed']);
    expect(later).toEqual({ kind: 'settled', status: 'delivered' });
    const row = await harness.getItem(REGION, harness.tables.zone(ZONE, 'ledger'), { id: request.id, sk: request.sk });
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, redeliveries: 0, busEventId: 'e-1' });
  });

  it('replaces a row an earlier incarnation of the key left behind, as a fresh first attempt', async () => {
    // Prepare: a delivered row whose window ended before the new event was received.
    const { ledger } = harness.adapters(REGION);
    const id = freshId();
    const old = claimRequest(id, { windowEnd: Date.now() - 1_000 });
    await ledger.deliveries.claim(old);
    await ledger.deliveries.confirm({
      zone: ZONE,
      id,
      sk: old.sk,
      token: old.token,
      attempt: 1,
      busEventId: 'old',
      now: new Date().toISOString(),
      redelivered: false,
    });
    // Act
    const fresh = await ledger.deliveries.claim(claimRequest(id));
    // Assess
    expect(fresh).toEqual({ kind: 'claimed', attempt: 1, suspectedRedelivery: false });
  });

  it('parks a delivery onto the parked index, and counts a hold as new only once', async () => {
    // Prepare
    const { ledger } = harness.adapters(REGION);
    const request = claimRequest(freshId());
    // Act
    const first = await ledger.deliveries.hold({
      ...request,
      status: 'parked',
      error: 'residency-blocked: outside',
      due: request.now,
    });
    const second = await ledger.deliveries.hold({
      ...request,
      token: randomUUID(),
      status: 'parked',
      error: 'residency-blocked: outside',
      due: request.now,
    });
    // Assess
    expect([first, second]).toEqual(['new', 'unchanged']);
    const parked = await ledger.query.parkedDeliveries(ZONE, shardOf('orders', request.id), 100);
    expect(parked.items.map((r) => r.id)).toContain(request.id);
  });
});

describe('ledger event rows and queries', () => {
  it('opens an event row due for the sweeper, settles it off the sweep index, and reads it back by receivedAt window', async () => {
    // Prepare
    const { ledger } = harness.adapters(REGION);
    const id = freshId();
    const now = new Date();
    const row = {
      id,
      home: REGION,
      zone: ZONE,
      tenant: 'orders',
      source: 'com.switchyard.orders',
      eventId: randomUUID(),
      receivedAt: now.toISOString(),
      windowEnd: now.getTime() + 60_000,
      routesVersion: 1,
      expiresAt: Math.floor(now.getTime() / 1000) + 86_400,
    };
    const shard = shardOf(REGION, id);
    // Act
    const opened = await ledger.events.open(row, new Date(now.getTime() - 1).toISOString());
    const dueBefore = await ledger.query.dueEvents(ZONE, shard, new Date().toISOString(), 100);
    const settled = await ledger.events.settle(row, { settled: true, now: new Date().toISOString() });
    const dueAfter = await ledger.query.dueEvents(ZONE, shard, new Date().toISOString(), 100);
    const received = await ledger.query.receivedEvents(
      ZONE,
      shard,
      { from: new Date(now.getTime() - 1_000).toISOString(), to: new Date().toISOString() },
      100,
    );
    // Assess
    expect(opened).toBe('opened');
    expect(dueBefore.items.map((r) => r.id)).toContain(id);
    expect(settled).toBe('settled');
    expect(dueAfter.items.map((r) => r.id)).not.toContain(id);
    expect(received.items.map((r) => r.id)).toContain(id);
  });

  it('settles nothing for a missing row, and re-opens a missing row when work is left', async () => {
    // Prepare
    const { ledger } = harness.adapters(REGION);
    const id = freshId();
    const row = {
      id,
      home: REGION,
      zone: ZONE,
      tenant: 'orders',
      source: 'com.switchyard.orders',
      eventId: 'e',
      receivedAt: new Date().toISOString(),
      windowEnd: Date.now() + 60_000,
      routesVersion: 1,
      expiresAt: 2_000_000_000,
    };
    // Act
    const missing = await ledger.events.settle(row, { settled: true, now: new Date().toISOString() });
    const reopened = await ledger.events.settle(row, {
      settled: false,
      due: new Date().toISOString(),
      now: new Date().toISOString(),
    });
    // Assess
    expect(missing).toBe('missing');
    expect(reopened).toBe('open');
    expect(
      await harness.getItem(REGION, harness.tables.zone(ZONE, 'ledger'), { id, sk: LEDGER_ROW.event(REGION) }),
    ).toMatchObject({ sweepShard: shardOf(REGION, id) });
  });

  it("records a duplicate once per losing home, with its event's TTL, and an SDK retry of that first write as the same record", async () => {
    // Prepare
    const { ledger } = harness.adapters(REGION);
    const id = freshId();
    const expiresAt = Math.floor(Date.now() / 1000) + 3_600;
    const record = {
      lost: REGION,
      lostTo: 'eu-west-1',
      homes: ['eu-west-1', 'us-east-1'],
      detectedIn: REGION,
      detectedAt: new Date().toISOString(),
      expiresAt,
    };
    // Act
    const first = await ledger.events.recordDuplicate(ZONE, id, record);
    const retry = await ledger.events.recordDuplicate(ZONE, id, record);
    const other = await ledger.events.recordDuplicate(ZONE, id, {
      ...record,
      detectedAt: new Date(Date.now() + 1).toISOString(),
    });
    // A third copy of the key (a zone of three regions) lost too: its home records its own repeat.
    const thirdCopy = await ledger.events.recordDuplicate(ZONE, id, {
      ...record,
      lost: 'ap-southeast-2',
      homes: ['ap-southeast-2', 'eu-west-1'],
      detectedIn: 'ap-southeast-2',
    });
    // Assess
    expect([first, retry, other, thirdCopy]).toEqual([true, true, false, true]);
    expect(
      await harness.getItem(REGION, harness.tables.zone(ZONE, 'ledger'), { id, sk: LEDGER_ROW.duplicate(REGION) }),
    ).toMatchObject({ expiresAt, lost: REGION, lostTo: 'eu-west-1' });
    expect((await ledger.query.rows(ZONE, id)).duplicates.map((r) => r.lost).sort()).toEqual([
      'ap-southeast-2',
      REGION,
    ]);
  });

  it('records a dropped repeat once per EventBridge event, and an SDK retry of that first write as the same drop', async () => {
    // Prepare
    const { ledger } = harness.adapters(REGION);
    const id = freshId();
    const expiresAt = Math.floor(Date.now() / 1000) + 3_600;
    const drop = {
      eventId: randomUUID(),
      home: REGION,
      receivedAt: new Date().toISOString(),
      kept: { eventId: randomUUID(), home: REGION },
      token: randomUUID(),
      expiresAt,
    };
    // Act: the first attempt, the SDK re-sending its write, EventBridge's retry (a new token), another repeat
    const first = await ledger.events.recordDrop(ZONE, id, drop);
    const sdkRetry = await ledger.events.recordDrop(ZONE, id, drop);
    const invocationRetry = await ledger.events.recordDrop(ZONE, id, { ...drop, token: randomUUID() });
    const anotherRepeat = await ledger.events.recordDrop(ZONE, id, { ...drop, eventId: randomUUID() });
    // Assess
    expect([first, sdkRetry, invocationRetry, anotherRepeat]).toEqual([true, true, false, true]);
    expect(
      await harness.getItem(REGION, harness.tables.zone(ZONE, 'ledger'), { id, sk: LEDGER_ROW.dropped(drop.eventId) }),
    ).toMatchObject({ kind: 'dropped', keptEventId: drop.kept.eventId, token: drop.token, expiresAt });
    expect((await ledger.query.rows(ZONE, id)).drops).toHaveLength(2);
  });

  it('keeps a dropped repeat whose event ids are too long for a key by their digests', async () => {
    // Prepare: a direct invoke may send any id; EventBridge's own are UUIDs.
    const { ledger } = harness.adapters(REGION);
    const id = freshId();
    const eventId = 'e'.repeat(300_000);
    const drop = {
      eventId,
      home: REGION,
      receivedAt: new Date().toISOString(),
      kept: { eventId: 'k'.repeat(300_000), home: REGION },
      token: randomUUID(),
      expiresAt: Math.floor(Date.now() / 1000) + 3_600,
    };
    // Act
    const first = await ledger.events.recordDrop(ZONE, id, drop);
    const again = await ledger.events.recordDrop(ZONE, id, { ...drop, token: randomUUID() });
    // Assess
    expect([first, again]).toEqual([true, false]);
    expect((await ledger.query.rows(ZONE, id)).drops).toEqual([
      expect.objectContaining({
        sk: `dropped@${storedEventId(eventId)}`,
        eventId: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        keptEventId: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      }),
    ]);
  });

  it('pages through a partition with opaque tokens', async () => {
    // Prepare: three parked rows in one tenant shard.
    const { ledger } = harness.adapters(REGION);
    const ids: string[] = [];
    while (ids.length < 3) {
      const id = freshId();
      if (shardOf('paging', id) !== 'paging#0') continue;
      ids.push(id);
      await ledger.deliveries.hold({
        ...claimRequest(id, { tenant: 'paging' }),
        status: 'parked',
        error: 'x',
        due: new Date().toISOString(),
      });
    }
    // Act
    const first = await ledger.query.parkedDeliveries(ZONE, 'paging#0', 2);
    const second = await ledger.query.parkedDeliveries(ZONE, 'paging#0', 2, first.next);
    // Assess
    expect(first.items).toHaveLength(2);
    expect(first.next).toEqual(expect.any(String));
    expect([...first.items, ...second.items].map((r) => r.id).sort()).toEqual([...ids].sort());
  });
});
