import { describe, expect, it } from 'vitest';
import type { InboxItem } from '../../../shared/domain/ingest/ingress-event';
import { routeRecords } from '../../../shared/services/route-records';
import { buildInboxItem, buildOrderItems, buildStreamRecord, putEventsFailure } from '../../helpers/factories';
import { entriesOf } from '../../helpers/scripted-bus';
import { createRouteDeps } from '../../helpers/service-deps';

const inserts = (items: InboxItem[]) =>
  items.map((item, i) => buildStreamRecord({ eventName: 'INSERT', sequenceNumber: String(100 + i), newItem: item }));

describe('routeRecords', () => {
  it('routes a new event owned by this region and confirms its delivery', async () => {
    // Prepare
    const route = createRouteDeps();
    const item = buildInboxItem();

    // Act
    const failed = await routeRecords(inserts([item]), route.deps);

    // Assess
    expect(failed).toEqual([]);
    expect(route.bus.accepted.map((a) => [a.region, a.entry.EventBusName, a.entry.Detail])).toEqual([
      ['us-east-1', 'fulfilment', item.detail],
    ]);
    expect(route.ledger.entry(item.id, 'fulfilment#us-east-1')).toMatchObject({
      status: 'delivered',
      owner: 'us-east-1',
      epoch: 3,
    });
    expect(route.metrics.totals.get('Routed')).toBe(1);
  });

  it('shares PutEvents calls across the events of a batch', async () => {
    // Prepare
    const route = createRouteDeps();

    // Act
    const failed = await routeRecords(inserts(buildOrderItems(25)), route.deps);

    // Assess
    expect(failed).toEqual([]);
    expect(route.bus.calls.map((c) => c.entries.length)).toEqual([10, 10, 5]);
  });

  it('ignores events owned by another region', async () => {
    const route = createRouteDeps();
    const failed = await routeRecords(inserts([buildInboxItem({ home: 'eu-west-1', owner: 'eu-west-1' })]), route.deps);
    expect(failed).toEqual([]);
    expect(route.bus.calls).toEqual([]);
    expect(route.ledger.all()).toEqual([]);
  });

  it('counts a duplicate once when a replicated overwrite changes the home of an event it routed', async () => {
    // Prepare
    const route = createRouteDeps();
    const mine = buildInboxItem();
    const theirs = buildInboxItem({ home: 'eu-west-1', owner: 'eu-west-1' });
    const overwrite = (seq: string) =>
      buildStreamRecord({ eventName: 'MODIFY', sequenceNumber: seq, newItem: theirs, oldItem: mine });

    // Act
    const failed = await routeRecords([overwrite('200'), overwrite('201')], route.deps);

    // Assess
    expect(failed).toEqual([]);
    expect(route.control.duplicates()).toEqual([
      { id: mine.id, homes: ['eu-west-1', 'us-east-1'], detectedIn: 'us-east-1', detectedAt: expect.any(String) },
    ]);
    expect(route.metrics.totals.get('DuplicateDetected')).toBe(1);
    expect(route.bus.calls).toEqual([]);
  });

  it('retries a duplicate record whose detection could not be stored', async () => {
    const route = createRouteDeps();
    route.control.failOn('recordDuplicate');
    const record = buildStreamRecord({
      eventName: 'MODIFY',
      sequenceNumber: '300',
      newItem: buildInboxItem({ home: 'eu-west-1', owner: 'eu-west-1' }),
      oldItem: buildInboxItem(),
    });
    expect(await routeRecords([record], route.deps)).toEqual(['300']);
  });

  it('routes an event whose ownership moved here', async () => {
    // Prepare
    const route = createRouteDeps();
    const before = buildInboxItem({ home: 'ap-southeast-2', owner: 'ap-southeast-2' });
    const record = buildStreamRecord({
      eventName: 'MODIFY',
      sequenceNumber: '400',
      newItem: { ...before, owner: 'us-east-1' },
      oldItem: before,
    });

    // Act
    await routeRecords([record], route.deps);

    // Assess: local mode still prefers the home region's bus
    expect(route.ledger.entry(before.id, 'fulfilment#ap-southeast-2')?.status).toBe('delivered');
  });

  it('parks an event pinned to an unpublished routes version as unroutable, without retrying it', async () => {
    // Prepare
    const route = createRouteDeps();
    const item = buildInboxItem({ routesVersion: 99 });

    // Act
    const failed = await routeRecords(inserts([item]), route.deps);

    // Assess
    expect(failed).toEqual([]);
    expect(route.ledger.entry(item.id, 'unroutable#us-east-1')).toMatchObject({
      status: 'parked',
      lastError: expect.stringContaining('CatalogVersionNotFoundError'),
    });
    expect(route.bus.calls).toEqual([]);
  });

  it('parks an inbox item that lacks its home as unroutable', async () => {
    const route = createRouteDeps();
    const { home: _home, ...corrupt } = buildInboxItem();
    await routeRecords(
      [buildStreamRecord({ eventName: 'INSERT', sequenceNumber: '500', newItem: corrupt })],
      route.deps,
    );
    expect(route.ledger.entry(corrupt.id, 'unroutable#us-east-1')?.lastError).toBe(
      'unroutable: TypeError: inbox item lacks home or routesVersion',
    );
  });

  it('retries a record whose routes version cannot be read while the control table is down', async () => {
    // Prepare
    const route = createRouteDeps();
    route.control.failOn('getCatalogDocument', 1);

    // Act
    const failed = await routeRecords(inserts([buildInboxItem()]), route.deps);

    // Assess
    expect(failed).toEqual(['100']);
    expect(route.bus.calls).toEqual([]);
  });

  it('returns only the record whose delivery is still failing after the last round', async () => {
    // Prepare
    const route = createRouteDeps();
    route.bus.script(
      entriesOf('com.switchyard.orders#o-2'),
      Array(route.deps.maxRounds).fill(putEventsFailure('InternalFailure')),
    );

    // Act
    const failed = await routeRecords(inserts(buildOrderItems(3)), route.deps);

    // Assess
    expect(failed).toEqual(['101']);
    expect(route.ledger.entry('com.switchyard.orders#o-1', 'fulfilment#us-east-1')?.status).toBe('delivered');
  });

  it('does not retry a record whose poison delivery was parked', async () => {
    const route = createRouteDeps();
    route.bus.script(entriesOf('com.switchyard.orders#o-1'), [putEventsFailure('MalformedDetail')]);
    expect(await routeRecords(inserts(buildOrderItems(2)), route.deps)).toEqual([]);
    expect(route.ledger.entry('com.switchyard.orders#o-1', 'fulfilment#us-east-1')?.status).toBe('parked');
  });

  it('retries a record whose claims could not be written, without sending it', async () => {
    // Prepare
    const route = createRouteDeps();
    route.ledger.failOn('claim', 1);

    // Act
    const failed = await routeRecords(inserts(buildOrderItems(2)), route.deps);

    // Assess
    expect(failed).toEqual(['100']);
    expect(route.bus.accepted.map((a) => a.entry.Resources)).toEqual([
      expect.arrayContaining(['switchyard:key:com.switchyard.orders#o-2']),
    ]);
  });

  it('parks the copy for a region that is down and delivers the rest', async () => {
    // Prepare
    const route = createRouteDeps({ availableRegions: () => new Set(['us-east-1', 'ap-southeast-2']) });
    const payment = buildInboxItem({
      id: 'com.switchyard.payments#p-1',
      source: 'com.switchyard.payments',
      detailObject: { paymentId: 'p-1' },
      tenant: 'payments',
      residency: 'transatlantic',
    });

    // Act
    const failed = await routeRecords(inserts([payment]), route.deps);

    // Assess
    expect(failed).toEqual([]);
    expect(route.ledger.all().map((e) => [e.to, e.status, e.lastError])).toEqual([
      ['ledger-sync#eu-west-1', 'parked', 'region-unavailable: eu-west-1 is unavailable'],
      ['ledger-sync#us-east-1', 'delivered', undefined],
    ]);
  });
});

describe('routeRecords: retried records', () => {
  it('does not count a redelivery for a sibling claim that was never sent', async () => {
    // Prepare: a big order plans analytics#us-east-1 and fulfilment#us-east-1; the first claim fails
    const route = createRouteDeps();
    const records = inserts([buildInboxItem({ detailObject: { orderId: 'o-1', total: 1500 } })]);
    route.ledger.failOn('claim', 1);
    const firstTry = await routeRecords(records, route.deps);

    // Act
    const secondTry = await routeRecords(records, route.deps);

    // Assess
    expect(firstTry).toEqual(['100']);
    expect(secondTry).toEqual([]);
    expect(route.bus.accepted).toHaveLength(2);
    expect(route.metrics.totals.get('Redelivered')).toBeUndefined();
    expect(
      route.ledger
        .all()
        .map((e) => [e.to, e.status, e.redeliveries])
        .sort(),
    ).toEqual([
      ['analytics#us-east-1', 'delivered', 0],
      ['fulfilment#us-east-1', 'delivered', 0],
    ]);
  });
});
