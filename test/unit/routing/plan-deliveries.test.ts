import { describe, expect, it } from 'vitest';
import { compileCatalog, type Catalog, type CatalogDocument } from '../../../shared/domain/catalog';
import { planDeliveries } from '../../../shared/domain/routing/plan-deliveries';
import {
  ALL_REGIONS,
  buildEuCustomerItem,
  buildInboxItem,
  buildPaymentItem,
  sampleCatalog,
  sampleCatalogDocument,
} from '../../helpers/factories';

const without = (...down: string[]): ReadonlySet<string> => new Set([...ALL_REGIONS].filter((r) => !down.includes(r)));

/** The sample catalog with extra targets and routes. */
const catalogWith = (change: (doc: CatalogDocument) => void): Catalog => {
  const doc = sampleCatalogDocument();
  change(doc);
  return compileCatalog(doc);
};

/** A compact view of a plan: `to`, plus the block reason when blocked. */
const summary = (plan: ReturnType<typeof planDeliveries>) =>
  plan.map((d) => (d.blocked ? `${d.to} (${d.blocked.reason})` : d.to));

describe('planDeliveries: local mode', () => {
  it("delivers to the target bus in the event's home region", () => {
    // Prepare
    const item = buildInboxItem({ home: 'ap-southeast-2' });

    // Act
    const plan = planDeliveries({ item, catalog: sampleCatalog(), availableRegions: ALL_REGIONS });

    // Assess
    expect(plan).toEqual([
      {
        to: 'fulfilment#ap-southeast-2',
        target: 'fulfilment',
        region: 'ap-southeast-2',
        bus: 'fulfilment',
        routes: ['orders-to-fulfilment'],
      },
    ]);
  });

  it("fails over along the target's order when the home region is unavailable", () => {
    // Prepare: fulfilment fails over us-east-1, eu-west-1, ap-southeast-2
    const item = buildInboxItem({ home: 'ap-southeast-2' });

    // Act
    const firstDown = planDeliveries({ item, catalog: sampleCatalog(), availableRegions: without('ap-southeast-2') });
    const twoDown = planDeliveries({
      item,
      catalog: sampleCatalog(),
      availableRegions: without('ap-southeast-2', 'us-east-1'),
    });

    // Assess
    expect(summary(firstDown)).toEqual(['fulfilment#us-east-1']);
    expect(summary(twoDown)).toEqual(['fulfilment#eu-west-1']);
  });

  it("follows the target's own failover order, not the zone's", () => {
    // Prepare: ledger-sync fails over eu-west-1 first
    const catalog = catalogWith((doc) => {
      doc.routes[2] = { ...doc.routes[2], mode: 'local' } as CatalogDocument['routes'][number];
    });
    const item = buildPaymentItem({ home: 'ap-southeast-2', residency: 'global' });

    // Act
    const plan = planDeliveries({ item, catalog, availableRegions: ALL_REGIONS });

    // Assess: home has no ledger-sync bus, so the first region of the failover order takes it
    expect(summary(plan)).toEqual(['ledger-sync#eu-west-1']);
  });

  it('parks instead of leaving the residency zone when the only allowed region is down', () => {
    // Act
    const plan = planDeliveries({
      item: buildEuCustomerItem(),
      catalog: sampleCatalog(),
      availableRegions: without('eu-west-1'),
    });

    // Assess
    expect(plan).toEqual([
      expect.objectContaining({
        to: 'fulfilment#eu-west-1',
        region: 'eu-west-1',
        blocked: {
          reason: 'region-unavailable',
          message: 'no region of target fulfilment inside the residency zone is available',
        },
      }),
    ]);
  });

  it('blocks for residency when the target has no bus inside the zone', () => {
    // Prepare
    const catalog = catalogWith((doc) => {
      doc.targets['us-only'] = { buses: { 'us-east-1': 'us-only' }, failover: ['us-east-1'] };
      doc.routes[3] = { ...doc.routes[3], targets: ['us-only'] } as CatalogDocument['routes'][number];
    });

    // Act
    const plan = planDeliveries({ item: buildEuCustomerItem(), catalog, availableRegions: ALL_REGIONS });

    // Assess
    expect(plan).toEqual([
      expect.objectContaining({
        to: 'us-only#eu-west-1',
        blocked: expect.objectContaining({ reason: 'residency-blocked' }),
      }),
    ]);
  });
});

describe('planDeliveries: fanout mode', () => {
  it('delivers to every region of the target inside the zone', () => {
    const plan = planDeliveries({ item: buildPaymentItem(), catalog: sampleCatalog(), availableRegions: ALL_REGIONS });
    expect(summary(plan)).toEqual(['ledger-sync#eu-west-1', 'ledger-sync#us-east-1']);
  });

  it('parks the copy for an unavailable region and sends the others', () => {
    // Act
    const plan = planDeliveries({
      item: buildPaymentItem(),
      catalog: sampleCatalog(),
      availableRegions: without('eu-west-1'),
    });

    // Assess
    expect(summary(plan)).toEqual(['ledger-sync#eu-west-1 (region-unavailable)', 'ledger-sync#us-east-1']);
    expect(plan[0]?.blocked?.message).toBe('eu-west-1 is unavailable');
  });

  it('leaves out target regions outside the residency zone', () => {
    // Prepare: fulfilment also has a bus in ap-southeast-2, outside the transatlantic zone
    const catalog = catalogWith((doc) => {
      doc.routes[2] = { ...doc.routes[2], targets: ['fulfilment'] } as CatalogDocument['routes'][number];
    });

    // Act
    const plan = planDeliveries({ item: buildPaymentItem(), catalog, availableRegions: ALL_REGIONS });

    // Assess
    expect(summary(plan)).toEqual(['fulfilment#eu-west-1', 'fulfilment#us-east-1']);
  });
});

describe('planDeliveries: pinned mode', () => {
  it('delivers only to the listed regions, alongside other matching routes', () => {
    // Prepare: a big order matches both the local and the pinned route
    const item = buildInboxItem({ home: 'eu-west-1', detailObject: { orderId: 'o-1', total: 1500 } });

    // Act
    const plan = planDeliveries({ item, catalog: sampleCatalog(), availableRegions: ALL_REGIONS });

    // Assess
    expect(plan.map((d) => [d.to, d.routes])).toEqual([
      ['analytics#us-east-1', ['big-orders-to-analytics']],
      ['fulfilment#eu-west-1', ['orders-to-fulfilment']],
    ]);
  });

  it('parks a pinned region that is down instead of failing over', () => {
    const item = buildInboxItem({ detailObject: { orderId: 'o-1', total: 1500 } });
    const plan = planDeliveries({ item, catalog: sampleCatalog(), availableRegions: without('us-east-1') });
    expect(summary(plan)).toEqual(['analytics#us-east-1 (region-unavailable)', 'fulfilment#eu-west-1']);
  });

  it("blocks a pinned region outside the event's residency zone", () => {
    // Prepare: payments (transatlantic) pinned to ap-southeast-2
    const catalog = catalogWith((doc) => {
      doc.routes.push({
        name: 'payments-to-apac',
        tenant: 'payments',
        pattern: { source: ['com.switchyard.payments'] },
        targets: ['fulfilment'],
        mode: 'pinned',
        regions: ['ap-southeast-2', 'us-east-1'],
      });
    });

    // Act
    const plan = planDeliveries({ item: buildPaymentItem(), catalog, availableRegions: ALL_REGIONS });

    // Assess
    expect(summary(plan)).toEqual([
      'fulfilment#ap-southeast-2 (residency-blocked)',
      'fulfilment#us-east-1',
      'ledger-sync#eu-west-1',
      'ledger-sync#us-east-1',
    ]);
    expect(plan[0]?.blocked?.message).toBe("ap-southeast-2 is outside the event's residency zone");
  });
});

describe('planDeliveries: merging and order', () => {
  it('plans one delivery for two routes naming the same target and region', () => {
    // Prepare
    const catalog = catalogWith((doc) => {
      doc.routes.push({
        name: 'orders-audit',
        tenant: 'orders',
        pattern: { source: ['com.switchyard.orders'] },
        targets: ['fulfilment', 'analytics'],
        mode: 'local',
      });
    });

    // Act
    const plan = planDeliveries({ item: buildInboxItem(), catalog, availableRegions: ALL_REGIONS });

    // Assess
    expect(plan.map((d) => [d.to, d.routes])).toEqual([
      ['analytics#us-east-1', ['orders-audit']],
      ['fulfilment#us-east-1', ['orders-to-fulfilment', 'orders-audit']],
    ]);
  });

  it('plans nothing for an event no route matches', () => {
    const item = buildInboxItem({ detailType: 'OrderShipped' });
    expect(planDeliveries({ item, catalog: sampleCatalog(), availableRegions: ALL_REGIONS })).toEqual([]);
  });

  it('returns the same plan, sorted by destination, whatever the order of the routes', () => {
    // Prepare
    const item = buildInboxItem({ home: 'eu-west-1', detailObject: { orderId: 'o-1', total: 5000 } });
    const reversed = catalogWith((doc) => {
      doc.routes.reverse();
    });

    // Act
    const first = planDeliveries({ item, catalog: sampleCatalog(), availableRegions: ALL_REGIONS });
    const second = planDeliveries({ item, catalog: reversed, availableRegions: ALL_REGIONS });

    // Assess
    expect(second).toEqual(first);
    expect(first.map((d) => d.to)).toEqual(['analytics#us-east-1', 'fulfilment#eu-west-1']);
  });
});
