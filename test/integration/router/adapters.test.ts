import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimRequest } from '../../../shared/adapters/ledger-table';
import { CatalogVersionConflictError, CatalogVersionNotFoundError } from '../../../shared/domain/catalog';
import { BusCallFailedError, StoreUnavailableError } from '../../../shared/domain/infrastructure-errors';
import { buildOutboundEntry } from '../../../shared/domain/delivery/outbound-entry';
import { buildInboxItem, sampleCatalogDocument } from '../../helpers/factories';
import { startRouterHarness, type RegionAdapters, type RouterHarness } from './router-harness';

const REGION = 'us-east-1';
const OTHER_REGION = 'eu-west-1';

let harness: RouterHarness;
let db: RegionAdapters;

beforeAll(async () => {
  harness = await startRouterHarness({ stage: 'itadapters', regions: [REGION, OTHER_REGION] });
  db = harness.adapters(REGION);
});

afterAll(async () => {
  await harness?.stop();
});

afterEach(() => {
  harness.cloud.faults.clear();
});

const NOW = '2026-11-27T10:00:05.000Z';

/** A claim of fulfilment#us-east-1 for a fresh event id, owner us-east-1 at epoch 1. */
const claimRequest = (overrides: Partial<ClaimRequest> = {}): ClaimRequest => ({
  id: `com.switchyard.orders#${randomUUID()}`,
  to: `fulfilment#${REGION}`,
  target: 'fulfilment',
  region: REGION,
  bus: 'fulfilment',
  owner: REGION,
  epoch: 1,
  token: randomUUID(),
  routesVersion: 1,
  now: NOW,
  expiresAt: 1_800_000_000,
  ...overrides,
});

const ledgerItem = (r: { id: string; to: string }) => harness.getItem(REGION, 'ledger', { id: r.id, to: r.to });

describe('inbox adapter', () => {
  it('stores a new event and reports a second put of the same idempotency key as a duplicate without overwriting it', async () => {
    // Prepare
    const id = `com.switchyard.orders#${randomUUID()}`;
    const first = buildInboxItem({ id, detailObject: { orderId: id, total: 1 } });
    const second = buildInboxItem({ id, detailObject: { orderId: id, total: 2 }, home: OTHER_REGION });

    // Act
    const stored = await db.inbox.putNew(first);
    const duplicate = await db.inbox.putNew(second);

    // Assess
    expect(stored).toBe('stored');
    expect(duplicate).toBe('duplicate');
    expect(await db.inbox.get(id)).toEqual(first);
  });

  it('returns undefined for an id that was never stored', async () => {
    expect(await db.inbox.get(`com.switchyard.orders#${randomUUID()}`)).toBeUndefined();
  });
});

describe('ledger adapter', () => {
  it('claims a new delivery, then confirms it on its token as delivered and closes it for sweeps', async () => {
    // Prepare
    const request = claimRequest();

    // Act
    const claim = await db.ledger.claim(request);
    const afterClaim = await ledgerItem(request);
    const confirm = await db.ledger.confirm({
      id: request.id,
      to: request.to,
      token: request.token,
      busEventId: 'bus-1',
      now: NOW,
      redelivered: false,
    });

    // Assess
    expect(claim).toEqual({ kind: 'claimed', attempt: 1, suspectedRedelivery: false });
    expect(afterClaim).toMatchObject({
      status: 'claimed',
      owner: REGION,
      epoch: 1,
      token: request.token,
      attempts: 1,
      open: REGION,
      due: NOW,
    });
    expect(confirm).toBe('confirmed');
    const item = await ledgerItem(request);
    expect(item).toMatchObject({ status: 'delivered', busEventId: 'bus-1', deliveredAt: NOW, redeliveries: 0 });
    expect(item).not.toHaveProperty('open');
    expect(item).not.toHaveProperty('due');
  });

  it('reports a claim on an already delivered entry as settled and leaves the entry alone', async () => {
    // Prepare
    const request = claimRequest();
    await db.ledger.claim(request);
    await db.ledger.confirm({
      id: request.id,
      to: request.to,
      token: request.token,
      busEventId: 'bus-2',
      now: NOW,
      redelivered: false,
    });

    // Act
    const again = await db.ledger.claim({ ...request, token: randomUUID(), epoch: 5 });

    // Assess
    expect(again).toEqual({ kind: 'settled', status: 'delivered' });
    expect(await ledgerItem(request)).toMatchObject({ status: 'delivered', token: request.token, attempts: 1 });
  });

  it('holds a claim by a lower epoch while a higher epoch owns the delivery, naming the holder', async () => {
    // Prepare
    const request = claimRequest({ owner: OTHER_REGION, epoch: 2 });
    await db.ledger.claim(request);

    // Act
    const lower = await db.ledger.claim({ ...request, owner: REGION, epoch: 1, token: randomUUID() });

    // Assess
    expect(lower).toEqual({ kind: 'held', owner: OTHER_REGION, epoch: 2 });
    expect(await ledgerItem(request)).toMatchObject({ owner: OTHER_REGION, epoch: 2, token: request.token });
  });

  it('lets an equal or higher epoch take over a claimed delivery', async () => {
    // Prepare
    const request = claimRequest({ epoch: 2 });
    await db.ledger.claim(request);
    const takeover = { ...request, owner: OTHER_REGION, epoch: 3, token: randomUUID() };

    // Act
    const result = await db.ledger.claim(takeover);

    // Assess
    expect(result).toMatchObject({ kind: 'claimed', attempt: 2 });
    expect(await ledgerItem(request)).toMatchObject({
      owner: OTHER_REGION,
      epoch: 3,
      token: takeover.token,
      attempts: 2,
    });
  });

  it('refuses to confirm with a token that no longer holds the claim', async () => {
    // Prepare
    const request = claimRequest();
    await db.ledger.claim(request);

    // Act
    const confirm = await db.ledger.confirm({
      id: request.id,
      to: request.to,
      token: 'someone-else',
      busEventId: 'bus-3',
      now: NOW,
      redelivered: false,
    });

    // Assess
    expect(confirm).toBe('lost');
    expect(await ledgerItem(request)).toMatchObject({ status: 'claimed', token: request.token });
  });

  it('parks a claimed delivery on its token with the reason, after which a claim finds it settled', async () => {
    // Prepare
    const request = claimRequest();
    await db.ledger.claim(request);

    // Act
    const wrongToken = await db.ledger.park({ id: request.id, to: request.to, token: 'stale', error: 'x', now: NOW });
    const parked = await db.ledger.park({
      id: request.id,
      to: request.to,
      token: request.token,
      error: 'ValidationException: bad entry',
      now: NOW,
    });
    const claim = await db.ledger.claim({ ...request, token: randomUUID() });

    // Assess
    expect(wrongToken).toBe('lost');
    expect(parked).toBe('parked');
    expect(await ledgerItem(request)).toMatchObject({
      status: 'parked',
      lastError: 'ValidationException: bad entry',
      parkedAt: NOW,
      failedToken: request.token,
    });
    expect(claim).toEqual({ kind: 'settled', status: 'parked' });
  });

  it('parks an unclaimed (blocked) delivery with no attempts and open for replay; parking it again refreshes the reason as already settled; never parks over a delivered one', async () => {
    // Prepare
    const blocked = claimRequest({ to: `fulfilment#${OTHER_REGION}`, region: OTHER_REGION });
    const delivered = claimRequest();
    await db.ledger.claim(delivered);
    await db.ledger.confirm({
      id: delivered.id,
      to: delivered.to,
      token: delivered.token,
      busEventId: 'bus-4',
      now: NOW,
      redelivered: false,
    });

    // Act
    const parked = await db.ledger.parkUnclaimed({ ...blocked, error: 'region-unavailable: eu-west-1 is unavailable' });
    const parkedAgain = await db.ledger.parkUnclaimed({
      ...blocked,
      token: randomUUID(),
      error: 'region-unavailable: still',
    });
    const settled = await db.ledger.parkUnclaimed({
      ...delivered,
      token: randomUUID(),
      error: 'region-unavailable: late',
    });

    // Assess
    expect(parked).toBe('parked');
    expect(parkedAgain).toBe('settled');
    expect(await ledgerItem(blocked)).toMatchObject({
      status: 'parked',
      attempts: 0,
      open: OTHER_REGION,
      lastError: 'region-unavailable: still',
    });
    expect(settled).toBe('settled');
    expect(await ledgerItem(delivered)).toMatchObject({ status: 'delivered', busEventId: 'bus-4' });
  });

  it('does not suspect a redelivery when the previous attempt was recorded as failed', async () => {
    // Prepare
    const request = claimRequest();
    await db.ledger.claim(request);
    const recorded = await db.ledger.recordFailure({
      id: request.id,
      to: request.to,
      token: request.token,
      error: 'InternalFailure: boom',
      due: NOW,
    });

    // Act
    const reclaim = await db.ledger.claim({ ...request, token: randomUUID() });

    // Assess
    expect(recorded).toBe('recorded');
    expect(reclaim).toEqual({ kind: 'claimed', attempt: 2, suspectedRedelivery: false });
  });

  it('suspects a redelivery when a claim is taken over without its outcome recorded (a crash between send and confirm)', async () => {
    // Prepare
    const request = claimRequest();
    await db.ledger.claim(request);

    // Act
    const reclaim = await db.ledger.claim({ ...request, token: randomUUID() });

    // Assess
    expect(reclaim).toEqual({ kind: 'claimed', attempt: 2, suspectedRedelivery: true });
  });

  it('records a failure only for the token holding a claim', async () => {
    // Prepare
    const request = claimRequest();
    await db.ledger.claim(request);

    // Act
    const lost = await db.ledger.recordFailure({
      id: request.id,
      to: request.to,
      token: 'stale',
      error: 'InternalFailure: boom',
      due: NOW,
    });

    // Assess
    expect(lost).toBe('lost');
    expect(await ledgerItem(request)).not.toHaveProperty('lastError');
  });
});

describe('control adapter', () => {
  const auditItems = async (day: string) =>
    (
      await db.client.send(
        new QueryCommand({
          TableName: harness.tables.control,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `AUDIT#${day}` },
        }),
      )
    ).Items ?? [];

  it('publishes a catalog version once: the same content again is unchanged, different content is a version conflict', async () => {
    // Prepare
    const document = { ...sampleCatalogDocument(), version: 11 };
    const changed = { ...document, description: 'changed after publishing' };

    // Act
    const first = await db.control.putCatalogVersion(11, document, 'alice', '2026-11-27T11:00:00.000Z');
    const same = await db.control.putCatalogVersion(11, document, 'bob', '2026-11-27T11:00:01.000Z');
    const conflict = db.control.putCatalogVersion(11, changed, 'mallory', '2026-11-27T11:00:02.000Z');

    // Assess
    expect(first).toBe('published');
    expect(same).toBe('unchanged');
    await expect(conflict).rejects.toBeInstanceOf(CatalogVersionConflictError);
    expect(await db.control.getCatalogDocument(11)).toEqual(document);
  });

  it('refuses to activate a version that was never published and leaves the pointer where it was', async () => {
    // Prepare
    await db.control.putCatalogVersion(
      21,
      { ...sampleCatalogDocument(), version: 21 },
      'alice',
      '2026-11-28T09:00:00.000Z',
    );
    await db.control.activateVersion(21, 'alice', '2026-11-28T09:00:01.000Z');

    // Act
    const unknown = db.control.activateVersion(404, 'alice', '2026-11-28T09:00:02.000Z');

    // Assess
    await expect(unknown).rejects.toBeInstanceOf(CatalogVersionNotFoundError);
    expect(await db.control.getActiveVersion()).toBe(21);
  });

  it('writes an audit item for every publish and activation, with actor and details', async () => {
    // Prepare
    const day = '2026-12-01';
    await db.control.putCatalogVersion(
      31,
      { ...sampleCatalogDocument(), version: 31 },
      'carol',
      `${day}T08:00:00.000Z`,
    );
    const previous = await db.control.getActiveVersion();

    // Act
    const activated = await db.control.activateVersion(31, 'dave', `${day}T08:00:01.000Z`);

    // Assess
    const audit = await auditItems(day);
    expect(audit.map((a) => [a.action, a.actor]).sort()).toEqual([
      ['routes.activate', 'dave'],
      ['routes.publish', 'carol'],
    ]);
    expect(audit.find((a) => a.action === 'routes.activate')?.details).toMatchObject({ version: 31, previous });
    expect(activated).toEqual(previous === undefined ? {} : { previous });
    expect(await db.control.getActiveVersion()).toBe(31);
  });

  it('records a detected duplicate once only', async () => {
    // Prepare
    const record = {
      id: `com.switchyard.orders#${randomUUID()}`,
      homes: [OTHER_REGION, REGION],
      detectedIn: REGION,
      detectedAt: NOW,
    };

    // Act
    const first = await db.control.recordDuplicate(record);
    const second = await db.control.recordDuplicate({ ...record, detectedIn: OTHER_REGION });

    // Assess
    expect(first).toBe(true);
    expect(second).toBe(false);
    expect(await harness.getItem(REGION, 'control', { pk: 'DUPLICATE', sk: record.id })).toMatchObject({
      homes: [OTHER_REGION, REGION],
      detectedIn: REGION,
    });
  });

  it('reads epoch 0 for a region that was never fenced', async () => {
    expect(await db.control.getRegionEpoch('ap-southeast-2')).toBe(0);
  });
});

describe('SDK errors become domain errors', () => {
  it('reports a region whose DynamoDB answers 503 as StoreUnavailableError naming table and operation', async () => {
    // Prepare
    const oneShot = harness.adapters(OTHER_REGION, { maxAttempts: 1 });
    harness.cloud.faults.set('dynamodb', OTHER_REGION, { down: '503' });

    // Act
    const put = oneShot.inbox.putNew(buildInboxItem({ id: `com.switchyard.orders#${randomUUID()}` }));
    const active = oneShot.control.getActiveVersion();
    const publish = oneShot.control.putCatalogVersion(41, sampleCatalogDocument(), 'alice', NOW);

    // Assess
    await expect(put).rejects.toMatchObject({
      name: 'StoreUnavailableError',
      table: harness.tables.inbox,
      operation: 'PutItem',
    });
    await expect(active).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(publish).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('reports throttled ledger and control writes as StoreUnavailableError, not as a lost claim or a known duplicate', async () => {
    // Prepare
    const oneShot = harness.adapters(OTHER_REGION, { maxAttempts: 1 });
    harness.cloud.faults.set('dynamodb', OTHER_REGION, { throttleRate: 1 });

    // Act
    const claim = oneShot.ledger.claim(claimRequest());
    const duplicate = oneShot.control.recordDuplicate({
      id: randomUUID(),
      homes: [],
      detectedIn: OTHER_REGION,
      detectedAt: NOW,
    });
    const quarantine = oneShot.quarantine.put({
      id: randomUUID(),
      reason: 'missing-key',
      message: 'm',
      region: OTHER_REGION,
      receivedAt: NOW,
      event: '{}',
      expiresAt: 1,
    });

    // Assess
    await expect(claim).rejects.toMatchObject({
      name: 'StoreUnavailableError',
      table: harness.tables.ledger,
      operation: 'UpdateItem(claim)',
    });
    await expect(duplicate).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(quarantine).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('reports a transaction cancelled by a conflict or throttling as StoreUnavailableError, not as a catalog conflict or unknown version', async () => {
    // Prepare: DynamoDB Local serialises transactions and never cancels one for these reasons, so the
    // SDK error AWS returns is raised by a middleware on an otherwise real client.
    const region = harness.adapters(OTHER_REGION);
    await region.control.putCatalogVersion(61, { ...sampleCatalogDocument(), version: 61 }, 'alice', NOW);
    region.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (!String(context.commandName).startsWith('TransactWrite')) return next(args);
        throw new TransactionCanceledException({
          message:
            'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict, ThrottlingError]',
          $metadata: { httpStatusCode: 400 },
          CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'ThrottlingError' }, { Code: 'None' }],
        });
      },
      { step: 'initialize', name: 'cancelTransactions' },
    );

    // Act
    const publish = region.control.putCatalogVersion(62, { ...sampleCatalogDocument(), version: 62 }, 'alice', NOW);
    const activate = region.control.activateVersion(61, 'alice', NOW);

    // Assess
    await expect(publish).rejects.toMatchObject({ name: 'StoreUnavailableError', operation: 'TransactWriteItems' });
    await expect(activate).rejects.toMatchObject({ name: 'StoreUnavailableError', operation: 'TransactWriteItems' });
  });

  it('reports a region whose EventBridge is down as a retryable BusCallFailedError', async () => {
    // Prepare
    const oneShot = harness.adapters(REGION, { maxAttempts: 1 });
    harness.cloud.faults.set('events', OTHER_REGION, { down: '503' });
    const entry = buildOutboundEntry(buildInboxItem(), 'fulfilment', 1);

    // Act
    const failure = oneShot.bus.putEvents(OTHER_REGION, [entry]);

    // Assess
    await expect(failure).rejects.toBeInstanceOf(BusCallFailedError);
    await expect(failure).rejects.toMatchObject({ region: OTHER_REGION, retryable: true, outcomeUnknown: true });
  });

  it('reports a throttled EventBridge call as retryable with entries known not to have arrived', async () => {
    // Prepare
    const oneShot = harness.adapters(REGION, { maxAttempts: 1 });
    harness.cloud.faults.set('events', OTHER_REGION, { throttleRate: 1 });

    // Act
    const failure = oneShot.bus.putEvents(OTHER_REGION, [buildOutboundEntry(buildInboxItem(), 'fulfilment', 1)]);

    // Assess
    await expect(failure).rejects.toMatchObject({
      name: 'BusCallFailedError',
      errorCode: 'ThrottlingException',
      retryable: true,
      outcomeUnknown: false,
    });
  });

  it('reports a call EventBridge rejects as invalid (11 entries) as a BusCallFailedError that is not retryable', async () => {
    // Prepare
    const entries = Array.from({ length: 11 }, () => buildOutboundEntry(buildInboxItem(), 'fulfilment', 1));

    // Act
    const failure = db.bus.putEvents(REGION, entries);

    // Assess
    await expect(failure).rejects.toMatchObject({ name: 'BusCallFailedError', region: REGION, retryable: false });
  });

  it('returns per-entry results, with an event id for each accepted entry', async () => {
    // Prepare
    const entry = buildOutboundEntry(buildInboxItem(), 'fulfilment', 1);

    // Act
    const results = await db.bus.putEvents(REGION, [entry, entry]);

    // Assess
    expect(results).toHaveLength(2);
    expect(results.every((r) => typeof r.EventId === 'string' && r.ErrorCode === undefined)).toBe(true);
  });
});
