import { randomUUID } from 'node:crypto';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHandler as createIngest } from '../../../functions/ingest/handler';
import type { IngressEvent } from '../../../shared/domain/ingest/ingress-event';
import type { Ownership } from '../../../shared/services/delivery/delivery-deps';
import { createBreakers } from '../../../shared/domain/delivery/breaker-registry';
import { DEFAULT_BREAKER_SETTINGS } from '../../../shared/domain/delivery/breaker';
import { sweepOnce, type SweepDeps } from '../../../shared/services/sweep';
import { LEDGER_ROW } from '../../../shared/table-definitions';
import { startRouterHarness, type RouterHarness } from './router-harness';

const HOME = 'us-east-1';
const SUCCESSOR = 'eu-west-1';

let harness: RouterHarness;

beforeAll(async () => {
  harness = await startRouterHarness({ stage: 'itsweep', regions: [HOME, SUCCESSOR] });
  // No replicator here: every region gets the catalog version in its own control table.
  await harness.publishSampleCatalog(HOME);
  await harness.publishSampleCatalog(SUCCESSOR);
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

beforeEach(() => {
  harness.cloud.faults.clear();
  harness.cloud.eventBridge.inspector.clearEvents();
});

const payment = (): IngressEvent => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'PaymentCaptured',
  source: 'com.switchyard.payments',
  account: '000000000000',
  time: '2026-11-30T10:00:00Z',
  region: HOME,
  resources: [],
  detail: { paymentId: `p-${randomUUID()}`, amount: 10 },
});

const order = (): IngressEvent => ({
  ...payment(),
  'detail-type': 'OrderPlaced',
  source: 'com.switchyard.orders',
  detail: { orderId: `o-${randomUUID()}`, total: 10 },
});

/** The `fulfilment` copies of one event that reached `region`. */
const fulfilmentIn = (region: string, id: string) =>
  harness.cloud.eventBridge.inspector
    .listEvents({ bus: 'fulfilment', region })
    .filter((e) => e.envelope.resources.includes(`switchyard:key:${id}`));

/** Ingests in `region` with no grace, so the event is due for the sweeper at once (as if the stream never routed it). */
const ingestDue = async (region: string, e: IngressEvent): Promise<string> => {
  const outcome = await createIngest(harness.ingestDeps(region, { sweepGraceMs: 0 }))(e);
  if (outcome.outcome !== 'stored') throw new Error(JSON.stringify(outcome));
  return outcome.id;
};

const sweeperIn = (region: string, owned: Ownership[], overrides: Partial<SweepDeps> = {}) => {
  const deps = harness.deliveryDeps(region, overrides);
  const sweep: SweepDeps = {
    ...deps,
    ownership: {
      current: async (zone, home) => owned.find((o) => o.zone === zone && o.home === home),
      all: async () => owned,
    },
    inbox: harness.adapters(region).inbox,
    pageSize: 100,
    missingInboxAfterMs: 3_600_000,
    ...overrides,
  };
  return { sweep, metrics: deps.metrics };
};

const own = (home: string, epoch = 1): Ownership[] => [
  { zone: 'transatlantic', home, epoch, since: '2000-01-01T00:00:00.000Z' },
  { zone: 'global', home, epoch, since: '2000-01-01T00:00:00.000Z' },
];

/** The integration harness has no replicator: copies an event's inbox item and ledger rows to the successor as global tables would. */
const replicate = async (id: string): Promise<void> => {
  const from = harness.adapters(HOME);
  const to = harness.adapters(SUCCESSOR);
  const item = await from.inbox.get('transatlantic', id);
  if (!item) throw new Error('no item');
  await to.inbox.putNew(item);
  const rows = await from.ledger.query.rows('transatlantic', id);
  for (const row of [...rows.events, ...rows.deliveries])
    await to.client.send(new PutCommand({ TableName: harness.tables.zone('transatlantic', 'ledger'), Item: row }));
};

describe('sweeper', () => {
  it('delivers every copy of an event the stream never routed and settles its event row', async () => {
    // Prepare: a payment fans out to ledger-sync in both regions of its zone.
    const id = await ingestDue(HOME, payment());
    const { sweep } = sweeperIn(HOME, own(HOME));
    // Act
    const report = await sweepOnce(sweep);
    // Assess
    expect(report.due).toBeGreaterThanOrEqual(1);
    expect(
      harness.cloud.eventBridge.inspector
        .listEvents({ bus: 'ledger-sync' })
        .map((e) => e.region)
        .sort(),
    ).toEqual([SUCCESSOR, HOME].sort());
    const row = await harness.getItem(HOME, harness.tables.zone('transatlantic', 'ledger'), {
      id,
      sk: LEDGER_ROW.event(HOME),
    });
    expect(row?.sweepShard).toBeUndefined();
    expect(row?.settledAt).toEqual(expect.any(String));
  });

  it('leaves a fanout copy waiting while its region is unusable, then delivers it on a later pass', async () => {
    // Prepare
    const id = await ingestDue(HOME, payment());
    let successorUp = false;
    const { sweep } = sweeperIn(HOME, own(HOME), { regionUsable: (region) => region !== SUCCESSOR || successorUp });
    // Act
    await sweepOnce(sweep);
    const waiting = await harness.getItem(HOME, harness.tables.zone('transatlantic', 'ledger'), {
      id,
      sk: LEDGER_ROW.delivery(`ledger-sync#${SUCCESSOR}`, HOME),
    });
    successorUp = true;
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await sweepOnce(sweep);
    // Assess
    expect(waiting).toMatchObject({ status: 'waiting', lastError: expect.stringContaining('region-unavailable') });
    const row = await harness.getItem(HOME, harness.tables.zone('transatlantic', 'ledger'), {
      id,
      sk: LEDGER_ROW.delivery(`ledger-sync#${SUCCESSOR}`, HOME),
    });
    expect(row).toMatchObject({ status: 'delivered' });
    expect(
      harness.cloud.eventBridge.inspector.listEvents({ bus: 'ledger-sync' }).filter((e) => e.region === SUCCESSOR),
    ).toHaveLength(1);
  });

  it('takes over a dead home’s replicated events under its own lease, and its copies carry the new epoch', async () => {
    // Prepare: HOME accepted an event and died before routing it; the successor holds HOME's lease at epoch 2.
    const id = await ingestDue(HOME, payment());
    await replicate(id);
    const { sweep, metrics } = sweeperIn(SUCCESSOR, own(HOME, 2));
    // Act
    await sweepOnce(sweep);
    // Assess
    const copies = harness.cloud.eventBridge.inspector.listEvents({ bus: 'ledger-sync' });
    expect(copies).toHaveLength(2);
    for (const copy of copies) expect(copy.envelope.resources).toContain(`switchyard:epoch:${SUCCESSOR}:2`);
    expect(metrics.counts.get('Delivered')).toBe(2);
  });

  it('re-sends what a dead owner claimed and never confirmed as a later attempt, counted, and what it only held as a first attempt', async () => {
    // Prepare: HOME claimed the ledger-sync copy to HOME (the send may have gone out) and held the
    // copy to SUCCESSOR waiting (nothing sent), then died; both rows replicated.
    const id = await ingestDue(HOME, payment());
    const { ledger } = harness.adapters(HOME);
    const row = (to: string, token = randomUUID()) => ({
      zone: 'transatlantic',
      id,
      sk: LEDGER_ROW.delivery(to, HOME),
      to,
      target: 'ledger-sync',
      region: to.split('#')[1] ?? '',
      bus: 'ledger-sync',
      owner: HOME,
      home: HOME,
      epoch: 1,
      token,
      now: new Date().toISOString(),
      claimDue: new Date(Date.now() + 60_000).toISOString(),
      receivedAt: new Date().toISOString(),
      windowEnd: Date.now() + 3_600_000,
      tenant: 'payments',
      routes: ['payments-everywhere'],
      routesVersion: 1,
      expiresAt: Math.floor(Date.now() / 1000) + 86_400,
    });
    await ledger.deliveries.claim(row(`ledger-sync#${HOME}`));
    await ledger.deliveries.hold({
      ...row(`ledger-sync#${SUCCESSOR}`),
      status: 'waiting',
      error: 'region-unavailable',
      due: new Date().toISOString(),
    });
    await replicate(id);
    const { sweep, metrics } = sweeperIn(SUCCESSOR, own(HOME, 2));
    // Act
    await sweepOnce(sweep);
    // Assess
    const attemptTo = (region: string) =>
      harness.cloud.eventBridge.inspector
        .listEvents({ bus: 'ledger-sync', region })
        .map((e) => e.envelope.resources.find((r) => r.startsWith('switchyard:attempt:')));
    expect(attemptTo(HOME)).toEqual(['switchyard:attempt:2']);
    expect(attemptTo(SUCCESSOR)).toEqual(['switchyard:attempt:1']);
    expect(metrics.counts.get('Redelivered')).toBe(1);
  });

  it('keeps an event open when a later attempt takes its claims over mid-send, so a claim that attempt never confirms is swept again', async () => {
    // Prepare: while this sweeper sends (it outlived its claim time, as on a loaded machine), a later
    // attempt takes both ledger-sync claims over, then stops before it sends or confirms.
    const id = await ingestDue(HOME, payment());
    const table = harness.tables.zone('transatlantic', 'ledger');
    const { bus, client } = harness.adapters(HOME);
    const takeOver = async (region: string): Promise<void> => {
      await client.send(
        new UpdateCommand({
          TableName: table,
          Key: { id, sk: LEDGER_ROW.delivery(`ledger-sync#${region}`, HOME) },
          UpdateExpression: 'SET #token = :token, claimedAt = :now, due = :due, attempts = attempts + :one',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: {
            ':token': randomUUID(),
            ':now': new Date().toISOString(),
            ':due': new Date(Date.now() + 1_000).toISOString(),
            ':one': 1,
          },
        }),
      );
    };
    const slow = sweeperIn(HOME, own(HOME), {
      bus: {
        putEvents: async (region, entries) => {
          if (entries.some((e) => e.Resources.includes(`switchyard:key:${id}`))) await takeOver(region);
          return bus.putEvents(region, entries);
        },
      },
    });
    // Act
    await sweepOnce(slow.sweep);
    const eventRow = await harness.getItem(HOME, table, { id, sk: LEDGER_ROW.event(HOME) });
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const next = sweeperIn(HOME, own(HOME));
    await sweepOnce(next.sweep);
    // Assess: the event stayed due; the next pass re-sent both as later attempts, counted, and settled them.
    expect(slow.metrics.counts.get('ClaimLost')).toBe(2);
    expect(eventRow).toMatchObject({ due: expect.any(String) });
    expect(eventRow?.settledAt).toBeUndefined();
    for (const region of [HOME, SUCCESSOR]) {
      const row = await harness.getItem(HOME, table, { id, sk: LEDGER_ROW.delivery(`ledger-sync#${region}`, HOME) });
      expect(row).toMatchObject({ status: 'delivered', attempts: 3 });
    }
    expect(next.metrics.counts.get('Redelivered')).toBe(2);
    const settled = await harness.getItem(HOME, table, { id, sk: LEDGER_ROW.event(HOME) });
    expect(settled?.settledAt).toEqual(expect.any(String));
  });

  it('fails a local delivery over at its next try once its home bus trips the breaker, rather than after the cool-down', async () => {
    // Prepare: fulfilment in HOME is down, and one failure opens its breaker for a minute.
    harness.cloud.faults.set('events', HOME, { down: '503', bus: 'fulfilment' });
    const id = await ingestDue(HOME, order());
    const breakers = createBreakers(
      { ...DEFAULT_BREAKER_SETTINGS, consecutiveFailures: 1, baseCooldownMs: 60_000 },
      Date.now,
    );
    const { sweep } = sweeperIn(HOME, own(HOME), { breakers });
    // Act: the first pass fails in HOME; the next, once the delivery's short backoff has passed, fails it over.
    await sweepOnce(sweep);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await sweepOnce(sweep);
    // Assess
    expect(fulfilmentIn(HOME, id)).toHaveLength(0);
    expect(fulfilmentIn(SUCCESSOR, id)).toHaveLength(1);
  });

  it('fails a local delivery over rather than probing again the tripped home bus it already failed on', async () => {
    // Prepare: fulfilment in HOME is down; its breaker trips on one failure and lets a probe through at once.
    harness.cloud.faults.set('events', HOME, { down: '503', bus: 'fulfilment' });
    const id = await ingestDue(HOME, order());
    const breakers = createBreakers(
      { ...DEFAULT_BREAKER_SETTINGS, consecutiveFailures: 1, baseCooldownMs: 1 },
      Date.now,
    );
    const { sweep } = sweeperIn(HOME, own(HOME), { breakers });
    // Act
    await sweepOnce(sweep);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await sweepOnce(sweep);
    // Assess: the retry went to the next region of fulfilment's order, not to HOME as the breaker's probe.
    expect(fulfilmentIn(SUCCESSOR, id)).toHaveLength(1);
  });

  it('reports its lag: the age of the oldest due event', async () => {
    // Prepare
    await ingestDue(HOME, payment());
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { sweep, metrics } = sweeperIn(HOME, own(HOME));
    // Act
    const report = await sweepOnce(sweep);
    // Assess
    expect(report.lagMs).toBeGreaterThanOrEqual(200);
    expect(metrics.timings.get('SweeperLagMs')?.at(-1)).toBe(report.lagMs);
  });
});
