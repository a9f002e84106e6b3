import { describe, expect, it } from 'vitest';
import { planDeliveries } from '../../../shared/domain/routing/plan-deliveries';
import { buildInboxItem, buildPaymentItem, sampleCatalog, sampleCatalogWith } from '../../helpers/factories';

const everywhere = () => true;

describe('planDeliveries: merging, order and projections', () => {
  it('plans one delivery for two routes naming the same target and placement', () => {
    // Prepare
    const catalog = sampleCatalogWith((doc) => {
      doc.routes.push({
        name: 'orders-audit',
        tenant: 'orders',
        pattern: { source: ['com.switchyard.orders'] },
        targets: ['fulfilment', 'analytics'],
        mode: 'local',
      });
    });

    // Act
    const plan = planDeliveries({ item: buildInboxItem(), catalog, usable: everywhere });

    // Assess
    expect(plan.map((d) => [d.to, d.routes])).toEqual([
      ['analytics#local', ['orders-audit']],
      ['fulfilment#local', ['orders-to-fulfilment', 'orders-audit']],
    ]);
  });

  it('plans nothing for an event no route matches', () => {
    const item = buildInboxItem({ detailType: 'OrderShipped' });
    expect(planDeliveries({ item, catalog: sampleCatalog(), usable: everywhere })).toEqual([]);
  });

  it('returns the same plan, sorted by destination, whatever the order of the routes', () => {
    // Prepare
    const item = buildInboxItem({ home: 'eu-west-1', detailObject: { orderId: 'o-1', total: 5000 } });
    const reversed = sampleCatalogWith((doc) => {
      doc.routes.reverse();
    });

    // Act
    const first = planDeliveries({ item, catalog: sampleCatalog(), usable: everywhere });
    const second = planDeliveries({ item, catalog: reversed, usable: everywhere });

    // Assess
    expect(second).toEqual(first);
    expect(first.map((d) => d.to)).toEqual(['analytics#us-east-1', 'fulfilment#local']);
  });

  it("matches the pattern against the stored event's detail", () => {
    const small = buildInboxItem({ detailObject: { orderId: 'o-1', total: 999 } });
    const big = buildInboxItem({ detailObject: { orderId: 'o-1', total: 1000 } });
    expect(planDeliveries({ item: small, catalog: sampleCatalog(), usable: everywhere }).map((d) => d.to)).toEqual([
      'fulfilment#local',
    ]);
    expect(planDeliveries({ item: big, catalog: sampleCatalog(), usable: everywhere }).map((d) => d.to)).toEqual([
      'analytics#us-east-1',
      'fulfilment#local',
    ]);
  });

  it("carries the route's projection on each delivery to its target, and none on the others", () => {
    // Prepare
    const catalog = sampleCatalogWith((doc) => {
      Object.assign(doc.routes[2] ?? {}, { fields: ['detail.paymentId'] });
      Object.assign(doc.routes[1] ?? {}, { redact: ['detail.total'] });
    });

    // Act
    const payments = planDeliveries({ item: buildPaymentItem(), catalog, usable: everywhere });
    const orders = planDeliveries({
      item: buildInboxItem({ detailObject: { orderId: 'o-1', total: 1500 } }),
      catalog,
      usable: everywhere,
    });

    // Assess
    for (const delivery of payments)
      expect(delivery.projection).toEqual({ kind: 'fields', paths: [['detail', 'paymentId']] });
    expect(orders.find((d) => d.target === 'analytics')?.projection).toEqual({
      kind: 'redact',
      paths: [['detail', 'total']],
    });
    expect(orders.find((d) => d.target === 'fulfilment')).not.toHaveProperty('projection');
  });
});
